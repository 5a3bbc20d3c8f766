"""Browser sessions, kept on the server (``accounts.session_store``).

A login opens a session row and puts its random token in the signed cookie. Every
request checks that the row still exists (logout, a password change, deactivation or
an admin end it at once, in every worker) and that it was seen within the idle
timeout (30 minutes by default); a copied cookie is worth no more than the row.
"""

import contextlib
import time

import flask
import flask_login

from accounts import browsers, session_store
from accounts.login import User
from audit import hooks as audit_hooks
from core.maintenance import UnderMaintenance
from core.security import QUIET_ENDPOINTS
from core.web import get_db

EXPIRED_MESSAGE = "Je sessie is verlopen omdat je een tijd niets hebt gedaan. Log opnieuw in."


def idle_seconds():
    return flask.current_app.config["IDLE_TIMEOUT_MINUTES"] * 60


def start(row):
    """Log ``row`` in with a new session; the cookie's lifetime follows the idle timeout."""
    db = get_db()
    now = time.time()
    session_store.prune(db, now, idle_seconds())
    token = session_store.start(
        db,
        row["id"],
        now,
        address=flask.request.remote_addr,
        browser=browsers.summary(flask.request.user_agent.string),
    )
    flask_login.login_user(User(row, session_store.find(db, token), token))
    flask.session.permanent = True


def current_id():
    """The id of this request's session row, or None (API token, logged out)."""
    user = flask_login.current_user
    session = getattr(user, "session", None) if user.is_authenticated else None
    return session["id"] if session else None


def of_user(user_id):
    """The user's sessions that still work, the most recently seen first."""
    return session_store.active(get_db(), user_id, time.time(), idle_seconds())


def end_current():
    """Log out: the session row goes, then the cookie's contents."""
    session_id = current_id()
    if session_id is not None:
        session_store.end(get_db(), session_id)
    flask_login.logout_user()
    flask.session.clear()


def enforce_idle_timeout():
    """before_request: log out a session that was idle too long; otherwise note activity."""
    if flask.g.get("token_auth") or flask.request.endpoint in QUIET_ENDPOINTS:
        return None
    if not flask_login.current_user.is_authenticated:
        return None
    session = flask_login.current_user.session
    now = time.time()
    if session_store.is_idle(session, now, idle_seconds()):
        audit_hooks.log_event("logout", "success", detail="idle timeout")
        end_current()
        flask.flash(EXPIRED_MESSAGE, "info")
        return flask.current_app.login_manager.unauthorized()
    flask.g.session_seen = (session, now)  # noted once answered: see note_activity
    if not flask.session.permanent:  # setting it again would re-sign the cookie
        flask.session.permanent = True
    return None


class SessionInterface(flask.sessions.SecureCookieSessionInterface):
    """Flask's signed cookie, renewed at each request (its lifetime follows the idle
    timeout), except for an answer that sent nothing: a poll is no activity, and
    re-signing the cookie was a fifth of the poll's time."""

    def get_signing_serializer(self, app):
        # Flask builds the serializer twice per request; it depends only on the keys.
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = self.__dict__.setdefault("_serializers", {})
        if keys not in kept:
            kept[keys] = super().get_signing_serializer(app)
        return kept[keys]

    def should_set_cookie(self, app, session):
        if audit_hooks.sent_nothing() and not session.modified:
            return False
        return super().should_set_cookie(app, session)


def note_activity(response):
    """after_request: note the session's activity (at most a write a minute), unless the
    answer sent nothing: the conference screen's poll answering 204 once a second per
    laptop writes nothing at all (a screen left polling is no user at work either)."""
    seen = flask.g.pop("session_seen", None)
    if seen is None or audit_hooks.sent_nothing():
        return response
    with contextlib.suppress(UnderMaintenance):  # in a restore: the next request notes it
        session_store.touch(get_db(), *seen)
    return response
