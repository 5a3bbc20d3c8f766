"""SQL metacharacters in every search and filter: never a 500, matched literally, no
extra rows.

A third family holds the metacharacters in its title, region, story and a person's
name, so a literal match has something to find; what each list returns is compared
with what a plain substring test says it should.
"""

import re
import urllib.parse

import pytest

from audit import store as audit_store
from cases import store
from core.web import get_db
from tests.conftest import LoggedIn, make_app
from tests.factories import make_case

TERMS = [
    "'",
    '"',
    "%",
    "_",
    "\\",
    ";--",
    "' OR 1=1 --",
    "%' OR '1'='1",
    '" OR ""="',
    "'); DROP TABLE families;--",
    "*",
    "[a-z]",
    "\x00",
    "NULL",
    "' UNION SELECT username, password_hash FROM users --",
]
META = {
    "title": "Gezin 100% echt_waar",
    "region": "O'Neill;--",
    "narrative": 'Zei "nee"; pad C:\\jeugd\\zorg en 50% kans',
}
META_PERSON = "Robert'); DROP TABLE families;--"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("sql") / "test.db")
    with app.app_context():
        case = make_case("meta-gezin", **META)
        case["persons"][1]["name"] = META_PERSON
        store.save_case(get_db(), case)
    return app


@pytest.fixture(scope="module")
def admin(app):
    return LoggedIn(app.test_client(), "admin")


@pytest.fixture(scope="module")
def families(app):
    """Every family's searchable texts, for the expected results."""
    with app.app_context():
        db = get_db()
        found = {}
        for row in store.list_families(db, limit=None):
            case = store.load_case(db, row["code"])
            texts = [case["title"], case["code"], case["region"] or "", case["narrative"] or ""]
            texts += [person["name"] or "" for person in case["persons"]]
            found[row["code"]] = {"texts": texts, "region": case["region"]}
        return found


def expected_codes(families, term):
    """The families a literal, case-insensitive substring search finds."""
    term = term.strip().lower()
    if not term:
        return sorted(families)
    return sorted(
        code for code, family in families.items() if any(term in t.lower() for t in family["texts"])
    )


def query(**params):
    return "?" + urllib.parse.urlencode(params)


def api_codes(client, **params):
    response = client.get("/api/families" + query(**params))
    assert response.status_code == 200, response.get_data(as_text=True)
    return sorted(row["code"] for row in response.get_json())


def rows_codes(client, **params):
    response = client.get(
        "/gezinnen/" + query(**params), headers={"HX-Request": "true", "HX-Target": "family-rows"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    return sorted(
        code for code in ("test-gezin", "ander-gezin", "meta-gezin") if f'/{code}"' in html
    )


def assert_tables_intact(app):
    with app.app_context():
        db = get_db()
        assert db.table("families").count == 3
        assert db.table("users").count == 5


def test_the_metacharacter_family_is_found_literally(admin, families):
    assert api_codes(admin, q="100%") == ["meta-gezin"]
    assert api_codes(admin, q="echt_waar") == ["meta-gezin"]
    assert api_codes(admin, q="echt%waar") == []  # % is no wildcard
    assert api_codes(admin, q="echtXwaar") == []  # _ is no wildcard
    assert api_codes(admin, q="C:\\jeugd") == ["meta-gezin"]
    assert api_codes(admin, q=META_PERSON) == ["meta-gezin"]


@pytest.mark.parametrize("term", TERMS, ids=repr)
def test_api_search_matches_literally(app, admin, families, term):
    assert api_codes(admin, q=term) == expected_codes(families, term)
    assert_tables_intact(app)


@pytest.mark.parametrize("term", TERMS, ids=repr)
def test_family_list_search_matches_literally(app, admin, families, term):
    assert rows_codes(admin, q=term) == expected_codes(families, term)
    page = admin.get("/gezinnen/" + query(q=term))
    assert page.status_code == 200
    assert_tables_intact(app)


@pytest.mark.parametrize("term", TERMS, ids=repr)
@pytest.mark.parametrize("key", ["goal", "status", "region"])
def test_api_filters_match_exactly(app, admin, families, key, term):
    # A filter is an equality: no metacharacter widens it.
    expected = (
        sorted(c for c, f in families.items() if f["region"] == term) if key == "region" else []
    )
    assert api_codes(admin, **{key: term}) == expected
    assert api_codes(admin, **{key: term, "q": term}) == sorted(
        set(expected) & set(expected_codes(families, term))
    )


@pytest.mark.parametrize("term", TERMS, ids=repr)
@pytest.mark.parametrize("key", ["goal", "status", "region"])
def test_family_list_filters_never_widen(admin, families, key, term):
    codes = rows_codes(admin, **{key: term})
    if key == "region":
        assert codes == sorted(c for c, f in families.items() if f["region"] == term)
    else:
        # Unknown goal and status codes are ignored: the unfiltered list, nothing more.
        assert codes == sorted(families)


def test_region_with_metacharacters_filters_exactly(admin):
    assert api_codes(admin, region=META["region"]) == ["meta-gezin"]
    assert rows_codes(admin, region=META["region"]) == ["meta-gezin"]
    assert api_codes(admin, region="O'Neill") == []


@pytest.mark.parametrize("term", TERMS, ids=repr)
def test_pseudonymised_and_team_lists_stay_scoped(app, families, term):
    # The project lead's search looks at title, code and region only (a name or the
    # story must not be findable); the professional only ever sees their own family.
    lead = LoggedIn(app.test_client(), "projectlead")
    professional = LoggedIn(app.test_client(), "professional")
    assert set(api_codes(professional, q=term)) == set(expected_codes(families, term)) & {
        "test-gezin"
    }
    assert set(rows_codes(professional, q=term)) <= {"test-gezin"}
    public = {code: {"texts": f["texts"][:3]} for code, f in families.items()}
    assert api_codes(lead, q=term) == expected_codes(public, term)


# The access log's filters


def log_page(admin, **params):
    response = admin.get("/beheer/toegangslog/" + query(**params))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def log_rows(html):
    return html.count("<tr>") - 1 if "<tbody>" in html else 0


@pytest.mark.parametrize("term", TERMS, ids=repr)
@pytest.mark.parametrize("key", ["gezin", "gebruiker"])
def test_access_log_filters_find_nothing_for_metacharacters(app, admin, key, term):
    html = log_page(admin, **{key: term})
    if term.strip():
        assert "Geen regels gevonden" in html
        assert "form-errors" in html  # and it says why
    csv = admin.get("/beheer/toegangslog/export.csv" + query(**{key: term}))
    assert csv.status_code in (200, 422)
    assert_tables_intact(app)


@pytest.mark.parametrize("term", TERMS, ids=repr)
@pytest.mark.parametrize("key", ["van", "tot"])
def test_access_log_dates_with_metacharacters_are_refused_politely(admin, key, term):
    html = log_page(admin, **{key: term})
    if term.strip():
        assert "geef een datum als jjjj-mm-dd" in html
    csv = admin.get("/beheer/toegangslog/export.csv" + query(**{key: term}))
    assert csv.status_code == (422 if term.strip() else 200)


def test_access_log_filter_on_a_family_code_is_exact(app, admin):
    admin.get("/gezinnen/meta-gezin")
    admin.get("/gezinnen/test-gezin")
    with app.app_context():
        entries = audit_store.entries(get_db(), limit=None)
    meta_entries = [e for e in entries if e["family_code"] == "meta-gezin"]
    html = log_page(admin, gezin="meta-gezin")
    assert log_rows(html) == len(meta_entries)
    assert "test-gezin" not in html.split("<tbody>")[1]
    # A LIKE-style pattern is no pattern here.
    assert "Geen regels gevonden" in log_page(admin, gezin="meta%")
    assert "Geen regels gevonden" in log_page(admin, gezin="meta-gezi_")


@pytest.mark.parametrize(
    "params",
    [
        {"pagina": "99999999999999999999"},
        {"pagina": "-1"},
        {"pagina": "' OR 1=1"},
        {"tot": "9999-12-31"},
        {"van": "0001-01-01", "tot": "0001-01-01"},
        {"endpoint": "x"},
        {"_external": "1", "_scheme": "javascript"},
        {"_anchor": "x", "values": "1"},
    ],
    ids=repr,
)
def test_access_log_odd_parameters_are_no_500(admin, params):
    html = log_page(admin, **params)
    # Only its own filters go back into the page's links (a parameter called "endpoint"
    # or "_external" once reached url_for and broke the page or its links).
    for link in re.findall(r'href="(/beheer/toegangslog/[^"]*)"', html):
        assert not any(key in link for key in ("endpoint", "_external", "_scheme", "#", "values"))
    assert admin.get("/beheer/toegangslog/export.csv" + query(**params)).status_code == 200


def test_user_admin_page_has_no_filters_and_takes_odd_parameters(admin):
    # The user page lists everyone and filters nothing; odd parameters change nothing.
    plain = admin.get("/beheer/gebruikers").get_data(as_text=True)
    odd = admin.get("/beheer/gebruikers" + query(q="' OR 1=1 --", rol="%")).get_data(as_text=True)
    assert odd.count("<tr") == plain.count("<tr")
