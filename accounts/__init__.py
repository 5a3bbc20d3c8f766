"""User accounts, roles, passwords and API tokens."""


def init_app(app):
    """Login, sessions, second factor, users and tokens."""
    from accounts import (
        admin_views,
        cli,
        login,
        passwords,
        sealing,
        sessions,
        store,
        throttle,
        views,
    )
    from accounts.roles import ROLES
    from core import config, plugins

    # Seals the second-factor secrets; kept apart from the database and its backups.
    if not app.config.get("TOTP_KEY"):
        app.config["TOTP_KEY"] = config.kept_key(
            app.instance_path, "MAATWERKTAFEL_TOTP_KEY", "totp_key", sealing.new_key
        )
    try:
        sealing.check_key(app.config["TOTP_KEY"])
    except ValueError as error:
        raise RuntimeError(f"MAATWERKTAFEL_TOTP_KEY: {error}") from None
    login.login_manager.init_app(app)
    throttle.init_app(app)
    plugins.before_request(app, plugins.TOKEN, login.authenticate_token)
    plugins.before_request(app, plugins.IDLE, sessions.enforce_idle_timeout)
    app.after_request(sessions.note_activity)
    app.session_interface = sessions.SessionInterface()

    def protect_from_forgery():
        if not login.uses_token():
            app.extensions["csrf"].protect()

    plugins.before_request(app, plugins.FORGERY, protect_from_forgery)
    app.register_blueprint(views.bp)
    # Wherever a password is hashed (login, profile, admin), too many at once is a 503.
    app.register_error_handler(passwords.Busy, views.busy_response)
    app.register_blueprint(admin_views.bp)
    app.cli.add_command(cli.users_group)
    app.jinja_env.globals["role_label"] = lambda role: ROLES.get(role, role)

    def seal_plain_secrets(app):
        from core.web import get_db

        store.seal_plain_totp_secrets(get_db(), app.config["TOTP_KEY"])

    plugins.add(app, "after_migrations", seal_plain_secrets)
