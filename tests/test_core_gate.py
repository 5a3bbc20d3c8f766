"""A worker lets a few requests compute at once; the rest wait their turn in order, and a
request that waits for something else (a password hash, a lock) lets others in."""

import threading
import time

import pytest

from accounts import passwords
from core import gate
from tests.conftest import make_app
from tests.test_accounts_views import is_logged_in, post_login

WAIT = 5  # seconds: only ever reached when the behaviour is broken


class Recorder:
    """A WSGI app that notes who is inside and lets each request go when told."""

    def __init__(self):
        self.lock = threading.Lock()
        self.inside, self.most, self.order = 0, 0, []
        self.entered = {}
        self.go = {}

    def expect(self, name):
        self.entered[name] = threading.Event()
        self.go[name] = threading.Event()

    def __call__(self, environ, start_response):
        name = environ["name"]
        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.order.append(name)
        self.entered[name].set()
        assert self.go[name].wait(WAIT)
        step = environ.get("step")
        if step:
            step()
        with self.lock:
            self.inside -= 1
        start_response("200 OK", [])
        return [name.encode()]


def request(wsgi, name, **environ):
    """Run one request in a thread; returns the thread."""
    thread = threading.Thread(target=wsgi, args=({"name": name, **environ}, lambda *a: None))
    thread.start()
    return thread


def waiting(gate_, count):
    """Wait until ``count`` requests wait at the gate."""
    deadline = time.monotonic() + WAIT
    while len(gate_._changed._waiters) < count:
        assert time.monotonic() < deadline
        time.sleep(0.001)


def test_at_most_two_requests_are_inside_and_the_others_come_in_their_order():
    app = Recorder()
    wsgi = gate.Gate(app, at_once=2)
    names = ["a", "b", "c", "d", "e"]
    threads = []
    for number, name in enumerate(names):
        app.expect(name)
        threads.append(request(wsgi, name))
        if number < 2:
            assert app.entered[name].wait(WAIT)
        else:
            waiting(wsgi, number - 1)
    assert app.order == ["a", "b"]
    for number, name in enumerate(names):  # one leaves: the longest waiting comes in
        app.go[name].set()
        if number + 2 < len(names):
            assert app.entered[names[number + 2]].wait(WAIT)
    for thread in threads:
        thread.join(WAIT)
    assert app.most == 2
    assert app.order == names


def test_a_request_waiting_outside_lets_another_in_and_comes_back_before_newcomers():
    app = Recorder()
    wsgi = gate.Gate(app, at_once=1)
    hashed = threading.Event()

    def wait_for_hash():
        with gate.outside():
            assert hashed.wait(WAIT)
        with app.lock:
            app.order.append("a again")

    for name in "abc":
        app.expect(name)
    first = request(wsgi, "a", step=wait_for_hash)
    assert app.entered["a"].wait(WAIT)
    app.go["a"].set()  # a steps out to wait for its hash
    second = request(wsgi, "b")
    assert app.entered["b"].wait(WAIT)  # b is let in while a waits
    third = request(wsgi, "c")
    waiting(wsgi, 1)
    hashed.set()  # a wants back in, after c arrived
    waiting(wsgi, 2)
    app.go["b"].set()
    app.go["c"].set()
    for thread in (first, second, third):
        thread.join(WAIT)
    assert app.order == ["a", "b", "a again", "c"]


def test_a_lock_taken_elsewhere_is_waited_for_outside_the_gate():
    app = Recorder()
    wsgi = gate.Gate(app, at_once=1)
    lock = threading.Lock()
    lock.acquire()  # a request building an index holds it

    def take_lock():
        with gate.waiting_for(lock):
            pass

    app.expect("a")
    app.expect("b")
    first = request(wsgi, "a", step=take_lock)
    app.go["a"].set()
    second = request(wsgi, "b")
    assert app.entered["b"].wait(WAIT)
    app.go["b"].set()
    second.join(WAIT)
    assert not second.is_alive() and first.is_alive()
    lock.release()
    first.join(WAIT)
    assert not first.is_alive()


def test_a_free_lock_is_taken_without_giving_up_the_turn():
    wsgi = gate.Gate(Recorder(), at_once=1)
    wsgi.enter()
    gate._held.gate = wsgi
    try:
        assert gate.acquire(threading.Lock())
        assert wsgi._free == 0 and wsgi._returning == 0
    finally:
        gate._held.gate = None
        wsgi.leave()


def test_outside_a_request_outside_does_nothing():
    with gate.outside():
        assert getattr(gate._held, "gate", None) is None


@pytest.mark.parametrize("value", ["-1", "twee", "65"])
def test_a_bad_number_of_requests_at_once_stops_the_start(tmp_path, monkeypatch, value):
    monkeypatch.setenv("MAATWERKTAFEL_REQUESTS_AT_ONCE", value)
    with pytest.raises(RuntimeError, match="MAATWERKTAFEL_REQUESTS_AT_ONCE"):
        make_app(tmp_path / "app.db")


def test_the_app_lets_two_in_by_default_and_none_is_no_limit(tmp_path, monkeypatch):
    assert make_app(tmp_path / "a.db").wsgi_app.at_once == 2
    monkeypatch.setenv("MAATWERKTAFEL_REQUESTS_AT_ONCE", "0")
    assert not isinstance(make_app(tmp_path / "b.db").wsgi_app, gate.Gate)


def test_a_login_waiting_for_its_hash_keeps_no_page_waiting(app, client, monkeypatch):
    """One request at a time: while a password is being checked, the login page (or a
    meeting's poll) is still answered."""
    app.wsgi_app = gate.Gate(app.wsgi_app.app, at_once=1)
    hashing, done = threading.Event(), threading.Event()
    real = passwords._hasher

    class SlowHasher:
        def verify(self, hashed, password):
            hashing.set()
            assert done.wait(WAIT)
            return real.verify(hashed, password)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(passwords, "_hasher", SlowHasher())
    other = app.test_client()
    login = threading.Thread(target=post_login, args=(client,))
    login.start()
    assert hashing.wait(WAIT)
    assert other.get("/login").status_code == 200
    assert login.is_alive()  # still hashing
    done.set()
    login.join(WAIT)
    assert is_logged_in(client)


def test_requests_waiting_for_a_lock_never_keep_its_holder_out():
    """The holder of a lock waited for outside comes back while the only turn is taken
    by a request waiting for that same lock: that one steps out, the holder gets in."""
    app = Recorder()
    wsgi = gate.Gate(app, at_once=1)
    lock = threading.Lock()
    lock.acquire()
    done = []

    def take_lock(name):
        def step():
            with gate.waiting_for(lock):
                time.sleep(2 * gate.SHORT_WAIT)  # hold it while the other waits
            done.append(name)

        return step

    app.expect("a")
    app.expect("b")
    first = request(wsgi, "a", step=take_lock("a"))
    app.go["a"].set()
    deadline = time.monotonic() + WAIT
    while wsgi._free == 0:  # a stepped out to wait for the lock
        assert time.monotonic() < deadline
        time.sleep(0.001)
    second = request(wsgi, "b", step=take_lock("b"))
    assert app.entered["b"].wait(WAIT)
    app.go["b"].set()
    lock.release()
    for thread in (first, second):
        thread.join(WAIT)
        assert not thread.is_alive()
    assert sorted(done) == ["a", "b"]


def test_a_short_wait_for_a_lock_keeps_the_turn(monkeypatch):
    monkeypatch.setattr(gate, "SHORT_WAIT", WAIT)

    class Counting(gate.Gate):
        leaves = 0

        def leave(self):
            self.leaves += 1
            super().leave()

    wsgi = Counting(Recorder(), at_once=1)
    lock = threading.Lock()
    lock.acquire()
    threading.Timer(0.01, lock.release).start()
    wsgi.enter()
    gate._held.gate = wsgi
    try:
        assert gate.acquire(lock)
        assert wsgi.leaves == 0
    finally:
        gate._held.gate = None
        wsgi.leave()
