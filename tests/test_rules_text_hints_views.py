"""Text hints on the family page: shown, recorded on a person with a click, set aside."""

import re

import pytest

from cases import store as cases_store
from tests.conftest import LoggedIn, family_section
from tests.factories import make_case

PAGE = "/gezinnen/test-gezin"
HTMX = {"HX-Request": "true", "HX-Target": "signalen-inhoud"}
TEXT = "Er is vijf maanden huurachterstand. Vader blowt niet meer."


@pytest.fixture
def facilitator(login, db):
    family = cases_store.family_row(db, "test-gezin")
    cases_store.save_case(
        db, make_case(narrative=TEXT), replace=True, expected_version=family["version"]
    )
    return login("facilitator")


def version(db):
    return cases_store.family_row(db, "test-gezin")["version"]


def problems(db, person):
    case = cases_store.load_case(db, "test-gezin")
    return next(p for p in case["persons"] if p["id"] == person)["problems"]


def test_family_page_shows_a_quiet_hint_for_the_unrecorded_word(facilitator, db):
    html = family_section(facilitator, "test-gezin", "signalen")
    hint = html.split('id="teksthint-debts"')[1].split("</li>")[0]
    assert "De tekst noemt ‘huurachterstand’; vastleggen als probleem (schulden)?" in hint
    assert f'name="version" type="hidden" value="{version(db)}"' in hint
    # The parent is proposed; every living person can be chosen, the deceased cannot.
    assert re.search(r'<option selected value="p2">Vader</option>', hint)
    assert 'value="p1"' in hint and 'value="p3"' not in hint
    assert "Niet van toepassing" in hint
    assert 'id="teksthint-addiction"' not in html  # "blowt niet meer"


def test_recording_a_hint_saves_the_problem_and_the_hint_goes(facilitator, db):
    before = version(db)
    response = facilitator.post(
        f"{PAGE}/signalen/tekst/debts/vastleggen",
        data={"version": before, "person": "p2"},
        headers=HTMX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "family-changed" in response.headers["HX-Trigger"]
    assert "teksthint-debts" not in body
    assert "debts" in problems(db, "p2") and version(db) == before + 1
    # Now a signal can see it: the debt-counselling card is there.
    assert 'id="signaal-missing-debt-counselling"' in body
    # Logged like every change to the family.
    entry = list(db.query("SELECT * FROM access_log ORDER BY id DESC LIMIT 1"))[0]
    assert (entry["event"], entry["outcome"], entry["family_code"]) == (
        "change", "success", "test-gezin",
    )  # fmt: skip
    assert entry["object"] == "rules.record_text_hint problem=debts"


def test_recording_on_a_stale_version_is_refused_with_409(facilitator, db):
    stale = version(db)
    cases_store.save_case(
        db, make_case(narrative=TEXT, region="Oost"), replace=True, expected_version=stale
    )
    response = facilitator.post(
        f"{PAGE}/signalen/tekst/debts/vastleggen",
        data={"version": stale, "person": "p2"},
        headers=HTMX,
    )
    assert response.status_code == 409
    assert "intussen veranderd" in response.get_data(as_text=True)
    assert "debts" not in problems(db, "p2")


def test_recording_refuses_a_person_not_in_the_family_and_an_unknown_problem(facilitator, db):
    response = facilitator.post(
        f"{PAGE}/signalen/tekst/debts/vastleggen",
        data={"version": version(db), "person": "p3"},  # deceased
        headers=HTMX,
    )
    assert response.status_code == 422 and "debts" not in problems(db, "p3")
    response = facilitator.post(
        f"{PAGE}/signalen/tekst/gokken/vastleggen",
        data={"version": version(db), "person": "p2"},
        headers=HTMX,
    )
    assert response.status_code == 404
    # A problem the text does not (or no longer) speak of: nothing to record.
    response = facilitator.post(
        f"{PAGE}/signalen/tekst/addiction/vastleggen",
        data={"version": version(db), "person": "p2"},
        headers=HTMX,
    )
    assert response.status_code == 409 and "addiction" not in problems(db, "p2")


def test_recording_without_the_csrf_token_is_refused(client, facilitator, db):
    response = client.post(
        f"{PAGE}/signalen/tekst/debts/vastleggen",
        data={"version": version(db), "person": "p2"},
        headers={**HTMX, "X-CSRFToken": "wrong"},
    )
    assert response.status_code == 400 and "debts" not in problems(db, "p2")


def test_dismissing_a_hint_keeps_it_away_for_this_family(facilitator, db):
    before = version(db)
    response = facilitator.post(f"{PAGE}/signalen/tekst/debts/niet-van-toepassing", headers=HTMX)
    assert response.status_code == 200
    assert "teksthint-debts" not in response.get_data(as_text=True)
    assert "teksthint-debts" not in family_section(facilitator, "test-gezin", "signalen")
    assert version(db) == before and "debts" not in problems(db, "p2")
    row = list(db.query("SELECT * FROM text_hint_dismissals"))[0]
    assert row["problem"] == "debts" and row["dismissed_by"] is not None


def test_someone_outside_the_team_may_not_record_or_dismiss(app, facilitator, db):
    outsider = LoggedIn(app.test_client(), "buitenstaander")
    for action in ("vastleggen", "niet-van-toepassing"):
        response = outsider.post(
            f"{PAGE}/signalen/tekst/debts/{action}",
            data={"version": version(db), "person": "p2"},
            headers=HTMX,
        )
        assert response.status_code == 403
    assert "debts" not in problems(db, "p2")
