"""The access log's hash chain: append an entry, and check the whole chain.

Each entry holds ``prev_hash`` (the previous entry's hash, '' for the first) and
``hash`` = ``chain_hash(prev_hash, id, at, event, ...)`` over its own fields (see
``core.database.chain_hash``). Whoever changes an entry, removes one from the middle or
slips one in, even with direct access to the file and the triggers dropped, leaves a
mismatch that :func:`verify` reports. What a chain cannot show is the removal of the
newest entries: the rest is still a valid chain. Against that, compare the head
(count and last hash) with one noted earlier.

Functions take a connection (``sqlite3`` or sqlite-utils) first: the restore uses them
on plain connections.
"""

FIELDS = (
    "id",
    "at",
    "event",
    "outcome",
    "family_id",
    "family_code",
    "object",
    "user_id",
    "username",
    "user_role",
    "on_behalf_of",
    "access_point",
    "detail",
)
INTEGER_FIELDS = {"family_id", "user_id"}

# One statement: the next id, the last hash and the new link are computed while it
# holds the write lock, so two workers appending at once cannot make the same link.
# The casts make the hashed values the stored ones (column affinity would turn a
# bound "5" into 5 after the hash was computed).
_VALUES = ", ".join(
    f"CAST(:{name} AS {'INTEGER' if name in INTEGER_FIELDS else 'TEXT'})" for name in FIELDS[1:]
)
APPEND = f"""
INSERT INTO access_log ({", ".join(FIELDS)}, prev_hash, hash)
SELECT next_id, {_VALUES}, prev, chain_hash(prev, next_id, {_VALUES})
FROM (
    SELECT
        (SELECT coalesce(max(id), 0) + 1 FROM access_log) AS next_id,
        coalesce((SELECT hash FROM access_log ORDER BY id DESC LIMIT 1), '') AS prev
)
"""


def append(conn, entry):
    """Append one entry (a dict of FIELDS without ``id``; missing fields are NULL)."""
    conn.execute(APPEND, {name: entry.get(name) for name in FIELDS[1:]})


def head(conn):
    """(number of entries, last id, last hash) of the log."""
    row = conn.execute(
        "SELECT count(*), max(id),"
        " coalesce((SELECT hash FROM access_log ORDER BY id DESC LIMIT 1), '') FROM access_log"
    ).fetchone()
    return row[0], row[1] or 0, row[2]


def verify(conn):
    """Every problem in the chain, in id order, as text; an empty list when it is intact."""
    problems = []
    previous_id, previous_hash = 0, ""
    rows = conn.execute(
        f"SELECT prev_hash, hash, chain_hash(prev_hash, {', '.join(FIELDS)}), id"
        " FROM access_log ORDER BY id"
    )
    for prev_hash, stored, computed, entry_id in rows:
        if stored != computed:
            problems.append(f"changed entry at id {entry_id}")
        if entry_id != previous_id + 1:
            problems.append(f"gap between ids {previous_id} and {entry_id}")
        elif prev_hash != previous_hash:
            problems.append(f"broken link at id {entry_id}")
        previous_id, previous_hash = entry_id, stored
    return problems
