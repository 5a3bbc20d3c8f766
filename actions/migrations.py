"""Schema of actions: who does what for a family, by when. Never edit an applied step."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("actions")


@migrations()
def create_actions(db):
    # An action comes from a meeting or from an accepted signal (source says which);
    # it stays with the family until it is done, and carries over to the next meeting.
    db.execute(
        """
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            owner TEXT NOT NULL,
            due TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
            source TEXT,
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            done_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX actions_family ON actions(family_id, status)")
