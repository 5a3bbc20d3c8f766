"""The core family of a large case (genogram/core.py), on hand-made families."""

from genogram.core import CORE_LIMIT, core_case, core_note, core_persons, dutch_number, is_large
from genogram.generate import couple, parent


def person(pid, **extra):
    return {"id": pid, "name": pid, "index": False, **extra}


def family():
    """Index child k with mother m and father f (divorced); f's new partner s with their
    son h (half-brother); full sister z; grandparents gm/gf (f's parents) and f's brother
    u with his wife uw and son c (a cousin); k's partner kp and baby b; great-grandfather
    ggf; and a stranger x. Network: n1 tied to k and x, n2 tied to x only, n3 tied to
    no one, n4 in the team but tied to x only."""
    persons = [
        person(pid)
        for pid in ("ggf", "gm", "gf", "m", "f", "s", "u", "uw", "c", "z", "h", "kp", "b", "x")
    ]
    persons.insert(10, person("k", index=True))
    relations = [
        couple("m", "f", "divorced"),
        couple("f", "s"),
        couple("gm", "gf"),
        couple("u", "uw"),
        couple("k", "kp"),
        parent("ggf", "gf"),
        parent("gm", "f"),
        parent("gf", "f"),
        parent("gm", "u"),
        parent("gf", "u"),
        parent("u", "c"),
        parent("uw", "c"),
        parent("m", "k"),
        parent("f", "k"),
        parent("m", "z"),
        parent("f", "z"),
        parent("f", "h"),
        parent("s", "h"),
        parent("k", "b"),
        {"kind": "emotional", "a": "k", "b": "x", "quality": "close"},
    ]
    tie = lambda pid: {"person": pid, "strength": "normal", "stressful": False, "flow": "both"}  # noqa: E731
    network = [
        {
            "id": "n1",
            "name": "school",
            "partner": "school",
            "in_team": False,
            "ties": [tie("k"), tie("x")],
        },
        {"id": "n2", "name": "club", "partner": "informal", "in_team": False, "ties": [tie("x")]},
        {"id": "n3", "name": "nieuw", "partner": "informal", "in_team": False, "ties": []},
        {
            "id": "n4",
            "name": "voogd",
            "partner": "youth_protection",
            "in_team": True,
            "ties": [tie("x")],
        },
    ]
    return {"title": "Hand", "persons": persons, "relations": relations, "network": network}


def test_core_holds_parents_partners_siblings_grandparents_aunts_and_own_family():
    core = core_persons(family())
    assert set(core) == {"k", "m", "f", "s", "z", "h", "gm", "gf", "u", "kp", "b"}


def test_core_leaves_out_cousins_great_grandparents_in_laws_and_strangers():
    core = set(core_persons(family()))
    assert not core & {"c", "uw", "ggf", "x"}


def test_core_keeps_case_order():
    case = family()
    core = core_persons(case)
    order = [p["id"] for p in case["persons"]]
    assert core == sorted(core, key=order.index)


def test_core_adds_in_team_persons_and_what_the_caller_asks():
    case = family()
    for p in case["persons"]:
        if p["id"] == "x":
            p["in_team"] = True
    assert "x" in core_persons(case)
    assert "c" in core_persons(family(), also=["c", "not-a-person"])
    assert "not-a-person" not in core_persons(family(), also=["not-a-person"])


def test_core_without_index_starts_at_the_first_person():
    case = family()
    for p in case["persons"]:
        p["index"] = False
    assert core_persons(case)[0] == "ggf"
    assert "gf" in core_persons(case)  # ggf's child


def test_core_case_keeps_only_relations_among_the_core():
    case = family()
    cut = core_case(case, core_persons(case))
    kept = {p["id"] for p in cut["persons"]}
    for relation in cut["relations"]:
        ends = (
            (relation["parent"], relation["child"])
            if relation["kind"] == "parent"
            else (relation["a"], relation["b"])
        )
        assert set(ends) <= kept
    assert not any(r["kind"] == "emotional" for r in cut["relations"])  # k-x: x is out
    assert len(case["relations"]) == 20  # the case itself is left as it was


def test_core_case_keeps_members_tied_to_the_core_in_the_team_or_tied_to_no_one():
    cut = core_case(family(), core_persons(family()))
    members = {m["id"]: m for m in cut["network"]}
    assert set(members) == {"n1", "n3", "n4"}
    assert [t["person"] for t in members["n1"]["ties"]] == ["k"]
    assert members["n4"]["ties"] == []


def test_only_families_over_the_limit_are_large():
    case = family()
    case["persons"] = [person(f"p{i}") for i in range(CORE_LIMIT)]
    assert not is_large(case)
    case["persons"].append(person("one-more"))
    assert is_large(case)


def test_the_note_writes_numbers_the_dutch_way():
    assert dutch_number(10000) == "10.000"
    assert dutch_number(24) == "24"
    assert core_note(24, 10000) == "Kerngezin getoond: 24 van 10.000 personen."
