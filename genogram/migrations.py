"""Schema of the genogram domain. Never edit an applied step: add a new one."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("genogram")


@migrations()
def create_layout_memories(db):
    # Derived from the case (not exported); it goes with the family (erasure, delete).
    db.execute(
        """
        CREATE TABLE genogram_memories (
            family_id INTEGER PRIMARY KEY REFERENCES families(id) ON DELETE CASCADE,
            memory TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
