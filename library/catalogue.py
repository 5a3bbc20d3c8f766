"""The library's catalogue: the de-identified cases and their solutions (entries),
search and facets, and what the finder reads of it (``db`` first)."""

import json

from cases import codes
from core.clock import utc_now as _now
from library import ranking
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
PAGE_SIZE = 20
COMMON_COMPONENTS = 25


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


def _index_entries(db):
    """The entries as the search index reads them, newest case first."""
    rows = db.query(
        "SELECT e.id, e.title, e.summary, e.components, e.partners, e.problems, e.outcome,"
        " e.search_text, c.goal, json_extract(c.document, '$.tags') AS tags"
        " FROM library_entries e JOIN library_cases c ON c.id = e.case_id"
        " ORDER BY c.published_at DESC, c.title, e.position"
    )
    for row in rows:
        tags = json.loads(row["tags"] or "{}")
        problems = tuple(json.loads(row["problems"]))
        partners = tuple(json.loads(row["partners"]))
        components = tuple(json.loads(row["components"]))
        # The Dutch labels of the codes are searched too: the filter's own words find
        # what the filter finds.
        labels = [codes.PROBLEMS.get(c, c) for c in problems]
        labels += [codes.PARTNERS.get(c, c) for c in partners]
        labels += [codes.SOLUTION_OUTCOMES.get(row["outcome"], ""), *components]
        yield ranking.Entry(
            id=row["id"],
            fields={
                "title": readable(row["title"], tags),
                "labels": "\n".join(labels),
                "summary": readable(row["summary"] or "", tags),
                "text": row["search_text"],
            },
            problems=problems,
            partners=partners,
            components=components,
            outcome=row["outcome"],
            goal=row["goal"],
        )


def library_version(db):
    """What changes whenever an entry does: publishing (again) stamps its case with a new
    ``published_at``; erasure and withdrawal delete cases and their entries."""
    cases = next(
        db.query(
            "SELECT count(*) AS n, max(published_at) AS last, total(id) AS ids FROM library_cases"
        )
    )
    entries = next(db.query("SELECT count(*) AS n, total(id) AS ids FROM library_entries"))
    return (cases["n"], cases["last"], cases["ids"], entries["n"], entries["ids"])


# (database file or in-memory connection) -> (version, index, connection): one index per
# library version, not per request. The connection is held so that its id is not reused.
_INDEXES = {}
MAX_INDEXES = 8


def search_index(db):
    """The :class:`library.ranking.SearchIndex` of the library as it is now: built once
    per library version (and process), then reused."""
    version = library_version(db)
    key = next(db.query("PRAGMA database_list"))["file"] or id(db.conn)
    cached = _INDEXES.get(key)
    if cached is None or cached[0] != version:
        held = None if isinstance(key, str) else db.conn
        cached = (version, ranking.SearchIndex(_index_entries(db)), held)
        _INDEXES.pop(key, None)
        while len(_INDEXES) >= MAX_INDEXES:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[key] = cached
    return cached[1]


def _entries_by_id(db, ids):
    """The entries of ``ids`` (with their case), in the order of ``ids``."""
    if not ids:
        return []
    rows = db.query(
        f"SELECT {ENTRY_COLUMNS} FROM library_entries e"
        " JOIN library_cases c ON c.id = e.case_id"
        " WHERE e.id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(list(ids))},
    )
    found = {row["id"]: _entry(row) for row in rows}
    return [found[i] for i in ids if i in found]


def search_page(db, q=None, *, start=0, stop=PAGE_SIZE, **filters):
    """``(entries, total)``: the entries ``start:stop`` of the search's ranking, and how
    many there are in all. ``filters``: ``problem``, ``partner``, ``component`` (any
    spelling), ``outcome``, ``goal``. An entry that matched only some of the words
    carries them as ``missing``."""
    hits = search_index(db).search(q, **filters)
    page = hits[start:stop]
    entries = _entries_by_id(db, [hit.id for hit in page])
    for entry, hit in zip(entries, page, strict=False):
        entry["missing"] = list(hit.missing)
    return entries, len(hits)


def search(db, q=None, *, limit=SEARCH_LIMIT, **filters):
    """Library entries matching the search text and filters; best match (or newest) first."""
    return search_page(db, q, stop=limit, **filters)[0]


def count_entries(db):
    return next(db.query("SELECT count(*) AS n FROM library_entries"))["n"]


def facets(db):
    """The values in use per filter, for the filter lists (components by key)."""
    return search_index(db).facets()


def component_choices(db, common=None, chosen=None):
    """``[(key, spelling, uses)]`` of the ``common`` (default ``COMMON_COMPONENTS``) most
    used components, by spelling; the chosen one (any spelling) too when not among them."""
    index = search_index(db)
    keys = index.common_components(common or COMMON_COMPONENTS)
    key = ranking.component_key(chosen) if chosen else None
    if key in index.component_names and key not in keys:
        keys.append(key)
    choices = [(k, index.component_names[k], index.component_counts[k]) for k in keys]
    return sorted(choices, key=lambda choice: choice[1].casefold())


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
