"""Who is asking: Flask-Login's user, its loader, and API tokens.

A browser's cookie names a server-side session (``accounts.sessions``); an API client
sends ``Authorization: Bearer <token>`` to the API blueprint only.
"""

import flask
import flask_login

from accounts import session_store
from accounts import store as accounts_store
from core.web import get_db

LOGIN_REQUIRED = "authentication required: log in or send 'Authorization: Bearer <token>'"
login_manager = flask_login.LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

# API tokens are accepted by this blueprint only: on the pages a token could otherwise
# mint new tokens or change the password, and so outlive its own revocation.
API_BLUEPRINT = "api"


class User(flask_login.UserMixin):
    """The logged-in user as Flask-Login sees it.

    In a browser the user comes with ``session``, the row of the server-side session
    (``accounts.session_store``); Flask-Login's id is that session's random token, so
    the cookie names a session, not a user, and ending the session ends the cookie. A
    user authenticated by an API token has no session.
    """

    def __init__(self, row, session=None, token=None):
        self.row = row
        self.id = row["id"]
        self.username = row["username"]
        self.display_name = row["display_name"]
        self.role = row["role"]
        self.session = session
        self._token = token

    def get_id(self):
        return self._token


@login_manager.user_loader
def load_user(token):
    """The user of a session that still exists (the idle timeout is checked by
    ``accounts.sessions``, which also tells the user why they were logged out)."""
    session, user = session_store.find_with_user(get_db(), token)
    if session is None or not session["active"]:
        return None
    return User(user, session, token)


def authenticate_token():
    """API clients authenticate with ``Authorization: Bearer <token>``.

    A request that carries a token is judged by the token alone: a session cookie
    beside it is ignored, so the CSRF exemption for token requests can never be used
    to ride on a browser session. A wrong token gets 401 at once. Outside the API the
    header is ignored.
    """
    if flask.request.blueprint != API_BLUEPRINT:
        return None
    scheme, _, token = flask.request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    row = accounts_store.user_for_token(get_db(), token.strip())
    if row is None:
        return flask.jsonify({"error": "invalid or revoked API token"}), 401
    flask.g.token_auth = True
    flask.g.token_name = row["token_name"]
    flask.g._login_user = User(row)  # what flask_login.current_user reads
    return None


def uses_token():
    """True when this request was authenticated by an API token (no cookie involved)."""
    return bool(flask.g.get("token_auth"))
