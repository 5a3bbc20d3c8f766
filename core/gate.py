"""At most a few requests of one worker process computing at once; the others wait their
turn in the order they came.

A process runs Python one thread at a time (the interpreter lock), so eight threads of a
worker computing at once share one core: each request then takes as long as all of them
together. Under 20 clients without pause a family page (a few milliseconds of work) was
stretched by every poll that came in meanwhile (page p95 62-73 ms); with two let in at a
time (one computes while the other waits on SQLite or the network) each runs at nearly
its own speed once its turn comes: the same work, in the order it came (page p95 about
40 ms). The worker keeps its threads, so nothing is refused; the rest wait at the gate.

A request that must wait for something that needs no CPU of this process (a password
hashed in its own pool, another process's write, a lock held by a request that builds
an index) steps out of the gate meanwhile (:func:`outside`, :func:`waiting_for`): two
such waits must never keep the meeting's polls waiting.
"""

import contextlib
import threading

AT_ONCE = 2
# A wait for a lock longer than this goes on outside the gate (:func:`acquire`).
SHORT_WAIT = 0.002

_held = threading.local()


class Gate:
    """WSGI middleware: ``app`` with at most ``at_once`` requests inside at a time.

    A request holds its turn while the app computes its response, not while the body is
    sent (a slow connection holds nobody up). One that stepped out comes back before
    the requests that have not had a turn yet: it is half done."""

    def __init__(self, app, at_once=AT_ONCE):
        if at_once < 1:
            raise ValueError("a gate lets at least one request in")
        self.app = app
        self.at_once = at_once
        self._free = at_once
        self._returning = 0
        self._changed = threading.Condition(threading.Lock())

    def enter(self, *, returning=False):
        with self._changed:
            if returning:
                self._returning += 1
            # Waiters are woken in the order they came (CPython's Condition).
            while not self._free or (self._returning and not returning):
                self._changed.wait()
            if returning:
                self._returning -= 1
            self._free -= 1

    def leave(self):
        with self._changed:
            self._free += 1
            if self._returning:
                self._changed.notify_all()  # the first waiter may be a newcomer
            else:
                self._changed.notify()

    def __call__(self, environ, start_response):
        self.enter()
        _held.gate = self
        try:
            return self.app(environ, start_response)
        finally:
            _held.gate = None
            self.leave()


@contextlib.contextmanager
def outside():
    """Give up this thread's turn for the block (a wait that needs no CPU here), and take
    a turn again after it, before the newcomers. Outside a request (the command line, a
    test) it does nothing."""
    gate = getattr(_held, "gate", None)
    if gate is None:
        yield
        return
    _held.gate = None
    gate.leave()
    try:
        yield
    finally:
        gate.enter(returning=True)
        _held.gate = gate


def acquire(lock, timeout=-1):
    """``lock.acquire(timeout=timeout)``; a wait longer than ``SHORT_WAIT`` goes on
    outside the gate. Returns whether it got the lock (as ``acquire`` does).

    Most waits are short (a log entry being written): stepping out for them would cost
    the request its place. A long one (another process writing a large import, an index
    being built) must not keep a turn. And a thread that comes back holding the lock may
    find the turns taken by requests waiting for that very lock: they step out within
    ``SHORT_WAIT``, so it gets in. Every wait for a lock that is held while waiting for
    a turn must therefore go through here (or :func:`waiting_for`)."""
    if lock.acquire(timeout=SHORT_WAIT if timeout < 0 else min(timeout, SHORT_WAIT)):
        return True
    if 0 <= timeout <= SHORT_WAIT:
        return False
    with outside():
        return lock.acquire(timeout=-1 if timeout < 0 else timeout - SHORT_WAIT)


@contextlib.contextmanager
def waiting_for(lock):
    """``with lock:``, waiting for it outside the gate (:func:`acquire`)."""
    acquire(lock)
    try:
        yield
    finally:
        lock.release()
