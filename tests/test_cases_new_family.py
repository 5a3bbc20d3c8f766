"""The new-family form on the list page: who may use it, what it stores, what it refuses."""

import pytest

from access import store as access_store
from cases import store
from cases.views.new_family import code_for
from core.web import get_db

URL = "/gezinnen/"
FORM = {
    "title": "Het Zeilschip",
    "goal": "return_home",
    "region": "Oost",
    "child_name": "Noor",
    "child_sex": "female",
    "child_birth_year": "2011",
}


def counts(app):
    with app.app_context():
        db = get_db()
        return {table: db.table(table).count for table in ("families", "persons", "family_team")}


def test_new_family_creates_the_case_and_makes_the_creator_facilitator(app, login):
    response = login("buitenstaander").post(URL, data=FORM)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/gezinnen/het-zeilschip/opbouwen")
    with app.app_context():
        db = get_db()
        case = store.load_case(db, "het-zeilschip")
        team = access_store.team(db, store.family_row(db, "het-zeilschip")["id"])
    assert case["title"] == "Het Zeilschip" and case["status"] == "active"
    assert [(p["name"], p["index"], p["birth_year"]) for p in case["persons"]] == [
        ("Noor", True, 2011)
    ]
    assert [(m["username"], m["team_role"]) for m in team] == [("buitenstaander", "facilitator")]


def test_new_family_by_htmx_redirects_with_a_header(login):
    response = login("admin").post(URL, data=FORM, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith("/gezinnen/het-zeilschip/opbouwen")


@pytest.mark.parametrize("role", ["professional", "projectlead"])
def test_new_family_by_other_roles_is_403(app, login, role):
    client = login(role)
    before = counts(app)
    assert client.post(URL, data=FORM).status_code == 403
    assert counts(app) == before


@pytest.mark.parametrize(
    "change",
    [{"title": ""}, {"child_name": ""}, {"child_birth_year": "20x1"}, {"goal": "weg"}],
)
def test_new_family_invalid_is_422_and_stores_nothing(app, login, change):
    client = login()
    before = counts(app)
    response = client.post(URL, data={**FORM, **change}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "<html" not in response.get_data(as_text=True)
    assert counts(app) == before


def test_new_family_code_is_unique_and_plain():
    taken = {"het-zeilschip", "het-zeilschip-2"}
    assert code_for("Het Zeilschip", taken.__contains__) == "het-zeilschip-3"
    assert code_for("Ünïcode Café!", taken.__contains__) == "unicode-cafe"
    assert code_for("€", taken.__contains__) == "gezin"


# --------------------------------------------------------------------------- one form, one family

TOKEN = "dubbelklik-token-0123456789"


def test_a_double_submit_of_one_form_makes_one_family(app, login):
    client = login("admin")
    before = counts(app)
    first = client.post(URL, data={**FORM, "token": TOKEN})
    second = client.post(URL, data={**FORM, "token": TOKEN})
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert counts(app)["families"] == before["families"] + 1


def test_the_form_on_the_list_page_carries_a_fresh_token_each_time(login):
    client = login("admin")
    tokens = []
    for _ in range(2):
        page = client.get(URL).get_data(as_text=True)
        start = page.index('name="token"')
        value = page[page.index('value="', start) + 7 :]
        tokens.append(value[: value.index('"')])
    assert all(len(t) >= 16 for t in tokens) and tokens[0] != tokens[1]


def test_a_title_that_exists_gets_a_warning_and_can_still_be_used(app, login):
    client = login("admin")
    assert client.post(URL, data={**FORM, "token": TOKEN}).status_code == 303
    before = counts(app)
    again = client.post(URL, data={**FORM, "title": "het  zeilschip", "token": TOKEN + "x"})
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert "Er is al een gezin met deze titel" in page and "Toch aanmaken" in page
    assert counts(app) == before
    anyway = client.post(URL, data={**FORM, "token": TOKEN + "x", "same_title": "1"})
    assert anyway.status_code == 303
    assert anyway.headers["Location"].endswith("/gezinnen/het-zeilschip-2/opbouwen")


def test_every_missing_field_is_named_at_once(login):
    response = login("admin").post(URL, data={**FORM, "title": "", "goal": "", "child_name": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for message in (
        "Geef de casus een titel.",
        "Kies het doel van de casus.",
        "Vul een (voor)naam of schuilnaam in.",
    ):
        assert message in page


def test_the_childs_sex_defaults_to_unknown(login):
    page = login("admin").get(URL).get_data(as_text=True)
    select = page[page.index('name="child_sex"') :]
    select = select[: select.index("</select>")]
    assert 'value="unknown" selected' in select or 'selected value="unknown"' in select
    assert 'value="female" selected' not in select


# --------------------------------------------------------------------------- regions


def test_regions_settle_on_the_known_spelling_or_ask_about_a_near_miss():
    from cases.regions import settle

    known = ["Oost-Brabant", "West"]
    assert settle("  oost-brabant ", known) == ("Oost-Brabant", None)
    assert settle("Oost-Brabnat", known) == ("Oost-Brabnat", "Oost-Brabant")
    assert settle("Limburg", known) == ("Limburg", None)
    assert settle("", known) == (None, None)


def test_a_region_typo_is_asked_about_then_can_be_confirmed_as_new(app, login):
    client = login("admin")
    assert client.post(URL, data={**FORM, "token": TOKEN}).status_code == 303  # region Oost
    before = counts(app)
    doubt = client.post(
        URL, data={**FORM, "title": "De Molen", "region": "Oots", "token": TOKEN + "r"}
    )
    assert doubt.status_code == 422
    page = doubt.get_data(as_text=True)
    assert "Bedoel je ‘Oost’?" in page and "Nieuwe regio" in page
    assert counts(app) == before
    same = client.post(
        URL, data={**FORM, "title": "De Molen", "region": " oost", "token": TOKEN + "s"}
    )
    assert same.status_code == 303
    with app.app_context():
        assert store.load_case(get_db(), "de-molen")["region"] == "Oost"
    new = client.post(
        URL,
        data={
            **FORM,
            "title": "De Dijk",
            "region": "Oots",
            "token": TOKEN + "t",
            "new_region": "1",
        },
    )
    assert new.status_code == 303
