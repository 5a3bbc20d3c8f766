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
