"""Every figure of the dashboard on hand-made cohorts where the answer is known."""

import datetime

import pytest

from patterns import outcomes as o
from patterns import tables


def child(placements=(), residence="home", pid="k"):
    return {
        "id": pid,
        "index": True,
        "deceased": False,
        "problems": [],
        "residence": residence,
        "placements": [{"residence": r, "start": s, "end": None} for r, s in placements],
    }


def record(
    rid,
    goal="return_home",
    *,
    returned=None,
    contact=None,
    kids=None,
    region="West",
    started="2025-01-01",
    status="active",
    problems=(),
    solutions=(),
    **extra,
):
    persons = kids if kids is not None else [child()]
    if problems:
        persons = [
            *persons,
            {
                "id": "o",
                "index": False,
                "deceased": False,
                "problems": list(problems),
                "placements": [],
            },
        ]
    case = {
        "code": f"g{rid}",
        "title": f"Gezin {rid}",
        "goal": goal,
        "region": region,
        "started": started,
        "status": status,
        "persons": persons,
        "solutions": list(solutions),
        "outcome": {"returned_home": returned, "family_contact_improved": contact, "date": None},
    }
    return {"id": rid, "title": case["title"], "case": case, **extra}


def by_goal(found):
    return {g["goal"]: g for g in found}


# Rates and the dash


def test_percent_rounds_half_up_and_empty_is_a_dash():
    assert o.percent(11 / 12) == "92%"
    assert o.percent(0.5) == "50%"
    assert o.percent(0.125) == "13%"
    assert o.percent(None) == o.DASH
    assert o.rate(3, 0) is None


def test_count_text_names_the_counts_behind_the_percentage():
    assert o.count_text(11, 12, "gezinnen") == "11 van 12 gezinnen, 92%"
    assert o.count_text(0, 0, "gezinnen") == f"0 gezinnen, {o.DASH}"


# Outcomes per goal and per child


def test_simba_twelve_families_aiming_home_eleven_returned():
    records = [record(i, returned=i < 11) for i in range(12)]
    home = by_goal(o.outcomes(records))["return_home"]
    assert (home["families"], home["successes"], home["percent"]) == (12, 11, "92%")
    assert home["rate"] == pytest.approx(11 / 12)
    assert home["pending"] == 0
    summary = tables.dashboard(records, datetime.date(2026, 1, 1), only=["outcomes"])
    assert "Terug naar huis: 11 van 12 gezinnen, 92%" in summary["outcomes"]["summary"][0]


def test_outcomes_per_child_count_index_children_of_successful_families():
    two = [child(pid="a"), child(pid="b")]
    records = [
        record(1, returned=True, kids=two),
        record(2, returned=False),
        record(3, returned=None),
        record(4, "family_strengthening", contact=True),
        record(5, "family_strengthening", contact=False, kids=two),
    ]
    found = by_goal(o.outcomes(records))
    home = found["return_home"]
    assert (home["families"], home["successes"], home["pending"]) == (3, 1, 1)
    assert home["per_child"] == {
        "children": 4,
        "successes": 2,
        "rate": 0.5,
        "percent": "50%",
        "pending": 1,
    }
    strengthening = found["family_strengthening"]
    assert (strengthening["families"], strengthening["successes"]) == (2, 1)
    assert strengthening["per_child"]["successes"] == 1
    assert strengthening["per_child"]["children"] == 3


def test_a_goal_without_families_shows_a_dash_not_a_division_by_zero():
    found = by_goal(o.outcomes([record(1, returned=True)]))
    empty = found["family_strengthening"]
    assert (empty["families"], empty["successes"], empty["rate"]) == (0, 0, None)
    assert empty["percent"] == o.DASH and empty["per_child"]["percent"] == o.DASH
    table = tables.outcomes_table([])
    assert all(row[4] == o.DASH for row in table["rows"])


def test_the_measure_of_the_other_goal_does_not_count():
    # A family-strengthening family that also went home is no return-home success.
    found = by_goal(o.outcomes([record(1, "family_strengthening", returned=True, contact=None)]))
    assert found["return_home"]["families"] == 0
    assert found["family_strengthening"]["successes"] == 0


# The cohort filter


def test_filter_by_region_period_goal_and_status():
    records = [
        record(1, region="West", started="2025-01-01"),
        record(2, region="Noord", started="2025-06-01"),
        record(3, "family_strengthening", region="West", started="2026-01-01"),
        record(4, region="West", started=None),
        record(5, region="West", status="closed"),
    ]
    ids = lambda found: [r["id"] for r in found]  # noqa: E731
    assert ids(o.filter_cohort(records, region="West")) == [1, 3, 4, 5]
    assert ids(o.filter_cohort(records, start="2025-02-01", end="2025-12-31")) == [2]
    assert ids(o.filter_cohort(records, end="2025-06-01")) == [1, 2, 5]
    assert ids(o.filter_cohort(records, goal="family_strengthening")) == [3]
    assert ids(o.select(records, {"status": "closed"})) == [5]
    assert ids(o.select(records, {"status": "", "region": "Noord"})) == [2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"start": "2025-13-01"}, "Gestart vanaf"),
        ({"end": "gisteren"}, "Gestart tot en met"),
        ({"goal": "naar_huis"}, "doel"),
        ({"start": "2026-01-01", "end": "2025-01-01"}, "begint na"),
    ],
)
def test_bad_filters_are_named_in_dutch(args, message):
    with pytest.raises(o.FilterError, match=message):
        o.check_filters(**args)


# Moves, network, goals, actions


def test_moves_before_and_after_the_first_conference():
    kid = child(
        [("residential", "2020-01-01"), ("secure", "2021-01-01"), ("kinship", "2024-03-01")]
    )
    other = child([("foster", "2023-01-01")], pid="b")
    records = [
        record(1, kids=[kid, other], first_conference="2024-01-01"),
        record(2, kids=[child([("foster", "2019-01-01")])]),  # no conference: apart
    ]
    m = o.moves(records)
    assert (m["children"], m["moves_before"], m["moves_after"]) == (2, 3, 1)
    assert m["mean_before"] == 1.5 and m["mean_after"] == 0.5
    assert m["children_moved_after"] == 1
    assert m["children_without_conference"] == 1
    assert o.moves([])["mean_before"] is None


def test_a_placement_starting_on_the_conference_day_counts_after():
    records = [record(1, kids=[child([("kinship", "2024-01-01")])], first_conference="2024-01-01")]
    assert (o.moves(records)["moves_before"], o.moves(records)["moves_after"]) == (0, 1)


def test_placements_within_the_network_and_where_children_live_now():
    records = [
        record(
            1,
            kids=[
                child([("secure", "2020-01-01"), ("kinship", "2021-01-01")], residence="kinship")
            ],
        ),
        record(2, kids=[child([("foster", "2020-01-01")], residence="foster")]),
        record(3, kids=[child([], residence="home")]),
    ]
    n = o.network_placements(records)
    assert (n["placements"], n["within_network"]) == (3, 1)
    assert (n["children"], n["now_home_or_network"]) == (3, 2)
    assert n["now"] == {"foster": 1, "home": 1, "kinship": 1}
    assert o.network_placements([])["rate"] is None


def test_parents_goals_reached_at_eight_and_improved_over_time():
    scores = {
        1: [{"held_on": "2025-01-01", "score": 3}, {"held_on": "2025-03-01", "score": 8}],
        2: [{"held_on": "2025-03-01", "score": 9}, {"held_on": "2025-01-01", "score": 6}],
        3: [{"held_on": "2025-02-01", "score": 7}],
        4: [],
    }
    g = o.parent_goals([record(1, goal_scores=scores)])
    assert (g["goals"], g["reached"]) == (3, 2)
    assert (g["scored_twice"], g["improved"]) == (2, 2)
    assert o.parent_goals([])["rate"] is None


def test_actions_done_on_time_late_overdue_and_not_yet_due():
    actions = [
        {"due": "2025-05-01", "status": "done", "done_at": "2025-05-01T18:00:00+00:00"},
        {"due": "2025-05-01", "status": "done", "done_at": "2025-05-02T08:00:00+00:00"},
        {"due": "2025-05-01", "status": "open", "done_at": None},
        {"due": "2025-07-01", "status": "open", "done_at": None},
        {"due": None, "status": "done", "done_at": "2025-01-01T00:00:00+00:00"},
    ]
    a = o.actions_on_time([record(1, actions=actions)], datetime.date(2025, 6, 1))
    assert (a["on_time"], a["late"], a["overdue"], a["judged"]) == (1, 1, 1, 3)
    assert (a["open_not_due"], a["without_due"]) == (1, 1)
    assert a["rate"] == pytest.approx(1 / 3)
    assert o.actions_on_time([], datetime.date(2025, 6, 1))["rate"] is None


# Signals


def test_missing_partners_and_who_joined_after_an_accepted_signal():
    records = [
        # Accepted, and the adult mental health service is now in the network: joined.
        record(
            1,
            signals=[],
            partners_present=["adult_mental_health"],
            decisions=[
                {
                    "rule": "r-ggz",
                    "decision": "accepted",
                    "partner": "adult_mental_health",
                    "reason": None,
                }
            ],
        ),
        # Accepted but still missing: not joined.
        record(
            2,
            signals=[{"rule": "r-ggz", "partner": "adult_mental_health"}],
            partners_present=[],
            decisions=[
                {
                    "rule": "r-ggz",
                    "decision": "accepted",
                    "partner": "adult_mental_health",
                    "reason": None,
                }
            ],
        ),
        # Dismissed: missing now, no acceptance.
        record(
            3,
            signals=[
                {"rule": "r-gem", "partner": "municipality"},
                {"rule": "r-ggz", "partner": "adult_mental_health"},
            ],
            decisions=[
                {
                    "rule": "r-gem",
                    "decision": "dismissed",
                    "partner": "municipality",
                    "reason": "later",
                }
            ],
        ),
    ]
    found = {p["partner"]: p for p in o.missing_partners(records)}
    ggz = found["adult_mental_health"]
    assert (ggz["missing_now"], ggz["decided"], ggz["accepted"], ggz["joined"]) == (2, 2, 2, 1)
    assert ggz["joined_rate"] == 0.5
    municipality = found["municipality"]
    assert (municipality["missing_now"], municipality["accepted"]) == (1, 0)
    assert municipality["joined_rate"] is None
    rules = {r["rule"]: r for r in o.rule_decisions(records, {"r-ggz": "GGZ ontbreekt"})}
    assert rules["r-ggz"]["title"] == "GGZ ontbreekt"
    assert (rules["r-ggz"]["fires_now"], rules["r-ggz"]["accepted"]) == (2, 2)
    assert rules["r-gem"]["dismissed"] == 1 and rules["r-gem"]["reasons"] == {"later": 1}
    table = tables.rules_table(records, {})
    assert any("later oppakken: 1" in row[4] for row in table["rows"])


# Problems and solutions


def test_problem_frequency_and_co_occurrence_matrix():
    records = [
        record(1, problems=["addiction", "debts"]),
        record(2, problems=["addiction", "psychiatric"]),
        record(3, problems=["addiction", "debts", "psychiatric"]),
        record(4),
    ]
    p = o.problems(records)
    assert p["codes"] == ["addiction", "psychiatric", "debts"]  # by frequency, then code order
    assert [x["families"] for x in p["problems"]] == [3, 2, 2]
    assert p["matrix"] == [[3, 2, 2], [2, 2, 1], [2, 1, 2]]
    assert o.problems([])["matrix"] == []


def test_a_problem_of_a_deceased_person_does_not_count():
    rec = record(1)
    rec["case"]["persons"].append({"id": "d", "deceased": True, "problems": ["addiction"]})
    assert o.problems([rec])["codes"] == []


def test_solution_components_with_their_problems_and_outcomes():
    records = [
        record(
            1,
            solutions=[
                {
                    "components": ["Leasepaard", "paardenfluisteraar"],
                    "addresses": ["trauma"],
                    "outcome": "worked",
                },
                {"components": ["leasepaard"], "addresses": ["school"], "outcome": "not_worked"},
            ],
        ),
        record(
            2,
            solutions=[
                {"components": ["leasepaard "], "addresses": ["trauma"], "outcome": "ongoing"}
            ],
        ),
    ]
    found = {c["component"]: c for c in o.solutions(records)}
    horse = found["leasepaard"]
    assert (horse["solutions"], horse["families"]) == (3, 2)
    assert horse["problems"] == ["trauma", "school"]
    assert horse["outcomes"] == {"worked": 1, "partly": 0, "not_worked": 1, "ongoing": 1}
    assert horse["worked_rate"] == 0.5
    assert found["paardenfluisteraar"]["worked_rate"] == 1.0
    assert o.solutions([]) == []


# Every table on an empty cohort


def test_every_table_of_an_empty_cohort_renders_without_error():
    found = tables.dashboard([], datetime.date(2026, 1, 1))
    assert list(found) == list(tables.TABLE_NAMES)
    assert found["groups"]["rows"] == []
    assert found["outcomes"]["summary"] == []
    assert found["outcomes"]["chart"] is None
    assert found["outcomes"]["empty"].startswith("Geen gezinnen met het doel")
    assert all(t["chart"] is None and t["empty"] for t in found.values())


# What active families have now


def _record(status="active", scores=(), actions=(), at_table=(), present=(), goal="return_home"):
    return {
        "id": status,
        "case": {"status": status, "goal": goal, "persons": [], "outcome": None},
        "goal_scores": {1: [{"score": s, "held_on": f"2026-0{i + 1}-01"} for i, s in
                            enumerate(scores)]},
        "actions": [{"status": a} for a in actions],
        "partners_at_table": list(at_table),
        "partners_present": list(present),
    }  # fmt: skip


def test_current_state_counts_active_families_only():
    records = [
        _record(scores=(4, 7), actions=("done", "open"), at_table=("ggz",), present=("school",)),
        _record(actions=("done",)),
        _record(status="closed", scores=(9,), actions=("open",), at_table=("ggz",)),
    ]
    s = o.current_state(records)
    assert s["families"] == 2
    assert (s["goals_scored"], s["families_scored"], s["mean_last_score"]) == (1, 1, 7.0)
    assert (s["actions_done"], s["actions"]) == (2, 3)
    assert s["families_with_partner_at_table"] == 1
    assert [(p["partner"], p["at_table"], p["involved"]) for p in s["partners"]] == [
        ("ggz", 1, 1),
        ("school", 0, 1),
    ]


def test_a_cohort_without_outcomes_has_no_outcome_chart_and_says_why():
    found = tables.dashboard(
        [_record(at_table=("ggz",))], datetime.date(2026, 1, 1), only=["now", "outcomes"]
    )
    assert found["outcomes"]["chart"] is None
    assert found["outcomes"]["empty"].startswith("Nog geen uitkomsten")
    assert "–" in found["outcomes"]["rows"][0] and "0%" not in found["outcomes"]["rows"][0]
    assert found["outcomes"]["summary"] == ["Terug naar huis: nog geen uitkomst (1 gezin)"]
    assert found["now"]["chart"] is not None and found["now"]["empty"] is None
    assert found["now"]["summary"][1] == "Acties gedaan: nog geen acties afgesproken"
