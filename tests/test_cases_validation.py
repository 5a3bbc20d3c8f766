"""Pure unit tests of the case exchange format (``case/1``) validation and canonical form."""

import copy
import datetime
import json
import pathlib
import re

import pytest

from cases import codes
from cases.validation import (
    MAX_ITEMS,
    MAX_PERSONS,
    MAX_RELATIONS,
    CaseFormatError,
    canonical_case,
    check_case,
    parse_cases,
    validate_case,
)
from tests.factories import make_case

CONTRACT = pathlib.Path(__file__).resolve().parents[1] / ".." / "shared" / "docs" / "case-format.md"
THIS_YEAR = datetime.date.today().year


def contract_example():
    """The JSON example of the contract document, parsed."""
    text = CONTRACT.read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def family(persons, relations=(), network=()):
    """A minimal valid case around the given persons and relations."""
    return make_case(
        persons=list(persons), relations=list(relations), network=list(network), solutions=[]
    )


def paths(doc):
    return [issue.path for issue in check_case(doc)]


# The contract's own examples


def test_contract_example_is_valid():
    assert validate_case(contract_example()) == []


def test_contract_example_error_message_is_exact():
    doc = contract_example()
    doc["persons"][2]["sex"] = "man"
    assert validate_case(doc) == [
        "persons[2].sex: 'man' is not one of female, male, other, unknown"
    ]


def test_contract_example_canonical_keeps_every_given_value():
    doc = contract_example()
    assert_given_values_survive(doc, canonical_case(doc))


def test_contract_documented_code_tables_match_the_code_lists():
    text = CONTRACT.read_text(encoding="utf-8")

    def table(heading):
        section = text.split(heading, 1)[1].split("\n\n", 1)[0]
        return re.findall(r"^\| (\w+) \|", section, re.M)[1:]  # skip the header row

    assert table("Problems (problematiek):") == list(codes.PROBLEMS)
    assert table("Partners (ketenpartners and network):") == list(codes.PARTNERS)
    assert table("Residences:") == list(codes.RESIDENCES)


def test_factory_case_is_valid():
    assert validate_case(make_case()) == []


def test_minimal_case_is_valid():
    doc = {
        "format": "case/1",
        "code": "ab",
        "title": "Gezin",
        "goal": "return_home",
        "persons": [{"id": "p1", "index": True}],
    }
    assert validate_case(doc) == []


@pytest.mark.parametrize("goal", list(codes.GOALS))
def test_goal_every_documented_code_is_accepted(goal):
    assert validate_case(make_case(goal=goal)) == []


@pytest.mark.parametrize("status", list(codes.STATUSES))
def test_status_every_documented_code_is_accepted(status):
    assert validate_case(make_case(status=status)) == []


@pytest.mark.parametrize("sex", list(codes.SEXES))
def test_sex_every_documented_code_is_accepted(sex):
    doc = make_case()
    doc["persons"][3]["sex"] = sex
    assert validate_case(doc) == []


@pytest.mark.parametrize("residence", list(codes.RESIDENCES))
def test_residence_every_documented_code_is_accepted(residence):
    doc = make_case()
    doc["persons"][1]["residence"] = residence
    doc["persons"][0]["placements"][0]["residence"] = residence
    assert validate_case(doc) == []


def test_problems_every_documented_code_is_accepted():
    doc = make_case()
    doc["persons"][1]["problems"] = list(codes.PROBLEMS)
    doc["solutions"][0]["addresses"] = list(codes.PROBLEMS)
    assert validate_case(doc) == []


@pytest.mark.parametrize("partner", list(codes.PARTNERS))
def test_partner_every_documented_code_is_accepted(partner):
    doc = make_case()
    doc["network"][0]["partner"] = partner
    doc["solutions"][0]["partners"] = [partner]
    assert validate_case(doc) == []


@pytest.mark.parametrize(
    ("relation", "values"),
    [
        ({"kind": "couple", "a": "p2", "b": "p4"}, ("status", codes.COUPLE_STATUSES)),
        ({"kind": "parent", "parent": "p4", "child": "p3"}, ("type", codes.PARENT_TYPES)),
        ({"kind": "emotional", "a": "p3", "b": "p4"}, ("quality", codes.EMOTIONAL_QUALITIES)),
    ],
)
def test_relation_every_documented_detail_is_accepted(relation, values):
    key, allowed = values
    for value in allowed:
        doc = make_case()
        doc["persons"][3]["deceased"] = True  # 'ended_by_death' needs a deceased partner
        doc["relations"].append({**relation, key: value})
        assert validate_case(doc) == [], value


@pytest.mark.parametrize(
    ("key", "allowed"),
    [("strength", codes.TIE_STRENGTHS), ("flow", codes.TIE_FLOWS)],
)
def test_tie_every_documented_code_is_accepted(key, allowed):
    for value in allowed:
        doc = make_case()
        doc["network"][0]["ties"][0][key] = value
        assert validate_case(doc) == [], value


@pytest.mark.parametrize("outcome", list(codes.SOLUTION_OUTCOMES))
def test_solution_outcome_every_documented_code_is_accepted(outcome):
    doc = make_case()
    doc["solutions"][0]["outcome"] = outcome
    assert validate_case(doc) == []


# Unknown codes, in every code field


def _set(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


CODE_FIELDS = [
    (
        ("goal",),
        "goal: 'thuis' is not one of return_home, family_strengthening, as_home_as_possible",
    ),
    (("status",), "status: 'thuis' is not one of active, closed"),
    (("persons", 0, "sex"), "persons[0].sex: 'thuis' is not one of female, male, other, unknown"),
    (("persons", 0, "residence"), "persons[0].residence: 'thuis' is not one of "),
    (("persons", 0, "problems", 1), "persons[0].problems[1]: 'thuis' is not one of psychiatric, "),
    (("persons", 0, "placements", 0, "residence"), "persons[0].placements[0].residence: 'thuis'"),
    (("relations", 0, "status"), "relations[0].status: 'thuis' is not one of married, "),
    (("relations", 1, "type"), "relations[1].type: 'thuis' is not one of biological, "),
    (("relations", 4, "quality"), "relations[4].quality: 'thuis' is not one of very_close, "),
    (
        ("relations", 4, "kind"),
        "relations[4].kind: 'thuis' is not one of couple, parent, emotional",
    ),
    (("network", 1, "partner"), "network[1].partner: 'thuis' is not one of youth_protection, "),
    (("network", 0, "ties", 0, "strength"), "network[0].ties[0].strength: 'thuis' is not one of "),
    (("network", 0, "ties", 0, "flow"), "network[0].ties[0].flow: 'thuis' is not one of to, from"),
    (("solutions", 0, "partners", 0), "solutions[0].partners[0]: 'thuis' is not one of "),
    (("solutions", 0, "addresses", 0), "solutions[0].addresses[0]: 'thuis' is not one of "),
    (("solutions", 0, "outcome"), "solutions[0].outcome: 'thuis' is not one of worked, partly"),
]


@pytest.mark.parametrize(("path", "message"), CODE_FIELDS, ids=[str(p) for p, _ in CODE_FIELDS])
def test_code_field_unknown_code_is_named_by_path(path, message):
    doc = make_case()
    _set(doc, path, "thuis")
    problems = validate_case(doc)
    assert len(problems) == 1, problems
    assert problems[0].startswith(message)


@pytest.mark.parametrize("value", [["trauma"], {"code": "trauma"}, 3, True])
def test_code_field_non_string_value_is_an_issue_not_a_crash(value):
    for path, _ in CODE_FIELDS:
        doc = make_case()
        _set(doc, path, value)
        assert paths(doc), path


def test_problems_duplicate_code_is_named():
    doc = make_case()
    doc["persons"][0]["problems"] = ["trauma", "school", "trauma"]
    assert validate_case(doc) == ["persons[0].problems[2]: 'trauma' is listed twice"]


# References and ids


def test_relation_to_missing_person_is_named():
    doc = make_case()
    doc["relations"][0]["b"] = "p9"
    doc["relations"][1]["parent"] = "p8"
    assert validate_case(doc) == [
        "relations[0].b: 'p9' is not the id of a person in this case",
        "relations[1].parent: 'p8' is not the id of a person in this case",
    ]


def test_tie_to_missing_person_is_named():
    doc = make_case()
    doc["network"][1]["ties"][0]["person"] = "p9"
    assert validate_case(doc) == [
        "network[1].ties[0].person: 'p9' is not the id of a person in this case"
    ]


def test_tie_to_network_member_is_refused():
    doc = make_case()
    doc["network"][1]["ties"][0]["person"] = "n1"
    assert paths(doc) == ["network[1].ties[0].person"]


def test_tie_to_same_person_twice_is_refused():
    doc = make_case()
    doc["network"][0]["ties"].append({"person": "p1"})
    assert paths(doc) == ["network[0].ties[1].person"]


def test_person_ids_duplicate_is_refused():
    doc = make_case()
    doc["persons"][3]["id"] = "p2"
    problems = validate_case(doc)
    assert problems[0] == "persons[3].id: 'p2' is used twice (persons[1] and persons[3])"


def test_network_ids_duplicate_is_refused():
    doc = make_case()
    doc["network"][1]["id"] = "n1"
    assert validate_case(doc) == ["network[1].id: 'n1' is used twice (network[0] and network[1])"]


def test_network_id_equal_to_person_id_is_refused():
    doc = make_case()
    doc["network"][0]["id"] = "p2"
    assert validate_case(doc) == ["network[0].id: 'p2' is used twice (persons[1] and network[0])"]


@pytest.mark.parametrize("bad_id", ["", "p 1", "p1\n", "p/1", "x" * 65, 7, None])
def test_person_id_malformed_is_refused(bad_id):
    doc = family([{"id": bad_id, "index": True}])
    assert "persons[0].id" in paths(doc)


def test_relation_person_to_themselves_is_refused():
    doc = make_case()
    doc["relations"][4]["b"] = "p1"
    assert validate_case(doc) == ["relations[4]: relates a person to themselves"]


def test_relation_stated_twice_is_refused():
    doc = make_case()
    doc["relations"].append({"kind": "emotional", "a": "p2", "b": "p1", "quality": "conflict"})
    assert validate_case(doc) == ["relations[5]: the same relation as relations[4]"]


def test_relation_missing_required_detail_is_refused():
    doc = make_case()
    del doc["relations"][0]["status"]
    assert validate_case(doc) == ["relations[0].status: is required"]


def test_relation_field_of_another_kind_is_unknown():
    doc = make_case()
    doc["relations"][1]["quality"] = "close"
    assert paths(doc) == ["relations[1].quality"]


def test_couple_ended_by_death_needs_a_deceased_partner():
    doc = make_case()
    doc["persons"][2]["deceased"] = False
    assert paths(doc) == ["relations[0].status"]


def test_child_with_three_biological_parents_is_refused():
    doc = make_case()
    doc["relations"].append({"kind": "parent", "parent": "p4", "child": "p1"})
    assert paths(doc) == ["relations[5]"]


def test_child_with_step_parent_beside_two_biological_is_valid():
    doc = make_case()
    doc["relations"].append({"kind": "parent", "parent": "p4", "child": "p1", "type": "step"})
    assert validate_case(doc) == []


def test_parent_younger_than_biological_child_is_refused():
    doc = make_case()
    doc["persons"][1]["birth_year"] = 2010
    assert "relations[1]" in paths(doc)


# Parenthood cycles


def _people(*ids):
    return [{"id": pid, "index": i == 0} for i, pid in enumerate(ids)]


def _parent(parent, child):
    return {"kind": "parent", "parent": parent, "child": child}


def test_parenthood_cycle_of_two_is_refused():
    doc = family(_people("a", "b"), [_parent("a", "b"), _parent("b", "a")])
    problems = validate_case(doc)
    assert len(problems) == 1
    assert problems[0].startswith("relations[") and "parenthood forms a cycle" in problems[0]


def test_parenthood_cycle_of_three_is_refused():
    doc = family(_people("a", "b", "c"), [_parent("a", "b"), _parent("b", "c"), _parent("c", "a")])
    problems = validate_case(doc)
    assert len(problems) == 1
    assert "parenthood forms a cycle" in problems[0]
    assert all(name in problems[0] for name in ("a", "b", "c"))


def test_parenthood_cycle_of_five_is_refused():
    ids = ["a", "b", "c", "d", "e"]
    links = [_parent(ids[i], ids[(i + 1) % 5]) for i in range(5)]
    assert any("parenthood forms a cycle" in p for p in validate_case(family(_people(*ids), links)))


def test_parenthood_cycle_found_beside_a_valid_branch():
    people = _people("k", "m", "v", "x", "y")
    links = [_parent("m", "k"), _parent("v", "k"), _parent("x", "y"), _parent("y", "x")]
    problems = validate_case(family(people, links))
    assert len(problems) == 1 and "cycle" in problems[0]


def test_parenthood_line_deeper_than_the_recursion_limit_is_checked():
    # 5,000 generations: the cycle check walks with its own stack, not recursion.
    ids = [f"g{i}" for i in range(5000)]
    links = [_parent(ids[i + 1], ids[i]) for i in range(len(ids) - 1)]
    assert validate_case(family(_people(*ids), links)) == []
    problems = validate_case(family(_people(*ids), [*links, _parent(ids[0], ids[-1])]))
    assert len(problems) == 1 and "parenthood forms a cycle (g0 -> g1 -> g2" in problems[0]


def test_parenthood_diamond_is_not_a_cycle():
    # Two parents sharing a parent (cousins marrying is out of scope; half-siblings are not)
    people = _people("k", "m", "v", "o")
    links = [_parent("m", "k"), _parent("v", "k"), _parent("o", "m"), _parent("o", "v")]
    assert validate_case(family(people, links)) == []


# The index person


def test_index_missing_is_refused():
    doc = make_case()
    doc["persons"][0]["index"] = False
    assert validate_case(doc) == ['persons: no person has "index": true']


def test_index_several_children_are_accepted():
    doc = make_case()
    doc["persons"][1]["index"] = True
    assert validate_case(doc) == []


def test_persons_empty_is_refused():
    assert validate_case(make_case(persons=[], relations=[], network=[])) == [
        "persons: must hold at least one person"
    ]


def test_persons_missing_is_refused():
    doc = make_case(relations=[], network=[])
    del doc["persons"]
    assert validate_case(doc) == ["persons: is required"]


# Placements


def _placements(*spans):
    # Where the factory's child lives now ("Woont nu" must agree with a running placement).
    return [{"residence": "secure", "start": start, "end": end} for start, end in spans]


def test_placements_out_of_order_are_refused():
    doc = make_case()
    doc["persons"][0]["placements"] = _placements(
        ("2019-01-01", "2019-06-01"), ("2018-01-01", "2018-06-01"), ("2020-01-01", None)
    )
    assert validate_case(doc) == [
        "persons[0].placements[1].start: placements must be in order of start date"
    ]


def test_placement_end_before_start_is_refused():
    doc = make_case()
    doc["persons"][0]["placements"] = _placements(("2019-06-01", "2019-01-01"))
    assert validate_case(doc) == [
        "persons[0].placements[0].end: 2019-01-01 is before start 2019-06-01"
    ]


def test_placements_two_open_are_refused():
    doc = make_case()
    doc["persons"][0]["placements"] = _placements(("2018-01-01", None), ("2019-01-01", None))
    problems = validate_case(doc)
    assert problems[0] == (
        "persons[0].placements[1].end: a second open placement "
        "(persons[0].placements[0] has no end either)"
    )


def test_placement_open_before_a_closed_one_is_refused():
    doc = make_case()
    doc["persons"][0]["placements"] = _placements(
        ("2018-01-01", None), ("2019-01-01", "2019-02-01")
    )
    assert validate_case(doc) == [
        "persons[0].placements[0].end: only the last placement may be open"
    ]


def test_placement_without_end_key_counts_as_open():
    doc = make_case()
    doc["persons"][0]["placements"] = [
        {"residence": "foster", "start": "2018-01-01"},
        {"residence": "foster", "start": "2019-01-01"},
    ]
    assert paths(doc)[0] == "persons[0].placements[1].end"


def test_placement_missing_start_is_refused():
    doc = make_case()
    del doc["persons"][0]["placements"][0]["start"]
    assert validate_case(doc) == ["persons[0].placements[0].start: is required"]


# Dates and types


@pytest.mark.parametrize(
    "value", ["2020-02-30", "2021-02-29", "2020-13-01", "2020-1-1", "01-02-2020", "2020-01-01\n",
              "2020-01-01T00:00", "２０２０-01-01", "", 20200101]
)  # fmt: skip
def test_date_invalid_is_refused(value):
    assert validate_case(make_case(started=value)) == [
        f"started: {value!r} is not a date in the form YYYY-MM-DD"
    ]


def test_date_leap_day_is_valid():
    assert validate_case(make_case(started="2020-02-29")) == []


@pytest.mark.parametrize("path", [("persons", 0, "placements", 0, "end"), ("outcome", "date")])
def test_date_invalid_in_nested_field_is_named(path):
    doc = make_case()
    _set(doc, path, "2020-02-30")
    assert validate_case(doc) == [
        ".".join(str(p) for p in path).replace(".0", "[0]")
        + ": '2020-02-30' is not a date in the form YYYY-MM-DD"
    ]


@pytest.mark.parametrize("year", ["1975", True, False, 1975.0, 0, -44, THIS_YEAR + 1, [1975]])
def test_birth_year_wrong_type_or_range_is_refused(year):
    doc = make_case()
    doc["persons"][3]["birth_year"] = year
    assert validate_case(doc)[0] == (
        f"persons[3].birth_year: {year!r} is not a year from 1 to {THIS_YEAR}"
    )


@pytest.mark.parametrize("year", [1, 950, 1899])
def test_birth_year_from_year_one_to_this_year_is_valid(year):
    # Family trees imported from genealogy programs reach back to the middle ages.
    doc = make_case()
    doc["persons"][3]["birth_year"] = year
    assert validate_case(doc) == []


# List limits: persons and relations have room for imported family trees.


def _many_people(count):
    return [{"id": f"q{i}", "index": i == 0} for i in range(count)]


def test_persons_up_to_the_person_limit_are_valid():
    people = _many_people(MAX_PERSONS)
    links = [_parent(f"q{i + 1}", f"q{i}") for i in range(MAX_PERSONS - 1)]
    couples = [
        {"kind": "couple", "a": f"q{i}", "b": f"q{i + 2}", "status": "married"}
        for i in range(MAX_PERSONS - 2)
    ]
    assert len(links) + len(couples) <= MAX_RELATIONS
    assert validate_case(family(people, links + couples)) == []


def test_persons_over_the_person_limit_are_refused():
    problems = validate_case(family(_many_people(MAX_PERSONS + 1)))
    assert problems == [f"persons: has {MAX_PERSONS + 1} items, at most {MAX_PERSONS} allowed"]


def test_relations_over_the_relation_limit_are_refused():
    relations = [_parent("a", "b")] * (MAX_RELATIONS + 1)
    problems = validate_case(family(_people("a", "b"), relations))
    assert problems == [
        f"relations: has {MAX_RELATIONS + 1} items, at most {MAX_RELATIONS} allowed"
    ]


def test_other_lists_keep_the_item_limit():
    doc = make_case()
    doc["network"] = [{"id": f"n{i}", "partner": "informal"} for i in range(MAX_ITEMS + 1)]
    doc["persons"][0]["interests"] = ["lezen"] * (MAX_ITEMS + 1)
    assert validate_case(doc) == [
        f"persons[0].interests: has {MAX_ITEMS + 1} items, at most {MAX_ITEMS} allowed",
        f"network: has {MAX_ITEMS + 1} items, at most {MAX_ITEMS} allowed",
    ]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("title",), 5, "title: must be a string"),
        (("title",), "  ", "title: must not be empty"),
        (("narrative",), ["tekst"], "narrative: must be a string"),
        (("persons", 1, "index"), "true", "persons[1].index: must be true or false"),
        (("persons", 2, "deceased"), 1, "persons[2].deceased: must be true or false"),
        (("persons", 0, "problems"), "trauma", "persons[0].problems: must be a list"),
        (("persons", 0, "interests", 0), "", "persons[0].interests[0]: must be a non-empty string"),
        (("network", 0, "in_team"), "ja", "network[0].in_team: must be true or false"),
        (
            ("network", 0, "ties", 0, "stressful"),
            0,
            "network[0].ties[0].stressful: must be true or false",
        ),
        (("outcome", "returned_home"), "nee", "outcome.returned_home: must be true or false"),
        (("outcome",), [], "outcome: must be an object"),
        (("network", 0), "n1", "network[0]: must be an object"),
        (("code",), "Test_Gezin", "code: 'Test_Gezin' does not match [a-z0-9-]{2,64}"),
        (("code",), "x", "code: 'x' does not match [a-z0-9-]{2,64}"),
        (("code",), "test-gezin\n", "code: 'test-gezin\\n' does not match [a-z0-9-]{2,64}"),
        (("format",), "case/2", "format: 'case/2' is not 'case/1'"),
        (("title",), "x" * 201, "title: is 201 characters long, at most 200 allowed"),
        (("title",), "Gezin \ud800", "title: is not valid Unicode text"),
        (
            ("persons", 0, "interests", 0),
            "\udfff",
            "persons[0].interests[0]: is not valid Unicode text",
        ),
    ],
)
def test_field_wrong_type_is_named(path, value, message):
    doc = make_case()
    _set(doc, path, value)
    assert validate_case(doc) == [message]


def test_unknown_fields_are_named_at_every_level():
    doc = make_case(colour="blauw")
    doc["persons"][0]["bsn"] = "123456782"
    doc["persons"][0]["placements"][0]["adres"] = "Straat 1"
    doc["relations"][0]["since"] = 2001
    doc["network"][0]["ties"][0]["note"] = "x"
    doc["solutions"][0]["cost"] = 10
    doc["outcome"]["notes"] = "x"
    assert paths(doc) == [
        "colour",
        "persons[0].bsn",
        "persons[0].placements[0].adres",
        "relations[0].since",
        "network[0].ties[0].note",
        "solutions[0].cost",
        "outcome.notes",
    ]
    assert validate_case(doc)[0].startswith("colour: unknown field (known: format, code, title")


@pytest.mark.parametrize("field", ["format", "code", "title", "goal", "persons"])
def test_required_field_missing_is_named(field):
    doc = make_case()
    del doc[field]
    assert f"{field}: is required" in validate_case(doc)


@pytest.mark.parametrize("doc", [[], "case", 5, None, True])
def test_document_not_an_object_is_refused(doc):
    assert validate_case(doc) == ["must be an object"]


def test_every_problem_is_reported_at_once():
    doc = make_case(goal="weg", started="2020-02-30")
    doc["persons"][2]["sex"] = "man"
    doc["network"][0]["ties"][0]["person"] = "p9"
    assert paths(doc) == ["goal", "started", "persons[2].sex", "network[0].ties[0].person"]


def test_issue_has_a_dutch_sentence():
    doc = make_case(goal="weg")
    (issue,) = check_case(doc)
    assert issue.dutch.startswith("Kies een van: terug naar huis")


def test_case_format_error_lists_every_issue():
    doc = make_case(goal="weg", started="2020-02-30")
    with pytest.raises(CaseFormatError) as caught:
        canonical_case(doc)
    assert [str(i) for i in caught.value.issues] == validate_case(doc)
    assert "goal: 'weg'" in str(caught.value)


# Lists of cases


def test_list_problem_paths_are_prefixed_with_the_position():
    bad = make_case("tweede", started="2020-02-30")
    bad["persons"][2]["sex"] = "man"
    with pytest.raises(CaseFormatError) as caught:
        parse_cases([make_case("eerste"), bad, "geen casus"])
    assert [str(i) for i in caught.value.issues] == [
        "[1].started: '2020-02-30' is not a date in the form YYYY-MM-DD",
        "[1].persons[2].sex: 'man' is not one of female, male, other, unknown",
        "[2]: must be an object",
    ]


def test_list_duplicate_code_is_named_at_the_second():
    with pytest.raises(CaseFormatError) as caught:
        parse_cases([make_case("zelfde"), make_case("zelfde")])
    assert [str(i) for i in caught.value.issues] == [
        "[1].code: 'zelfde' is used twice (also at [0])"
    ]


@pytest.mark.parametrize("data", [[], "case", 5, None])
def test_parse_cases_nothing_usable_is_refused(data):
    with pytest.raises(CaseFormatError) as caught:
        parse_cases(data)
    assert len(caught.value.issues) == 1


def test_parse_cases_one_object_gives_one_case():
    assert parse_cases(make_case()) == [canonical_case(make_case())]


def test_parse_cases_list_gives_canonical_cases_in_order():
    docs = [make_case("een"), make_case("twee"), make_case("drie")]
    assert [c["code"] for c in parse_cases(docs)] == ["een", "twee", "drie"]


# Canonical form


def test_canonical_fills_defaults():
    doc = {
        "format": "case/1",
        "code": "kaal",
        "title": "Kaal",
        "goal": "family_strengthening",
        "persons": [{"id": "p1", "index": True}, {"id": "p2"}],
        "relations": [
            {"kind": "parent", "parent": "p2", "child": "p1"},
        ],
        "network": [{"id": "n1", "partner": "gp", "ties": [{"person": "p1"}]}],
        "solutions": [{"title": "Iets"}],
    }
    case = canonical_case(doc)
    assert case["status"] == "active"
    assert case["region"] is None and case["started"] is None and case["narrative"] is None
    assert case["outcome"] == {"returned_home": None, "family_contact_improved": None, "date": None}
    assert case["persons"][1] == {
        "id": "p2",
        "name": None,
        "sex": "unknown",
        "birth_year": None,
        "deceased": False,
        "index": False,
        "problems": [],
        "interests": [],
        "strengths": [],
        "residence": None,
        "placements": [],
        "in_team": False,
        "household": None,
    }
    assert case["relations"] == [
        {"kind": "parent", "parent": "p2", "child": "p1", "type": "biological"}
    ]
    assert case["network"][0] == {
        "id": "n1",
        "name": None,
        "partner": "gp",
        "in_team": False,
        "ties": [{"person": "p1", "strength": "normal", "stressful": False, "flow": "both"}],
    }
    assert case["solutions"][0] == {
        "title": "Iets",
        "summary": None,
        "components": [],
        "partners": [],
        "addresses": [],
        "outcome": "ongoing",
    }


def test_canonical_has_every_documented_field_in_order():
    case = canonical_case(make_case())
    assert list(case) == [
        "format", "code", "title", "region", "goal", "status", "started", "narrative",
        "child_perspective", "persons", "relations", "network", "solutions", "outcome",
    ]  # fmt: skip


def test_canonical_open_placement_gets_end_null():
    case = canonical_case(make_case())
    assert case["persons"][0]["placements"][1]["end"] is None


def test_canonical_is_idempotent():
    for doc in (make_case(), contract_example()):
        once = canonical_case(doc)
        assert canonical_case(once) == once


def test_canonical_does_not_change_its_input():
    doc = make_case()
    before = copy.deepcopy(doc)
    canonical_case(doc)
    assert doc == before


def test_canonical_is_a_copy():
    doc = make_case()
    case = canonical_case(doc)
    case["persons"][0]["problems"].append("school")
    assert doc["persons"][0]["problems"] == ["trauma", "running_away"]


def assert_given_values_survive(given, kept, where="case"):
    """Every value in ``given`` appears unchanged at the same place in ``kept``."""
    if isinstance(given, dict):
        for key, value in given.items():
            assert key in kept, f"{where}.{key} was dropped"
            assert_given_values_survive(value, kept[key], f"{where}.{key}")
    elif isinstance(given, list):
        assert len(given) == len(kept), f"{where} changed length"
        for i, (one, other) in enumerate(zip(given, kept, strict=True)):
            assert_given_values_survive(one, other, f"{where}[{i}]")
    else:
        assert given == kept and type(given) is type(kept), f"{where}: {given!r} -> {kept!r}"


def test_canonical_keeps_every_given_value():
    doc = make_case()
    doc["persons"][1]["strengths"] = ["koken", "humor"]
    doc["persons"][1]["deceased"] = False
    doc["persons"][1]["index"] = False
    doc["network"][0]["ties"][0]["stressful"] = True
    doc["outcome"] = {"returned_home": False, "family_contact_improved": True, "date": "2021-01-01"}
    assert_given_values_survive(doc, canonical_case(doc))


def test_canonical_keeps_unusual_text_unchanged():
    # Control characters are refused (tests/test_security_controls.py); tab and line
    # breaks belong in long texts only.
    text = "  Zoë's ‘gezin’ — 100% _echt_ \\ 'quote' \"dubbel\" emoji 🐴 \u200d "
    doc = make_case(title=text.strip() or "x", narrative=text + "\n\t regel\r\n", region="")
    doc["persons"][0]["name"] = text[:120]
    doc["persons"][0]["interests"] = [text[:80]]
    assert_given_values_survive(doc, canonical_case(doc))


# --- optional fields since 2026-12: in_team, household, by ------------------------


def _with(persons=None, relations=None):
    return {
        "format": "case/1",
        "code": "velden",
        "title": "Velden",
        "goal": "return_home",
        "persons": persons or [{"id": "p1", "index": True}, {"id": "p2"}],
        "relations": relations or [],
    }


def test_in_team_and_household_round_trip_and_default():
    doc = _with(
        [
            {"id": "p1", "index": True, "household": "oma Ans"},
            {"id": "p2", "in_team": True, "household": "moeder"},
            {"id": "p3"},
        ]
    )
    case = canonical_case(doc)
    assert [(p["in_team"], p["household"]) for p in case["persons"]] == [
        (False, "oma Ans"),
        (True, "moeder"),
        (False, None),
    ]
    assert canonical_case(case) == case


def test_in_team_must_be_a_boolean_and_household_a_clean_label():
    problems = validate_case(
        _with(
            [
                {"id": "p1", "index": True, "in_team": "ja"},
                {"id": "p2", "household": "moe\u0007der"},
                {"id": "p3", "household": "x" * 61},
                {"id": "p4", "household": "  "},
            ]
        )
    )
    assert "persons[0].in_team: must be true or false" in problems
    assert any(p.startswith("persons[1].household: contains a control character") for p in problems)
    assert "persons[2].household: is 61 characters long, at most 60 allowed" in problems
    assert "persons[3].household: must not be empty (leave it out or null)" in problems


def test_by_of_abuse_and_conflict_round_trips_and_defaults_to_null():
    doc = _with(
        relations=[
            {"kind": "emotional", "a": "p1", "b": "p2", "quality": "abuse", "by": "p2"},
            {"kind": "emotional", "a": "p3", "b": "p1", "quality": "close"},
        ]
    )
    doc["persons"].append({"id": "p3"})
    doc["relations"].append({"kind": "emotional", "a": "p3", "b": "p2", "quality": "conflict"})
    case = canonical_case(doc)
    assert case["relations"][0]["by"] == "p2"
    assert "by" not in case["relations"][1]  # documented for abuse and conflict only
    assert case["relations"][2] == {
        "kind": "emotional", "a": "p3", "b": "p2", "quality": "conflict", "by": None,
    }  # fmt: skip
    assert canonical_case(case) == case


def test_by_is_refused_with_a_precise_path():
    problems = validate_case(
        _with(
            [{"id": "p1", "index": True}, {"id": "p2"}, {"id": "p3"}],
            [
                {"kind": "emotional", "a": "p1", "b": "p2", "quality": "close", "by": "p1"},
                {"kind": "emotional", "a": "p1", "b": "p3", "quality": "abuse", "by": "p2"},
                {"kind": "emotional", "a": "p2", "b": "p3", "quality": "conflict", "by": 3},
                {"kind": "couple", "a": "p1", "b": "p2", "status": "married", "by": "p1"},
            ],
        )
    )
    assert (
        "relations[0].by: only allowed when quality is abuse or conflict, not 'close'" in problems
    )
    assert (
        "relations[1].by: 'p2' is not one of the two persons of this relation ('p1' or 'p3')"
        in problems
    )
    assert (
        "relations[2].by: 3 is not one of the two persons of this relation ('p2' or 'p3')"
        in problems
    )
    assert any(p.startswith("relations[3].by: unknown field") for p in problems)


def test_a_running_placement_and_woont_nu_must_agree():
    doc = make_case()
    doc["persons"][0]["residence"] = "home"
    doc["persons"][0]["placements"] = [
        {"residence": "secure", "provider": "De Koppeling", "start": "2025-03-01", "end": None}
    ]
    assert validate_case(doc) == [
        "persons[0].residence: residence 'home' contradicts the running placement "
        "('secure' since 2025-03-01)"
    ]
    doc["persons"][0]["placements"][0]["end"] = "2025-09-01"  # ended: home again is fine
    assert validate_case(doc) == []
