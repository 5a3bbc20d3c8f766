"""The library's catalogue: the de-identified cases and their solutions (entries),
search and facets, and what the finder reads of it (``db`` first)."""

import json
import re

from core.clock import utc_now as _now
from library.display import readable


def one_row(db, sql, params=()):
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


ENTRY_COLUMNS = (
    "e.id, e.case_id, e.position, e.title, e.summary, e.components, e.partners, e.problems,"
    " e.outcome, c.title AS case_title, c.goal, c.problems AS case_problems,"
    " c.partners AS case_partners, c.published_at,"
    " json_extract(c.document, '$.tags') AS tags"
)

SEARCH_LIMIT = 200


def _case_problems(document):
    problems = []
    for person in document.get("persons", []):
        for code in person.get("problems", []):
            if code not in problems:
                problems.append(code)
    return problems


def _case_partners(document):
    partners = []
    for member in document.get("network", []):
        if member.get("partner") and member["partner"] not in partners:
            partners.append(member["partner"])
    return partners


def _search_text(document, solution):
    parts = [
        document.get("title"),
        solution.get("summary"),
        " ".join(solution.get("components", [])),
        document.get("narrative"),
        document.get("child_perspective"),
        " ".join(i for p in document.get("persons", []) for i in p.get("interests", [])),
    ]
    # Searchable by the roles too: "vader" finds the text that says [PERSOON-3].
    tags = document.get("tags")
    return "\n".join(readable(part, tags) for part in parts if part)


def store_library_case(db, family_id, document, *, publication=None):
    """Store (or replace) the family's de-identified case and its solutions.

    Entries keep their ids by position, so a family that tried one of them still links
    to it after the source family is published again.
    """
    now = _now()
    row = {
        "family_id": family_id,
        "publication_id": publication["id"] if publication else None,
        "published_at": now,
        "published_by": publication["requested_by"] if publication else None,
        "title": document.get("title") or "Zonder titel",
        "goal": document.get("goal"),
        "problems": json.dumps(_case_problems(document)),
        "partners": json.dumps(_case_partners(document)),
        "document": json.dumps(document, ensure_ascii=False),
    }
    with db.atomic():
        existing = one_row(db, "SELECT id FROM library_cases WHERE family_id = ?", [family_id])
        if existing:
            case_id = existing["id"]
            db.table("library_cases").update(case_id, row)
        else:
            case_id = db.table("library_cases").insert(row).last_pk
        solutions = document.get("solutions", [])
        for position, solution in enumerate(solutions):
            entry = {
                "case_id": case_id,
                "position": position,
                "title": solution.get("title") or "Oplossing",
                "summary": solution.get("summary"),
                "components": json.dumps(solution.get("components", []), ensure_ascii=False),
                "partners": json.dumps(solution.get("partners", [])),
                "problems": json.dumps(solution.get("addresses", [])),
                "outcome": solution.get("outcome"),
                "search_text": _search_text(document, solution),
            }
            found = one_row(
                db,
                "SELECT id FROM library_entries WHERE case_id = ? AND position = ?",
                [case_id, position],
            )
            if found:
                db.table("library_entries").update(found["id"], entry)
            else:
                db.table("library_entries").insert(entry)
        db.execute(
            "DELETE FROM library_entries WHERE case_id = ? AND position >= ?",
            [case_id, len(solutions)],
        )
    return case_id


def library_case_for_family(db, family_id):
    return one_row(db, "SELECT * FROM library_cases WHERE family_id = ?", [family_id])


def entry_ids_for_family(db, family_id):
    return [
        row["id"]
        for row in db.query(
            "SELECT e.id FROM library_entries e JOIN library_cases c ON c.id = e.case_id"
            " WHERE c.family_id = ? ORDER BY e.position",
            [family_id],
        )
    ]


def _entry(row):
    entry = dict(row)
    for key in ("components", "partners", "problems", "case_problems", "case_partners"):
        if key in entry:
            entry[key] = json.loads(entry[key] or "[]")
    if "tags" in entry:
        entry["tags"] = json.loads(entry["tags"] or "{}")
    entry.pop("family_id", None)  # never leaves the store towards a library page
    return entry


def fts_query(text):
    """A safe FTS5 query from what someone typed: every word as a quoted prefix, ANDed."""
    words = re.findall(r"\w+", text or "")
    return " ".join(f'"{word}"*' for word in words[:20])


def search(
    db,
    q=None,
    *,
    problem=None,
    partner=None,
    component=None,
    outcome=None,
    goal=None,
    limit=SEARCH_LIMIT,
):
    """Library entries matching the search text and filters; best match (or newest) first."""
    where, params = [], {}
    query = fts_query(q)
    joins = ""
    order = "c.published_at DESC, c.title, e.position"
    if query:
        joins = " JOIN library_entries_fts f ON f.rowid = e.id"
        where.append("library_entries_fts MATCH :query")
        params["query"] = query
        order = "bm25(library_entries_fts), c.title, e.position"
    for column, value, key in (
        ("e.problems", problem, "problem"),
        ("e.partners", partner, "partner"),
        ("e.components", component, "component"),
    ):
        if value:
            where.append(f"EXISTS (SELECT 1 FROM json_each({column}) WHERE value = :{key})")
            params[key] = value
    if outcome:
        where.append("e.outcome = :outcome")
        params["outcome"] = outcome
    if goal:
        where.append("c.goal = :goal")
        params["goal"] = goal
    sql = (
        f"SELECT {ENTRY_COLUMNS} FROM library_entries e"
        " JOIN library_cases c ON c.id = e.case_id"
        + joins
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {order} LIMIT :limit"
    )
    params["limit"] = -1 if limit is None else limit
    return [_entry(row) for row in db.query(sql, params)]


def count_entries(db):
    return next(db.query("SELECT count(*) AS n FROM library_entries"))["n"]


def facets(db):
    """The values in use per filter, for the filter lists."""
    found = {"problem": set(), "partner": set(), "component": set(), "outcome": set(),
             "goal": set()}  # fmt: skip
    for row in db.query(
        "SELECT e.problems, e.partners, e.components, e.outcome, c.goal"
        " FROM library_entries e JOIN library_cases c ON c.id = e.case_id"
    ):
        found["problem"].update(json.loads(row["problems"]))
        found["partner"].update(json.loads(row["partners"]))
        found["component"].update(json.loads(row["components"]))
        if row["outcome"]:
            found["outcome"].add(row["outcome"])
        if row["goal"]:
            found["goal"].add(row["goal"])
    return {key: sorted(values) for key, values in found.items()}


def get_entry(db, entry_id):
    """One entry with its de-identified case (``document``); None if there is none."""
    row = one_row(
        db,
        f"SELECT {ENTRY_COLUMNS}, c.document FROM library_entries e"
        " JOIN library_cases c ON c.id = e.case_id WHERE e.id = ?",
        [entry_id],
    )
    if row is None:
        return None
    entry = _entry(row)
    entry["document"] = json.loads(entry["document"])
    return entry


def siblings(db, entry):
    """The other solutions of the same (de-identified) case."""
    return [
        _entry(row)
        for row in db.query(
            f"SELECT {ENTRY_COLUMNS} FROM library_entries e"
            " JOIN library_cases c ON c.id = e.case_id WHERE e.case_id = ? AND e.id != ?"
            " ORDER BY e.position",
            [entry["case_id"], entry["id"]],
        )
    ]


def published_marks(db):
    """``{library case id: (published_at, family_id)}``: what the finder's index compares
    with what it indexed."""
    return {
        row["id"]: (row["published_at"], row["family_id"])
        for row in db.query("SELECT id, published_at, family_id FROM library_cases")
    }


def published_documents(db, case_ids):
    """``[(library case id, de-identified document)]`` of these ids, by id."""
    ids = list(case_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = db.query(
        f"SELECT id, document FROM library_cases WHERE id IN ({marks}) ORDER BY id",  # noqa: S608
        ids,
    )
    return [(row["id"], json.loads(row["document"])) for row in rows]


def entry_ids_by_title(db, case_id):
    """The entries (solutions) of a library case: title -> entry id."""
    return {
        row["title"]: row["id"]
        for row in db.query(
            "SELECT id, title FROM library_entries WHERE case_id = ? ORDER BY position",
            [case_id],
        )
    }


def tags_of(db, case_id):
    """Which role each ``[PERSOON-n]`` of a library case stands for (for display)."""
    for row in db.query(
        "SELECT json_extract(document, '$.tags') AS tags FROM library_cases WHERE id = ?",
        [case_id],
    ):
        return json.loads(row["tags"] or "{}")
    return {}
