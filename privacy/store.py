"""Consent history, team changes and what a family holds (every function takes ``db`` first)."""

from access import store as access_store
from access.policy import TEAM_FACILITATOR, TEAM_ROLES
from accounts.roles import ADMIN, ROLES
from core.clock import utc_now as _now
from privacy import retention
from privacy.consent import DECISIONS, SUBJECTS

# Same wording as access.store uses when the last facilitator would leave.
LAST_FACILITATOR = "Een gezin houdt minstens één facilitator."

# Who can join a team: everyone but admins, who see every family anyway.
TEAM_CANDIDATE_ROLES = tuple(role for role in ROLES if role != ADMIN)


# Consent ---------------------------------------------------------------------------


# Domains that keep something only while consent lasts (the library's de-identified
# copy) register here: ``function(db, family_id)`` runs after every recorded decision,
# in the same transaction, so a withdrawal takes effect at once.
CONSENT_LISTENERS = []


def on_consent_recorded(function):
    CONSENT_LISTENERS.append(function)
    return function


def record_consent(db, family_id, *, person_id, subject, decision, note=None, recorded_by=None):
    """Append one decision; nothing is ever changed, so the history stays whole."""
    if subject not in SUBJECTS or decision not in DECISIONS:
        raise ValueError(f"unknown subject or decision: {subject!r}, {decision!r}")
    with db.atomic():
        entry = (
            db.table("consents")
            .insert(
                {
                    "family_id": family_id,
                    "person_id": person_id,
                    "subject": subject,
                    "decision": decision,
                    "note": note,
                    "recorded_at": _now(),
                    "recorded_by": recorded_by,
                }
            )
            .last_pk
        )
        for listener in CONSENT_LISTENERS:
            listener(db, family_id)
    return entry


def consents(db, family_id):
    """The family's whole consent history, oldest first, with who recorded each entry."""
    return list(
        db.query(
            "SELECT c.id, c.person_id, c.subject, c.decision, c.note, c.recorded_at,"
            " c.recorded_by, u.username AS recorded_by_username,"
            " u.display_name AS recorded_by_name"
            " FROM consents c LEFT JOIN users u ON u.id = c.recorded_by"
            " WHERE c.family_id = ? ORDER BY c.recorded_at, c.id",
            [family_id],
        )
    )


# Team ------------------------------------------------------------------------------


def team_candidates(db, family_id):
    """Active users who can join the family's team and are not on it, by name."""
    marks = ", ".join("?" for _ in TEAM_CANDIDATE_ROLES)
    return list(
        db.query(
            "SELECT id, username, display_name, role FROM users"
            f" WHERE active AND role IN ({marks})"
            " AND id NOT IN (SELECT user_id FROM family_team WHERE family_id = ?)"
            " ORDER BY display_name COLLATE NOCASE, username COLLATE NOCASE",
            [*TEAM_CANDIDATE_ROLES, family_id],
        )
    )


def _check_team_role(role):
    if role not in TEAM_ROLES:
        raise access_store.TeamError("Kies facilitator of teamlid.")


def _facilitator_count(db, family_id):
    return next(
        db.query(
            "SELECT count(*) AS n FROM family_team WHERE family_id = ? AND team_role = ?",
            [family_id, TEAM_FACILITATOR],
        )
    )["n"]


def add_to_team(db, family_id, user_id, role, *, by=None):
    """Put an active, non-admin user on the team; return their users row."""
    _check_team_role(role)
    with db.atomic():
        rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
        user = rows[0] if rows else None
        if user is None or not user["active"] or user["role"] not in TEAM_CANDIDATE_ROLES:
            raise access_store.TeamError("Kies een actieve gebruiker uit de lijst.")
        if access_store.team_role(db, family_id, user_id) is not None:
            raise access_store.TeamError(f"{user['display_name']} staat al in het team.")
        access_store.add_member(db, family_id, user_id, role, by)
    return user


def change_team_role(db, family_id, user_id, role, *, by=None):
    """Change a member's team role; the last facilitator cannot become a teamlid."""
    _check_team_role(role)
    with db.atomic():
        current = access_store.team_role(db, family_id, user_id)
        if current is None:
            raise access_store.TeamError("Deze gebruiker staat niet (meer) in het team.")
        demoted = current == TEAM_FACILITATOR and role != TEAM_FACILITATOR
        if demoted and _facilitator_count(db, family_id) <= 1:
            raise access_store.TeamError(LAST_FACILITATOR)
        # add_member updates the role of someone already on the team.
        access_store.add_member(db, family_id, user_id, role, by)


def remove_from_team(db, family_id, user_id):
    """Take a member off the team (access.store refuses the last facilitator)."""
    if not access_store.remove_member(db, family_id, user_id):
        raise access_store.TeamError("Deze gebruiker staat niet (meer) in het team.")


# Ends of care (written by the triggers of privacy/migrations.py, never by hand) -------


def care_endings(db, family_id):
    """Every recorded end of the family's care, oldest first."""
    return list(
        db.query(
            "SELECT ended_on, outcome_date, event, recorded_at FROM care_endings"
            " WHERE family_id = ? ORDER BY ended_on, id",
            [family_id],
        )
    )


def care_ended(db, family_id):
    """The family's :class:`retention.CareEnded`, or None when its care never ended."""
    return retention.care_ended(row["ended_on"] for row in care_endings(db, family_id))


# What a family holds -------------------------------------------------------------

FOOTPRINT = (
    ("persons", "persoon", "personen", "SELECT count(*) FROM persons WHERE family_id = :id"),
    (
        "placements",
        "plaatsing",
        "plaatsingen",
        "SELECT count(*) FROM placements WHERE person_id IN"
        " (SELECT id FROM persons WHERE family_id = :id)",
    ),
    ("relations", "relatie", "relaties", "SELECT count(*) FROM relations WHERE family_id = :id"),
    (
        "network_members",
        "netwerklid",
        "netwerkleden",
        "SELECT count(*) FROM network_members WHERE family_id = :id",
    ),
    (
        "ties",
        "band in het netwerk",
        "banden in het netwerk",
        "SELECT count(*) FROM ties WHERE member_id IN"
        " (SELECT id FROM network_members WHERE family_id = :id)",
    ),
    (
        "solutions",
        "oplossing",
        "oplossingen",
        "SELECT count(*) FROM solutions WHERE family_id = :id",
    ),
    (
        "family_team",
        "teamlid",
        "teamleden",
        "SELECT count(*) FROM family_team WHERE family_id = :id",
    ),
    (
        "consents",
        "vastgelegde instemming",
        "vastgelegde instemmingen (met geschiedenis)",
        "SELECT count(*) FROM consents WHERE family_id = :id",
    ),
    (
        "care_endings",
        "vastgelegd einde van de hulp",
        "vastgelegde einden van de hulp",
        "SELECT count(*) FROM care_endings WHERE family_id = :id",
    ),
)


def footprint(db, family_id):
    """(table, Dutch label, row count) for every table that holds rows of the family."""
    found = []
    for table, one, many, sql in FOOTPRINT:
        count = db.execute(sql, {"id": family_id}).fetchone()[0]
        found.append((table, one if count == 1 else many, count))
    return found
