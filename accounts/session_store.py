"""Server-side browser sessions (every function takes ``db`` first).

The signed session cookie carries a random token; this table keeps only its hash, with
the user, when it started, when it was last seen, the address and the browser. A
session is valid while its row exists and it was seen within the idle timeout: ending
it is deleting the row, from any worker, at once.
"""

import hashlib
import secrets

# last_seen_at is written at most once a minute per session: the conference view
# polls every second per participant, and a write per request would queue them all.
TOUCH_INTERVAL_SECONDS = 60
ADDRESS_MAX = 64
BROWSER_MAX = 80


def _hash(token):
    # 256 random bits: a fast hash is enough, and lets us look the token up.
    return hashlib.sha256(token.encode()).hexdigest()


def start(db, user_id, now, *, address=None, browser=None):
    """Open a session for the user; return its token (for the cookie only)."""
    token = secrets.token_urlsafe(32)
    db.table("user_sessions").insert(
        {
            "token_hash": _hash(token),
            "user_id": user_id,
            "created_at": now,
            "last_seen_at": now,
            "address": (address or "")[:ADDRESS_MAX] or None,
            "browser": (browser or "")[:BROWSER_MAX] or None,
        }
    )
    return token


def find(db, token):
    """The session row of ``token`` (with the user's ``active``), or None."""
    return find_with_user(db, token)[0]


def find_with_user(db, token):
    """``(session row with the user's ``active``, user row)`` of ``token`` in one query
    (every request asks), or ``(None, None)``."""
    if not isinstance(token, str) or not token:
        return None, None
    cursor = db.conn.execute(
        "SELECT s.*, u.active, NULL AS user_starts_here, u.* FROM user_sessions s"
        " JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
        [_hash(token)],
    )
    names = [column[0] for column in cursor.description]
    row = cursor.fetchone()
    if row is None:
        return None, None
    split = names.index("user_starts_here")
    session = dict(zip(names[:split], row[:split], strict=True))
    user = dict(zip(names[split + 1 :], row[split + 1 :], strict=True))
    return session, user


def is_idle(session, now, idle_seconds):
    return now - session["last_seen_at"] > idle_seconds


def touch(db, session, now):
    """Note activity, but write only when the last note is a minute old or more."""
    if now - session["last_seen_at"] < TOUCH_INTERVAL_SECONDS:
        return
    db.execute(
        "UPDATE user_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
        [now, session["id"], now],
    )


def end(db, session_id, user_id=None):
    """End one session (only the user's own when ``user_id`` is given); return whether
    one ended."""
    if user_id is None:
        cursor = db.execute("DELETE FROM user_sessions WHERE id = ?", [session_id])
    else:
        cursor = db.execute(
            "DELETE FROM user_sessions WHERE id = ? AND user_id = ?", [session_id, user_id]
        )
    return cursor.rowcount > 0


def end_all(db, user_id, *, keep=None):
    """End every session of the user, except ``keep`` (a session id) when given;
    return how many ended."""
    cursor = db.execute(
        "DELETE FROM user_sessions WHERE user_id = ? AND id IS NOT ?", [user_id, keep]
    )
    return cursor.rowcount


def prune(db, now, idle_seconds):
    """Forget sessions that have been idle too long (their cookies no longer work)."""
    db.execute("DELETE FROM user_sessions WHERE last_seen_at < ?", [now - idle_seconds])


def active(db, user_id, now, idle_seconds):
    """The user's sessions that still work, the most recently seen first."""
    return list(
        db.query(
            "SELECT id, created_at, last_seen_at, address, browser FROM user_sessions"
            " WHERE user_id = ? AND last_seen_at >= ? ORDER BY last_seen_at DESC, id DESC",
            [user_id, now - idle_seconds],
        )
    )
