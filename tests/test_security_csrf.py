"""CSRF on every write route of the URL map: without the token, or with a wrong one,
a logged-in session is refused (400) and nothing changes.

The admin may do everything, so what refuses is the token and nothing else; the same
request with the right token is not refused for CSRF, so the body would have counted.
"""

import pytest

from core.web import get_db
from tests import url_map
from tests.conftest import LoggedIn
from tests.factories import make_case
from tests.url_map import WRITE_METHODS, ids, is_api, url_for_rule

WRITES = [item for item in url_map.rules() if item[1] in WRITE_METHODS]
CSRF_TEXT = "Formulier verlopen"

# Bodies that the routes would accept (or at least act on), so a missing check would
# show as a change. Other routes get the family's version and a few common fields.
STRONG = "Een heel Sterk wachtwoord 42!"
BODIES = {
    "api.create": {"json": make_case("nieuw-gezin")},
    "api.update": {"json": make_case(title="Via CSRF")},
    "api.delete": {},
    "cases.create_family": {
        "data": {
            "title": "Via CSRF",
            "goal": "return_home",
            "child_name": "Kim",
            "child_sex": "male",
        }
    },
    "cases.update_person": {
        "data": {"version": "1", "name": "Via CSRF", "sex": "female", "index": "y"}
    },
    "cases.update_situation": {
        "data": {"version": "1", "title": "Via CSRF", "goal": "return_home", "status": "active"}
    },
    "cases.create_person": {"data": {"version": "1", "name": "Via CSRF", "sex": "male"}},
    "cases.create_member": {"data": {"version": "1", "name": "Via CSRF", "partner": "informal"}},
    "user_admin.create": {
        "data": {"username": "viacsrf", "role": "admin", "password": STRONG, "repeat": STRONG}
    },
    "user_admin.update_active": {"data": {"active": "0"}},
    "user_admin.update_role": {"data": {"role": "admin"}},
    "user_admin.update_settings": {"data": {"require_professional": "y"}},
    "accounts.create_token": {"data": {"name": "via-csrf"}},
    "accounts.change_password": {
        "data": {"current": "correct horse battery staple", "new": STRONG, "repeat": STRONG}
    },
    "accounts.login": {"data": {"username": "admin", "password": "correct horse battery staple"}},
}
FALLBACK = {"data": {"version": "1", "name": "Via CSRF", "title": "Via CSRF", "reason": "x" * 20}}


def body(endpoint):
    return dict(BODIES.get(endpoint, FALLBACK))


def dump(app):
    with app.app_context():
        return url_map.dump(get_db())


def send(client, method, url, endpoint, headers):
    return client.open(url, method=method, headers=headers, **body(endpoint))


def assert_csrf_refused(response, rule):
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    if is_api(rule):
        assert response.is_json and "CSRF" in response.get_json()["error"]
    else:
        assert CSRF_TEXT in response.get_data(as_text=True)


def test_every_write_route_is_checked_here():
    assert len(WRITES) >= 35
    assert {"DELETE", "PUT", "POST"} <= {method for _e, method, _r in WRITES}


@pytest.mark.parametrize(("endpoint", "method", "rule"), WRITES, ids=ids(WRITES))
def test_write_without_or_with_a_wrong_csrf_token_is_refused(app, endpoint, method, rule):
    admin = LoggedIn(app.test_client(), "admin")
    # A real token, but of another session: as useless as a made-up one.
    other = LoggedIn(app.test_client(), "facilitator").token
    url = url_for_rule(rule)
    before = dump(app)
    for headers in (
        {},
        {"X-CSRFToken": "not-the-token"},
        {"X-CSRFToken": other},
        {"X-CSRFToken": ""},
        {"HX-Request": "true", "HX-Target": "x"},
    ):
        response = send(admin.client, method, url, endpoint, headers)
        assert_csrf_refused(response, rule)
        assert dump(app) == before, headers
    if not is_api(rule):
        # A wrong token in the form field instead of the header is refused alike.
        kwargs = body(endpoint)
        kwargs["data"] = {**kwargs.get("data", {}), "csrf_token": other}
        response = admin.client.open(url, method=method, **kwargs)
        assert_csrf_refused(response, rule)
        assert dump(app) == before
    # The session survived every refused attempt (a refused logout logs nobody out).
    assert admin.get("/profiel").status_code == 200
    # With the right token the same request is not refused for CSRF.
    response = send(admin.client, method, url, endpoint, {"X-CSRFToken": admin.token})
    assert CSRF_TEXT not in response.get_data(as_text=True)
    if response.is_json and isinstance(response.get_json(), dict):
        assert "CSRF" not in str(response.get_json().get("error"))


@pytest.mark.parametrize(
    "endpoint", ["accounts.login", "accounts.login_code", "accounts.login_enrol"]
)
def test_login_forms_without_a_token_are_refused(app, client, endpoint):
    # Login CSRF: a forged login would put a victim in the attacker's account.
    rule = next(rule for e, _m, rule in WRITES if e == endpoint)
    before = dump(app)
    response = send(client, "POST", url_for_rule(rule), endpoint, {})
    assert_csrf_refused(response, rule)
    assert dump(app) == before
    assert client.get("/profiel").status_code == 302  # still logged out


def test_api_token_requests_need_no_csrf_token_and_ignore_the_session(app, client):
    # The exemption for bearer tokens (no cookie, so no forgery) must not extend to a
    # session: a request with a cookie and no token is still checked.
    from accounts import store as accounts_store

    with app.app_context():
        db = get_db()
        token = accounts_store.create_token(
            db, accounts_store.get_user_by_name(db, "facilitator")["id"], "t"
        )
    bearer = {"Authorization": f"Bearer {token}"}
    etag = client.get("/api/families/test-gezin", headers=bearer).headers["ETag"]
    response = client.put(
        "/api/families/test-gezin",
        json=make_case(title="Met token"),
        headers={**bearer, "If-Match": etag},
    )
    assert response.status_code == 200
    session = LoggedIn(app.test_client(), "facilitator")
    response = session.client.put(
        "/api/families/test-gezin",
        json=make_case(title="Zonder"),
        headers={"If-Match": response.headers["ETag"]},
    )
    assert response.status_code == 400
