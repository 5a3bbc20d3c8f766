"""Second-factor secrets sealed at rest. Pure: the key comes from the caller.

A TOTP secret in the database is as good as the phone that holds it: a copied database
file or backup must not be enough to log in. Secrets are stored sealed with Fernet
(AES with an HMAC, from the `cryptography` library) under a key that lives outside the
database (``instance/totp_key`` or ``MAATWERKTAFEL_TOTP_KEY``). A value without the
prefix is a secret stored before sealing existed; it is read as it is and sealed at the
next start.
"""

from cryptography.fernet import Fernet, InvalidToken

PREFIX = "fernet:"


class SealError(ValueError):
    """A sealed secret that this key cannot open (another key, or damaged)."""


def new_key():
    return Fernet.generate_key().decode("ascii")


def check_key(key):
    """Raise ValueError with a clear message when ``key`` is not a Fernet key."""
    try:
        Fernet(key)
    except (ValueError, TypeError) as error:
        raise ValueError(
            "the TOTP key must be 32 url-safe base64-encoded bytes (see Fernet.generate_key)"
        ) from error


def is_sealed(stored):
    return isinstance(stored, str) and stored.startswith(PREFIX)


def seal(secret, key):
    return PREFIX + Fernet(key).encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(stored, key):
    """The secret; a value from before sealing is returned as it is."""
    if not is_sealed(stored):
        return stored
    try:
        return Fernet(key).decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise SealError("this TOTP secret was sealed with another key") from error
