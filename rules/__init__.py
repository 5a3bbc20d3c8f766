def init_app(app):
    """The rule set: loaded at start (a bad rule file stops the app, naming it),
    signals on the family page, catalogue, API and command line."""
    from cases import cli as cases_cli
    from rules import (
        api,  # noqa: F401 (its route joins the API blueprint on import)
        cli,
        exports,  # noqa: F401 (its export parts register on import)
        views,
        web,
    )

    web.init_app(app)
    app.register_blueprint(views.bp)
    app.jinja_env.globals["render_signals"] = views.render_signals
    app.cli.add_command(cli.rules_group)
    cases_cli.cases_group.add_command(cli.flags_command)
