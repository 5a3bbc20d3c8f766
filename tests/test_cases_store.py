"""The case store on a real SQLite database: round trips, all-or-nothing writes, search."""

import json
import pathlib

import pytest

from cases import store
from cases.validation import CaseFormatError, canonical_case
from tests.factories import make_case

ROOT = pathlib.Path(__file__).resolve().parents[1]
EVAL = ROOT / ".." / "shared" / "eval"
DEMO_FILES = sorted((ROOT / "data" / "demo").glob("*/*.json"))
CHILD_TABLES = ("persons", "placements", "relations", "network_members", "ties", "solutions")


@pytest.fixture
def db(empty_db):
    return empty_db


def dump(db):
    """Every row of every table, as SQL text: equal dumps mean equal content."""
    return "\n".join(db.conn.iterdump())


def counts(db):
    return {table: db.table(table).count for table in ("families", *CHILD_TABLES)}


def documents(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [data]


# Round trips


def test_demo_data_is_there():
    assert len(DEMO_FILES) >= 10


@pytest.mark.parametrize("path", DEMO_FILES, ids=[p.stem for p in DEMO_FILES])
def test_round_trip_demo_case_is_unchanged(db, path):
    (doc,) = documents(path)
    (code,) = store.import_cases(db, doc)
    assert store.load_case(db, code) == canonical_case(doc)


@pytest.mark.parametrize("name", ["library.json", "queries.json"])
def test_round_trip_eval_set_every_case_is_unchanged(db, name):
    docs = documents(EVAL / name)
    assert len(docs) >= 15
    codes = store.import_cases(db, docs)
    assert codes == [doc["code"] for doc in docs]
    for doc in docs:
        assert store.load_case(db, doc["code"]) == canonical_case(doc), doc["code"]


def test_round_trip_defaults_and_unusual_text(db):
    text = "Zoë's 100% _echt_ \\ 'quote' \"dubbel\" 🐴\n\tregel"
    doc = make_case(narrative=text, region="", outcome=None)
    doc["persons"][0]["name"] = "Zoë 'Z' \\ %"
    doc["persons"][1]["strengths"] = ["koken", "Zoë"]
    doc["solutions"][0]["components"] = ["paard 🐴"]
    doc["outcome"] = {"returned_home": False, "family_contact_improved": True, "date": "2021-01-01"}
    store.import_cases(db, doc)
    assert store.load_case(db, "test-gezin") == canonical_case(doc)


def test_load_case_unknown_code_is_none(db):
    assert store.load_case(db, "bestaat-niet") is None


def test_save_case_returns_the_family_id(db):
    family_id = store.save_case(db, make_case())
    assert store.family_row(db, "test-gezin")["id"] == family_id


def test_import_list_returns_codes_in_order(db):
    assert store.import_cases(db, [make_case("b-gezin"), make_case("a-gezin")]) == [
        "b-gezin",
        "a-gezin",
    ]


# All or nothing


def test_import_third_case_bad_leaves_database_unchanged(db):
    store.import_cases(db, make_case("bestaand"))
    before = dump(db)
    bad = make_case("derde", goal="weg")
    with pytest.raises(CaseFormatError) as caught:
        store.import_cases(db, [make_case("eerste"), make_case("tweede"), bad])
    assert [str(i) for i in caught.value.issues][0].startswith("[2].goal: 'weg'")
    assert dump(db) == before


def test_import_code_clash_without_replace_leaves_database_unchanged(db):
    store.import_cases(db, make_case("bestaand", title="Origineel"))
    before = dump(db)
    with pytest.raises(store.CaseExists) as caught:
        store.import_cases(db, [make_case("eerste"), make_case("tweede"), make_case("bestaand")])
    assert caught.value.codes == ["bestaand"]
    assert dump(db) == before


def test_import_failing_while_writing_rolls_everything_back(db, monkeypatch):
    store.import_cases(db, make_case("bestaand"))
    before = dump(db)
    real_write = store._write_members
    calls = []

    def write_then_fail(db, family_id, case):
        calls.append(case["code"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        real_write(db, family_id, case)

    monkeypatch.setattr(store, "_write_members", write_then_fail)
    with pytest.raises(RuntimeError):
        store.import_cases(
            db, [make_case("eerste"), make_case("bestaand"), make_case("derde")], replace=True
        )
    assert calls == ["eerste", "bestaand", "derde"]
    assert dump(db) == before


def test_save_case_bad_case_writes_nothing(db):
    before = dump(db)
    with pytest.raises(CaseFormatError):
        store.save_case(db, make_case(goal="weg"))
    assert dump(db) == before


def test_save_case_code_clash_without_replace_writes_nothing(db):
    store.save_case(db, make_case())
    before = dump(db)
    with pytest.raises(store.CaseExists):
        store.save_case(db, make_case(title="Anders"))
    assert dump(db) == before


# Replacing and versions


def test_replace_keeps_family_id_and_bumps_version(db):
    store.import_cases(db, make_case())
    first = store.family_row(db, "test-gezin")
    smaller = make_case(title="Nieuwe titel")
    smaller["persons"] = smaller["persons"][:3]
    smaller["relations"] = smaller["relations"][:3]
    store.import_cases(db, smaller, replace=True)
    second = store.family_row(db, "test-gezin")
    assert second["id"] == first["id"]
    assert second["version"] == first["version"] + 1
    assert second["created_at"] == first["created_at"]
    case = store.load_case(db, "test-gezin")
    assert case["title"] == "Nieuwe titel"
    assert [p["id"] for p in case["persons"]] == ["p1", "p2", "p3"]
    assert db.table("persons").count == 3


def test_save_case_replace_bumps_version_each_time(db):
    store.save_case(db, make_case())
    store.save_case(db, make_case(title="Twee"), replace=True)
    store.save_case(db, make_case(title="Drie"), replace=True)
    assert store.family_row(db, "test-gezin")["version"] == 3


def test_save_case_expected_version_current_saves(db):
    store.save_case(db, make_case())
    store.save_case(db, make_case(title="Bewerkt"), expected_version=1)
    row = store.family_row(db, "test-gezin")
    assert (row["title"], row["version"]) == ("Bewerkt", 2)


def test_save_case_stale_version_raises_and_changes_nothing(db):
    store.save_case(db, make_case())
    store.save_case(db, make_case(title="Eerste bewerking"), replace=True, expected_version=1)
    before = dump(db)
    with pytest.raises(store.StaleVersion) as caught:
        store.save_case(db, make_case(title="Tweede bewerking"), replace=True, expected_version=1)
    assert caught.value.current == 2
    assert dump(db) == before
    assert store.load_case(db, "test-gezin")["title"] == "Eerste bewerking"


def test_save_case_expected_version_of_missing_case_is_not_found(db):
    before = dump(db)
    with pytest.raises(store.CaseNotFound):
        store.save_case(db, make_case(), expected_version=1)
    assert dump(db) == before


# Deleting


def _rows_of_family(db, family_id):
    person_ids = [
        r["id"] for r in db.query("SELECT id FROM persons WHERE family_id = ?", [family_id])
    ]
    member_ids = [
        r["id"] for r in db.query("SELECT id FROM network_members WHERE family_id = ?", [family_id])
    ]
    return {
        "families": db.table("families").count_where("id = ?", [family_id]),
        "persons": len(person_ids),
        "placements": sum(
            db.table("placements").count_where("person_id = ?", [i]) for i in person_ids
        ),
        "relations": db.table("relations").count_where("family_id = ?", [family_id]),
        "network_members": len(member_ids),
        "ties": sum(db.table("ties").count_where("member_id = ?", [i]) for i in member_ids),
        "solutions": db.table("solutions").count_where("family_id = ?", [family_id]),
    }


def test_delete_case_removes_every_child_row(db):
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    family_id = store.save_case(db, make_case())
    other_id = store.save_case(db, make_case("ander-gezin"))
    before = _rows_of_family(db, family_id)
    assert all(before[table] > 0 for table in before), before
    assert store.delete_case(db, "test-gezin") is True
    assert store.load_case(db, "test-gezin") is None
    # Nothing of the deleted family is left, anywhere; the other family is untouched.
    assert counts(db) == {"families": 1, **{t: n for t, n in before.items() if t != "families"}}
    assert _rows_of_family(db, other_id) == before
    assert store.load_case(db, "ander-gezin") == canonical_case(make_case("ander-gezin"))


def test_delete_case_unknown_code_is_false_and_changes_nothing(db):
    store.save_case(db, make_case())
    before = dump(db)
    assert store.delete_case(db, "bestaat-niet") is False
    assert dump(db) == before


def test_replace_leaves_no_orphan_rows(db):
    store.save_case(db, make_case())
    once = counts(db)
    store.save_case(db, make_case(), replace=True)
    assert counts(db) == once


# Listing and search


@pytest.fixture
def listed(db):
    cases = [
        make_case("gewoon", title="Het Gewone Gezin"),
        make_case("procent", title="Voor 100% Gezin", region="Noord"),
        make_case("laag-streepje", title="Gezin_Een", goal="family_strengthening"),
        make_case("quote", title="Gezin 't Hart", status="closed"),
        make_case("backslash", title="Gezin A\\B", goal="as_home_as_possible", region="Noord"),
    ]
    cases[0]["persons"][1]["name"] = "Zwaantje"
    store.import_cases(db, cases)
    return db


def _codes(db, **filters):
    return sorted(row["code"] for row in store.list_families(db, **filters))


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("%", ["procent"]),
        ("_", ["laag-streepje"]),
        ("'", ["quote"]),
        ("\\", ["backslash"]),
        ("0%", ["procent"]),
        ("n_e", ["laag-streepje"]),
        ("%'%", []),
        ("' OR 1=1 --", []),
        ('"', []),
    ],
)
def test_list_families_search_is_literal(listed, search, expected):
    assert _codes(listed, search=search) == expected


def test_list_families_search_without_search_lists_all(listed):
    assert len(_codes(listed)) == 5
    assert len(_codes(listed, search="   ")) == 5


def test_list_families_search_is_case_insensitive_on_title(listed):
    assert _codes(listed, search="gewone gezin") == ["gewoon"]


def test_list_families_search_finds_a_persons_name(listed):
    assert _codes(listed, search="zwaan") == ["gewoon"]


def test_list_families_search_finds_code_and_narrative(listed):
    assert _codes(listed, search="backsl") == ["backslash"]
    assert len(_codes(listed, search="gesloten jeugdzorg")) == 5


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"goal": "family_strengthening"}, ["laag-streepje"]),
        ({"goal": "return_home"}, ["gewoon", "procent", "quote"]),
        ({"region": "Noord"}, ["backslash", "procent"]),
        ({"status": "closed"}, ["quote"]),
        ({"status": "active", "region": "Noord", "goal": "return_home"}, ["procent"]),
        ({"region": "Noord", "search": "%"}, ["procent"]),
        ({"region": "Zuid"}, []),
    ],
)
def test_list_families_filters(listed, filters, expected):
    assert _codes(listed, **filters) == expected


def test_list_families_summary_names_the_index_child(listed):
    (row,) = store.list_families(listed, search="Het Gewone")
    assert row["index_name"] == "Sanne"
    assert row["index_birth_year"] == 2008
    assert row["index_residence"] == "secure"
    assert row["person_count"] == 4


def test_list_families_active_before_closed(listed):
    rows = store.list_families(listed)
    assert rows[-1]["code"] == "quote"


def test_list_families_limit(listed):
    assert len(store.list_families(listed, limit=2)) == 2
    assert len(store.list_families(listed, limit=None)) == 5


def test_regions_lists_each_region_once(listed):
    assert store.regions(listed) == ["Noord", "West"]


def test_in_team_household_and_by_survive_the_store(db):
    doc = make_case("velden")
    doc["persons"][1]["in_team"] = True
    doc["persons"][1]["household"] = "vader"
    doc["relations"] = [r for r in doc["relations"] if r["kind"] != "emotional"]
    a, b, c = (p["id"] for p in doc["persons"][:3])
    doc["relations"].append({"kind": "emotional", "a": a, "b": b, "quality": "abuse", "by": b})
    doc["relations"].append({"kind": "emotional", "a": b, "b": c, "quality": "conflict"})
    store.save_case(db, doc)
    assert store.load_case(db, "velden") == canonical_case(doc)
    loaded = store.load_case(db, "velden")
    assert loaded["relations"][-2]["by"] == b and loaded["relations"][-1]["by"] is None
    assert loaded["persons"][1]["in_team"] is True and loaded["persons"][1]["household"] == "vader"
