"""Users and API tokens in the database (every function takes ``db`` first)."""

import hashlib
import re
import secrets

from accounts import passwords, sealing, session_store, totp
from accounts.roles import ROLES
from core.clock import utc_now as _now

USERNAME_PATTERN = re.compile(r"^[a-zA-Z0-9_.-]{2,64}$")
TOKEN_PREFIX = "mwt_"  # noqa: S105 (a public prefix, not a secret)


# The states of a user's second factor.
TOTP_OFF = "off"
TOTP_PENDING = "pending"  # a secret is shown, not yet confirmed with a code
TOTP_ON = "on"

DISPLAY_NAME_MAX = 120


class AccountError(ValueError):
    """Bad input for an account; the message is Dutch, for the user.

    ``field`` names the form field the message belongs beside, when there is one.
    """

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def _check_username_form(username):
    if not isinstance(username, str) or not USERNAME_PATTERN.match(username):
        raise AccountError(
            "Een gebruikersnaam heeft 2-64 letters, cijfers, '_', '.' of '-'.", "username"
        )


def check_username(db, username):
    """Raise :class:`AccountError` when ``username`` is malformed or taken."""
    _check_username_form(username)
    if get_user_by_name(db, username):
        raise AccountError(f"De gebruiker '{username}' bestaat al.", "username")


def check_role(role):
    if role not in ROLES:
        raise AccountError("Onbekende rol; kies uit: " + ", ".join(ROLES) + ".", "role")


def check_new_password(password, username, display_name=None):
    """The password policy, with the names the account is known by as guessable words."""
    passwords.check_policy(password, user_inputs=[username, display_name or ""])


def create_user(db, username, password, role, display_name=None):
    """Create a user; raise :class:`AccountError` or ``WeakPassword`` on bad input."""
    _check_username_form(username)
    check_role(role)
    display_name = (display_name or "").strip() or username
    if len(display_name) > DISPLAY_NAME_MAX:
        raise AccountError(f"Een naam heeft hooguit {DISPLAY_NAME_MAX} tekens.", "display_name")
    check_new_password(password, username, display_name)
    with db.atomic():
        check_username(db, username)
        return (
            db.table("users")
            .insert(
                {
                    "username": username,
                    "display_name": display_name,
                    "role": role,
                    "password_hash": passwords.hash_password(password),
                    "auth_epoch": 1,
                    "active": 1,
                    "created_at": _now(),
                }
            )
            .last_pk
        )


def get_user(db, user_id):
    rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    return rows[0] if rows else None


def get_user_by_name(db, username):
    rows = list(db.query("SELECT * FROM users WHERE username = ?", [username]))
    return rows[0] if rows else None


def list_users(db):
    return list(db.query("SELECT * FROM users ORDER BY username"))


def overview(db):
    """Every user for the admin page: no hashes or secrets, the second factor as a state."""
    return list(
        db.query(
            "SELECT id, username, display_name, role, active, created_at, last_login_at,"
            " CASE WHEN totp_confirmed_at IS NOT NULL THEN :on"
            "      WHEN totp_secret IS NOT NULL THEN :pending ELSE :off END AS totp_state"
            " FROM users ORDER BY username COLLATE NOCASE",
            {"on": TOTP_ON, "pending": TOTP_PENDING, "off": TOTP_OFF},
        )
    )


def authenticate(db, username, password):
    """Return the active user whose password matches, or None.

    This is the first factor only: :func:`record_login` notes the login once it is
    complete.
    """
    user = get_user_by_name(db, username) if isinstance(username, str) else None
    if user is None or not user["active"]:
        passwords.verify_password(passwords.DUMMY_HASH, password or "")
        return None
    if not passwords.verify_password(user["password_hash"], password or ""):
        return None
    if passwords.needs_rehash(user["password_hash"]):
        db.table("users").update(user["id"], {"password_hash": passwords.hash_password(password)})
    return get_user(db, user["id"])


def record_login(db, user_id):
    db.execute("UPDATE users SET last_login_at = ? WHERE id = ?", [_now(), user_id])


def end_sessions(db, user_id, *, keep=None):
    """End every session of the user (but ``keep``, a session id, when given) and any
    login on its way in (raising the epoch that a pending second step checks).
    Return how many sessions ended."""
    with db.atomic():
        db.execute("UPDATE users SET auth_epoch = auth_epoch + 1 WHERE id = ?", [user_id])
        return session_store.end_all(db, user_id, keep=keep)


def change_password(db, user_id, new_password, *, keep_session=None):
    """Set a new password and end every token and every session of the user but
    ``keep_session`` (the one that changed it)."""
    user = get_user(db, user_id)
    check_new_password(new_password, user["username"], user["display_name"])
    with db.atomic():
        db.execute(
            "UPDATE users SET password_hash = ? WHERE id = ?",
            [passwords.hash_password(new_password), user_id],
        )
        db.execute("DELETE FROM api_tokens WHERE user_id = ?", [user_id])
        end_sessions(db, user_id, keep=keep_session)


def _token_hash(token):
    # Tokens are 256 random bits: a fast hash is enough, and lets us look them up.
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db, user_id, name):
    """Create an API token; return the secret, which is shown once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise AccountError("Geef het token een naam van 1-80 tekens.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.table("api_tokens").insert(
        {
            "user_id": user_id,
            "name": name,
            "token_hash": _token_hash(token),
            "hint": token[-4:],
            "created_at": _now(),
        }
    )
    return token


def list_tokens(db, user_id):
    return list(
        db.query(
            "SELECT id, name, hint, created_at, last_used_at FROM api_tokens"
            " WHERE user_id = ? ORDER BY created_at DESC, id DESC",
            [user_id],
        )
    )


def revoke_token(db, user_id, token_id):
    """Delete a token of this user; return whether one was deleted."""
    cursor = db.execute("DELETE FROM api_tokens WHERE id = ? AND user_id = ?", [token_id, user_id])
    return cursor.rowcount > 0


def user_for_token(db, token):
    """Return the active user owning ``token`` (with the token's name), or None."""
    if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
        return None
    rows = list(
        db.query(
            "SELECT u.id, t.id AS token_id, t.name AS token_name"
            " FROM api_tokens t JOIN users u ON u.id = t.user_id"
            " WHERE t.token_hash = ? AND u.active",
            [_token_hash(token)],
        )
    )
    if not rows:
        return None
    db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [_now(), rows[0]["token_id"]])
    return {**get_user(db, rows[0]["id"]), "token_name": rows[0]["token_name"]}


# The second factor (TOTP)


def totp_state(user):
    """``TOTP_OFF``, ``TOTP_PENDING`` or ``TOTP_ON`` for a users row."""
    if user.get("totp_confirmed_at"):
        return TOTP_ON
    if user.get("totp_secret"):
        return TOTP_PENDING
    return TOTP_OFF


def totp_secret(user, key):
    """The plain second-factor secret of a users row (stored sealed), or None."""
    stored = user.get("totp_secret")
    return sealing.unseal(stored, key) if stored else None


def open_totp_secret(user, key):
    """The secret, or None when this key cannot open it (then no code can match)."""
    try:
        return totp_secret(user, key)
    except sealing.SealError:
        return None


def begin_totp(db, user_id, key):
    """Start enrolment with a new secret and return it; it counts once confirmed."""
    with db.atomic():
        if totp_state(get_user(db, user_id)) == TOTP_ON:
            raise AccountError("Tweestapsverificatie staat al aan.")
        secret = totp.new_secret()
        db.execute(
            "UPDATE users SET totp_secret = ?, totp_confirmed_at = NULL, totp_last_step = NULL"
            " WHERE id = ?",
            [sealing.seal(secret, key), user_id],
        )
    return secret


def seal_plain_totp_secrets(db, key):
    """Seal the secrets stored before sealing existed (once, at start)."""
    with db.atomic():
        for row in list(
            db.query("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL")
        ):
            if not sealing.is_sealed(row["totp_secret"]):
                db.execute(
                    "UPDATE users SET totp_secret = ? WHERE id = ? AND totp_secret = ?",
                    [sealing.seal(row["totp_secret"], key), row["id"], row["totp_secret"]],
                )


def cancel_totp(db, user_id):
    """Drop an enrolment that was not confirmed; a confirmed second factor stays."""
    db.execute(
        "UPDATE users SET totp_secret = NULL, totp_last_step = NULL"
        " WHERE id = ? AND totp_confirmed_at IS NULL",
        [user_id],
    )


def confirm_totp(db, user_id, code, key, *, keep_session=None):
    """Turn the second factor on when ``code`` fits the pending secret.

    Every session of the user but ``keep_session`` ends (they were opened with the
    password alone). Return whether it was confirmed.
    """
    user = get_user(db, user_id)
    if user is None or totp_state(user) != TOTP_PENDING:
        return False
    secret = open_totp_secret(user, key)
    step = totp.matching_step(secret, code) if secret else None
    if step is None:
        return False
    with db.atomic():
        cursor = db.execute(
            "UPDATE users SET totp_confirmed_at = ?, totp_last_step = ?"
            " WHERE id = ? AND totp_secret = ? AND totp_confirmed_at IS NULL",
            [_now(), step, user_id, user["totp_secret"]],
        )
        if cursor.rowcount != 1:
            return False
        end_sessions(db, user_id, keep=keep_session)
    return True


def verify_totp(db, user_id, code, key):
    """True when ``code`` is the user's current code and was not used before.

    The accepted step is stored in the same statement that checks it is newer, so two
    requests racing with one code cannot both succeed.
    """
    user = get_user(db, user_id)
    if user is None or totp_state(user) != TOTP_ON:
        return False
    secret = open_totp_secret(user, key)
    step = totp.matching_step(secret, code, after=user["totp_last_step"]) if secret else None
    if step is None:
        return False
    cursor = db.execute(
        "UPDATE users SET totp_last_step = ?"
        " WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
        [step, user_id, step],
    )
    return cursor.rowcount == 1


def disable_totp(db, user_id):
    """The user turns the second factor off (after proving a current code)."""
    db.execute(
        "UPDATE users SET totp_secret = NULL, totp_confirmed_at = NULL, totp_last_step = NULL"
        " WHERE id = ?",
        [user_id],
    )


def reset_totp(db, user_id):
    """An admin removes a user's second factor (a lost phone); their sessions end."""
    with db.atomic():
        disable_totp(db, user_id)
        end_sessions(db, user_id)


# Per-role settings


def totp_required_roles(db):
    """The roles whose users must use a second factor."""
    return {
        row["role"] for row in db.query("SELECT role FROM role_settings WHERE require_totp = 1")
    }


def totp_required(db, role):
    return role in totp_required_roles(db)


def set_totp_required(db, role, required):
    """Require the second factor for ``role`` or not.

    Requiring it ends the sessions of that role's users who have none, so that they
    set one up at their next login. Return their usernames.
    """
    check_role(role)
    with db.atomic():
        db.execute(
            "INSERT INTO role_settings (role, require_totp, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(role) DO UPDATE SET require_totp = excluded.require_totp,"
            " updated_at = excluded.updated_at",
            [role, 1 if required else 0, _now()],
        )
        if not required:
            return []
        missing = list(
            db.query(
                "SELECT id, username FROM users WHERE role = ? AND active"
                " AND totp_confirmed_at IS NULL ORDER BY username",
                [role],
            )
        )
        for row in missing:
            end_sessions(db, row["id"])
    return [row["username"] for row in missing]


# Administration of other users


def _other_user(db, user_id, acting_user_id, refusal):
    user = get_user(db, user_id)
    if user is None:
        raise LookupError(user_id)
    if user_id == acting_user_id:
        raise AccountError(refusal)
    return user


def set_active(db, user_id, active, *, by):
    """(De)activate a user. Deactivating ends their sessions and deletes their API
    tokens. Nobody deactivates themselves, so an admin always remains."""
    _other_user(db, user_id, by, "Je kunt je eigen account niet uitzetten.")
    with db.atomic():
        if active:
            db.execute("UPDATE users SET active = 1 WHERE id = ?", [user_id])
        else:
            db.execute("UPDATE users SET active = 0 WHERE id = ?", [user_id])
            db.execute("DELETE FROM api_tokens WHERE user_id = ?", [user_id])
            end_sessions(db, user_id)


def set_role(db, user_id, role, *, by):
    """Give a user another role. When the new role requires a second factor the user
    has not set up, their sessions end (they set it up at the next login). Return
    whether they did."""
    user = _other_user(db, user_id, by, "Je kunt je eigen rol niet wijzigen.")
    check_role(role)
    with db.atomic():
        db.execute("UPDATE users SET role = ? WHERE id = ?", [role, user_id])
        if totp_state(user) != TOTP_ON and totp_required(db, role):
            end_sessions(db, user_id)
            return True
    return False


def end_sessions_of(db, user_id, *, by):
    """An admin logs another user out everywhere; return how many sessions ended."""
    _other_user(db, user_id, by, "Je eigen sessies beëindig je op je profielpagina.")
    return end_sessions(db, user_id)


def reset_totp_of(db, user_id, *, by):
    """An admin resets another user's second factor (their own goes via the profile)."""
    _other_user(db, user_id, by, "Je eigen tweestapsverificatie zet je uit op je profielpagina.")
    reset_totp(db, user_id)
