"""The genogram with ecomap: the family and its network as a graph, its layout and drawing."""


def init_app(app):
    """The genogram: drawing, side panel, GEDCOM and the command line."""
    from genogram import (
        cli,
        panel,  # noqa: F401 (its routes join the genogram blueprint)
        remembering,  # noqa: F401 (keeps the layout memory in step with every save)
        views,
    )

    app.register_blueprint(views.bp)
    app.jinja_env.globals["genogram_ids"] = views.template_ids()
    app.jinja_env.globals["genogram_svg"] = views.svg_of
    app.jinja_env.globals["genogram_drawing"] = views.drawing_of
    app.cli.add_command(cli.genogram_group)
