"""Password hashing (argon2id) and the password policy."""

import concurrent.futures
import contextlib
import os
import re
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core import gate

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn's score: 3 means "safely unguessable" (about 10^10 guesses and more).
MIN_SCORE = 3
# zxcvbn's time grows steeply with length (a random 256-character password takes half
# a minute), so it rates the first characters only: a strong start is a strong password.
RATED_LENGTH = 64

# zxcvbn knows English words and names; these are the Dutch and local words people
# build a password from when they are asked for one here.
LOCAL_WORDS = (
    "wachtwoord",
    "welkom",
    "geheim",
    "maatwerktafel",
    "maatwerk",
    "jeugdzorg",
    "coalitie",
    "thuis",
    "tafel",
    "jeugd",
    "gezin",
    "gezinnen",
    "kinderen",
    "inloggen",
    "beheerder",
    "facilitator",
    "professional",
    "projectleider",
    "zomer",
    "winter",
    "lente",
    "herfst",
    "voorjaar",
    "najaar",
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

# zxcvbn keeps the user inputs in a module-level dictionary; two threads checking at
# once would check against each other's names.
_zxcvbn_lock = threading.Lock()

_WARNINGS = {
    "Straight rows of keys are easy to guess.": "toetsen op een rij zijn makkelijk te raden",
    "Short keyboard patterns are easy to guess.": "toetsenbordpatronen zijn makkelijk te raden",
    'Repeats like "aaa" are easy to guess.': "herhalingen als ‘aaa’ zijn makkelijk te raden",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': (
        "herhalingen als ‘abcabcabc’ zijn nauwelijks moeilijker te raden dan ‘abc’"
    ),
    'Sequences like "abc" or "6543" are easy to guess.': (
        "reeksen als ‘abc’ of ‘6543’ zijn makkelijk te raden"
    ),
    "Recent years are easy to guess.": "recente jaartallen zijn makkelijk te raden",
    "Dates are often easy to guess.": "datums zijn makkelijk te raden",
    "This is a top-10 common password.": "dit is een van de meest gebruikte wachtwoorden",
    "This is a top-100 common password.": "dit is een van de meest gebruikte wachtwoorden",
    "This is a very common password.": "dit is een veelgebruikt wachtwoord",
    "This is similar to a commonly used password.": "dit lijkt op een veelgebruikt wachtwoord",
    "A word by itself is easy to guess.": "één woord is makkelijk te raden",
    "Names and surnames by themselves are easy to guess.": "namen zijn makkelijk te raden",
    "Common names and surnames are easy to guess.": "namen zijn makkelijk te raden",
}
ADVICE = (
    "Kies een zin van vier of meer woorden die niet bij elkaar horen,"
    " zonder je naam of gebruikersnaam."
)

_hasher = PasswordHasher()

# An argon2 hash takes 64 MiB and, in four lanes, both cores for about 0.3 s. Twenty
# people logging in at the start of a meeting hashed all at once: the worker grew by
# 460 MB and the projector's polls waited a second. So one hashes at a time (a second
# would only share the same two cores) and a few may wait; whoever comes after them
# hears at once to try again, holding none of the server's eight threads.
HASHING_AT_ONCE = 1
HASHING_WAITING = 3
HASHING_WAIT_SECONDS = 3
RETRY_AFTER_SECONDS = 5
BUSY_MESSAGE = "Er loggen nu veel mensen tegelijk in: probeer het zo opnieuw."
# The hash runs in a thread of lower priority (argon2's lane threads inherit it): a
# poll or a page that needs the CPU meanwhile gets it first, the login waits a little.
HASHING_NICENESS = 10

_slots = threading.BoundedSemaphore(HASHING_AT_ONCE)
_wanting = [0]  # hashing or waiting to, under _wanting_lock
_wanting_lock = threading.Lock()
_held = threading.local()


def _lower_priority():
    with contextlib.suppress(AttributeError, OSError):  # Linux: this thread only
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


_hashing_pool = concurrent.futures.ThreadPoolExecutor(
    max_workers=HASHING_AT_ONCE, thread_name_prefix="password-hashing", initializer=_lower_priority
)


def _in_hashing_thread(function, *args):
    return _hashing_pool.submit(function, *args).result()


class WeakPassword(ValueError):
    """The password does not meet the policy; the message is Dutch, for the user."""


class Busy(RuntimeError):
    """Too many passwords are being checked at once; the message is Dutch, for the user."""

    def __init__(self):
        super().__init__(BUSY_MESSAGE)


@contextlib.contextmanager
def hashing_slot():
    """Hold one of the few slots in which a password may be hashed or checked; raise
    :class:`Busy` when all are taken and the queue is full, or the wait is too long.

    A thread that holds a slot may enter again (a login that checks, then rehashes).
    The request gives up its turn at the gate meanwhile (:mod:`core.gate`): a login
    waiting for its hash keeps no poll of the meeting waiting.
    """
    if getattr(_held, "depth", 0):
        _held.depth += 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    with _wanting_lock:
        if _wanting[0] >= HASHING_AT_ONCE + HASHING_WAITING:
            raise Busy
        _wanting[0] += 1
    try:
        with gate.outside():
            if not _slots.acquire(timeout=HASHING_WAIT_SECONDS):
                raise Busy
            _held.depth = 1
            try:
                yield
            finally:
                _held.depth = 0
                _slots.release()
    finally:
        with _wanting_lock:
            _wanting[0] -= 1


def _personal_words(user_inputs):
    words = []
    for text in user_inputs:
        if isinstance(text, str) and text.strip():
            parts = re.split(r"[\s._-]+", text.strip().lower())
            words.extend([text.strip().lower(), "".join(parts), *parts])
    return words


def strength(password, user_inputs=()):
    """zxcvbn's verdict on ``password``: its score (0-4) and a Dutch warning (or "")."""
    from zxcvbn import zxcvbn  # its word lists take 0.05-0.1 s to build: on first use

    words = [*_personal_words(user_inputs), *LOCAL_WORDS]
    with _zxcvbn_lock:
        result = zxcvbn(password[:RATED_LENGTH], user_inputs=words, max_length=RATED_LENGTH)
    warning = result["feedback"]["warning"]
    return result["score"], _WARNINGS.get(warning, "")


def check_policy(password, user_inputs=()):
    """Raise :class:`WeakPassword` when ``password`` is not acceptable.

    ``user_inputs`` are the words the account is known by (username, display name): a
    password built from them is refused.
    """
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise WeakPassword(f"Een wachtwoord heeft minstens {MIN_LENGTH} tekens.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Een wachtwoord heeft hooguit {MAX_LENGTH} tekens.")
    if len(set(password)) < 4:
        raise WeakPassword("Dit wachtwoord is te eenvoudig: gebruik meer verschillende tekens.")
    score, warning = strength(password, user_inputs)
    if score < MIN_SCORE:
        reason = f" ({warning})" if warning else ""
        raise WeakPassword(f"Dit wachtwoord is te makkelijk te raden{reason}. {ADVICE}")


def hash_password(password):
    """The argon2id hash of ``password`` (:class:`Busy` when too many hash at once)."""
    with hashing_slot():
        return _in_hashing_thread(_hasher.hash, password)


def verify_password(password_hash, password):
    """True when ``password`` matches; never raises for a wrong or odd password (but
    :class:`Busy` when too many are checked at once)."""
    try:
        with hashing_slot():
            return _in_hashing_thread(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return _hasher.check_needs_rehash(password_hash)


# Verifying against a real hash when the user does not exist keeps the response time
# the same, so timing does not reveal which usernames exist. ``DUMMY_HASH`` is made at
# its first use, not on import: one argon2 hash is 0.1-0.3 s of every start otherwise.


def __getattr__(name):
    if name == "DUMMY_HASH":
        globals()[name] = _hasher.hash("no-such-user-placeholder")
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
