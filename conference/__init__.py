def init_app(app):
    """The case conference: agenda, ideas, decisions and its exports."""
    from conference import (
        exports,  # noqa: F401 (its export parts register on import)
        views,
    )

    app.register_blueprint(views.bp)
    app.jinja_env.globals["render_conferences"] = views.render_conferences
