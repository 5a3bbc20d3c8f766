"""Network analysis of the genogram: the facts on small hand-made families."""

import json
import pathlib

import pytest

from cases.validation import canonical_case
from genogram.analysis import (
    bridging_members,
    facts,
    informal_network_size,
    partners_around,
    partners_present,
    siblings_apart,
    siblings_apart_in_case,
    unsupported_parents,
    unsupported_persons,
)
from genogram.graph import build_graph

DEMO = sorted((pathlib.Path(__file__).resolve().parent.parent / "data" / "demo").glob("*/*.json"))


def person(pid, sex="female", year=2000, **extra):
    return {"id": pid, "name": pid, "sex": sex, "birth_year": year, **extra}


def parent(p, c, kind="biological"):
    return {"kind": "parent", "parent": p, "child": c, "type": kind}


def member(mid, partner, *persons, stressful=False):
    return {
        "id": mid,
        "name": mid,
        "partner": partner,
        "ties": [{"person": p, "stressful": stressful} for p in persons],
    }


def case_of(persons, relations=(), network=()):
    persons = [dict(p) for p in persons]
    persons[0]["index"] = True
    return canonical_case(
        {
            "format": "case/1",
            "code": "analyse",
            "title": "Analyse",
            "goal": "return_home",
            "persons": persons,
            "relations": list(relations),
            "network": list(network),
        }
    )


def graph_of(persons, relations=(), network=()):
    return build_graph(case_of(persons, relations, network))


# The siblings apart, read from the genogram graph and from the case itself: the same.
SIBLINGS_APART = {
    "graph": lambda case: siblings_apart(build_graph(case)),
    "case": siblings_apart_in_case,
}


# Mum and dad separated; Lisa (in a foster family) and Tom (at home with dad) are their
# children; Mila is dad's daughter with his new partner Eva and lives at home; grandma
# (deceased) was mum's mother. The network: an aunt and a neighbour (informal), school,
# youth protection (tied to mum and dad, stressful) and a football club for Tom.
FAMILY_CASE = case_of(
    [
        person("lisa", year=2010, residence="foster"),
        person("tom", "male", 2012, residence="home"),
        person("mila", year=2019, residence="home"),
        person("mum", year=1985, residence="home"),
        person("dad", "male", 1983, residence="home"),
        person("eva", year=1990, residence="home"),
        person("grandma", year=1950, deceased=True),
    ],
    [
        {"kind": "couple", "a": "mum", "b": "dad", "status": "separated"},
        {"kind": "couple", "a": "dad", "b": "eva", "status": "cohabiting"},
        parent("mum", "lisa"),
        parent("dad", "lisa"),
        parent("mum", "tom"),
        parent("dad", "tom"),
        parent("dad", "mila"),
        parent("eva", "mila"),
        parent("grandma", "mum"),
        {"kind": "emotional", "a": "eva", "b": "mila", "quality": "very_close"},
        {"kind": "emotional", "a": "lisa", "b": "mum", "quality": "conflict"},
    ],
    [
        member("aunt", "informal", "lisa", "tom"),
        member("neighbour", "informal", "tom"),
        member("school", "school", "lisa"),
        member("jb", "youth_protection", "mum", "dad", stressful=True),
        member("club", "other", "tom"),
    ],
)
FAMILY = build_graph(FAMILY_CASE)


def test_informal_network_size_counts_informal_members_per_living_person():
    assert informal_network_size(FAMILY) == {
        "lisa": 1,
        "tom": 2,
        "mila": 0,
        "mum": 0,
        "dad": 0,
        "eva": 0,
    }


def test_unsupported_persons_have_no_tie_and_no_close_relative():
    # mila: no member, but very close to eva; eva: no member, but very close to mila;
    # grandma: deceased, never counts. Nobody is left in this family...
    assert unsupported_persons(FAMILY) == []
    alone = graph_of(
        [person("a"), person("b"), person("c", deceased=True)],
        [
            {"kind": "emotional", "a": "a", "b": "b", "quality": "conflict"},
            {"kind": "emotional", "a": "a", "b": "c", "quality": "very_close"},
        ],
    )
    # ...here a's close relative is deceased, but the relation still counts as support
    # for a; b has only a conflict.
    assert unsupported_persons(alone) == ["b"]


def test_unsupported_parents_without_any_member_tie():
    # mum and dad have youth protection (a stressful tie is still a tie); eva has none;
    # grandma is deceased.
    assert unsupported_parents(FAMILY) == ["eva"]


def test_unsupported_parents_include_step_and_foster_parents():
    graph = graph_of(
        [person("c", year=2010), person("f", year=1970)],
        [parent("f", "c", "foster")],
        [member("school", "school", "c")],
    )
    assert unsupported_parents(graph) == ["f"]


@pytest.mark.parametrize("apart", SIBLINGS_APART.values(), ids=SIBLINGS_APART)
def test_siblings_apart_full_and_half(apart):
    assert apart(FAMILY_CASE) == [
        {"a": "lisa", "b": "tom", "residence_a": "foster", "residence_b": "home", "half": False},
        {"a": "lisa", "b": "mila", "residence_a": "foster", "residence_b": "home", "half": True},
    ]


@pytest.mark.parametrize("apart", SIBLINGS_APART.values(), ids=SIBLINGS_APART)
def test_siblings_apart_ignores_foster_siblings_and_unknown_residences(apart):
    case = case_of(
        [
            person("a", year=2010, residence="foster"),
            person("own", year=2008, residence="home"),
            person("fm", year=1975),
            person("b", year=2012),
        ],
        [parent("fm", "a", "foster"), parent("fm", "own"), parent("fm", "b")],
    )
    # a is fostered by fm: own and a are no siblings; b's residence is unknown.
    assert apart(case) == []


@pytest.mark.parametrize("apart", SIBLINGS_APART.values(), ids=SIBLINGS_APART)
def test_siblings_apart_through_an_adoptive_parent(apart):
    case = case_of(
        [
            person("a", residence="kinship"),
            person("b", residence="residential"),
            person("p", year=1970),
        ],
        [parent("p", "a", "adoptive"), parent("p", "b")],
    )
    assert apart(case) == [
        {"a": "a", "b": "b", "residence_a": "kinship", "residence_b": "residential", "half": True}
    ]


@pytest.mark.parametrize("apart", SIBLINGS_APART.values(), ids=SIBLINGS_APART)
def test_siblings_apart_through_a_deceased_parent_and_a_third_parent(apart):
    # a and b share only their deceased father; c has two biological parents and an
    # adoptive one (mum), so c is b's half-sibling too; the step-daughter s is nobody's
    # sibling; d is dead and never counts.
    case = case_of(
        [
            person("a", year=2008, residence="home"),
            person("b", year=2010, residence="foster"),
            person("c", year=2012, residence="residential"),
            person("s", year=2011, residence="kinship"),
            person("d", year=2009, residence="home", deceased=True),
            person("dad", "male", 1970, deceased=True),
            person("mum", year=1975),
            person("x", year=1972),
            person("y", "male", 1971),
        ],
        [
            parent("dad", "a"),
            parent("dad", "b"),
            parent("mum", "b"),
            parent("dad", "d"),
            parent("x", "c"),
            parent("y", "c"),
            parent("mum", "c", "adoptive"),
            parent("mum", "s", "step"),
        ],
    )
    assert apart(case) == [
        {"a": "a", "b": "b", "residence_a": "home", "residence_b": "foster", "half": True},
        {"a": "b", "b": "c", "residence_a": "foster", "residence_b": "residential", "half": True},
    ]


@pytest.mark.parametrize("path", DEMO, ids=lambda p: p.stem)
def test_siblings_apart_in_case_equal_the_graph_on_demo_families(path):
    case = canonical_case(json.loads(path.read_text(encoding="utf-8")))
    assert siblings_apart_in_case(case) == siblings_apart(build_graph(case))


def test_bridging_members_rank_the_member_between_two_parts():
    # Two halves, {a, b} and {c, d}, joined only through the coach (the cut-off between b
    # and c is no connection); f is reached only through the aunt; the gp hangs on a
    # alone and bridges nothing.
    graph = graph_of(
        [person("a"), person("b"), person("c"), person("d"), person("f")],
        [
            {"kind": "emotional", "a": "a", "b": "b", "quality": "close"},
            {"kind": "emotional", "a": "c", "b": "d", "quality": "close"},
            {"kind": "emotional", "a": "b", "b": "c", "quality": "cutoff"},
        ],
        [
            member("gp", "gp", "a"),
            member("coach", "informal", "b", "c"),
            member("aunt", "informal", "d", "f"),
        ],
    )
    ranked = bridging_members(graph)
    assert [m["member"] for m in ranked] == ["coach", "aunt"]
    assert ranked[0]["betweenness"] > ranked[1]["betweenness"] > 0
    assert bridging_members(graph, top=1) == ranked[:1]


def test_bridging_members_empty_without_network():
    assert bridging_members(graph_of([person("a")])) == []


def test_partners_around_and_present():
    assert partners_around(FAMILY) == {
        "lisa": ["informal", "school"],
        "tom": ["informal", "other"],
        "mila": [],
        "mum": ["youth_protection"],
        "dad": ["youth_protection"],
        "eva": [],
    }
    assert partners_present(FAMILY) == ["informal", "other", "school", "youth_protection"]


@pytest.mark.parametrize("path", DEMO[:12], ids=lambda p: p.stem)
def test_facts_on_demo_families_are_json(path):
    graph = build_graph(canonical_case(json.loads(path.read_text(encoding="utf-8"))))
    result = facts(graph)
    assert json.loads(json.dumps(result)) == result
    ids = {d["id"] for _, d in graph.nodes(data=True) if d["kind"] == "person"}
    living = {
        d["id"] for _, d in graph.nodes(data=True) if d["kind"] == "person" and not d["deceased"]
    }
    assert set(result["informal_network_size"]) == living
    assert set(result["unsupported_persons"]) <= living
    assert set(result["unsupported_parents"]) <= living
    assert all(p["a"] in ids and p["b"] in ids for p in result["siblings_apart"])
    codes = {code for codes in result["partners_around"].values() for code in codes}
    assert codes <= set(result["partners_present"])
