"""The conference's pure parts: agenda steps, checks, carry-over, goal history."""

import datetime

import pytest

from conference import agenda, model


def test_default_agenda_runs_from_opening_to_closing():
    keys = agenda.DEFAULT_AGENDA
    assert keys[0] == "opening" and keys[-1] == "closing" and len(keys) == 9
    assert agenda.next_step(keys, "opening") == "family"
    assert agenda.previous_step(keys, "family") == "opening"
    assert agenda.next_step(keys, "closing") == "closing"  # the end stays the end
    assert agenda.previous_step(keys, "opening") == "opening"
    assert agenda.step_number(keys, 7) == "ideas"
    assert agenda.position(keys, "signals") == 5


def test_step_numbers_outside_the_agenda_are_refused():
    with pytest.raises(agenda.AgendaError, match="1 tot en met 9"):
        agenda.step_number(agenda.DEFAULT_AGENDA, 10)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (("opening", "pizza", "closing"), "Onbekende stap: pizza"),
        (("opening", "ideas", "ideas", "closing"), "maar één keer"),
        (("ideas", "closing"), "begint met de opening"),
        ((), "begint met de opening"),
    ],
)
def test_an_adapted_agenda_is_checked(keys, message):
    with pytest.raises(agenda.AgendaError, match=message):
        agenda.check_agenda(keys)


def test_a_shorter_agenda_is_fine():
    assert agenda.check_agenda(["opening", "ideas", "closing"]) == ("opening", "ideas", "closing")


def test_notes_need_a_kind_and_text_within_limits():
    assert model.check_note("idea", "  een  leasepaard ") == {
        "kind": "idea",
        "text": "een leasepaard",
    }
    with pytest.raises(model.ConferenceError) as error:
        model.check_note("gossip", "")
    assert set(error.value.problems) == {"kind", "text"}
    with pytest.raises(model.ConferenceError, match="Hooguit 500"):
        model.check_note("idea", "x" * 501)


@pytest.mark.parametrize("value", ["-1", "11", "zeven", "", None, "3.5"])
def test_scales_run_from_0_to_10(value):
    with pytest.raises(model.ConferenceError, match="0 tot en met 10"):
        model.check_scale(value)


def test_scale_values_are_whole_numbers():
    assert model.check_scale("0") == 0 and model.check_scale(" 10 ") == 10


def test_a_decision_needs_what_and_who_and_valid_dates():
    decision = model.check_decision(
        {"title": "Leasepaard regelen", "owner": "Jeugdbeschermer", "due": "2026-12-01",
         "lead": "Hein", "evaluate_on": "2027-01-15", "fallback": "Manege zoeken"}
    )  # fmt: skip
    assert decision["due"] == "2026-12-01" and decision["lead"] == "Hein"
    with pytest.raises(model.ConferenceError) as error:
        model.check_decision({"title": "", "owner": " ", "due": "morgen"})
    assert set(error.value.problems) == {"title", "owner", "due"}


def test_stale_versions_are_refused():
    model.check_version(3, "3")
    with pytest.raises(model.StaleEdit, match="Iemand anders"):
        model.check_version(4, "3")
    with pytest.raises(model.StaleEdit):
        model.check_version(4, None)


def test_carry_over_keeps_open_actions_and_marks_the_overdue():
    actions = [
        {"id": 1, "status": "open", "due": "2026-01-10", "title": "a"},
        {"id": 2, "status": "done", "due": "2026-01-01", "title": "b"},
        {"id": 3, "status": "open", "due": None, "title": "c"},
        {"id": 4, "status": "open", "due": "2026-03-01", "title": "d"},
    ]
    carried = model.carry_over(actions, datetime.date(2026, 2, 1))
    assert [a["id"] for a in carried] == [1, 4, 3]
    assert [a["overdue"] for a in carried] == [True, False, False]


def test_goal_history_shows_the_progress_over_conferences():
    scores = [
        {"held_on": "2026-03-01", "score": 6, "conference_id": 3},
        {"held_on": "2026-01-01", "score": 3, "conference_id": 1},
        {"held_on": "2026-02-01", "score": 4, "conference_id": 2},
    ]
    earlier, current, change = model.goal_history(scores, {"id": 3, "held_on": "2026-03-01"})
    assert earlier == [("2026-01-01", 3), ("2026-02-01", 4)]
    assert (current, change) == (6, 3)


def test_goal_history_excludes_the_conferences_own_score_and_later_ones():
    first = {"id": 1, "held_on": "2026-01-01"}
    only = [{"held_on": "2026-01-01", "score": 3, "conference_id": 1}]
    assert model.goal_history(only, first) == ([], 3, None)
    later = [*only, {"held_on": "2026-02-01", "score": 5, "conference_id": 2}]
    assert model.goal_history(later, first) == ([], 3, None)
    # A second conference that has not scored yet shows the first score as history.
    assert model.goal_history(only, {"id": 2, "held_on": "2026-02-01"}) == (
        [("2026-01-01", 3)],
        None,
        None,
    )
