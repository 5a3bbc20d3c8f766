"""Schema of what the cohort teaches: learned patterns ("wat we leren") and what
they came from. Never edit an applied step: add a new one."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("patterns")


@migrations()
def create_learned_patterns(db):
    db.execute(
        """
        CREATE TABLE learned_patterns (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    # Links go when a family or a library entry is erased: the lesson stays, without
    # pointing at what is no longer there.
    db.execute(
        """
        CREATE TABLE learned_pattern_families (
            pattern_id INTEGER NOT NULL REFERENCES learned_patterns(id) ON DELETE CASCADE,
            family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
            PRIMARY KEY (pattern_id, family_id)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE learned_pattern_entries (
            pattern_id INTEGER NOT NULL REFERENCES learned_patterns(id) ON DELETE CASCADE,
            entry_id INTEGER NOT NULL REFERENCES library_entries(id) ON DELETE CASCADE,
            PRIMARY KEY (pattern_id, entry_id)
        )
        """
    )
