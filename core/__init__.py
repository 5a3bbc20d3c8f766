"""Plumbing shared by every domain: the database and its migrations, the request's
connection, htmx, errors, security headers, maintenance, templates' common helpers and
the registry the domains plug into (``core.plugins``). Nothing here imports a domain."""


def init_app(app):
    """The floor every domain stands on; ``finish`` completes it once they all plugged in."""
    from flask_wtf.csrf import CSRFProtect

    from core import assets, cli, errors, maintenance, plugins, templating, web

    # Checked in a hook (accounts), so API calls with a bearer token can skip it.
    CSRFProtect(app)
    web.htmx.init_app(app)
    app.teardown_appcontext(web.close_db)
    templating.register(app)
    errors.register(app)
    # A worker (re)started during a restore waits for it: its upgrade writes would be refused.
    maintenance.wait_until_over(app.config["DATABASE"])
    plugins.before_request(app, plugins.MAINTENANCE, errors.refuse_writes_during_maintenance)

    app.register_blueprint(assets.bp)
    app.cli.add_command(cli.db_group)
    app.cli.add_command(cli.backup_command)
    app.cli.add_command(cli.restore_command)


def finish(app):
    """Once every domain plugged in: what waited for them all (``after_domains``), the
    request hooks in stage order, the migrations, then what needs the tables
    (``after_migrations``)."""
    import flask

    from core import database, plugins, security, web

    for step in plugins.of(app, "after_domains"):
        step(app)
    plugins.install_hooks(app)

    # Registered last, so it runs first of the after_request hooks (Flask runs them in
    # reverse): every answer carries the headers, whatever a domain's hook did.
    @app.after_request
    def security_headers(response):
        static = flask.request.endpoint in security.QUIET_ENDPOINTS
        return security.add_security_headers(
            response, secure=flask.request.is_secure, static=static
        )

    with app.app_context():
        database.init_db(web.get_db(), plugins.of(app, "migrations"))
        for step in plugins.of(app, "after_migrations"):
            step(app)
