"""Second-factor secrets sealed at rest: the database alone does not give them away."""

import pyotp
import pytest

from accounts import sealing
from accounts import store as accounts_store
from app import create_app
from core import database
from tests.conftest import TOTP_KEY, make_app

OTHER_KEY = sealing.new_key()


def test_seal_and_unseal_round_trip_and_a_sealed_value_hides_the_secret():
    secret = pyotp.random_base32()
    sealed = sealing.seal(secret, TOTP_KEY)
    assert sealed.startswith("fernet:") and secret not in sealed
    assert sealing.unseal(sealed, TOTP_KEY) == secret
    assert sealing.seal(secret, TOTP_KEY) != sealed  # a fresh nonce every time


def test_another_key_cannot_open_it_and_says_so():
    sealed = sealing.seal("JBSWY3DPEHPK3PXP", TOTP_KEY)
    with pytest.raises(sealing.SealError, match="another key"):
        sealing.unseal(sealed, OTHER_KEY)


def test_a_secret_from_before_sealing_reads_as_it_is():
    assert sealing.unseal("JBSWY3DPEHPK3PXP", TOTP_KEY) == "JBSWY3DPEHPK3PXP"


def test_a_plain_secret_in_an_old_database_is_sealed_at_start(tmp_path):
    path = tmp_path / "oud.db"
    make_app(path)
    db = database.connect(str(path))
    db.execute("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE username = 'facilitator'")
    # The next start of the app on that database.
    create_app({"TESTING": True, "SECRET_KEY": "x", "TOTP_KEY": TOTP_KEY, "DATABASE": str(path)})
    row = next(db.query("SELECT totp_secret FROM users WHERE username = 'facilitator'"))
    assert sealing.is_sealed(row["totp_secret"])
    assert sealing.unseal(row["totp_secret"], TOTP_KEY) == "JBSWY3DPEHPK3PXP"
    db.close()


def test_with_the_wrong_key_no_code_is_accepted(app, db):
    user = accounts_store.get_user_by_name(db, "facilitator")
    secret = accounts_store.begin_totp(db, user["id"], TOTP_KEY)
    code = pyotp.TOTP(secret).now()
    assert not accounts_store.confirm_totp(db, user["id"], code, OTHER_KEY)
    assert accounts_store.confirm_totp(db, user["id"], code, TOTP_KEY)


def test_a_bad_key_stops_the_app_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("MAATWERKTAFEL_TOTP_KEY", "te-kort")
    with pytest.raises(RuntimeError, match="MAATWERKTAFEL_TOTP_KEY: the TOTP key must be"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "x.db")})
