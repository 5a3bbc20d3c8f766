"""The guided new-family flow "Gezin opbouwen": every route, its links, its refusals."""

import re

import pytest

from cases import building, store
from core.web import get_db
from tests.conftest import LoggedIn

NEW = "/gezinnen/"
FORM = {"title": "Het Zeilschip", "goal": "return_home", "child_name": "Daan m 2014"}
HX = {"HX-Request": "true", "HX-Target": "gezin-opbouwen"}


def case_of(app, code="het-zeilschip"):
    with app.app_context():
        return store.load_case(get_db(), code)


def token_of(html, step):
    """The row token of ``step``'s form in the flow's HTML."""
    form = html[html.index(f"/opbouwen/{step}") :]
    return re.search(r'name="token"[^>]*value="([^"]+)"', form).group(1)


@pytest.fixture
def builder(app, login):
    """A facilitator who just made the family "Het Zeilschip" with its index child."""
    client = login("buitenstaander")
    response = client.post(NEW, data=FORM)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/gezinnen/het-zeilschip/opbouwen")
    return client


def add(client, step, data, headers=HX):
    html = client.get("/gezinnen/het-zeilschip/opbouwen").get_data(as_text=True)
    data = {"token": token_of(html, step), **data}
    return client.post(f"/gezinnen/het-zeilschip/opbouwen/{step}", data=data, headers=headers)


def focused(html):
    """The id of the field that gets the focus."""
    [tag] = [t for t in re.findall(r"<(?:input|select)[^>]*>", html) if " autofocus" in t]
    return re.search(r'id="([^"]+)"', tag).group(1)


def names(case):
    return {p["id"]: p["name"] for p in case["persons"]}


def parent_links(case):
    ids = names(case)
    return sorted(
        (ids[r["parent"]], ids[r["child"]]) for r in case["relations"] if r["kind"] == "parent"
    )


# --------------------------------------------------------------------- pure parts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sanne v 1988", ("Sanne", "female", 1988)),
        ("Hein 1985 m", ("Hein", "male", 1985)),
        ("Anne Marie", ("Anne Marie", None, None)),
        ("Man", ("Man", None, None)),
        ("Jan de Vries, 1970", ("Jan de Vries", None, 1970)),
        ("  ", (None, None, None)),
    ],
)
def test_parse_row_reads_sex_and_year_from_the_end(text, expected):
    assert building.parse_row(text) == expected


def test_person_values_prefer_the_fields_over_the_notation():
    assert building.person_values("Sanne v 1988", "male", 1990) == {
        "name": "Sanne",
        "sex": "male",
        "birth_year": 1990,
    }
    assert building.person_values("Sanne", "unknown", None)["sex"] == "unknown"


# --------------------------------------------------------------------- routes


def test_new_family_lands_in_the_flow_with_its_index_child(app, builder):
    [daan] = case_of(app)["persons"]
    details = (daan["name"], daan["sex"], daan["birth_year"], daan["index"])
    assert details == ("Daan", "male", 2014, True)
    html = builder.get("/gezinnen/het-zeilschip/opbouwen").get_data(as_text=True)
    assert "Gezin opbouwen" in html and "genogram-tekening" in html
    assert focused(html) == "ouders-name"


def test_parents_and_children_are_linked_both_ways(app, builder):
    assert add(builder, "ouders", {"name": "Sanne v 1988"}).status_code == 200
    response = add(builder, "kinderen", {"name": "Lotte v 2017"})
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "family-changed"
    assert "<html" not in response.get_data(as_text=True)
    add(builder, "ouders", {"name": "Hein", "sex": "male", "birth_year": "1985"})
    case = case_of(app)
    assert parent_links(case) == [
        ("Hein", "Daan"),
        ("Hein", "Lotte"),
        ("Sanne", "Daan"),
        ("Sanne", "Lotte"),
    ]
    hein = next(p for p in case["persons"] if p["name"] == "Hein")
    assert (hein["sex"], hein["birth_year"]) == ("male", 1985)


def test_second_parent_moves_the_focus_to_the_children(builder):
    add(builder, "ouders", {"name": "Sanne v"})
    html = add(builder, "ouders", {"name": "Hein m"}).get_data(as_text=True)
    assert focused(html) == "kinderen-name"


def test_family_member_is_a_parent_of_the_person_chosen(app, builder):
    add(builder, "ouders", {"name": "Sanne v"})
    sanne = next(p["id"] for p in case_of(app)["persons"] if p["name"] == "Sanne")
    response = add(builder, "familie", {"name": "Ria 1960", "link": f"moeder:{sanne}"})
    assert response.status_code == 200
    case = case_of(app)
    ria = case["persons"][-1]
    assert (ria["name"], ria["sex"], ria["birth_year"]) == ("Ria", "female", 1960)
    assert ("Ria", "Sanne") in parent_links(case)


def test_network_member_gets_a_tie_to_the_index_child_by_default(app, builder):
    html = builder.get("/gezinnen/het-zeilschip/opbouwen").get_data(as_text=True)
    token = token_of(html, "netwerk")
    response = builder.post(
        "/gezinnen/het-zeilschip/opbouwen/netwerk",
        data={"token": token, "name": "Ans", "partner": "informal", "person": "p1"},
        headers=HX,
    )
    assert response.status_code == 200
    [member] = case_of(app)["network"]
    assert (member["name"], member["partner"]) == ("Ans", "informal")
    assert [t["person"] for t in member["ties"]] == ["p1"]


def test_residence_one_person_and_everyone_else_at_home(app, builder):
    add(builder, "ouders", {"name": "Sanne v"})
    inline = {"HX-Request": "true", "HX-Target": "wonen-p1-error"}
    response = builder.post(
        "/gezinnen/het-zeilschip/opbouwen/wonen",
        data={"person": "p1", "residence": "foster"},
        headers=inline,
    )
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "family-changed"
    assert response.get_data(as_text=True) == ""
    response = builder.post(
        "/gezinnen/het-zeilschip/opbouwen/wonen", data={"alle": "thuis"}, headers=HX
    )
    assert response.status_code == 200
    assert {p["name"]: p["residence"] for p in case_of(app)["persons"]} == {
        "Daan": "foster",
        "Sanne": "home",
    }


def test_every_add_keeps_the_layout_memory(app, builder):
    add(builder, "ouders", {"name": "Sanne v"})
    with app.app_context():
        db = get_db()
        family = store.family_row(db, "het-zeilschip")
        rows = list(
            db.query("SELECT memory FROM genogram_memories WHERE family_id = ?", [family["id"]])
        )
    assert rows and "p2" in rows[0]["memory"]


def test_family_page_links_to_the_flow(builder):
    html = builder.get("/gezinnen/het-zeilschip").get_data(as_text=True)
    assert 'href="/gezinnen/het-zeilschip/opbouwen"' in html


def test_double_submit_of_a_row_adds_one_person(app, builder):
    html = builder.get("/gezinnen/het-zeilschip/opbouwen").get_data(as_text=True)
    data = {"token": token_of(html, "kinderen"), "name": "Lotte v 2017"}
    url = "/gezinnen/het-zeilschip/opbouwen/kinderen"
    first = builder.post(url, data=data, headers=HX)
    second = builder.post(url, data=data, headers=HX)
    assert first.status_code == second.status_code == 200
    assert "HX-Trigger" not in second.headers
    assert [p["name"] for p in case_of(app)["persons"]].count("Lotte") == 1


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("ouders", {"name": ""}, "Vul een naam in."),
        ("kinderen", {"name": "Lotte", "birth_year": "20x7"}, "Vul een geboortejaar in cijfers"),
        ("kinderen", {"name": "Lotte", "birth_year": "3017"}, "jaar"),
        ("familie", {"name": "Ria", "link": ""}, "Kies van wie deze persoon"),
        ("netwerk", {"name": "Ans", "partner": "informal", "person": "p99"}, "Kies met wie"),
        ("netwerk", {"name": "Ans", "partner": "nonsense", "person": "p1"}, ""),
    ],
)
def test_bad_row_is_422_in_dutch_and_changes_nothing(app, builder, step, data, message):
    before = case_of(app)
    response = add(builder, step, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert "HX-Trigger" not in response.headers
    assert case_of(app) == before
    # The refused row's token is still free: the corrected row is added.
    if step == "ouders":
        token = token_of(html, "ouders")
        url = "/gezinnen/het-zeilschip/opbouwen/ouders"
        fixed = builder.post(url, data={"token": token, "name": "Sanne"}, headers=HX)
        assert fixed.status_code == 200
        assert "Sanne" in names(case_of(app)).values()


def test_bad_residence_is_422_and_changes_nothing(app, builder):
    before = case_of(app)
    url = "/gezinnen/het-zeilschip/opbouwen/wonen"
    response = builder.post(url, data={"person": "p1", "residence": "maan"}, headers=HX)
    assert response.status_code == 422 and "Kies waar" in response.get_data(as_text=True)
    inline = {"HX-Request": "true", "HX-Target": "wonen-p1-error"}
    response = builder.post(url, data={"person": "p1", "residence": "maan"}, headers=inline)
    assert response.status_code == 422
    assert response.get_data(as_text=True) == "Kies waar deze persoon woont."
    response = builder.post(url, data={"person": "p9", "residence": "home"}, headers=HX)
    assert response.status_code == 422
    assert case_of(app) == before


def test_unknown_step_is_404(builder):
    response = builder.post("/gezinnen/het-zeilschip/opbouwen/buren", data={"name": "X"})
    assert response.status_code == 404


def test_without_htmx_a_row_redirects_to_the_page(app, builder):
    html = builder.get("/gezinnen/het-zeilschip/opbouwen").get_data(as_text=True)
    response = builder.post(
        "/gezinnen/het-zeilschip/opbouwen/ouders",
        data={"token": token_of(html, "ouders"), "name": "Sanne v"},
    )
    assert response.status_code == 303
    assert "/gezinnen/het-zeilschip/opbouwen?focus=" in response.headers["Location"]


def test_every_route_of_the_flow_is_tested_here(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("cases.build")} == {
        "cases.build",
        "cases.build_add",
        "cases.build_residence",
    }


def test_logged_out_goes_to_the_login(client):
    # POSTs logged out: tests/test_security_routes.py walks every route.
    response = client.get("/gezinnen/het-zeilschip/opbouwen")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/gezinnen/het-zeilschip/opbouwen"),
        ("post", "/gezinnen/het-zeilschip/opbouwen/ouders"),
        ("post", "/gezinnen/het-zeilschip/opbouwen/wonen"),
    ],
)
def test_user_without_access_gets_403_and_changes_nothing(app, builder, method, url):
    before = case_of(app)
    outsider = LoggedIn(app.test_client(), "professional")
    data = {"name": "Indringer", "person": "p1", "residence": "home"}
    response = outsider.get(url) if method == "get" else outsider.post(url, data=data)
    assert response.status_code == 403
    assert case_of(app) == before
