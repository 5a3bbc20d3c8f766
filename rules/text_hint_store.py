"""The text hints the team set aside, per family and problem. Database first."""

from core.clock import utc_now as _now


def dismissed(db, family_id):
    """The problem codes whose text hint this family's team set aside."""
    return {
        row["problem"]
        for row in db.query(
            "SELECT problem FROM text_hint_dismissals WHERE family_id = ?", [family_id]
        )
    }


def dismiss(db, family_id, problem, user_id):
    """Set the hint aside ("niet van toepassing"); again is harmless."""
    with db.atomic():
        db.execute(
            "INSERT OR IGNORE INTO text_hint_dismissals "
            "(family_id, problem, dismissed_by, dismissed_at) VALUES (?, ?, ?, ?)",
            [family_id, problem, user_id, _now()],
        )


def dismissals(db, family_id):
    """Every dismissal of a family, for its privacy export."""
    return [
        dict(row)
        for row in db.query(
            "SELECT d.problem, u.username AS dismissed_by, d.dismissed_at "
            "FROM text_hint_dismissals d LEFT JOIN users u ON u.id = d.dismissed_by "
            "WHERE d.family_id = ? ORDER BY d.problem",
            [family_id],
        )
    ]
