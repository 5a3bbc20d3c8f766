"""The ecomap ring: members in the order of their ties, and remembered positions kept."""

import math

from cases.validation import canonical_case
from genogram.graph import build_graph
from genogram.layout import layout_genogram
from genogram.layout.family import Family
from genogram.layout.memory import memory_of, side_of
from genogram.layout.ring import _member_room, place_members
from tests.factories import three_generations


def _family(members):
    network = [
        {"id": mid, "name": f"Lid {mid}", "partner": partner,
         "ties": [{"person": p, "strength": "normal", "stressful": False, "flow": None}
                  for p in tied]}
        for mid, partner, tied in members
    ]  # fmt: skip
    return build_graph(canonical_case(three_generations("ring-test", network)))


MEMBERS = [
    ("m1", "informal", ["gm"]),
    ("m2", "informal", ["girl"]),
    ("m3", "school", ["boy"]),
    ("m4", "school", ["fa"]),
]


def _place(graph, previous=None):
    layout = layout_genogram(graph)
    fam = Family(graph)
    persons = {p: layout.positions[p] for p in fam.persons}
    placed, ring = place_members(fam, persons, layout.family_box, previous)
    return fam, layout, placed, ring


def _clockwise(placed, box):
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return sorted(placed, key=lambda m: math.atan2(placed[m][0] - cx, cy - placed[m][1]) % 6.3)


def test_memory_of_names_every_member_clockwise_with_its_side():
    graph = _family(MEMBERS)
    layout = layout_genogram(graph)
    memory = memory_of(layout)["ring"]
    assert sorted(memory["order"]) == sorted(f"member:{m}" for m, _, _ in MEMBERS)
    assert memory["order"] == _clockwise(
        {m: layout.positions[m] for m in memory["order"]}, layout.family_box
    )
    assert set(memory["side"].values()) <= {"top", "right", "bottom", "left"}


def test_remembered_members_keep_their_clockwise_order_and_side():
    graph = _family(MEMBERS)
    fam, layout, _, _ = _place(graph)
    # A memory unlike what the ties alone would give: informal right, formal left.
    order = ["member:m2", "member:m1", "member:m4", "member:m3"]
    sides = ["right", "right", "left", "left"]
    previous = {"order": order, "side": dict(zip(order, sides, strict=True))}
    _, _, placed, ring = _place(graph, previous)
    box = layout.family_box
    assert [m for m in _clockwise(placed, box) if m in order] == _rotate_to(
        _clockwise(placed, box), order
    )
    assert [side_of(placed[m], ring) for m in order] == sides


def _rotate_to(seen, order):
    """``order`` as it reads clockwise from wherever ``seen`` starts (the ring is round)."""
    start = order.index(seen[0])
    return order[start:] + order[:start]


def test_a_new_member_goes_near_its_ties_between_the_remembered_ones():
    graph = _family(MEMBERS)
    fam, layout, before, _ = _place(graph)
    previous = memory_of(layout)["ring"]
    graph = _family([*MEMBERS, ("m5", "informal", ["boy"])])
    fam, layout, after, ring = _place(graph, previous)
    box = layout.family_box
    kept = [m for m in _clockwise(after, box) if m != "member:m5"]
    assert kept == _rotate_to(kept, previous["order"])
    for m in previous["order"]:
        assert side_of(after[m], ring) == previous["side"][m]
    # The newcomer sits nearer the boy it is tied to than the ring's far side does.
    boy = layout.positions["person:boy"]
    distances = [math.dist(p, boy) for p in after.values()]
    assert math.dist(after["member:m5"], boy) <= sorted(distances)[len(distances) // 2]
    # Members keep their room along the ring.
    points = list(after.values())
    for i, a in enumerate(points):
        for b in points[i + 1 :]:
            assert math.dist(a, b) >= 0.9 * min(_member_room(fam, m) for m in after) / 2


def test_members_go_round_in_the_order_of_their_ties():
    graph = _family(MEMBERS)
    fam, layout, placed, _ = _place(graph)
    box = layout.family_box
    tied = {f"member:{m}": f"person:{p[0]}" for m, _, p in MEMBERS}
    by_member = _clockwise(placed, box)
    by_person = _clockwise({m: layout.positions[tied[m]] for m in placed}, box)
    # Within each half (informal, formal) the members follow their persons' order.
    for half in (["member:m1", "member:m2"], ["member:m3", "member:m4"]):
        assert [m for m in by_member if m in half] == _rotate_to(
            [m for m in by_member if m in half], [m for m in by_person if m in half]
        )
