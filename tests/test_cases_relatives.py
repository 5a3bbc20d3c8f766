"""Adding a relative next to someone: the new person and their links in one edit."""

import pytest

from cases import editing, relatives
from cases.validation import canonical_case, check_case
from tests.factories import make_case

NEW = {"name": "Nieuw", "sex": "female", "birth_year": 2010}


@pytest.fixture
def case():
    return canonical_case(make_case())


def links(case, person_id):
    return [r for r in case["relations"] if person_id in editing.relation_persons(r)]


def test_a_new_parent_is_linked_to_the_child_with_the_kind_of_parenthood(case):
    new, parent = relatives.add_parent(case, "p1", NEW, "foster")
    assert parent == "p5"
    assert links(new, parent) == [
        {"kind": "parent", "parent": "p5", "child": "p1", "type": "foster"}
    ]
    assert check_case(new) == []
    assert len(case["persons"]) == 4  # the input is left alone


def test_a_new_partner_forms_a_couple_with_the_status_given(case):
    new, partner = relatives.add_partner(case, "p2", NEW, "cohabiting")
    assert links(new, partner) == [
        {"kind": "couple", "a": "p2", "b": partner, "status": "cohabiting"}
    ]


def test_a_new_child_gets_both_parents_by_default_the_latest_partner(case):
    assert relatives.default_co_parent(case, "p2") == "p3"
    new, child = relatives.add_child(case, "p2", NEW, "biological", "p3")
    parents = sorted(r["parent"] for r in links(new, child))
    assert parents == ["p2", "p3"]
    assert check_case(new) == []


def test_a_new_child_without_another_parent_has_one(case):
    new, child = relatives.add_child(case, "p4", NEW, "adoptive", relatives.NO_OTHER_PARENT)
    assert links(new, child) == [
        {"kind": "parent", "parent": "p4", "child": child, "type": "adoptive"}
    ]


def test_a_child_cannot_have_the_same_parent_twice(case):
    with pytest.raises(editing.EditError, match="iemand anders"):
        relatives.add_child(case, "p2", NEW, "biological", "p2")


def test_a_sibling_comes_under_the_same_parents_with_the_same_parenthood(case):
    case["relations"][2]["type"] = "step"  # p3 is p1's step-parent here
    new, sibling = relatives.add_sibling(case, "p1", NEW)
    assert sorted((r["parent"], r["type"]) for r in links(new, sibling)) == [
        ("p2", "biological"),
        ("p3", "step"),
    ]


def test_a_half_sibling_comes_under_one_parent(case):
    new, sibling = relatives.add_sibling(case, "p1", NEW, parents="p2")
    assert [r["parent"] for r in links(new, sibling)] == ["p2"]


def test_a_sibling_of_someone_without_parents_is_refused_with_what_to_do(case):
    with pytest.raises(editing.EditError, match="Voeg eerst een ouder toe"):
        relatives.add_sibling(case, "p4", NEW)


def test_a_sibling_under_a_stranger_is_refused(case):
    with pytest.raises(editing.EditError, match="Kies een van de ouders"):
        relatives.add_sibling(case, "p1", NEW, parents="p4")


def test_a_network_member_comes_with_a_tie_to_the_person(case):
    member = {"name": "Buurvrouw", "partner": "informal", "in_team": False}
    tie = {"strength": "strong", "stressful": False, "flow": "to"}
    new, member_id = relatives.add_network_member(case, "p2", member, tie)
    added = editing.get_member(new, member_id)
    assert added["name"] == "Buurvrouw"
    assert added["ties"] == [{"person": "p2", **tie}]
    assert check_case(new) == []


def test_adding_next_to_someone_who_is_not_there_says_so(case):
    with pytest.raises(editing.NotFound):
        relatives.add_parent(case, "p99", NEW, "biological")


def test_choices_name_the_partners_and_parents(case):
    assert relatives.co_parent_choices(case, "p2") == {
        "p3": "Moeder",
        relatives.NO_OTHER_PARENT: "geen andere ouder bekend",
    }
    choices = relatives.sibling_choices(case, "p1")
    assert choices[relatives.BOTH_PARENTS] == "dezelfde ouders (Vader en Moeder)"
    assert choices["p2"].startswith("alleen Vader")
    assert relatives.sibling_choices(case, "p4") == {}


def test_co_parents_include_the_other_parent_of_a_child_without_a_couple(case):
    case["relations"] = [r for r in case["relations"] if r["kind"] != "couple"]
    assert relatives.co_parents_of(case, "p2") == ["p3"]
    assert relatives.partners_of(case, "p2") == []
