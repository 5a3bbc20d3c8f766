"""Issue 12, hole 1: no way around the retention period of a closed family.

A facilitator could erase a closed family inside its 20 years by reopening it (API PUT
or the situation form) or by moving its outcome date back to 1990. These tests walk each
bypass through the test client, as a facilitator would, and only use what the old code
had too, so they show the hole there and its closing here.
"""

import datetime

import pytest

from cases import store as cases_store
from privacy.overview import MONTHS
from tests.conftest import LoggedIn
from tests.factories import make_case

CODE = "test-gezin"
API = f"/api/families/{CODE}"
ERASE_PAGE = f"/gezinnen/{CODE}/wissen"
REASON = "Rechter heeft vernietiging bevolen"


class ApiClient(LoggedIn):
    """A logged-in client that changes a family through the API as a careful client does:
    with the ETag it just read as ``If-Match`` (the lost-update guard is not what these
    tests are about)."""

    def _current_tag(self, path):
        return self.get(path).headers.get("ETag")

    def put(self, path, **kwargs):
        kwargs.setdefault("headers", {}).setdefault("If-Match", self._current_tag(path))
        return super().put(path, **kwargs)

    def delete(self, path, **kwargs):
        kwargs.setdefault("headers", {}).setdefault("If-Match", self._current_tag(path))
        return super().delete(path, **kwargs)


@pytest.fixture
def login(app):
    """``login(username)``: a client of its own, so one test can act as several people."""
    return lambda username="facilitator": ApiClient(app.test_client(), username)


def app_day(db):
    """The day the app sees a closing (see privacy/migrations.py): UTC or local, the later."""
    day = db.execute("SELECT max(date('now'), date('now', 'localtime'))").fetchone()[0]
    return datetime.date.fromisoformat(day)


def twenty_years_on(day):
    try:
        return day.replace(year=day.year + 20)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + 20, day=28)


def put_case(client, **changes):
    """Replace the family through the API with ``changes`` on its current content."""
    current = client.get(API)
    doc = {**current.get_json(), **changes}
    response = client.put(API, json=doc, headers={"If-Match": current.headers["ETag"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def save_situation(client, db, status):
    """Save the situation form with only the status changed."""
    family = cases_store.family_row(db, CODE)
    response = client.post(
        f"/gezinnen/{CODE}/situatie",
        data={
            "version": str(family["version"]),
            "title": family["title"],
            "region": family["region"] or "",
            "goal": family["goal"],
            "status": status,
            "started": family["started"] or "",
            "narrative": family["narrative"] or "",
            "child_perspective": family["child_perspective"] or "",
        },
    )
    assert response.status_code in (200, 303), response.get_data(as_text=True)
    assert cases_store.family_row(db, CODE)["status"] == status


def persons(db):
    family = cases_store.family_row(db, CODE)
    assert family is not None, "the family was erased"
    return db.execute(
        "SELECT count(*) FROM persons WHERE family_id = ?", [family["id"]]
    ).fetchone()[0]


def assert_still_there(db, before):
    assert persons(db) == before


def erase_entries(db, outcome):
    return db.execute(
        "SELECT count(*) FROM access_log WHERE event = 'erase' AND outcome = ?", [outcome]
    ).fetchone()[0]


# (a) closed through the API, reopened with PUT status active ------------------------


def test_reopened_through_the_api_the_facilitator_cannot_erase(login, db):
    client = login("facilitator")
    put_case(client, status="closed")
    closed_on = app_day(db)
    put_case(client, status="active")
    before = persons(db)
    response = client.delete(API, query_string={"reason": "Gezin vraagt om wissen"})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert f"retention period runs until {twenty_years_on(closed_on)}" in error
    assert f"care first ended on {closed_on}" in error
    assert "only an admin may erase" in error
    assert_still_there(db, before)
    assert erase_entries(db, "failed") == 1 and erase_entries(db, "success") == 0


def test_created_closed_through_the_api_then_reopened_cannot_be_erased(login, db):
    client = login("buitenstaander")  # a facilitator: creating makes them its facilitator
    doc = make_case("nieuw-gezin", status="closed")
    assert client.post("/api/families", json=doc).status_code == 201
    doc["status"] = "active"
    assert client.put("/api/families/nieuw-gezin", json=doc).status_code == 200
    assert client.delete("/api/families/nieuw-gezin").status_code == 409
    assert cases_store.family_row(db, "nieuw-gezin") is not None


# (b) closed and reopened through the situation form ---------------------------------


def test_reopened_through_the_situation_form_the_facilitator_cannot_erase(login, db):
    client = login("facilitator")
    save_situation(client, db, "closed")
    closed_on = app_day(db)
    save_situation(client, db, "active")
    page = client.get(ERASE_PAGE).get_data(as_text=True)
    until = twenty_years_on(closed_on)
    dutch = f"{until.day} {MONTHS[until.month - 1]} {until.year}"
    assert f"De bewaartermijn loopt tot en met {dutch}" in page
    assert "Alleen een beheerder kan met een reden toch wissen." in page
    assert "nog niet begonnen" not in page
    assert 'name="reden"' not in page  # no form to try
    before = persons(db)
    response = client.post(
        ERASE_PAGE, data={"reden": "Gezin vraagt om wissen", "bevestiging": CODE}
    )
    assert response.status_code == 409
    assert "Alleen een beheerder kan met een reden toch wissen." in response.get_data(as_text=True)
    assert_still_there(db, before)
    assert client.delete(API).status_code == 409
    assert_still_there(db, before)


# (c) the outcome date moved back to 1990 ---------------------------------------------


def test_outcome_date_moved_back_does_not_shorten_the_period(login, db):
    client = login("facilitator")
    outcome = {"returned_home": True, "family_contact_improved": True}
    put_case(client, status="closed", outcome={**outcome, "date": app_day(db).isoformat()})
    put_case(client, outcome={**outcome, "date": "1990-01-01"})
    before = persons(db)
    response = client.delete(API)
    assert response.status_code == 409
    assert f"until {twenty_years_on(app_day(db))}" in response.get_json()["error"]
    response = client.post(ERASE_PAGE, data={"bevestiging": CODE})
    assert response.status_code == 409
    assert_still_there(db, before)


def test_closing_with_an_outcome_date_of_1990_does_not_start_the_period_then(login, db):
    client = login("facilitator")
    outcome = {"returned_home": True, "family_contact_improved": True, "date": "1990-01-01"}
    put_case(client, status="closed", outcome=outcome)
    assert client.delete(API).status_code == 409
    assert cases_store.family_row(db, CODE) is not None


# (d) an admin with a reason may erase inside the period; without one not ----------------


def test_admin_erases_a_reopened_family_only_with_a_reason(login, db):
    put_case(login("facilitator"), status="closed")
    save_situation(login("facilitator"), db, "active")
    admin = login("admin")
    before = persons(db)
    assert admin.delete(API).status_code == 409
    assert admin.delete(API, query_string={"reason": "te kort"}).status_code == 409
    response = admin.post(ERASE_PAGE, data={"reden": "", "bevestiging": CODE})
    assert response.status_code == 409
    assert "Geef een reden van minstens 10 tekens" in response.get_data(as_text=True)
    assert_still_there(db, before)
    response = admin.post(ERASE_PAGE, data={"reden": REASON, "bevestiging": CODE})
    assert response.status_code == 303
    assert cases_store.family_row(db, CODE) is None
    (entry,) = db.query("SELECT * FROM access_log WHERE event = 'erase' AND outcome = 'success'")
    assert entry["username"] == "admin" and entry["detail"].endswith(f"reden: {REASON}")


# (e) a family that was never closed behaves as before -----------------------------------


def test_never_closed_family_is_erased_by_its_facilitator_as_before(login, db):
    client = login("facilitator")
    page = client.get(ERASE_PAGE).get_data(as_text=True)
    assert "nog niet begonnen (casus loopt)" in page
    assert "Het gezin kan worden gewist." in page
    assert client.delete(API).status_code == 204
    assert cases_store.family_row(db, CODE) is None


def test_an_outcome_date_at_the_end_of_the_calendar_breaks_nothing(login, db):
    # 9999-12-31 is a valid date: 20 years later is not, and used to answer 500.
    client = login("facilitator")
    outcome = {"returned_home": None, "family_contact_improved": None, "date": "9999-12-31"}
    put_case(client, status="closed", outcome=outcome)
    response = client.delete(API)
    assert response.status_code == 409
    assert "retention period runs until 9999-12-31" in response.get_json()["error"]
    page = client.get(ERASE_PAGE)
    assert page.status_code == 200
    assert "tot en met 31 december 9999" in page.get_data(as_text=True)
