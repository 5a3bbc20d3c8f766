"""Text hints: what the narrative or the child's words speak of and nobody recorded."""

import json
import pathlib

import pytest

from bench.eval_rules import accepted
from cases.validation import canonical_case
from rules.text_hints import HintFileError, HintSet, default_hints, find_hints
from tests.factories import make_case

EXPERT = pathlib.Path(__file__).parent / "data" / "expert"


def mentions(text):
    return default_hints().mentions(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Er is vijf maanden huurachterstand.", [("debts", "huurachterstand")]),
        ("De huurachterstanden lopen op.", [("debts", "huurachterstanden")]),
        ("Het gezin werd in 2025 ontruimd.", [("housing", "ontruimd")]),
        ("Hij blowde elke dag.", [("addiction", "blowde")]),
        ("Jesse is sinds januari een thuiszitter.", [("school", "thuiszitter")]),
        ("Ze staat nergens ingeschreven.", [("school", "nergens ingeschreven")]),
        ("Sara snijdt zichzelf sinds de zomer.", [("self_harm", "snijdt zichzelf")]),
        ("Ze heeft schulden bij de zorgverzekeraar.", [("debts", "schulden")]),
    ],
)
def test_text_hints_find_the_words_the_codes_miss(text, found):
    assert mentions(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Er zijn geen schulden.",
        "Ze blowt niet meer sinds ze voetbalt.",
        "Als ik muziek maak, hoef ik niet te blowen.",
        "Het gezin woont zonder huurachterstand in een flat.",
        "Er is nooit een ontruiming geweest.",
        "Daar snijd ik niet, en ik ben geen thuiszitter.",
        "Er is geen zelfbeschadiging en Ivy gebruikt niets.",
        "Er zijn geen schulden of huurachterstand.",
    ],
)
def test_text_hints_never_fire_on_a_negation(text):
    assert mentions(text) == []


def test_text_hints_negation_stays_in_its_clause():
    # The negation of one clause says nothing about the next.
    assert mentions("Er is een huurachterstand; er zijn verder geen schulden.") == [
        ("debts", "huurachterstand")
    ]
    assert mentions("Er zijn geen schulden, maar wel een huurachterstand.") == [
        ("debts", "huurachterstand")
    ]
    # Far enough from the word, a negation is about something else.
    assert mentions("Er is huurachterstand en de vader kan niet werken.") == [
        ("debts", "huurachterstand")
    ]


def test_text_hints_leave_out_words_that_mean_something_else():
    assert mentions("Het was zijn schuld dat het misging.") == []  # blame, not debts
    assert mentions("Vader Orlando, met wie Delano hoog wegloopt.") == []  # admires
    assert mentions("Een koerier met een tas vol drugs.") == []  # criminality, not use


def test_find_hints_skips_recorded_dismissed_and_proposes_a_person():
    case = canonical_case(make_case(narrative="Er is huurachterstand. Sanne spijbelt en blowt."))
    hints = find_hints(case)
    # p2 (Vader) is the living parent of the index child: debts and addiction go to
    # him; school to the index child.
    assert [(h.problem, h.phrase, h.field, h.person) for h in hints] == [
        ("addiction", "blowt", "narrative", "p2"),
        ("debts", "huurachterstand", "narrative", "p2"),
        ("school", "spijbelt", "narrative", "p1"),
    ]
    assert hints[1].label == "schulden"
    assert [h.problem for h in find_hints(case, dismissed={"debts", "addiction"})] == ["school"]
    case["persons"][1]["problems"].append("debts")
    assert "debts" not in [h.problem for h in find_hints(case)]


def test_find_hints_reads_the_childs_words_too():
    case = canonical_case(make_case(narrative="", child_perspective="Ik ben een thuiszitter."))
    assert [(h.problem, h.field) for h in find_hints(case)] == [("school", "child_perspective")]


def test_find_hints_of_the_expert_cases_are_only_the_unrecorded_arrears():
    found = {}
    for path in sorted(EXPERT.glob("mwt-expert-*.json")):
        case = canonical_case(accepted(json.loads(path.read_text()))[0])
        for hint in find_hints(case):
            found[case["code"]] = (hint.problem, hint.phrase, hint.person)
    assert found == {"mwt-expert-09-de-rechtszaak": ("debts", "huurachterstand", "p2")}


def test_hint_file_errors_name_the_entry():
    with pytest.raises(HintFileError, match="hints"):
        HintSet({})
    with pytest.raises(HintFileError, match=r"hints\[0\]\.problem"):
        HintSet({"hints": [{"problem": "gokken", "words": ["gok"]}]})
    with pytest.raises(HintFileError, match=r"hints\[0\]\.words"):
        HintSet({"hints": [{"problem": "debts", "words": []}]})
    with pytest.raises(HintFileError, match=r"hints\[0\]\.who"):
        HintSet({"hints": [{"problem": "debts", "who": "oma", "words": ["x"]}]})


def test_text_hints_are_fast():
    import time

    case = canonical_case(make_case(narrative="Er is een huurachterstand. " * 200))
    started = time.perf_counter()
    for _ in range(20):
        find_hints(case)
    assert (time.perf_counter() - started) / 20 < 0.05
