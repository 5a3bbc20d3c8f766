"""Facts on small hand-made families (rules/facts.py), and the signals they lead to."""

import pytest

from cases.validation import canonical_case
from rules.facts import FACTS, family_facts, neutral_facts
from rules.loader import load_rules
from rules.service import signals_for_case
from tests.factories import make_case


def person(pid, **fields):
    return {"id": pid, "name": fields.pop("name", pid.upper()), **fields}


def parent(p, c, kind="biological"):
    return {"kind": "parent", "parent": p, "child": c, "type": kind}


def member(mid, partner, *tied, in_team=False):
    return {
        "id": mid,
        "name": mid,
        "partner": partner,
        "in_team": in_team,
        "ties": [{"person": pid} for pid in tied],
    }


def family(persons, relations=(), network=(), **changes):
    """A canonical case of these persons, relations and network members."""
    return canonical_case(
        make_case(
            "klein-gezin",
            persons=list(persons),
            relations=list(relations),
            network=list(network),
            solutions=[],
            **changes,
        )
    )


def two_parents(child_problems=(), father_problems=(), mother_problems=(), **child):
    """Child p1 (index) with father p2 and mother p3."""
    return [
        person("p1", index=True, birth_year=2012, problems=list(child_problems), **child),
        person("p2", birth_year=1980, problems=list(father_problems)),
        person("p3", birth_year=1982, problems=list(mother_problems)),
    ], [parent("p2", "p1"), parent("p3", "p1")]


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


# Every fact is there, with the declared kind of value


def test_family_facts_gives_every_declared_fact():
    facts = family_facts(canonical_case(make_case()))
    assert set(facts) == set(FACTS)
    assert set(neutral_facts()) == set(FACTS)


def test_test_family_facts():
    facts = family_facts(canonical_case(make_case()))
    assert facts["index_children"] == ("p1",)
    assert facts["parents"] == ("p2",)  # p3 (the mother) is deceased
    assert facts["other_children"] == ()
    assert facts["parent_problems"] == {"psychiatric", "housing"}
    assert facts["child_problems"] == {"trauma", "running_away"}
    assert facts["index_problems"] == {"trauma", "running_away"}
    assert facts["family_problem_count"] == 4.0
    assert facts["partners_present"] == {"informal", "youth_protection"}
    assert facts["informal_network_size"] == 1.0
    assert facts["parents_without_support"] == ("p2",)
    assert facts["index_placements"] == 2.0
    assert facts["index_secure_stays"] == 1.0
    assert facts["child_perspective_recorded"] is True


# A problem on the child versus on a parent


def test_problem_on_the_child_is_a_child_problem_not_a_parent_problem():
    persons, relations = two_parents(child_problems=["psychiatric"])
    facts = family_facts(family(persons, relations))
    assert facts["child_problems"] == {"psychiatric"}
    assert facts["index_problems"] == {"psychiatric"}
    assert facts["parent_problems"] == set()
    assert facts["family_problems"] == {"psychiatric"}
    assert facts["children_with_problem"]["psychiatric"] == ("p1",)
    assert facts["parents_with_problem"]["psychiatric"] == ()


def test_problem_on_a_parent_is_a_parent_problem_not_a_child_problem():
    persons, relations = two_parents(mother_problems=["psychiatric"])
    facts = family_facts(family(persons, relations))
    assert facts["parent_problems"] == {"psychiatric"}
    assert facts["child_problems"] == set()
    assert facts["index_problems"] == set()
    assert facts["parents_with_problem"]["psychiatric"] == ("p3",)
    assert facts["persons_with_problem"]["psychiatric"] == ("p3",)


def test_child_and_parent_problem_lead_to_the_matching_partner_signals(ruleset):
    persons, relations = two_parents(child_problems=["psychiatric"])
    fired = {s["rule"] for s in signals_for_case(ruleset, family(persons, relations))}
    assert "missing-youth-mental-health" in fired
    assert "missing-adult-mental-health" not in fired

    persons, relations = two_parents(father_problems=["psychiatric"])
    signals = signals_for_case(ruleset, family(persons, relations))
    by_rule = {s["rule"]: s for s in signals}
    assert "missing-adult-mental-health" in by_rule
    assert "missing-youth-mental-health" not in by_rule
    assert by_rule["missing-adult-mental-health"]["persons"] == ["p2"]
    assert by_rule["missing-adult-mental-health"]["partner"] == "adult_mental_health"


def test_problem_of_a_grandparent_counts_for_the_family_but_not_the_parents():
    persons, relations = two_parents()
    persons.append(person("p4", birth_year=1950, problems=["addiction"]))
    relations.append(parent("p4", "p2"))
    facts = family_facts(family(persons, relations))
    assert facts["family_problems"] == {"addiction"}
    assert facts["parent_problems"] == set()
    assert facts["child_problems"] == set()
    assert facts["persons_with_problem"]["addiction"] == ("p4",)


# Partners: involved when tied to anyone in the family, at the table when in the team


def test_partner_tied_only_to_another_family_member_is_involved_not_at_the_table(ruleset):
    persons, relations = two_parents(father_problems=["psychiatric"])
    persons.append(person("p4", birth_year=1950))
    relations.append(parent("p4", "p2"))
    network = [member("n1", "adult_mental_health", "p4")]  # tied to grandfather only
    case = family(persons, relations, network)
    facts = family_facts(case)
    assert "adult_mental_health" in facts["partners_present"]
    assert "adult_mental_health" not in facts["partners_at_table"]
    found = {s["rule"]: s for s in signals_for_case(ruleset, case)}
    assert (
        "is betrokken, maar zit niet aan tafel"
        in (found["missing-adult-mental-health"]["explanation"])
    )
    case["network"][0]["in_team"] = True
    fired = {s["rule"] for s in signals_for_case(ruleset, case)}
    assert "missing-adult-mental-health" not in fired


def test_partners_of_the_latest_conference_are_at_the_table(ruleset):
    persons, relations = two_parents(father_problems=["psychiatric"])
    case = family(persons, relations)
    facts = family_facts(case, table_partners=["adult_mental_health"], table_names=["p2"])
    assert facts["partners_at_table"] == {"adult_mental_health"}
    assert facts["persons_at_table"] == ("p2",)  # matched by name (here the name is "P2")
    assert facts["team_recorded"] is True


def test_partner_without_any_tie_is_not_present_but_may_be_in_team():
    persons, relations = two_parents(father_problems=["debts"])
    network = [member("n1", "debt_counselling", in_team=True)]
    facts = family_facts(family(persons, relations, network))
    assert "debt_counselling" not in facts["partners_present"]
    assert facts["partners_in_team"] == {"debt_counselling"}


# Deceased persons


def test_deceased_parent_is_no_parent_and_their_problems_never_count(ruleset):
    persons, relations = two_parents(mother_problems=["addiction", "psychiatric", "debts"])
    persons[2]["deceased"] = True
    case = family(persons, relations)
    facts = family_facts(case)
    assert facts["parents"] == ("p2",)
    assert facts["parent_problems"] == set()
    assert facts["family_problems"] == set()
    assert facts["family_problem_count"] == 0.0
    assert facts["persons_with_problem"]["addiction"] == ()
    assert "p3" not in facts["parents_without_support"]
    fired = {s["rule"] for s in signals_for_case(ruleset, case)}
    assert not fired & {
        "missing-addiction-care",
        "missing-adult-mental-health",
        "missing-debt-counselling",
        "many-problems-no-municipality",
    }


def test_deceased_sibling_is_no_other_child():
    persons, relations = two_parents()
    persons.append(person("p4", birth_year=2010, deceased=True, problems=["school"]))
    relations += [parent("p2", "p4"), parent("p3", "p4")]
    facts = family_facts(family(persons, relations))
    assert facts["other_children"] == ()
    assert facts["child_problems"] == set()


# Foster, adoptive and step parents


def test_foster_parents_are_not_parents():
    persons, relations = two_parents()
    persons.append(person("p4", birth_year=1970, problems=["psychiatric"]))
    relations.append(parent("p4", "p1", "foster"))
    facts = family_facts(family(persons, relations))
    assert facts["parents"] == ("p2", "p3")
    assert "psychiatric" not in facts["parent_problems"]
    assert "psychiatric" in facts["family_problems"]


def test_adoptive_and_step_parents_are_parents():
    persons = [
        person("p1", index=True, birth_year=2012),
        person("p2", birth_year=1980),
        person("p3", birth_year=1982, problems=["debts"]),
    ]
    relations = [parent("p2", "p1", "adoptive"), parent("p3", "p1", "step")]
    facts = family_facts(family(persons, relations))
    assert facts["parents"] == ("p2", "p3")
    assert facts["parent_problems"] == {"debts"}


# Placements and secure stays, per child


def stay(residence, start, end=None):
    return {"residence": residence, "start": start, "end": end}


def test_placements_and_secure_stays_per_child(ruleset):
    persons, relations = two_parents(
        placements=[
            stay("foster", "2019-01-01", "2019-06-01"),
            stay("secure", "2019-06-01", "2020-01-01"),
            stay("secure", "2020-01-01"),
        ]
    )
    persons.append(
        person(
            "p4",
            birth_year=2014,
            placements=[stay("kinship", "2020-01-01")],
        )
    )
    relations += [parent("p2", "p4"), parent("p3", "p4")]
    case = family(persons, relations)
    facts = family_facts(case)
    assert facts["other_children"] == ("p4",)
    assert facts["placements"] == {"p1": 3.0, "p4": 1.0}
    assert facts["secure_stays"] == {"p1": 2.0, "p4": 0.0}
    assert facts["index_placements"] == 3.0
    assert facts["index_secure_stays"] == 2.0
    carousel = [s for s in signals_for_case(ruleset, case) if s["rule"] == "placement-carousel"]
    assert len(carousel) == 1
    assert carousel[0]["persons"] == ["p1"]
    assert carousel[0]["severity"] == "critical"


def test_sibling_placements_do_not_count_for_the_index_child(ruleset):
    persons, relations = two_parents()
    persons.append(
        person(
            "p4",
            birth_year=2014,
            placements=[
                stay("secure", "2019-01-01", "2019-06-01"),
                stay("secure", "2019-06-01", "2020-01-01"),
                stay("foster", "2020-01-01"),
            ],
        )
    )
    relations += [parent("p2", "p4"), parent("p3", "p4")]
    case = family(persons, relations)
    facts = family_facts(case)
    assert facts["index_placements"] == 0.0
    assert facts["index_secure_stays"] == 0.0
    assert facts["placements"]["p4"] == 3.0
    assert "placement-carousel" not in {s["rule"] for s in signals_for_case(ruleset, case)}


# Siblings apart


def siblings(*extra_relations):
    persons = [
        person("p1", index=True, birth_year=2012, residence="foster"),
        person("p2", birth_year=1980, residence="home"),
        person("p3", birth_year=1982, residence="home"),
        person("p4", birth_year=2014, residence="home"),
    ]
    relations = [parent("p2", "p1"), parent("p3", "p1"), parent("p2", "p4"), parent("p3", "p4")]
    return family(persons, relations + list(extra_relations))


def emotional(a, b, quality):
    return {"kind": "emotional", "a": a, "b": b, "quality": quality}


def test_siblings_apart_without_a_relation_are_untied():
    assert family_facts(siblings())["siblings_apart_untied"] == ("p1", "p4")


@pytest.mark.parametrize("quality", ["very_close", "close", "distant", "conflict"])
def test_siblings_apart_with_an_emotional_relation_are_tied(quality):
    facts = family_facts(siblings(emotional("p4", "p1", quality)))
    assert facts["siblings_apart_untied"] == ()


@pytest.mark.parametrize("quality", ["cutoff", "abuse"])
def test_a_cutoff_or_abuse_counts_as_no_tie(quality):
    facts = family_facts(siblings(emotional("p1", "p4", quality)))
    assert facts["siblings_apart_untied"] == ("p1", "p4")


def test_siblings_living_together_are_not_apart():
    case = siblings()
    case["persons"][3]["residence"] = "foster"
    assert family_facts(case)["siblings_apart_untied"] == ()


def test_siblings_apart_signal_names_both(ruleset):
    signals = signals_for_case(ruleset, siblings())
    (apart,) = [s for s in signals if s["rule"] == "siblings-apart-without-tie"]
    assert apart["persons"] == ["p1", "p4"]
    assert "P1 en P4" in apart["explanation"]


# Team and the child's perspective


def test_team_persons_give_parents_in_team():
    persons, relations = two_parents()
    case = family(persons, relations)
    assert family_facts(case)["parents_in_team"] == ()
    facts = family_facts(case, team_persons=["p3", "p1"])
    assert facts["parents_in_team"] == ("p3",)  # the child is in the team, but no parent


def test_parents_not_in_team_signal_depends_on_who_sits_at_the_table(ruleset):
    persons, relations = two_parents(father_problems=["debts"])
    persons.append(person("p4", birth_year=1950))
    relations.append(parent("p4", "p2"))
    network = [member("n1", "informal", "p2", "p3")]
    case = family(persons, relations, network)
    # Before a team is recorded or a conference held, it does not speak.
    assert "parents-not-in-team" not in {s["rule"] for s in signals_for_case(ruleset, case)}
    case["persons"][3]["in_team"] = True  # grandfather at the table, no parent
    found = {s["rule"]: s for s in signals_for_case(ruleset, case)}
    assert found["parents-not-in-team"]["persons"] == ["p2", "p3"]
    assert "P2 en P3 zitten niet aan tafel" in found["parents-not-in-team"]["explanation"]
    case["persons"][1]["in_team"] = True  # in_team is the record: the father sits there
    assert "parents-not-in-team" not in {s["rule"] for s in signals_for_case(ruleset, case)}
    case["persons"][1]["in_team"] = False
    with_father = signals_for_case(ruleset, case, team_persons=["p2"])
    assert "parents-not-in-team" not in {s["rule"] for s in with_father}


@pytest.mark.parametrize(
    ("perspective", "recorded"),
    [(None, False), ("", False), ("   \n\t ", False), ("Ik wil naar huis.", True)],
)
def test_child_perspective_recorded(perspective, recorded):
    persons, relations = two_parents()
    case = family(persons, relations, child_perspective=perspective)
    assert family_facts(case)["child_perspective_recorded"] is recorded


# Network around the parents


def test_parent_without_support_and_informal_network_size():
    persons, relations = two_parents(mother_problems=["debts"])
    network = [
        member("n1", "informal", "p2"),
        member("n2", "informal", "p1"),
        member("n3", "informal"),  # without a tie: not counted
        member("n4", "gp", "p1"),
    ]
    facts = family_facts(family(persons, relations, network))
    assert facts["informal_network_size"] == 2.0
    assert facts["parents_without_support"] == ("p3",)


# Everything covered


def test_family_with_every_need_covered_gets_no_missing_partner_signal(ruleset):
    needs = [
        "psychiatric",
        "addiction",
        "debts",
        "housing",
        "poverty",
        "domestic_violence",
        "school",
        "intellectual_disability",
    ]
    persons, relations = two_parents(
        child_problems=["psychiatric", "school"], father_problems=needs
    )
    covering = [
        "adult_mental_health",
        "youth_mental_health",
        "addiction_care",
        "debt_counselling",
        "housing",
        "municipality",
        "safe_home",
        "school",
        "disability_care",
    ]
    network = [member(f"n{i}", code, "p3", in_team=True) for i, code in enumerate(covering, 1)]
    network.append(member("n99", "informal", "p2", "p3"))
    case = family(persons, relations, network)
    signals = signals_for_case(ruleset, case, team_persons=["p2"])
    assert [s for s in signals if s["partner"]] == []
    missing = {rule.id for rule in ruleset.rules if rule.partner}
    assert not missing & {s["rule"] for s in signals}

    # Take one partner away: exactly its signal comes back.
    case["network"] = [m for m in case["network"] if m["partner"] != "safe_home"]
    signals = signals_for_case(ruleset, case, team_persons=["p2"])
    assert [s["rule"] for s in signals if s["partner"]] == ["missing-safe-home"]
    # A partner tied to the family but not in the team: its signal, saying so.
    case["network"][0]["in_team"] = False  # the adult mental health care
    signals = signals_for_case(ruleset, case, team_persons=["p2"])
    adult = [s for s in signals if s["rule"] == "missing-adult-mental-health"]
    assert "De volwassen-GGZ is betrokken, maar zit niet aan tafel" in adult[0]["explanation"]
