"""The dashboard through the test client: access, filters, CSV = table, learned patterns."""

import csv
import html.parser
import io

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
    family_id = cases_store.family_row(db, "ander-gezin")["id"]
    with db.atomic():
        db.execute(
            "INSERT INTO library_cases (id, family_id, published_at, title, document) "
            "VALUES (1, ?, '2026-01-01', 'Bibliotheekcasus', '{}')",
            [family_id],
        )
        db.execute(
            "INSERT INTO library_entries (id, case_id, position, title) "
            "VALUES (5, 1, 0, 'Leasepaard')"
        )
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
    assert item["entries"] == [{"id": 5, "title": "Leasepaard"}]
