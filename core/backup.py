"""Consistent online backups with SQLite's backup API, and putting one back.

The backup API copies a database page by page while other connections keep reading and
writing; the copy is a consistent snapshot. Restoring copies the backup *into* the live
database the same way, so a serving app sees either the old or the new content, never a
mix, and nobody has to stop.
"""

import pathlib
import sqlite3

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


LOG_COLUMNS = (
    "at, event, outcome, family_id, family_code, object, user_id, username, user_role,"
    " on_behalf_of, access_point, detail"
)


def restore(backup_path, live_path):
    """Replace the live database's content with the backup's, online and at once.

    The access log is the one thing a restore must not roll back: entries written after
    the backup was made are carried over into the restored database.
    """
    counts = check_backup(backup_path)
    source = sqlite3.connect(f"file:{pathlib.Path(backup_path)}?mode=ro", uri=True)
    destination = sqlite3.connect(str(live_path), timeout=30)
    try:
        newest = source.execute("SELECT max(at) FROM access_log").fetchone()[0] or ""
        carried = []
        has_log = destination.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'access_log'"
        ).fetchone()
        if has_log:
            carried = destination.execute(
                f"SELECT {LOG_COLUMNS} FROM access_log WHERE at > ? ORDER BY id", [newest]
            ).fetchall()
        source.backup(destination)
        with destination:
            destination.executemany(
                f"INSERT INTO access_log ({LOG_COLUMNS}) VALUES ({', '.join('?' * 12)})", carried
            )
    finally:
        destination.close()
        source.close()
    return counts
