"""Cross-site scripting: a case with attack text in every text field, stored through the
API, is shown inert on every page and fragment that shows it.

Every GET route that names a family (from the URL map) is rendered as a page and as an
htmx fragment, for the facilitator and the admin; then the list, the access log (where
searches and failed logins are echoed) and the admin's user page. No response may hold
the payload's markup unescaped; the family page must hold its escaped form.
"""

import urllib.parse

import pytest

from accounts import store as accounts_store
from core.web import get_db
from tests import url_map
from tests.conftest import PASSWORD, LoggedIn, make_app
from tests.factories import XSS_LONG, XSS_PAYLOAD, XSS_TEMPLATE, make_xss_case
from tests.test_cases_views import FRAGMENTS as FAMILY_FRAGMENTS
from tests.url_map import ids, names_family, url_for_rule

PAYLOAD, LONG, TEMPLATE = XSS_PAYLOAD, XSS_LONG, XSS_TEMPLATE
CODE = "xss-gezin"

# What must never reach a browser unescaped, and what the escaped text looks like.
RAW = ("<script>alert(1)", "<img src=x", "onerror=alert(1)>")
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")

from genogram.views import DRAWING_ID, PANEL_ID  # noqa: E402
from rules.views import SIGNALS_ID  # noqa: E402

# Every htmx fragment of a family: (element asking, shows a form).
FRAGMENTS = {
    **FAMILY_FRAGMENTS,
    "genogram.show": (DRAWING_ID, False),
    "genogram.panel_person": (PANEL_ID, True),
    "genogram.panel_new_relative": (PANEL_ID, True),
    "genogram.panel_member": (PANEL_ID, True),
    "genogram.panel_close": (PANEL_ID, False),
    "rules.signals_block": (SIGNALS_ID, False),
    "conference.live": ("overleg-live", False),
}
# Forms for a new item (and the empty panel) show nothing of the case yet.
BLANK_FORMS = {"cases.new_person", "cases.new_member", "genogram.panel_close"}
GET_FAMILY_ROUTES = [item for item in url_map.rules() if item[1] == "GET" and names_family(item[2])]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("xss") / "test.db")
    with app.app_context():
        # A colleague whose display name is an attack, to be put on the family's team.
        accounts_store.create_user(get_db(), "kwaadwillend", PASSWORD, "professional", PAYLOAD)
    return app


@pytest.fixture(scope="module")
def users(app):
    facilitator = LoggedIn(app.test_client(), "facilitator")
    response = facilitator.post("/api/families", json=make_xss_case(CODE))
    assert response.status_code == 201, response.get_data(as_text=True)
    # Stored as typed: escaping is the templates' job, not the store's.
    assert response.get_json()["persons"][0]["name"] == f"{PAYLOAD} p1"
    with app.app_context():
        colleague = accounts_store.get_user_by_name(get_db(), "kwaadwillend")["id"]
    added = facilitator.post(
        f"/gezinnen/{CODE}/team", data={"user_id": str(colleague), "team_role": "member"}
    )
    assert added.status_code < 400, added.get_data(as_text=True)
    _conference_with_payload(facilitator)
    return {"facilitator": facilitator, "admin": LoggedIn(app.test_client(), "admin")}


def _conference_with_payload(client):
    """Conference 1 of the family, with the attack text in everything typed into it."""
    started = client.post(
        f"/gezinnen/{CODE}/overleggen", data={"held_on": "2026-11-23", "purpose": PAYLOAD}
    )
    assert started.status_code == 303
    base = started.headers["Location"]
    for kind in ("child_worry", "worry", "idea"):
        client.post(f"{base}/notities", data={"kind": kind, "text": PAYLOAD})
    client.post(f"{base}/deelnemers", data={"name": PAYLOAD, "role": PAYLOAD})
    client.post(f"{base}/doelen", data={"person_id": "p2", "goal": PAYLOAD})
    client.post(
        f"{base}/besluiten",
        data={"title": PAYLOAD, "owner": PAYLOAD, "lead": PAYLOAD, "fallback": PAYLOAD},
    )


def assert_inert(response, where):
    # SVG is markup too: opened on its own, a browser runs what it contains.
    if response.mimetype not in ("text/html", "image/svg+xml"):
        # JSON and CSV hold the text as it is, which is right: they are data, never
        # HTML, and nosniff forbids the browser to guess otherwise. A PNG holds pixels.
        data = ("application/json", "text/csv", "text/plain", "image/png", "application/pdf")
        assert response.mimetype in data, where
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        return
    body = response.get_data(as_text=True)
    for raw in RAW:
        assert raw not in body, f"unescaped {raw!r} in {where}"
    assert 'href="javascript:' not in body and "href='javascript:" not in body, where
    assert 'src="javascript:' not in body, where


def test_the_payload_is_stored_and_the_family_page_shows_it_escaped(users):
    response = users["facilitator"].get(f"/gezinnen/{CODE}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_inert(response, "family page")
    for escaped in ESCAPED:
        assert escaped in html
    assert TEMPLATE in html  # not 49: Jinja did not evaluate it


@pytest.mark.parametrize(
    ("endpoint", "method", "rule"), GET_FAMILY_ROUTES, ids=ids(GET_FAMILY_ROUTES)
)
@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_every_family_page_and_fragment_is_inert(users, role, endpoint, method, rule):
    url = url_for_rule(rule, code=CODE)
    page = users[role].get(url, follow_redirects=True)
    assert page.status_code < 500
    assert_inert(page, f"{endpoint} page as {role}")
    if endpoint in FRAGMENTS:
        element, _shows_form = FRAGMENTS[endpoint]
        fragment = users[role].get(url, headers={"HX-Request": "true", "HX-Target": element})
        assert fragment.status_code == 200
        assert_inert(fragment, f"{endpoint} fragment as {role}")
        if endpoint not in BLANK_FORMS:
            html = fragment.get_data(as_text=True)
            assert any(e in html for e in ESCAPED), f"{endpoint} shows none of the case's text"


@pytest.mark.parametrize(
    "endpoint", ["cases.edit_situation", "cases.edit_person", "cases.edit_member"]
)
def test_edit_forms_hold_the_payload_escaped_in_their_values(users, endpoint):
    rule = next(rule for e, _m, rule in GET_FAMILY_ROUTES if e == endpoint)
    element, _ = FRAGMENTS[endpoint]
    html = (
        users["facilitator"]
        .get(url_for_rule(rule, code=CODE), headers={"HX-Request": "true", "HX-Target": element})
        .get_data(as_text=True)
    )
    # In an attribute the quote is escaped too, so the value cannot be closed early.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img" in html


def test_refused_edit_echoes_the_typed_payload_escaped(users):
    # What the user typed comes back in the form with an error beside it.
    response = users["facilitator"].post(
        f"/gezinnen/{CODE}/personen/p1",
        data={"version": "1", "name": PAYLOAD, "sex": "female", "birth_year": PAYLOAD},
        headers={"HX-Request": "true", "HX-Target": "persoon-p1"},
    )
    assert response.status_code in (409, 422)
    assert_inert(response, "refused person form")


def test_family_list_and_search_are_inert(users):
    for role in ("facilitator", "admin"):
        client = users[role]
        for query in ("", "?" + urllib.parse.urlencode({"q": PAYLOAD, "region": PAYLOAD})):
            page = client.get("/gezinnen/" + query)
            assert_inert(page, f"list {query!r} as {role}")
            rows = client.get(
                "/gezinnen/" + query, headers={"HX-Request": "true", "HX-Target": "family-rows"}
            )
            assert_inert(rows, f"rows {query!r} as {role}")
        assert "&lt;script&gt;alert(1)" in client.get("/gezinnen/").get_data(as_text=True)
    api = users["facilitator"].get("/api/families?" + urllib.parse.urlencode({"q": "alert"}))
    assert api.is_json and [row["code"] for row in api.get_json()] == [CODE]


def test_access_log_and_overview_echo_searches_and_logins_inert(app, users):
    # A search and a failed login with attack text end up in the log's detail/object.
    users["facilitator"].get("/gezinnen/?" + urllib.parse.urlencode({"q": PAYLOAD}))
    anonymous = app.test_client()
    html = anonymous.get("/login").get_data(as_text=True)
    start = html.index('name="csrf-token" content="') + len('name="csrf-token" content="')
    token = html[start : html.index('"', start)]
    failed = anonymous.post(
        "/login", data={"username": PAYLOAD, "password": "x", "csrf_token": token}
    )
    assert failed.status_code == 401
    assert_inert(failed, "login page with the typed name")
    admin = users["admin"]
    log = admin.get("/beheer/toegangslog/")
    assert log.status_code == 200
    assert_inert(log, "access log")
    assert "&lt;script&gt;alert(1)" in log.get_data(as_text=True)  # the search is there
    filtered = admin.get(
        "/beheer/toegangslog/?" + urllib.parse.urlencode({"gezin": PAYLOAD, "gebruiker": PAYLOAD})
    )
    assert_inert(filtered, "access log filtered by attack text")
    assert_inert(admin.get("/beheer/toegangslog/export.csv"), "access log CSV")
    for user in ("facilitator", "admin"):
        assert_inert(users[user].get(f"/gezinnen/{CODE}/inzage"), "access overview")


def test_user_admin_page_and_header_show_a_display_name_inert(app, users):
    page = users["admin"].get("/beheer/gebruikers")
    assert page.status_code == 200
    assert_inert(page, "user admin page")
    assert "&lt;script&gt;alert(1)" in page.get_data(as_text=True)
    # The colleague's own pages show their name in the header.
    own = LoggedIn(app.test_client(), "kwaadwillend")
    for url in ("/profiel", "/gezinnen/", f"/gezinnen/{CODE}"):
        assert_inert(own.get(url), f"{url} as the user with the attack name")
