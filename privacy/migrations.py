"""Schema of consent (instemming). Never edit an applied step: add a new one."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("privacy")


@migrations()
def create_consents(db):
    # One statement at a time: executescript() would commit the open transaction and
    # so split the step from its record. Rows are only ever added: the newest entry per
    # person and subject is the current decision, the older ones are its history.
    db.execute(
        """
        CREATE TABLE consents (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            person_id TEXT NOT NULL,
            subject TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('given', 'refused', 'withdrawn')),
            note TEXT,
            recorded_at TEXT NOT NULL,
            recorded_by INTEGER REFERENCES users(id) ON DELETE SET NULL
        )
        """
    )
    db.execute("CREATE INDEX consents_family ON consents(family_id, subject, person_id)")


# The day the app saw something happen: the later of the UTC and the local date, so
# that a closing just after midnight in one of them never counts as the day before.
_TODAY = "max(date('now'), date('now', 'localtime'))"
_NOW = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"


def _record_ending(ended_on, event):
    return (
        "INSERT INTO care_endings (family_id, ended_on, outcome_date, event, recorded_at)"
        f" VALUES (NEW.id, {ended_on}, NEW.outcome_date, '{event}', {_NOW});"
    )


# A closing counts from the later of the outcome date given and the day it was seen.
_CLOSING_DAY = f"max(coalesce(date(NEW.outcome_date), ''), {_TODAY})"


@migrations()
def create_care_endings(db):
    # The ends of care, recorded apart from the case, so that the retention period
    # (privacy/retention.py) follows from what happened and not from the case's status
    # or outcome date, which the team may edit. Rows are only ever added; the triggers
    # below write them in the same statement as the save that closed the family, on
    # every path that saves one. ON DELETE CASCADE: erasing the family removes them
    # (and a reused family id never inherits another family's end of care).
    db.execute(
        """
        CREATE TABLE care_endings (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            ended_on TEXT NOT NULL,
            outcome_date TEXT,
            event TEXT NOT NULL CHECK (event IN ('closed', 'outcome_later', 'existing')),
            recorded_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX care_endings_family ON care_endings(family_id, ended_on)")
    db.execute(
        f"""
        CREATE TRIGGER families_closed_on_insert AFTER INSERT ON families
        WHEN NEW.status = 'closed'
        BEGIN {_record_ending(_CLOSING_DAY, "closed")} END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER families_closed_on_update AFTER UPDATE OF status ON families
        WHEN NEW.status = 'closed' AND OLD.status IS NOT 'closed'
        BEGIN {_record_ending(_CLOSING_DAY, "closed")} END
        """
    )
    # Still closed, outcome date moved past every recorded end: care went on longer.
    db.execute(
        f"""
        CREATE TRIGGER families_care_end_moved_later AFTER UPDATE OF outcome_date ON families
        WHEN NEW.status = 'closed' AND OLD.status = 'closed'
        AND date(NEW.outcome_date) > coalesce(
            (SELECT max(ended_on) FROM care_endings WHERE family_id = NEW.id), '')
        BEGIN {_record_ending("date(NEW.outcome_date)", "outcome_later")} END
        """
    )
    db.execute(
        """
        CREATE TRIGGER care_endings_never_change BEFORE UPDATE ON care_endings
        BEGIN SELECT RAISE(ABORT, 'care_endings: a recorded end of care never changes'); END
        """
    )
    db.execute(
        """
        CREATE TRIGGER care_endings_kept_with_the_family BEFORE DELETE ON care_endings
        WHEN EXISTS (SELECT 1 FROM families WHERE id = OLD.family_id)
        BEGIN
            SELECT RAISE(ABORT, 'care_endings: only erasing the family removes its end of care');
        END
        """
    )
    # Families closed before this record existed: from the latest day the old data shows
    # (outcome date, closing day, last change), the longest reading of what is known.
    db.execute(
        "INSERT INTO care_endings (family_id, ended_on, outcome_date, event, recorded_at)"
        " SELECT id, max(coalesce(date(outcome_date), ''), coalesce(date(closed_at), ''),"
        f" coalesce(date(updated_at), '')), outcome_date, 'existing', {_NOW}"
        " FROM families WHERE status = 'closed'"
    )
