"""Several index children (siblings the conference is about together) accepted
everywhere: validation, import (CLI and API), the family page and list, the genogram,
the rules, the text hints, the finder, the patterns and the library's roles."""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own output only

import pytest

from cases import store
from cases.index_children import dutch_list, index_names
from cases.validation import canonical_case, validate_case
from core.web import get_db
from finder.features import case_features
from genogram.graph import build_graph
from genogram.layout import layout_genogram
from genogram.svg import render_svg
from library.deidentify import person_roles
from patterns.outcomes import moves
from rules.loader import load_rules
from rules.service import signals_for_case
from rules.text_hints import find_hints
from tests.factories import make_case

CODE = "broer-en-zus"
SVG = "{http://www.w3.org/2000/svg}"


def siblings(code=CODE):
    """Sanne (14, index, in secure care, loves horses) and her brother Sem (index, back
    home after three placements, plays football, harms himself); their father, their
    late mother and grandfather, who is close to Sanne."""
    case = make_case(
        code,
        child_perspective=None,
        narrative="Sem zit veel op zijn kamer. Sem snijdt zich sinds de zomer.",
    )
    case["persons"].append(
        {
            "id": "p5",
            "name": "Sem",
            "sex": "male",
            "birth_year": 2010,
            "index": True,
            "interests": ["voetbal"],
            "residence": "home",
            "placements": [
                {"residence": "foster", "start": "2016-01-01", "end": "2017-01-01"},
                {"residence": "residential", "start": "2017-01-01", "end": "2018-01-01"},
                {"residence": "foster", "start": "2018-01-01", "end": "2019-01-01"},
            ],
        }
    )
    case["relations"] += [
        {"kind": "parent", "parent": "p2", "child": "p5", "type": "biological"},
        {"kind": "parent", "parent": "p3", "child": "p5", "type": "biological"},
        {"kind": "emotional", "a": "p4", "b": "p1", "quality": "close"},
    ]
    return case


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


def signals(ruleset, case):
    return {s["rule"]: s for s in signals_for_case(ruleset, canonical_case(case))}


# ------------------------------------------------------------------ validation, import


def test_two_index_children_are_valid():
    assert validate_case(siblings()) == []


def test_no_index_child_is_still_refused():
    case = siblings()
    for person in case["persons"]:
        person["index"] = False
    assert validate_case(case) == ['persons: no person has "index": true']


def test_dutch_list_joins_names_with_en():
    assert dutch_list([]) == ""
    assert dutch_list(["Noor"]) == "Noor"
    assert dutch_list(["Noor", "Sem"]) == "Noor en Sem"
    assert dutch_list(["Noor", "Sem", "Liv"]) == "Noor, Sem en Liv"
    assert index_names(canonical_case(siblings())) == "Sanne en Sem"


def test_cli_import_accepts_two_index_children(app, tmp_path):
    path = tmp_path / "gezin.json"
    path.write_text(json.dumps(siblings()), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["cases", "import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        case = store.load_case(get_db(), CODE)
    assert [p["id"] for p in case["persons"] if p["index"]] == ["p1", "p5"]


def test_api_accepts_two_index_children(login):
    client = login("facilitator")
    assert client.post("/api/families", json=siblings()).status_code == 201
    case = client.get(f"/api/families/{CODE}").get_json()
    case = case.get("case", case)
    assert [p["id"] for p in case["persons"] if p["index"]] == ["p1", "p5"]


# ------------------------------------------------------------------ family page and list


def test_family_page_and_list_name_both_index_children(login):
    client = login("facilitator")
    assert client.post("/api/families", json=siblings()).status_code == 201
    page = client.get(f"/gezinnen/{CODE}").get_data(as_text=True)
    assert "Om wie het gaat: <strong>Sanne en Sem</strong>" in page
    assert page.count("tag-index") == 2
    rows = client.get("/gezinnen/").get_data(as_text=True)
    assert "Sanne en Sem" in rows


# ------------------------------------------------------------------ genogram


def test_genogram_draws_every_index_child_double_and_bold():
    graph = build_graph(canonical_case(siblings()))
    text = render_svg(graph, layout_genogram(graph))
    root = ET.fromstring(text)  # noqa: S314
    index = [g for g in root.iter(f"{SVG}g") if g.get("data-index") == "true"]
    assert sorted(g.get("data-person-id") for g in index) == ["p1", "p5"]
    for person in index:
        shapes = [e for e in person if e.tag in (f"{SVG}rect", f"{SVG}circle", f"{SVG}path")]
        assert len(shapes) >= 2  # the double symbol
        names = [t for t in person.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
        assert names
    assert "indexkinderen: Sanne en Sem" in root.find(f"{SVG}desc").text


# ------------------------------------------------------------------ rules, text hints


def test_signal_about_a_child_names_which_child(ruleset):
    found = signals(ruleset, siblings())
    # Only Sem moved three times; only Sanne lives in care near a close grandfather.
    assert found["placement-carousel"]["persons"] == ["p5"]
    assert found["placement-carousel"]["children"] == ["p5"]
    placement = found["network-placement-to-examine"]
    assert placement["persons"] == ["p4"] and placement["children"] == ["p1"]
    assert "Dit gaat over Sanne." in placement["explanation"]
    perspective = found["child-perspective-missing"]
    assert perspective["children"] == ["p1", "p5"]
    assert perspective["explanation"].startswith("Wat Sanne en Sem zelf zeggen en willen")


def test_one_index_child_keeps_its_explanation(ruleset):
    case = siblings()
    case["persons"][-1]["index"] = False
    placement = signals(ruleset, case)["network-placement-to-examine"]
    assert placement["children"] == ["p1"]
    assert "Dit gaat over" not in placement["explanation"]


def test_text_hint_proposes_the_index_child_the_sentence_names():
    hints = {h.problem: h for h in find_hints(canonical_case(siblings()))}
    assert hints["self_harm"].person == "p5"


# ------------------------------------------------------------------ finder, patterns, library


def test_finder_takes_the_passions_of_every_index_child(ruleset):
    features = case_features(canonical_case(siblings()), ruleset)
    assert {"paard", "voetbal"} <= set(features["levers"]["passions"])
    assert {"paard", "sport"} <= set(features["interests"])


def test_patterns_count_moves_of_every_index_child():
    record = {"case": canonical_case(siblings()), "first_conference": "2018-06-01"}
    found = moves([record])
    assert found["children"] == 2
    # Sem's three placements came before the first conference, Sanne's two after it.
    assert (found["moves_before"], found["moves_after"]) == (3, 2)
    assert found["children_moved_after"] == 1


def test_library_roles_call_every_index_child_indexkind():
    roles = person_roles(canonical_case(siblings()))
    assert roles["p1"] == roles["p5"] == "Indexkind"
    assert roles["p2"] == "Vader" and roles["p4"] == "Opa"
