"""A family of 2,000 persons (a GEDCOM import's size): the page shows the core family
in the genogram and one page of each long list, with "Meer tonen" for the rest.

The family is built once for the module; the 10,000-person figures are in
bench/big_family.py.
"""

import re

import pytest

from access import store as access_store
from access.policy import TEAM_FACILITATOR
from cases import paging
from cases import store as cases_store
from cases.validation import canonical_case
from cases.views import member_element, more_element, person_element, relation_element
from genogram.core import core_persons, dutch_number
from genogram.generate import family_of_at_most
from tests.conftest import LoggedIn, family_section, make_app

CODE = "grote-familie"
PAGE = f"/gezinnen/{CODE}"
FAR_NAME = "Verre Achterneef"  # a person far from the index child


def big_case():
    case = canonical_case(family_of_at_most(11, 2000, lineages=6, members=80))
    case["code"] = CODE
    assert len(case["persons"]) > 1900
    core = set(core_persons(case))
    mentioned = {t["person"] for m in case["network"] for t in m["ties"]}
    mentioned |= {
        p
        for r in case["relations"]
        for p in (r.get("a"), r.get("b"), r.get("parent"), r.get("child"))
    }
    far = next(
        p
        for p in case["persons"][paging.PAGE_SIZE * 10 :]
        if p["id"] not in core
        and p["id"] not in {t["person"] for m in case["network"] for t in m["ties"]}
    )
    far["name"] = FAR_NAME
    return case, far["id"]


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("big") / "test.db")
    case, far_id = big_case()
    with app.app_context():
        from core.web import get_db

        db = get_db()
        family_id = cases_store.save_case(db, case)
        user = next(db.query("SELECT id FROM users WHERE username = 'facilitator'"))["id"]
        access_store.add_member(db, family_id, user, TEAM_FACILITATOR)
    client = LoggedIn(app.test_client(), "facilitator")
    page = client.get(PAGE).get_data(as_text=True)
    drawing = family_section(client, CODE, "genogram")
    signals = family_section(client, CODE, "signalen")
    return {
        "app": app,
        "client": client,
        "case": case,
        "far": far_id,
        "page": page,
        "drawing": drawing,
        "signals": signals,
    }


def text(response):
    return response.get_data(as_text=True)


def hx(target):
    return {"HX-Request": "true", "HX-Target": target}


def test_big_family_page_draws_the_core_family_with_a_note(big):
    core = core_persons(big["case"])
    total = dutch_number(len(big["case"]["persons"]))
    assert f"Kerngezin getoond: {len(core)} van {total} personen." in big["drawing"]
    assert f'href="{PAGE}/genogram?alle=1">Toon alle personen</a>' in big["drawing"]
    drawn = set(re.findall(r'data-person-id="([^"]+)"', big["drawing"]))
    assert drawn == set(core)


def test_big_family_page_holds_one_page_of_each_list(big):
    html = big["page"]
    assert len(re.findall(r'<li id="persoon-', html)) == paging.PAGE_SIZE
    assert len(re.findall(r'<li id="netwerklid-', html)) == paging.PAGE_SIZE
    assert len(re.findall(r'<li id="relatie-', html)) <= 3 * paging.PAGE_SIZE
    for key in (paging.PERSONS, paging.NETWORK, "partners", "ouders-kinderen"):
        assert f'id="{more_element(key)}"' in html


def test_big_family_page_does_not_hold_a_far_away_person(big):
    assert FAR_NAME not in big["page"]
    assert len(big["page"]) < 1_000_000


def test_more_rows_returns_the_next_page_and_the_next_more(big):
    persons = big["case"]["persons"]
    key = paging.PERSONS
    response = big["client"].get(f"{PAGE}/meer/{key}?vanaf=50", headers=hx(more_element(key)))
    assert response.status_code == 200
    html = text(response)
    assert "<html" not in html
    ids = re.findall(r'<li id="persoon-([^"]+)"', html)
    assert ids == [p["id"] for p in persons[50:100]]
    assert f'id="{more_element(key)}"' in html
    assert f"/meer/{key}?vanaf=100" in html


def test_more_rows_of_relations_and_network(big):
    case = big["case"]
    response = big["client"].get(
        f"{PAGE}/meer/netwerk?vanaf=50", headers=hx(more_element("netwerk"))
    )
    html = text(response)
    assert re.findall(r'<li id="netwerklid-([^"]+)"', html) == [
        m["id"] for m in case["network"][50:80]
    ]
    assert f'id="{more_element("netwerk")}"' not in html  # 80 members: nothing after these
    parents = [i for i, r in enumerate(case["relations"]) if r["kind"] == "parent"]
    response = big["client"].get(
        f"{PAGE}/meer/ouders-kinderen?vanaf=50", headers=hx(more_element("ouders-kinderen"))
    )
    assert f'id="{relation_element(parents[50])}"' in text(response)
    assert f'id="{relation_element(parents[49])}"' not in text(response)


def test_more_rows_without_javascript_opens_the_page_with_those_rows(big):
    client = big["client"]
    response = client.get(f"{PAGE}/meer/personen?vanaf=50")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"{PAGE}?personen=100#persoon-{big['case']['persons'][50]['id']}"
    )
    html = text(client.get(f"{PAGE}?personen=100"))
    assert len(re.findall(r'<li id="persoon-', html)) == 100


def test_more_rows_of_an_unknown_list_is_404(big):
    assert big["client"].get(f"{PAGE}/meer/wachtwoorden?vanaf=0").status_code == 404


def test_editing_a_row_beyond_the_first_page_keeps_it_on_screen(big):
    client = big["client"]
    person = big["case"]["persons"][120]
    element = person_element(person["id"])
    form = client.get(f"{PAGE}/personen/{person['id']}/wijzigen", headers=hx(element))
    assert form.status_code == 200 and f'id="{element}"' in text(form)
    version = re.search(r'name="version" value="(\d+)"', text(form)).group(1)
    response = client.post(
        f"{PAGE}/personen/{person['id']}",
        data={"version": version, "name": "Nicht Roos", "sex": person["sex"]},
        headers={**hx(element), "X-CSRFToken": client.token},
    )
    assert response.status_code == 200, text(response)
    html = text(response)
    assert "Nicht Roos" in html and f'id="{element}"' in html
    assert len(re.findall(r'<li id="persoon-', html)) == 3 * paging.PAGE_SIZE


def test_the_full_drawing_is_reachable(big):
    response = big["client"].get(f"{PAGE}/genogram?alle=1")
    assert response.status_code == 200
    html = text(response)
    assert f"Alle {dutch_number(len(big['case']['persons']))} personen getoond." in html
    assert f'data-person-id="{big["far"]}"' in html
    assert f"{PAGE}/genogram.svg?alle=1" in html  # downloads draw what is shown


def test_the_full_screen_page_and_downloads_show_the_core_by_default(big):
    client = big["client"]
    html = text(client.get(f"{PAGE}/genogram"))
    assert "Kerngezin getoond:" in html
    assert f'data-person-id="{big["far"]}"' not in html
    svg = text(client.get(f"{PAGE}/genogram.svg"))
    assert f'data-person-id="{big["far"]}"' not in svg


def test_the_side_panel_opens_a_person_of_the_core(big):
    index = next(p for p in big["case"]["persons"] if p["index"])
    response = big["client"].get(
        f"{PAGE}/genogram/personen/{index['id']}", headers=hx("genogram-paneel")
    )
    assert response.status_code == 200
    assert f'data-selected-person="{index["id"]}"' in text(response)


def test_the_team_checklist_offers_the_core_family_only(big):
    assert "Alleen het kerngezin en wie al meedoet staan hier" in big["signals"]
    checkboxes = re.findall(r'<input type="checkbox" name="person" value="([^"]+)"', big["signals"])
    assert set(checkboxes) <= set(core_persons(big["case"]))


def test_a_small_family_page_has_no_note_and_all_rows(login):
    html = text(login().get("/gezinnen/test-gezin"))
    assert "Kerngezin" not in html and "Meer tonen" not in html
    for pid in ("p1", "p2", "p3", "p4"):
        assert f'<li id="{person_element(pid)}"' in html
    assert f'<li id="{member_element("n2")}"' in html
    assert "Alleen het kerngezin" not in html
