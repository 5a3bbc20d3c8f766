"""Login (the password, then a second factor when there is one), logout and the profile
page with the second factor, API tokens and the password.

Nobody is logged in until every step is done: between the steps the session only
remembers who is on the way in (``PENDING``), for a few minutes.
"""

import datetime
import hashlib
import hmac
import time
import urllib.parse

import flask
import flask_login

from accounts import lockout, passwords, session_store, sessions, store, throttle, totp
from accounts.forms import CodeForm, LoginForm, PasswordForm, TokenForm
from audit import hooks as audit_hooks
from core.htmx import redirect
from core.web import get_db, htmx

bp = flask.Blueprint("accounts", __name__)

PENDING = "pending_login"
STAGE_CODE = "code"  # the user has a second factor: ask for a code
STAGE_ENROL = "enrol"  # the role requires a second factor the user has not set up
PENDING_SECONDS = {STAGE_CODE: 5 * 60, STAGE_ENROL: 15 * 60}
STAGE_ENDPOINTS = {STAGE_CODE: "accounts.login_code", STAGE_ENROL: "accounts.login_enrol"}
LOGIN_ENDPOINTS = {"accounts.login", *STAGE_ENDPOINTS.values()}
# The login page's elements that static/login.js works with: the form, the line that
# counts down to the next try and the status region that says it once.
LOGIN_IDS = {"form": "login-form", "wait": "login-wait", "status": "login-wait-status"}

BAD_CREDENTIALS = "Gebruikersnaam of wachtwoord klopt niet."
BAD_CODE = "Deze code klopt niet of is al gebruikt. Wacht op de volgende code in je app."
# {wait} is the time left in Dutch words ("45 seconden", "3 minuten").
TOO_MANY_LOGINS = "Te veel inlogpogingen. Probeer het over {wait} opnieuw."
TOO_MANY_CODES = "Te veel verkeerde codes. Probeer het over {wait} opnieuw."
PENDING_EXPIRED = "Je inlogpoging is verlopen. Log opnieuw in."
TOTP_REQUIRED_NO_DISABLE = (
    "Tweestapsverificatie is verplicht voor jouw rol en kan niet uit. Nieuwe telefoon?"
    " Vraag een beheerder om je tweestapsverificatie opnieuw in te stellen."
)


def _safe_next(target):
    """Only follow a ``next`` that stays on this site."""
    if not target:
        return None
    parts = urllib.parse.urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as "/" and drop tabs and newlines, so "/\\evil.example"
    # and "/\t/evil.example" lead off-site.
    if any(char == "\\" or ord(char) < 32 for char in target):
        return None
    return target


def _attempted(username):
    """The log's object for an attempt: the name as typed, and nothing else."""
    return f"user {(username or '').strip()[: lockout.ACCOUNT_KEY_LENGTH]}"


# Limits on failed attempts (see accounts.throttle)


def _limited(body, wait):
    """The page with its Dutch message, as 429 with the seconds in ``Retry-After``."""
    response = flask.make_response(body, 429)
    response.headers["Retry-After"] = str(wait)
    return response


def _too_many(template, wait):
    return template.format(wait=lockout.wait_words(wait))


# Logging in


def _render_login(form, error=None):
    return flask.render_template("accounts/login.html", form=form, error=error, login_ids=LOGIN_IDS)


def _go(target):
    """Redirect to ``target``; the login form sent by htmx is sent on by ``HX-Redirect``,
    so the browser loads the next page whole, as after the plain form's redirect."""
    by_htmx = bool(htmx) and htmx.trigger == LOGIN_IDS["form"]
    response = redirect(target, by_htmx=by_htmx, status=302)
    response.vary.add("HX-Trigger")
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The Dutch login page: the password, the first of one or two steps."""
    if flask_login.current_user.is_authenticated:
        return _go(flask.url_for("index"))
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        row, refusal = _check_password(db, form)
        return refusal if row is None else _after_password(db, row)
    return _render_login(form), 422 if form.is_submitted() else 200


def _check_password(db, form):
    """The user row when the password is right; otherwise the response to send.

    The hashing slot is taken first: a login told to try again soon (too many at once)
    has not been checked, so it does not count as an attempt.
    """
    try:
        with passwords.hashing_slot():
            return _check_password_in_slot(db, form)
    except passwords.Busy as busy:
        username = form.username.data
        audit_hooks.log_event("login", "failed", object=_attempted(username), detail="busy")
        return None, busy_response(busy, _render_login(form, str(busy)))


def busy_response(busy, body=None):
    """503 with ``Retry-After``: too many passwords were being checked at once."""
    if body is None:
        fragment = flask.request.headers.get("HX-Request") == "true"
        template = "_error.html" if fragment else "error.html"
        body = flask.render_template(template, status=503, title="Even geduld", text=str(busy))
    response = flask.make_response(body, 503)
    response.headers["Retry-After"] = str(passwords.RETRY_AFTER_SECONDS)
    return response


def _check_password_in_slot(db, form):
    username = form.username.data
    wait = throttle.begin_password(username)
    if wait:
        # While a wait runs the password is not checked: no guess is worth sending.
        audit_hooks.log_event("login", "denied", object=_attempted(username), detail="rate limited")
        return None, _limited(_render_login(form, _too_many(TOO_MANY_LOGINS, wait)), wait)
    row = store.authenticate(db, username, form.password.data)
    if row is not None:
        throttle.password_succeeded(username)
        return row, None
    # One detail for a wrong password and an unknown user: the log must not become a
    # list of which names exist.
    audit_hooks.log_event("login", "denied", object=_attempted(username), detail="bad credentials")
    return None, (_render_login(form, BAD_CREDENTIALS), 401)


def _after_password(db, row):
    """The password was right: log in, or go on to the second step."""
    next_url = _safe_next(flask.request.args.get("next"))
    flask.session.clear()
    if store.totp_state(row) == store.TOTP_ON:
        stage = STAGE_CODE
    elif store.totp_required(db, row["role"]):
        stage = STAGE_ENROL
    else:
        return _complete_login(db, row["id"], next_url)
    flask.session[PENDING] = {
        "user": row["id"],
        "epoch": row["auth_epoch"],
        "stage": stage,
        "until": time.time() + PENDING_SECONDS[stage],
        "next": next_url,
    }
    if stage == STAGE_ENROL:
        # A new secret at every login, shown to this login only: a secret seen by
        # someone else who knew the password must not become the user's factor.
        secret = store.begin_totp(db, row["id"], _totp_key())
        flask.session[PENDING]["secret"] = _fingerprint(secret)
    return _go(flask.url_for(STAGE_ENDPOINTS[stage]))


def _pending_user(stage=None):
    """The user on the way in and the pending state, while valid; else (None, None).

    The session is signed, so its contents are ours; the user must still exist, be
    active and have the same ``auth_epoch`` (a reset by an admin ends the attempt).
    """
    pending = flask.session.get(PENDING)
    if not isinstance(pending, dict) or (stage and pending.get("stage") != stage):
        return None, None
    if not isinstance(pending.get("until"), int | float) or pending["until"] < time.time():
        return None, None
    row = store.get_user(get_db(), pending.get("user"))
    if row is None or not row["active"] or row["auth_epoch"] != pending.get("epoch"):
        return None, None
    if pending["stage"] == STAGE_ENROL:
        secret = store.open_totp_secret(row, _totp_key())
        if not secret or not hmac.compare_digest(pending.get("secret", ""), _fingerprint(secret)):
            return None, None
    return row, pending


def _totp_key():
    return flask.current_app.config["TOTP_KEY"]


def _fingerprint(secret):
    """Names a secret in the session cookie (which the browser can read) without
    revealing it."""
    key = flask.current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def _restart():
    flask.session.pop(PENDING, None)
    flask.flash(PENDING_EXPIRED, "info")
    return flask.redirect(flask.url_for("accounts.login"))


def _complete_login(db, user_id, next_url, message=None):
    """Every step is done: the session starts now, and lives by the idle timeout."""
    row = store.get_user(db, user_id)
    flask.session.clear()
    sessions.start(row)
    if message:
        flask.flash(message, "success")
    store.record_login(db, user_id)
    audit_hooks.log_event("login", "success", user=row)
    return _go(next_url or flask.url_for("index"))


def _code_failed(row, event="login"):
    audit_hooks.log_event(event, "denied", user=row, detail="bad second factor")


def _code_wait(row, event="login"):
    """Seconds to wait before this user's code may be checked (0: check it now)."""
    wait = throttle.begin_code(row["id"], at_login=event == "login")
    if wait:
        audit_hooks.log_event(event, "denied", user=row, detail="rate limited (second factor)")
    return wait


def _render_code(error=None, form=None):
    form = form or CodeForm()
    if error:
        form.code.errors = [*form.code.errors, error]
    return flask.render_template("accounts/login_code.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """Second step of the login: the six-digit code from the authenticator app."""
    if flask_login.current_user.is_authenticated:
        return flask.redirect(flask.url_for("index"))
    row, pending = _pending_user(STAGE_CODE)
    if row is None:
        return _restart()
    form = CodeForm()
    if form.validate_on_submit():
        db = get_db()
        wait = _code_wait(row)
        if wait:
            return _limited(_render_code(_too_many(TOO_MANY_CODES, wait)), wait)
        if store.verify_totp(db, row["id"], form.code.data, _totp_key()):
            throttle.code_succeeded(row["id"])
            return _complete_login(db, row["id"], pending.get("next"))
        _code_failed(row)
        return _render_code(BAD_CODE, form), 401
    return _render_code(form=form), 422 if form.is_submitted() else 200


def _enrolment(row):
    """What the enrolment shows: the pending secret, grouped, and its QR code."""
    secret = store.open_totp_secret(row, _totp_key())
    return {
        "secret": totp.grouped(secret),
        "qr": totp.qr_data_uri(totp.provisioning_uri(secret, row["username"])),
    }


def _render_enrol(row, error=None, form=None):
    form = form or CodeForm()
    if error:
        form.code.errors = [*form.code.errors, error]
    return flask.render_template(
        "accounts/login_enrol.html", form=form, enrolment=_enrolment(row), user=row
    )


@bp.route("/login/tweestapsverificatie", methods=["GET", "POST"])
def login_enrol():
    """Mandatory enrolment during the login, for a role that requires a second factor."""
    if flask_login.current_user.is_authenticated:
        return flask.redirect(flask.url_for("index"))
    row, pending = _pending_user(STAGE_ENROL)
    if row is None or store.totp_state(row) != store.TOTP_PENDING:
        return _restart()
    form = CodeForm()
    if form.validate_on_submit():
        db = get_db()
        wait = _code_wait(row)
        if wait:
            return _limited(_render_enrol(row, _too_many(TOO_MANY_CODES, wait)), wait)
        if store.confirm_totp(db, row["id"], form.code.data, _totp_key()):
            throttle.code_succeeded(row["id"])
            audit_hooks.log_event(
                "change", "success", user=row, object=f"user {row['username']} totp enabled"
            )
            return _complete_login(
                db, row["id"], pending.get("next"), "Tweestapsverificatie staat aan."
            )
        _code_failed(row)
        return _render_enrol(row, BAD_CODE, form), 401
    return _render_enrol(row, form=form), 422 if form.is_submitted() else 200


@bp.post("/logout")
def logout():
    """Log out: the session ends on the server, so a copy of the cookie is worthless."""
    if flask_login.current_user.is_authenticated:
        audit_hooks.log_event("logout", "success")
    sessions.end_current()
    flask.flash("Je bent uitgelogd.", "info")
    return flask.redirect(flask.url_for("accounts.login"))


# The profile page


def _render_profile(
    token_form=None, password_form=None, totp_form=None, new_token=None, status=200
):
    user = flask_login.current_user
    db = get_db()
    row = store.get_user(db, user.id)
    state = store.totp_state(row)
    return (
        flask.render_template(
            "accounts/profile.html",
            tokens=store.list_tokens(db, user.id),
            token_form=token_form or TokenForm(),
            password_form=password_form or PasswordForm(),
            totp_form=totp_form or CodeForm(),
            totp_state=state,
            totp_required=store.totp_required(db, row["role"]),
            totp_confirmed_at=row["totp_confirmed_at"],
            enrolment=_enrolment(row) if state == store.TOTP_PENDING else None,
            new_token=new_token,
            sessions=_active_sessions(user.id),
            this_session=sessions.current_id(),
        ),
        status,
    )


def _when(seconds):
    """A session's moment (epoch seconds) as ISO UTC: the page shows it in Dutch time."""
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).isoformat(timespec="seconds")


def _active_sessions(user_id):
    return [
        {**row, "started": _when(row["created_at"]), "seen": _when(row["last_seen_at"])}
        for row in sessions.of_user(user_id)
    ]


@bp.get("/profiel")
@flask_login.login_required
def profile():
    """The user's profile: sessions, second factor, API tokens and password."""
    return _render_profile()


@bp.post("/profiel/sessies/<int:session_id>/beeindigen")
@flask_login.login_required
def end_session(session_id):
    """End one of the user's own sessions (this one too: that is logging out)."""
    user = flask_login.current_user
    if session_id == sessions.current_id():
        audit_hooks.log_event("logout", "success")
        sessions.end_current()
        flask.flash("Je bent uitgelogd.", "info")
        return flask.redirect(flask.url_for("accounts.login"))
    if not session_store.end(get_db(), session_id, user.id):
        flask.abort(404)
    audit_hooks.log_event("change", "success", object=f"user {user.username} session ended")
    flask.flash("De sessie is beëindigd.", "info")
    return flask.redirect(flask.url_for("accounts.profile", _anchor="sessies"))


@bp.post("/profiel/tweestapsverificatie")
@flask_login.login_required
def totp_start():
    """Start setting up the second factor: a new secret, shown until it is confirmed."""
    try:
        store.begin_totp(get_db(), flask_login.current_user.id, _totp_key())
    except store.AccountError as error:
        flask.flash(str(error), "error")
    return flask.redirect(flask.url_for("accounts.profile", _anchor="tweestapsverificatie"))


@bp.post("/profiel/tweestapsverificatie/annuleren")
@flask_login.login_required
def totp_cancel():
    """Stop a setup that was not confirmed."""
    store.cancel_totp(get_db(), flask_login.current_user.id)
    return flask.redirect(flask.url_for("accounts.profile", _anchor="tweestapsverificatie"))


def _code_refused(user, form):
    """The profile with the wait for wrong codes, or None when the code may be checked."""
    wait = _code_wait(user.row, event="change")
    if not wait:
        return None
    form.code.errors.append(_too_many(TOO_MANY_CODES, wait))
    return _limited(_render_profile(totp_form=form)[0], wait)


@bp.post("/profiel/tweestapsverificatie/bevestigen")
@flask_login.login_required
def totp_confirm():
    """Confirm the setup with a code; from then on the login asks for one."""
    form = CodeForm()
    user = flask_login.current_user
    db = get_db()
    if not form.validate_on_submit():
        return _render_profile(totp_form=form, status=422)
    refused = _code_refused(user, form)
    if refused:
        return refused
    with db.atomic():  # the second factor is on only with its log entry
        confirmed = store.confirm_totp(
            db, user.id, form.code.data, _totp_key(), keep_session=sessions.current_id()
        )
        if confirmed:
            audit_hooks.log_event("change", "success", object=f"user {user.username} totp enabled")
    if not confirmed:
        _code_failed(user.row, event="change")
        form.code.errors.append(BAD_CODE)
        return _render_profile(totp_form=form, status=422)
    throttle.code_succeeded(user.id)
    flask.flash("Tweestapsverificatie staat aan. Je andere sessies zijn beëindigd.", "success")
    return flask.redirect(flask.url_for("accounts.profile", _anchor="tweestapsverificatie"))


@bp.post("/profiel/tweestapsverificatie/uitzetten")
@flask_login.login_required
def totp_disable():
    """Turn the second factor off, with a current code (not when the role requires it)."""
    form = CodeForm()
    user = flask_login.current_user
    db = get_db()
    if not form.validate_on_submit():
        return _render_profile(totp_form=form, status=422)
    if store.totp_required(db, user.role):
        form.code.errors.append(TOTP_REQUIRED_NO_DISABLE)
        return _render_profile(totp_form=form, status=422)
    refused = _code_refused(user, form)
    if refused:
        return refused
    if not store.verify_totp(db, user.id, form.code.data, _totp_key()):
        _code_failed(user.row, event="change")
        form.code.errors.append(BAD_CODE)
        return _render_profile(totp_form=form, status=422)
    throttle.code_succeeded(user.id)
    with db.atomic():
        store.disable_totp(db, user.id)
        audit_hooks.log_event("change", "success", object=f"user {user.username} totp disabled")
    flask.flash("Tweestapsverificatie staat uit.", "info")
    return flask.redirect(flask.url_for("accounts.profile", _anchor="tweestapsverificatie"))


@bp.post("/profiel/tokens")
@flask_login.login_required
def create_token():
    """Create an API token; its secret is shown once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _render_profile(token_form=form, status=422)
    token = store.create_token(get_db(), flask_login.current_user.id, form.name.data)
    return _render_profile(new_token=token)


@bp.post("/profiel/tokens/<int:token_id>/intrekken")
@flask_login.login_required
def revoke_token(token_id):
    """Revoke one of the user's own API tokens."""
    if not store.revoke_token(get_db(), flask_login.current_user.id, token_id):
        flask.abort(404)
    flask.flash("Het token is ingetrokken.", "info")
    return flask.redirect(flask.url_for("accounts.profile"))


@bp.post("/profiel/wachtwoord")
@flask_login.login_required
def change_password():
    """Change the password; every other session and every token stops working."""
    form = PasswordForm()
    user = flask_login.current_user
    if not form.validate_on_submit():
        return _render_profile(password_form=form, status=422)
    # The current password is guessed here no faster than on the login page.
    wait = throttle.begin_password(user.username)
    if wait:
        form.current.errors.append(_too_many(TOO_MANY_LOGINS, wait))
        return _limited(_render_profile(password_form=form)[0], wait)
    if not passwords.verify_password(user.row["password_hash"], form.current.data):
        form.current.errors.append("Je huidige wachtwoord klopt niet.")
        return _render_profile(password_form=form, status=422)
    throttle.password_succeeded(user.username)
    try:
        store.change_password(get_db(), user.id, form.new.data, keep_session=sessions.current_id())
    except passwords.WeakPassword as error:
        form.new.errors.append(str(error))
        return _render_profile(password_form=form, status=422)
    flask.flash("Je wachtwoord is gewijzigd. Andere sessies en API-tokens zijn beëindigd.", "info")
    return flask.redirect(flask.url_for("accounts.profile"))
