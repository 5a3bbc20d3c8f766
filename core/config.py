"""The app's settings: defaults, the instance's config.py or a test's, kept keys and
trusted proxies."""

import datetime
import os
import pathlib
import secrets

from werkzeug.middleware.proxy_fix import ProxyFix

from core import gate


def configure(app, root, test_config=None):
    """Set the defaults (paths under ``root``, the project folder), then the instance's
    ``config.py`` or ``test_config``; the secret key is kept in the instance folder."""
    app.config.from_mapping(
        DATABASE=os.environ.get(
            "MAATWERKTAFEL_DATABASE", str(pathlib.Path(app.instance_path) / "maatwerktafel.db")
        ),
        DEMO_DATA=str(root / "data" / "demo"),
        RULES_DIR=str(root / "rules"),
        NODE_MODULES=str(root / "node_modules"),
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
        app.config["SECRET_KEY"] = kept_key(
            app.instance_path,
            "MAATWERKTAFEL_SECRET_KEY",
            "secret_key",
            lambda: secrets.token_hex(32),
        )
    trust_proxies(app)
    let_in_at_once(app)


def kept_key(instance_path, variable, filename, make):
    """A key from the environment, or one generated once into the instance folder."""
    if os.environ.get(variable):
        return os.environ[variable]
    key_file = pathlib.Path(instance_path) / filename
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(make())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def trust_proxies(app):
    """Behind N reverse proxies, take the client's address and scheme from the last N
    X-Forwarded-* headers; otherwise every user shares the proxy's address in the rate
    limits and the access log. Never trusted by default: a client could forge them."""
    value = str(app.config.get("PROXIES") or os.environ.get("MAATWERKTAFEL_PROXIES") or "0")
    if not value.isdigit() or int(value) > 5:
        raise RuntimeError(f"MAATWERKTAFEL_PROXIES must be a number from 0 to 5, not {value!r}")
    count = int(value)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def let_in_at_once(app):
    """At most ``REQUESTS_AT_ONCE`` requests of a worker computing at once (``core.gate``;
    2 by default, 0 for no limit): the others wait their turn in order."""
    value = app.config.get("REQUESTS_AT_ONCE")
    if value is None:
        value = os.environ.get("MAATWERKTAFEL_REQUESTS_AT_ONCE", gate.AT_ONCE)
    value = str(value)
    if not value.isdigit() or int(value) > 64:
        raise RuntimeError(
            f"MAATWERKTAFEL_REQUESTS_AT_ONCE must be a number from 0 to 64, not {value!r}"
        )
    if int(value):
        app.wsgi_app = gate.Gate(app.wsgi_app, int(value))
