"""Consistent online backups with SQLite's backup API, and putting one back.

The backup API copies a database page by page while other connections keep reading and
writing; the copy is a consistent snapshot. Restoring copies the backup *into* the live
database the same way, so a serving app sees either the old or the new content, never a
mix, and nobody has to stop. While it runs, writes are refused with a 503
(core.maintenance), so nothing the app acknowledges is overwritten.
"""

import pathlib
import sqlite3

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


def restore(backup_path, live_path, carry=()):
    """Replace the live database's content with the backup's, online and at once.

    Run it in maintenance (core.maintenance): then no write commits to the live
    database any more, so what is read from it here is final. What a restore must not
    roll back (the access log: ``audit.carry``) comes in ``carry``: ``(take, put)`` pairs;
    ``take(live, staged)`` reads it from the live database under its write lock,
    ``put(staged, taken)`` adds it to a staged copy of the backup, and the staged copy
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
            taken = [(put, take(live, staged)) for take, put in carry]
        finally:
            live.rollback()
        with staged:
            for put, what in taken:
                put(staged, what)
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
