"""Counting the rules that fire across families: remembered per family version."""

import datetime

from cases import store as cases_store
from privacy import erasure
from rules import service
from rules import store as rules_store
from rules.loader import load_rules

TODAY = datetime.date(2026, 11, 23)


def active(db):
    return cases_store.list_families(db, status="active", limit=None)


def counted(db, ruleset, calls, today=TODAY, families=None):
    """fired_across_families, with the number of families actually evaluated."""
    real = service.signals_for_case

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    service.signals_for_case = counting
    try:
        return service.fired_across_families(db, ruleset, families or active(db), today=today)
    finally:
        service.signals_for_case = real


def test_counts_each_family_once_per_rule_and_recounts_only_what_changed(db):
    ruleset = load_rules()
    calls = []
    first = counted(db, ruleset, calls)
    families = len(active(db))
    assert calls == [1] * families and first  # every family evaluated once
    # Direct check of one rule's count against the families themselves.
    rule, count = next(iter(first.items()))
    expected = 0
    for row in active(db):
        _, case = cases_store.load_family(db, row["code"])
        team = rules_store.participants(db, row["id"])
        expected += rule in {
            s["rule"] for s in service.signals_for_case(ruleset, case, team_persons=team)
        }
    assert count == expected

    calls.clear()
    assert counted(db, ruleset, calls) == first and calls == []  # nothing changed

    # An edit (a new version) of one family: only that family is evaluated again, and
    # the count follows its facts (its parent's psychiatric problem is gone).
    _, case = cases_store.load_family(db, "test-gezin")
    for person in case["persons"]:
        person["problems"] = []
    cases_store.save_case(db, case, replace=True)
    calls.clear()
    after = counted(db, ruleset, calls)
    assert calls == [1]
    assert after != first


def test_another_rule_set_or_another_day_counts_afresh(db):
    ruleset = load_rules()
    calls = []
    counted(db, ruleset, calls)
    calls.clear()
    counted(db, load_rules(), calls)  # rules loaded again (changed files)
    assert len(calls) == len(active(db))
    calls.clear()
    counted(db, service._remembered["ruleset"], calls, today=TODAY + datetime.timedelta(1))
    assert len(calls) == len(active(db))  # ages move with the day


def test_a_family_erased_meanwhile_is_skipped(db):
    families = active(db)
    gone = next(row for row in families if row["code"] == "ander-gezin")
    erasure.erase_family(db, gone["id"], gone["code"])
    calls = []
    counts = counted(db, load_rules(), calls, families=families)
    assert len(calls) == len(families) - 1
    assert all(value <= len(families) - 1 for value in counts.values())


def test_the_latest_conference_says_who_sat_at_the_table(db):
    from rules.service import latest_table, latest_tables

    family_id = db.execute("SELECT id FROM families LIMIT 1").fetchone()[0]
    assert latest_table(db, family_id) == ((), ())
    for held_on, partner, name in (
        ("2026-01-10", "housing", "Woningcorporatie"),
        ("2026-03-10", "adult_mental_health", "Vader"),
    ):
        conference = db.execute(
            "INSERT INTO conferences (family_id, held_on, agenda, step, created_at) "
            "VALUES (?, ?, 'opening', 'opening', '2026-01-01')",
            [family_id, held_on],
        ).lastrowid
        db.execute(
            "INSERT INTO conference_participants (conference_id, name, partner, present) "
            "VALUES (?, ?, ?, 1)",
            [conference, name, partner],
        )
        db.execute(
            "INSERT INTO conference_participants (conference_id, name, partner, present) "
            "VALUES (?, 'Afwezige', 'gp', 0)",
            [conference],
        )
    assert latest_table(db, family_id) == (("adult_mental_health",), ("Vader",))
    assert latest_tables(db)[family_id] == latest_table(db, family_id)
