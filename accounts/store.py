"""Users and API tokens in the database (every function takes ``db`` first)."""

import datetime
import hashlib
import re
import secrets

from accounts import passwords
from accounts.roles import ROLES

USERNAME_PATTERN = re.compile(r"^[a-zA-Z0-9_.-]{2,64}$")
TOKEN_PREFIX = "mwt_"  # noqa: S105 (a public prefix, not a secret)


class AccountError(ValueError):
    """Bad input for an account; the message is Dutch, for the user."""


def _now():
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def create_user(db, username, password, role, display_name=None):
    """Create a user; raise :class:`AccountError` or ``WeakPassword`` on bad input."""
    if not isinstance(username, str) or not USERNAME_PATTERN.match(username):
        raise AccountError("Een gebruikersnaam heeft 2-64 letters, cijfers, '_', '.' of '-'.")
    if role not in ROLES:
        raise AccountError("Onbekende rol; kies uit: " + ", ".join(ROLES) + ".")
    passwords.check_policy(password)
    with db.atomic():
        if get_user_by_name(db, username):
            raise AccountError(f"De gebruiker '{username}' bestaat al.")
        return (
            db.table("users")
            .insert(
                {
                    "username": username,
                    "display_name": display_name or username,
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


def authenticate(db, username, password):
    """Return the active user whose password matches, or None."""
    user = get_user_by_name(db, username) if isinstance(username, str) else None
    if user is None or not user["active"]:
        passwords.verify_password(passwords.DUMMY_HASH, password or "")
        return None
    if not passwords.verify_password(user["password_hash"], password or ""):
        return None
    changes = {"last_login_at": _now()}
    if passwords.needs_rehash(user["password_hash"]):
        changes["password_hash"] = passwords.hash_password(password)
    db.table("users").update(user["id"], changes)
    return get_user(db, user["id"])


def change_password(db, user_id, new_password):
    """Set a new password and end every session and token of the user."""
    passwords.check_policy(new_password)
    with db.atomic():
        db.execute(
            "UPDATE users SET password_hash = ?, auth_epoch = auth_epoch + 1 WHERE id = ?",
            [passwords.hash_password(new_password), user_id],
        )
        db.execute("DELETE FROM api_tokens WHERE user_id = ?", [user_id])


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
    """Return the active user owning ``token``, or None."""
    if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
        return None
    rows = list(
        db.query(
            "SELECT u.*, t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id"
            " WHERE t.token_hash = ? AND u.active",
            [_token_hash(token)],
        )
    )
    if not rows:
        return None
    db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [_now(), rows[0]["token_id"]])
    return get_user(db, rows[0]["id"])
