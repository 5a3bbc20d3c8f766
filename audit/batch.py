"""Access-log entries written together: one transaction for the entries that queued
while the previous one was being written (group commit).

Every family page appends an entry, and the chain makes each append a write
transaction of its own. Under load (20 clients) the pages' threads queued for the
write lock while each transaction, holding it, waited for the interpreter lock at
every SQLite call: the pages' p95 went from 43 to over 100 ms. Here a thread puts its
entry in the queue and takes its turn; whoever gets the turn writes every queued
entry in one transaction, so the others find theirs written when their turn comes.
Each caller still returns only once its entry is committed (or raises what the
write raised): nothing is shown that the log does not record. A thread waits for its
turn outside the request gate (:mod:`core.gate`).
"""

import threading

from audit import chain
from core import gate


class _Entry:
    __slots__ = ("error", "row", "written")

    def __init__(self, row):
        self.row = row
        self.written = False
        self.error = None


class _Queue:
    def __init__(self):
        self.lock = threading.Lock()  # guards ``waiting``
        self.turn = threading.Lock()  # one writer at a time
        self.waiting = []


_QUEUES = {}
_QUEUES_LOCK = threading.Lock()


def _queue(path):
    with _QUEUES_LOCK:
        return _QUEUES.setdefault(path, _Queue())


def append(db, row):
    """Append ``row`` to the chain of ``db``, committed when this returns."""
    if db.conn.in_transaction or db.path is None:
        chain.append(db, row)  # inside a change's transaction, or a test's memory db
        return
    queue = _queue(db.path)
    entry = _Entry(row)
    with queue.lock:
        queue.waiting.append(entry)
    with gate.waiting_for(queue.turn):
        if not entry.written:
            with queue.lock:
                batch, queue.waiting = queue.waiting, []
            try:
                with db.atomic():
                    for queued in batch:
                        chain.append(db, queued.row)
            except BaseException as error:  # every entry of the batch shares its fate
                for queued in batch:
                    queued.error = error
                raise
            finally:
                for queued in batch:
                    queued.written = True
    if entry.error is not None:
        raise entry.error
