"""The retention decision (pure) and the recorded ends of care (database triggers)."""

import datetime
import sqlite3

import pytest

import domains
from cases import store as cases_store
from core import database
from privacy import erasure, retention
from privacy import migrations as privacy_migrations
from privacy import store as privacy_store
from tests.factories import make_case

D = datetime.date
REASON = "Rechter heeft vernietiging bevolen"


# The decision (pure) ---------------------------------------------------------------


def test_care_ended_is_first_and_latest_of_the_recorded_days():
    care = retention.care_ended(["2030-02-01", "2026-12-05", "2028-07-01"])
    assert care == retention.CareEnded(first=D(2026, 12, 5), last=D(2030, 2, 1))
    assert retention.care_ended([]) is None


def test_never_ended_care_may_be_erased_by_anyone():
    decision = retention.decide_erasure(care=None, is_admin=False, reason=None)
    assert decision.allowed and decision.retention_until is None and not decision.overridden


def test_inside_the_period_only_an_admin_with_a_reason_may_erase():
    care = retention.CareEnded(D(2024, 1, 15), D(2024, 1, 15))
    today = D(2030, 1, 1)
    refused = retention.decide_erasure(care=care, is_admin=False, reason=REASON, today=today)
    assert not refused.allowed and refused.retention_until == D(2044, 1, 15)
    assert refused.message == (
        "De bewaartermijn loopt tot en met 15 januari 2044: de hulp eindigde voor het eerst"
        " op 15 januari 2024. Alleen een beheerder kan met een reden toch wissen."
    )
    for reason in (None, "", "  te kort  "):
        decision = retention.decide_erasure(care=care, is_admin=True, reason=reason, today=today)
        assert not decision.allowed
        assert "Geef een reden van minstens 10 tekens" in decision.message
    decision = retention.decide_erasure(care=care, is_admin=True, reason=REASON, today=today)
    assert decision.allowed and decision.overridden


def test_the_period_runs_from_the_latest_end_and_its_last_day_counts():
    care = retention.CareEnded(D(2020, 3, 1), D(2025, 6, 30))
    assert retention.retention_until(care) == D(2045, 6, 30)
    on = D(2045, 6, 30)
    last_day = retention.decide_erasure(care=care, is_admin=False, reason=None, today=on)
    assert not last_day.allowed
    assert "het laatst op 30 juni 2025" in last_day.message
    after = retention.decide_erasure(care=care, is_admin=False, reason=None, today=D(2045, 7, 1))
    assert after.allowed and not after.overridden


def test_a_period_from_29_february_ends_on_28_february():
    assert retention.add_years(D(2024, 2, 29), 20) == D(2044, 2, 29)
    assert retention.add_years(D(2024, 2, 29), 21) == D(2045, 2, 28)


def test_a_period_past_the_calendar_ends_on_its_last_day():
    # An outcome date may be typed as 9999-12-31: the period never ends, nothing breaks.
    care = retention.CareEnded(D(2026, 12, 5), D(9990, 1, 1))
    assert retention.retention_until(care) == D.max
    decision = retention.decide_erasure(care=care, is_admin=False, reason=None)
    assert not decision.allowed and "31 december 9999" in decision.message


def test_the_decision_reads_today_from_one_place(monkeypatch):
    care = retention.CareEnded(D(2024, 1, 15), D(2024, 1, 15))
    monkeypatch.setattr(retention, "current_day", lambda: D(2044, 1, 16))
    assert retention.decide_erasure(care=care, is_admin=False, reason=None).allowed


# The recorded ends of care (triggers) ---------------------------------------------------


@pytest.fixture
def fresh():
    """A database with every migration and the two test families (both active)."""
    db = database.connect(":memory:")
    domains.init_db(db)
    cases_store.save_case(db, make_case())
    yield db
    db.close()


def app_day(db):
    day = db.execute("SELECT max(date('now'), date('now', 'localtime'))").fetchone()[0]
    return D.fromisoformat(day)


def family(db, code="test-gezin"):
    return cases_store.family_row(db, code)


def endings(db, code="test-gezin"):
    return [
        (row["ended_on"], row["event"])
        for row in privacy_store.care_endings(db, family(db, code)["id"])
    ]


def save(db, code="test-gezin", status="closed", date=None):
    doc = make_case(code, status=status)
    doc["outcome"] = {"returned_home": True, "family_contact_improved": None, "date": date}
    cases_store.save_case(db, doc, replace=True)


def test_closing_records_the_day_it_was_seen_once(fresh):
    assert endings(fresh) == []
    save(fresh)
    today = app_day(fresh).isoformat()
    assert endings(fresh) == [(today, "closed")]
    save(fresh)  # saved again while closed: nothing new ended
    assert endings(fresh) == [(today, "closed")]
    row = privacy_store.care_endings(fresh, family(fresh)["id"])[0]
    assert row["recorded_at"].startswith(today[:4]) and row["recorded_at"].endswith("+00:00")


def test_an_outcome_date_counts_only_when_later_than_the_closing(fresh):
    save(fresh, date="1990-01-01")
    assert endings(fresh) == [(app_day(fresh).isoformat(), "closed")]
    later = (app_day(fresh) + datetime.timedelta(days=40)).isoformat()
    doc = make_case("nieuw", status="closed")
    doc["outcome"] = {"returned_home": None, "family_contact_improved": None, "date": later}
    cases_store.save_case(fresh, doc)
    assert endings(fresh, "nieuw") == [(later, "closed")]


def test_while_closed_an_outcome_date_moved_later_extends_and_earlier_does_not(fresh):
    save(fresh, date="2024-05-01")
    first = app_day(fresh).isoformat()
    save(fresh, date="1990-01-01")
    assert endings(fresh) == [(first, "closed")]
    later = (app_day(fresh) + datetime.timedelta(days=400)).isoformat()
    save(fresh, date=later)
    assert endings(fresh) == [(first, "closed"), (later, "outcome_later")]
    care = privacy_store.care_ended(fresh, family(fresh)["id"])
    assert (care.first.isoformat(), care.last.isoformat()) == (first, later)


def test_reopening_keeps_the_end_and_closing_again_adds_one(fresh):
    save(fresh)
    today = app_day(fresh).isoformat()
    save(fresh, status="active")
    assert endings(fresh) == [(today, "closed")]
    save(fresh)
    assert endings(fresh) == [(today, "closed"), (today, "closed")]


def test_every_path_records_the_closing_even_plain_sql(fresh):
    # import_cases (CLI, demo, API POST) and a raw UPDATE go through the same trigger.
    cases_store.import_cases(fresh, [make_case("uit-bestand", status="closed")])
    assert [event for _day, event in endings(fresh, "uit-bestand")] == ["closed"]
    fresh.execute("UPDATE families SET status = 'closed' WHERE code = 'test-gezin'")
    assert [event for _day, event in endings(fresh)] == ["closed"]


def test_a_recorded_end_cannot_be_changed_or_removed(fresh):
    save(fresh)
    family_id = family(fresh)["id"]
    with pytest.raises(sqlite3.IntegrityError, match="never changes"):
        fresh.execute("UPDATE care_endings SET ended_on = '1990-01-01'")
    with pytest.raises(sqlite3.IntegrityError, match="only erasing the family"):
        fresh.execute("DELETE FROM care_endings WHERE family_id = ?", [family_id])
    assert len(endings(fresh)) == 1


def test_erasing_removes_the_recorded_end_with_the_family(fresh):
    save(fresh)
    family_id = family(fresh)["id"]
    with pytest.raises(erasure.RetentionRunning) as refused:
        erasure.erase_family(fresh, family_id, "test-gezin", is_admin=False)
    assert "Alleen een beheerder" in str(refused.value)
    assert family(fresh) is not None and len(endings(fresh)) == 1
    decision = erasure.erase_family(fresh, family_id, "test-gezin", is_admin=True, reason=REASON)
    assert decision.overridden
    assert fresh.execute("SELECT count(*) FROM care_endings").fetchone()[0] == 0
    # A family that takes the erased one's id later does not inherit its end of care.
    new_id = cases_store.save_case(fresh, make_case("opvolger"))
    assert privacy_store.care_ended(fresh, new_id) is None


def test_the_migration_records_families_closed_before_it_conservatively():
    db = database.connect(":memory:")
    for migrations in domains.migration_sets():
        stop = "create_care_endings" if migrations is privacy_migrations.migrations else None
        migrations.apply(db, stop_before=stop)
    assert "care_endings" not in db.table_names()
    for code in ("dicht", "open"):
        cases_store.save_case(db, make_case(code))
    db.execute(
        "UPDATE families SET status = 'closed', outcome_date = '1990-01-01',"
        " closed_at = '2019-03-01T10:00:00+00:00', updated_at = '2021-06-30T23:00:00+00:00'"
        " WHERE code = 'dicht'"
    )
    privacy_migrations.migrations.apply(db)
    assert endings(db, "dicht") == [("2021-06-30", "existing")]  # the last change, not 1990
    assert endings(db, "open") == []
    save(db, "open")  # and from now on the triggers record
    assert endings(db, "open") == [(app_day(db).isoformat(), "closed")]
    db.close()
