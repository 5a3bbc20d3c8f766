"""The cohort from the database, and learned patterns ("wat we leren"). Database first."""

import json

from cases import store as cases_store
from conference import store as conference_store
from core.clock import utc_now as _now
from core.text import control_character
from patterns.records import family_record
from rules import store as rules_store

MAX_TEXT = 2000


class LearnedPatternError(ValueError):
    """A learned pattern that cannot be stored; ``problems`` maps field -> Dutch message."""

    def __init__(self, problems):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def load_cohort(db, ruleset, *, family_ids=None):
    """A record (``patterns.records.family_record``) for every stored family, or for
    the families with ``family_ids``; in the family list's order."""
    rows = cases_store.list_families(db, limit=None)
    if family_ids is not None:
        wanted = set(family_ids)
        rows = [row for row in rows if row["id"] in wanted]
    first_conference = {
        row["family_id"]: row["first"]
        for row in db.query(
            "SELECT family_id, MIN(held_on) AS first FROM conferences GROUP BY family_id"
        )
    }
    actions = {}
    for row in db.query("SELECT family_id, due, status, done_at FROM actions ORDER BY id"):
        actions.setdefault(row["family_id"], []).append(dict(row))
    records = []
    for row in rows:
        _, case = cases_store.load_family(db, row["code"])
        if case is None:  # erased in between
            continue
        decisions = [
            {"rule": rule, "decision": d["decision"], "reason": d["reason"]}
            for rule, d in rules_store.current_decisions(db, row["id"]).items()
        ]
        records.append(
            family_record(
                case,
                ruleset,
                family_id=row["id"],
                first_conference=first_conference.get(row["id"]),
                goal_scores=conference_store.goal_scores(db, row["id"]),
                actions=actions.get(row["id"], []),
                decisions=decisions,
                team_persons=rules_store.participants(db, row["id"]),
            )
        )
    return records


def regions(db):
    return cases_store.regions(db)


# Learned patterns ----------------------------------------------------------------------


# An entry's title is de-identified text with tags ("[PERSOON-2]"); its case's ``tags``
# say which role each person tag stands for, so the title reads "broer" as in the library.
ENTRY_TAGS = "json(coalesce(json_extract(c.document, '$.tags'), '{}'))"


def library_entries(db):
    """``[{id, title, tags}]`` of the (de-identified) library entries, to link a pattern
    to; ``tags`` as the library shows them (``library.display``)."""
    return [
        {**dict(row), "tags": json.loads(row["tags"])}
        for row in db.query(
            f"SELECT e.id, e.title, {ENTRY_TAGS} AS tags FROM library_entries e "
            "LEFT JOIN library_cases c ON c.id = e.case_id ORDER BY e.title, e.id"
        )
    ]


def check_learned(text, family_ids, entry_ids, known_families, known_entries):
    """Dutch messages per field (empty: fine). Ids arrive as strings from a form."""
    problems = {}
    text = " ".join((text or "").split())
    if not text:
        problems["text"] = "Schrijf op wat we leren."
    elif control_character(text):
        problems["text"] = "Deze tekst bevat een onzichtbaar stuurteken; verwijder het."
    elif len(text) > MAX_TEXT:
        problems["text"] = f"Hooguit {MAX_TEXT} tekens."

    def ids(values, known, field, message):
        found = []
        for value in values:
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = None
            if number is None or number not in known:
                problems[field] = message
                return []
            found.append(number)
        return sorted(set(found))

    families = ids(family_ids, known_families, "families", "Kies alleen gezinnen uit de lijst.")
    entries = ids(entry_ids, known_entries, "entries", "Kies alleen oplossingen uit de lijst.")
    return problems, text, families, entries


def add_learned(db, text, family_ids, entry_ids, user_id, *, known_families, known_entries):
    """Store a learned pattern with its links (one transaction); LearnedPatternError
    with Dutch messages when something is wrong, and then nothing is stored."""
    problems, text, families, entries = check_learned(
        text, family_ids, entry_ids, set(known_families), set(known_entries)
    )
    if problems:
        raise LearnedPatternError(problems)
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO learned_patterns (text, created_by, created_at) VALUES (?, ?, ?)",
            [text, user_id, _now()],
        )
        pattern_id = cursor.lastrowid
        for family_id in families:
            db.execute(
                "INSERT INTO learned_pattern_families (pattern_id, family_id) VALUES (?, ?)",
                [pattern_id, family_id],
            )
        for entry_id in entries:
            db.execute(
                "INSERT INTO learned_pattern_entries (pattern_id, entry_id) VALUES (?, ?)",
                [pattern_id, entry_id],
            )
    return pattern_id


def learned_patterns(db):
    """Every learned pattern, newest first, with who wrote it and what it links to
    (family ids and titles, library entry ids, titles and tags)."""
    rows = list(
        db.query(
            "SELECT p.id, p.text, p.created_at, u.display_name AS author, "
            "u.username AS author_username, "
            "(SELECT json_group_array(json_array(f.id, f.title)) FROM learned_pattern_families"
            " l JOIN families f ON f.id = l.family_id WHERE l.pattern_id = p.id) AS families, "
            f"(SELECT json_group_array(json_array(e.id, e.title, {ENTRY_TAGS})) FROM "
            "learned_pattern_entries l JOIN library_entries e ON e.id = l.entry_id "
            "LEFT JOIN library_cases c ON c.id = e.case_id WHERE l.pattern_id = p.id) AS entries "
            "FROM learned_patterns p LEFT JOIN users u ON u.id = p.created_by "
            "ORDER BY p.created_at DESC, p.id DESC"
        )
    )
    found = []
    for row in rows:
        item = dict(row)
        item["author"] = item["author"] or item.pop("author_username") or "onbekend"
        item.pop("author_username", None)
        item["families"] = [{"id": i, "title": t} for i, t in json.loads(row["families"])]
        item["entries"] = [
            {"id": i, "title": t, "tags": tags} for i, t, tags in json.loads(row["entries"])
        ]
        found.append(item)
    return found


def load_family_ids(db):
    """The ids of every stored family (what a learned pattern may link to)."""
    return {row["id"] for row in db.query("SELECT id FROM families")}
