"""Patterns across the cohort: outcomes, signals, problems, solutions and groups of
similar families, for project leads (``/patronen``)."""


def init_app(app):
    """Patterns across the cohort: page, API and command line."""
    from patterns import (
        api,  # noqa: F401 (its route joins the API blueprint on import)
        cli,
        views,
    )

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.patterns_group)
