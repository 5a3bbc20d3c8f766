"""The second factor without the web layer: codes, replay, enrolment, role settings,
and the admin's changes to other users."""

import base64

import pyotp
import pytest

import domains
from accounts import migrations, store, totp
from core import database
from tests.conftest import PASSWORD, TOTP_KEY

NOW = 1_800_000_015.0  # in the middle of a 30-second step


@pytest.fixture
def db(empty_db):
    return empty_db


@pytest.fixture
def clock(monkeypatch):
    """The time the server reads codes by; tests move it on step by step."""

    class Clock:
        now = NOW

        def __call__(self):
            return self.now

        def code(self, secret, steps=0):
            return pyotp.TOTP(secret).at(self.now + steps * totp.STEP_SECONDS)

    clock = Clock()
    monkeypatch.setattr(totp, "clock", clock)
    return clock


@pytest.fixture
def user_id(db):
    return store.create_user(db, "anna", PASSWORD, "facilitator", display_name="Anna de Boer")


def enrolled(db, user_id, clock):
    secret = store.begin_totp(db, user_id, TOTP_KEY)
    assert store.confirm_totp(db, user_id, clock.code(secret), TOTP_KEY)
    clock.now += totp.STEP_SECONDS
    return secret


# Codes (pure)


@pytest.mark.parametrize("steps", [-1, 0, 1])
def test_matching_step_accepts_a_step_of_drift(steps):
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW + steps * 30)
    assert totp.matching_step(secret, code, now=NOW) == totp.step_at(NOW) + steps


@pytest.mark.parametrize("steps", [-3, -2, 2, 3])
def test_matching_step_refuses_codes_further_away(steps):
    secret = totp.new_secret()
    assert totp.matching_step(secret, pyotp.TOTP(secret).at(NOW + steps * 30), now=NOW) is None


def test_matching_step_refuses_a_step_already_used():
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    step = totp.matching_step(secret, code, now=NOW)
    assert totp.matching_step(secret, code, now=NOW, after=step) is None
    assert totp.matching_step(secret, pyotp.TOTP(secret).at(NOW - 30), now=NOW, after=step) is None
    assert totp.matching_step(secret, pyotp.TOTP(secret).at(NOW + 30), now=NOW, after=step)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", None, 123456, "12 34 5"])
def test_matching_step_refuses_what_is_not_six_digits(code):
    assert totp.matching_step(totp.new_secret(), code, now=NOW) is None


def test_matching_step_accepts_the_code_as_apps_show_it():
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    assert totp.matching_step(secret, f" {code[:3]} {code[3:]} ", now=NOW) is not None


def test_new_secret_is_160_bits_of_base32_and_new_each_time():
    secrets = {totp.new_secret() for _ in range(20)}
    assert len(secrets) == 20
    assert all(len(base64.b32decode(secret)) == 20 for secret in secrets)


def test_provisioning_uri_names_the_app_and_the_user():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "anna")
    assert uri.startswith("otpauth://totp/Maatwerktafel:anna?")
    assert "secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in uri and "issuer=Maatwerktafel" in uri


def test_qr_code_is_an_svg_image_without_script_or_style():
    uri = totp.qr_data_uri(totp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "anna"))
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    svg = base64.b64decode(uri[len(prefix) :]).decode()
    assert svg.startswith("<svg") and "<path" in svg
    assert "script" not in svg and "style" not in svg


def test_grouped_secret_reads_in_fours():
    assert totp.grouped("ABCDEFGHIJKL") == "ABCD EFGH IJKL"


# Enrolment and verification (store)


def test_begin_totp_is_pending_until_confirmed(db, user_id, clock):
    assert store.totp_state(store.get_user(db, user_id)) == store.TOTP_OFF
    secret = store.begin_totp(db, user_id, TOTP_KEY)
    assert store.totp_state(store.get_user(db, user_id)) == store.TOTP_PENDING
    assert not store.verify_totp(db, user_id, clock.code(secret), TOTP_KEY)  # not on yet


def test_confirm_totp_wrong_code_changes_nothing(db, user_id, clock):
    secret = store.begin_totp(db, user_id, TOTP_KEY)
    wrong = "000000" if clock.code(secret) != "000000" else "111111"
    assert not store.confirm_totp(db, user_id, wrong, TOTP_KEY)
    assert store.totp_state(store.get_user(db, user_id)) == store.TOTP_PENDING


def test_confirm_totp_turns_it_on_and_ends_other_sessions(db, user_id, clock):
    epoch = store.get_user(db, user_id)["auth_epoch"]
    secret = store.begin_totp(db, user_id, TOTP_KEY)
    assert store.confirm_totp(db, user_id, clock.code(secret), TOTP_KEY)
    user = store.get_user(db, user_id)
    assert store.totp_state(user) == store.TOTP_ON
    assert user["auth_epoch"] == epoch + 1


def test_confirm_totp_code_cannot_be_used_again_to_log_in(db, user_id, clock):
    secret = store.begin_totp(db, user_id, TOTP_KEY)
    code = clock.code(secret)
    assert store.confirm_totp(db, user_id, code, TOTP_KEY)
    assert not store.verify_totp(db, user_id, code, TOTP_KEY)


def test_verify_totp_a_code_works_once(db, user_id, clock):
    secret = enrolled(db, user_id, clock)
    code = clock.code(secret)
    assert store.verify_totp(db, user_id, code, TOTP_KEY)
    assert not store.verify_totp(db, user_id, code, TOTP_KEY)


def test_verify_totp_an_older_code_after_a_newer_one_is_refused(db, user_id, clock):
    secret = enrolled(db, user_id, clock)
    clock.now += 3 * totp.STEP_SECONDS
    older = clock.code(secret, steps=-1)
    assert store.verify_totp(db, user_id, clock.code(secret), TOTP_KEY)
    assert not store.verify_totp(db, user_id, older, TOTP_KEY)


def test_verify_totp_the_next_step_works(db, user_id, clock):
    secret = enrolled(db, user_id, clock)
    assert store.verify_totp(db, user_id, clock.code(secret), TOTP_KEY)
    clock.now += totp.STEP_SECONDS
    assert store.verify_totp(db, user_id, clock.code(secret), TOTP_KEY)


def test_begin_totp_when_on_is_refused(db, user_id, clock):
    enrolled(db, user_id, clock)
    with pytest.raises(store.AccountError, match="staat al aan"):
        store.begin_totp(db, user_id, TOTP_KEY)


def test_cancel_totp_drops_only_a_pending_setup(db, user_id, clock):
    store.begin_totp(db, user_id, TOTP_KEY)
    store.cancel_totp(db, user_id)
    assert store.totp_state(store.get_user(db, user_id)) == store.TOTP_OFF
    enrolled(db, user_id, clock)
    store.cancel_totp(db, user_id)
    assert store.totp_state(store.get_user(db, user_id)) == store.TOTP_ON


def test_disable_totp_forgets_the_secret(db, user_id, clock):
    secret = enrolled(db, user_id, clock)
    store.disable_totp(db, user_id)
    user = store.get_user(db, user_id)
    assert store.totp_state(user) == store.TOTP_OFF
    assert secret not in "\n".join(db.conn.iterdump())


def test_reset_totp_ends_sessions(db, user_id, clock):
    enrolled(db, user_id, clock)
    epoch = store.get_user(db, user_id)["auth_epoch"]
    store.reset_totp(db, user_id)
    user = store.get_user(db, user_id)
    assert store.totp_state(user) == store.TOTP_OFF and user["auth_epoch"] == epoch + 1


def test_overview_shows_states_never_secrets_or_hashes(db, user_id, clock):
    secret = enrolled(db, user_id, clock)
    store.create_user(db, "bert", PASSWORD, "admin")
    rows = {row["username"]: row for row in store.overview(db)}
    assert rows["anna"]["totp_state"] == store.TOTP_ON
    assert rows["bert"]["totp_state"] == store.TOTP_OFF
    for row in rows.values():
        assert "password_hash" not in row and "totp_secret" not in row
        assert secret not in str(row)


# Per-role settings


def test_set_totp_required_ends_sessions_of_users_without_it(db, user_id, clock):
    with_totp = store.create_user(db, "bert", PASSWORD, "facilitator")
    enrolled(db, with_totp, clock)
    other_role = store.create_user(db, "carla", PASSWORD, "professional")
    epochs = {
        uid: store.get_user(db, uid)["auth_epoch"] for uid in (user_id, with_totp, other_role)
    }
    assert store.set_totp_required(db, "facilitator", True) == ["anna"]
    assert store.totp_required(db, "facilitator") and not store.totp_required(db, "professional")
    after = {uid: store.get_user(db, uid)["auth_epoch"] for uid in epochs}
    assert after == {user_id: epochs[user_id] + 1, with_totp: epochs[with_totp],
                     other_role: epochs[other_role]}  # fmt: skip


def test_set_totp_required_off_again(db, user_id):
    store.set_totp_required(db, "facilitator", True)
    assert store.set_totp_required(db, "facilitator", False) == []
    assert store.totp_required_roles(db) == set()


def test_set_totp_required_unknown_role_is_refused(db):
    with pytest.raises(store.AccountError, match="Onbekende rol"):
        store.set_totp_required(db, "baas", True)


# An admin's changes to other users


def test_set_active_deactivating_ends_sessions_and_tokens(db, user_id):
    admin = store.create_user(db, "bert", PASSWORD, "admin")
    token = store.create_token(db, user_id, "script")
    epoch = store.get_user(db, user_id)["auth_epoch"]
    store.set_active(db, user_id, False, by=admin)
    user = store.get_user(db, user_id)
    assert not user["active"] and user["auth_epoch"] == epoch + 1
    assert store.user_for_token(db, token) is None and store.list_tokens(db, user_id) == []
    store.set_active(db, user_id, True, by=admin)
    assert store.authenticate(db, "anna", PASSWORD) is not None


def test_set_active_on_oneself_is_refused(db):
    admin = store.create_user(db, "bert", PASSWORD, "admin")
    with pytest.raises(store.AccountError, match="eigen account"):
        store.set_active(db, admin, False, by=admin)
    assert store.get_user(db, admin)["active"]


def test_set_role_to_a_role_requiring_totp_ends_sessions(db, user_id):
    admin = store.create_user(db, "bert", PASSWORD, "admin")
    store.set_totp_required(db, "professional", True)
    epoch = store.get_user(db, user_id)["auth_epoch"]
    assert store.set_role(db, user_id, "professional", by=admin) is True
    user = store.get_user(db, user_id)
    assert user["role"] == "professional" and user["auth_epoch"] == epoch + 1
    assert store.set_role(db, user_id, "project_lead", by=admin) is False


def test_set_role_on_oneself_or_unknown_is_refused(db, user_id):
    admin = store.create_user(db, "bert", PASSWORD, "admin")
    with pytest.raises(store.AccountError, match="eigen rol"):
        store.set_role(db, admin, "facilitator", by=admin)
    with pytest.raises(store.AccountError, match="Onbekende rol"):
        store.set_role(db, user_id, "baas", by=admin)
    assert store.get_user(db, user_id)["role"] == "facilitator"


def test_reset_totp_of_oneself_is_refused(db, clock):
    admin = store.create_user(db, "bert", PASSWORD, "admin")
    enrolled(db, admin, clock)
    with pytest.raises(store.AccountError, match="profielpagina"):
        store.reset_totp_of(db, admin, by=admin)
    assert store.totp_state(store.get_user(db, admin)) == store.TOTP_ON


# The schema


def test_migration_second_factor_upgrades_an_existing_database(tmp_path):
    db = database.connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="add_second_factor")
    db.table("users").insert(
        {"username": "anna", "display_name": "Anna", "role": "admin", "password_hash": "x",
         "created_at": "2024-01-01T00:00:00+00:00"}
    )  # fmt: skip
    domains.init_db(db)
    (user,) = store.list_users(db)
    assert store.totp_state(user) == store.TOTP_OFF and user["totp_last_step"] is None
    assert store.totp_required_roles(db) == set()
    names = [m.name for m in migrations.migrations.applied(db)]
    assert names[:2] == ["create_account_tables", "add_second_factor"]
