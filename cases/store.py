"""Store and load family cases (sqlite-utils; every function takes ``db`` first).

A case is written as a whole: the family row is kept (so its id stays stable for
conferences and the access log) and its persons, relations, network and solutions are
written anew inside one transaction. ``version`` goes up with every write, so an edit
made on a stale copy can be refused instead of silently overwriting someone else's.
"""

import contextlib
import json

from cases.validation import (
    DIRECTED_QUALITIES,
    CaseFormatError,
    Issue,
    canonical_case,
    parse_cases,
)
from core import submissions
from core.clock import utc_now as _now

# Run inside the transaction of every save (save_case, import_cases): see on_case_written.
CASE_WRITTEN = []


def on_case_written(function):
    """Register ``function(db, family_id, case, previous)``, run inside the transaction
    that saves ``case`` (canonical), once its family row is written and before its
    persons, relations and network are rewritten: ``previous`` (the family's row before
    the save, None for a new family) still reads the old case through
    :func:`case_from_row`. What it writes commits with the case or not at all. Another
    domain keeps what it derives from a case in step this way (the genogram its layout
    memory) without the cases domain knowing it."""
    CASE_WRITTEN.append(function)
    return function


class CaseExists(Exception):
    """A case with this code is stored already and replacing was not asked for."""

    def __init__(self, codes):
        self.codes = list(codes)
        super().__init__("case code already exists: " + ", ".join(self.codes))


class CaseNotFound(LookupError):
    """No case with this code."""


class StaleVersion(Exception):
    """The case changed since the editor loaded it."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"the case is at version {current}")


def _flag(value):
    return None if value is None else int(bool(value))


def _unflag(value):
    return None if value is None else bool(value)


@contextlib.contextmanager
def _snapshot(db):
    """Run several reads on one consistent state of the database.

    Outside a transaction every SELECT sees the database as it is at that moment, so a
    case read in several queries while someone else saves it could mix the old persons
    with the new ties (or fail on a person that is gone). A read transaction keeps one
    snapshot (WAL) without blocking writers.
    """
    if db.conn.in_transaction:
        yield
        return
    db.conn.execute("BEGIN")
    try:
        yield
    finally:
        if db.conn.in_transaction:
            db.conn.execute("COMMIT")  # nothing was written: it only ends the snapshot


def family_row(db, code):
    """Return the stored family row for ``code``, or None."""
    rows = list(db.query("SELECT * FROM families WHERE code = ?", [code]))
    return rows[0] if rows else None


def title_taken(db, title):
    """Whether a family with this title exists (case and spacing aside)."""
    wanted = " ".join(title.split()).casefold()
    return any(
        " ".join((row["title"] or "").split()).casefold() == wanted
        for row in db.query("SELECT title FROM families")
    )


# The new-family form's tokens are every form's (core.submissions), under its route.
NEW_FAMILY_SCOPE = "/gezinnen/"


def family_of_token(db, token, user_id):
    """The code of the family a form with ``token`` already made for this user, or None
    (also when that family has been erased since)."""
    made, code = submissions.earlier(db, token, user_id, NEW_FAMILY_SCOPE)
    return code if made and family_row(db, code) else None


def save_case(db, doc, *, replace=False, expected_version=None):
    """Validate and store one case; return the family id.

    ``expected_version`` guards an edit (so it implies ``replace``): when given, the
    stored case must still be at that version. Raises :class:`CaseFormatError`,
    :class:`CaseExists`, :class:`CaseNotFound` or :class:`StaleVersion`; nothing is
    written then.
    """
    case = canonical_case(doc)
    with db.atomic():
        existing = family_row(db, case["code"])
        if existing and not replace and expected_version is None:
            raise CaseExists([case["code"]])
        if expected_version is not None:
            if existing is None:
                raise CaseNotFound(case["code"])
            if existing["version"] != expected_version:
                raise StaleVersion(existing["version"])
        return _write_case(db, case, existing)


def import_cases(db, data, *, replace=False):
    """Store one case or a list of cases, all or nothing; return their codes.

    Every problem in the whole file is reported at once; a refused file leaves the
    database exactly as it was.
    """
    cases = parse_cases(data)
    with db.atomic():
        existing = {case["code"]: family_row(db, case["code"]) for case in cases}
        clashes = [code for code, row in existing.items() if row]
        if clashes and not replace:
            raise CaseExists(clashes)
        for case in cases:
            _write_case(db, case, existing[case["code"]])
    return [case["code"] for case in cases]


def _write_case(db, case, existing):
    now = _now()
    outcome = case["outcome"]
    row = {
        "code": case["code"],
        "title": case["title"],
        "region": case["region"],
        "goal": case["goal"],
        "status": case["status"],
        "started": case["started"],
        "narrative": case["narrative"],
        "child_perspective": case["child_perspective"],
        "returned_home": _flag(outcome["returned_home"]),
        "family_contact_improved": _flag(outcome["family_contact_improved"]),
        "outcome_date": outcome["date"],
        "updated_at": now,
    }
    if case["status"] == "closed":
        row["closed_at"] = (existing or {}).get("closed_at") or now
    else:
        row["closed_at"] = None
    if existing:
        family_id = existing["id"]
        row["version"] = existing["version"] + 1
        assignments = ", ".join(f'"{key}" = :{key}' for key in row)
        db.execute(f"UPDATE families SET {assignments} WHERE id = :id", {**row, "id": family_id})
        for listener in CASE_WRITTEN:
            listener(db, family_id, case, existing)
        for table in ("persons", "relations", "network_members", "solutions"):
            db.execute(f"DELETE FROM {table} WHERE family_id = ?", [family_id])
    else:
        row.update(version=1, created_at=now)
        family_id = db.table("families").insert(row).last_pk
        for listener in CASE_WRITTEN:
            listener(db, family_id, case, None)
    _write_members(db, family_id, case)
    return family_id


def _write_members(db, family_id, case):
    person_ids = {}
    for position, person in enumerate(case["persons"]):
        person_id = (
            db.table("persons")
            .insert(
                {
                    "family_id": family_id,
                    "local_id": person["id"],
                    "position": position,
                    "name": person["name"],
                    "sex": person["sex"],
                    "birth_year": person["birth_year"],
                    "deceased": int(person["deceased"]),
                    "is_index": int(person["index"]),
                    "problems": json.dumps(person["problems"]),
                    "interests": json.dumps(person["interests"], ensure_ascii=False),
                    "strengths": json.dumps(person["strengths"], ensure_ascii=False),
                    "residence": person["residence"],
                    "in_team": int(person["in_team"]),
                    "household": person["household"],
                }
            )
            .last_pk
        )
        person_ids[person["id"]] = person_id
        db.table("placements").insert_all(
            {"person_id": person_id, "position": i, **placement}
            for i, placement in enumerate(person["placements"])
        )
    db.table("relations").insert_all(
        {
            "family_id": family_id,
            "position": position,
            "kind": relation["kind"],
            "a_id": person_ids[relation.get("a") or relation.get("parent")],
            "b_id": person_ids[relation.get("b") or relation.get("child")],
            "detail": relation.get("status") or relation.get("type") or relation["quality"],
            "by_id": person_ids[relation["by"]] if relation.get("by") else None,
        }
        for position, relation in enumerate(case["relations"])
    )
    for position, member in enumerate(case["network"]):
        member_id = (
            db.table("network_members")
            .insert(
                {
                    "family_id": family_id,
                    "local_id": member["id"],
                    "position": position,
                    "name": member["name"],
                    "partner": member["partner"],
                    "in_team": int(member["in_team"]),
                }
            )
            .last_pk
        )
        db.table("ties").insert_all(
            {
                "member_id": member_id,
                "person_id": person_ids[tie["person"]],
                "position": i,
                "strength": tie["strength"],
                "stressful": int(tie["stressful"]),
                "flow": tie["flow"],
            }
            for i, tie in enumerate(member["ties"])
        )
    db.table("solutions").insert_all(
        {
            "family_id": family_id,
            "position": position,
            "title": solution["title"],
            "summary": solution["summary"],
            "components": json.dumps(solution["components"], ensure_ascii=False),
            "partners": json.dumps(solution["partners"]),
            "addresses": json.dumps(solution["addresses"]),
            "outcome": solution["outcome"],
        }
        for position, solution in enumerate(case["solutions"])
    )


def load_case(db, code):
    """Return the case as a canonical exchange-format dict, or None."""
    return load_family(db, code)[1]


def load_family(db, code):
    """The family row and its case, read together (so the version fits the content);
    ``(None, None)`` when there is no such family."""
    with _snapshot(db):
        family = family_row(db, code)
        return (None, None) if family is None else (family, case_from_row(db, family))


def case_from_row(db, family):
    """Build the exchange-format dict for a stored family row."""
    with _snapshot(db):
        return _case_from_row(db, family)


def _words(text):
    """A stored JSON list; most are empty, and 30,000 ``json.loads`` cost a large family
    a quarter of a second."""
    return [] if text == "[]" else json.loads(text)


def _case_from_row(db, family):
    family_id = family["id"]
    persons = list(
        db.query("SELECT * FROM persons WHERE family_id = ? ORDER BY position", [family_id])
    )
    local = {person["id"]: person["local_id"] for person in persons}
    placements = {}
    for placement in db.query(
        "SELECT pl.* FROM placements pl JOIN persons p ON p.id = pl.person_id "
        "WHERE p.family_id = ? ORDER BY pl.person_id, pl.position",
        [family_id],
    ):
        placements.setdefault(placement["person_id"], []).append(
            {key: placement[key] for key in ("residence", "provider", "start", "end")}
        )
    ties = {}
    for tie in db.query(
        "SELECT t.* FROM ties t JOIN network_members m ON m.id = t.member_id "
        "WHERE m.family_id = ? ORDER BY t.member_id, t.position",
        [family_id],
    ):
        ties.setdefault(tie["member_id"], []).append(
            {
                "person": local[tie["person_id"]],
                "strength": tie["strength"],
                "stressful": bool(tie["stressful"]),
                "flow": tie["flow"],
            }
        )
    return {
        "format": "case/1",
        "code": family["code"],
        "title": family["title"],
        "region": family["region"],
        "goal": family["goal"],
        "status": family["status"],
        "started": family["started"],
        "narrative": family["narrative"],
        "child_perspective": family["child_perspective"],
        "persons": [
            {
                "id": person["local_id"],
                "name": person["name"],
                "sex": person["sex"],
                "birth_year": person["birth_year"],
                "deceased": bool(person["deceased"]),
                "index": bool(person["is_index"]),
                "problems": _words(person["problems"]),
                "interests": _words(person["interests"]),
                "strengths": _words(person["strengths"]),
                "residence": person["residence"],
                "placements": placements.get(person["id"], []),
                "in_team": bool(person["in_team"]),
                "household": person["household"],
            }
            for person in persons
        ],
        "relations": [
            _relation_from_row(row, local)
            for row in db.query(
                "SELECT * FROM relations WHERE family_id = ? ORDER BY position", [family_id]
            )
        ],
        "network": [
            {
                "id": member["local_id"],
                "name": member["name"],
                "partner": member["partner"],
                "in_team": bool(member["in_team"]),
                "ties": ties.get(member["id"], []),
            }
            for member in db.query(
                "SELECT * FROM network_members WHERE family_id = ? ORDER BY position",
                [family_id],
            )
        ],
        "solutions": [
            {
                "title": row["title"],
                "summary": row["summary"],
                "components": json.loads(row["components"]),
                "partners": json.loads(row["partners"]),
                "addresses": json.loads(row["addresses"]),
                "outcome": row["outcome"],
            }
            for row in db.query(
                "SELECT * FROM solutions WHERE family_id = ? ORDER BY position", [family_id]
            )
        ],
        "outcome": {
            "returned_home": _unflag(family["returned_home"]),
            "family_contact_improved": _unflag(family["family_contact_improved"]),
            "date": family["outcome_date"],
        },
    }


def _relation_from_row(row, local):
    one, two = local[row["a_id"]], local[row["b_id"]]
    if row["kind"] == "parent":
        return {"kind": "parent", "parent": one, "child": two, "type": row["detail"]}
    if row["kind"] == "couple":
        return {"kind": "couple", "a": one, "b": two, "status": row["detail"]}
    found = {"kind": "emotional", "a": one, "b": two, "quality": row["detail"]}
    if row["detail"] in DIRECTED_QUALITIES:
        found["by"] = local[row["by_id"]] if row["by_id"] is not None else None
    return found


def delete_case(db, code):
    """Delete a case and everything under it; return whether it existed."""
    with db.atomic():
        cursor = db.execute("DELETE FROM families WHERE code = ?", [code])
    return cursor.rowcount > 0


def _contains(column):
    """SQL: ``column`` holds the search text ``:q`` literally, ignoring ASCII case.

    Not LIKE: it reads its pattern only up to a NUL character, so a search holding one
    would match every row. ``instr`` and ``lower`` compare the whole text, wildcards
    have no meaning to them, and ``lower`` folds the same (ASCII) letters that LIKE does.
    """
    return f"instr(lower({column}), lower(:q)) > 0"


def list_families(
    db,
    *,
    search=None,
    goal=None,
    region=None,
    status=None,
    only_ids=None,
    pseudonymised=False,
    limit=500,
):
    """Summaries of the stored families, filtered; newest start first.

    ``search`` matches title, code, region, narrative and the names of the family's
    persons, case-insensitively and literally (no wildcards from the user).
    ``only_ids`` limits the list to those family ids (a user's own families).
    ``pseudonymised`` leaves out everything that names or describes a person: the
    search then looks at title, code and region only, and the index child's name and
    birth year are not returned.
    """
    where, params = [], {}
    if only_ids is not None:
        ids = sorted(int(family_id) for family_id in only_ids)
        where.append(f"f.id IN ({', '.join(str(i) for i in ids) or 'NULL'})")
    if search and search.strip():
        params["q"] = search.strip()
        matches = [_contains("f.title"), _contains("f.code"), _contains("f.region")]
        if not pseudonymised:
            matches += [
                _contains("f.narrative"),
                "EXISTS (SELECT 1 FROM persons s WHERE s.family_id = f.id"
                f" AND {_contains('s.name')})",
            ]
        where.append("(" + " OR ".join(matches) + ")")
    for key, value in (("goal", goal), ("region", region), ("status", status)):
        if value:
            where.append(f"f.{key} = :{key}")
            params[key] = value
    person_column = "NULL" if pseudonymised else "p.{}"
    one_index = "(SELECT count(*) FROM persons i WHERE i.family_id = f.id AND i.is_index) = 1"
    sql = (
        "SELECT f.id, f.code, f.title, f.region, f.goal, f.status, f.started, f.version,"
        " f.updated_at,"
        # Several index children read "Noor en Sem", without one age or residence.
        f" (SELECT group_concat({person_column.format('name')}, ' en ') FROM"
        " (SELECT * FROM persons p WHERE p.family_id = f.id AND p.is_index"
        " ORDER BY p.position) p) AS index_name,"
        f" (SELECT {person_column.format('birth_year')} FROM persons p"
        f" WHERE p.family_id = f.id AND p.is_index AND {one_index}) AS index_birth_year,"
        " (SELECT p.residence FROM persons p WHERE p.family_id = f.id AND p.is_index"
        f" AND {one_index}) AS index_residence,"
        " (SELECT count(*) FROM persons p WHERE p.family_id = f.id) AS person_count"
        " FROM families f"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY f.status, f.started DESC, f.title LIMIT :limit"
    )
    params["limit"] = -1 if limit is None else limit
    return list(db.query(sql, params))


def regions(db):
    """The regions in use, for the filter."""
    return [
        row["region"]
        for row in db.query(
            "SELECT DISTINCT region FROM families WHERE region IS NOT NULL ORDER BY region"
        )
    ]


__all__ = [
    "CaseExists",
    "CaseFormatError",
    "CaseNotFound",
    "Issue",
    "StaleVersion",
    "delete_case",
    "import_cases",
    "list_families",
    "load_case",
    "load_family",
    "on_case_written",
    "save_case",
]
