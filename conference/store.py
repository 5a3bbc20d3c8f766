"""Conferences in the database: the conference, its participants, notes, goals and
decisions. Database first; every change raises the conference's version (the live
screens poll it). Edits that carry a version are refused when it is stale."""

from actions import store as actions_store
from conference import agenda as agenda_module
from conference.model import StaleEdit
from core.clock import utc_now as _now


def _one(db, sql, args):
    rows = list(db.query(sql, args))
    return rows[0] if rows else None


def _touch(db, conference_id):
    db.execute("UPDATE conferences SET version = version + 1 WHERE id = ?", [conference_id])


def create_conference(db, family_id, held_on, facilitator_id, agenda=None, purpose=None):
    """A new open conference at its opening step; returns its id."""
    keys = agenda_module.check_agenda(agenda or agenda_module.DEFAULT_AGENDA)
    cursor = db.execute(
        "INSERT INTO conferences (family_id, held_on, facilitator_id, agenda, step, purpose, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [family_id, held_on, facilitator_id, ",".join(keys), keys[0], purpose, _now()],
    )
    return cursor.lastrowid


def get_conference(db, family_id, conference_id):
    """The conference row (``agenda`` as a tuple of keys) or None."""
    row = _one(
        db,
        "SELECT c.*, u.display_name AS facilitator_name FROM conferences c "
        "LEFT JOIN users u ON u.id = c.facilitator_id WHERE c.family_id = ? AND c.id = ?",
        [family_id, conference_id],
    )
    if row is None:
        return None
    row = dict(row)
    row["agenda"] = tuple(row["agenda"].split(","))
    return row


def version_of(db, conference_id):
    row = _one(db, "SELECT version FROM conferences WHERE id = ?", [conference_id])
    return row["version"] if row else None


def state_of(db, conference_id, family_id=None):
    """What a screen compares to see whether it must redraw: the conference's version,
    the family's (an edit of the genogram), and the family's decisions on signals and
    actions (accepted in the meeting, tried from the library). One indexed read each;
    None when there is no such conference (of the family ``family_id``, when given)."""
    row = _one(
        db,
        "SELECT c.version AS conference, f.version AS family, "
        "(SELECT COUNT(*) FROM signal_decisions d WHERE d.family_id = c.family_id) AS decisions, "
        "(SELECT COUNT(*) || '-' || COALESCE(MAX(a.id), 0) || '-' || "
        " SUM(a.status = 'done') FROM actions a WHERE a.family_id = c.family_id) AS actions "
        "FROM conferences c JOIN families f ON f.id = c.family_id "
        "WHERE c.id = ? AND (? IS NULL OR c.family_id = ?)",
        [conference_id, family_id, family_id],
    )
    if row is None:
        return None
    return f"{row['conference']}.{row['family']}.{row['decisions']}.{row['actions']}"


def conferences_of(db, family_id):
    """The family's conferences, newest first."""
    return list(
        db.query(
            "SELECT * FROM conferences WHERE family_id = ? ORDER BY held_on DESC, id DESC",
            [family_id],
        )
    )


def set_step(db, conference_id, step):
    with db.atomic():
        db.execute("UPDATE conferences SET step = ? WHERE id = ?", [step, conference_id])
        _touch(db, conference_id)


def set_agenda(db, conference_id, keys, current_step):
    keys = agenda_module.check_agenda(keys)
    step = current_step if current_step in keys else keys[0]
    with db.atomic():
        db.execute(
            "UPDATE conferences SET agenda = ?, step = ? WHERE id = ?",
            [",".join(keys), step, conference_id],
        )
        _touch(db, conference_id)


def update_fields(db, conference_id, expected_version, **fields):
    """Change fields of the conference itself, only on the version the form was loaded
    with (StaleEdit otherwise): purpose, consent, scale, summary, next date, status."""
    allowed = {
        "purpose", "consent_recorded", "consent_note", "consent_by", "consent_at",
        "worries_scale", "summary", "next_date", "status", "closed_at",
    }  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    with db.atomic():
        cursor = db.execute(
            f"UPDATE conferences SET {assignments}, version = version + 1 "  # noqa: S608 (names checked above)
            "WHERE id = ? AND version = ?",
            [*fields.values(), conference_id, expected_version],
        )
        if cursor.rowcount != 1:
            raise StaleEdit()


# Participants -----------------------------------------------------------------------


def participants(db, conference_id):
    return list(
        db.query(
            "SELECT * FROM conference_participants WHERE conference_id = ? ORDER BY id",
            [conference_id],
        )
    )


def add_participant(db, conference_id, participant):
    with db.atomic():
        db.execute(
            "INSERT INTO conference_participants (conference_id, name, role, partner, present, "
            "in_team) VALUES (?, ?, ?, ?, ?, ?)",
            [conference_id, participant["name"], participant["role"], participant["partner"],
             int(participant["present"]), int(participant["in_team"])],
        )  # fmt: skip
        _touch(db, conference_id)


def set_presence(db, conference_id, participant_id, present):
    with db.atomic():
        cursor = db.execute(
            "UPDATE conference_participants SET present = ? WHERE conference_id = ? AND id = ?",
            [int(present), conference_id, participant_id],
        )
        _touch(db, conference_id)
    return cursor.rowcount == 1


def remove_participant(db, conference_id, participant_id):
    with db.atomic():
        cursor = db.execute(
            "DELETE FROM conference_participants WHERE conference_id = ? AND id = ?",
            [conference_id, participant_id],
        )
        _touch(db, conference_id)
    return cursor.rowcount == 1


# Notes -------------------------------------------------------------------------------


def notes(db, conference_id):
    """``{kind: [note rows]}`` in the order they were typed."""
    found = {}
    for row in db.query(
        "SELECT n.*, u.display_name AS author FROM conference_notes n "
        "LEFT JOIN users u ON u.id = n.author_id WHERE n.conference_id = ? ORDER BY n.id",
        [conference_id],
    ):
        found.setdefault(row["kind"], []).append(row)
    return found


def get_note(db, conference_id, note_id):
    return _one(
        db,
        "SELECT * FROM conference_notes WHERE conference_id = ? AND id = ?",
        [conference_id, note_id],
    )


def add_note(db, conference_id, note, author_id):
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO conference_notes (conference_id, kind, text, author_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [conference_id, note["kind"], note["text"], author_id, _now()],
        )
        _touch(db, conference_id)
    return cursor.lastrowid


def update_note(db, conference_id, note_id, text, expected_version):
    """Change a note's text, only on the version it was loaded with (StaleEdit with
    the current note otherwise)."""
    with db.atomic():
        cursor = db.execute(
            "UPDATE conference_notes SET text = ?, version = version + 1 "
            "WHERE conference_id = ? AND id = ? AND version = ?",
            [text, conference_id, note_id, expected_version],
        )
        if cursor.rowcount != 1:
            raise StaleEdit(get_note(db, conference_id, note_id))
        _touch(db, conference_id)


def remove_note(db, conference_id, note_id, expected_version):
    with db.atomic():
        cursor = db.execute(
            "DELETE FROM conference_notes WHERE conference_id = ? AND id = ? AND version = ?",
            [conference_id, note_id, expected_version],
        )
        if cursor.rowcount != 1:
            raise StaleEdit(get_note(db, conference_id, note_id))
        _touch(db, conference_id)


# Parents' goals ----------------------------------------------------------------------


def goals(db, family_id):
    return list(db.query("SELECT * FROM parent_goals WHERE family_id = ? ORDER BY id", [family_id]))


def add_goal(db, family_id, person_id, goal, conference_id=None):
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO parent_goals (family_id, person_id, goal, created_at) VALUES (?, ?, ?, ?)",
            [family_id, person_id, goal, _now()],
        )
        if conference_id:
            _touch(db, conference_id)
    return cursor.lastrowid


def score_goal(db, goal_id, conference_id, score):
    """Score a goal in this conference (again: the new score replaces the old one)."""
    with db.atomic():
        db.execute(
            "INSERT INTO goal_scores (goal_id, conference_id, score) VALUES (?, ?, ?) "
            "ON CONFLICT (goal_id, conference_id) DO UPDATE SET score = excluded.score",
            [goal_id, conference_id, score],
        )
        _touch(db, conference_id)


def goal_scores(db, family_id):
    """``{goal id: [{"held_on", "score", "conference_id"}]}`` across the conferences."""
    found = {}
    for row in db.query(
        "SELECT s.goal_id, s.score, s.conference_id, c.held_on FROM goal_scores s "
        "JOIN conferences c ON c.id = s.conference_id JOIN parent_goals g ON g.id = s.goal_id "
        "WHERE g.family_id = ? ORDER BY c.held_on, c.id",
        [family_id],
    ):
        found.setdefault(row["goal_id"], []).append(dict(row))
    return found


# Decisions (actions made in the conference) --------------------------------------------


def add_decision(db, family_id, conference_id, decision, user_id):
    with db.atomic():
        action_id = actions_store.create_action(
            db, family_id, decision["title"], decision["owner"], decision["due"],
            source=f"conference:{conference_id}", user_id=user_id,
        )  # fmt: skip
        db.execute(
            "UPDATE actions SET conference_id = ?, lead = ?, evaluate_on = ?, fallback = ? "
            "WHERE id = ?",
            [conference_id, decision["lead"], decision["evaluate_on"], decision["fallback"],
             action_id],
        )  # fmt: skip
        _touch(db, conference_id)
    return action_id


def decisions(db, conference_id):
    return list(
        db.query("SELECT * FROM actions WHERE conference_id = ? ORDER BY id", [conference_id])
    )


def close(db, conference_id, expected_version, summary, next_date):
    update_fields(
        db, conference_id, expected_version, summary=summary, next_date=next_date,
        status="closed", closed_at=_now(),
    )  # fmt: skip
