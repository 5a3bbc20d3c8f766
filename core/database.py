"""Open the SQLite database the way every part of the app expects it.

WAL lets the projector's live views read while a facilitator writes; foreign keys
make the database itself refuse a tie to a person who is not there.
"""

import contextlib
import pathlib
import sqlite3

import sqlite_utils

BUSY_TIMEOUT_SECONDS = 10


class Database(sqlite_utils.Database):
    """sqlite-utils' Database, with write transactions that take the write lock at once.

    ``atomic()`` in sqlite-utils opens a deferred ``BEGIN``: the transaction reads first
    (the family's version, say) and asks for the write lock only at its first write. If
    another connection committed in between, SQLite cannot upgrade the stale snapshot
    and fails at once with "database is locked", without waiting: two people saving at
    the same moment got a 500. ``BEGIN IMMEDIATE`` waits for the lock (up to the busy
    timeout) before reading, so concurrent writers queue instead.
    """

    @contextlib.contextmanager
    def atomic(self):
        if self.conn.in_transaction:
            with super().atomic():  # nested: a savepoint inside the open transaction
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


def connect(path):
    """Return a sqlite-utils ``Database`` on ``path`` (":memory:" for tests)."""
    if str(path) != ":memory:":
        pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        db.enable_wal()
    return db


def migration_sets():
    """Every domain's migration set, in the order their tables depend on each other."""
    from access.migrations import migrations as access
    from accounts.migrations import migrations as accounts
    from actions.migrations import migrations as actions
    from audit.migrations import migrations as audit
    from cases.migrations import migrations as cases
    from conference.migrations import migrations as conference
    from library.migrations import migrations as library
    from patterns.migrations import migrations as patterns
    from privacy.migrations import migrations as privacy
    from rules.migrations import migrations as rules

    return [accounts, cases, access, audit, privacy, actions, rules, conference, library, patterns]


def init_db(db):
    """Apply every pending migration; running it again changes nothing."""
    for migrations in migration_sets():
        migrations.apply(db)
