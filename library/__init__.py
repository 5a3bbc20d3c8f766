def init_app(app):
    """The solution library: publication, catalogue, tries."""
    from library import (
        cli,
        hooks,  # noqa: F401 (its eraser and exporter register on import)
        templating,
        views,
    )

    templating.register(app)
    app.register_blueprint(views.bp)
    app.jinja_env.globals["render_library_publish"] = views.render_publish
    app.cli.add_command(cli.library_group)
