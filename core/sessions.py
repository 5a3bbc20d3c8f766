"""Idle timeout: a browser session ends after a quiet period (30 minutes by default).

The cookie's own lifetime ends it in the browser; the server checks too, so a copied
cookie is worthless after the same time.
"""

import time

import flask
import flask_login

from audit import hooks as audit_hooks

LAST_SEEN = "last_seen"
QUIET_ENDPOINTS = {"static", "assets.vendor"}
EXPIRED_MESSAGE = "Je sessie is verlopen omdat je een tijd niets hebt gedaan. Log opnieuw in."


def start():
    """Called right after login: the session lives by the idle timeout from now on."""
    flask.session.permanent = True
    flask.session[LAST_SEEN] = time.time()


def enforce_idle_timeout():
    """before_request: log out a session that was idle too long; otherwise note activity."""
    if flask.g.get("token_auth") or flask.request.endpoint in QUIET_ENDPOINTS:
        return None
    if not flask_login.current_user.is_authenticated:
        return None
    now = time.time()
    limit = flask.current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    last_seen = flask.session.get(LAST_SEEN)
    if last_seen is not None and now - last_seen > limit:
        audit_hooks.log_event("logout", "success", detail="idle timeout")
        flask_login.logout_user()
        flask.session.clear()
        flask.flash(EXPIRED_MESSAGE, "info")
        return flask.current_app.login_manager.unauthorized()
    flask.session[LAST_SEEN] = now
    flask.session.permanent = True
    return None
