"""The family page through the test client: what a user sees, edits, and is refused."""

import re

import pytest

from cases import store, views
from core.web import get_db
from tests.conftest import family_section

CODE = "test-gezin"
PAGE = f"/gezinnen/{CODE}"

STALE_TEXT = "Iemand anders heeft dit gezin intussen gewijzigd"


# Helpers -------------------------------------------------------------------------


def stored(app, code=CODE):
    """The case as stored now (a fresh app context, so nothing is cached)."""
    with app.app_context():
        return store.load_case(get_db(), code)


def version(app, code=CODE):
    with app.app_context():
        return store.family_row(get_db(), code)["version"]


def hx(target):
    """Headers htmx sends for a request made on behalf of element ``target``."""
    return {"HX-Request": "true", "HX-Target": target}


def text(response):
    return response.get_data(as_text=True)


def person_of(case, person_id):
    return next(p for p in case["persons"] if p["id"] == person_id)


def person_data(person, ver, **changes):
    """What the person form posts when left as it is, with ``changes`` typed in."""
    data = {
        "version": str(ver),
        "name": person["name"] or "",
        "sex": person["sex"],
        "birth_year": "" if person["birth_year"] is None else str(person["birth_year"]),
        "problems": list(person["problems"]),
        "interests": ", ".join(person["interests"]),
        "strengths": ", ".join(person["strengths"]),
        "residence": person["residence"] or "",
    }
    if person["deceased"]:
        data["deceased"] = "y"
    if person["index"]:
        data["index"] = "y"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def error_beside(html, field_id):
    """The error text shown right after the input with ``field_id``."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    assert match, f"no error paragraph for {field_id}"
    return match.group(1)


def assert_fragment(response, status=200):
    assert response.status_code == status, text(response)
    assert "<html" not in text(response)
    assert "HX-Request" in response.headers.get("Vary", "")


# Which URL each endpoint of the family page answers, for the route-wide tests.
URLS = {
    "cases.show": PAGE,
    "cases.situation": f"{PAGE}/situatie",
    "cases.edit_situation": f"{PAGE}/situatie/wijzigen",
    "cases.update_situation": f"{PAGE}/situatie",
    "cases.family_block": f"{PAGE}/gezin-en-netwerk",
    "cases.new_person": f"{PAGE}/personen/nieuw",
    "cases.create_person": f"{PAGE}/personen",
    "cases.person": f"{PAGE}/personen/p1",
    "cases.edit_person": f"{PAGE}/personen/p1/wijzigen",
    "cases.update_person": f"{PAGE}/personen/p1",
    "cases.delete_person": f"{PAGE}/personen/p1/verwijderen",
    "cases.new_placement": f"{PAGE}/personen/p1/plaatsingen/nieuw",
    "cases.create_placement": f"{PAGE}/personen/p1/plaatsingen",
    "cases.placement": f"{PAGE}/personen/p1/plaatsingen/0",
    "cases.edit_placement": f"{PAGE}/personen/p1/plaatsingen/0/wijzigen",
    "cases.update_placement": f"{PAGE}/personen/p1/plaatsingen/0",
    "cases.delete_placement": f"{PAGE}/personen/p1/plaatsingen/0/verwijderen",
    "cases.relations": f"{PAGE}/relaties",
    "cases.new_relation": f"{PAGE}/relaties/nieuw/couple",
    "cases.create_relation": f"{PAGE}/relaties",
    "cases.relation": f"{PAGE}/relaties/0",
    "cases.edit_relation": f"{PAGE}/relaties/0/wijzigen",
    "cases.update_relation": f"{PAGE}/relaties/0",
    "cases.delete_relation": f"{PAGE}/relaties/0/verwijderen",
    "cases.network": f"{PAGE}/netwerk",
    "cases.new_member": f"{PAGE}/netwerk/nieuw",
    "cases.create_member": f"{PAGE}/netwerk",
    "cases.member": f"{PAGE}/netwerk/n1",
    "cases.edit_member": f"{PAGE}/netwerk/n1/wijzigen",
    "cases.update_member": f"{PAGE}/netwerk/n1",
    "cases.delete_member": f"{PAGE}/netwerk/n1/verwijderen",
    "cases.new_tie": f"{PAGE}/netwerk/n1/banden/nieuw",
    "cases.create_tie": f"{PAGE}/netwerk/n1/banden",
    "cases.tie": f"{PAGE}/netwerk/n1/banden/p1",
    "cases.edit_tie": f"{PAGE}/netwerk/n1/banden/p1/wijzigen",
    "cases.update_tie": f"{PAGE}/netwerk/n1/banden/p1",
    "cases.delete_tie": f"{PAGE}/netwerk/n1/banden/p1/verwijderen",
    "cases.more_rows": f"{PAGE}/meer/personen?vanaf=50",
    "cases.section": f"{PAGE}/onderdeel/signalen",
}
LIST_ENDPOINTS = {"cases.index", "cases.create_family"}
# The guided new-family flow has its own file (tests/test_cases_building.py).
BUILD_ENDPOINTS = {"cases.build", "cases.build_add", "cases.build_residence"}
GET_ENDPOINTS = [e for e in URLS if not e.split(".")[1].startswith(("update", "create", "delete"))]
POST_ENDPOINTS = [e for e in URLS if e not in GET_ENDPOINTS]

# For each read-only or form endpoint: the element that asks for it, and whether the
# page branch shows a form (True) or redirects to the page (False).
FRAGMENTS = {
    "cases.situation": (views.SITUATION_ID, False),
    "cases.edit_situation": (views.SITUATION_ID, True),
    "cases.family_block": (views.FAMILY_ID, False),
    "cases.new_person": (views.NEW_PERSON_ID, True),
    "cases.person": (views.person_element("p1"), False),
    "cases.edit_person": (views.person_element("p1"), True),
    "cases.new_placement": (views.new_placement_element("p1"), True),
    "cases.placement": (views.placement_element("p1", 0), False),
    "cases.edit_placement": (views.placement_element("p1", 0), True),
    "cases.relations": (views.RELATIONS_ID, False),
    "cases.new_relation": (views.new_relation_element("couple"), True),
    "cases.relation": (views.relation_element(0), False),
    "cases.edit_relation": (views.relation_element(0), True),
    "cases.network": (views.NETWORK_ID, False),
    "cases.new_member": (views.NEW_MEMBER_ID, True),
    "cases.member": (views.member_element("n1"), False),
    "cases.edit_member": (views.member_element("n1"), True),
    "cases.new_tie": (views.new_tie_element("n1"), True),
    "cases.tie": (views.tie_element("n1", "p1"), False),
    "cases.edit_tie": (views.tie_element("n1", "p1"), True),
}


# Routes, login and element ids ---------------------------------------------------


def test_every_family_page_route_is_covered_here(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    # The list and its new-family form are no family page (tests/test_cases_new_family.py).
    elsewhere = LIST_ENDPOINTS | BUILD_ENDPOINTS
    family_page = {e for e in endpoints if e.startswith("cases.") and e not in elsewhere}
    assert family_page == set(URLS)
    # "Meer tonen" needs a family longer than a page: tests/test_cases_big_family.py;
    # the sections loaded when scrolled into view: tests/test_cases_sections.py.
    assert set(FRAGMENTS) == set(GET_ENDPOINTS) - {"cases.show", "cases.more_rows", "cases.section"}


@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
def test_get_routes_need_login(client, endpoint):
    response = client.get(URLS[endpoint])
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_routes_need_login_even_with_a_valid_csrf_token(app, client, endpoint):
    html = text(client.get("/login"))
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    before = stored(app)
    response = client.post(
        URLS[endpoint], data={"version": "1", "name": "X"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert stored(app) == before


@pytest.mark.parametrize("endpoint", sorted(FRAGMENTS))
def test_htmx_request_from_its_element_gets_a_fragment(login, endpoint):
    client = login()
    element, _ = FRAGMENTS[endpoint]
    response = client.get(URLS[endpoint], headers=hx(element))
    assert_fragment(response)
    assert f'id="{element}"' in text(response)


@pytest.mark.parametrize("endpoint", sorted(FRAGMENTS))
def test_plain_request_gets_the_page_never_a_fragment(login, endpoint):
    client = login()
    element, shows_form = FRAGMENTS[endpoint]
    response = client.get(URLS[endpoint])
    if shows_form:
        assert response.status_code == 200
        html = text(response)
        assert "<html" in html and "<form" in html
        assert f'id="{element}" class="editor"' in html
    else:
        # read-only parts live on the page: go there, at the part
        assert response.status_code == 302
        assert f"{PAGE}#" in response.headers["Location"]


@pytest.mark.parametrize(
    "headers",
    [{"HX-Request": "true"}, {"HX-Request": "true", "HX-Boosted": "true", "HX-Target": "main"}],
)
def test_htmx_request_from_another_element_gets_the_page(login, headers):
    """Boosted navigation also sends HX-Request: that alone never means "fragment"."""
    response = login().get(URLS["cases.edit_person"], headers=headers)
    assert response.status_code == 200
    assert "<html" in text(response)


def test_show_page_has_sections_nav_and_the_element_ids_htmx_targets(login):
    response = login().get(PAGE)
    html = text(response)
    assert response.status_code == 200
    for section_id, heading in views.SECTIONS:
        assert f'<section id="{section_id}"' in html
        assert f'<a href="#{section_id}">{heading}</a>' in html
        assert f">{heading}</h2>" in html
    for element in (
        views.HEAD_ID,
        views.SITUATION_ID,
        views.FAMILY_ID,
        views.RELATIONS_ID,
        views.NETWORK_ID,
        views.NEW_PERSON_ID,
        views.NEW_MEMBER_ID,
        views.person_element("p1"),
        views.placement_element("p1", 1),
        views.new_placement_element("p1"),
        views.relation_element(4),
        views.new_relation_element("emotional"),
        views.member_element("n2"),
        views.tie_element("n2", "p1"),
        views.new_tie_element("n2"),
    ):
        assert f'id="{element}"' in html, element


def test_element_id_helpers_and_selector():
    assert views.person_element("p1") == "persoon-p1"
    assert views.new_placement_element("p1") == "nieuwe-plaatsing-p1"
    assert views.tie_element("n1", "p2") == "band-n1-p2"
    assert views.selector(views.person_element("p.1")) == "#persoon-p\\.1"
    # a slot id never looks like an item id, even for a person called "nieuw"
    assert views.person_element("nieuw") != views.NEW_PERSON_ID


def test_unknown_family_is_404_for_an_admin(login):
    assert login("admin").get("/gezinnen/bestaat-niet").status_code == 404


def test_unknown_family_is_403_for_others(login):
    # The same answer as for a family one may not see: a code's existence is no secret
    # to give away (see test_security_routes.py).
    assert login().get("/gezinnen/bestaat-niet").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        f"{PAGE}/personen/p9/wijzigen",
        f"{PAGE}/personen/p1/plaatsingen/7/wijzigen",
        f"{PAGE}/relaties/42/wijzigen",
        f"{PAGE}/relaties/nieuw/vrienden",
        f"{PAGE}/netwerk/n9",
        f"{PAGE}/netwerk/n1/banden/p4/wijzigen",
    ],
)
def test_unknown_item_is_404_for_a_page_request(login, url):
    assert login().get(url).status_code == 404


# What the page shows -------------------------------------------------------------


def test_page_shows_the_situation(login):
    html = text(login().get(PAGE))
    assert "<h1>Het Testgezin</h1>" in html
    assert "terug naar huis" in html and "West" in html and "actief" in html
    assert "1 maart 2020" in html
    assert "Meisje van 14 dat steeds terugkeert" in html
    assert "Ik wil bij mijn vader wonen." in html


def test_page_shows_persons_with_dutch_labels_and_placements(login):
    html = text(login().get(PAGE))
    sanne = html[html.index('id="persoon-p1"') : html.index('id="persoon-p2"')]
    assert "indexkind" in sanne
    assert "vrouw · geboren 2008" in sanne and "jaar)" in sanne
    assert "woont nu: gesloten jeugdzorg (JeugdzorgPlus)" in sanne
    assert "trauma" in sanne and "weglopen" in sanne
    assert "paarden" in sanne
    assert "1 september 2019 – 1 februari 2020" in sanne
    assert "open residentiële groep, Open groep" in sanne
    assert "loopt nog" in sanne
    moeder = html[html.index('id="persoon-p3"') : html.index('id="persoon-p4"')]
    assert "overleden" in moeder and "jaar)" not in moeder
    assert "psychiatrische problematiek" in html


def test_page_shows_relations_grouped_by_kind(login):
    html = text(login().get(PAGE))
    relations = html[
        html.index(f'id="{views.RELATIONS_ID}"') : html.index(f'id="{views.NETWORK_ID}"')
    ]
    assert relations.index("Partners") < relations.index("Ouders en kinderen")
    assert relations.index("Ouders en kinderen") < relations.index("Emotionele banden")
    assert "Vader en Moeder" in relations and "beëindigd door overlijden" in relations
    assert "Vader is ouder van Sanne" in relations and "biologisch" in relations
    assert "Sanne en Vader" in relations and "hecht" in relations


def test_page_shows_network_members_with_team_and_ties(login):
    html = text(login().get(PAGE))
    member = html[html.index('id="netwerklid-n1"') : html.index('id="netwerklid-n2"')]
    assert "Paardenfluisteraar" in member
    assert "informeel netwerk: familie, buren, vrienden, club" in member
    assert "in het team" in member
    assert "Band met <strong>Sanne</strong>: sterk, naar de persoon" in member
    assert "jeugdbescherming (gecertificeerde instelling)" in html


def test_page_shows_similar_cases_and_conferences_sections(login):
    client = login()
    html = family_section(client, CODE, "vergelijkbare-casussen")
    html += family_section(client, CODE, "overleggen")
    assert 'id="vergelijkbare-casussen-inhoud"' in html  # empty library: says so
    assert "de oplossingenbibliotheek is leeg" in html
    assert "Nog geen overleggen." in html and "Overleg starten" in html


def test_user_text_is_escaped(app, login):
    client = login()
    person = person_of(stored(app), "p2")
    response = client.post(
        f"{PAGE}/personen/p2",
        data=person_data(person, version(app), name="<script>alert(1)</script>"),
        headers=hx(views.person_element("p2")),
    )
    assert response.status_code == 200
    html = text(client.get(PAGE))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_edit_form_focuses_its_first_field_and_labels_every_input(login):
    html = text(login().get(URLS["cases.edit_person"], headers=hx("persoon-p1")))
    assert re.search(r'<input data-autofocus id="persoon-p1-name"', html)
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert ids
    for field_id in ids:
        assert f'for="{field_id}"' in html, field_id


def test_edit_form_carries_the_family_version(app, login):
    html = text(login().get(URLS["cases.edit_member"], headers=hx("netwerklid-n1")))
    assert f'name="version" value="{version(app)}"' in html


def test_delete_button_asks_for_confirmation(login):
    html = text(login().get(URLS["cases.edit_person"], headers=hx("persoon-p1")))
    assert 'data-confirm="Sanne verwijderen? Ook de relaties en netwerkbanden' in html
    assert f'hx-post="{PAGE}/personen/p1/verwijderen"' in html


def test_cancel_of_a_new_form_gets_the_add_button_back(login):
    client = login()
    form = text(client.get(URLS["cases.new_person"], headers=hx(views.NEW_PERSON_ID)))
    assert f'hx-get="{PAGE}/gezin-en-netwerk" hx-select="#{views.NEW_PERSON_ID}"' in form
    response = client.get(f"{PAGE}/gezin-en-netwerk", headers=hx(views.NEW_PERSON_ID))
    assert_fragment(response)
    html = text(response)
    slot = html[html.index(f'id="{views.NEW_PERSON_ID}"') :]
    assert "Persoon toevoegen" in slot[:400] and "data-autofocus" in slot[:400]


# Successful edits ----------------------------------------------------------------


def test_update_situation_changes_what_the_page_shows(app, login):
    client = login()
    response = client.post(
        f"{PAGE}/situatie",
        data={
            "version": str(version(app)),
            "title": "Het Nieuwe Testgezin",
            "region": "Oost",
            "goal": "family_strengthening",
            "status": "closed",
            "started": "2021-04-05",
            "narrative": "Nieuw verhaal.",
            "child_perspective": "",
        },
        headers=hx(views.SITUATION_ID),
    )
    assert_fragment(response)
    html = text(response)
    assert f'<div id="{views.SITUATION_ID}"' in html
    assert f'id="{views.HEAD_ID}" class="family-head" hx-swap-oob="true"' in html
    case = stored(app)
    assert case["title"] == "Het Nieuwe Testgezin" and case["region"] == "Oost"
    assert case["status"] == "closed" and case["started"] == "2021-04-05"
    assert case["child_perspective"] is None
    page = text(client.get(PAGE))
    assert "<h1>Het Nieuwe Testgezin</h1>" in page and "5 april 2021" in page
    assert "familieversterking" in page and "afgesloten" in page


def test_update_person_answers_the_whole_family_block(app, login):
    client = login()
    person = person_of(stored(app), "p2")
    response = client.post(
        f"{PAGE}/personen/p2",
        data=person_data(person, version(app), name="Papa", birth_year="1974", problems=["debts"]),
        headers=hx(views.person_element("p2")),
    )
    assert_fragment(response)
    assert response.headers["HX-Retarget"] == f"#{views.FAMILY_ID}"
    assert response.headers["HX-Reswap"] == "outerHTML"
    html = text(response)
    assert "Papa is ouder van Sanne" in html  # relations show the new name at once
    changed = person_of(stored(app), "p2")
    assert changed["name"] == "Papa" and changed["birth_year"] == 1974
    assert changed["problems"] == ["debts"]
    assert "schulden" in text(client.get(PAGE))


def test_update_person_words_and_checkboxes(app, login):
    client = login()
    person = person_of(stored(app), "p1")
    data = person_data(person, version(app), interests=" paarden , muziek,,", strengths="eerlijk")
    client.post(f"{PAGE}/personen/p1", data=data, headers=hx("persoon-p1"))
    changed = person_of(stored(app), "p1")
    assert changed["interests"] == ["paarden", "muziek"] and changed["strengths"] == ["eerlijk"]
    assert changed["index"] is True and changed["deceased"] is False


def test_create_person_gets_a_fresh_id_and_shows_up(app, login):
    client = login()
    response = client.post(
        f"{PAGE}/personen",
        data={
            "version": str(version(app)),
            "name": "Tante Ria",
            "sex": "female",
            "birth_year": "1970",
        },
        headers=hx(views.NEW_PERSON_ID),
    )
    assert_fragment(response)
    assert response.headers["HX-Retarget"] == f"#{views.FAMILY_ID}"
    case = stored(app)
    assert case["persons"][-1]["id"] == "p5" and case["persons"][-1]["name"] == "Tante Ria"
    html = text(response)
    assert 'id="persoon-p5"' in html
    # the keyboard focus goes to the new person's button
    new_item = html[html.index('id="persoon-p5"') :]
    assert "data-autofocus" in new_item[: new_item.index("</li>")]


def test_delete_person_removes_their_relations_and_ties(app, login):
    client = login()
    person = person_of(stored(app), "p1")
    case = stored(app)
    case["persons"][0]["index"] = False
    case["persons"][3]["index"] = True  # Opa becomes the index, so Sanne can go
    with app.app_context():
        store.save_case(get_db(), case, replace=True)
    response = client.post(
        f"{PAGE}/personen/p1/verwijderen",
        data=person_data(person, version(app)),
        headers=hx(views.person_element("p1")),
    )
    assert_fragment(response)
    case = stored(app)
    assert [p["id"] for p in case["persons"]] == ["p2", "p3", "p4"]
    assert all(
        "p1" not in (r.get("a"), r.get("b"), r.get("parent"), r.get("child"))
        for r in case["relations"]
    )
    assert all(member["ties"] == [] for member in case["network"])
    html = text(client.get(PAGE))
    assert 'id="persoon-p1"' not in html and "Band met <strong>Sanne" not in html


def test_placement_create_update_delete(app, login):
    client = login()
    response = client.post(
        f"{PAGE}/personen/p1/plaatsingen",
        data={
            "version": str(version(app)),
            "residence": "foster",
            "provider": "Pleeggezin",
            "start": "2018-01-01",
            "end": "2019-09-01",
        },
        headers=hx(views.new_placement_element("p1")),
    )
    assert_fragment(response)
    assert response.headers["HX-Retarget"] == "#persoon-p1"
    placements = person_of(stored(app), "p1")["placements"]
    assert [p["start"] for p in placements] == ["2018-01-01", "2019-09-01", "2020-02-01"]

    response = client.post(
        f"{PAGE}/personen/p1/plaatsingen/0",
        data={
            "version": str(version(app)),
            "residence": "kinship",
            "provider": "Oma",
            "start": "2018-01-01",
            "end": "2019-09-01",
        },
        headers=hx(views.placement_element("p1", 0)),
    )
    assert_fragment(response)
    assert person_of(stored(app), "p1")["placements"][0]["residence"] == "kinship"
    assert "netwerkpleeggezin, Oma" in text(client.get(PAGE))

    response = client.post(
        f"{PAGE}/personen/p1/plaatsingen/0/verwijderen",
        data={"version": str(version(app))},
        headers=hx(views.placement_element("p1", 0)),
    )
    assert_fragment(response)
    assert len(person_of(stored(app), "p1")["placements"]) == 2
    assert "netwerkpleeggezin, Oma" not in text(client.get(PAGE))


def test_relation_create_update_delete(app, login):
    client = login()
    response = client.post(
        f"{PAGE}/relaties",
        data={
            "version": str(version(app)),
            "kind": "emotional",
            "first": "p1",
            "second": "p4",
            "detail": "very_close",
        },
        headers=hx(views.new_relation_element("emotional")),
    )
    assert_fragment(response)
    assert response.headers["HX-Retarget"] == f"#{views.RELATIONS_ID}"
    assert stored(app)["relations"][-1] == {
        "kind": "emotional",
        "a": "p1",
        "b": "p4",
        "quality": "very_close",
    }
    assert "Sanne en Opa" in text(client.get(PAGE))

    response = client.post(
        f"{PAGE}/relaties/0",
        data={
            "version": str(version(app)),
            "kind": "couple",
            "first": "p2",
            "second": "p3",
            "detail": "divorced",
        },
        headers=hx(views.relation_element(0)),
    )
    assert_fragment(response)
    assert stored(app)["relations"][0]["status"] == "divorced"
    assert "gescheiden" in text(client.get(PAGE))

    response = client.post(
        f"{PAGE}/relaties/5/verwijderen",
        data={"version": str(version(app)), "kind": "emotional"},
        headers=hx(views.relation_element(5)),
    )
    assert_fragment(response)
    assert len(stored(app)["relations"]) == 5
    assert "Sanne en Opa" not in text(client.get(PAGE))


def test_update_relation_keeps_its_kind_whatever_is_posted(app, login):
    client = login()
    client.post(
        f"{PAGE}/relaties/1",
        data={
            "version": str(version(app)),
            "kind": "couple",
            "first": "p2",
            "second": "p1",
            "detail": "foster",
        },
        headers=hx(views.relation_element(1)),
    )
    assert stored(app)["relations"][1] == {
        "kind": "parent",
        "parent": "p2",
        "child": "p1",
        "type": "foster",
    }


def test_member_create_update_delete(app, login):
    client = login()
    response = client.post(
        f"{PAGE}/netwerk",
        data={
            "version": str(version(app)),
            "name": "Buurvrouw",
            "partner": "informal",
            "in_team": "y",
        },
        headers=hx(views.NEW_MEMBER_ID),
    )
    assert_fragment(response)
    member = stored(app)["network"][-1]
    assert member == {
        "id": "n3",
        "name": "Buurvrouw",
        "partner": "informal",
        "in_team": True,
        "ties": [],
    }

    response = client.post(
        f"{PAGE}/netwerk/n3",
        data={"version": str(version(app)), "name": "Buurvrouw Els", "partner": "informal"},
        headers=hx(views.member_element("n3")),
    )
    assert_fragment(response)
    assert "HX-Retarget" not in response.headers  # the member answers for itself
    assert stored(app)["network"][-1]["in_team"] is False
    assert "Buurvrouw Els" in text(client.get(PAGE))

    response = client.post(
        f"{PAGE}/netwerk/n3/verwijderen",
        data={"version": str(version(app))},
        headers=hx(views.member_element("n3")),
    )
    assert_fragment(response)
    assert [m["id"] for m in stored(app)["network"]] == ["n1", "n2"]


def test_tie_create_update_delete(app, login):
    client = login()
    response = client.post(
        f"{PAGE}/netwerk/n1/banden",
        data={
            "version": str(version(app)),
            "person": "p2",
            "strength": "weak",
            "flow": "from",
            "stressful": "y",
        },
        headers=hx(views.new_tie_element("n1")),
    )
    assert_fragment(response)
    assert response.headers["HX-Retarget"] == "#netwerklid-n1"
    ties = stored(app)["network"][0]["ties"]
    assert ties[-1] == {"person": "p2", "strength": "weak", "stressful": True, "flow": "from"}
    assert "belastend" in text(client.get(PAGE))

    response = client.post(
        f"{PAGE}/netwerk/n1/banden/p2",
        data={"version": str(version(app)), "person": "p4", "strength": "strong", "flow": "both"},
        headers=hx(views.tie_element("n1", "p2")),
    )
    assert_fragment(response)
    assert stored(app)["network"][0]["ties"][-1] == {
        "person": "p4",
        "strength": "strong",
        "stressful": False,
        "flow": "both",
    }

    response = client.post(
        f"{PAGE}/netwerk/n1/banden/p4/verwijderen",
        data={"version": str(version(app))},
        headers=hx(views.tie_element("n1", "p4")),
    )
    assert_fragment(response)
    assert [t["person"] for t in stored(app)["network"][0]["ties"]] == ["p1"]


def test_plain_form_post_redirects_to_the_page_after_saving(app, login):
    response = login().post(
        f"{PAGE}/netwerk/n1",
        data={"version": str(version(app)), "name": "Paardenman", "partner": "informal"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{PAGE}#netwerklid-n1")
    assert stored(app)["network"][0]["name"] == "Paardenman"


# Refused edits: 422, message beside the field, nothing stored ---------------------


def test_birth_year_that_is_not_a_number_is_refused_beside_the_field(app, login):
    client = login()
    before, ver = stored(app), version(app)
    response = client.post(
        f"{PAGE}/personen/p2",
        data=person_data(person_of(before, "p2"), ver, birth_year="abc"),
        headers=hx("persoon-p2"),
    )
    assert_fragment(response, 422)
    html = text(response)
    assert error_beside(html, "persoon-p2-birth_year").startswith("Vul een geboortejaar in cijfers")
    assert (
        'aria-describedby="persoon-p2-birth_year-error" aria-invalid="true" data-autofocus' in html
    )
    assert 'value="abc"' in html  # what the user typed stays
    assert stored(app) == before and version(app) == ver


def test_birth_year_out_of_range_gets_the_validation_message(app, login):
    before, ver = stored(app), version(app)
    response = login().post(
        f"{PAGE}/personen/p4",
        data=person_data(person_of(before, "p4"), ver, birth_year="3000"),
        headers=hx("persoon-p4"),
    )
    assert_fragment(response, 422)
    assert "Geef een geboortejaar tussen 1 en" in error_beside(
        text(response), "persoon-p4-birth_year"
    )
    assert stored(app) == before


def test_second_index_person_is_accepted_and_named_in_the_head(app, login):
    ver = version(app)
    response = login().post(
        f"{PAGE}/personen",
        data={"version": str(ver), "name": "Broertje", "sex": "male", "index": "y"},
        headers=hx(views.NEW_PERSON_ID),
    )
    assert_fragment(response, 200)
    html = text(response)
    assert 'hx-swap-oob="true"' in html and "Om wie het gaat:" in html
    assert " en Broertje" in html
    assert [p["name"] for p in stored(app)["persons"] if p["index"]][-1] == "Broertje"


def test_placement_ending_before_it_starts_is_refused_beside_the_end_date(app, login):
    before, ver = stored(app), version(app)
    element = views.placement_element("p1", 0)
    response = login().post(
        f"{PAGE}/personen/p1/plaatsingen/0",
        data={
            "version": str(ver),
            "residence": "residential",
            "start": "2019-09-01",
            "end": "2019-01-01",
        },
        headers=hx(element),
    )
    assert_fragment(response, 422)
    html = text(response)
    assert error_beside(html, f"{element}-end") == "De einddatum ligt voor de begindatum."
    assert 'value="2019-01-01"' in html
    assert stored(app) == before


def test_placement_without_start_date_is_refused_by_the_form(app, login):
    before = stored(app)
    element = views.new_placement_element("p2")
    response = login().post(
        f"{PAGE}/personen/p2/plaatsingen",
        data={"version": str(version(app)), "residence": "home", "start": "", "end": "1-2-2020"},
        headers=hx(element),
    )
    assert_fragment(response, 422)
    html = text(response)
    assert error_beside(html, f"{element}-start") == "Vul de begindatum in."
    assert error_beside(html, f"{element}-end") == "Geef een geldige datum (jjjj-mm-dd)."
    assert stored(app) == before


def test_relation_of_a_person_to_themselves_is_refused(app, login):
    before = stored(app)
    element = views.new_relation_element("emotional")
    response = login().post(
        f"{PAGE}/relaties",
        data={
            "version": str(version(app)),
            "kind": "emotional",
            "first": "p1",
            "second": "p1",
            "detail": "close",
        },
        headers=hx(element),
    )
    assert_fragment(response, 422)
    assert error_beside(text(response), f"{element}-second") == "Kies twee verschillende personen."
    assert stored(app) == before


def test_relation_without_detail_is_refused_by_the_form(app, login):
    before = stored(app)
    element = views.new_relation_element("couple")
    response = login().post(
        f"{PAGE}/relaties",
        data={
            "version": str(version(app)),
            "kind": "couple",
            "first": "p1",
            "second": "p4",
            "detail": "",
        },
        headers=hx(element),
    )
    assert_fragment(response, 422)
    assert error_beside(text(response), f"{element}-detail") == "Maak een keuze."
    assert stored(app) == before


def test_second_tie_with_the_same_person_is_refused_beside_the_person(app, login):
    before = stored(app)
    element = views.new_tie_element("n1")
    response = login().post(
        f"{PAGE}/netwerk/n1/banden",
        data={"version": str(version(app)), "person": "p1", "strength": "weak", "flow": "to"},
        headers=hx(element),
    )
    assert_fragment(response, 422)
    assert (
        error_beside(text(response), f"{element}-person") == "Er is al een band met deze persoon."
    )
    assert stored(app) == before


def test_empty_title_is_refused(app, login):
    before = stored(app)
    response = login().post(
        f"{PAGE}/situatie",
        data={"version": str(version(app)), "title": "", "goal": "return_home", "status": "active"},
        headers=hx(views.SITUATION_ID),
    )
    assert_fragment(response, 422)
    assert error_beside(text(response), f"{views.SITUATION_ID}-title") == "Geef de casus een titel."
    assert stored(app) == before


def test_problem_elsewhere_is_shown_above_the_form_saying_where(app, login):
    """Making the father younger than his daughter breaks a relation, not a field."""
    before = stored(app)
    response = login().post(
        f"{PAGE}/personen/p2",
        data=person_data(person_of(before, "p2"), version(app), birth_year="2010"),
        headers=hx("persoon-p2"),
    )
    assert_fragment(response, 422)
    html = text(response)
    assert 'class="form-errors" role="alert"' in html
    assert "Relatie Vader en Sanne: Een ouder moet ouder zijn dan het kind." in html
    assert stored(app) == before


def test_deleting_the_index_child_is_refused_with_a_reason(app, login):
    before = stored(app)
    response = login().post(
        f"{PAGE}/personen/p1/verwijderen",
        data=person_data(person_of(before, "p1"), version(app)),
        headers=hx("persoon-p1"),
    )
    assert_fragment(response, 422)
    assert "Verwijderen kan niet. Personen: Geef aan om welk kind het gaat (indexkind)." in text(
        response
    )
    assert stored(app) == before


def test_plain_form_post_with_an_error_gets_the_page_with_the_form_open(app, login):
    before = stored(app)
    response = login().post(
        f"{PAGE}/personen/p2",
        data=person_data(person_of(before, "p2"), version(app), birth_year="abc"),
    )
    assert response.status_code == 422
    html = text(response)
    assert "<html" in html
    assert error_beside(html, "persoon-p2-birth_year").startswith("Vul een geboortejaar")
    assert stored(app) == before


def test_form_without_version_is_refused(app, login):
    before = stored(app)
    response = login().post(
        f"{PAGE}/netwerk/n1",
        data={"name": "X", "partner": "informal"},
        headers=hx("netwerklid-n1"),
    )
    assert_fragment(response, 422)
    assert "laad de pagina opnieuw" in text(response)
    assert stored(app) == before


# Stale edits: 409, the current state, nothing overwritten --------------------------


def test_stale_edit_is_refused_and_shows_the_current_value(app, login):
    client = login()
    old = version(app)
    # someone else renames the father first
    person = person_of(stored(app), "p2")
    client.post(
        f"{PAGE}/personen/p2",
        data=person_data(person, old, name="Papa"),
        headers=hx("persoon-p2"),
    )
    after_first = stored(app)
    response = client.post(
        f"{PAGE}/personen/p2",
        data=person_data(person, old, name="Pa"),
        headers=hx("persoon-p2"),
    )
    assert_fragment(response, 409)
    html = text(response)
    assert STALE_TEXT in html
    assert "Papa" in html and ">Pa<" not in html
    assert response.headers["HX-Retarget"] == f"#{views.FAMILY_ID}"
    assert stored(app) == after_first


def test_stale_situation_edit_shows_the_current_situation(app, login):
    client = login()
    old = version(app)
    data = {"version": str(old), "title": "Eerste", "goal": "return_home", "status": "active"}
    client.post(f"{PAGE}/situatie", data=data, headers=hx(views.SITUATION_ID))
    response = client.post(
        f"{PAGE}/situatie", data={**data, "title": "Tweede"}, headers=hx(views.SITUATION_ID)
    )
    assert_fragment(response, 409)
    assert STALE_TEXT in text(response) and "Eerste" in text(response)
    assert stored(app)["title"] == "Eerste"


def test_stale_delete_changes_nothing(app, login):
    client = login()
    old = version(app)
    client.post(
        f"{PAGE}/netwerk/n2",
        data={"version": str(old), "name": "Voogd", "partner": "youth_protection"},
        headers=hx("netwerklid-n2"),
    )
    after_first = stored(app)
    response = client.post(
        f"{PAGE}/netwerk/n2/verwijderen", data={"version": str(old)}, headers=hx("netwerklid-n2")
    )
    assert_fragment(response, 409)
    assert STALE_TEXT in text(response) and "Voogd" in text(response)
    assert stored(app) == after_first


def test_stale_edit_of_an_item_someone_deleted_is_409_not_404(app, login):
    client = login()
    old = version(app)
    client.post(
        f"{PAGE}/netwerk/n1/banden/p1/verwijderen",
        data={"version": str(old)},
        headers=hx("band-n1-p1"),
    )
    after_first = stored(app)
    response = client.post(
        f"{PAGE}/netwerk/n1/banden/p1",
        data={"version": str(old), "person": "p1", "strength": "weak", "flow": "to"},
        headers=hx("band-n1-p1"),
    )
    assert_fragment(response, 409)
    assert response.headers["HX-Retarget"] == "#netwerklid-n1"
    assert stored(app) == after_first


def test_opening_the_form_of_an_item_that_is_gone_explains_it(login):
    response = login().get(f"{PAGE}/personen/p9/wijzigen", headers=hx("persoon-p9"))
    assert_fragment(response, 409)
    assert "dit onderdeel bestaat niet meer" in text(response)


# CSRF ----------------------------------------------------------------------------


def test_post_without_csrf_token_is_refused(app, login):
    plain = login().client  # logged in, but sends no X-CSRFToken header
    before = stored(app)
    person = person_of(before, "p2")
    response = plain.post(
        f"{PAGE}/personen/p2",
        data=person_data(person, version(app), name="Zonder token"),
        headers=hx("persoon-p2"),
    )
    assert response.status_code == 400
    assert stored(app) == before


def test_post_with_a_wrong_csrf_token_is_refused(app, login):
    before = stored(app)
    response = login().post(
        f"{PAGE}/netwerk/n1/verwijderen",
        data={"version": str(version(app))},
        headers={**hx("netwerklid-n1"), "X-CSRFToken": "vals"},
    )
    assert response.status_code == 400
    assert stored(app) == before


def test_delete_relation_works_without_the_kind_field(app, login):
    """The kind only steers where the focus goes; the stored relation is what is deleted."""
    response = login().post(
        f"{PAGE}/relaties/4/verwijderen",
        data={"version": str(version(app))},
        headers=hx(views.relation_element(4)),
    )
    assert_fragment(response)
    assert len(stored(app)["relations"]) == 4


def test_read_only_url_varies_on_htmx_headers_also_when_redirecting(login):
    response = login().get(URLS["cases.person"])
    assert response.status_code == 302
    assert "HX-Request" in response.headers["Vary"] and "HX-Target" in response.headers["Vary"]


def test_new_forms_start_from_the_format_defaults(login):
    client = login()
    tie = text(client.get(URLS["cases.new_tie"], headers=hx(views.new_tie_element("n1"))))
    assert '<option selected value="normal">gewoon</option>' in tie
    assert '<option selected value="both">wederzijds</option>' in tie
    person = text(client.get(URLS["cases.new_person"], headers=hx(views.NEW_PERSON_ID)))
    assert '<option selected value="unknown">onbekend</option>' in person


def test_a_long_family_list_says_it_is_cut_off(login, monkeypatch):
    from cases.views import family_list

    client = login("admin")
    assert "2 gezinnen" in client.get("/gezinnen/").get_data(as_text=True)
    monkeypatch.setattr(family_list, "LIST_LIMIT", 1)
    html = client.get("/gezinnen/").get_data(as_text=True)
    assert "Meer dan 1 gezinnen: de eerste 1 staan hieronder" in html
    assert len(re.findall(r"<tr>\s*<td>", html)) == 1  # one family row
    # A search that narrows the list below the limit shows the plain count again.
    narrowed = client.get("/gezinnen/?q=Andere").get_data(as_text=True)
    assert "1 gezin" in narrowed and "Meer dan" not in narrowed


def test_person_form_sets_in_team_and_household_and_clears_them(app, login):
    client = login()
    person = person_of(stored(app), "p2")
    html = text(client.get(f"{PAGE}/personen/p2/wijzigen", headers=hx("persoon-p2")))
    assert "Zit aan tafel (in het team)" in html and "Huishouden" in html
    data = person_data(person, version(app), in_team="y", household="vader")
    client.post(f"{PAGE}/personen/p2", data=data, headers=hx("persoon-p2"))
    changed = person_of(stored(app), "p2")
    assert changed["in_team"] is True and changed["household"] == "vader"
    data = person_data(changed, version(app), household="")
    client.post(f"{PAGE}/personen/p2", data=data, headers=hx("persoon-p2"))
    changed = person_of(stored(app), "p2")
    assert changed["in_team"] is False and changed["household"] is None


def test_emotional_relation_form_records_from_whom_abuse_comes(app, login):
    client = login()
    html = text(client.get(f"{PAGE}/relaties/nieuw/emotional", headers=hx("x")))
    assert "Van wie (bij mishandeling of conflict)" in html
    client.post(
        f"{PAGE}/relaties",
        data={"version": str(version(app)), "kind": "emotional", "first": "p2",
              "second": "p4", "detail": "abuse", "by": "first"},
        headers=hx(views.new_relation_element("emotional")),
    )  # fmt: skip
    assert stored(app)["relations"][-1] == {
        "kind": "emotional", "a": "p2", "b": "p4", "quality": "abuse", "by": "p2",
    }  # fmt: skip
    client.post(
        f"{PAGE}/relaties",
        data={"version": str(version(app)), "kind": "emotional", "first": "p4",
              "second": "p3", "detail": "close", "by": "first"},
        headers=hx(views.new_relation_element("emotional")),
    )  # fmt: skip
    assert stored(app)["relations"][-1] == {
        "kind": "emotional", "a": "p4", "b": "p3", "quality": "close",
    }  # fmt: skip
