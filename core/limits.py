"""Rate limits (Flask-Limiter). One gunicorn worker keeps its counters in memory;
several workers would need a shared store (set RATELIMIT_STORAGE_URI).

Login attempts are limited per address and per account, and only failed attempts
count: a view calls :func:`count_failure`, and the limit deducts after the response.
The limits are read from the app config on every request (``RATELIMIT_LOGIN_*``), so a
deployment or a test can change them.

The address is the peer's address as the server sees it: behind a reverse proxy, the
app must be wrapped in werkzeug's ProxyFix, or every user shares the proxy's address.
"""

import flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# A moving window: "5 per 10 minutes" holds for any 10 minutes, not per clock block.
limiter = Limiter(
    key_func=get_remote_address,
    storage_uri="memory://",
    strategy="moving-window",
    headers_enabled=True,
)

DEFAULTS = {
    "RATELIMIT_LOGIN_PER_ADDRESS": "30 per 10 minutes",
    "RATELIMIT_LOGIN_PER_ACCOUNT": "5 per 10 minutes",
    # Wrong second-factor codes, per account (the code pages, enrolment and disabling).
    "RATELIMIT_TOTP_PER_ACCOUNT": "5 per 10 minutes",
}
ACCOUNT_KEY_LENGTH = 64

_FAILED = "rate_limit_failed_attempt"


def configured(name):
    """A limit value that Flask-Limiter reads from the app config at each request."""
    return lambda: flask.current_app.config.get(name) or DEFAULTS[name]


def count_failure():
    """Mark this request as a failed attempt, so that the limits count it."""
    flask.g.setdefault(_FAILED, True)


def failed(_response):
    """``deduct_when``: count the request only when the view marked it as failed."""
    return bool(flask.g.get(_FAILED))


def submitted_account():
    """The account a login form names: the lower-cased username, as the store compares it."""
    username = flask.request.form.get("username", "")
    return "account:" + username.strip().lower()[:ACCOUNT_KEY_LENGTH]
