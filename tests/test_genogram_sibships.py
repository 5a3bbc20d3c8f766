"""Nobody under a sibling bar that is not theirs: the measure, the sibship rule, and the
drawings a user sees (a sibling's partner beside them, outside their brothers and
sisters)."""

import json
import pathlib

import pytest

from cases.validation import canonical_case
from genogram.generate import couple, parent
from genogram.graph import build_graph
from genogram.layout import Layout, layout_genogram
from genogram.layout.measures import foreign_sibship_persons
from genogram.layout.sibships import partners_outside
from tests.test_genogram_layout import half_siblings_case, make_case

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO = sorted((ROOT / "data" / "demo").glob("*/*.json"))


def grandparents_with(children, relations=(), more=()):
    """Grandparents g1 + g2 with ``children`` ((id, sex, year)), and more persons."""
    persons = [("g1", "male", 1940), ("g2", "female", 1942), *children, *more]
    rels = [couple("g1", "g2")]
    for child, _, _ in children:
        rels += [parent("g1", child), parent("g2", child)]
    return make_case(persons, [*rels, *relations])


def x_of(layout, pid):
    return layout.positions[f"person:{pid}"][0]


def persons_left_to_right(layout, row):
    return [n.removeprefix("person:") for n in layout.rows[row] if n.startswith("person:")]


def laid_out(case):
    graph = build_graph(case)
    return graph, layout_genogram(graph)


# --------------------------------------------------------------------------- the measure


def hand_layout(graph, xs, top=("g1", "g2")):
    """A layout with the given x per person id: ``top`` on row 0, the others on row 1."""
    positions, row = {}, {}
    for pid, x in xs.items():
        r = 0 if pid in top else 1
        positions[f"person:{pid}"] = (x, r * 100.0)
        row[f"person:{pid}"] = r
    for node, data in graph.nodes(data=True):
        if data["kind"] == "union":
            partners = [f"person:{p}" for p in data["partners"]]
            row[node] = max(row[p] for p in partners)
            positions[node] = (sum(positions[p][0] for p in partners) / len(partners), 0.0)
    return Layout(positions=positions, row=row, width=0.0, height=0.0)


def test_foreign_sibship_persons_finds_a_partner_between_siblings():
    case = grandparents_with(
        [("a", "female", 1965), ("b", "female", 1967), ("c", "male", 1970)],
        [couple("x", "b", "divorced")],
        [("x", "male", 1964)],
    )
    graph = build_graph(case)
    inside = hand_layout(graph, {"g1": 150, "g2": 250, "a": 0, "x": 100, "b": 200, "c": 300})
    assert foreign_sibship_persons(graph, inside) == [("person:x", "union:g1+g2")]
    outside = hand_layout(graph, {"g1": 150, "g2": 250, "x": 0, "b": 100, "a": 200, "c": 300})
    assert foreign_sibship_persons(graph, outside) == []


def test_foreign_sibship_persons_counts_a_half_sibling_under_the_other_bar():
    """A half-sibling under the bar of the other union reads as that union's child."""
    graph = build_graph(half_siblings_case())
    xs, top = {"f1": 0, "m": 100, "f2": 200}, ("f1", "m", "f2")
    interleaved = hand_layout(graph, {**xs, "a": 0, "c": 100, "b": 200}, top)
    assert foreign_sibship_persons(graph, interleaved) == [("person:c", "union:f1+m")]
    apart = hand_layout(graph, {**xs, "a": 0, "b": 100, "c": 200}, top)
    assert foreign_sibship_persons(graph, apart) == []


def test_foreign_sibship_persons_ignores_other_rows_and_single_children():
    case = grandparents_with([("a", "female", 1965)], [couple("x", "a")], [("x", "male", 1964)])
    graph = build_graph(case)
    # a is an only child: no bar to stand under; g1 and g2 above are on another row.
    layout = hand_layout(graph, {"g1": 0, "g2": 200, "a": 0, "x": 100})
    assert foreign_sibship_persons(graph, layout) == []


# --------------------------------------------------------------------------- the rule


def test_partners_outside_moves_a_married_middle_sibling_to_its_partners_side():
    # a, b (partner on the left), c: b goes to the left end, nothing mirrored.
    assert partners_outside([(0, 0, False), (1, 0, True), (0, 0, False)]) == ([1, 0, 2], set())


def test_partners_outside_sends_two_married_siblings_to_opposite_ends():
    # Both partners on the left: the elder keeps it, the younger is mirrored to the right.
    order, mirror = partners_outside([(1, 0, True), (0, 0, False), (1, 0, True)])
    assert order == [0, 1, 2]
    assert mirror == {2}


def test_partners_outside_keeps_a_fixed_side_and_birth_order_without_partners():
    assert partners_outside([(0, 0, False)] * 3) == ([0, 1, 2], set())
    # The youngest's block cannot be mirrored (its partner has siblings there too):
    # it goes where its partner already is, the right end.
    assert partners_outside([(0, 1, False), (0, 0, False)]) == ([1, 0], set())


def test_partners_outside_puts_a_person_with_two_partners_at_an_end():
    # b has one partner on each side: at an end one of them stands outside.
    order, mirror = partners_outside([(0, 0, False), (1, 1, False), (0, 0, False)])
    assert order in ([1, 0, 2], [0, 2, 1])
    assert mirror == set()


def test_partners_outside_gives_an_end_to_a_partner_who_brings_a_family():
    # Three married siblings: b's partner has brothers and sisters on the row (weight 2)
    # and would bring them under the bar; b gets the left end, c the right one.
    order, mirror = partners_outside([(1, 0, True), (2, 0, False), (1, 0, True)])
    assert order == [1, 0, 2]
    assert mirror == {2}


# --------------------------------------------------------------------------- drawings


def test_layout_ex_partner_without_parents_stands_outside_the_sibship():
    """The reported defect: the middle child's ex-partner (no parents in the case) was
    drawn between the grandparents' children, under their bar, and read as their son."""
    case = grandparents_with(
        [("a", "female", 1965), ("b", "female", 1967), ("c", "male", 1970)],
        [couple("x", "b", "divorced"), parent("x", "k"), parent("b", "k")],
        [("x", "male", 1964), ("k", "female", 1995)],
    )
    graph, layout = laid_out(case)
    assert foreign_sibship_persons(graph, layout) == []
    siblings = [x_of(layout, p) for p in "abc"]
    assert not min(siblings) < x_of(layout, "x") < max(siblings)
    # b stands at the end on x's side; her child still hangs under b and x.
    row = persons_left_to_right(layout, 1)
    assert row.index("b") == row.index("x") + 1 or row.index("b") == row.index("x") - 1
    assert row[0] == "x" or row[-1] == "x"
    union = layout.positions["union:b+x"][0]
    assert x_of(layout, "k") == pytest.approx(union)


def test_layout_married_in_partner_of_a_middle_child_is_outside():
    case = grandparents_with(
        [("a", "male", 1965), ("b", "male", 1967), ("c", "female", 1970)],
        [couple("b", "w")],
        [("w", "female", 1968)],
    )
    graph, layout = laid_out(case)
    assert foreign_sibship_persons(graph, layout) == []
    row = persons_left_to_right(layout, 1)
    assert row in (["a", "c", "b", "w"], ["w", "b", "a", "c"])
    # a and c, without partners, keep birth order
    assert row.index("a") < row.index("c")


def test_layout_two_married_siblings_go_to_opposite_ends():
    case = grandparents_with(
        [("a", "male", 1965), ("b", "male", 1967), ("c", "female", 1970), ("d", "male", 1972)],
        [couple("b", "v"), couple("d", "w")],
        [("v", "female", 1968), ("w", "female", 1973)],
    )
    graph, layout = laid_out(case)
    assert foreign_sibship_persons(graph, layout) == []
    row = persons_left_to_right(layout, 1)
    assert {row[0], row[-1]} == {"v", "w"}
    assert row.index("a") < row.index("c")


def test_layout_in_law_with_own_parents_stands_at_the_facing_ends():
    """b marries y, who has a brother z: b's sibship and y's sibship meet at the couple."""
    case = make_case(
        [("a", "male", 1965), ("g1", "male", 1940), ("g2", "female", 1942),
         ("h1", "male", 1941), ("h2", "female", 1943), ("b", "male", 1967),
         ("c", "female", 1970), ("y", "female", 1968), ("z", "male", 1966), ("k", "male", 1995)],
        [couple("g1", "g2"), couple("h1", "h2"), couple("b", "y"), parent("b", "k"),
         parent("y", "k")]
        + [parent(p, c) for c in "abc" for p in ("g1", "g2")]
        + [parent(p, c) for c in "yz" for p in ("h1", "h2")],
    )  # fmt: skip
    graph, layout = laid_out(case)
    assert foreign_sibship_persons(graph, layout) == []
    row = persons_left_to_right(layout, 1)
    assert abs(row.index("b") - row.index("y")) == 1


def test_layout_sibling_with_two_partners_leaves_at_most_one_inside():
    """A person between an ex and a new partner, at the end of the sibship: one of the
    two partners must stand inside (the convention keeps the person between them)."""
    case = grandparents_with(
        [("a", "male", 1965), ("b", "male", 1967), ("c", "female", 1970)],
        [
            couple("b", "v", "divorced"),
            couple("b", "w"),
            parent("b", "k1"),
            parent("v", "k1"),
            parent("b", "k2"),
            parent("w", "k2"),
        ],
        [
            ("v", "female", 1966),
            ("w", "female", 1972),
            ("k1", "male", 1990),
            ("k2", "female", 2000),
        ],
    )
    graph, layout = laid_out(case)
    assert len(foreign_sibship_persons(graph, layout)) == 1
    row = persons_left_to_right(layout, 1)
    assert row.index("v") < row.index("b") < row.index("w")


def test_ordering_steps_a_stranger_out_of_a_sibship_without_a_crossing():
    """A person with no line up (here an unrelated man of the same generation) may be
    left between siblings by the crossing minimisation, which it costs nothing either
    way: the last step of the ordering moves him past the end of the sibship."""
    from genogram.layout import _assign_rows, _Family, _Ordering

    case = grandparents_with(
        [("a", "female", 1965), ("b", "female", 1967), ("c", "male", 1970)],
        more=[("z", "male", 1966)],
    )
    fam = _Family(build_graph(case))
    ordering = _Ordering(fam, _assign_rows(fam))
    row = ordering.rows[1]
    names = {ordering.block_of[f"person:{p}"]: p for p in "abcz"}
    row.sort(key=lambda b: "azbc".index(names[b]))
    ordering._renumber(1)
    before = ordering.cost()
    assert ordering._clear_sibships(1)
    assert [names[b] for b in ordering.rows[1]] in (list("zabc"), list("abcz"))
    assert ordering.cost() <= before


@pytest.mark.parametrize("path", DEMO, ids=lambda p: p.stem)
def test_layout_demo_family_has_nobody_under_a_foreign_sibling_bar(path):
    case = canonical_case(json.loads(path.read_text(encoding="utf-8")))
    graph, layout = laid_out(case)
    assert foreign_sibship_persons(graph, layout) == []
