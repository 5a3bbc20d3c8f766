"""Password hashing (argon2id) and the password policy."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256

_hasher = PasswordHasher()


class WeakPassword(ValueError):
    """The password does not meet the policy; the message is Dutch, for the user."""


def check_policy(password):
    """Raise :class:`WeakPassword` when ``password`` is not acceptable."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise WeakPassword(f"Een wachtwoord heeft minstens {MIN_LENGTH} tekens.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Een wachtwoord heeft hooguit {MAX_LENGTH} tekens.")
    if len(set(password)) < 4:
        raise WeakPassword("Dit wachtwoord is te eenvoudig: gebruik meer verschillende tekens.")


def hash_password(password):
    return _hasher.hash(password)


def verify_password(password_hash, password):
    """True when ``password`` matches; never raises for a wrong or odd password."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return _hasher.check_needs_rehash(password_hash)


# Verifying against a real hash when the user does not exist keeps the response time
# the same, so timing does not reveal which usernames exist.
DUMMY_HASH = _hasher.hash("no-such-user-placeholder")
