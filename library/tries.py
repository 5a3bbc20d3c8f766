"""We proberen dit: a family tries a library solution, as an action with an owner
(``db`` first)."""

from actions import store as actions_store
from core.clock import utc_now as _now
from library.display import readable


class TryError(ValueError):
    """A "we proberen dit" that cannot be stored; the message is Dutch."""


def try_entry(db, family_id, entry, *, owner, user_id, title=None, due=None):
    """Link a library solution to a family with an action; return the tried row's id."""
    default = readable(entry["title"], entry.get("tags"))
    title = title if (title or "").strip() else f"Proberen: {default}"
    with db.atomic():
        try:
            action_id = actions_store.create_action(
                db,
                family_id,
                title[: actions_store.MAX_TITLE],
                owner,
                due,
                source=f"library:{entry['id']}",
                user_id=user_id,
            )
        except actions_store.ActionError as error:
            raise TryError(str(error)) from error
        cursor = db.execute(
            "INSERT INTO library_tried (family_id, entry_id, entry_title, action_id, tried_by,"
            " tried_at) VALUES (?, ?, ?, ?, ?, ?)",
            [family_id, entry["id"], default, action_id, user_id, _now()],
        )
    return cursor.lastrowid


def tried_for(db, family_id):
    """What the family tries from the library: the solution, its action, who and when."""
    return list(
        db.query(
            "SELECT t.id, t.entry_id, t.entry_title, t.action_id, t.tried_at,"
            " u.username AS tried_by_username, u.display_name AS tried_by_name,"
            " a.title AS action_title, a.owner AS action_owner, a.due AS action_due,"
            " a.status AS action_status, e.outcome AS entry_outcome"
            " FROM library_tried t"
            " LEFT JOIN users u ON u.id = t.tried_by"
            " LEFT JOIN actions a ON a.id = t.action_id"
            " LEFT JOIN library_entries e ON e.id = t.entry_id"
            " WHERE t.family_id = ? ORDER BY t.tried_at, t.id",
            [family_id],
        )
    )
