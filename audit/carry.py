"""What a restore carries over: the access log's entries after the backup's last one
(``core.backup.restore`` calls ``take`` under the live database's write lock and ``put``
on the staged copy). A restore must never roll the log back."""

from audit import chain


def take(live, staged):
    """The live log's entries after the backup's, or none when there is no log yet."""
    has_log = live.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'access_log'"
    ).fetchone()
    return _carried_entries(live, staged) if has_log else []


def put(staged, entries):
    _append_entries(staged, entries)


def _log_columns(connection):
    return {row[1] for row in connection.execute("PRAGMA table_info(access_log)")}


def _carried_entries(live, staged):
    """The live log's entries after the backup's last one, as dicts, in order.

    When the live log continues the backup's (the usual case: the log only grows), that
    is every entry after the backup's last id; otherwise (a backup from elsewhere) every
    entry stamped after the backup's newest.
    """
    if "at" not in _log_columns(live):
        return []
    chained = "hash" in _log_columns(live) and "hash" in _log_columns(staged)
    key = "hash" if chained else "at"
    last = staged.execute(f"SELECT id, {key} FROM access_log ORDER BY id DESC LIMIT 1").fetchone()
    last_id, last_key = last or (0, None)
    same = (
        last is None
        or live.execute(
            f"SELECT 1 FROM access_log WHERE id = ? AND {key} IS ?", [last_id, last_key]
        ).fetchone()
    )
    columns = ", ".join(chain.FIELDS[1:])
    if same:
        rows = live.execute(f"SELECT {columns} FROM access_log WHERE id > ? ORDER BY id", [last_id])
    else:
        newest = staged.execute("SELECT max(at) FROM access_log").fetchone()[0] or ""
        rows = live.execute(f"SELECT {columns} FROM access_log WHERE at > ? ORDER BY id", [newest])
    return [dict(zip(chain.FIELDS[1:], row, strict=True)) for row in rows.fetchall()]


def _append_entries(staged, entries):
    if "hash" in _log_columns(staged):
        for entry in entries:
            chain.append(staged, entry)
        return
    # A backup from before the chain: the upgrade after the restore chains them.
    columns = chain.FIELDS[1:]
    staged.executemany(
        f"INSERT INTO access_log ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [[entry[name] for name in columns] for entry in entries],
    )
