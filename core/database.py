"""Open the SQLite database the way every part of the app expects it.

WAL lets the projector's live views read while a facilitator writes; foreign keys
make the database itself refuse a tie to a person who is not there.
"""

import contextlib
import hashlib
import json
import pathlib
import sqlite3
import threading

import sqlite_utils

from core import gate, maintenance

BUSY_TIMEOUT_SECONDS = 10
# Connections a thread keeps open, one per database path: one in production; in a test
# run every test has a database of its own, so the least recently used ones are closed.
KEPT_PER_THREAD = 4
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

    The threads of one process take turns at a lock of their own before ``BEGIN
    IMMEDIATE`` (:func:`_writer_lock`): SQLite's busy handler waits in sleeps of up to
    100 ms, so threads that found the database locked by a neighbour slept while it was
    long free again (a family page's access-log entry took the page's p95 under load
    from 43 to 264 ms); a lock hands the turn over at once, and a thread waits for it
    outside the request gate (:mod:`core.gate`). Other processes still queue through
    the busy timeout.
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
        with _writer_lock(self.path):
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

    def query(self, sql, params=None):
        """Rows of ``sql`` as dicts. sqlite-utils wraps each query in a savepoint, so that
        a statement that turns out to write can be undone; a SELECT cannot write, so it
        runs as it is: one statement instead of three (a poll is four reads)."""
        if not sql.lstrip()[:7].upper().startswith(("SELECT ", "SELECT\n")):
            return super().query(sql, params)
        if self._tracer:
            self._tracer(sql, params)
        cursor = self.conn.execute(sql, params if params is not None else ())
        keys = sqlite_utils.db.dedupe_keys(d[0] for d in cursor.description)
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def execute(self, sql, parameters=None):
        if not self.conn.in_transaction and sql.lstrip().upper().startswith(WRITE_KEYWORDS):
            with self.atomic():
                return super().execute(sql, parameters)
        return super().execute(sql, parameters)


def chain_hash(*values):
    """SHA-256 (hex) of the values as canonical JSON: the link of a hash chain."""
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


_WRITER_LOCKS = {}
_WRITER_LOCKS_LOCK = threading.Lock()


@contextlib.contextmanager
def _writer_lock(path):
    """This process's turn for a write transaction on the database at ``path`` (an
    in-memory database has no neighbours). Waits at most the busy timeout, then goes on
    without the turn and leaves the waiting to SQLite, as before: a second connection
    of the same thread never hangs on it."""
    if path is None:
        yield
        return
    with _WRITER_LOCKS_LOCK:
        lock = _WRITER_LOCKS.setdefault(path, threading.Lock())
    taken = gate.acquire(lock, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        yield
    finally:
        if taken:
            lock.release()


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


class _Kept(threading.local):
    """This thread's open connections by database path (most recently used last), and
    how many app contexts of this thread hold each one now."""

    def __init__(self):
        self.connections = {}
        self.holders = {}


_kept = _Kept()


def _ready_for_reuse(db):
    """Undo what an earlier request may have left behind: a transaction an error left
    open (its locks and half a change must not leak into the next request), a
    ``before_commit`` callable that request registered."""
    if db.conn.in_transaction:
        db.conn.rollback()
    db.before_commit.clear()


def acquire(path):
    """This thread's connection to ``path``, opened on first use and kept for later
    requests (connecting and its pragmas cost more than most requests' queries).

    A connection is only ever used by the thread that opened it, so gunicorn's threads
    never share one; each is keyed by the database's path, so several apps (tests) in
    one thread each get their own. ``":memory:"`` gets a new one every time, as before.
    Give it back with :func:`release`.
    """
    key = str(path)
    if key == ":memory:":
        return connect(path)
    connections, holders = _kept.connections, _kept.holders
    db = connections.pop(key, None)
    if db is None:
        db = connect(path)
    elif not holders.get(key):
        _ready_for_reuse(db)
    connections[key] = db  # most recently used last
    holders[key] = holders.get(key, 0) + 1
    _close_unused(connections, holders)
    return db


def release(db):
    """Give back a connection from :func:`acquire`: it stays open for this thread's next
    request, with nothing of this one left in it."""
    key = db.path
    holders = _kept.holders
    if key is None or _kept.connections.get(key) is not db:
        db.close()  # in memory, or no longer kept
        return
    holders[key] = max(holders.get(key, 0) - 1, 0)
    if not holders[key]:
        _ready_for_reuse(db)


def _close_unused(connections, holders):
    for key in list(connections)[: max(len(connections) - KEPT_PER_THREAD, 0)]:
        if not holders.get(key):
            connections.pop(key).close()
            holders.pop(key, None)
