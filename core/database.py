"""Open the SQLite database the way every part of the app expects it.

WAL lets the projector's live views read while a facilitator writes; foreign keys
make the database itself refuse a tie to a person who is not there.
"""

import contextlib
import hashlib
import json
import pathlib
import sqlite3

import sqlite_utils

from core import maintenance

BUSY_TIMEOUT_SECONDS = 10
WRITE_KEYWORDS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class Database(sqlite_utils.Database):
    """sqlite-utils' Database, with write transactions that take the write lock at once.

    ``atomic()`` in sqlite-utils opens a deferred ``BEGIN``: the transaction reads first
    (the family's version, say) and asks for the write lock only at its first write. If
    another connection committed in between, SQLite cannot upgrade the stale snapshot
    and fails at once with "database is locked", without waiting: two people saving at
    the same moment got a 500. ``BEGIN IMMEDIATE`` waits for the lock (up to the busy
    timeout) before reading, so concurrent writers queue instead.

    Two more things happen while the outermost transaction holds the lock, so that no
    other connection can come in between:

    - during a restore (:mod:`core.maintenance`) the transaction is refused, both at
      its start and just before it commits: nothing commits after a restore began, so
      nothing acknowledged is then overwritten;
    - the callables in ``before_commit`` run last, inside the transaction: what they
      write (the access-log entry of a change) commits with it or not at all.

    A lone write statement outside a transaction is wrapped in one, so it gets both.
    """

    def __init__(self, *args, path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.path = path
        self.before_commit = []

    def _check_maintenance(self):
        if self.path is not None:
            maintenance.check(self.path)

    @contextlib.contextmanager
    def atomic(self):
        if self.conn.in_transaction:
            with super().atomic():  # nested: a savepoint inside the open transaction
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._check_maintenance()
            yield self
            self._check_maintenance()
            for callback in list(self.before_commit):
                callback(self)
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise

    def execute(self, sql, parameters=None):
        if not self.conn.in_transaction and sql.lstrip().upper().startswith(WRITE_KEYWORDS):
            with self.atomic():
                return super().execute(sql, parameters)
        return super().execute(sql, parameters)


def chain_hash(*values):
    """SHA-256 (hex) of the values as canonical JSON: the link of a hash chain."""
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def register_functions(conn):
    """SQL functions every connection has (an INSERT can compute a chain link itself)."""
    conn.create_function("chain_hash", -1, chain_hash, deterministic=True)


def connect(path):
    """Return a sqlite-utils ``Database`` on ``path`` (":memory:" for tests)."""
    if str(path) != ":memory:":
        pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
    register_functions(conn)
    db = Database(conn, path=None if str(path) == ":memory:" else str(path))
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        db.enable_wal()
    return db


def init_db(db, migration_sets):
    """Apply every pending migration of ``migration_sets`` (sqlite-utils ``Migrations``,
    in the order their tables depend on each other); running it again changes nothing."""
    for migrations in migration_sets:
        migrations.apply(db)
