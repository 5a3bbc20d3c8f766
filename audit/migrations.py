"""Schema of the access log. Never edit an applied step: add a new one.

The log is append-only: triggers refuse every UPDATE and DELETE, so not even a bug or a
hand-typed SQL statement in the app can rewrite history.
"""

from sqlite_utils.migrations import Migrations

migrations = Migrations("audit")


@migrations()
def create_access_log(db):
    db.executescript(
        """
        CREATE TABLE access_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            outcome TEXT NOT NULL,
            family_id INTEGER,
            family_code TEXT,
            object TEXT,
            user_id INTEGER,
            username TEXT,
            user_role TEXT,
            on_behalf_of TEXT,
            access_point TEXT,
            detail TEXT
        );
        CREATE INDEX access_log_family ON access_log(family_id, at);
        CREATE INDEX access_log_user ON access_log(user_id, at);
        CREATE INDEX access_log_at ON access_log(at);
        CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
        BEGIN
            SELECT RAISE(ABORT, 'access_log is append-only');
        END;
        CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
        BEGIN
            SELECT RAISE(ABORT, 'access_log is append-only');
        END;
        """
    )
