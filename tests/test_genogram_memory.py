"""The layout memory: an edit keeps what did not change where it was (issue 16)."""

import copy
import json
import pathlib
import random

import pytest

from cases.validation import canonical_case
from genogram.edits import random_edit
from genogram.graph import build_graph
from genogram.layout import layout_genogram
from genogram.layout.memory import memory_of, order_kept

DEMO = pathlib.Path(__file__).resolve().parents[1] / "data" / "demo"


def person(pid, sex, year, **extra):
    return {"id": pid, "name": pid, "sex": sex, "birth_year": year, **extra}


def parent(p, c):
    return {"kind": "parent", "parent": p, "child": c, "type": "biological"}


def couple(a, b, status="married"):
    return {"kind": "couple", "a": a, "b": b, "status": status}


def member(mid, *persons, partner="informal"):
    tie = {"strength": "normal", "stressful": False, "flow": "both"}
    ties = [{"person": p, **tie} for p in persons]
    return {"id": mid, "name": mid, "partner": partner, "ties": ties}


def three_generations():
    """An index child and her brother, both parents, both pairs of grandparents, a
    network around them. Without a memory, adding the mother's sister swaps the
    grandparents' sides and moves the members (the defect of issue 16)."""
    return {
        "format": "case/1",
        "code": "drie-generaties",
        "title": "Drie generaties",
        "goal": "return_home",
        "persons": [
            person("kind", "female", 2014, index=True),
            person("broer", "male", 2016),
            person("vader", "male", 1984),
            person("moeder", "female", 1986),
            person("opa-v", "male", 1955),
            person("oma-v", "female", 1957),
            person("opa-m", "male", 1958),
            person("oma-m", "female", 1960),
        ],
        "relations": [
            couple("vader", "moeder", "divorced"),
            parent("vader", "kind"),
            parent("moeder", "kind"),
            parent("vader", "broer"),
            parent("moeder", "broer"),
            couple("opa-v", "oma-v"),
            parent("opa-v", "vader"),
            parent("oma-v", "vader"),
            couple("opa-m", "oma-m"),
            parent("opa-m", "moeder"),
            parent("oma-m", "moeder"),
        ],
        "network": [
            member("buurvrouw", "moeder"),
            member("voetbaltrainer", "kind"),
            member("vriend-vader", "vader"),
            member("jeugdzorg", "kind", partner="youth_protection"),
            member("wijkteam", "moeder", partner="municipality"),
            member("oom", "moeder", "vader", partner="other"),
        ],
    }


def layout_of(case, memory=None):
    return layout_genogram(build_graph(canonical_case(case)), memory)


def with_aunt(case):
    """The edit of the report: the mother's sister."""
    edited = copy.deepcopy(case)
    edited["persons"].append(person("tante", "female", 1988))
    edited["relations"] += [parent("opa-m", "tante"), parent("oma-m", "tante")]
    return edited


def row_of(layout, node):
    return next(r for r in layout.rows if node in r)


def test_memory_of_has_rows_of_persons_and_the_ring_clockwise():
    memory = memory_of(layout_of(three_generations()))
    assert json.loads(json.dumps(memory)) == memory
    assert sorted(p for row in memory["rows"] for p in row) == sorted(
        f"person:{p['id']}" for p in three_generations()["persons"]
    )
    assert all(not n.startswith("union:") for row in memory["rows"] for n in row)
    assert len(memory["ring"]["order"]) == 6
    assert set(memory["ring"]["side"].values()) <= {"top", "right", "bottom", "left"}


def test_order_kept_counts_persons_and_members_in_both():
    before = {
        "rows": [["person:a", "person:b", "person:c"], ["person:d"]],
        "ring": {
            "order": ["member:x", "member:y"],
            "side": {"member:x": "top", "member:y": "left"},
        },
    }
    assert order_kept(before, before) == (6, 6)
    swapped = copy.deepcopy(before)
    swapped["rows"][0] = ["person:b", "person:a", "person:c", "person:new"]
    assert order_kept(before, swapped) == (4, 6)  # a and b swapped; c, d and the members kept
    moved_side = copy.deepcopy(before)
    moved_side["ring"]["side"]["member:x"] = "right"
    assert order_kept(before, moved_side) == (5, 6)
    gone = copy.deepcopy(before)
    gone["rows"][1] = []
    assert order_kept(before, gone) == (5, 5)


def test_a_generation_added_on_top_moves_no_one():
    before = {"rows": [["person:a", "person:b"], ["person:c"]], "ring": {}}
    after = {"rows": [["person:new"], ["person:a", "person:b"], ["person:c"]], "ring": {}}
    assert order_kept(before, after) == (3, 3)
    down = {"rows": [["person:a"], ["person:b", "person:c"]], "ring": {}}
    assert order_kept(before, down) == (2, 3)  # b went a row down


def test_the_ring_is_a_circle_passing_twelve_moves_no_one():
    before = {"order": ["member:x", "member:y", "member:z"]}
    before["side"] = dict.fromkeys(before["order"], "top")
    after = {"order": ["member:y", "member:z", "member:x"], "side": before["side"]}
    assert order_kept({"rows": [], "ring": before}, {"rows": [], "ring": after}) == (3, 3)


def test_adding_an_aunt_keeps_the_grandparents_sides_and_the_members_order():
    case = three_generations()
    before = layout_of(case)
    after = layout_of(with_aunt(case), memory_of(before))
    assert order_kept(before, after) == (14, 14)
    top = row_of(after, "person:opa-v")
    was = row_of(before, "person:opa-v")
    for a, b in (("opa-v", "opa-m"), ("oma-v", "oma-m"), ("opa-v", "oma-m")):
        assert (was.index(f"person:{a}") < was.index(f"person:{b}")) == (
            top.index(f"person:{a}") < top.index(f"person:{b}")
        )
    assert (
        memory_of(after)["ring"]["side"] | memory_of(before)["ring"]["side"]
        == (memory_of(after)["ring"]["side"])
    )


def test_without_a_memory_the_layout_is_as_before():
    case = three_generations()
    plain = layout_of(case).to_dict()
    assert layout_of(case, None).to_dict() == plain
    assert layout_of(case, {}).to_dict() == plain


def test_a_remembered_order_against_birth_order_gives_way():
    case = three_generations()
    case["persons"].append(person("tante", "female", 1988))
    case["relations"] += [parent("opa-m", "tante"), parent("oma-m", "tante")]
    memory = memory_of(layout_of(case))
    row = next(r for r in memory["rows"] if "person:tante" in r)
    i, j = row.index("person:moeder"), row.index("person:tante")
    row[i], row[j] = row[j], row[i]  # remembered: the aunt left of her elder sister
    after = layout_of(case, memory)
    new_row = row_of(after, "person:moeder")
    assert new_row.index("person:moeder") < new_row.index("person:tante")


def test_memory_of_persons_no_longer_there_is_ignored():
    case = three_generations()
    memory = memory_of(layout_of(with_aunt(case)))
    memory["rows"][0].insert(0, "person:weg")
    memory["ring"]["order"].append("member:weg")
    memory["ring"]["side"]["member:weg"] = "top"
    after = layout_of(case, memory)
    assert "person:weg" not in after.positions
    assert order_kept(memory, after) == (14, 14)


def test_a_remembered_mirrored_couple_stays_mirrored():
    case = three_generations()
    memory = memory_of(layout_of(case))
    row = next(r for r in memory["rows"] if "person:vader" in r)
    i, j = row.index("person:vader"), row.index("person:moeder")
    row[i], row[j] = row[j], row[i]
    after = layout_of(with_aunt(case), memory)
    new_row = row_of(after, "person:vader")
    assert new_row.index("person:moeder") < new_row.index("person:vader")


def demo_cases():
    return sorted((DEMO / "cohort").glob("*.json"))


@pytest.mark.parametrize("path", demo_cases(), ids=lambda p: p.stem)
def test_random_single_edits_keep_every_persons_order(path):
    case = canonical_case(json.loads(path.read_text(encoding="utf-8")))
    memory = memory_of(layout_of(case))
    rng = random.Random(path.stem)
    for _ in range(6):
        edited, what = random_edit(case, rng)
        after = memory_of(layout_of(edited, memory))
        kept, total = order_kept({"rows": memory["rows"], "ring": {}}, after | {"ring": {}})
        assert kept == total, what
