"""The layout memory in the app: stored with every save, read by the drawings (issue 16)."""

import re

import pytest

import domains
from cases import store as cases_store
from core import database
from genogram import store
from genogram.layout.memory import clockwise_angle, order_kept, side_of
from genogram.remembering import drawn_layout
from genogram.views import PANEL_ID
from privacy import erasure
from tests.test_genogram_memory import three_generations

PAGE = "/gezinnen/test-gezin"
PANEL = {"HX-Request": "true", "HX-Target": PANEL_ID}
PERSON = re.compile(r'<g data-person-id="([^"]+)"[^>]*data-x="([-\d.]+)" data-y="([-\d.]+)"')
MEMBER = re.compile(r'<g data-member-id="([^"]+)"[^>]*data-x="([-\d.]+)" data-y="([-\d.]+)"')


def family_id(db):
    return cases_store.family_row(db, "test-gezin")["id"]


def version(db):
    return cases_store.family_row(db, "test-gezin")["version"]


@pytest.fixture
def facilitator(login, db):
    """The facilitator, with the test family replaced by three generations and a network."""
    cases_store.save_case(db, three_generations() | {"code": "test-gezin"}, replace=True)
    return login("facilitator")


def drawn_rows(client):
    """What the family page's drawing shows, as a memory: the persons per row (by y)
    left to right (by x), the members clockwise around the persons and their side."""
    svg = client.get(f"{PAGE}/genogram", headers={"HX-Request": "true"}).get_data(as_text=True)
    rows, at = {}, {}
    for pid, x, y in PERSON.findall(svg):
        rows.setdefault(float(y), []).append((float(x), f"person:{pid}"))
        at[pid] = (float(x), float(y))
    xs, ys = [x for x, _ in at.values()], [y for _, y in at.values()]
    box = {"x0": min(xs), "y0": min(ys), "x1": max(xs), "y1": max(ys)}
    members = {f"member:{m}": (float(x), float(y)) for m, x, y in MEMBER.findall(svg)}
    order = sorted(members, key=lambda m: clockwise_angle(members[m], box))
    return {
        "rows": [[p for _, p in sorted(rows[y])] for y in sorted(rows)],
        "ring": {"order": order, "side": {m: side_of(members[m], box) for m in order}},
    }


def add_aunt(client, db):
    return client.post(
        f"{PAGE}/genogram/personen/moeder/nieuw/broer-zus",
        data={
            "version": version(db),
            "name": "Tante",
            "sex": "female",
            "birth_year": "1980",
            "parents": "alle",
        },  # fmt: skip
        headers=PANEL,
    )


def test_an_aunt_added_in_the_panel_keeps_everyone_where_they_were(facilitator, db):
    before = drawn_rows(facilitator)
    stored = store.memory_of_family(db, family_id(db))
    assert add_aunt(facilitator, db).status_code == 200
    after = drawn_rows(facilitator)
    assert sum(len(row) for row in after["rows"]) == 9  # the aunt is drawn, elder sister
    assert order_kept(before, after) == (14, 14)
    assert order_kept(stored, store.memory_of_family(db, family_id(db))) == (14, 14)


def test_an_edit_in_the_family_form_keeps_the_order_on_the_next_page(facilitator, db):
    before = drawn_rows(facilitator)
    response = facilitator.post(
        f"{PAGE}/personen/oma-m",
        data={"version": version(db), "name": "Oma Riet", "sex": "female", "birth_year": "1944"},
        headers={"HX-Request": "true", "HX-Target": "persoon-oma-m"},
    )
    assert response.status_code == 200
    assert order_kept(before, drawn_rows(facilitator)) == (14, 14)


def test_reading_the_drawing_writes_no_memory(facilitator, db):
    db.execute("DELETE FROM genogram_memories")
    for url in (f"{PAGE}/genogram", f"{PAGE}/genogram.svg", PAGE):
        assert facilitator.get(url).status_code == 200
    assert list(db.query("SELECT * FROM genogram_memories")) == []


def test_a_family_saved_before_the_memory_keeps_the_drawing_it_had(facilitator, db):
    db.execute("DELETE FROM genogram_memories")
    before = drawn_rows(facilitator)
    add_aunt(facilitator, db)
    assert order_kept(before, drawn_rows(facilitator)) == (14, 14)


def test_the_api_and_imports_store_the_memory_too(db):
    case = three_generations()
    cases_store.import_cases(db, [case])
    stored = store.memory_by_code(db, case["code"])
    assert order_kept(stored, drawn_layout(case)) == (14, 14)


def test_erasing_the_family_erases_its_memory(facilitator, db):
    fid = family_id(db)
    assert store.memory_of_family(db, fid) is not None
    erasure.erase_family(db, fid, "test-gezin", is_admin=True, reason="Test van het wissen.")
    assert list(db.query("SELECT * FROM genogram_memories WHERE family_id = ?", [fid])) == []


def test_the_migration_adds_the_table_to_an_existing_database(tmp_path, monkeypatch):
    db = database.connect(tmp_path / "oud.db")
    older = [m for m in domains.migration_sets() if m.name != "genogram"]
    database.init_db(db, older)
    monkeypatch.setattr(cases_store, "CASE_WRITTEN", [])  # the app before the memory
    cases_store.save_case(db, three_generations())
    monkeypatch.undo()
    assert "genogram_memories" not in db.table_names()
    domains.init_db(db)
    assert store.memory_by_code(db, "drie-generaties") is None
    case = cases_store.load_case(db, "drie-generaties")
    case["persons"][0]["name"] = "Mila"
    cases_store.save_case(db, case, replace=True)
    assert order_kept(drawn_layout(case), store.memory_by_code(db, "drie-generaties")) == (14, 14)
    db.close()
