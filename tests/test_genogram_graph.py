"""The genogram graph built from a case: nodes, edges, and its helpers."""

import json
import pathlib

import pytest

from cases.validation import canonical_case
from genogram.graph import (
    build_graph,
    children_of,
    children_of_union,
    local_id,
    members,
    parents_of,
    persons,
    siblings,
    union_node,
    unions,
)

DEMO = sorted((pathlib.Path(__file__).resolve().parent.parent / "data" / "demo").glob("*/*.json"))


def make_case(persons_, relations=(), network=()):
    people = [
        {"id": pid, "name": pid, "sex": sex, "birth_year": year} for pid, sex, year in persons_
    ]
    people[0]["index"] = True
    return canonical_case(
        {
            "format": "case/1",
            "code": "grafiek",
            "title": "Grafiek",
            "goal": "return_home",
            "persons": people,
            "relations": list(relations),
            "network": list(network),
        }
    )


FAMILY = make_case(
    [("kid", "female", 2010), ("dad", "male", 1980), ("mum", "female", 1982),
     ("step", "female", 1985), ("half", "male", 2018), ("foster", "female", 1970)],
    [
        {"kind": "couple", "a": "dad", "b": "mum", "status": "divorced"},
        {"kind": "couple", "a": "dad", "b": "step", "status": "married"},
        {"kind": "parent", "parent": "dad", "child": "kid"},
        {"kind": "parent", "parent": "mum", "child": "kid"},
        {"kind": "parent", "parent": "step", "child": "kid", "type": "step"},
        {"kind": "parent", "parent": "dad", "child": "half"},
        {"kind": "parent", "parent": "step", "child": "half"},
        {"kind": "emotional", "a": "step", "b": "kid", "quality": "conflict"},
        {"kind": "emotional", "a": "kid", "b": "half", "quality": "very_close"},
    ],
    [{"id": "n1", "partner": "school", "ties": [{"person": "kid"}, {"person": "half"}]}],
)  # fmt: skip


def test_graph_nodes_of_each_kind_in_case_order():
    graph = build_graph(FAMILY)
    assert persons(graph) == [f"person:{p['id']}" for p in FAMILY["persons"]]
    assert members(graph) == ["member:n1"]
    assert sorted(unions(graph)) == ["union:dad+mum", "union:dad+step"]
    assert graph.nodes["union:dad+mum"]["status"] == "divorced"
    assert local_id("person:kid") == "kid"
    assert union_node("mum", "dad") == "union:dad+mum"
    assert union_node("solo") == "union:solo+"


def test_graph_child_hangs_under_the_union_of_its_parents():
    graph = build_graph(FAMILY)
    assert children_of_union(graph, "union:dad+mum") == ["person:kid"]
    assert graph.edges["union:dad+mum", "person:kid"]["types"] == {
        "dad": "biological",
        "mum": "biological",
    }
    assert graph.edges["person:step", "person:kid"]["type"] == "step"
    assert sorted(parents_of(graph, "person:kid")) == ["person:dad", "person:mum", "person:step"]


def test_graph_emotional_relation_beside_parent_link_is_kept():
    """A step-parent's conflict with the child and the step-link both stay."""
    graph = build_graph(FAMILY)
    link = graph.edges["person:step", "person:kid"]
    assert link["kind"] == "parent_link"
    emotional = graph.edges["person:kid", "person:step"]
    assert emotional["kind"] == "emotional"
    assert emotional["quality"] == "conflict"
    assert emotional["reversed"] is True
    assert graph.edges["person:kid", "person:half"]["reversed"] is False


def test_graph_siblings_are_symmetric():
    graph = build_graph(FAMILY)
    for a in persons(graph):
        for b in siblings(graph, a):
            assert a in siblings(graph, b), (a, b)
    assert siblings(graph, "person:kid") == ["person:half"]
    assert siblings(graph, "person:half") == ["person:kid"]
    assert siblings(graph, "person:kid", half=False) == []


def test_graph_children_of_counts_unions_and_links():
    graph = build_graph(FAMILY)
    assert sorted(children_of(graph, "person:step")) == ["person:half", "person:kid"]
    assert sorted(children_of(graph, "person:dad")) == ["person:half", "person:kid"]


def test_graph_single_parent_gets_a_union_of_one():
    case = make_case(
        [("c", "male", 2000), ("m", "female", 1970)],
        [{"kind": "parent", "parent": "m", "child": "c"}],
    )
    graph = build_graph(case)
    assert unions(graph) == ["union:m+"]
    assert graph.nodes["union:m+"]["partners"] == ("m",)
    assert graph.nodes["union:m+"]["status"] is None


def test_graph_foster_parents_carry_a_child_without_descent_parents():
    case = make_case(
        [("c", "male", 2010), ("fa", "male", 1970), ("fm", "female", 1972)],
        [
            {"kind": "parent", "parent": "fa", "child": "c", "type": "foster"},
            {"kind": "parent", "parent": "fm", "child": "c", "type": "foster"},
        ],
    )
    graph = build_graph(case)
    assert graph.edges["union:fa+fm", "person:c"]["types"] == {"fa": "foster", "fm": "foster"}


@pytest.mark.parametrize("path", DEMO, ids=lambda p: p.stem)
def test_graph_every_relation_is_one_edge_or_union(path):
    case = canonical_case(json.loads(path.read_text(encoding="utf-8")))
    graph = build_graph(case)
    kinds = {}
    for _, _, d in graph.edges(data=True):
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    relations = {}
    for r in case["relations"]:
        relations[r["kind"]] = relations.get(r["kind"], 0) + 1
    couples = [u for u in unions(graph) if graph.nodes[u]["relation"] is not None]
    assert len(couples) == relations.get("couple", 0)
    descent = sum(len(d["types"]) for _, _, d in graph.edges(data=True) if d["kind"] == "child")
    assert descent + kinds.get("parent_link", 0) == relations.get("parent", 0)
    assert kinds.get("emotional", 0) == relations.get("emotional", 0)
    assert kinds.get("tie", 0) == sum(len(m["ties"]) for m in case["network"])
