"""The finder on the demo library (44 closed cases): what a facilitator reads at the table
for a family like "Het Verzorgpaard", and for two new families written here, as an expert
would, before the finder was run on them (issue 14).

The expectations are about kinds of situation, never the wording of one case: a child
who lives for animals meets the animal cases, a girl turning 18 without a home meets the
cases that found a place of one's own.
"""

import json
import pathlib
import re

import pytest

from cases.validation import canonical_case
from finder import CaseFinder
from finder.levers import solution_profile
from rules.loader import load_rules
from tests.factories import make_case
from tests.test_finder_web import (  # noqa: F401 (library: a fixture)
    RESULT_KEYS,
    horse_case,
    library,
    publish,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "data" / "demo" / "library"
VERZORGPAARD = ROOT / "data" / "demo" / "cohort" / "verzorgpaard.json"

HORSE_CASE = "lib-a02"
KANGAROO_CASES = ("lib-a03", "lib-a04")
ANIMAL_CASES = ("lib-a02", "lib-b21", "lib-a01")
OWN_PLACE_CASES = ("lib-b09", "lib-b10", "lib-a22")


def library_cases():
    cases = []
    for path in sorted(LIBRARY.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        document["code"] = path.stem
        cases.append(canonical_case(document))
    return cases


@pytest.fixture(scope="module")
def finder():
    return CaseFinder(ruleset=load_rules()).fit(library_cases())


def verzorgpaard():
    return canonical_case(json.loads(VERZORGPAARD.read_text(encoding="utf-8")))


def family_words(case):
    """Everything the family itself says: narrative, the child's words, and every
    person's interests and strengths, lower-cased."""
    parts = [case.get("narrative") or "", case.get("child_perspective") or ""]
    for person in case["persons"]:
        parts += [*(person.get("interests") or []), *(person.get("strengths") or [])]
    return " ".join(parts).lower()


def claimed_here(reason):
    """The family's own word a lever reason claims ("hefboom: haar liefde voor dieren
    (hier: honden; daar: paarden)" claims "honden"); None for no lever reason."""
    if not reason.startswith("hefboom:"):
        return None
    wish = re.search(r"eigen wens '([^']+)'", reason)
    if wish:
        return wish.group(1)
    told = re.search(r"het verhaal noemt (.+?) \(", reason)
    if told:
        return told.group(1)
    here = re.search(r"\(hier: ([^;)]+)[;)]", reason)
    if here:
        return here.group(1)
    there = re.search(r"\(daar: ([^)]+)\)", reason)
    return there.group(1) if there else None


def assert_no_claim_beyond_the_family(case, results):
    said = family_words(case)
    for result in results:
        for reason in result["reasons"]:
            claim = claimed_here(reason)
            if reason.startswith("hefboom:"):
                assert claim, f"{result['code']}: a lever reason without its words: {reason}"
                assert claim.lower() in said, f"{result['code']}: {reason!r} claims {claim!r}"


# ------------------------------------------------------------------ Het Verzorgpaard


def test_verzorgpaard_finds_the_horse_case_by_her_love_of_horses(finder):
    results = finder.kneighbors(verzorgpaard(), 3)
    codes = [r["code"] for r in results]
    assert HORSE_CASE in codes, codes
    horse = next(r for r in results if r["code"] == HORSE_CASE)
    reasons = horse["reasons"]
    assert any(r.startswith("hefboom: haar liefde voor paarden") for r in reasons), reasons


def test_verzorgpaard_finds_both_kangaroo_homes_by_her_wish_to_live_with_her_father(finder):
    results = finder.kneighbors(verzorgpaard(), 5)
    by_code = {r["code"]: r for r in results}
    for code in KANGAROO_CASES:
        assert code in by_code, [r["code"] for r in results]
        reasons = by_code[code]["reasons"]
        assert any("eigen wens 'bij mijn vader wonen'" in reason for reason in reasons), reasons


def test_verzorgpaard_top_five_shows_different_kinds_of_solution(finder):
    """Variety: the table sees different ideas, not five variants of one."""
    results = finder.kneighbors(verzorgpaard(), 5)
    demo = {case["code"]: case for case in library_cases()}
    kinds = {
        solution_profile(demo[r["code"]], r["solution"])["kind"] for r in results if r["solution"]
    }
    kinds.discard(None)
    assert len(kinds) >= 4, [(r["code"], r["solution"] and r["solution"]["title"]) for r in results]


def test_verzorgpaard_reasons_claim_no_passion_she_does_not_have(finder):
    case = verzorgpaard()
    results = finder.kneighbors(case, 10)
    assert any(r["reasons"][0].startswith("hefboom:") for r in results)
    assert_no_claim_beyond_the_family(case, results)


# ------------------------------------------------- new families, written before running

# A boy of 11 in a foster family since his mother's psychosis; he lives for animals. The
# animal cases (a horse, the neighbour's dog, the care farm) should be among the ideas,
# named by his own words.
ANIMAL_BOY = {
    "format": "case/1",
    "code": "konijnenhok",
    "title": "Het Konijnenhok",
    "region": "Oost",
    "goal": "return_home",
    "status": "active",
    "started": "2025-09-01",
    "narrative": (
        "Daan (11) woont sinds een half jaar in een pleeggezin, nadat zijn moeder Ilse "
        "in een psychose werd opgenomen. Moeder is weer thuis en wordt behandeld door de "
        "volwassen-GGZ; het contact is twee keer per week onder begeleiding. Daan is stil, "
        "slaapt slecht en wil op school niet praten over thuis. In het pleeggezin zorgt hij "
        "elke dag voor de konijnen; daar is hij rustig en vertelt hij uit zichzelf. Vader "
        "is al jaren uit beeld."
    ),
    "child_perspective": (
        "Bij de buurman van mijn pleeggezin mag ik de geiten voeren, die kennen mij al. "
        "Als ik bij de dieren ben hoef ik niet aan mama te denken. Ik wil later "
        "dierenverzorger worden."
    ),
    "persons": [
        {
            "id": "p1",
            "name": "Daan",
            "sex": "male",
            "birth_year": 2014,
            "index": True,
            "problems": ["trauma", "school"],
            "interests": ["konijnen", "dieren verzorgen"],
            "strengths": ["geduldig", "zorgzaam"],
            "residence": "foster",
            "placements": [
                {"residence": "foster", "provider": "Pleeggezin", "start": "2025-03-01"}
            ],
        },
        {
            "id": "p2",
            "name": "Ilse",
            "sex": "female",
            "birth_year": 1987,
            "problems": ["psychiatric"],
            "residence": "home",
        },
        {"id": "p3", "name": "Marco", "sex": "male", "birth_year": 1984, "problems": []},
    ],
    "relations": [
        {"kind": "couple", "a": "p2", "b": "p3", "status": "separated"},
        {"kind": "parent", "parent": "p2", "child": "p1", "type": "biological"},
        {"kind": "parent", "parent": "p3", "child": "p1", "type": "biological"},
        {"kind": "emotional", "a": "p1", "b": "p2", "quality": "close"},
        {"kind": "emotional", "a": "p1", "b": "p3", "quality": "cutoff"},
    ],
    "network": [
        {
            "id": "n1",
            "name": "Pleegouders",
            "partner": "youth_care",
            "in_team": True,
            "ties": [{"person": "p1", "strength": "normal", "stressful": False, "flow": "both"}],
        },
        {
            "id": "n2",
            "name": "Volwassen-GGZ",
            "partner": "adult_mental_health",
            "in_team": True,
            "ties": [{"person": "p2", "strength": "normal", "stressful": False, "flow": "to"}],
        },
        {
            "id": "n3",
            "name": "Jeugdbeschermer",
            "partner": "youth_protection",
            "in_team": True,
            "ties": [{"person": "p1", "strength": "weak", "stressful": False, "flow": "to"}],
        },
    ],
    "solutions": [],
    "outcome": {"returned_home": None, "family_contact_improved": None, "date": None},
}
# His own words for what he loves (interests and his own words).
ANIMAL_BOY_WORDS = ("konijnen", "dieren", "geiten", "dierenverzorger")

# A girl of 16 on an open group who turns 18 with nowhere to live; nothing about animals.
# The cases that found a place of one's own (kamertraining, a buddy who has been there)
# should be among the ideas, the animal cases not at the top.
NO_HOME_GIRL = {
    "format": "case/1",
    "code": "achttien",
    "title": "Bijna Achttien",
    "region": "Zuid",
    "goal": "as_home_as_possible",
    "status": "active",
    "started": "2025-10-01",
    "narrative": (
        "Lotte (16) woont sinds haar dertiende op een open groep, na twee pleeggezinnen die "
        "stopten. Moeder Petra drinkt en kan haar niet in huis nemen; vader is onbekend. "
        "Over anderhalf jaar wordt Lotte achttien en moet ze weg van de groep, maar er is "
        "geen plek waar ze daarna kan wonen. Ze heeft schulden bij een telefoonwinkel, "
        "haalt haar school maar net en heeft buiten de groep bijna niemand."
    ),
    "child_perspective": (
        "Ik wil niet terug naar mijn moeder. Ik wil een eigen kamer en iemand die me helpt "
        "met geld en brieven, maar niet weer een hulpverlener die na een jaar weggaat."
    ),
    "persons": [
        {
            "id": "p1",
            "name": "Lotte",
            "sex": "female",
            "birth_year": 2009,
            "index": True,
            "problems": ["school", "debts", "isolation"],
            "interests": ["series kijken", "vriendinnen"],
            "strengths": ["zelfstandig", "slim"],
            "residence": "residential",
            "placements": [
                {
                    "residence": "foster",
                    "provider": "Pleeggezin",
                    "start": "2019-03-01",
                    "end": "2020-06-01",
                },
                {
                    "residence": "foster",
                    "provider": "Pleeggezin",
                    "start": "2020-06-01",
                    "end": "2022-09-01",
                },
                {"residence": "residential", "provider": "Open groep", "start": "2022-09-01"},
            ],  # fmt: skip
        },
        {
            "id": "p2",
            "name": "Petra",
            "sex": "female",
            "birth_year": 1985,
            "problems": ["addiction", "housing"],
            "residence": "home",
        },
    ],
    "relations": [
        {"kind": "parent", "parent": "p2", "child": "p1", "type": "biological"},
        {"kind": "emotional", "a": "p1", "b": "p2", "quality": "distant"},
    ],
    "network": [
        {
            "id": "n1",
            "name": "Mentor open groep",
            "partner": "youth_care",
            "in_team": True,
            "ties": [{"person": "p1", "strength": "normal", "stressful": False, "flow": "to"}],
        },
        {
            "id": "n2",
            "name": "Mentor school",
            "partner": "school",
            "in_team": False,
            "ties": [{"person": "p1", "strength": "weak", "stressful": False, "flow": "to"}],
        },
    ],
    "solutions": [],
    "outcome": {"returned_home": None, "family_contact_improved": None, "date": None},
}


def test_a_boy_who_loves_animals_meets_an_animal_case_by_his_own_words(finder):
    results = finder.kneighbors(canonical_case(ANIMAL_BOY), 5)
    animal = [r for r in results if r["code"] in ANIMAL_CASES]
    assert animal, [r["code"] for r in results]
    lever_reasons = [
        reason for r in animal for reason in r["reasons"] if reason.startswith("hefboom:")
    ]
    assert any(word in reason for reason in lever_reasons for word in ANIMAL_BOY_WORDS), [
        (r["code"], r["reasons"]) for r in results
    ]
    assert_no_claim_beyond_the_family(ANIMAL_BOY, results)


def test_a_girl_turning_18_without_a_home_meets_a_place_of_her_own_not_animals(finder):
    results = finder.kneighbors(canonical_case(NO_HOME_GIRL), 5)
    codes = [r["code"] for r in results]
    assert not set(codes[:3]) & set(ANIMAL_CASES), codes
    assert set(codes) & set(OWN_PLACE_CASES), codes
    assert_no_claim_beyond_the_family(NO_HOME_GIRL, results)


# ------------------------------------------------------------------- the CLI's JSON


LEVER_KEYS = {"kind", "concept", "label", "here", "there", "match"}


def test_cli_json_gives_the_fitting_solution_and_its_levers(runner, db, library):  # noqa: F811
    bare_id, _ = publish(
        db, make_case("kaal", title="Zonder oplossing", status="closed", solutions=[])
    )
    found = runner.invoke(args=["cases", "similar", "--file", str(VERZORGPAARD), "--json"])
    assert found.exit_code == 0, found.output
    results = json.loads(found.output)
    assert len(results) == 3 and all(set(r) == RESULT_KEYS for r in results)
    bare = next(r for r in results if r["code"] == f"bibliotheek-{bare_id}")
    assert bare["solution"] is None and bare["levers"] == []
    for result in results:
        assert isinstance(result["situation_score"], float)
        assert result["situation_score"] <= result["score"]
        if result["solution"] is None:
            assert result["levers"] == []
            continue
        assert {"title", "summary", "outcome", "fit"} <= set(result["solution"])
        assert result["solution"]["title"] in [s["title"] for s in result["solutions"]]
        assert all(set(lever) == LEVER_KEYS for lever in result["levers"])
    horse = next(r for r in results if r["code"] == library["horse"])
    assert horse["solution"]["title"] == horse_case()["solutions"][0]["title"]
    passion = next(lever for lever in horse["levers"] if lever["kind"] == "passion")
    assert passion["concept"] == "paard" and passion["here"] == "paarden"
    assert passion["match"] == "exact"
