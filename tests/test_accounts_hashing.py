"""Passwords are hashed a few at a time: a login beyond them is told to try again soon."""

import threading
import time

import pytest

from accounts import passwords
from tests.conftest import PASSWORD
from tests.test_accounts_views import is_logged_in, post_login


@pytest.fixture
def slots(monkeypatch):
    """The hashing slots of this test, with a short wait."""
    semaphore = threading.BoundedSemaphore(passwords.HASHING_AT_ONCE)
    monkeypatch.setattr(passwords, "_slots", semaphore)
    monkeypatch.setattr(passwords, "_wanting", [0])
    monkeypatch.setattr(passwords, "HASHING_WAIT_SECONDS", 0.05)
    return semaphore


def take_all(semaphore):
    for _ in range(passwords.HASHING_AT_ONCE):
        semaphore.acquire()


def test_a_login_while_every_slot_is_taken_is_told_to_try_again(client, db, slots):
    take_all(slots)
    response = post_login(client)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(passwords.RETRY_AFTER_SECONDS)
    assert "probeer het zo opnieuw" in response.get_data(as_text=True)
    assert not is_logged_in(client)
    # Not checked, so not an attempt: no failure counted against the account.
    assert list(db.query("SELECT * FROM login_failures")) == []
    entry = next(db.query("SELECT * FROM access_log ORDER BY id DESC LIMIT 1"))
    assert (entry["event"], entry["outcome"], entry["detail"]) == ("login", "failed", "busy")
    for _ in range(passwords.HASHING_AT_ONCE):
        slots.release()
    assert post_login(client).status_code == 302 and is_logged_in(client)


def test_a_full_queue_refuses_at_once_without_waiting(slots, monkeypatch):
    monkeypatch.setattr(passwords, "HASHING_WAIT_SECONDS", 5)
    passwords._wanting[0] = passwords.HASHING_AT_ONCE + passwords.HASHING_WAITING
    started = time.monotonic()
    with pytest.raises(passwords.Busy):
        passwords.verify_password(passwords.DUMMY_HASH, "wat dan ook")
    assert time.monotonic() - started < 1


def test_a_thread_holding_a_slot_may_hash_again(slots):
    with passwords.hashing_slot():
        take_all_but_mine = passwords.HASHING_AT_ONCE - 1
        for _ in range(take_all_but_mine):
            slots.acquire()
        hashed = passwords.hash_password("een rehash bij het inloggen")
        assert passwords.verify_password(hashed, "een rehash bij het inloggen")
    assert passwords._wanting == [0]


def test_a_password_change_while_every_slot_is_taken_is_told_to_try_again(login, slots):
    client = login("facilitator")
    take_all(slots)
    new = "een heel ander lang wachtwoord"
    response = client.post(
        "/profiel/wachtwoord", data={"current": PASSWORD, "new": new, "repeat": new}
    )
    assert response.status_code == 503
    assert "probeer het zo opnieuw" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == str(passwords.RETRY_AFTER_SECONDS)
