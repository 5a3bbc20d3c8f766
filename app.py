"""Maatwerktafel: decision support for youth-care case conferences.

``create_app`` builds the Flask app; ``flask --app app`` exposes the command line.
"""

import datetime
import os
import pathlib
import secrets

import flask
import flask_login
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from access import guard
from accounts import sealing, throttle
from accounts import store as accounts_store
from audit import hooks as audit_hooks
from core import database, errors, maintenance, security, sessions, templating, web
from rules import web as rules_web

csrf = CSRFProtect()

ROOT = pathlib.Path(__file__).resolve().parent


def _kept_key(instance_path, variable, filename, make):
    """A key from the environment, or one generated once into the instance folder."""
    if os.environ.get(variable):
        return os.environ[variable]
    key_file = pathlib.Path(instance_path) / filename
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(make())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _trust_proxies(app):
    """Behind N reverse proxies, take the client's address and scheme from the last N
    X-Forwarded-* headers; otherwise every user shares the proxy's address in the rate
    limits and the access log. Never trusted by default: a client could forge them."""
    value = str(app.config.get("PROXIES") or os.environ.get("MAATWERKTAFEL_PROXIES") or "0")
    if not value.isdigit() or int(value) > 5:
        raise RuntimeError(f"MAATWERKTAFEL_PROXIES must be a number from 0 to 5, not {value!r}")
    count = int(value)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def create_app(test_config=None):
    """Create and configure the app."""
    app = flask.Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=os.environ.get(
            "MAATWERKTAFEL_DATABASE", str(pathlib.Path(app.instance_path) / "maatwerktafel.db")
        ),
        DEMO_DATA=str(ROOT / "data" / "demo"),
        RULES_DIR=str(ROOT / "rules"),
        NODE_MODULES=str(ROOT / "node_modules"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("MAATWERKTAFEL_INSECURE_COOKIES") != "1",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        # CSRF is checked in a before_request hook, so API calls with a bearer token
        # (no cookie, so no cross-site forgery) can skip it.
        WTF_CSRF_CHECK_DEFAULT=False,
        JSON_SORT_KEYS=False,
        IDLE_TIMEOUT_MINUTES=int(os.environ.get("MAATWERKTAFEL_IDLE_TIMEOUT_MINUTES", "30")),
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)
    app.config["PERMANENT_SESSION_LIFETIME"] = datetime.timedelta(
        minutes=app.config["IDLE_TIMEOUT_MINUTES"]
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _kept_key(
            app.instance_path,
            "MAATWERKTAFEL_SECRET_KEY",
            "secret_key",
            lambda: secrets.token_hex(32),
        )
    # Seals the second-factor secrets; kept apart from the database and its backups.
    if not app.config.get("TOTP_KEY"):
        app.config["TOTP_KEY"] = _kept_key(
            app.instance_path, "MAATWERKTAFEL_TOTP_KEY", "totp_key", sealing.new_key
        )
    try:
        sealing.check_key(app.config["TOTP_KEY"])
    except ValueError as error:
        raise RuntimeError(f"MAATWERKTAFEL_TOTP_KEY: {error}") from None
    _trust_proxies(app)

    # A bad rule file stops the app here, naming the file, the rule and the problem.
    rules_web.init_app(app)
    csrf.init_app(app)
    web.htmx.init_app(app)
    web.login_manager.init_app(app)
    app.teardown_appcontext(web.close_db)
    templating.register(app)
    errors.register(app)
    # A worker (re)started during a restore waits for it: its upgrade writes would be refused.
    maintenance.wait_until_over(app.config["DATABASE"])
    with app.app_context():
        database.init_db(web.get_db())
        accounts_store.seal_plain_totp_secrets(web.get_db(), app.config["TOTP_KEY"])

    app.before_request(errors.refuse_writes_during_maintenance)
    throttle.init_app(app)
    app.before_request(web.authenticate_token)
    app.before_request(sessions.enforce_idle_timeout)
    app.before_request(guard.guard_family_routes)
    app.after_request(audit_hooks.log_family_request)

    @app.after_request
    def security_headers(response):
        static = flask.request.endpoint in sessions.QUIET_ENDPOINTS
        return security.add_security_headers(
            response, secure=flask.request.is_secure, static=static
        )

    @app.before_request
    def protect_from_forgery():
        if not web.uses_token():
            csrf.protect()

    # Last: only what the view writes carries the request's access-log entry.
    app.before_request(audit_hooks.arm_change_entry)

    from access import cli as access_cli
    from accounts import admin_views as accounts_admin
    from accounts import cli as accounts_cli
    from accounts import views as accounts_views
    from audit import cli as audit_cli
    from audit import views as audit_views
    from cases import api as cases_api
    from cases import cli as cases_cli
    from cases import views as cases_views
    from conference import exports as _conference_exports  # noqa: F401 (export parts)
    from conference import views as conference_views
    from core import assets
    from core import cli as core_cli
    from finder import web as finder_web
    from genogram import cli as genogram_cli
    from genogram import panel as _genogram_panel  # noqa: F401 (its routes join genogram's)
    from genogram import views as genogram_views
    from library import cli as library_cli
    from library import hooks as _library_hooks  # noqa: F401 (registers eraser and exporter)
    from library import views as library_views
    from patterns import api as _patterns_api  # noqa: F401 (its route joins the API blueprint)
    from patterns import cli as patterns_cli
    from patterns import views as patterns_views
    from privacy import views as privacy_views
    from rules import api as _rules_api  # noqa: F401 (its route joins the API blueprint)
    from rules import cli as rules_cli
    from rules import exports as _rules_exports  # noqa: F401 (registers export parts)
    from rules import views as rules_views

    app.register_blueprint(assets.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(accounts_admin.bp)
    app.register_blueprint(cases_views.bp)
    app.register_blueprint(cases_api.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(genogram_views.bp)
    app.jinja_env.globals["genogram_ids"] = genogram_views.template_ids()
    app.jinja_env.globals["genogram_svg"] = genogram_views.svg_of
    app.jinja_env.globals["genogram_drawing"] = genogram_views.drawing_of
    app.register_blueprint(privacy_views.bp)
    app.register_blueprint(rules_views.bp)
    app.jinja_env.globals["render_signals"] = rules_views.render_signals
    app.register_blueprint(library_views.bp)
    app.jinja_env.globals["render_library_publish"] = library_views.render_publish
    finder_web.init_app(app)
    app.register_blueprint(finder_web.bp)
    app.jinja_env.globals["render_similar"] = finder_web.render_similar
    app.register_blueprint(conference_views.bp)
    app.jinja_env.globals["render_conferences"] = conference_views.render_conferences
    app.register_blueprint(patterns_views.bp)
    app.cli.add_command(core_cli.db_group)
    app.cli.add_command(core_cli.backup_command)
    app.cli.add_command(core_cli.restore_command)
    app.cli.add_command(audit_cli.audit_group)
    app.cli.add_command(cases_cli.cases_group)
    app.cli.add_command(cases_cli.demo_group)
    app.cli.add_command(accounts_cli.users_group)
    app.cli.add_command(access_cli.team_group)
    app.cli.add_command(genogram_cli.genogram_group)
    app.cli.add_command(rules_cli.rules_group)
    cases_cli.cases_group.add_command(rules_cli.flags_command)
    app.cli.add_command(library_cli.library_group)
    cases_cli.cases_group.add_command(finder_web.similar_command)
    app.cli.add_command(patterns_cli.patterns_group)

    @app.get("/")
    @flask_login.login_required
    def index():
        """Start page: the family list."""
        return flask.redirect(flask.url_for("cases.index"))

    return app
