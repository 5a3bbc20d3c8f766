"""The solution library: publications, de-identified cases and their solutions (``db`` first).

Publishing is two steps. A request (:func:`request_publication`) checks consent and
stores a pending publication; the worker (:func:`process_pending`, run by
``flask --app app library process`` in a process of its own) de-identifies the case
and stores the copy. Consent is checked again there: it may have been withdrawn since.
"""

import datetime
import json
import re

from actions import store as actions_store
from cases import store as cases_store
from core.clock import utc_now as _now
from library.display import readable
from privacy import store as privacy_store
from privacy.consent import consent_status, publication_allowed

PENDING = "pending"
PROCESSING = "processing"
PUBLISHED = "published"
FAILED = "failed"
STATUSES = {
    PENDING: "wacht op verwerking",
    PROCESSING: "wordt geanonimiseerd",
    PUBLISHED: "gepubliceerd",
    FAILED: "mislukt",
}
WITHDRAWN = "withdrawn"  # not a publication status: a copy taken out for lack of consent
# A worker that died mid-way leaves its publication "processing"; after this long the
# next worker takes it up again.
STALE_AFTER = datetime.timedelta(minutes=15)
SEARCH_LIMIT = 200
SIMILAR_LIMIT = 5


class ConsentMissing(Exception):
    """No complete consent for publication; the message is Dutch, for the user."""


def _one(db, sql, params=()):
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def family_by_id(db, family_id):
    return _one(db, "SELECT * FROM families WHERE id = ?", [family_id])


def consent_for(db, family, case, today=None):
    """The family's consent status on publication in the library (privacy.consent)."""
    return consent_status(case, privacy_store.consents(db, family["id"]), "library", today)


def check_consent(db, family, case, today=None):
    """Raise :class:`ConsentMissing` unless privacy.consent.publication_allowed says yes."""
    consents = privacy_store.consents(db, family["id"])
    if not publication_allowed(case, consents, today):
        status = consent_status(case, consents, "library", today)
        raise ConsentMissing(
            "Niet gepubliceerd: " + status.message + " Leg de instemming vast onder "
            "'Team en privacy' en probeer het daarna opnieuw."
        )


# Publications ------------------------------------------------------------------------


def request_publication(db, family, case, user_id, today=None):
    """Check consent and store a pending publication; return its id (ConsentMissing)."""
    check_consent(db, family, case, today)
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO library_publications (family_id, status, requested_by, requested_at)"
            " VALUES (?, ?, ?, ?)",
            [family["id"], PENDING, user_id, _now()],
        )
    return cursor.lastrowid


def publication(db, publication_id):
    return _one(db, "SELECT * FROM library_publications WHERE id = ?", [publication_id])


def latest_publication(db, family_id):
    """The family's latest publication act, with who asked for it; None if never."""
    return _one(
        db,
        "SELECT p.*, u.username AS requested_by_username, u.display_name AS requested_by_name"
        " FROM library_publications p LEFT JOIN users u ON u.id = p.requested_by"
        " WHERE p.family_id = ? ORDER BY p.id DESC LIMIT 1",
        [family_id],
    )


def publications(db, family_id):
    return list(
        db.query(
            "SELECT p.*, u.username AS requested_by_username"
            " FROM library_publications p LEFT JOIN users u ON u.id = p.requested_by"
            " WHERE p.family_id = ? ORDER BY p.id",
            [family_id],
        )
    )


def pending_count(db):
    return next(
        db.query(
            "SELECT count(*) AS n FROM library_publications WHERE status = ?"
            " OR (status = ? AND started_at < ?)",
            [PENDING, PROCESSING, _stale_before()],
        )
    )["n"]


def _stale_before():
    return (datetime.datetime.now(datetime.UTC) - STALE_AFTER).isoformat(timespec="seconds")


def claim_next(db):
    """Take the oldest pending publication (or a stale one) for processing; None if none."""
    with db.atomic():
        row = _one(
            db,
            "SELECT * FROM library_publications WHERE status = ?"
            " OR (status = ? AND started_at < ?) ORDER BY id LIMIT 1",
            [PENDING, PROCESSING, _stale_before()],
        )
        if row is None:
            return None
        db.execute(
            "UPDATE library_publications SET status = ?, started_at = ? WHERE id = ?",
            [PROCESSING, _now(), row["id"]],
        )
    return publication(db, row["id"])


def _finish(db, publication_id, status, failure=None):
    db.execute(
        "UPDATE library_publications SET status = ?, processed_at = ?, failure = ? WHERE id = ?",
        [status, _now(), failure, publication_id],
    )


def process_publication(db, row, deidentify_case, today=None):
    """De-identify and store the case of one claimed publication; return its status."""
    family = family_by_id(db, row["family_id"])
    if family is None:  # erased meanwhile (the cascade normally removes the row too)
        return FAILED
    case = cases_store.case_from_row(db, family)
    try:
        check_consent(db, family, case, today)
    except ConsentMissing as error:
        _finish(db, row["id"], FAILED, str(error))
        return FAILED
    try:
        document = deidentify_case(case)
    except Exception as error:  # noqa: BLE001 - the reason is stored for the facilitator
        _finish(db, row["id"], FAILED, f"Anonimiseren mislukt: {type(error).__name__}: {error}")
        return FAILED
    with db.atomic():
        store_library_case(db, family["id"], document, publication=row)
        _finish(db, row["id"], PUBLISHED)
    return PUBLISHED


def withdraw_if_no_consent(db, family, today=None):
    """Take the family's copy out of the library when its consent is no longer complete
    (refused or withdrawn since it was published); return whether it did."""
    if library_case_for_family(db, family["id"]) is None:
        return False
    case = cases_store.case_from_row(db, family)
    if publication_allowed(case, privacy_store.consents(db, family["id"]), today):
        return False
    with db.atomic():
        db.execute(
            "DELETE FROM library_entries WHERE case_id IN"
            " (SELECT id FROM library_cases WHERE family_id = ?)",
            [family["id"]],
        )
        db.execute("DELETE FROM library_cases WHERE family_id = ?", [family["id"]])
    return True


def withdraw_all_without_consent(db, today=None):
    """:func:`withdraw_if_no_consent` for every published family; the number withdrawn."""
    withdrawn = 0
    for row in list(db.query("SELECT family_id FROM library_cases")):
        family = family_by_id(db, row["family_id"])
        if family is not None and withdraw_if_no_consent(db, family, today):
            withdrawn += 1
    return withdrawn


def process_pending(db, deidentify_case=None, today=None):
    """Process every pending publication; return ``{status: count}``. First it takes
    out of the library every copy whose consent is no longer complete."""
    if deidentify_case is None:
        from library.deidentify import deidentify_case
    counts = {}
    withdrawn = withdraw_all_without_consent(db, today)
    if withdrawn:
        counts["withdrawn"] = withdrawn
    while (row := claim_next(db)) is not None:
        status = process_publication(db, row, deidentify_case, today)
        counts[status] = counts.get(status, 0) + 1
    return counts


def publish_now(db, family, case, user_id, deidentify_case=None, today=None):
    """Publish one family synchronously (the CLI): same consent gate; return the status."""
    if deidentify_case is None:
        from library.deidentify import deidentify_case
    publication_id = request_publication(db, family, case, user_id, today)
    with db.atomic():
        db.execute(
            "UPDATE library_publications SET status = ?, started_at = ? WHERE id = ?",
            [PROCESSING, _now(), publication_id],
        )
    return process_publication(db, publication(db, publication_id), deidentify_case, today)


# The library's content ------------------------------------------------------------


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
        existing = _one(db, "SELECT id FROM library_cases WHERE family_id = ?", [family_id])
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
            found = _one(
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
    return _one(db, "SELECT * FROM library_cases WHERE family_id = ?", [family_id])


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


ENTRY_COLUMNS = (
    "e.id, e.case_id, e.position, e.title, e.summary, e.components, e.partners, e.problems,"
    " e.outcome, c.title AS case_title, c.goal, c.problems AS case_problems,"
    " c.partners AS case_partners, c.published_at,"
    " json_extract(c.document, '$.tags') AS tags"
)


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
    row = _one(
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


def overlap_score(entry, other):
    """Shared problems and partners (the solution's and its case's): a plain count."""
    problems = set(entry["problems"]) | set(entry["case_problems"])
    partners = set(entry["partners"]) | set(entry["case_partners"])
    other_problems = set(other["problems"]) | set(other["case_problems"])
    other_partners = set(other["partners"]) | set(other["case_partners"])
    shared_problems = sorted(problems & other_problems)
    shared_partners = sorted(partners & other_partners)
    return len(shared_problems) + len(shared_partners), shared_problems, shared_partners


def similar(db, entry, limit=SIMILAR_LIMIT):
    """Entries of other cases sharing the most problems and partners with ``entry``.

    A plain overlap ranking (ties: the same goal first, then the solutions that worked);
    the similar-case finder may replace it.
    """
    ranked = []
    for row in db.query(
        f"SELECT {ENTRY_COLUMNS} FROM library_entries e"
        " JOIN library_cases c ON c.id = e.case_id WHERE e.case_id != ?",
        [entry["case_id"]],
    ):
        other = _entry(row)
        score, problems, partners = overlap_score(entry, other)
        if score == 0:
            continue
        other["score"] = score
        other["shared_problems"] = problems
        other["shared_partners"] = partners
        ranked.append(other)
    ranked.sort(
        key=lambda o: (
            -o["score"],
            o["goal"] != entry["goal"],
            o["outcome"] != "worked",
            o["id"],
        )
    )
    return ranked[:limit]


# For the finder -------------------------------------------------------------------


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


# We proberen dit ------------------------------------------------------------------


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


# Erasure and export ---------------------------------------------------------------


def erase_family(db, family_id):
    """Remove what the library holds of the family: its copy, entries, publications, tries."""
    db.execute(
        "DELETE FROM library_entries WHERE case_id IN"
        " (SELECT id FROM library_cases WHERE family_id = ?)",
        [family_id],
    )
    db.execute("DELETE FROM library_cases WHERE family_id = ?", [family_id])
    db.execute("DELETE FROM library_publications WHERE family_id = ?", [family_id])
    db.execute("DELETE FROM library_tried WHERE family_id = ?", [family_id])


def export_family(db, family_id):
    """The family's publications, its de-identified copy and what it tried, as JSON."""
    library_case = library_case_for_family(db, family_id)
    return {
        "publications": [
            {
                "id": row["id"],
                "status": row["status"],
                "requested_by": row["requested_by_username"],
                "requested_at": row["requested_at"],
                "processed_at": row["processed_at"],
                "failure": row["failure"],
            }
            for row in publications(db, family_id)
        ],
        "published": None
        if library_case is None
        else {
            "published_at": library_case["published_at"],
            "entries": entry_ids_for_family(db, family_id),
            "document": json.loads(library_case["document"]),
        },
        "tried": [
            {
                "entry_id": row["entry_id"],
                "entry_title": row["entry_title"],
                "action_id": row["action_id"],
                "tried_by": row["tried_by_username"],
                "tried_at": row["tried_at"],
            }
            for row in tried_for(db, family_id)
        ],
    }
