"""Actions of a family: create, list, mark done. The database comes first."""

import datetime

from core.clock import utc_now as _now
from core.text import control_character

MAX_TITLE = 300
CONTROL_MESSAGE = "Deze tekst bevat een onzichtbaar stuurteken; verwijder het."
MAX_OWNER = 120


class ActionError(ValueError):
    """An action that cannot be stored; the message is Dutch, for the user."""


def check_action(title, owner, due):
    """Dutch messages per field for an action that cannot be stored (empty: fine)."""
    problems = {}
    if not (title or "").strip():
        problems["title"] = "Vul in wat er moet gebeuren."
    elif len(title) > MAX_TITLE:
        problems["title"] = f"Hooguit {MAX_TITLE} tekens."
    elif control_character(title):
        problems["title"] = CONTROL_MESSAGE
    if not (owner or "").strip():
        problems["owner"] = "Vul in wie dit oppakt."
    elif control_character(owner):
        problems["owner"] = CONTROL_MESSAGE
    elif len(owner) > MAX_OWNER:
        problems["owner"] = f"Hooguit {MAX_OWNER} tekens."
    if due:
        try:
            datetime.date.fromisoformat(due)
        except ValueError:
            problems["due"] = "Vul een datum in als 2026-12-31."
    return problems


def create_action(db, family_id, title, owner, due=None, *, source=None, user_id=None):
    """Store a new open action and return its id; ActionError when a field is wrong."""
    problems = check_action(title, owner, due)
    if problems:
        raise ActionError(" ".join(problems.values()))
    cursor = db.execute(
        "INSERT INTO actions (family_id, title, owner, due, source, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [family_id, " ".join(title.split()), " ".join(owner.split()), due or None, source,
         user_id, _now()],
    )  # fmt: skip
    return cursor.lastrowid


def actions_for(db, family_id):
    """The family's actions: open ones first (by due date), then the done ones."""
    return list(
        db.query(
            "SELECT a.*, u.username AS created_by_username FROM actions a "
            "LEFT JOIN users u ON u.id = a.created_by WHERE a.family_id = ? "
            "ORDER BY a.status = 'done', a.due IS NULL, a.due, a.id",
            [family_id],
        )
    )


def get_action(db, family_id, action_id):
    rows = list(
        db.query("SELECT * FROM actions WHERE family_id = ? AND id = ?", [family_id, action_id])
    )
    return rows[0] if rows else None


def set_done(db, family_id, action_id, done=True):
    """Mark an action done (or open again); False when the family has no such action."""
    cursor = db.execute(
        "UPDATE actions SET status = ?, done_at = ? WHERE family_id = ? AND id = ?",
        ["done" if done else "open", _now() if done else None, family_id, action_id],
    )
    return cursor.rowcount == 1
