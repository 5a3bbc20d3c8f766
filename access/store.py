"""Family teams in the database (every function takes ``db`` first)."""

from access.policy import TEAM_FACILITATOR, TEAM_ROLES
from core.clock import utc_now as _now


class TeamError(ValueError):
    """A team change that cannot be made; the message is Dutch, for the user."""


def team_role(db, family_id, user_id):
    """The user's role on the family's team, or None."""
    rows = list(
        db.query(
            "SELECT team_role FROM family_team WHERE family_id = ? AND user_id = ?",
            [family_id, user_id],
        )
    )
    return rows[0]["team_role"] if rows else None


def team(db, family_id):
    """The family's team with each member's account details, facilitators first."""
    return list(
        db.query(
            "SELECT u.id, u.username, u.display_name, u.role, t.team_role, t.added_at"
            " FROM family_team t JOIN users u ON u.id = t.user_id"
            " WHERE t.family_id = ? ORDER BY t.team_role != ?, u.display_name",
            [family_id, TEAM_FACILITATOR],
        )
    )


def family_ids_of(db, user_id):
    """Ids of the families on whose team the user is."""
    return {
        row["family_id"]
        for row in db.query("SELECT family_id FROM family_team WHERE user_id = ?", [user_id])
    }


def add_member(db, family_id, user_id, role, added_by=None):
    """Put a user on a family's team (or change their team role)."""
    if role not in TEAM_ROLES:
        raise TeamError("Kies facilitator of teamlid.")
    with db.atomic():
        if role != TEAM_FACILITATOR and team_role(db, family_id, user_id) == TEAM_FACILITATOR:
            _keep_a_facilitator(db, family_id)
        _upsert_member(db, family_id, user_id, role, added_by)


def _keep_a_facilitator(db, family_id):
    """Refuse to take away the family's last facilitator."""
    count = next(
        db.query(
            "SELECT count(*) AS n FROM family_team WHERE family_id = ? AND team_role = ?",
            [family_id, TEAM_FACILITATOR],
        )
    )["n"]
    if count <= 1:
        raise TeamError("Een gezin houdt minstens één facilitator.")


def _upsert_member(db, family_id, user_id, role, added_by):
    db.execute(
        "INSERT INTO family_team (family_id, user_id, team_role, added_at, added_by)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (family_id, user_id) DO UPDATE SET team_role = excluded.team_role",
        [family_id, user_id, role, _now(), added_by],
    )


def remove_member(db, family_id, user_id):
    """Take a user off the team; the last facilitator cannot leave."""
    with db.atomic():
        role = team_role(db, family_id, user_id)
        if role is None:
            return False
        if role == TEAM_FACILITATOR:
            _keep_a_facilitator(db, family_id)
        db.execute(
            "DELETE FROM family_team WHERE family_id = ? AND user_id = ?", [family_id, user_id]
        )
        return True
