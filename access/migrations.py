"""Schema of family teams. Never edit an applied step: add a new one."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("access")


@migrations()
def create_team_table(db):
    db.executescript(
        """
        CREATE TABLE family_team (
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            team_role TEXT NOT NULL,
            added_at TEXT NOT NULL,
            added_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            PRIMARY KEY (family_id, user_id)
        );
        CREATE INDEX family_team_user ON family_team(user_id);
        """
    )
