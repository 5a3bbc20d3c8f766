"""Family cases: the exchange format, its validation and storage."""


def init_app(app):
    """Families in the exchange format: pages, the JSON API, the command line."""
    import flask
    import flask_login

    from cases import api, cli, templating, views
    from core import plugins

    templating.register(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.cases_group)
    app.cli.add_command(cli.demo_group)
    # Other domains add their routes to the API blueprint; it is registered once they have.
    plugins.add(app, "after_domains", lambda app: app.register_blueprint(api.bp))

    @app.get("/")
    @flask_login.login_required
    def index():
        """Start page: the family list."""
        return flask.redirect(flask.url_for("cases.index"))
