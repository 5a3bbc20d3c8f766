"""Evaluating the rule set (rules/engine.py): Dutch explanations, order, fingerprints."""

import dataclasses
import json

import pytest

from cases.validation import canonical_case
from rules.engine import SEVERITY_ORDER, evaluate, show_value, signal
from rules.facts import family_facts, neutral_facts
from rules.loader import load_rules
from rules.service import signals_for_case
from tests.factories import make_case

KEYS = {
    "rule",
    "version",
    "severity",
    "title",
    "partner",
    "persons",
    "children",
    "explanation",
    "facts",
    "suggestion",
    "rationale",
    "source",
    "fingerprint",
}
NAMES = {"p1": "Sanne", "p2": "Rachid", "p3": "Khadija", "p4": "Salma"}


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


def facts(**given):
    found = neutral_facts()
    found.update(given)
    return found


def fired(ruleset, given, names=NAMES):
    return {s["rule"]: s for s in evaluate(ruleset, given, names)}


# Explanations


def test_explanation_is_dutch_and_names_the_persons_and_facts(ruleset):
    given = facts(
        parents=("p2", "p3"),
        parent_problems={"psychiatric"},
        parents_with_problem={**neutral_facts()["parents_with_problem"], "psychiatric": ("p2",)},
    )
    found = fired(ruleset, given)["missing-adult-mental-health"]
    assert found["persons"] == ["p2"]
    assert found["explanation"] == (
        "Rachid heeft psychische problemen. De volwassen-GGZ zit niet aan tafel. "
        "Gegevens: problematiek van de ouders en verzorgers: psychiatrische problematiek ja; "
        "partners aan tafel: volwassen-GGZ nee."
    )
    # Tied to the family but not at the table: the card says so and asks to invite them.
    given["partners_present"] = {"adult_mental_health"}
    found = fired(ruleset, given)["missing-adult-mental-health"]
    assert found["explanation"].startswith(
        "Rachid heeft psychische problemen. De volwassen-GGZ is betrokken, maar zit niet aan "
        "tafel: nodig die contactpersoon uit."
    )


def test_explanation_agrees_with_one_or_several_persons(ruleset):
    per_problem = neutral_facts()["parents_with_problem"]
    one = facts(
        parent_problems={"psychiatric"},
        parents_with_problem={**per_problem, "psychiatric": ("p2",)},
    )
    two = facts(
        parent_problems={"psychiatric"},
        parents_with_problem={**per_problem, "psychiatric": ("p2", "p3")},
    )
    assert fired(ruleset, one)["missing-adult-mental-health"]["explanation"].startswith(
        "Rachid heeft psychische problemen."
    )
    assert fired(ruleset, two)["missing-adult-mental-health"]["explanation"].startswith(
        "Rachid en Khadija hebben psychische problemen."
    )
    table = facts(team_recorded=True, parents=("p2", "p3"), parents_to_invite=("p2", "p3"))
    assert fired(ruleset, table)["parents-not-in-team"]["explanation"].startswith(
        "Rachid en Khadija zitten niet aan tafel"
    )
    table = facts(team_recorded=True, parents=("p2",), parents_to_invite=("p2",))
    assert fired(ruleset, table)["parents-not-in-team"]["explanation"].startswith(
        "Rachid zit niet aan tafel"
    )


def test_agree_picks_the_singular_or_the_plural():
    from rules.engine import agree

    text = "{personen} {zit|zitten} niet aan tafel en {heeft|hebben} {geen|geen} steun."
    assert agree(text, 1) == "{personen} zit niet aan tafel en heeft geen steun."
    assert agree(text, 2) == "{personen} zitten niet aan tafel en hebben geen steun."
    assert agree("Geen keuze hier.", 3) == "Geen keuze hier."


def test_explanation_joins_several_persons_with_en(ruleset):
    found = fired(ruleset, facts(siblings_apart_untied=("p1", "p4", "p3")))
    explanation = found["siblings-apart-without-tie"]["explanation"]
    assert "er is geen band tussen Sanne, Salma en Khadija vastgelegd" in explanation
    assert "broers en zussen apart zonder band: Sanne, Salma en Khadija" in explanation


def test_sibling_card_says_who_lives_where(ruleset):
    given = facts(
        siblings_apart_untied=("p1", "p4", "p3"),
        residence_of={"p1": "home", "p4": "foster", "p3": "home"},
    )
    explanation = fired(ruleset, given)["siblings-apart-without-tie"]["explanation"]
    assert explanation.startswith("Sanne en Khadija wonen thuis, Salma in een pleeggezin;")
    given["residence_of"] = {"p1": "home", "p4": "foster", "p3": "family_home"}
    explanation = fired(ruleset, given)["siblings-apart-without-tie"]["explanation"]
    assert explanation.startswith(
        "Sanne woont thuis, Salma in een pleeggezin, Khadija in een gezinshuis;"
    )


def test_explanation_falls_back_to_the_id_when_a_name_is_unknown(ruleset):
    found = fired(ruleset, facts(parents_without_support=("p9",)), names={})
    assert found["parent-without-support"]["explanation"].startswith("p9 heeft het zwaar")


def test_explanation_shows_numbers_and_yes_no(ruleset):
    given = facts(family_problem_count=4.0, index_children=("p1",))
    found = fired(ruleset, given)
    many = found["many-problems-no-municipality"]["explanation"]
    assert "aantal soorten problematiek: 4;" in many
    assert "gemeente of wijkteam nee" in many
    child = found["child-perspective-missing"]["explanation"]
    assert child.startswith("Wat Sanne zelf zegt en wil, staat nog nergens.")
    assert "perspectief van het kind vastgelegd: nee" in child


def test_codes_asked_show_as_ja_or_nee(ruleset):
    # Debts present, debt counselling not: each code the rule asks about, yes or no.
    given = facts(family_problems={"debts", "trauma"}, partners_present={"informal"})
    explanation = fired(ruleset, given)["missing-debt-counselling"]["explanation"]
    assert "problematiek in het gezin: schulden ja" in explanation
    assert "schuldhulpverlening nee" in explanation
    assert "trauma" not in explanation  # only the codes the rule asks about


def test_show_value_per_kind():
    assert show_value("parents", ("p2", "p3"), NAMES) == "Rachid en Khadija"
    assert show_value("parents", (), NAMES) == "geen"
    assert show_value("family_problems", {"debts"}, NAMES) == "schulden"
    assert show_value("partners_present", {"adult_mental_health"}, NAMES) == "volwassen-GGZ"
    assert show_value("informal_network_size", 2.0, NAMES) == "2"
    assert show_value("child_perspective_recorded", True, NAMES) == "ja"
    assert show_value("child_perspective_recorded", False, NAMES) == "nee"
    assert show_value("placements", {"p1": 3.0}, NAMES) == "Sanne: 3"
    per_problem = {**neutral_facts()["persons_with_problem"], "debts": ("p2", "p3")}
    assert show_value("persons_with_problem", per_problem, NAMES) == "schulden: Rachid en Khadija"


# Order


def test_signals_are_sorted_critical_warning_info(ruleset):
    given = facts(
        index_children=("p1",),
        placements={"p1": 3.0},
        secure_stays={"p1": 0.0},
        index_placements=3.0,
        informal_network_size=0.0,
        siblings_apart_untied=("p1", "p4"),
        family_problems={"domestic_violence"},
        child_perspective_recorded=True,
    )
    signals = evaluate(ruleset, given, NAMES)
    severities = [s["severity"] for s in signals]
    assert severities == sorted(severities, key=SEVERITY_ORDER.get)
    assert {"critical", "warning", "info"} <= set(severities)
    critical = [s["rule"] for s in signals if s["severity"] == "critical"]
    order = [rule.id for rule in ruleset.rules]
    assert sorted(critical) == ["missing-safe-home", "placement-carousel"]
    assert critical == sorted(critical, key=order.index)  # then in rule-set order
    assert signals[-1]["rule"] == "siblings-apart-without-tie"


def test_within_a_severity_the_file_order_holds(ruleset):
    order = [rule.id for rule in ruleset.rules]
    given = facts(family_problems={"debts", "poverty", "addiction", "school"})
    warnings = [s["rule"] for s in evaluate(ruleset, given) if s["severity"] == "warning"]
    assert warnings == sorted(warnings, key=order.index)


def test_nothing_known_fires_only_the_network_rule(ruleset):
    assert [s["rule"] for s in evaluate(ruleset, neutral_facts())] == ["no-informal-network"]


# Fingerprints


def _team(**given):
    parents = given.pop("parents", ("p2", "p3"))
    return facts(team_recorded=True, parents=parents, parents_to_invite=parents, **given)


def test_fingerprint_changes_with_the_facts_the_rule_reads(ruleset):
    rule = ruleset.get("parents-not-in-team")
    before = signal(rule, _team(parents=("p2", "p3")), NAMES)
    other_parents = signal(rule, _team(parents=("p2",)), NAMES)
    assert before["fingerprint"] != other_parents["fingerprint"]


def test_fingerprint_stays_when_unrelated_facts_change(ruleset):
    rule = ruleset.get("parents-not-in-team")
    before = signal(rule, _team(parents=("p2", "p3")), NAMES)
    unrelated = _team(
        parents=("p2", "p3"),
        informal_network_size=5.0,
        family_problems={"debts"},
        index_placements=4.0,
        child_perspective_recorded=True,
    )
    after = signal(rule, unrelated, {"p2": "Andere naam"})
    assert after["fingerprint"] == before["fingerprint"]


def test_fingerprint_changes_with_the_rule_version(ruleset):
    rule = ruleset.get("parents-not-in-team")
    given = _team(parents=("p2",))
    newer = dataclasses.replace(rule, version=rule.version + 1)
    assert signal(rule, given, NAMES)["fingerprint"] != signal(newer, given, NAMES)["fingerprint"]


def test_fingerprint_of_a_case_follows_its_facts(ruleset):
    case = canonical_case(make_case())
    case["persons"][0]["in_team"] = True  # the team is recorded: parents-not-in-team speaks
    first = {s["rule"]: s["fingerprint"] for s in signals_for_case(ruleset, case)}
    case["narrative"] = "Een ander verhaal."
    case["persons"][3]["name"] = "Grootvader"
    assert {s["rule"]: s["fingerprint"] for s in signals_for_case(ruleset, case)} == first
    # A problem the rule does not ask about: a dismissal of it would hold.
    case["persons"][1]["problems"].append("debts")
    second = {s["rule"]: s["fingerprint"] for s in signals_for_case(ruleset, case)}
    assert second["missing-adult-mental-health"] == first["missing-adult-mental-health"]
    assert second["parents-not-in-team"] == first["parents-not-in-team"]
    assert "missing-debt-counselling" in second
    if "many-problems-no-municipality" in first:  # it reads the number of kinds of problems
        assert second["many-problems-no-municipality"] != first["many-problems-no-municipality"]
    # Another parent with the problem it asks about: a new situation.
    case["persons"][2]["deceased"] = False
    case["persons"][2]["problems"] = ["psychiatric"]
    third = {s["rule"]: s["fingerprint"] for s in signals_for_case(ruleset, case)}
    assert third["missing-adult-mental-health"] != first["missing-adult-mental-health"]


def test_a_signal_stays_quiet_when_the_rule_does_not_fire(ruleset):
    assert signal(ruleset.get("parents-not-in-team"), facts(), NAMES) is None


# Output shape


def test_signals_have_every_key_and_are_json_serialisable(ruleset):
    case = canonical_case(make_case())
    signals = signals_for_case(ruleset, case)
    assert signals
    assert json.loads(json.dumps(signals, ensure_ascii=False)) == signals
    for found in signals:
        assert set(found) == KEYS
        assert found["severity"] in SEVERITY_ORDER
        assert found["partner"] is None or isinstance(found["partner"], str)
        assert isinstance(found["persons"], list)
        assert len(found["fingerprint"]) == 16


def test_every_rule_fires_serialisably_on_its_firing_examples(ruleset):
    from rules.loader import example_facts

    for rule in ruleset.rules:
        for example in rule.examples:
            if not example["fires"]:
                continue
            given = example_facts(rule.path, rule.id, example.get("facts") or {})
            found = signal(rule, given, NAMES)
            assert found is not None
            json.dumps(found)
            assert found["explanation"].endswith(".")


def test_family_facts_evaluate_to_plain_json(ruleset):
    case = canonical_case(make_case())
    found = evaluate(ruleset, family_facts(case), NAMES)
    text = json.dumps(found)
    assert "set(" not in text


def test_evidence_shows_only_the_codes_asked_of_each_fact(ruleset):
    case = canonical_case(make_case())
    found = {s["rule"]: s for s in signals_for_case(ruleset, case)}
    municipality = found["missing-municipality-housing"]
    # 'housing' is also a partner code, but this rule only asks about the municipality.
    assert "partners aan tafel: gemeente of wijkteam nee;" in municipality["explanation"]
    assert municipality["facts"]["partners_at_table"] == {"municipality": False}
