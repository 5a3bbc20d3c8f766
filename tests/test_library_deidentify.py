"""De-identification for the library (pure): deduce plus the case's own names."""

import importlib.util
import json
import pathlib
import re

import pytest

from cases.validation import canonical_case
from library import deidentify
from tests.factories import make_case

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("deduce") is None,
    reason="deduce is not importable (pip install -r requirements.txt): it is pinned there",
)

NARRATIVE = (
    "Sanne woont sinds 3 maart 2019 bij haar oma Riet in Zaandam. Vader Kees van Dijk "
    "belt elke avond met 06-12345678. Op 12-03-2021 ging ze naar De Koppeling."
)


def test_narrative_with_names_town_date_and_phone_is_tagged():
    text = deidentify.deidentify_text(NARRATIVE, names=["Sanne", "Riet"])
    for leak in ("Sanne", "Riet", "Zaandam", "Kees", "Dijk", "3 maart 2019", "06-12345678",
                 "12-03-2021"):  # fmt: skip
        assert leak not in text, text
    assert "[PERSOON-1]" in text
    assert "[PERSOON-2]" in text
    assert "[LOCATIE-1]" in text
    assert "[DATUM-1]" in text and "[DATUM-2]" in text
    assert "[TELEFOONNUMMER-1]" in text
    assert "oma [PERSOON-2]" in text  # the role word stays, the name goes


def test_known_institutions_become_instelling():
    text = deidentify.deidentify_text(NARRATIVE, names=["Sanne"], institutions=["De Koppeling"])
    assert "Koppeling" not in text
    assert "[INSTELLING-1]" in text


def test_a_name_deduce_would_miss_is_replaced_because_the_case_names_it():
    # "Cor" alone is too short for deduce; the case's network names him.
    text = deidentify.deidentify_text("Daarna dronk hij thee bij Cor.", names=["Cor"])
    assert text == "Daarna dronk hij thee bij [PERSOON-1]."


def test_role_words_are_not_names():
    text = deidentify.deidentify_text("Vader wil dat het goed gaat.", names=["Vader"])
    assert text.startswith("Vader wil")


def test_numbering_is_shared_across_the_texts_of_a_case():
    case = make_case()
    case["narrative"] = "Sanne woont in Zaandam. Ze belt Sanne's vriendin Ilse."
    case["child_perspective"] = "Ik wil terug naar Zaandam, zegt Sanne."
    case["solutions"][0]["summary"] = "Sanne ging elke week naar de manege."
    copy = deidentify.deidentify_case(case)
    assert copy["narrative"].startswith("[PERSOON-1] woont in [LOCATIE-1].")
    assert "[LOCATIE-1]" in copy["child_perspective"] and "[PERSOON-1]" in copy["child_perspective"]
    assert copy["solutions"][0]["summary"].startswith("[PERSOON-1] ging")
    assert copy["tags"]["PERSOON-1"] == "Indexkind"


def test_the_case_copy_keeps_codes_and_coarsens_dates():
    case = make_case()
    case["title"] = "Bij Sanne thuis"
    case["outcome"]["date"] = "2022-06-30"
    copy = deidentify.deidentify_case(case)
    assert "code" not in copy
    assert copy["format"] == "library-case/1"
    assert copy["title"] == "Bij [PERSOON-1] thuis"
    assert copy["started"] == "2020"
    assert copy["outcome"]["date"] == "2022"
    sanne, vader, moeder, opa = copy["persons"]
    assert (sanne["name"], vader["name"], moeder["name"], opa["name"]) == (
        "Indexkind", "Vader", "Moeder", "Opa",
    )  # fmt: skip
    assert sanne["problems"] == ["trauma", "running_away"]
    assert sanne["residence"] == "secure"
    assert [pl["start"] for pl in sanne["placements"]] == ["2019", "2020"]
    assert sanne["placements"][1]["provider"] == "[INSTELLING-1]"  # De Koppeling
    assert sanne["placements"][0]["provider"] == "Open groep"  # a kind of place, kept
    assert copy["goal"] == case["goal"]
    assert copy["relations"] == case["relations"]
    assert [m["partner"] for m in copy["network"]] == ["informal", "youth_protection"]
    solution = copy["solutions"][0]
    assert solution["components"] == ["paardenfluisteraar", "leasepaard"]
    assert solution["partners"] == ["informal"]
    assert solution["addresses"] == ["trauma"]
    assert solution["outcome"] == "ongoing"


def test_names_inside_network_members_are_found():
    case = make_case()
    case["network"][0]["name"] = "Meneer Cor (buurman)"
    case["solutions"][0]["summary"] = "Elke dag de hond van Cor uitlaten."
    copy = deidentify.deidentify_case(case)
    assert "Cor" not in copy["network"][0]["name"]
    assert "Cor" not in copy["solutions"][0]["summary"]
    assert copy["network"][0]["name"].startswith("Meneer [PERSOON-")


def test_person_roles_follow_the_relations():
    case = make_case()
    case["persons"].append({"id": "p5", "name": "Mila", "sex": "female", "birth_year": 2010})
    case["relations"].append({"kind": "parent", "parent": "p2", "child": "p5",
                              "type": "biological"})  # fmt: skip
    assert deidentify.person_roles(case)["p5"] == "Zus"


def test_deduce_is_built_once():
    first = deidentify.get_deduce()
    assert deidentify.get_deduce() is first
    assert deidentify.is_loaded()


def test_provider_names_are_told_from_kinds_of_place():
    assert deidentify.looks_like_a_name("De Koppeling")
    assert not deidentify.looks_like_a_name("Open groep")
    assert not deidentify.looks_like_a_name("Netwerkpleeggezin uit de kerk")


def test_a_name_in_the_possessive_is_replaced_too():
    text = deidentify.deidentify_text(
        "De ouders van Marijes beste vriendin en Sanne's trainster helpen.",
        names=["Marije", "Sanne"],
    )
    assert "Marije" not in text and "Sanne" not in text, text
    assert "[PERSOON-1]s beste vriendin" in text and "[PERSOON-2]'s trainster" in text


DEMO_LIBRARY = pathlib.Path(__file__).resolve().parents[1] / "data" / "demo" / "library"


def test_no_person_name_of_a_demo_case_survives_in_its_library_copy():
    """Every name the case itself gives a person, in any form a text may use it
    (possessive too), is gone from every text of the copy."""
    for path in sorted(DEMO_LIBRARY.glob("*.json")):
        case = canonical_case(json.loads(path.read_text(encoding="utf-8")))
        copy = json.dumps(deidentify.deidentify_case(case), ensure_ascii=False)
        for person in case["persons"]:
            for word in (person["name"] or "").split():
                if len(word) < 3 or word.lower() in deidentify.ROLE_WORDS:
                    continue
                found = re.search(r"(?<!\w)" + re.escape(word) + r"(?:'?s)?(?!\w)", copy)
                assert not found, f"{path.name}: {word!r} left in the library copy"
