"""Households: who is drawn under one roof (genogram.households) and how the outline
encloses them (genogram.household_outline), against the expert-like cases of
tests/data/genograms (expectations written before the drawing) and the demo families."""

import datetime
import json
import pathlib
import xml.etree.ElementTree as ET

import pytest

from cases.validation import canonical_case
from genogram.graph import build_graph, local_id, parents_of, person_node
from genogram.household_outline import RowIndex, pieces, split_rows
from genogram.households import Household, households
from genogram.layout import Layout, layout_genogram
from genogram.svg import render_svg

ROOT = pathlib.Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "genograms"
EXPECTED = json.loads((CASES / "expected.json").read_text(encoding="utf-8"))
EXPERT = sorted(p for p in CASES.glob("*.json") if p.name != "expected.json")
DEMO = sorted((ROOT / "data" / "demo" / "cohort").glob("*.json"))
SVG = "{http://www.w3.org/2000/svg}"
YEAR = 2026


def load(path):
    return canonical_case(json.loads(path.read_text(encoding="utf-8")))


def found(case):
    graph = build_graph(canonical_case(case))
    return {
        (h.label, tuple(sorted(local_id(p) for p in h.members))) for h in households(graph, YEAR)
    }


def drawing(case):
    graph = build_graph(canonical_case(case))
    svg = render_svg(graph, layout_genogram(graph), today=datetime.date(YEAR, 12, 1))
    return ET.fromstring(svg)  # noqa: S314


def person(pid, **fields):
    return {"id": pid, "name": pid.upper(), "sex": "female", **fields}


def family(persons, relations):
    return {
        "format": "case/1",
        "code": "huis",
        "title": "Huis",
        "goal": "return_home",
        "persons": persons,
        "relations": relations,
    }


def parent(p, c, kind="biological"):
    return {"kind": "parent", "parent": p, "child": c, "type": kind}


def couple(a, b, status):
    return {"kind": "couple", "a": a, "b": b, "status": status}


# --------------------------------------------------------------------------- the cases


def test_expert_cases_are_nine_valid_families_with_written_expectations():
    from cases.validation import check_case

    assert len(EXPERT) >= 8
    for path in EXPERT:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert check_case(doc) == [], path.name
        assert doc["code"] in EXPECTED, path.name
    sizes = [len(load(p)["persons"]) + len(load(p)["network"]) for p in EXPERT]
    assert max(sizes) >= 25  # one family the size the projector target names


@pytest.mark.parametrize("path", EXPERT, ids=lambda p: p.stem)
def test_expert_case_households_are_what_the_expert_expects(path):
    case = load(path)
    expected = EXPECTED[case["code"]]
    want = {(h["label"], tuple(sorted(h["members"]))) for h in expected["households"]}
    got = found(case)
    assert got == want
    housed = {m for _, members in got for m in members}
    assert not housed & set(expected["alone"])


@pytest.mark.parametrize("path", EXPERT + DEMO, ids=lambda p: p.stem)
def test_each_outline_encloses_its_members_and_nobody_else(path):
    root = drawing(load(path))
    centres = {
        g.get("data-person-id"): (float(g.get("data-x")), float(g.get("data-y")))
        for g in root.iter(SVG + "g")
        if g.get("data-person-id")
    }
    for group in (g for g in root.iter(SVG + "g") if g.get("data-household")):
        pieces = list(group.iter(SVG + "polygon"))
        inside = [m for piece in pieces for m in piece.get("data-members").split()]
        assert sorted(inside) == sorted(group.get("data-household").split())
        for piece in pieces:
            members = piece.get("data-members").split()
            polygon = _polygon(piece.get("points"))
            for pid, centre in centres.items():
                assert _inside(centre, polygon) == (pid in members), (path.stem, pid, members)


@pytest.mark.parametrize("path", EXPERT + DEMO, ids=lambda p: p.stem)
def test_each_outline_piece_carries_the_household_label(path):
    root = drawing(load(path))
    for group in (g for g in root.iter(SVG + "g") if g.get("data-household")):
        label = group.get("data-household-label")
        texts = [
            "".join(t.itertext())
            for t in group.iter(SVG + "text")
            if t.get("aria-hidden") != "true"
        ]
        polygons = list(group.iter(SVG + "polygon"))
        assert all(text == label or text.endswith("\N{HORIZONTAL ELLIPSIS}") for text in texts)
        assert label in group.find(SVG + "title").text  # the tooltip names it whole
        # A piece goes without its label only where a lone member stands between others
        # with no room under or beside its text (a placed child among its siblings).
        lone = [p for p in polygons if len(p.get("data-members").split()) == 1]
        assert len(texts) >= len(polygons) - len(lone)
        assert texts or all(len(p.get("data-members").split()) == 1 for p in polygons)


def test_household_label_is_clear_of_the_lines_descending_past_it():
    """Where the band has room, the label sits beside the children's lines, not on them."""
    for path in EXPERT + DEMO:
        root = drawing(load(path))
        verticals = []
        for line in root.iter(SVG + "polyline"):
            if line.get("data-child") is None:
                continue
            points = _polygon(line.get("points"))
            for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
                if abs(x1 - x2) < 1:
                    verticals.append((x1, min(y1, y2), max(y1, y2)))
        for group in (g for g in root.iter(SVG + "g") if g.get("data-household")):
            for text in group.iter(SVG + "text"):
                x, y = float(text.get("x")), float(text.get("y"))
                width = len("".join(text.itertext())) * float(text.get("font-size")) * 0.6
                for vx, top, bottom in verticals:
                    crossed = x < vx < x + width and top < y and bottom > y - 10
                    assert not crossed, (path.stem, "".join(text.itertext()), vx)


# --------------------------------------------------------------------------- the demo


def _demo(code):
    return load(next(p for p in DEMO if p.stem == code))


def test_demo_uncle_at_home_is_not_boxed_with_his_widowed_mother():
    # Opa's Werkplaats: Serkan (41) and his mother Hatice both live "thuis": two homes.
    case = _demo("cnt-opas-werkplaats")
    housed = {m for _, members in found(case) for m in members}
    names = {p["id"]: p["name"] for p in case["persons"]}
    assert "Serkan" not in {names[m] for m in housed}
    assert "Hatice" not in {names[m] for m in housed}
    assert ("thuis", ("p2", "p3", "p4")) in found(case)  # Deniz with his parents


@pytest.mark.parametrize("path", DEMO, ids=lambda p: p.stem)
def test_demo_inferred_homes_hold_no_grandparent_aunt_or_uncle(path):
    case = load(path)
    graph = build_graph(case)
    index = next(person_node(p["id"]) for p in case["persons"] if p["index"])
    parents = set(parents_of(graph, index))
    for household in households(graph, YEAR):
        if household.source != "home":
            continue
        for member in household.members:
            # A parent, the parent's partner at home, or a child of one of them.
            related = {member} | set(parents_of(graph, member))
            partners = {
                person_node(p)
                for _, union in graph.out_edges(member)
                for p in graph.nodes[union].get("partners", ())
            }
            assert related & parents or partners & parents or member in parents, member


def test_demo_placed_children_live_where_their_placement_is():
    assert ("De Koppeling", ("p1",)) in found(_demo("verzorgpaard"))
    # Het Lege Stoel: both children with aunt and uncle, the foster home of the aunt.
    assert ("Tante en oom", ("p1", "p2", "p5", "p6")) in found(_demo("cnt-lege-stoel"))
    zondag = found(_demo("cnt-zondagsrooster"))
    assert {("Gezinshuis", ("p1",)), ("Pleeggezin", ("p2",))} <= zondag
    assert ("Tante Ilona", ("p3", "p6", "p7")) in zondag


# --------------------------------------------------------------------------- the rules


def test_labels_alone_decide_where_any_person_has_one():
    case = family(
        [
            person("p1", index=True, residence="home", household="bij oma"),
            person("p2", residence="home"),
            person("p3", residence="home", household="bij oma"),
        ],
        [parent("p2", "p1"), parent("p3", "p2")],
    )
    # The mother at home is not guessed into a "thuis" beside the labels.
    assert found(case) == {("bij oma", ("p1", "p3"))}


def test_a_household_label_of_one_person_is_drawn():
    case = family([person("p1", index=True), person("p2", household="vader")], [])
    assert found(case) == {("vader", ("p2",))}


def test_labels_match_whatever_their_case_and_spacing():
    case = family(
        [person("p1", index=True, household="Moeder "), person("p2", household="moeder")], []
    )
    assert found(case) == {("Moeder", ("p1", "p2"))}


def test_adult_sibling_at_home_is_not_boxed_but_a_minor_and_an_ageless_one_are():
    case = family(
        [
            person("p1", index=True, residence="home", birth_year=2014),
            person("p2", residence="home", birth_year=1980),
            person("p3", residence="home", birth_year=2000),  # 26: may live on her own
            person("p4", residence="home", birth_year=2018),
            person("p5", residence="home"),
        ],
        [parent("p2", c) for c in ("p1", "p3", "p4", "p5")],
    )
    assert found(case) == {("thuis", ("p1", "p2", "p4", "p5"))}


def test_grown_up_sibling_with_a_partner_heads_a_home_of_their_own():
    case = family(
        [
            person("p1", index=True, residence="home", birth_year=2014),
            person("p2", residence="home", birth_year=1980),
            person("p3", residence="home"),
            person("p4", residence="home"),
        ],
        [parent("p2", "p1"), parent("p2", "p3"), couple("p3", "p4", "cohabiting")],
    )
    assert found(case) == {("thuis", ("p1", "p2"))}


def test_a_new_partner_living_together_with_the_parent_is_at_home():
    case = family(
        [
            person("p1", index=True, residence="home"),
            person("p2", residence="home"),
            person("p3", residence="home"),
            person("p4", residence="home"),
        ],
        [parent("p2", "p1"), couple("p2", "p3", "married"), couple("p2", "p4", "divorced")],
    )
    assert found(case) == {("thuis", ("p1", "p2", "p3"))}


def test_a_deceased_parent_is_in_no_household():
    case = family(
        [
            person("p1", index=True, residence="home"),
            person("p2", residence="home"),
            person("p3", residence="home", deceased=True),
        ],
        [parent("p2", "p1"), parent("p3", "p1"), couple("p2", "p3", "ended_by_death")],
    )
    assert found(case) == {("thuis", ("p1", "p2"))}


def test_a_placed_child_with_foster_parents_lives_in_their_home():
    placement = [{"residence": "foster", "provider": "Pleeggezin Bos", "start": "2025-01-01"}]
    case = family(
        [
            person("p1", index=True, residence="foster", placements=placement),
            person("p2", residence="home"),
            person("p3", residence="home"),
            person("p4", residence="home", birth_year=2019),
        ],
        [
            parent("p2", "p1", "foster"),
            couple("p2", "p3", "married"),
            parent("p2", "p4"),
            parent("p3", "p4"),
        ],
    )
    assert found(case) == {("Pleeggezin Bos", ("p1", "p2", "p3", "p4"))}


def test_a_foster_home_without_a_provider_is_named_by_the_kind_of_care():
    case = family(
        [person("p1", index=True, residence="kinship"), person("p2", residence="home")],
        [parent("p2", "p1", "foster")],
    )
    assert found(case) == {("netwerkpleeggezin", ("p1", "p2"))}


def test_children_placed_together_share_one_outline_and_others_keep_their_own():
    together = {"residence": "residential", "provider": "De Boei", "start": "2025-02-01"}
    case = family(
        [
            person("p1", index=True, residence="residential", placements=[together]),
            person("p2", residence="residential", placements=[together]),
            person("p3", residence="foster"),  # no placement recorded: where is unknown
            person("p4", residence="foster"),
        ],
        [],
    )
    assert found(case) == {
        ("De Boei", ("p1", "p2")),
        ("pleeggezin", ("p3",)),
        ("pleeggezin", ("p4",)),
    }


def test_an_adult_in_assisted_living_without_a_placement_is_not_a_placed_child():
    case = family(
        [
            person("p1", index=True, residence="home"),
            person("p2", residence="assisted_living", birth_year=1980),
        ],
        [parent("p2", "p1")],
    )
    assert found(case) == set()


def test_a_closed_placement_does_not_count():
    earlier = {
        "residence": "secure",
        "provider": "De Koppeling",
        "start": "2024-01-01",
        "end": "2025-01-01",
    }
    case = family(
        [
            person("p1", index=True, residence="home", placements=[earlier]),
            person("p2", residence="home"),
        ],
        [parent("p2", "p1")],
    )
    assert found(case) == {("thuis", ("p1", "p2"))}


def test_a_long_household_label_is_cut_and_whole_in_the_tooltip():
    label = "het huis van oma Ans en opa Kees aan de overkant van de straat"[:60]
    root = drawing(family([person("p1", index=True, household=label)], []))
    group = next(g for g in root.iter(SVG + "g") if g.get("data-household"))
    shown = ["".join(t.itertext()) for t in group.iter(SVG + "text")]
    assert all(len(text) <= 28 and text.endswith("\N{HORIZONTAL ELLIPSIS}") for text in shown)
    assert label in "".join(group.find(SVG + "title").itertext())


def test_legend_names_the_household_outline():
    root = drawing(family([person("p1", index=True)], []))
    legend = next(g for g in root.iter(SVG + "g") if g.get("data-legend"))
    assert "huishouden (onder één dak)" in "".join(legend.itertext())


# --------------------------------------------------------------------------- the outline


def _row_of_three():
    """A, B and C side by side on one row; A and C live together, B elsewhere."""
    case = family([person("a", index=True), person("b"), person("c")], [])
    graph = build_graph(canonical_case(case))
    nodes = [person_node(p) for p in "abc"]
    layout = Layout(
        positions={n: (100.0 + 120 * i, 60.0) for i, n in enumerate(nodes)},
        row=dict.fromkeys(nodes, 0),
        width=400.0,
        height=200.0,
    )
    home = Household("thuis", (nodes[0], nodes[2]), "label")
    return graph, layout, home


def test_members_apart_on_their_row_get_an_outline_each_that_leaves_the_other_out():
    graph, layout, home = _row_of_three()
    drawn = pieces(home.members, RowIndex(graph, layout), home.label)
    assert [piece.members for piece in drawn] == [("person:a",), ("person:c",)]
    assert all(piece.label == "thuis" for piece in drawn)
    for piece in drawn:
        assert not _inside(layout.positions["person:b"], piece.points)
    assert split_rows(graph, layout, [home]) == 1


def test_members_side_by_side_share_one_outline():
    graph, layout, _ = _row_of_three()
    home = Household("thuis", ("person:a", "person:b"), "label")
    assert [p.members for p in pieces(home.members, RowIndex(graph, layout), "thuis")] == [
        ("person:a", "person:b")
    ]
    assert split_rows(graph, layout, [home]) == 0


# --------------------------------------------------------------------------- a small family


def _households(case):
    root = drawing(case)
    return [el.get("data-household").split() for el in with_attribute(root, "data-household")], root


def _family_at_home():
    from tests.factories import make_case

    case = make_case()
    for person in case["persons"]:
        person["residence"] = "home"
        person["placements"] = []  # all at home: no placement running
    case["persons"][2]["deceased"] = False  # Moeder
    case["relations"][0]["status"] = "married"
    case["persons"].append({"id": "p5", "name": "Oma", "sex": "female", "birth_year": 1950,
                            "residence": "home"})  # fmt: skip
    case["relations"].append({"kind": "couple", "a": "p4", "b": "p5", "status": "married"})
    return case


def test_household_inferred_is_the_index_childs_home_not_the_grandparents():
    # Without household labels only the index child's home is certain: grandparents
    # "thuis" may live anywhere, so they are no longer boxed.
    households, _ = _households(_family_at_home())
    assert sorted(map(sorted, households)) == [["p1", "p2", "p3"]]


def test_household_boundary_holds_its_members_and_not_the_others():
    case = _family_at_home()
    for person in case["persons"]:
        person["household"] = "thuis" if person["id"] in ("p1", "p2", "p3") else "opa en oma"
    households, root = _households(case)
    assert sorted(map(sorted, households)) == [["p1", "p2", "p3"], ["p4", "p5"]]
    centres = {
        g.get("data-person-id"): (float(g.get("data-x")), float(g.get("data-y")))
        for g in with_attribute(root, "data-person-id")
    }
    for el in with_attribute(root, "data-members"):
        members = el.get("data-members").split()
        numbers = [float(v) for v in el.get("points").replace(",", " ").split()]
        polygon = list(zip(numbers[::2], numbers[1::2], strict=True))
        for person, centre in centres.items():
            assert _inside(centre, polygon) == (person in members), (person, members)


def test_divorced_parents_both_at_home_leave_the_childs_home_unknown():
    case = _family_at_home()
    case["relations"][0]["status"] = "divorced"
    households, _ = _households(case)
    # Which home the index child shares is unknown, and a parent alone is no drawn home.
    assert households == []


def test_a_child_in_care_is_outside_the_parents_household_in_its_own():
    case = _family_at_home()
    case["persons"][0]["residence"] = "secure"
    case["persons"][0]["placements"] = [
        {"residence": "secure", "provider": "De Koppeling", "start": "2020-02-01"}
    ]
    households, root = _households(case)
    assert sorted(map(sorted, households)) == [["p1"], ["p2", "p3"]]
    labels = {el.get("data-household-label") for el in with_attribute(root, "data-household")}
    assert labels == {"De Koppeling", "thuis"}


# --------------------------------------------------------------------------- helpers


def with_attribute(root, name):
    return [el for el in root.iter() if el.get(name) is not None]


def _polygon(points):
    numbers = [float(v) for v in points.replace(",", " ").split()]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def _inside(point, polygon):
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
