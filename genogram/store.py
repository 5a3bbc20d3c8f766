"""The genogram's stored data: each family's layout memory (sqlite-utils; ``db`` first)."""

import json

from core.clock import utc_now


def memory_of_family(db, family_id):
    """The stored layout memory of a family (``genogram.layout.memory``), or None."""
    rows = list(db.query("SELECT memory FROM genogram_memories WHERE family_id = ?", [family_id]))
    return json.loads(rows[0]["memory"]) if rows else None


def memory_by_code(db, code):
    """The stored layout memory of the family with ``code``, or None."""
    rows = list(
        db.query(
            "SELECT m.memory FROM genogram_memories m JOIN families f ON f.id = m.family_id"
            " WHERE f.code = ?",
            [code],
        )
    )
    return json.loads(rows[0]["memory"]) if rows else None


def save_memory(db, family_id, memory):
    """Store (or replace) a family's layout memory."""
    db.execute(
        "INSERT INTO genogram_memories (family_id, memory, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (family_id) DO UPDATE SET memory = excluded.memory,"
        " updated_at = excluded.updated_at",
        [family_id, json.dumps(memory, separators=(",", ":")), utc_now()],
    )
