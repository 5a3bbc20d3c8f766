"""Consent rules (WGBO/Jeugdwet) with hand-made cases and a fixed day: pure, no app."""

import datetime

import pytest

from privacy import consent
from privacy.consent import CHILD, GUARDIAN, PARENT, consent_status, publication_allowed

TODAY = datetime.date(2024, 6, 1)


def person(pid, name, birth_year=None, *, index=False, deceased=False):
    return {
        "id": pid,
        "name": name,
        "birth_year": birth_year,
        "index": index,
        "deceased": deceased,
    }


def parent_of(parent, child, kind="biological"):
    return {"kind": "parent", "parent": parent, "child": child, "type": kind}


def family(child_year, *, parents=(("m", "Moeder"), ("v", "Vader")), network=(), extra=()):
    """An index child ``k`` born in ``child_year`` with biological ``parents``."""
    persons = [person("k", "Kim", child_year, index=True)]
    relations = []
    for pid, name in parents:
        persons.append(person(pid, name, 1980))
        relations.append(parent_of(pid, "k"))
    return {
        "persons": persons + [p for p in extra if "kind" not in p],
        "relations": relations + [r for r in extra if "kind" in r],
        "network": list(network),
    }


def guardian(mid="n1", name="Jeugdbeschermer"):
    return {"id": mid, "name": name, "partner": "youth_protection", "in_team": True, "ties": []}


def entry(pid, decision, subject="library", at="2024-05-01T10:00:00+00:00", entry_id=1):
    return {
        "id": entry_id,
        "person_id": pid,
        "subject": subject,
        "decision": decision,
        "recorded_at": at,
    }


def given(*pids, subject="library"):
    return [entry(pid, "given", subject, entry_id=i) for i, pid in enumerate(pids, 1)]


def required(case, today=TODAY):
    holders, _, _ = consent.required_holders(case, today)
    return {(h.person_id, h.role) for h in holders}


# Age rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_year", "child_asked", "parents_asked"),
    [
        (2024, False, True),  # born this year
        (2013, False, True),  # year difference 11: at most 11
        (2012, True, True),  # difference 12: may be 12 already, so the child is asked too
        (2010, True, True),  # 13 or 14
        (2009, True, True),  # 14 or 15
        (2008, True, True),  # difference 16: may still be 15, so the parents are asked too
        (2007, True, False),  # difference 17: at least 16, the child decides alone
        (1990, True, False),
        (None, True, True),  # unknown: ask both
    ],
)
def test_who_decides_by_year_difference_is_conservative(birth_year, child_asked, parents_asked):
    child, parents, reason = consent.who_decides(birth_year, TODAY)
    assert (child, parents) == (child_asked, parents_asked)
    assert reason  # a Dutch reason for every outcome


def test_who_decides_explains_the_boundaries_in_dutch():
    assert "kan al 12 zijn" in consent.who_decides(2012, TODAY)[2]
    assert "kan nog 15 zijn" in consent.who_decides(2008, TODAY)[2]
    assert "onder de 12 jaar beslissen de ouders" in consent.who_decides(2015, TODAY)[2]
    assert "vanaf 16 jaar beslist het kind zelf" in consent.who_decides(2000, TODAY)[2]
    assert "geboortejaar is onbekend" in consent.who_decides(None, TODAY)[2]


def test_possible_ages_are_the_two_ages_a_birth_year_allows():
    assert consent.possible_ages(2012, TODAY) == (11, 12)
    assert consent.possible_ages(2024, TODAY) == (0, 0)
    assert consent.possible_ages(None, TODAY) is None


def test_same_child_moves_from_parents_to_both_to_alone_over_the_years():
    case = family(2010)
    assert required(case, datetime.date(2021, 12, 31)) == {("m", PARENT), ("v", PARENT)}
    assert required(case, datetime.date(2022, 1, 1)) == {
        ("k", CHILD),
        ("m", PARENT),
        ("v", PARENT),
    }
    assert required(case, datetime.date(2026, 12, 31)) == {
        ("k", CHILD),
        ("m", PARENT),
        ("v", PARENT),
    }
    assert required(case, datetime.date(2027, 1, 1)) == {("k", CHILD)}


# Who the parents are -----------------------------------------------------------------


def test_legal_parents_are_living_biological_or_adoptive_parents_of_the_child():
    case = family(
        2016,
        parents=(("m", "Moeder"),),
        extra=[
            person("a", "Adoptiefvader", 1975),
            person("p", "Pleegmoeder", 1970),
            person("s", "Stiefvader", 1979),
            person("d", "Overleden vader", 1978, deceased=True),
            person("b", "Broer", 2010),
            person("o", "Opa", 1950),
            parent_of("a", "k", "adoptive"),
            parent_of("p", "k", "foster"),
            parent_of("s", "k", "step"),
            parent_of("d", "k"),
            parent_of("m", "b"),
            parent_of("o", "m"),  # a grandparent is the parent of a parent, not of the child
        ],
    )
    assert [p["id"] for p in consent.legal_parents(case, "k")] == ["m", "a"]
    assert required(case) == {("m", PARENT), ("a", PARENT)}


def test_guardian_decides_when_no_legal_parent_is_alive():
    case = family(
        2016,
        parents=(),
        network=[guardian(), {"id": "n2", "name": "Buurvrouw", "partner": "informal"}],
        extra=[person("d", "Moeder", 1980, deceased=True), parent_of("d", "k")],
    )
    status = consent_status(case, [], "library", TODAY)
    assert [(h.person_id, h.role) for h in status.required] == [("n1", GUARDIAN)]
    assert any("voogd" in line for line in status.explanations)
    assert consent_status(case, given("n1"), "library", TODAY).allowed


def test_guardian_decides_beside_a_child_of_twelve_to_fifteen_without_parents():
    case = family(2010, parents=(), network=[guardian()])
    assert required(case) == {("k", CHILD), ("n1", GUARDIAN)}
    assert not consent_status(case, given("k"), "library", TODAY).allowed
    assert consent_status(case, given("k", "n1"), "library", TODAY).allowed


def test_guardian_is_not_asked_while_a_legal_parent_lives():
    case = family(2016, parents=(("m", "Moeder"),), network=[guardian()])
    assert required(case) == {("m", PARENT)}


def test_no_guardian_needed_when_the_child_decides_alone():
    case = family(2000, parents=(), network=[])
    status = consent_status(case, given("k"), "library", TODAY)
    assert status.allowed
    assert [h.person_id for h in status.required] == ["k"]


def test_without_parent_or_guardian_consent_cannot_be_complete():
    case = family(2016, parents=(), network=[])
    status = consent_status(case, given("k"), "library", TODAY)
    assert not status.allowed
    assert "leg eerst de voogd vast" in status.message
    assert any("geen voogd" in line for line in status.explanations)


def test_every_index_child_needs_its_own_consent():
    case = family(2016, extra=[person("k2", "Lotte", 2005, index=True)])
    assert required(case) == {("m", PARENT), ("v", PARENT), ("k2", CHILD)}
    assert not consent_status(case, given("m", "v"), "library", TODAY).allowed
    assert consent_status(case, given("m", "v", "k2"), "library", TODAY).allowed


def test_a_case_without_index_child_never_allows():
    case = {"persons": [person("v", "Vader", 1980)], "relations": [], "network": []}
    status = consent_status(case, given("v"), "library", TODAY)
    assert not status.allowed and not status.required


# consent_status --------------------------------------------------------------------


def test_under_twelve_every_parent_must_consent():
    case = family(2016)
    status = consent_status(case, given("m"), "library", TODAY)
    assert not status.allowed
    assert [h.person_id for h in status.given] == ["m"]
    assert [h.person_id for h in status.missing] == ["v"]
    assert status.message == (
        "Nog geen instemming voor geanonimiseerd delen in de oplossingenbibliotheek: "
        "nog niet gegeven door Vader (ouder)."
    )
    assert consent_status(case, given("m", "v"), "library", TODAY).allowed


def test_under_twelve_the_child_is_not_asked():
    status = consent_status(family(2016), given("m", "v"), "library", TODAY)
    assert "k" not in [h.person_id for h in status.required]


def test_twelve_to_fifteen_needs_the_child_and_the_parents():
    case = family(2010)
    assert not consent_status(case, given("k"), "library", TODAY).allowed
    assert not consent_status(case, given("m", "v"), "library", TODAY).allowed
    status = consent_status(case, given("k", "m", "v"), "library", TODAY)
    assert status.allowed
    assert status.message == (
        "Instemming voor geanonimiseerd delen in de oplossingenbibliotheek is compleet."
    )


def test_from_sixteen_the_child_decides_alone_even_against_the_parents():
    case = family(2006)
    consents = given("k") + [entry("m", "refused", entry_id=9)]
    status = consent_status(case, consents, "library", TODAY)
    assert status.allowed
    assert [h.person_id for h in status.required] == ["k"]


def test_one_refusal_blocks_whatever_the_others_said():
    case = family(2010)
    consents = given("k", "m") + [entry("v", "refused", entry_id=5)]
    status = consent_status(case, consents, "library", TODAY)
    assert not status.allowed
    assert [h.person_id for h in status.refused] == ["v"]
    assert "geweigerd of ingetrokken door Vader (ouder)" in status.message


def test_latest_decision_counts_and_history_is_kept():
    case = family(2006)
    history = [
        entry("k", "given", at="2024-01-01T10:00:00+00:00", entry_id=1),
        entry("k", "withdrawn", at="2024-03-01T10:00:00+00:00", entry_id=2),
    ]
    status = consent_status(case, history, "library", TODAY)
    assert not status.allowed
    assert status.decisions[0].value == "withdrawn"
    history.append(entry("k", "given", at="2024-04-01T10:00:00+00:00", entry_id=3))
    assert consent_status(case, history, "library", TODAY).allowed


def test_order_is_by_time_then_id_not_by_list_position():
    case = family(2006)
    later = entry("k", "refused", at="2024-02-01T10:00:00+00:00", entry_id=2)
    earlier = entry("k", "given", at="2024-01-01T10:00:00+00:00", entry_id=1)
    assert not consent_status(case, [later, earlier], "library", TODAY).allowed
    same_moment = [entry("k", "given", entry_id=4), entry("k", "refused", entry_id=3)]
    assert consent_status(case, same_moment, "library", TODAY).allowed


def test_consent_counts_only_for_its_own_subject():
    case = family(2006)
    team_only = given("k", subject="team")
    assert consent_status(case, team_only, "team", TODAY).allowed
    assert not consent_status(case, team_only, "conference", TODAY).allowed
    assert not publication_allowed(case, team_only, TODAY)


def test_decisions_list_every_required_holder_with_or_without_a_decision():
    status = consent_status(family(2010), given("m", subject="team"), "team", TODAY)
    assert [(d.holder.person_id, d.value) for d in status.decisions] == [
        ("k", None),
        ("m", "given"),
        ("v", None),
    ]
    assert status.subject_label == "gegevens delen met het team"
    assert status.decisions[0].holder.role_label == "kind"


def test_unknown_subject_is_an_error():
    with pytest.raises(ValueError):
        consent_status(family(2010), [], "advertising", TODAY)


def test_publication_needs_complete_library_consent():
    case = family(2010)
    assert not publication_allowed(case, [], TODAY)
    assert not publication_allowed(case, given("k", "m"), TODAY)
    assert publication_allowed(case, given("k", "m", "v"), TODAY)


def test_publication_of_the_test_family_follows_the_age_of_its_child():
    """The shared test family: Sanne (2008), father alive, mother deceased, a jeugdbeschermer."""
    from tests.factories import make_case

    case = make_case()
    day = datetime.date(2024, 6, 1)  # Sanne is 15 or 16: her father is asked too
    assert required(case, day) == {("p1", CHILD), ("p2", PARENT)}
    assert not publication_allowed(case, given("p1"), day)
    assert publication_allowed(case, given("p1", "p2"), day)
    assert publication_allowed(case, given("p1"), datetime.date(2025, 1, 1))


# Recording -------------------------------------------------------------------------


def test_holder_choices_are_living_persons_and_possible_guardians():
    case = family(
        2010,
        network=[guardian(), {"id": "n2", "name": "Buurvrouw", "partner": "informal"}],
        extra=[person("d", "Opa", 1940, deceased=True)],
    )
    assert consent.holder_choices(case) == [
        ("k", "Kim (indexkind)"),
        ("m", "Moeder"),
        ("v", "Vader"),
        ("n1", "Jeugdbeschermer (voogd)"),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"person_id": ""}, "Kies wie de beslissing neemt."),
        ({"person_id": "n2"}, "Kies wie de beslissing neemt."),  # not a guardian
        ({"person_id": "d"}, "Kies wie de beslissing neemt."),  # deceased
        ({"subject": "reclame"}, "Kies waarvoor de instemming geldt."),
        ({"decision": "maybe"}, "Kies gegeven, geweigerd of ingetrokken."),
        ({"note": "x" * 1001}, "Een toelichting heeft hooguit 1000 tekens."),
    ],
)
def test_validate_decision_refuses_with_a_dutch_message(changes, message):
    case = family(
        2010,
        network=[{"id": "n2", "name": "Buurvrouw", "partner": "informal"}],
        extra=[person("d", "Opa", 1940, deceased=True)],
    )
    values = {"person_id": "k", "subject": "library", "decision": "given", "note": ""}
    values.update(changes)
    with pytest.raises(consent.ConsentError, match=message):
        consent.validate_decision(case, **values)


def test_validate_decision_cleans_the_note():
    case = family(2010, network=[guardian()])
    assert consent.validate_decision(
        case, person_id=" n1 ", subject="team", decision="refused", note="  "
    ) == {"person_id": "n1", "subject": "team", "decision": "refused", "note": None}
