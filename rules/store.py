"""The rules' data in the database: participants and decisions. Database first."""

from actions import store as actions_store
from core.clock import utc_now as _now
from core.text import control_character

DISMISS_REASONS = {
    "not_applicable": "niet van toepassing op dit gezin",
    "already_arranged": "al geregeld buiten het netwerk om",
    "family_declines": "het gezin wil dit (nu) niet",
    "wrong_data": "de gegevens kloppen niet",
    "later": "later oppakken",
    "other": "anders",
}


class DecisionError(ValueError):
    """A decision that cannot be stored; the message is Dutch, for the user."""


def participants(db, family_id):
    """The person ids of the family who take part in its team (their ``in_team``)."""
    return {
        row["local_id"]
        for row in db.query(
            "SELECT local_id FROM persons WHERE family_id = ? AND in_team = 1", [family_id]
        )
    }


def participants_by_family(db):
    """``{family id: set of person ids}`` for every family with team persons."""
    found = {}
    for row in db.query("SELECT family_id, local_id FROM persons WHERE in_team = 1"):
        found.setdefault(row["family_id"], set()).add(row["local_id"])
    return found


def set_participants(db, family_id, person_ids):
    """Replace who of the family takes part in the team: the persons' ``in_team`` in the
    case, saved as an edit of the case (a new version), in one transaction."""
    from cases import store as cases_store

    chosen = set(person_ids)
    with db.atomic():
        code = db.execute("SELECT code FROM families WHERE id = ?", [family_id]).fetchone()[0]
        family, case = cases_store.load_family(db, code)
        if {p["id"] for p in case["persons"] if p["in_team"]} == chosen:
            return
        for person in case["persons"]:
            person["in_team"] = person["id"] in chosen
        cases_store.save_case(db, case, expected_version=family["version"])


def current_decisions(db, family_id):
    """``{rule id: the newest decision row}`` of a family (with the action, if any)."""
    rows = db.query(
        "SELECT d.*, u.username AS decided_by_username, u.display_name AS decided_by_name, "
        "a.title AS action_title, a.owner AS action_owner, a.due AS action_due, "
        "a.status AS action_status "
        "FROM signal_decisions d LEFT JOIN users u ON u.id = d.decided_by "
        "LEFT JOIN actions a ON a.id = d.action_id "
        "WHERE d.family_id = ? ORDER BY d.id",
        [family_id],
    )
    return {row["rule_id"]: row for row in rows}


def decisions(db, family_id):
    """Every decision of a family, oldest first (for the export)."""
    return list(
        db.query(
            "SELECT d.rule_id, d.rule_version, d.fingerprint, d.decision, d.reason, d.note, "
            "d.action_id, u.username AS decided_by, d.decided_at FROM signal_decisions d "
            "LEFT JOIN users u ON u.id = d.decided_by WHERE d.family_id = ? ORDER BY d.id",
            [family_id],
        )
    )


def accept(db, family_id, signal, *, title, owner, due, user_id):
    """Accept a signal: an action with an owner, and the decision, in one transaction."""
    with db.atomic():
        try:
            action_id = actions_store.create_action(
                db, family_id, title, owner, due, source=f"rule:{signal['rule']}", user_id=user_id
            )
        except actions_store.ActionError as error:
            raise DecisionError(str(error)) from error
        _record(db, family_id, signal, "accepted", None, None, action_id, user_id)
    return action_id


def dismiss(db, family_id, signal, *, reason, note, user_id):
    """Dismiss a signal with a reason from DISMISS_REASONS (and a note for "other")."""
    if reason not in DISMISS_REASONS:
        raise DecisionError("Kies een reden.")
    note = " ".join((note or "").split()) or None
    if reason == "other" and not note:
        raise DecisionError("Schrijf bij 'anders' kort waarom.")
    if note and len(note) > 500:
        raise DecisionError("De toelichting is hooguit 500 tekens.")
    if note and control_character(note):
        raise DecisionError("De toelichting bevat een onzichtbaar stuurteken; verwijder het.")
    with db.atomic():
        _record(db, family_id, signal, "dismissed", reason, note, None, user_id)


def _record(db, family_id, signal, decision, reason, note, action_id, user_id):
    db.execute(
        "INSERT INTO signal_decisions (family_id, rule_id, rule_version, fingerprint, decision, "
        "reason, note, action_id, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [family_id, signal["rule"], signal["version"], signal["fingerprint"], decision, reason,
         note, action_id, user_id, _now()],
    )  # fmt: skip


def decision_counts(db):
    """``{rule id: {"accepted": n, "dismissed": n}}`` over every decision ever made."""
    counts = {}
    for row in db.query(
        "SELECT rule_id, decision, COUNT(*) AS n FROM signal_decisions GROUP BY rule_id, decision"
    ):
        counts.setdefault(row["rule_id"], {"accepted": 0, "dismissed": 0})[row["decision"]] = row[
            "n"
        ]
    return counts


def dismissal_reasons(db):
    """``{rule id: {reason: n}}`` of the dismissals, so weak rules show why."""
    found = {}
    for row in db.query(
        "SELECT rule_id, reason, COUNT(*) AS n FROM signal_decisions "
        "WHERE decision = 'dismissed' GROUP BY rule_id, reason"
    ):
        found.setdefault(row["rule_id"], {})[row["reason"]] = row["n"]
    return found
