"""The access log (NEN 7513): one exact entry per audited action, append-only in the
database itself, and the admin's page with filters and a CSV export that agree."""

import csv
import io
import re
import sqlite3

import pytest

from accounts import store as accounts_store
from audit import chain
from audit import store as audit_store
from cases import store
from core.dates import nl_datetime
from core.web import get_db
from tests.conftest import PASSWORD, LoggedIn
from tests.factories import make_case

# Compared per entry, with the channel (web or api) of its access point.
FIELDS = ("event", "outcome", "family_code", "object", "username", "user_role")


def entries(app):
    with app.app_context():
        return list(reversed(audit_store.entries(get_db(), limit=None)))


def new_since(app, before):
    """The entries written since ``before`` (a list from entries()), as tuples."""
    return [
        (*(row[key] for key in FIELDS), row["access_point"].split()[0])
        for row in entries(app)[len(before) :]
    ]


def family_id(app, code="test-gezin"):
    with app.app_context():
        return store.family_row(get_db(), code)["id"]


def version(app, code="test-gezin"):
    with app.app_context():
        return store.family_row(get_db(), code)["version"]


@pytest.fixture
def facilitator(app):
    return LoggedIn(app.test_client(), "facilitator")


# One entry per audited action


def test_family_page_read_is_logged(app, facilitator):
    before = entries(app)
    assert facilitator.get("/gezinnen/test-gezin").status_code == 200
    assert new_since(app, before) == [
        ("read", "success", "test-gezin", "cases.show", "facilitator", "facilitator", "web")
    ]
    assert entries(app)[-1]["family_id"] == family_id(app)
    assert entries(app)[-1]["access_point"].startswith("web 127.0.0.1 ")


def test_edit_and_failed_edit_are_logged(app, facilitator):
    data = {"version": str(version(app)), "title": "Nieuw", "goal": "return_home"}
    data |= {"status": "active", "started": "2020-03-01"}
    before = entries(app)
    assert facilitator.post("/gezinnen/test-gezin/situatie", data=data).status_code == 303
    refused = facilitator.post("/gezinnen/test-gezin/situatie", data={**data, "title": ""})
    assert refused.status_code in (409, 422)
    who = ("facilitator", "facilitator", "web")
    assert new_since(app, before) == [
        ("change", "success", "test-gezin", "cases.update_situation", *who),
        ("change", "failed", "test-gezin", "cases.update_situation", *who),
    ]


def test_item_edit_names_the_item(app, facilitator):
    before = entries(app)
    facilitator.get("/gezinnen/test-gezin/personen/p2/wijzigen")
    assert new_since(app, before)[0][3] == "cases.edit_person person_id=p2"


@pytest.mark.parametrize("code", ["test-gezin", "bestaat-niet"])
def test_denied_access_is_logged(app, code):
    outsider = LoggedIn(app.test_client(), "buitenstaander")
    before = entries(app)
    assert outsider.get(f"/gezinnen/{code}").status_code == 403
    assert new_since(app, before) == [
        ("read", "denied", code, "cases.show", "buitenstaander", "facilitator", "web")
    ]
    expected_id = family_id(app) if code == "test-gezin" else None
    assert entries(app)[-1]["family_id"] == expected_id


def test_anonymous_attempt_is_logged_without_a_user(app, client):
    before = entries(app)
    assert client.get("/api/families/test-gezin").status_code == 401
    assert new_since(app, before) == [
        ("read", "denied", "test-gezin", "api.show", None, None, "api")
    ]


def test_api_read_create_update_erase_are_logged(app, facilitator):
    before = entries(app)
    assert facilitator.get("/api/families/test-gezin").status_code == 200
    created = facilitator.post("/api/families", json=make_case("nieuw-gezin"))
    assert created.status_code == 201
    new_id = family_id(app, "nieuw-gezin")
    updated = facilitator.put(
        "/api/families/nieuw-gezin",
        json=make_case("nieuw-gezin", title="X"),
        headers={"If-Match": created.headers["ETag"]},
    )
    assert updated.status_code == 200
    erased = facilitator.delete(
        "/api/families/nieuw-gezin", headers={"If-Match": updated.headers["ETag"]}
    )
    assert erased.status_code == 204
    user = ("facilitator", "facilitator", "api")
    assert new_since(app, before) == [
        ("read", "success", "test-gezin", "api.show", *user),
        ("create", "success", "nieuw-gezin", "family", *user),
        ("change", "success", "nieuw-gezin", "api.update", *user),
        ("erase", "success", "nieuw-gezin", "api.delete", *user),
    ]
    # The erased family's entries keep its id: the log outlives the family.
    assert [row["family_id"] for row in entries(app)[-3:]] == [new_id] * 3


def test_api_token_use_is_logged_on_behalf_of_the_token(app, client):
    with app.app_context():
        db = get_db()
        token = accounts_store.create_token(
            db, accounts_store.get_user_by_name(db, "facilitator")["id"], "koppeling"
        )
    client.get("/api/families/test-gezin", headers={"Authorization": f"Bearer {token}"})
    last = entries(app)[-1]
    assert (last["event"], last["username"]) == ("read", "facilitator")
    assert last["on_behalf_of"] == "API-token 'koppeling'"


def test_list_search_is_logged_with_its_filters(app, facilitator):
    before = entries(app)
    facilitator.get("/gezinnen/?q=Sanne&goal=return_home")
    facilitator.get("/api/families?region=West")
    assert new_since(app, before) == [
        ("search", "success", None, "family list", "facilitator", "facilitator", "web"),
        ("search", "success", None, "api family list", "facilitator", "facilitator", "api"),
    ]
    details = [row["detail"] for row in entries(app)[-2:]]
    assert details == ["goal='return_home' search='Sanne'", "region='West'"]


def login_form(client, username, password):
    html = client.get("/login").get_data(as_text=True)
    start = html.index('name="csrf-token" content="') + len('name="csrf-token" content="')
    token = html[start : html.index('"', start)]
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


def test_login_success_failure_and_logout_are_logged(app, client):
    before = entries(app)
    assert login_form(client, "professional", "wrong password").status_code == 401
    assert login_form(client, "niemand", "wrong password").status_code == 401
    assert login_form(client, "professional", PASSWORD).status_code == 302
    html = client.get("/profiel").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    assert client.post("/logout", headers={"X-CSRFToken": token}).status_code == 302
    assert new_since(app, before) == [
        ("login", "denied", None, "user professional", None, None, "web"),
        # An unknown name is logged just the same: the log lists no existing names.
        ("login", "denied", None, "user niemand", None, None, "web"),
        ("login", "success", None, None, "professional", "professional", "web"),
        ("logout", "success", None, None, "professional", "professional", "web"),
    ]
    assert [row["detail"] for row in entries(app)[-4:-2]] == ["bad credentials"] * 2


def test_audit_csv_export_is_logged(app):
    admin = LoggedIn(app.test_client(), "admin")
    before = entries(app)
    assert admin.get("/beheer/toegangslog/export.csv?gezin=test-gezin").status_code == 200
    assert new_since(app, before) == [
        ("export", "success", None, "access log", "admin", "admin", "web")
    ]
    assert entries(app)[-1]["detail"] == "gezin='test-gezin'"


def test_a_poll_that_sends_nothing_is_not_logged(app, facilitator):
    from tests.test_conference_views import LIVE, PAGE, poll_url, start

    cid = start(facilitator)
    screen = facilitator.get(f"{PAGE}/overleggen/{cid}").get_data(as_text=True)
    poll = poll_url(screen)
    before = entries(app)
    for _ in range(50):
        assert facilitator.get(poll, headers=LIVE).status_code == 204
    assert new_since(app, before) == []
    facilitator.post(f"{PAGE}/overleggen/{cid}/stap", data={"naar": "volgende"}, headers=LIVE)
    before = entries(app)
    sent = facilitator.get(poll, headers=LIVE)
    assert sent.status_code == 200 and "Het gezin in beeld" in sent.get_data(as_text=True)
    assert new_since(app, before) == [
        ("read", "success", "test-gezin", f"conference.live conference_id={cid}",
         "facilitator", "facilitator", "web")
    ]  # fmt: skip


# Append-only in the database itself


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE access_log SET username = 'iemand anders'",
        "UPDATE access_log SET outcome = 'denied' WHERE event = 'read'",
        "DELETE FROM access_log",
        "DELETE FROM access_log WHERE id = 1",
    ],
)
def test_access_log_refuses_update_and_delete(app, facilitator, sql):
    facilitator.get("/gezinnen/test-gezin")
    before = entries(app)
    assert before
    connection = sqlite3.connect(app.config["DATABASE"])
    try:
        with pytest.raises((sqlite3.IntegrityError, sqlite3.OperationalError), match="append-only"):
            connection.execute(sql)
        connection.rollback()
    finally:
        connection.close()
    assert entries(app) == before


def test_erasing_a_family_keeps_its_log(app, facilitator):
    facilitator.get("/gezinnen/test-gezin")
    fid = family_id(app)
    etag = facilitator.get("/api/families/test-gezin").headers["ETag"]
    response = facilitator.delete("/api/families/test-gezin", headers={"If-Match": etag})
    assert response.status_code == 204
    with app.app_context():
        rows = audit_store.entries(get_db(), family_id=fid, limit=None)
    assert {row["event"] for row in rows} >= {"read", "erase"}


# The admin's page: filters and CSV


@pytest.fixture
def history(app):
    """Entries on fixed days, by two users about two families (appending is allowed)."""
    with app.app_context():
        db = get_db()
        users = {u: accounts_store.get_user_by_name(db, u) for u in ("facilitator", "professional")}
        families = {c: store.family_row(db, c) for c in ("test-gezin", "ander-gezin")}
        for day, username, code in [
            ("2024-01-10", "facilitator", "test-gezin"),
            ("2024-01-31", "professional", "test-gezin"),
            ("2024-02-01", "facilitator", "ander-gezin"),
            ("2024-02-15", "professional", "test-gezin"),
            ("2024-03-01", "facilitator", "test-gezin"),
        ]:
            chain.append(
                db,
                {
                    "at": f"{day}T12:00:00.000+00:00",
                    "event": "read",
                    "outcome": "success",
                    "family_id": families[code]["id"],
                    "family_code": code,
                    "object": "cases.show",
                    "user_id": users[username]["id"],
                    "username": username,
                    "user_role": users[username]["role"],
                    "access_point": "web 127.0.0.1 test",
                },
            )


def page_times(html):
    """The first cell (the time, machine-readable in its ``datetime``) of every row in the
    log page's table."""
    body = html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""
    return re.findall(r'<tr>\s*<td><time datetime="([^"]+)">[^<]+</time></td>', body)


def csv_rows(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize(
    ("params", "days"),
    [
        ({"gezin": "ander-gezin"}, ["2024-02-01"]),
        ({"gebruiker": "professional"}, ["2024-02-15", "2024-01-31"]),
        ({"van": "2024-01-31", "tot": "2024-02-01"}, ["2024-02-01", "2024-01-31"]),
        ({"tot": "2024-01-10"}, ["2024-01-10"]),
        (
            {
                "gezin": "test-gezin",
                "gebruiker": "facilitator",
                "van": "2024-01-01",
                "tot": "2024-12-31",
            },
            ["2024-03-01", "2024-01-10"],
        ),
    ],
)
def test_log_page_filters_and_csv_agree(app, history, params, days):
    admin = LoggedIn(app.test_client(), "admin")
    page = admin.get("/beheer/toegangslog/", query_string=params)
    assert page.status_code == 200
    times = page_times(page.get_data(as_text=True))
    assert [t[:10] for t in times] == days
    rows = csv_rows(admin.get("/beheer/toegangslog/export.csv", query_string=params))
    assert [row["at"] for row in rows] == times
    assert list(rows[0]) == list(audit_store.FIELDS)


def test_log_page_unknown_filters_say_so(app, history):
    admin = LoggedIn(app.test_client(), "admin")
    html = admin.get(
        "/beheer/toegangslog/", query_string={"gezin": "bestaat-niet", "gebruiker": "niemand"}
    ).get_data(as_text=True)
    assert "Geen gezin met code" in html and "Geen gebruiker" in html
    assert page_times(html) == []
    response = admin.get("/beheer/toegangslog/export.csv", query_string={"van": "gisteren"})
    assert response.status_code == 422


def test_log_page_pages_through_the_log(app, history):
    admin = LoggedIn(app.test_client(), "admin")
    with app.app_context():
        total = len(audit_store.entries(get_db(), limit=None))
    first = page_times(admin.get("/beheer/toegangslog/").get_data(as_text=True))
    assert len(first) == min(total, 100)


def test_csv_neutralises_formulas(app):
    with app.app_context():
        audit_store.record(get_db(), "search", "success", detail='=HYPERLINK("x")')
    admin = LoggedIn(app.test_client(), "admin")
    rows = csv_rows(admin.get("/beheer/toegangslog/export.csv"))
    assert '\'=HYPERLINK("x")' in [row["detail"] for row in rows]


@pytest.mark.parametrize("role", ["facilitator", "professional", "projectlead", "buitenstaander"])
def test_log_is_for_admins_only(app, role):
    user = LoggedIn(app.test_client(), role)
    assert user.get("/beheer/toegangslog/").status_code == 403
    assert user.get("/beheer/toegangslog/export.csv").status_code == 403


def test_log_page_logged_out_goes_to_login(client):
    response = client.get("/beheer/toegangslog/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_log_page_shows_each_time_in_dutch(app, history):
    admin = LoggedIn(app.test_client(), "admin")
    html = admin.get("/beheer/toegangslog/").get_data(as_text=True)
    shown = re.findall(r'<td><time datetime="([^"]+)">([^<]+)</time></td>', html)
    assert shown and all(nl_datetime(iso) == text for iso, text in shown)
    assert "Tijdstip (UTC)" not in html and not re.search(r">\d{4}-\d\d-\d\dT", html)
