"""The dashboard through the test client: access, filters, CSV = table, learned patterns."""

import csv
import html.parser
import io
import json
import re
from html import unescape

import pytest

from cases import store as cases_store
from patterns import store as patterns_store
from patterns import tables
from tests.conftest import HTMX
from tests.factories import make_case
from tests.url_map import PERSON_NAMES

CONTENT = {"HX-Request": "true", "HX-Target": "patronen-inhoud"}


class Tables(html.parser.HTMLParser):
    """``{name: [[cell, ...], ...]}`` (header row first) of every ``data-table``."""

    def __init__(self):
        super().__init__()
        self.tables, self._name, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._name = attrs["data-table"]
            self.tables[self._name] = []
        elif self._name and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._name].append(self._row)
            self._row = None
        elif tag == "table":
            self._name = None


def page_tables(html):
    parser = Tables()
    parser.feed(html)
    return parser.tables


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def lead(login):
    return login("project_lead")


def simba(db, region="Simba"):
    """Simba's published figures as data: 12 families aiming home, 11 returned."""
    for i in range(12):
        cases_store.save_case(
            db,
            make_case(
                f"simba-{i:02d}",
                title=f"Simba {i}",
                region=region,
                outcome={
                    "returned_home": i < 11,
                    "family_contact_improved": None,
                    "date": "2022-01-01",
                },
            ),
        )


# Access


def test_project_lead_sees_the_dashboard_with_every_section(lead):
    response = lead.get("/patronen")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for title in (
        "Uitkomsten",
        "Signalen",
        "Problematiek",
        "Oplossingen",
        "Groepen",
        "Wat we leren",
    ):
        assert title in html
    assert set(page_tables(html)) == set(tables.TABLE_NAMES)
    assert 'href="/patronen">Patronen</a>' in html.replace(' aria-current="page"', "")
    assert "/vendor/chart.umd.min.js" in html and "/static/patterns.js" in html
    assert response.headers["Cache-Control"] == "no-store"


def test_admin_sees_the_dashboard(login):
    assert login("admin").get("/patronen").status_code == 200


@pytest.mark.parametrize("role", ["facilitator", "professional"])
def test_facilitators_and_professionals_are_refused_and_have_no_link(login, role):
    user = login(role)
    assert user.get("/patronen").status_code == 403
    assert user.get("/patronen/outcomes.csv").status_code == 403
    assert user.post("/patronen/wat-we-leren", data={"text": "x"}).status_code == 403
    assert user.get("/api/patterns/outcomes").status_code == 403
    assert "Patronen" not in user.get("/profiel").get_data(as_text=True)


def test_logged_out_goes_to_the_login_page_and_the_api_says_401(client):
    response = client.get("/patronen")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/patronen/groups.csv").status_code == 302
    response = client.get("/api/patterns/outcomes")
    assert response.status_code == 401 and response.is_json


def test_the_dashboard_names_no_person_and_quotes_no_family_text(lead):
    html = lead.get("/patronen?status=").get_data(as_text=True)
    for name in PERSON_NAMES:
        assert name not in html
    assert "gesloten jeugdzorg." not in html  # from the narrative
    assert "Ik wil bij mijn vader wonen" not in html
    assert "Het Testgezin" in html  # titles are what the pseudonymised list shows too


# Filters


def test_filter_by_region_answers_the_fragment_with_the_smaller_cohort(lead):
    response = lead.get("/patronen?region=Noord&status=", headers=CONTENT)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert "<strong>1</strong> gezin in deze selectie" in html
    assert "HX-Target" in response.headers["Vary"]
    whole = lead.get("/patronen?status=").get_data(as_text=True)
    assert "<strong>2</strong> gezinnen" in whole and "<html" in whole


def test_boosted_or_plain_htmx_requests_get_the_whole_page(lead):
    assert "<html" in lead.get("/patronen", headers=HTMX).get_data(as_text=True)


def test_default_cohort_is_the_active_families(lead, db):
    cases_store.save_case(db, make_case("dicht", title="Gesloten Gezin", status="closed"))
    assert "<strong>2</strong> gezinnen" in lead.get("/patronen").get_data(as_text=True)
    assert "<strong>3</strong> gezinnen" in lead.get("/patronen?status=").get_data(as_text=True)
    closed = lead.get("/patronen?status=closed").get_data(as_text=True)
    assert "<strong>1</strong> gezin in" in closed


def test_a_bad_filter_is_named_and_the_page_still_answers(lead):
    response = lead.get("/patronen?start=morgen")
    assert response.status_code == 200
    assert "Gestart vanaf: vul een datum in" in response.get_data(as_text=True)
    assert lead.get("/patronen?goal=%27;--", headers=CONTENT).status_code == 200


# CSV export


@pytest.mark.parametrize("name", tables.TABLE_NAMES)
def test_every_csv_matches_its_table(lead, db, name):
    simba(db, region="Noord")
    query = "?status=&region=Noord"
    shown = page_tables(lead.get(f"/patronen{query}").get_data(as_text=True))[name]
    response = lead.get(f"/patronen/{name}.csv{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f'filename="patronen-{name}.csv"' in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == shown[0]
    assert rows[1:] == shown[1:]


def test_csv_links_carry_the_filters(lead):
    html = lead.get("/patronen?region=Noord&goal=family_strengthening").get_data(as_text=True)
    assert (
        "/patronen/outcomes.csv?region=Noord&amp;goal=family_strengthening&amp;status=active"
        in html
    )


def test_unknown_table_is_404(lead):
    assert lead.get("/patronen/geheim.csv").status_code == 404


def test_simba_figures_show_eleven_of_twelve_on_the_page_and_in_the_csv(lead, db):
    simba(db)
    html = lead.get("/patronen?region=Simba").get_data(as_text=True)
    assert "Terug naar huis: 11 van 12 gezinnen, 92%" in html
    rows = csv_rows(lead.get("/patronen/outcomes.csv?region=Simba"))
    assert rows[1][:5] == ["terug naar huis", "teruggekeerd naar huis", "12", "11", "92%"]
    assert rows[2][4] == "–"  # no family-strengthening family: a dash


# Learned patterns


def library_entry(db, entry_id, title, document="{}"):
    """A published library case of ``ander-gezin`` with one entry."""
    family_id = cases_store.family_row(db, "ander-gezin")["id"]
    with db.atomic():
        db.execute(
            "INSERT INTO library_cases (id, family_id, published_at, title, document) "
            "VALUES (1, ?, '2026-01-01', 'Bibliotheekcasus', ?)",
            [family_id, document],
        )
        db.execute(
            "INSERT INTO library_entries (id, case_id, position, title) VALUES (?, 1, 0, ?)",
            [entry_id, title],
        )


def count_learned(db):
    return db.execute("SELECT count(*) FROM learned_patterns").fetchone()[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "Schrijf op wat we leren."),
        ({"text": "x" * 2001}, "Hooguit 2000 tekens."),
        ({"text": "Goed", "families": ["999"]}, "Kies alleen gezinnen uit de lijst."),
        ({"text": "Goed", "families": ["abc"]}, "Kies alleen gezinnen uit de lijst."),
        ({"text": "Goed", "entries": ["12345"]}, "Kies alleen oplossingen uit de lijst."),
    ],
)
def test_a_bad_learned_pattern_is_422_in_dutch_and_stores_nothing(lead, db, data, message):
    response = lead.post("/patronen/wat-we-leren", data=data, headers=HTMX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "<html" not in html
    assert count_learned(db) == 0
    response = lead.post("/patronen/wat-we-leren", data=data)  # without htmx: the page
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count_learned(db) == 0


def test_a_learned_pattern_is_stored_with_its_families_and_shown(lead, db):
    family_id = cases_store.family_row(db, "test-gezin")["id"]
    response = lead.post(
        "/patronen/wat-we-leren",
        data={"text": "Als de  GGZ aanschuift, gaat het sneller.", "families": [str(family_id)]},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Als de GGZ aanschuift, gaat het sneller." in html and "Het Testgezin" in html
    [item] = patterns_store.learned_patterns(db)
    assert item["families"] == [{"id": family_id, "title": "Het Testgezin"}]
    assert item["author"]
    plain = lead.post("/patronen/wat-we-leren", data={"text": "Nog een les"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/patronen#wat-we-leren")
    # Erasing the family takes the link, not the lesson.
    cases_store.delete_case(db, "test-gezin")
    assert [p["families"] for p in patterns_store.learned_patterns(db)] == [[], []]


def test_a_learned_pattern_links_a_library_entry(lead, db):
    library_entry(db, 5, "Leasepaard")
    html = lead.get("/patronen").get_data(as_text=True)
    assert '<option value="5">Leasepaard</option>' in html
    response = lead.post(
        "/patronen/wat-we-leren",
        data={"text": "Paarden openen deuren", "entries": ["5"]},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert 'href="/bibliotheek/5">Leasepaard</a>' in response.get_data(as_text=True)
    [item] = patterns_store.learned_patterns(db)
    assert item["entries"] == [{"id": 5, "title": "Leasepaard", "tags": {}}]


def test_learned_patterns_read_the_library_role_words_not_person_numbers(lead, db):
    document = '{"tags": {"PERSOON-2": "Broer", "PERSOON-1": "Indexkind"}}'
    library_entry(db, 7, "Klussen met [PERSOON-2] en [PERSOON-3]", document)
    html = lead.get("/patronen").get_data(as_text=True)
    assert '<option value="7">Klussen met broer en persoon 3</option>' in html
    response = lead.post(
        "/patronen/wat-we-leren", data={"text": "Broers helpen", "entries": ["7"]}, headers=HTMX
    )
    html = response.get_data(as_text=True)
    assert "persoon 2" not in html
    assert 'title="Geanonimiseerd ([PERSOON-2])">broer</span>' in html
    [item] = patterns_store.learned_patterns(db)
    assert item["entries"][0]["tags"]["PERSOON-2"] == "Broer"


# Dutch words, charts with something to draw


def test_one_child_reads_kind_not_kinderen(lead, db):
    cases_store.save_case(db, make_case("een", title="Eén Gezin", region="Zuid"))
    html = lead.get("/patronen?region=Zuid").get_data(as_text=True)
    assert "1 kinderen" not in html and "1 gezinnen" not in html
    assert "van 1 kind," in html


def charts(html):
    """The chart specs of the page's canvases."""
    return [json.loads(unescape(spec)) for spec in re.findall(r'data-chart="([^"]*)"', html)]


def test_active_families_without_outcomes_get_no_empty_percent_chart(lead, db):
    """The default cohort (active families, none closed yet): no 0% chart, the reason in
    Dutch, and what the families have now."""
    html = lead.get("/patronen").get_data(as_text=True)
    for chart in charts(html):
        assert any(v for d in chart["datasets"] for v in d["data"]), chart
    assert 'id="tabel-outcomes"' in html and "Nog geen uitkomsten: een uitkomst" in html
    outcomes = html.split('id="tabel-outcomes"')[1].split("</figure>")[0]
    assert "<canvas" not in outcomes and "0%" not in outcomes
    assert "Lopende gezinnen: wat ze nu hebben" in html
    assert "Acties gedaan:" in html and "Gezinnen met een partner aan tafel:" in html
    assert "Nog geen doelen van ouders gescoord" in html


def test_closed_families_show_their_outcomes_chart(lead, db):
    cases_store.save_case(
        db,
        make_case(
            "klaar", title="Klaar", status="closed", region="West",
            outcome={"returned_home": True, "family_contact_improved": None, "date": "2026-01-01"},
        ),
    )  # fmt: skip
    html = lead.get("/patronen?status=closed&region=West").get_data(as_text=True)
    outcomes = html.split('id="tabel-outcomes"')[1].split("</figure>")[0]
    assert "<canvas" in outcomes and "1 van 1 gezin, 100%" in outcomes
    now = html.split('id="tabel-now"')[1].split("</figure>")[0]
    assert "Geen lopende gezinnen in deze selectie" in now and "<canvas" not in now


# CSV for Dutch Excel


def test_csv_for_dutch_excel_has_semicolons_and_a_byte_order_mark(lead, db):
    simba(db, region="Noord")
    query = "?status=&region=Noord"
    plain = lead.get(f"/patronen/outcomes.csv{query}")
    excel = lead.get(f"/patronen/outcomes.csv{query}&voor=excel")
    assert excel.status_code == 200 and excel.mimetype == "text/csv"
    assert 'filename="patronen-outcomes-excel.csv"' in excel.headers["Content-Disposition"]
    raw = excel.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert not plain.get_data().startswith(b"\xef\xbb\xbf")
    assert raw[3:].split(b"\r\n")[0] == (
        b'"Doel";"Uitkomstmaat";"Gezinnen";"Gelukt";"Percentage";"Nog geen uitkomst";'
        b'"Kinderen";"Kinderen gelukt";"Percentage kinderen"'
    )
    assert plain.get_data().split(b"\r\n")[0] == raw[3:].split(b"\r\n")[0].replace(b";", b",")
    # Same data, only the separator differs.
    semicolon = list(csv.reader(io.StringIO(raw[3:].decode("utf-8")), delimiter=";"))
    assert semicolon == csv_rows(plain)


def test_csv_links_offer_excel_first_and_plain_comma_beside(lead):
    html = lead.get("/patronen?region=Noord").get_data(as_text=True)
    excel = "/patronen/problems.csv?voor=excel&amp;region=Noord&amp;status=active"
    plain = "/patronen/problems.csv?region=Noord&amp;status=active"
    assert excel in html and plain in html
    assert html.index(excel) < html.index(plain)
    assert "CSV voor Excel: hoe vaak elk probleem voorkomt" in html
