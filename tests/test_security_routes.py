"""Need-to-know on every route, enumerated from the URL map (see tests/url_map.py).

For every route and method: logged out is refused; a route that names a family refuses
whoever is not on its team (403, the same answer whether or not the family exists, for
pages and htmx fragments alike); admin pages refuse every other role; the project lead
sees a pseudonymised list only and the professional only their own family.
"""

import urllib.parse

import pytest

from access import policy
from tests import url_map
from tests.conftest import LoggedIn, make_app
from tests.url_map import (
    PERSON_NAMES,
    PUBLIC,
    TEST_FAMILY_TITLE,
    WRITE_METHODS,
    ids,
    is_admin_only,
    is_api,
    names_family,
    protected,
    url_for_rule,
)

PROTECTED = protected()
FAMILY_ROUTES = [item for item in PROTECTED if names_family(item[2])]
ADMIN_ROUTES = [item for item in PROTECTED if is_admin_only(item[0])]
OTHER_FAMILY_TITLE = "Het Andere Gezin"
NON_ADMINS = ("facilitator", "professional", "projectlead", "buitenstaander")
HX_TARGET = "gezin-en-netwerk-inhoud"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    # Refused requests change nothing but the access log, so one app serves the module.
    return make_app(tmp_path_factory.mktemp("routes") / "test.db")


@pytest.fixture(scope="module")
def users(app):
    """A logged-in client per user, sending the CSRF header on writes."""
    return {
        name: LoggedIn(app.test_client(), name)
        for name in ("facilitator", "professional", "projectlead", "admin", "buitenstaander")
    }


@pytest.fixture
def anonymous(app):
    """A logged-out client that does carry a valid CSRF token, so only the login is missing."""
    return fresh_anonymous(app)


def fresh_anonymous(app):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    token = html[start : html.index('"', start)]
    return client, {"X-CSRFToken": token}


def call(client, method, url, headers=None):
    """One request; writes get a small form body, as a browser would send, and the
    client's CSRF token: what refuses them must be the access check."""
    kwargs = {"headers": dict(headers or {})}
    if isinstance(client, LoggedIn):
        kwargs["headers"].setdefault("X-CSRFToken", client.token)
    if method in WRITE_METHODS:
        if url.startswith("/api/"):
            kwargs["json"] = {}
        else:
            kwargs["data"] = {"version": "1", "name": "x"}
    return client.open(url, method=method, **kwargs)


def assert_reveals_nothing(response, title=TEST_FAMILY_TITLE):
    body = response.get_data(as_text=True)
    assert title not in body
    for name in PERSON_NAMES:
        assert name not in body, f"{name!r} shown to someone who may not see it"


def expected_refusal(response, rule):
    """Logged out: HTML routes send to the login page, the API answers 401 in JSON."""
    if is_api(rule):
        assert response.status_code == 401, response.get_data(as_text=True)
        assert response.is_json
        assert "authentication required" in response.get_json()["error"]
    else:
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        assert response.headers["Location"].startswith("/login")


# The route list itself


def test_public_allow_list_is_small_and_real(app):
    endpoints = {endpoint for endpoint, _method, _rule in url_map.rules(app)}
    assert set(PUBLIC) <= endpoints
    assert len(PUBLIC) <= 5


def test_every_route_has_samples_for_its_arguments():
    # Building every URL fails loudly for an argument without a sample.
    for _endpoint, _method, rule in url_map.rules():
        assert url_for_rule(rule).startswith("/")


def test_a_route_argument_without_a_sample_fails_loudly():
    from werkzeug.routing import Map, Rule

    rule = Rule("/gezinnen/<code>/overleggen/<meeting_id>", endpoint="x.y")
    Map([rule])
    with pytest.raises(AssertionError, match=r"\['meeting_id'\] without a sample"):
        url_for_rule(rule)


def test_every_route_under_a_family_names_it_code():
    # The guard keys on the argument called "code"; a family route that called it
    # anything else would slip past the need-to-know check.
    for endpoint, _method, rule in url_map.rules():
        for prefix in ("/gezinnen/<", "/api/families/<"):
            if rule.rule.startswith(prefix):
                assert rule.rule.startswith(prefix.rstrip("<") + "<code>"), endpoint


def test_route_lists_are_not_empty():
    assert len(FAMILY_ROUTES) >= 40
    assert {"api.show", "api.update", "api.delete", "cases.show"} <= {e for e, *_ in FAMILY_ROUTES}
    assert len(ADMIN_ROUTES) >= 7


# Logged out


@pytest.mark.parametrize(("endpoint", "method", "rule"), PROTECTED, ids=ids(PROTECTED))
def test_logged_out_is_refused(app, anonymous, endpoint, method, rule):
    client, csrf = anonymous
    url = url_for_rule(rule)
    response = call(client, method, url, headers=csrf)
    expected_refusal(response, rule)
    assert_reveals_nothing(response)
    # An htmx request is refused the same way.
    client, csrf = fresh_anonymous(app)  # logging out clears the session and its token
    response = call(client, method, url, headers={**csrf, "HX-Request": "true", "HX-Target": "x"})
    expected_refusal(response, rule)
    assert_reveals_nothing(response)


# Not on the family's team


@pytest.mark.parametrize(("endpoint", "method", "rule"), FAMILY_ROUTES, ids=ids(FAMILY_ROUTES))
def test_outsider_is_403_and_sees_nothing(users, endpoint, method, rule):
    outsider = users["buitenstaander"]
    response = call(outsider, method, url_for_rule(rule))
    assert response.status_code == 403
    assert_reveals_nothing(response)
    if is_api(rule):
        assert response.get_json() == {"error": "forbidden"}


@pytest.mark.parametrize(("endpoint", "method", "rule"), FAMILY_ROUTES, ids=ids(FAMILY_ROUTES))
def test_outsider_gets_the_same_403_for_a_family_that_does_not_exist(users, endpoint, method, rule):
    outsider = users["buitenstaander"]
    existing = call(outsider, method, url_for_rule(rule))
    missing = call(outsider, method, url_for_rule(rule, code="bestaat-niet"))
    assert missing.status_code == 403
    # Not even the body tells the two apart.
    assert url_map.without_csrf_tokens(missing.get_data(as_text=True)) == (
        url_map.without_csrf_tokens(existing.get_data(as_text=True))
    )


@pytest.mark.parametrize(("endpoint", "method", "rule"), FAMILY_ROUTES, ids=ids(FAMILY_ROUTES))
def test_outsider_htmx_fragment_request_is_403(users, endpoint, method, rule):
    outsider = users["buitenstaander"]
    for code in ("test-gezin", "bestaat-niet"):
        response = call(
            outsider,
            method,
            url_for_rule(rule, code=code),
            headers={"HX-Request": "true", "HX-Target": HX_TARGET},
        )
        assert response.status_code == 403
        assert "<html" not in response.get_data(as_text=True)
        assert_reveals_nothing(response)


@pytest.mark.parametrize(("endpoint", "method", "rule"), FAMILY_ROUTES, ids=ids(FAMILY_ROUTES))
def test_project_lead_is_403_on_every_family_route(users, endpoint, method, rule):
    for code, title in (("test-gezin", TEST_FAMILY_TITLE), ("ander-gezin", OTHER_FAMILY_TITLE)):
        response = call(users["projectlead"], method, url_for_rule(rule, code=code))
        assert response.status_code == 403
        assert_reveals_nothing(response, title)


@pytest.mark.parametrize(("endpoint", "method", "rule"), FAMILY_ROUTES, ids=ids(FAMILY_ROUTES))
def test_professional_is_403_on_a_family_outside_their_team(users, endpoint, method, rule):
    response = call(users["professional"], method, url_for_rule(rule, code="ander-gezin"))
    assert response.status_code == 403
    assert_reveals_nothing(response, OTHER_FAMILY_TITLE)


# The professional is a plain member of test-gezin: reading and editing yes; team,
# export and erasure no.
FACILITATOR_ONLY = [
    item
    for item in FAMILY_ROUTES
    if not policy.allowed("professional", policy.TEAM_MEMBER, url_map.action_for(*item[:2]))
]


def test_some_routes_are_for_facilitators_only():
    assert {"api.delete", "privacy.erase", "privacy.add_member"} <= {
        e for e, *_ in FACILITATOR_ONLY
    }


@pytest.mark.parametrize(
    ("endpoint", "method", "rule"), FACILITATOR_ONLY, ids=ids(FACILITATOR_ONLY)
)
def test_team_member_is_refused_what_only_a_facilitator_may(users, endpoint, method, rule):
    response = call(users["professional"], method, url_for_rule(rule))
    assert response.status_code == 403


GET_FAMILY_ROUTES = [item for item in FAMILY_ROUTES if item[1] == "GET"]


@pytest.mark.parametrize(
    ("endpoint", "method", "rule"), GET_FAMILY_ROUTES, ids=ids(GET_FAMILY_ROUTES)
)
def test_the_team_and_admins_do_get_in(users, endpoint, method, rule):
    # The other side of the refusals above: they refuse because of the team, not always.
    for name in ("facilitator", "admin"):
        response = call(users[name], method, url_for_rule(rule))
        assert response.status_code not in (401, 403), (name, response.status_code)
        assert response.status_code < 500


# Admin pages


@pytest.mark.parametrize(("endpoint", "method", "rule"), ADMIN_ROUTES, ids=ids(ADMIN_ROUTES))
def test_admin_routes_are_403_for_every_other_role(users, endpoint, method, rule):
    for name in NON_ADMINS:
        for headers in ({}, {"HX-Request": "true", "HX-Target": "x"}):
            response = call(users[name], method, url_for_rule(rule), headers=headers)
            assert response.status_code == 403, (name, headers)


def test_admin_routes_are_open_to_admins(users):
    assert users["admin"].get("/beheer/gebruikers").status_code == 200
    assert users["admin"].get("/beheer/toegangslog/").status_code == 200
    assert users["admin"].get("/beheer/toegangslog/export.csv").status_code == 200


# What each role's lists show


def list_html(client, query=""):
    return client.get("/gezinnen/" + query).get_data(as_text=True)


def rows_html(client, query=""):
    response = client.get(
        "/gezinnen/" + query, headers={"HX-Request": "true", "HX-Target": "family-rows"}
    )
    assert "<html" not in response.get_data(as_text=True)
    return response.get_data(as_text=True)


def api_codes(client, query=""):
    response = client.get("/api/families" + query)
    assert response.status_code == 200
    return sorted(row["code"] for row in response.get_json())


def test_project_lead_list_is_pseudonymised(users):
    lead = users["projectlead"]
    for html in (list_html(lead), rows_html(lead)):
        assert TEST_FAMILY_TITLE in html and OTHER_FAMILY_TITLE in html
        for name in PERSON_NAMES:
            assert name not in html
        # No way into a family page from the list.
        assert 'href="/gezinnen/test-gezin"' not in html
        assert 'href="/gezinnen/ander-gezin"' not in html
    rows = lead.get("/api/families").get_json()
    assert sorted(row["code"] for row in rows) == ["ander-gezin", "test-gezin"]
    for row in rows:
        assert set(row) == {"code", "title", "goal", "status", "region", "started"}
        for name in PERSON_NAMES:
            assert name not in str(row)


@pytest.mark.parametrize("term", ["Sanne", "Moeder", "gesloten jeugdzorg"])
def test_project_lead_search_for_a_name_or_story_finds_nothing(users, term):
    lead = users["projectlead"]
    query = "?" + urllib.parse.urlencode({"q": term})
    assert api_codes(lead, query) == []
    html = rows_html(lead, query)
    assert "0 gezinnen" in html and TEST_FAMILY_TITLE not in html
    # The team does find it (both test families hold these names), so the search works.
    assert api_codes(users["facilitator"], query) == ["ander-gezin", "test-gezin"]


def test_professional_sees_only_their_family(users):
    professional = users["professional"]
    html = list_html(professional)
    assert TEST_FAMILY_TITLE in html and OTHER_FAMILY_TITLE not in html
    assert api_codes(professional) == ["test-gezin"]
    assert api_codes(professional, "?q=Andere") == []
    assert api_codes(professional, "?region=Noord") == []


def test_outsider_sees_no_family_and_admin_every_family(users):
    assert api_codes(users["buitenstaander"]) == []
    assert TEST_FAMILY_TITLE not in list_html(users["buitenstaander"])
    assert api_codes(users["admin"]) == ["ander-gezin", "test-gezin"]
    assert api_codes(users["facilitator"]) == ["ander-gezin", "test-gezin"]
