"""Open the SQLite database the way every part of the app expects it.

WAL lets the projector's live views read while a facilitator writes; foreign keys
make the database itself refuse a tie to a person who is not there.
"""

import pathlib
import sqlite3

import sqlite_utils

BUSY_TIMEOUT_SECONDS = 10


def connect(path):
    """Return a sqlite-utils ``Database`` on ``path`` (":memory:" for tests)."""
    if str(path) != ":memory:":
        pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        db.enable_wal()
    return db


def migration_sets():
    """Every domain's migration set, in the order their tables depend on each other."""
    from access.migrations import migrations as access
    from accounts.migrations import migrations as accounts
    from audit.migrations import migrations as audit
    from cases.migrations import migrations as cases
    from privacy.migrations import migrations as privacy

    return [accounts, cases, access, audit, privacy]


def init_db(db):
    """Apply every pending migration; running it again changes nothing."""
    for migrations in migration_sets():
        migrations.apply(db)
