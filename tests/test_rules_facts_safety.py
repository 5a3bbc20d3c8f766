"""The facts of issue 13: involved versus at the table, parents out of the picture,
informal support, carers, relatives, acute needs; and the rules they feed."""

import datetime

import pytest

from rules.facts import acute_words, family_facts
from rules.loader import load_rules
from rules.service import signals_for_case
from tests.test_rules_facts import emotional, family, member, parent, person, two_parents

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


def facts_of(case, **kw):
    return family_facts(case, today=TODAY, **kw)


def fired(ruleset, case):
    return {s["rule"]: s for s in signals_for_case(ruleset, case)}


def couple(a, b, status):
    return {"kind": "couple", "a": a, "b": b, "status": status}


# Parents out of the picture


def test_a_cut_off_parent_is_out_of_the_picture_and_never_without_support(ruleset):
    persons, relations = two_parents(father_problems=["addiction"])
    relations.append(emotional("p1", "p2", "cutoff"))
    case = family(persons, relations, [member("n1", "informal", "p3")])
    facts = facts_of(case)
    assert facts["parents_out_of_picture"] == ("p2",)
    assert "p2" not in facts["parents_without_support"] + facts["parents_to_invite"]
    found = fired(ruleset, case)
    assert found["parent-out-of-picture"]["persons"] == ["p2"]
    assert (
        "Eerst nagaan: gezag, veiligheid, contact." in found["parent-out-of-picture"]["explanation"]
    )
    assert "parent-without-support" not in found


def test_a_parent_of_whom_nothing_is_recorded_is_absent():
    persons, relations = two_parents()
    facts = facts_of(family(persons, relations, [member("n1", "informal", "p2")]))
    assert facts["parents_out_of_picture"] == ("p3",)


def test_a_parent_living_with_the_child_is_in_the_picture_however_little_is_recorded(ruleset):
    """A family as "Gezin opbouwen" leaves it: parents, children, who lives where."""
    persons, relations = two_parents(residence="home")
    for one in persons:
        one["household"] = "thuis"
    case = family(persons, relations)
    assert facts_of(case)["parents_out_of_picture"] == ()
    assert "parent-out-of-picture" not in fired(ruleset, case)
    persons[2]["household"] = "elders"  # the mother lives elsewhere, nothing recorded
    assert facts_of(family(persons, relations))["parents_out_of_picture"] == ("p3",)


def test_parents_recorded_at_home_with_the_child_are_in_the_picture_unless_apart():
    """Without households: "Wie woont waar" of the guided flow records residences."""
    persons, relations = two_parents(residence="home")
    for one in persons[1:]:
        one["residence"] = "home"
    assert facts_of(family(persons, relations))["parents_out_of_picture"] == ()
    # Parents recorded as apart: whose home the child's is, is not known.
    apart = [*relations, couple("p2", "p3", "divorced")]
    assert facts_of(family(persons, apart))["parents_out_of_picture"] == ("p2", "p3")


def test_residence_other_is_not_abroad_nor_absent():
    persons, relations = two_parents(mother_problems=["debts"])
    persons[2]["residence"] = "other"
    relations.append(emotional("p1", "p3", "distant"))
    facts = facts_of(family(persons, relations))
    assert facts["parents_out_of_picture"] == ("p2",)  # nothing recorded of the father
    assert facts["parents_without_support"] == ("p3",)


@pytest.mark.parametrize(
    ("relation", "violent"),
    [
        ({"kind": "emotional", "a": "p3", "b": "p2", "quality": "abuse", "by": "p2"}, ("p2",)),
        ({"kind": "emotional", "a": "p3", "b": "p2", "quality": "abuse", "by": "p3"}, ("p3",)),
        # Unknown direction and no violence problem: both, until it is checked.
        ({"kind": "emotional", "a": "p3", "b": "p2", "quality": "abuse"}, ("p2", "p3")),
    ],
)
def test_abuse_makes_its_perpetrator_violent(relation, violent):
    persons, relations = two_parents(father_problems=["debts"], mother_problems=["debts"])
    facts = facts_of(family(persons, [*relations, relation]))
    assert facts["violent_persons"] == violent
    assert facts["parents_out_of_picture"] == violent


def test_the_one_with_the_violence_problem_is_the_perpetrator_when_by_is_missing():
    persons, relations = two_parents(father_problems=["domestic_violence"])
    relations.append(emotional("p2", "p3", "abuse"))
    facts = facts_of(family(persons, relations))
    assert facts["violent_persons"] == ("p2",)


# Support: informal and not stressful


def test_a_parent_with_only_formal_or_stressful_ties_has_no_informal_support(ruleset):
    persons, relations = two_parents(mother_problems=["addiction"])
    stressful = member("n2", "informal", "p3")
    stressful["ties"][0]["stressful"] = True
    network = [member("n1", "addiction_care", "p3"), stressful, member("n3", "informal", "p2")]
    case = family(persons, relations, network)
    facts = facts_of(case)
    assert facts["parents_without_informal_support"] == ("p3",)
    assert facts["parents_without_support"] == ()
    assert facts["informal_network_size"] == 1.0  # the stressful tie does not count
    signal = fired(ruleset, case)["parent-without-informal-support"]
    assert signal["partner"] == "informal" and signal["persons"] == ["p3"]


def test_a_parent_who_is_doing_well_is_not_without_support():
    persons, relations = two_parents(father_problems=["debts"])
    relations.append(emotional("p1", "p3", "close"))
    facts = facts_of(family(persons, relations, [member("n1", "informal", "p2")]))
    assert "p3" not in facts["parents_without_support"]
    assert "p3" not in facts["parents_without_informal_support"]


def grandmother_case(quality="close", linked=False):
    persons, relations = two_parents(father_problems=["debts"])
    persons.append(person("p4", birth_year=1955))
    relations += [parent("p4", "p2"), emotional("p1", "p4", quality)]
    network = [member("n1", "informal", "p4")] if linked else []
    return family(persons, relations, network)


def test_close_relatives_in_the_genogram_are_informal_network(ruleset):
    case = grandmother_case()
    facts = facts_of(case)
    assert facts["close_relatives"] == ("p4",)
    assert facts["informal_network_size"] == 1.0
    found = fired(ruleset, case)
    assert "no-informal-network" not in found
    assert found["relatives-as-support"]["persons"] == ["p4"]


def test_relatives_without_a_recorded_bond_are_dormant(ruleset):
    case = grandmother_case(quality="distant")
    facts = facts_of(case)
    assert facts["informal_network_size"] == 0.0
    assert facts["dormant_relatives"] == ("p4",)
    found = fired(ruleset, case)
    assert "no-informal-network" in found and found["dormant-relatives"]["persons"] == ["p4"]


def test_a_child_in_foster_care_with_a_close_aunt_asks_for_a_network_placement(ruleset):
    case = grandmother_case()
    case["persons"][0]["residence"] = "foster"
    found = fired(ruleset, case)
    assert found["network-placement-to-examine"]["persons"] == ["p4"]
    case["persons"][0]["residence"] = "kinship"
    assert "network-placement-to-examine" not in fired(ruleset, case)


# Carers and the children at home


def test_a_kinship_carer_counts_like_a_parent():
    persons, relations = two_parents()
    persons[0]["residence"] = "kinship"
    persons.append(person("p4", birth_year=1958, problems=["addiction"]))
    relations.append(parent("p4", "p1", "foster"))
    facts = facts_of(family(persons, relations))
    assert facts["carers"] == ("p4",) and facts["kinship_carers"] == ("p4",)
    assert "addiction" in facts["parent_problems"]
    assert facts["parents_with_problem"]["addiction"] == ("p4",)


def test_a_step_parent_at_home_is_a_carer_and_a_new_partner_with_violence_is_flagged(ruleset):
    persons, relations = two_parents()
    persons[0]["residence"] = "home"
    persons[2]["residence"] = "home"
    persons.append(person("p4", birth_year=1985, residence="home", problems=["domestic_violence"]))
    persons.append(person("p5", birth_year=2020, residence="home"))
    relations += [couple("p3", "p4", "cohabiting"), parent("p3", "p5"), parent("p2", "p5")]
    relations.append(parent("p4", "p1", "step"))
    case = family(persons, relations, [member("n1", "informal", "p2")])
    facts = facts_of(case)
    assert facts["carers"] == ("p4",)
    assert facts["violent_new_partners"] == ("p4",)
    assert facts["children_at_home_with_risk"] == ("p5",)
    assert "violence_at_home" in facts["acute_needs"]
    found = fired(ruleset, case)
    assert found["violent-new-partner"]["severity"] == "critical"
    assert found["child-at-home-with-risk"]["severity"] == "critical"


def test_young_carer_and_the_parent_who_carries_it():
    persons, relations = two_parents(mother_problems=["health"])
    persons[0]["birth_year"] = 2012
    for p in persons:
        p["residence"] = "home"
    relations.append(couple("p2", "p3", "married"))
    facts = facts_of(family(persons, relations))
    assert facts["young_carers"] == ("p1",)
    assert facts["caregiving_parents"] == ("p2",)


def test_transition_at_eighteen():
    persons, relations = two_parents()
    persons[0]["birth_year"] = 2009
    persons[0]["residence"] = "residential"
    assert facts_of(family(persons, relations))["children_in_transition"] == ("p1",)
    persons[0]["birth_year"] = 2014
    assert facts_of(family(persons, relations))["children_in_transition"] == ()


# Acute needs


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("De deurwaarder heeft de ontruiming op 3 november aangezegd.", {"eviction"}),
        ("Er is een ontruimingsdatum.", {"eviction"}),
        ("Er is geen ontruiming gepland.", set()),
        ("De ontruiming is afgewend door een betalingsregeling.", set()),
        ("Om een huisuitzetting te voorkomen is er een regeling.", set()),
        ("Moeder is dakloos en slaapt bij vrienden.", {"homeless"}),
        ("Geen schulden, geen ontruiming.", set()),
        ("Hij is een thuiszitter sinds de zomer.", {"out_of_school"}),
        (None, set()),
    ],
)
def test_acute_words_are_negation_aware(text, found):
    assert acute_words(text) == found


def test_an_eviction_raises_the_severity_only_with_a_housing_or_money_problem(ruleset):
    persons, relations = two_parents(father_problems=["housing"])
    case = family(persons, relations, narrative="De ontruiming staat op 1 maart.")
    assert fired(ruleset, case)["missing-housing-corporation"]["severity"] == "critical"
    case["narrative"] = "Er dreigt niets; geen ontruiming."
    assert fired(ruleset, case)["missing-housing-corporation"]["severity"] == "warning"
    persons, relations = two_parents(father_problems=["psychiatric"])
    case = family(persons, relations, narrative="De ontruiming staat op 1 maart.")
    assert "eviction" not in facts_of(case)["acute_needs"]


def test_a_parent_cut_off_from_the_one_who_raises_the_child_is_absent():
    # A baby with its young mother; the father is cut off from her, not from the baby.
    persons, relations = two_parents(father_problems=["criminality"])
    persons[0]["birth_year"] = 2026
    persons[0]["household"] = persons[2]["household"] = "moeder-kindhuis"
    relations.append(emotional("p2", "p3", "cutoff"))
    facts = facts_of(family(persons, relations))
    assert facts["parents_out_of_picture"] == ("p2",)
    assert facts["parents_without_support"] == ()


def test_the_eldest_of_a_parent_alone_with_several_problems_is_a_young_carer():
    persons, relations = two_parents(mother_problems=["debts", "housing"])
    persons[0]["birth_year"] = 2013
    persons[0]["residence"] = persons[2]["residence"] = "home"
    persons[1]["residence"] = "other"
    persons.append(person("p4", birth_year=2018, residence="home"))
    relations += [parent("p3", "p4"), emotional("p1", "p2", "cutoff")]
    facts = facts_of(family(persons, relations))
    assert facts["young_carers"] == ("p1",)
    persons[2]["problems"] = ["debts"]  # one problem: no sign of it
    assert facts_of(family(persons, relations))["young_carers"] == ()


def test_a_teenager_who_uses_gets_the_addiction_card_about_himself(ruleset):
    persons, relations = two_parents(child_problems=["addiction"])
    case = family(persons, relations, [member("n1", "informal", "p2", "p3")])
    signal = fired(ruleset, case)["missing-addiction-care"]
    assert signal["persons"] == ["p1"]
    assert signal["explanation"].startswith("P1 gebruikt of is verslaafd.")
    assert "jeugdverslavingszorg" in signal["suggestion"]
