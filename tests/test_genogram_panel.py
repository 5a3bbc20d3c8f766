"""The genogram's side panel: edit the person or member clicked, add relatives beside."""

import pytest

from cases import store
from genogram.views import EDITED_EVENT, PANEL_ID

PAGE = "/gezinnen/test-gezin"
PANEL = {"HX-Request": "true", "HX-Target": PANEL_ID}


def version_of(db):
    family, _ = store.load_family(db, "test-gezin")
    return family["version"]


def case_of(db):
    return store.load_case(db, "test-gezin")


def person_named(case, name):
    return next(p for p in case["persons"] if p["name"] == name)


@pytest.fixture
def facilitator(login):
    return login("facilitator")


def test_clicking_a_person_opens_their_form_and_the_add_buttons(facilitator):
    response = facilitator.get(f"{PAGE}/genogram/personen/p2", headers=PANEL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="{PANEL_ID}"' in html and 'data-selected-person="p2"' in html
    assert 'value="Vader"' in html
    for label in ("Ouder", "Partner", "Kind", "Broer of zus", "Netwerklid"):
        assert f"</span>{label}<span" in html
    assert "Toevoegen naast Vader" in html


def test_without_htmx_the_panel_is_the_full_screen_genogram_with_the_panel_open(facilitator):
    response = facilitator.get(f"{PAGE}/genogram/personen/p2")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html and 'data-person-id="p1"' in html
    assert 'data-selected-person="p2"' in html


def test_unknown_person_member_or_kind_of_relative_is_not_found(facilitator):
    assert facilitator.get(f"{PAGE}/genogram/personen/p99", headers=PANEL).status_code == 404
    assert facilitator.get(f"{PAGE}/genogram/netwerk/n99", headers=PANEL).status_code == 404
    assert (
        facilitator.get(f"{PAGE}/genogram/personen/p2/nieuw/oom", headers=PANEL).status_code == 404
    )


def test_saving_the_person_redraws_drawing_and_list_and_shows_the_summary(facilitator, db):
    response = facilitator.post(
        f"{PAGE}/genogram/personen/p4",
        data={"version": version_of(db), "name": "Opa Ton", "sex": "male", "birth_year": "1948"},
        headers=PANEL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == f"family-changed, {EDITED_EVENT}"
    assert "<h3>Opa Ton</h3>" in html and "Wijzigen" in html
    assert person_named(case_of(db), "Opa Ton")["id"] == "p4"


def test_a_bad_value_is_refused_beside_its_field_and_nothing_changes(facilitator, db):
    before = case_of(db)
    response = facilitator.post(
        f"{PAGE}/genogram/personen/p4",
        data={"version": version_of(db), "name": "Opa", "sex": "male", "birth_year": "veertig"},
        headers=PANEL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul een geboortejaar in cijfers in" in html
    assert 'value="veertig"' in html  # what was typed stays
    assert case_of(db) == before


def test_a_stale_form_is_refused_with_the_current_state(facilitator, db):
    old = version_of(db)
    facilitator.post(
        f"{PAGE}/genogram/personen/p4",
        data={"version": old, "name": "Eerste", "sex": "male"},
        headers=PANEL,
    )
    response = facilitator.post(
        f"{PAGE}/genogram/personen/p4",
        data={"version": old, "name": "Tweede", "sex": "male"},
        headers=PANEL,
    )
    assert response.status_code == 409
    assert "Iemand anders heeft dit gezin intussen gewijzigd" in response.get_data(as_text=True)
    assert person_named(case_of(db), "Eerste")["id"] == "p4"


def test_the_new_relative_form_offers_the_links_that_fit(facilitator):
    child = facilitator.get(f"{PAGE}/genogram/personen/p2/nieuw/kind", headers=PANEL)
    html = child.get_data(as_text=True)
    assert "Nieuw: kind van Vader" in html
    assert "Andere ouder" in html and '<option selected value="p3">Moeder</option>' in html
    partner = facilitator.get(f"{PAGE}/genogram/personen/p2/nieuw/partner", headers=PANEL)
    assert "Relatie" in partner.get_data(as_text=True)
    assert "Andere ouder" not in partner.get_data(as_text=True)


def add(client, db, person_id, kind, **data):
    return client.post(
        f"{PAGE}/genogram/personen/{person_id}/nieuw/{kind}",
        data={"version": version_of(db), **data},
        headers=PANEL,
    )


def test_adding_a_child_to_a_couple_links_both_parents_and_selects_the_child(facilitator, db):
    response = add(
        facilitator, db, "p2", "kind", name="Broertje", sex="male", birth_year="2012",
        link="biological", parents="p3",
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "family-changed" in response.headers["HX-Trigger"]
    child = person_named(case_of(db), "Broertje")
    assert f'data-selected-person="{child["id"]}"' in html
    parents = {
        (r["parent"], r["type"])
        for r in case_of(db)["relations"]
        if r["kind"] == "parent" and r["child"] == child["id"]
    }
    assert parents == {("p2", "biological"), ("p3", "biological")}


def test_adding_a_parent_partner_and_sibling(facilitator, db):
    assert (
        add(facilitator, db, "p3", "ouder", name="Oma", sex="female", link="biological").status_code
        == 200
    )
    assert (
        add(
            facilitator,
            db,
            "p2",
            "partner",
            name="Nieuwe vriendin",
            sex="female",
            link="cohabiting",
        ).status_code
        == 200
    )
    assert (
        add(
            facilitator, db, "p1", "broer-zus", name="Zusje", sex="female", parents="alle"
        ).status_code
        == 200
    )
    case = case_of(db)
    names = {p["id"]: p["name"] for p in case["persons"]}
    kinds = {
        (
            r["kind"],
            names.get(r.get("a") or r.get("parent")),
            names.get(r.get("b") or r.get("child")),
        )
        for r in case["relations"]
    }
    assert ("parent", "Oma", "Moeder") in kinds
    assert ("couple", "Vader", "Nieuwe vriendin") in kinds
    assert {("parent", "Vader", "Zusje"), ("parent", "Moeder", "Zusje")} <= kinds


def test_adding_a_network_member_ties_them_to_the_person(facilitator, db):
    response = add(
        facilitator, db, "p2", "netwerklid", name="Buurman", partner="informal",
        strength="strong", flow="to",
    )  # fmt: skip
    assert response.status_code == 200
    member = next(m for m in case_of(db)["network"] if m["name"] == "Buurman")
    assert member["ties"] == [
        {"person": "p2", "strength": "strong", "stressful": False, "flow": "to"}
    ]
    assert f'data-selected-member="{member["id"]}"' in response.get_data(as_text=True)


def test_a_refused_relative_stores_neither_person_nor_link(facilitator, db):
    before = case_of(db)
    sibling = add(facilitator, db, "p4", "broer-zus", name="Oom", sex="male", parents="alle")
    assert sibling.status_code == 422
    assert "Voeg eerst een ouder toe" in sibling.get_data(as_text=True)
    member = add(
        facilitator, db, "p2", "netwerklid", name="Iemand", partner="", strength="normal", flow="to"
    )
    assert member.status_code == 422
    assert "Kies wat voor partner dit is." in member.get_data(as_text=True)
    bad_year = add(
        facilitator,
        db,
        "p2",
        "kind",
        name="X",
        sex="male",
        birth_year="1800",
        link="biological",
        parents="",
    )
    assert bad_year.status_code == 422
    assert case_of(db) == before


def test_a_relative_without_htmx_goes_to_the_newcomer_on_the_genogram_page(facilitator, db):
    response = facilitator.post(
        f"{PAGE}/genogram/personen/p2/nieuw/partner",
        data={"version": version_of(db), "name": "Vriendin", "sex": "female", "link": "married"},
    )
    partner = person_named(case_of(db), "Vriendin")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/genogram/personen/{partner['id']}")


def test_deleting_from_the_panel_empties_it(facilitator, db):
    response = facilitator.post(
        f"{PAGE}/genogram/personen/p4/verwijderen", data={"version": version_of(db)}, headers=PANEL
    )
    assert response.status_code == 200
    assert "Niemand geselecteerd" in response.get_data(as_text=True)
    assert all(p["id"] != "p4" for p in case_of(db)["persons"])


def test_a_member_opens_in_the_panel_and_saves(facilitator, db):
    html = facilitator.get(f"{PAGE}/genogram/netwerk/n1", headers=PANEL).get_data(as_text=True)
    assert 'data-selected-member="n1"' in html and 'value="Paardenfluisteraar"' in html
    assert "Sanne: sterk" in html  # the member's ties are listed
    response = facilitator.post(
        f"{PAGE}/genogram/netwerk/n1",
        data={
            "version": version_of(db),
            "name": "Paardencoach",
            "partner": "informal",
            "in_team": "y",
        },
        headers=PANEL,
    )
    assert response.status_code == 200
    assert case_of(db)["network"][0]["name"] == "Paardencoach"
    delete = facilitator.post(
        f"{PAGE}/genogram/netwerk/n1/verwijderen", data={"version": version_of(db)}, headers=PANEL
    )
    assert delete.status_code == 200
    assert [m["id"] for m in case_of(db)["network"]] == ["n2"]


def test_closing_the_panel_leaves_the_hint(facilitator):
    html = facilitator.get(f"{PAGE}/genogram/paneel", headers=PANEL).get_data(as_text=True)
    assert "Niemand geselecteerd" in html and "Tab" in html


def test_a_project_lead_cannot_add_to_a_family(login, db):
    before = case_of(db)
    response = login("project_lead").post(
        f"{PAGE}/genogram/personen/p2/nieuw/partner",
        data={"version": version_of(db), "name": "X", "sex": "female", "link": "married"},
        headers=PANEL,
    )
    assert response.status_code == 403
    assert case_of(db) == before


def test_without_htmx_a_refused_relative_shows_the_page_with_the_form_again(facilitator, db):
    response = facilitator.post(
        f"{PAGE}/genogram/personen/p2/nieuw/kind",
        data={"version": version_of(db), "name": "X", "birth_year": "twee", "link": "biological"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" in html and "Nieuw: kind van Vader" in html
    assert "Vul een geboortejaar in cijfers in" in html


def test_a_stale_relative_form_is_refused_and_shows_the_person_selected(facilitator, db):
    before = case_of(db)
    response = facilitator.post(
        f"{PAGE}/genogram/personen/p2/nieuw/kind",
        data={"version": version_of(db) - 1, "name": "Laat", "link": "biological"},
        headers=PANEL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Iemand anders heeft dit gezin intussen gewijzigd" in html
    assert 'data-selected-person="p2"' in html
    assert case_of(db) == before


def test_the_panel_reads_and_writes_in_team_and_household(facilitator, db):
    html = facilitator.get(f"{PAGE}/genogram/personen/p4", headers=PANEL).get_data(as_text=True)
    assert "Zit aan tafel (in het team)" in html and "Huishouden" in html
    response = facilitator.post(
        f"{PAGE}/genogram/personen/p4",
        data={"version": version_of(db), "name": "Opa", "sex": "male", "in_team": "y",
              "household": "opa en oma"},
    )  # fmt: skip
    assert response.status_code in (200, 303)
    opa = person_named(case_of(db), "Opa")
    assert opa["in_team"] is True and opa["household"] == "opa en oma"
    html = facilitator.get(f"{PAGE}/genogram/personen/p4", headers=PANEL).get_data(as_text=True)
    assert 'value="opa en oma"' in html and "checked" in html
