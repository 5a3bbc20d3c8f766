"""The signals of a stored family, with what the team decided about them.

Joins the pure parts (facts, engine) to the database (participants, decisions): the
one place the family page, the conference, the CLI and the API get signals from.
"""

import copy
import datetime
import threading

from cases import store as cases_store
from genogram.core import is_large
from rules import store
from rules.engine import evaluate
from rules.facts import family_facts


def signals_for_case(ruleset, case, *, team_persons=(), table=((), ())):
    """The signals of a canonical case (no decisions): list of dicts, most severe first.
    ``table``: the partner codes and names present at the latest conference."""
    names = {p["id"]: p["name"] or p["id"] for p in case["persons"]}
    facts = family_facts(
        case,
        team_persons=team_persons,
        table_partners=table[0],
        table_names=table[1],
    )
    return evaluate(ruleset, facts, names)


def latest_tables(db):
    """``{family id: (partner codes, names)}`` of the latest conference of every family
    that had one, in one query (the catalogue counts across all families)."""
    found = {}
    rows = db.query(
        "SELECT c.family_id, p.name, p.partner FROM conferences c "
        "JOIN conference_participants p ON p.conference_id = c.id AND p.present = 1 "
        "WHERE c.id = (SELECT c2.id FROM conferences c2 WHERE c2.family_id = c.family_id "
        "ORDER BY c2.held_on DESC, c2.id DESC LIMIT 1) ORDER BY p.id"
    )
    for row in rows:
        partners, names = found.setdefault(row["family_id"], (set(), []))
        if row["partner"]:
            partners.add(row["partner"])
        if row["name"]:
            names.append(row["name"])
    return {key: (tuple(sorted(p)), tuple(n)) for key, (p, n) in found.items()}


def latest_table(db, family_id):
    """``(partner codes, names)`` of those present at the family's latest conference:
    who sat at the table last time. Empty before the first conference."""
    row = db.execute(
        "SELECT id FROM conferences WHERE family_id = ? ORDER BY held_on DESC, id DESC LIMIT 1",
        [family_id],
    ).fetchone()
    if row is None:
        return ((), ())
    present = list(
        db.query(
            "SELECT name, partner FROM conference_participants "
            "WHERE conference_id = ? AND present = 1 ORDER BY id",
            [row[0]],
        )
    )
    return (
        tuple(sorted({p["partner"] for p in present if p["partner"]})),
        tuple(p["name"] for p in present if p["name"]),
    )


def _status(signal, decision):
    """open, accepted or dismissed. A dismissal only holds for the same rule version and
    the same facts; an acceptance holds while the signal fires (its action is tracked)."""
    if decision is None:
        return "open"
    if decision["decision"] == "accepted":
        return "accepted"
    same = (decision["rule_version"], decision["fingerprint"]) == (
        signal["version"],
        signal["fingerprint"],
    )
    return "dismissed" if same else "open"


# The signals of large families (``genogram.core``), remembered by what they depend on
# as below: their facts take a large family a quarter of a second, at every page view.
_LARGE_MAX = 32
_large = {}
_large_lock = threading.Lock()


def _signals_of(ruleset, family, case, team, table):
    if not is_large(case):
        return signals_for_case(ruleset, case, team_persons=team, table=table)
    key = (
        id(ruleset),
        family["id"],
        family["version"],
        family["updated_at"],
        frozenset(team),
        table,
        datetime.date.today(),
    )
    with _large_lock:
        found = _large.get(key)
    if found is None or found[0] is not ruleset:
        found = (ruleset, signals_for_case(ruleset, case, team_persons=team, table=table))
        with _large_lock:
            if len(_large) >= _LARGE_MAX:
                _large.clear()
            _large[key] = found
    return copy.deepcopy(found[1])  # callers add status, decision and forms


def family_signals(db, ruleset, family, case):
    """The signals of a stored family, each with ``status`` and ``decision`` (or None)."""
    signals = _signals_of(
        ruleset, family, case, store.participants(db, family["id"]), latest_table(db, family["id"])
    )
    decided = store.current_decisions(db, family["id"])
    for signal in signals:
        decision = decided.get(signal["rule"])
        signal["status"] = _status(signal, decision)
        signal["decision"] = _decision_data(decision) if signal["status"] != "open" else None
    return signals


def _decision_data(row):
    return {
        "decision": row["decision"],
        "reason": row["reason"],
        "note": row["note"],
        "decided_by": row["decided_by_name"] or row["decided_by_username"],
        "decided_at": row["decided_at"],
        "action": None
        if row["action_id"] is None
        else {
            "id": row["action_id"],
            "title": row["action_title"],
            "owner": row["action_owner"],
            "due": row["action_due"],
            "status": row["action_status"],
        },
    }


# The rules that fire per family, remembered by what they depend on: the family's
# version and last save (every saved edit changes them), its participants, the day
# (ages) and the rule set. The catalogue then recounts only the families that changed.
_REMEMBERED_MAX = 50_000
_remembered = {"ruleset": None, "fired": {}}
_remembered_lock = threading.Lock()


def fired_across_families(db, ruleset, families, today=None):
    """``{rule id: number of families it fires for}`` over ``families`` (rows of
    ``list_families``: ``id``, ``code``, ``version``, ``updated_at``). Counts only: no
    family is named."""
    today = today or datetime.date.today()
    with _remembered_lock:
        if _remembered["ruleset"] is not ruleset:
            _remembered["ruleset"], _remembered["fired"] = ruleset, {}
        memory = _remembered["fired"]
    teams = store.participants_by_family(db)  # one query, not one per family
    tables = latest_tables(db)
    counts = {}
    for row in families:
        team = frozenset(teams.get(row["id"], ()))
        table = tables.get(row["id"], ((), ()))
        # The time of the last save too: an id can come back after an erasure.
        key = (row["id"], row["version"], row["updated_at"], team, table, today)
        rules = memory.get(key)
        if rules is None:
            _, case = cases_store.load_family(db, row["code"])
            if case is None:  # erased meanwhile
                continue
            signals = signals_for_case(ruleset, case, team_persons=team, table=table)
            rules = tuple(s["rule"] for s in signals)
            if len(memory) >= _REMEMBERED_MAX:
                memory.clear()
            memory[key] = rules
        for rule in rules:
            counts[rule] = counts.get(rule, 0) + 1
    return counts
