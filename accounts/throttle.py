"""Login limits for the views, kept in the database (see :mod:`accounts.lockout`).

- ``RATELIMIT_LOGIN_PER_ACCOUNT`` ("5 per 10 minutes"): per account *and* address
  pair, that many failed passwords are free within the window; then each further
  failure doubles the wait, from 30 seconds up to the window.
- ``RATELIMIT_LOGIN_PER_ADDRESS`` ("30 per 10 minutes"): failed attempts (passwords
  and second-factor codes) from one address over every account.
- ``RATELIMIT_TOTP_PER_ACCOUNT`` ("5 per 10 minutes"): wrong second-factor codes per
  account (whoever types them knows the password already).

An attempt counts as failed from the moment it is let through until it succeeds, and
the check and the count are one write transaction: requests racing in parallel, in
one worker or several, cannot slip past the limit together. While a wait runs the
password or code is not checked at all. The settings are read at every request, so a
deployment or a test can change them.

The address is the peer's address as the server sees it: behind a reverse proxy the
app needs ``MAATWERKTAFEL_PROXIES``, or every user shares the proxy's address.
"""

import time

import flask

from accounts import failure_store, lockout
from core.web import get_db

PER_ADDRESS = "RATELIMIT_LOGIN_PER_ADDRESS"
PER_ACCOUNT = "RATELIMIT_LOGIN_PER_ACCOUNT"
CODES_PER_ACCOUNT = "RATELIMIT_TOTP_PER_ACCOUNT"
DEFAULTS = {
    PER_ADDRESS: "30 per 10 minutes",
    PER_ACCOUNT: "5 per 10 minutes",
    CODES_PER_ACCOUNT: "5 per 10 minutes",
}


def init_app(app):
    """Set the defaults; a malformed setting stops the app here, naming it."""
    for name, default in DEFAULTS.items():
        app.config.setdefault(name, default)
        try:
            lockout.Rule.parse(app.config[name])
        except ValueError as error:
            raise RuntimeError(f"{name}: {error}") from None


def _rule(name):
    return lockout.Rule.parse(flask.current_app.config.get(name) or DEFAULTS[name])


def _address():
    return lockout.address_key(flask.request.remote_addr)


def _code_account(user_id):
    return f"user:{user_id}"


def _longest_window():
    return max(_rule(name).window for name in DEFAULTS)


def _begin(kind, account, waits):
    """In one write transaction: the longest wait any rule asks, or (when none) the
    attempt recorded as a failure. Return the seconds to wait, 0 when let through."""
    db = get_db()
    now = time.time()
    with db.atomic():
        wait = max(wait_for(db, now) for wait_for in waits)
        if wait:
            return wait
        failure_store.prune(db, now - _longest_window())
        failure_store.record(db, kind, account, _address(), now)
    return 0


def _address_wait(db, now):
    rule = _rule(PER_ADDRESS)
    return lockout.window_wait(
        failure_store.times_for_address(db, _address(), now - rule.window), now, rule
    )


def begin_password(username):
    """Before checking a password: seconds to wait, or 0 (the attempt now counts)."""
    account = lockout.account_key(username)

    def pair_wait(db, now):
        times = failure_store.times_for_account(db, failure_store.PASSWORD, account, _address())
        return lockout.delay_wait(times, now, _rule(PER_ACCOUNT))

    return _begin(failure_store.PASSWORD, account, (pair_wait, _address_wait))


def password_succeeded(username):
    """The password was right: this pair's failures are forgiven (not the address's
    other ones)."""
    failure_store.forget(
        get_db(), failure_store.PASSWORD, lockout.account_key(username), _address()
    )


def begin_code(user_id, *, at_login):
    """Before checking a second-factor code: seconds to wait, or 0. During the login
    the address limit holds too."""
    account = _code_account(user_id)

    def account_wait(db, now):
        times = failure_store.times_for_account(db, failure_store.CODE, account)
        return lockout.window_wait(times, now, _rule(CODES_PER_ACCOUNT))

    waits = (account_wait, _address_wait) if at_login else (account_wait,)
    return _begin(failure_store.CODE, account, waits)


def code_succeeded(user_id):
    failure_store.forget(get_db(), failure_store.CODE, _code_account(user_id))
