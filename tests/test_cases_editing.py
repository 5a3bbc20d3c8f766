"""Pure tests of the case edits: each returns a new, valid case and leaves its input alone."""

import copy

import pytest

from cases import editing
from cases.validation import canonical_case, check_case
from tests.factories import make_case


@pytest.fixture
def case():
    """A canonical case, as the store hands it to the editor."""
    return canonical_case(make_case())


def unchanged(case):
    """A deep copy to compare the input against afterwards."""
    return copy.deepcopy(case)


def test_update_situation_changes_fields_and_not_the_input(case):
    before = unchanged(case)
    new = editing.update_situation(case, title="Nieuwe titel", region=None, status="closed")
    assert new["title"] == "Nieuwe titel"
    assert new["region"] is None and new["status"] == "closed"
    assert new["persons"] == case["persons"]
    assert case == before
    assert check_case(new) == []


def test_update_situation_rejects_unknown_fields(case):
    with pytest.raises(TypeError):
        editing.update_situation(case, persons=[])


def test_new_id_is_one_past_the_highest_in_use(case):
    assert editing.new_id(case, "p") == "p5"
    assert editing.new_id(case, "n") == "n3"


def test_new_id_never_takes_an_id_a_network_member_uses(case):
    case["network"][0]["id"] = "p5"
    assert editing.new_id(case, "p") == "p6"


def test_new_id_does_not_fill_a_gap_below_an_id_still_in_use(case):
    case = editing.remove_person(case, "p3")
    assert editing.new_id(case, "p") == "p5"


def test_new_id_starts_at_one_when_no_id_has_the_prefix(case):
    for person, new_id in zip(case["persons"], ("anna", "bob", "carl", "dora"), strict=True):
        person["id"] = new_id
    case["relations"], case["network"] = [], []
    assert editing.new_id(case, "p") == "p1"


def test_add_person_appends_with_fresh_id_and_defaults(case):
    before = unchanged(case)
    new = editing.add_person(case, name="Tante Ria", birth_year=1970, problems=["debts"])
    added = new["persons"][-1]
    assert added["id"] == "p5"
    assert added["name"] == "Tante Ria" and added["problems"] == ["debts"]
    assert added["sex"] == "unknown" and added["index"] is False and added["placements"] == []
    assert len(new["persons"]) == len(case["persons"]) + 1
    assert case == before
    assert check_case(new) == []


def test_add_person_twice_gives_two_different_ids(case):
    new = editing.add_person(editing.add_person(case, name="A"), name="B")
    assert [p["id"] for p in new["persons"][-2:]] == ["p5", "p6"]


def test_update_person_changes_details_keeps_id_and_placements(case):
    before = unchanged(case)
    new = editing.update_person(case, "p1", name="Sanna", interests=["muziek"], residence="foster")
    person = editing.get_person(new, "p1")
    assert person["name"] == "Sanna" and person["interests"] == ["muziek"]
    assert person["residence"] == "foster"
    assert person["placements"] == editing.get_person(case, "p1")["placements"]
    assert case == before


def test_update_person_of_unknown_person_says_so_in_dutch(case):
    with pytest.raises(editing.NotFound, match="Persoon 'p9' bestaat niet"):
        editing.update_person(case, "p9", name="X")


def test_remove_person_drops_their_relations_and_ties(case):
    before = unchanged(case)
    new = editing.remove_person(case, "p2")
    assert [p["id"] for p in new["persons"]] == ["p1", "p3", "p4"]
    for relation in new["relations"]:
        assert "p2" not in editing.relation_persons(relation)
    # the couple p2-p3, parent p2->p1, parent p4->p2 and emotional p1-p2 all go
    assert new["relations"] == [
        {"kind": "parent", "parent": "p3", "child": "p1", "type": "biological"}
    ]
    assert case == before
    assert check_case(new) == []


def test_remove_person_drops_network_ties_but_keeps_the_members(case):
    new = editing.remove_person(case, "p1")
    assert [m["id"] for m in new["network"]] == ["n1", "n2"]
    assert all(member["ties"] == [] for member in new["network"])


def test_remove_unknown_person_raises_not_found(case):
    with pytest.raises(editing.NotFound):
        editing.remove_person(case, "p9")


def test_add_placement_keeps_history_in_date_order(case):
    before = unchanged(case)
    new = editing.add_placement(
        case, "p1", residence="foster", provider="Pleeggezin", start="2018-01-01", end="2019-09-01"
    )
    starts = [p["start"] for p in editing.get_person(new, "p1")["placements"]]
    assert starts == ["2018-01-01", "2019-09-01", "2020-02-01"]
    assert case == before
    assert check_case(new) == []


def test_add_placement_fills_missing_fields_with_none(case):
    new = editing.add_placement(case, "p2", residence="home", start="2021-01-01")
    assert editing.get_person(new, "p2")["placements"] == [
        {"residence": "home", "provider": None, "start": "2021-01-01", "end": None}
    ]


def test_add_placement_on_same_start_puts_the_running_one_last(case):
    new = editing.add_placement(case, "p2", residence="home", start="2021-01-01")
    new = editing.add_placement(new, "p2", residence="foster", start="2021-01-01", end="2021-01-01")
    assert [p["end"] for p in editing.get_person(new, "p2")["placements"]] == ["2021-01-01", None]


def test_update_placement_resorts_and_placement_position_finds_it(case):
    before = unchanged(case)
    values = {"residence": "residential", "provider": "Open groep", "start": "2021-01-01"}
    new = editing.update_placement(case, "p1", 0, **values, end="2021-06-01")
    placements = editing.get_person(new, "p1")["placements"]
    assert [p["start"] for p in placements] == ["2020-02-01", "2021-01-01"]
    assert editing.placement_position(new, "p1", {**values, "end": "2021-06-01"}) == 1
    assert case == before


def test_update_placement_with_bad_index_raises_not_found(case):
    with pytest.raises(editing.NotFound, match="plaatsing"):
        editing.update_placement(case, "p1", 5, provider="X")


def test_remove_placement(case):
    before = unchanged(case)
    new = editing.remove_placement(case, "p1", 0)
    assert [p["provider"] for p in editing.get_person(new, "p1")["placements"]] == ["De Koppeling"]
    assert case == before
    with pytest.raises(editing.NotFound):
        editing.remove_placement(case, "p1", -1)


@pytest.mark.parametrize(
    ("kind", "detail", "expected"),
    [
        ("couple", "married", {"kind": "couple", "a": "p1", "b": "p4", "status": "married"}),
        ("parent", "step", {"kind": "parent", "parent": "p1", "child": "p4", "type": "step"}),
        ("emotional", "close", {"kind": "emotional", "a": "p1", "b": "p4", "quality": "close"}),
    ],
)
def test_make_relation_uses_the_keys_of_its_kind(kind, detail, expected):
    assert editing.make_relation(kind, "p1", "p4", detail) == expected


def test_make_relation_of_unknown_kind_is_refused_in_dutch():
    with pytest.raises(editing.EditError, match="Kies een soort relatie"):
        editing.make_relation("friends", "p1", "p2", "close")


def test_add_update_remove_relation(case):
    before = unchanged(case)
    added = editing.add_relation(case, "emotional", "p1", "p4", "very_close")
    assert added["relations"][-1] == {
        "kind": "emotional",
        "a": "p1",
        "b": "p4",
        "quality": "very_close",
    }
    assert check_case(added) == []
    updated = editing.update_relation(added, 5, "emotional", "p4", "p1", "conflict")
    assert updated["relations"][5]["quality"] == "conflict"
    assert updated["relations"][5]["a"] == "p4"
    removed = editing.remove_relation(updated, 5)
    assert removed["relations"] == case["relations"]
    assert case == before


def test_relation_helpers_name_persons_and_detail(case):
    parent = case["relations"][1]
    assert editing.relation_persons(parent) == ("p2", "p1")
    assert editing.relation_detail(parent) == "biological"
    assert editing.relation_detail(case["relations"][0]) == "ended_by_death"


def test_relation_index_out_of_range_raises_not_found(case):
    with pytest.raises(editing.NotFound, match="relatie"):
        editing.update_relation(case, 99, "couple", "p1", "p2", "married")
    with pytest.raises(editing.NotFound):
        editing.remove_relation(case, 99)


def test_add_member_gets_a_fresh_network_id_and_no_ties(case):
    before = unchanged(case)
    new = editing.add_member(case, name="Buurvrouw", partner="informal")
    assert new["network"][-1] == {
        "id": "n3",
        "name": "Buurvrouw",
        "partner": "informal",
        "in_team": False,
        "ties": [],
    }
    assert case == before
    assert check_case(new) == []


def test_update_member_keeps_ties(case):
    new = editing.update_member(case, "n1", name="Paardenvrouw", in_team=False)
    member = editing.get_member(new, "n1")
    assert member["name"] == "Paardenvrouw" and member["in_team"] is False
    assert member["ties"] == editing.get_member(case, "n1")["ties"]


def test_remove_member_removes_their_ties_with_them(case):
    before = unchanged(case)
    new = editing.remove_member(case, "n1")
    assert [m["id"] for m in new["network"]] == ["n2"]
    assert case == before
    with pytest.raises(editing.NotFound, match="Netwerklid 'n9'"):
        editing.remove_member(case, "n9")


def test_add_update_remove_tie(case):
    before = unchanged(case)
    added = editing.add_tie(case, "n1", person="p2", strength="weak", stressful=True, flow="from")
    assert editing.get_tie(added, "n1", "p2") == {
        "person": "p2",
        "strength": "weak",
        "stressful": True,
        "flow": "from",
    }
    updated = editing.update_tie(added, "n1", "p2", person="p4", strength="strong")
    assert [t["person"] for t in editing.get_member(updated, "n1")["ties"]] == ["p1", "p4"]
    assert editing.get_tie(updated, "n1", "p4")["strength"] == "strong"
    removed = editing.remove_tie(updated, "n1", "p4")
    assert removed["network"] == case["network"]
    assert case == before


def test_add_tie_defaults(case):
    new = editing.add_tie(case, "n2", person="p2")
    assert editing.get_tie(new, "n2", "p2") == {
        "person": "p2",
        "strength": "normal",
        "stressful": False,
        "flow": "both",
    }


def test_tie_that_is_not_there_raises_not_found(case):
    with pytest.raises(editing.NotFound, match="band"):
        editing.update_tie(case, "n1", "p4", strength="weak")
    with pytest.raises(editing.NotFound):
        editing.remove_tie(case, "n9", "p1")


def test_an_edit_may_produce_an_invalid_case_for_validation_to_refuse(case):
    """The editor applies; validation judges (and names the place)."""
    new = editing.add_relation(case, "emotional", "p1", "p1", "close")
    assert [issue.path for issue in check_case(new)] == ["relations[5]"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("paarden, muziek", ["paarden", "muziek"]),
        (" paarden ,, muziek ,", ["paarden", "muziek"]),
        ("oude  brommers", ["oude brommers"]),
        ("paarden, paarden", ["paarden"]),
        ("", []),
        (None, []),
    ],
)
def test_split_words(text, words):
    assert editing.split_words(text) == words


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("persons[1].birth_year", "Persoon Vader"),
        ("persons[0].placements[1].end", "Persoon Sanne, plaatsing 2"),
        ("persons", "Personen"),
        ("relations[1]", "Relatie Vader en Sanne"),
        ("network[0].ties[0].person", "Netwerklid Paardenfluisteraar, band met Sanne"),
        ("title", "Situatie"),
        ("", "Gezin"),
        ("persons[42].name", "Gezin"),
    ],
)
def test_describe_names_the_place_of_an_issue_in_dutch(case, path, words):
    assert editing.describe(case, path) == words


def test_display_name_stands_in_for_a_missing_name(case):
    case["persons"][3]["name"] = None
    assert editing.display_name(case, "p4") == "Persoon p4"
    assert editing.display_name(case, "p1") == "Sanne"


def test_a_running_placement_moves_woont_nu_along_and_an_ended_one_leaves_it():
    case = canonical_case(make_case())
    father = case["persons"][1]  # lives at home, no placements
    assert father["residence"] == "home"
    placed = editing.add_placement(
        case, father["id"], residence="assisted_living", provider="Kwintes", start="2026-01-05"
    )
    assert editing.get_person(placed, father["id"])["residence"] == "assisted_living"
    assert check_case(placed) == []
    ended = editing.update_placement(placed, father["id"], 0, end="2026-06-01")
    assert editing.get_person(ended, father["id"])["residence"] == "assisted_living"  # kept
