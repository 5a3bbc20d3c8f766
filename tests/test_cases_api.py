"""The JSON API under /api: authentication, CSRF, status codes and all-or-nothing writes."""

import datetime

import pytest

from access import store as access_store
from accounts import store as accounts_store
from cases import api, store
from cases.validation import canonical_case, validate_case
from core.web import get_db
from privacy import retention
from privacy import store as privacy_store
from tests.conftest import LoggedIn
from tests.factories import make_case

ROUTES = [
    ("get", "/api/families"),
    ("post", "/api/families"),
    ("get", "/api/families/test-gezin"),
    ("put", "/api/families/test-gezin"),
    ("delete", "/api/families/test-gezin"),
]
WRITES = [route for route in ROUTES if route[0] != "get"]


def body_for(method):
    if method == "post":
        return make_case("nieuw-gezin")
    if method == "put":
        return make_case(title="Via de API")
    return None


def dump(app):
    """Every table but the access log, which is meant to grow with each attempt."""
    with app.app_context():
        return "\n".join(
            line
            for line in get_db().conn.iterdump()
            if not line.startswith('INSERT INTO "access_log"')
        )


def log(app):
    """The access log as (event, outcome, family_code, object, username) tuples."""
    with app.app_context():
        return [
            (row["event"], row["outcome"], row["family_code"], row["object"], row["username"])
            for row in get_db().query("SELECT * FROM access_log ORDER BY id")
        ]


def new_entries(app, before):
    return log(app)[len(before) :]


def new_token(app, username="facilitator"):
    with app.app_context():
        db = get_db()
        return accounts_store.create_token(
            db, accounts_store.get_user_by_name(db, username)["id"], "test"
        )


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def stored(app, code):
    with app.app_context():
        return store.load_case(get_db(), code)


def current(app, code="test-gezin"):
    """The If-Match header naming the family's current version."""
    with app.app_context():
        return {"If-Match": api.etag(store.family_row(get_db(), code))}


# Who may call


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_api_logged_out_is_401_json(app, client, method, url):
    before, logged = dump(app), log(app)
    response = getattr(client, method)(url, json=body_for(method))
    assert response.status_code == 401
    assert response.is_json
    assert "authentication required" in response.get_json()["error"]
    assert dump(app) == before
    if "<code>" in url or url.endswith("test-gezin"):
        # An anonymous attempt at a family is logged as refused, with no user.
        (entry,) = new_entries(app, logged)
        assert entry[1:3] == ("denied", "test-gezin") and entry[4] is None


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_api_session_without_csrf_header_is_refused(app, login, method, url):
    # The facilitator may write and erase test-gezin: only the missing token refuses.
    client = login("facilitator").client  # the bare client: no X-CSRFToken header
    before, logged = dump(app), log(app)
    response = getattr(client, method)(url, json=body_for(method))
    assert response.status_code == 400
    assert response.is_json
    assert "CSRF" in response.get_json()["error"]
    assert dump(app) == before
    if url.endswith("test-gezin"):
        # A forged or token-less write is refused for lack of authority: "denied".
        (entry,) = new_entries(app, logged)
        assert entry[1:3] == ("denied", "test-gezin") and entry[4] == "facilitator"


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_api_session_with_wrong_csrf_header_is_refused(app, login, method, url):
    client = login("facilitator")
    before = dump(app)
    response = getattr(client, method)(
        url, json=body_for(method), headers={"X-CSRFToken": "not-the-token"}
    )
    assert response.status_code == 400
    assert "CSRF" in response.get_json()["error"]
    assert dump(app) == before


def test_api_session_with_csrf_works_for_every_route(app, login):
    # A facilitator creates, and so facilitates (reads, changes, erases) the new family.
    client = login("facilitator")
    assert client.get("/api/families").status_code == 200
    assert client.post("/api/families", json=make_case("nieuw-gezin")).status_code == 201
    assert client.get("/api/families/nieuw-gezin").status_code == 200
    response = client.put(
        "/api/families/nieuw-gezin",
        json=make_case("nieuw-gezin", title="X"),
        headers=current(app, "nieuw-gezin"),
    )
    assert response.status_code == 200
    response = client.delete("/api/families/nieuw-gezin", headers=current(app, "nieuw-gezin"))
    assert response.status_code == 204
    assert stored(app, "nieuw-gezin") is None


def test_api_token_works_for_every_route_without_csrf(app, client):
    headers = bearer(new_token(app))
    assert client.get("/api/families", headers=headers).status_code == 200
    response = client.post("/api/families", json=make_case("nieuw-gezin"), headers=headers)
    assert response.status_code == 201
    assert client.get("/api/families/nieuw-gezin", headers=headers).status_code == 200
    response = client.put(
        "/api/families/nieuw-gezin",
        json=make_case("nieuw-gezin", title="X"),
        headers={**headers, **current(app, "nieuw-gezin")},
    )
    assert response.status_code == 200
    assert stored(app, "nieuw-gezin")["title"] == "X"
    response = client.delete(
        "/api/families/nieuw-gezin", headers={**headers, **current(app, "nieuw-gezin")}
    )
    assert response.status_code == 204
    assert stored(app, "nieuw-gezin") is None


def test_api_token_created_on_profile_page_works(app, login):
    client = login("professional")  # on the team of test-gezin
    html = client.post("/profiel/tokens", data={"name": "script"}).get_data(as_text=True)
    start = html.index('<code id="new-token">') + len('<code id="new-token">')
    token = html[start : html.index("</code>", start)]
    fresh = app.test_client()
    response = fresh.get("/api/families/test-gezin", headers=bearer(token))
    assert response.status_code == 200
    assert response.get_json()["code"] == "test-gezin"


def test_api_token_records_last_use(app, client):
    token = new_token(app)
    client.get("/api/families", headers=bearer(token))
    with app.app_context():
        (row,) = get_db().query("SELECT last_used_at FROM api_tokens")
    assert row["last_used_at"] is not None


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_api_wrong_token_is_401(app, client, method, url):
    before, logged = dump(app), log(app)
    response = getattr(client, method)(url, json=body_for(method), headers=bearer("mwt_wrong"))
    assert response.status_code == 401
    assert response.get_json() == {"error": "invalid or revoked API token"}
    assert dump(app) == before
    if url.endswith("test-gezin"):
        (entry,) = new_entries(app, logged)
        assert entry[1:3] == ("denied", "test-gezin") and entry[4] is None


@pytest.mark.parametrize(
    "header", ["Bearer not-even-the-prefix", "Bearer ", "bearer mwt_" + "x" * 43, "Bearer x y"]
)
def test_api_malformed_token_is_401(app, client, header):
    response = client.delete("/api/families/test-gezin", headers={"Authorization": header})
    assert response.status_code == 401
    assert stored(app, "test-gezin") is not None


def test_api_wrong_token_beside_a_session_is_401(app, login):
    client = login("facilitator")
    response = client.delete("/api/families/test-gezin", headers=bearer("mwt_wrong"))
    assert response.status_code == 401
    assert stored(app, "test-gezin") is not None


def test_api_token_of_inactive_user_is_401(app, client):
    token = new_token(app)
    with app.app_context():
        get_db().execute("UPDATE users SET active = 0 WHERE username = 'facilitator'")
    assert client.get("/api/families", headers=bearer(token)).status_code == 401


def test_api_token_cannot_mint_more_tokens_on_the_profile_page(app, client):
    # Otherwise a leaked token could make a successor and outlive its own revocation.
    headers = bearer(new_token(app))
    page = client.get("/profiel", headers=headers)
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    response = client.post(
        "/profiel/tokens", data={"name": "opvolger", "csrf_token": "x"}, headers=headers
    )
    assert response.status_code in (302, 400)
    with app.app_context():
        assert get_db().table("api_tokens").count == 1


# Reading


def test_api_index_lists_families(login):
    client = login()
    rows = client.get("/api/families").get_json()
    assert sorted(row["code"] for row in rows) == ["ander-gezin", "test-gezin"]
    assert set(rows[0]) == {"code", "title", "goal", "status", "region", "started"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=andere", ["ander-gezin"]),
        ("?q=%25", []),
        ("?q=_", []),
        ("?goal=family_strengthening", ["ander-gezin"]),
        ("?region=West", ["test-gezin"]),
        ("?status=closed", []),
    ],
)
def test_api_index_filters(login, query, expected):
    rows = login().get("/api/families" + query).get_json()
    assert [row["code"] for row in rows] == expected


def test_api_show_returns_the_exchange_format(login):
    response = login().get("/api/families/test-gezin")
    assert response.status_code == 200
    assert response.get_json() == canonical_case(make_case())


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_api_unknown_code_is_404_json(app, login, method):
    # Only an admin may learn that a code does not exist (see test_security_routes).
    client = login("admin")
    response = getattr(client, method)(
        "/api/families/bestaat-niet", json=make_case("bestaat-niet") if method == "put" else None
    )
    assert response.status_code == 404
    assert response.get_json() == {"error": "not found"}
    assert stored(app, "bestaat-niet") is None


# Creating


def test_api_create_is_201_with_location(app, login):
    client = login()
    response = client.post("/api/families", json=make_case("nieuw-gezin"))
    assert response.status_code == 201
    assert response.headers["Location"].endswith("/api/families/nieuw-gezin")
    assert response.get_json() == canonical_case(make_case("nieuw-gezin"))
    assert client.get(response.headers["Location"]).get_json() == response.get_json()


def test_api_create_bad_case_is_422_with_every_problem(app, login):
    bad = make_case("nieuw-gezin", goal="weg")
    bad["persons"][2]["sex"] = "man"
    client = login()
    before = dump(app)
    response = client.post("/api/families", json=bad)
    assert response.status_code == 422
    body = response.get_json()
    assert body["problems"] == validate_case(bad)
    assert "persons[2].sex: 'man' is not one of female, male, other, unknown" in body["problems"]
    assert dump(app) == before


def test_api_create_code_clash_is_409(app, login):
    client = login()
    before = dump(app)
    response = client.post("/api/families", json=make_case(title="Dubbel"))
    assert response.status_code == 409
    assert "test-gezin" in response.get_json()["error"]
    assert dump(app) == before


def test_api_create_list_creates_all(app, login):
    response = login().post("/api/families", json=[make_case("een"), make_case("twee")])
    assert response.status_code == 201
    assert response.get_json() == {"created": ["een", "twee"]}
    assert stored(app, "een") == canonical_case(make_case("een"))
    assert stored(app, "twee") == canonical_case(make_case("twee"))


def test_api_create_list_with_a_bad_case_creates_none(app, login):
    client = login()
    before = dump(app)
    response = client.post(
        "/api/families", json=[make_case("een"), make_case("twee"), make_case("drie", goal="x")]
    )
    assert response.status_code == 422
    assert response.get_json()["problems"][0].startswith("[2].goal: 'x' is not one of")
    assert dump(app) == before


def test_api_create_list_with_a_clash_creates_none(app, login):
    client = login()
    before = dump(app)
    response = client.post("/api/families", json=[make_case("een"), make_case("ander-gezin")])
    assert response.status_code == 409
    assert dump(app) == before


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"data": "geen json", "content_type": "application/json"}, 400),
        ({"data": "{}", "content_type": "text/plain"}, 400),
        ({"json": []}, 422),
        ({"json": "een casus"}, 422),
        ({"json": 5}, 422),
    ],
)
def test_api_create_unusable_body_is_refused(app, login, kwargs, status):
    client = login()
    before = dump(app)
    response = client.post("/api/families", **kwargs)
    assert response.status_code == status
    assert response.is_json and response.get_json()["error"]
    assert dump(app) == before


# Replacing


def test_api_update_replaces_and_bumps_version(app, login):
    with app.app_context():
        first = store.family_row(get_db(), "test-gezin")
    doc = make_case(title="Nieuwe titel", status="closed")
    response = login().put("/api/families/test-gezin", json=doc, headers=current(app))
    assert response.status_code == 200
    assert response.get_json() == canonical_case(doc)
    with app.app_context():
        second = store.family_row(get_db(), "test-gezin")
    assert second["id"] == first["id"] and second["version"] == first["version"] + 1


def test_api_update_code_differing_from_url_is_refused(app, login):
    client = login()
    before = dump(app)
    response = client.put(
        "/api/families/test-gezin", json=make_case("ander-gezin"), headers=current(app)
    )
    assert response.status_code == 422
    assert response.get_json()["problems"] == ["code: must be 'test-gezin', as in the URL"]
    assert dump(app) == before


def test_api_update_bad_case_is_422_and_changes_nothing(app, login):
    bad = make_case(started="2020-02-30")
    client = login()
    before = dump(app)
    response = client.put("/api/families/test-gezin", json=bad, headers=current(app))
    assert response.status_code == 422
    assert response.get_json()["problems"] == validate_case(bad)
    assert dump(app) == before


def test_api_update_list_body_is_refused(app, login):
    client = login()
    before = dump(app)
    response = client.put("/api/families/test-gezin", json=[make_case()], headers=current(app))
    assert response.status_code == 422
    assert dump(app) == before


# Deleting


def test_api_delete_removes_the_family_and_its_rows(app, login):
    client = login()  # the facilitator of the (active) family
    response = client.delete("/api/families/test-gezin", headers=current(app))
    assert response.status_code == 204
    # For everyone but an admin, a code that is gone looks like one they may not see.
    assert client.get("/api/families/test-gezin").status_code == 403
    admin = LoggedIn(app.test_client(), "admin")
    assert admin.get("/api/families/test-gezin").status_code == 404
    with app.app_context():
        db = get_db()
        assert db.table("families").count == 1
        assert db.table("persons").count == 4  # the other family's


def test_api_body_too_large_is_413_json(app, login):
    client = login()
    before = dump(app)
    response = client.post(
        "/api/families", data=b" " * (6 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.get_json() == {"error": "request body too large"}
    assert dump(app) == before


# Who may create and erase


@pytest.mark.parametrize("role", ["professional", "projectlead"])
def test_api_create_by_other_roles_is_403_and_logged(app, login, role):
    client = login(role)
    before, logged = dump(app), log(app)
    response = client.post("/api/families", json=make_case("nieuw-gezin"))
    assert response.status_code == 403
    assert response.is_json and "forbidden" in response.get_json()["error"]
    assert dump(app) == before
    assert new_entries(app, logged) == [("create", "denied", None, "api families", role)]


def test_api_creator_becomes_the_facilitator(app, login):
    response = login("buitenstaander").post("/api/families", json=make_case("nieuw-gezin"))
    assert response.status_code == 201
    with app.app_context():
        db = get_db()
        family = store.family_row(db, "nieuw-gezin")
        team = [(m["username"], m["team_role"]) for m in access_store.team(db, family["id"])]
    assert team == [("buitenstaander", "facilitator")]


def close(app, code="test-gezin", date="2024-05-01"):
    doc = make_case(code, status="closed")
    doc["outcome"] = {"returned_home": True, "family_contact_improved": True, "date": date}
    with app.app_context():
        store.save_case(get_db(), doc, replace=True)


def test_api_delete_closed_family_within_retention_is_409_for_its_facilitator(app, login):
    close(app)
    client = login()
    before = dump(app)
    response = client.delete(
        "/api/families/test-gezin?reason=Op verzoek van het gezin", headers=current(app)
    )
    assert response.status_code == 409
    # From the day the app saw the closing, not the (earlier) outcome date 2024-05-01.
    with app.app_context():
        family = store.family_row(get_db(), "test-gezin")
        until = retention.retention_until(privacy_store.care_ended(get_db(), family["id"]))
    assert until > datetime.date(2044, 5, 1)
    assert f"retention period runs until {until}" in response.get_json()["error"]
    assert dump(app) == before


def test_api_delete_closed_family_within_retention_needs_an_admins_reason(app, login):
    close(app)
    admin = login("admin")
    before = dump(app)
    headers = current(app)
    assert admin.delete("/api/families/test-gezin", headers=headers).status_code == 409
    response = admin.delete("/api/families/test-gezin?reason=kort", headers=headers)
    assert response.status_code == 409
    assert dump(app) == before
    reason = "Rechterlijke uitspraak van 1 juni"
    response = admin.delete(
        "/api/families/test-gezin", query_string={"reason": reason}, headers=headers
    )
    assert response.status_code == 204
    assert stored(app, "test-gezin") is None
    with app.app_context():
        (entry,) = get_db().query(
            "SELECT * FROM access_log WHERE event = 'erase' AND outcome = 'success'"
        )
    assert entry["family_code"] == "test-gezin" and entry["detail"] == f"reason: {reason}"


def test_api_delete_by_a_team_member_is_403(app, login):
    client = login("professional")
    before = dump(app)
    assert client.delete("/api/families/test-gezin").status_code == 403
    assert dump(app) == before


# Lost updates: ETag on reading, If-Match required on changing and erasing


def web_edit(app, title="Intussen op de website"):
    """A change made elsewhere (the web forms) after the API client read the family."""
    with app.app_context():
        db = get_db()
        version = store.family_row(db, "test-gezin")["version"]
        store.save_case(db, make_case(title=title), expected_version=version)


def test_api_show_sends_a_strong_etag_of_the_version(app, login):
    client = login()
    response = client.get("/api/families/test-gezin")
    tag = response.headers["ETag"]
    assert tag.startswith('"v1-') and not tag.startswith("W/")
    assert {"If-Match": tag} == current(app)
    web_edit(app)
    assert client.get("/api/families/test-gezin").headers["ETag"].startswith('"v2-')


@pytest.mark.parametrize("method", ["put", "delete"])
def test_api_change_without_if_match_is_428_and_changes_nothing(app, login, method):
    client = login()
    before = dump(app)
    response = getattr(client, method)("/api/families/test-gezin", json=body_for(method))
    assert response.status_code == 428
    assert "If-Match" in response.get_json()["error"]
    assert "/api/families/test-gezin" in response.get_json()["error"]
    assert dump(app) == before


@pytest.mark.parametrize("method", ["put", "delete"])
def test_api_if_match_star_is_428_it_would_overwrite_anything(app, login, method):
    client = login()
    before = dump(app)
    response = getattr(client, method)(
        "/api/families/test-gezin", json=body_for(method), headers={"If-Match": "*"}
    )
    assert response.status_code == 428
    assert "If-Match: *" in response.get_json()["error"]
    assert dump(app) == before


@pytest.mark.parametrize("method", ["put", "delete"])
def test_api_stale_if_match_is_412_and_keeps_the_newer_web_edit(app, login, method):
    client = login()
    read = client.get("/api/families/test-gezin").headers["ETag"]
    web_edit(app)
    before = dump(app)
    for tag in (read, "W/" + current(app)["If-Match"], '"v2-000000000000"'):
        response = getattr(client, method)(
            "/api/families/test-gezin", json=body_for(method), headers={"If-Match": tag}
        )
        assert response.status_code == 412, tag
        body = response.get_json()
        assert "changed since" in body["error"]
        assert body["etag"] == response.headers["ETag"] == current(app)["If-Match"]
    assert dump(app) == before
    assert stored(app, "test-gezin")["title"] == "Intussen op de website"


def test_api_put_answers_the_new_etag_and_the_old_one_is_stale(app, login):
    client = login()
    first = current(app)
    response = client.put("/api/families/test-gezin", json=make_case(title="Een"), headers=first)
    assert response.status_code == 200
    assert {"If-Match": response.headers["ETag"]} == current(app) != first
    again = client.put("/api/families/test-gezin", json=make_case(title="Twee"), headers=first)
    assert again.status_code == 412
    # Any one of several tags may match, as If-Match allows.
    both = {"If-Match": f"{first['If-Match']}, {response.headers['ETag']}"}
    assert client.put("/api/families/test-gezin", json=make_case(title="Twee"), headers=both)
    assert stored(app, "test-gezin")["title"] == "Twee"


def test_api_create_sends_the_etag_to_change_the_new_family_with(app, login):
    client = login()
    response = client.post("/api/families", json=make_case("nieuw-gezin"))
    headers = {"If-Match": response.headers["ETag"]}
    changed = client.put(
        "/api/families/nieuw-gezin", json=make_case("nieuw-gezin", title="X"), headers=headers
    )
    assert changed.status_code == 200


def test_api_etag_of_an_erased_family_never_matches_a_new_one_with_its_code(app, login):
    admin = login("admin")
    old = current(app)
    assert admin.delete("/api/families/test-gezin", headers=old).status_code == 204
    with app.app_context():
        store.save_case(get_db(), make_case(title="Nieuw, zelfde code"))
    response = admin.put("/api/families/test-gezin", json=make_case(title="Oud"), headers=old)
    assert response.status_code == 412
    assert stored(app, "test-gezin")["title"] == "Nieuw, zelfde code"


@pytest.mark.parametrize("method", ["put", "delete"])
def test_api_version_is_compared_again_inside_the_write(app, login, monkeypatch, method):
    # A web edit lands after the If-Match check passed and before the write (while
    # the body is read): the write must still see it and refuse.
    client = login()
    headers = current(app)
    read_body = api.json_body

    def body_after_a_web_edit(**kwargs):
        web_edit(app)
        return read_body(**kwargs)

    monkeypatch.setattr(api, "json_body", body_after_a_web_edit)
    response = getattr(client, method)(
        "/api/families/test-gezin", json=body_for(method), headers=headers
    )
    assert response.status_code == 412
    assert response.get_json()["etag"] == current(app)["If-Match"]
    assert stored(app, "test-gezin")["title"] == "Intussen op de website"


# Bodies nested too deeply, or too large: a clear 400 / 413 on every endpoint that reads JSON

DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
CASE_NESTED_65 = (
    '{"format": "case/1", "code": "test-gezin", "title": "X", "goal": "return_home",'
    ' "persons": ' + "[" * 64 + "]" * 64 + "}"
)
JSON_ENDPOINTS = [
    ("post", "/api/families"),
    ("put", "/api/families/test-gezin"),
    ("delete", "/api/families/test-gezin"),
    ("post", "/api/similar"),
]


@pytest.mark.parametrize(("method", "url"), JSON_ENDPOINTS)
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (DEEP_ARRAY, "nested 100000 levels deep, at most 64 allowed"),
        (CASE_NESTED_65, "nested 65 levels deep, at most 64 allowed"),
        ('{"code": NaN}', "NaN is not a JSON number"),
        ('{"code": ' + "1" * 5000 + "}", "not valid JSON"),
        (b'{"title": "\xff"}', "not UTF-8"),
    ],
)
def test_api_unusable_json_is_400_naming_why(app, login, method, url, body, message):
    client = login()
    before = dump(app)
    response = client.open(
        url,
        method=method,
        data=body,
        content_type="application/json",
        headers={**current(app), "X-CSRFToken": client.token},
    )
    assert response.status_code == 400
    assert response.is_json
    assert message in response.get_json()["error"]
    assert dump(app) == before


@pytest.mark.parametrize(("method", "url"), JSON_ENDPOINTS)
def test_api_body_above_the_size_limit_is_413_json_everywhere(app, login, method, url):
    client = login()
    before = dump(app)
    response = client.open(
        url,
        method=method,
        data=b"[" + b"1," * (3 * 1024 * 1024) + b"1]",
        content_type="application/json",
        headers={**current(app), "X-CSRFToken": client.token},
    )
    assert response.status_code == 413
    assert response.get_json() == {"error": "request body too large"}
    assert dump(app) == before


def test_api_reads_and_writes_in_team_household_and_by(app, login):
    client = login("facilitator")
    doc = make_case("velden-api")
    doc["persons"][1]["in_team"] = True
    doc["persons"][1]["household"] = "vader"
    doc["relations"].append(
        {"kind": "emotional", "a": "p2", "b": "p4", "quality": "conflict", "by": "p4"}
    )
    assert client.post("/api/families", json=doc).status_code == 201
    got = client.get("/api/families/velden-api").get_json()
    assert got["persons"][1]["in_team"] is True and got["persons"][1]["household"] == "vader"
    assert got["persons"][0]["in_team"] is False and got["persons"][0]["household"] is None
    assert got["relations"][-1]["by"] == "p4"
    doc["relations"][-1]["by"] = "p1"  # not one of the two
    response = client.put("/api/families/velden-api", json=doc, headers=current(app, "velden-api"))
    assert response.status_code == 422
    assert "relations[5].by: 'p1' is not one of the two persons" in str(response.get_json())
