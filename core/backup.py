"""Consistent online backups with SQLite's backup API, and putting one back.

The backup API copies a database page by page while other connections keep reading and
writing; the copy is a consistent snapshot. Restoring copies the backup *into* the live
database the same way, so a serving app sees either the old or the new content, never a
mix, and nobody has to stop. While it runs, writes are refused with a 503
(core.maintenance), so nothing the app acknowledges is overwritten.
"""

import pathlib
import sqlite3

from audit import chain
from core import database

REQUIRED_TABLES = {"_sqlite_migrations", "families", "users", "access_log"}


class BackupError(Exception):
    """A backup or restore that cannot be made; the message says why."""


def backup(live_path, target_path):
    """Write a consistent copy of the database at ``live_path`` to ``target_path``."""
    target = pathlib.Path(target_path)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(str(live_path))
    destination = sqlite3.connect(str(target))
    try:
        source.backup(destination, pages=1024)
    finally:
        destination.close()
        source.close()
    return check_backup(target)


def check_backup(path):
    """Return table counts of a backup file; raise BackupError when it is not one of ours."""
    path = pathlib.Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (integrity check failed)")
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            missing = REQUIRED_TABLES - tables
            if missing:
                names = ", ".join(sorted(missing))
                raise BackupError(f"{path} is not a Maatwerktafel database (missing: {names})")
            return {
                table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in ("families", "users", "access_log")
            }
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database: {error}") from error


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


def restore(backup_path, live_path):
    """Replace the live database's content with the backup's, online and at once.

    Run it in maintenance (core.maintenance): then no write commits to the live
    database any more, so what is read from it here is final. The access log is the one
    thing a restore must not roll back: its entries after the backup's last one are
    re-appended (with new links) to a staged copy of the backup, and the staged copy
    replaces the live content in one step of SQLite's backup API.
    """
    counts = check_backup(backup_path)
    live_path = pathlib.Path(live_path)
    staged_path = live_path.with_name(live_path.name + ".restoring")
    _remove(staged_path)
    source = sqlite3.connect(f"file:{pathlib.Path(backup_path)}?mode=ro", uri=True)
    staged = sqlite3.connect(str(staged_path))
    live = sqlite3.connect(str(live_path), timeout=30)
    try:
        source.backup(staged)
        for connection in (staged, live):
            database.register_functions(connection)
        # Taking the write lock waits for a write that began before the maintenance;
        # every later one is refused, so nothing joins the log after this read.
        live.execute("BEGIN IMMEDIATE")
        try:
            has_log = live.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'access_log'"
            ).fetchone()
            carried = _carried_entries(live, staged) if has_log else []
        finally:
            live.rollback()
        with staged:
            _append_entries(staged, carried)
        staged.backup(live)
    finally:
        live.close()
        staged.close()
        source.close()
        _remove(staged_path)
    return counts


def _remove(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)
