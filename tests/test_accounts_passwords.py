"""The password policy: length, variety and zxcvbn's guessability, in Dutch."""

import secrets
import string
import time

import pytest

from accounts import passwords, store
from tests.browser.conftest import PASSWORD as BROWSER_PASSWORD
from tests.conftest import PASSWORD
from tests.test_cases_cli import STRONG


@pytest.fixture
def db(empty_db):
    return empty_db


@pytest.mark.parametrize(
    "password",
    [
        "Wachtwoord123!",  # the Dutch word for password
        "maatwerktafel2025!",  # the name of the app
        "Welkom12345678",
        "qwertyuiop1234",  # a row of keys
        "password12345",
        "jeugdzorg2024!",
        "abcdabcdabcdabcd",
        "anna.anna.anna.1",
    ],
)
def test_policy_guessable_password_is_refused_with_advice(password):
    with pytest.raises(passwords.WeakPassword) as refused:
        passwords.check_policy(password)
    message = str(refused.value)
    assert message.startswith("Dit wachtwoord is te makkelijk te raden")
    assert "Kies een zin van vier of meer woorden" in message


def test_policy_names_the_reason_in_dutch():
    with pytest.raises(passwords.WeakPassword, match="herhalingen als"):
        passwords.check_policy("abcdabcdabcdabcd")


def test_policy_anna_anna_anna_is_refused(db):
    with pytest.raises(passwords.WeakPassword, match="te eenvoudig|te makkelijk"):
        store.create_user(db, "anna", "anna-anna-anna", "facilitator")
    assert store.list_users(db) == []


def test_policy_refuses_a_password_made_of_the_users_own_names(db):
    # Strong for a stranger, guessable for whoever knows the user.
    passwords.check_policy("jolandavermeulen")
    with pytest.raises(passwords.WeakPassword, match="te makkelijk te raden"):
        store.create_user(db, "jvermeulen", "jolandavermeulen", "professional", "Jolanda Vermeulen")
    assert store.list_users(db) == []


def test_policy_change_password_uses_the_users_names(db):
    user_id = store.create_user(db, "kwartelkoning", PASSWORD, "professional")
    with pytest.raises(passwords.WeakPassword):
        store.change_password(db, user_id, "kwartelkoning77")
    assert store.authenticate(db, "kwartelkoning", PASSWORD) is not None


@pytest.mark.parametrize("password", [PASSWORD, BROWSER_PASSWORD, STRONG])
def test_policy_accepts_the_passwords_the_tests_use(password):
    passwords.check_policy(password, user_inputs=["facilitator", "b-admin", "nieuwe"])


def test_policy_accepts_a_passphrase():
    passwords.check_policy("paars fietsrek onder de regenboog")


def test_policy_maximum_is_256_characters():
    passwords.check_policy("correct horse battery staple " + "x" * 227)  # 256
    with pytest.raises(passwords.WeakPassword, match="hooguit 256 tekens"):
        passwords.check_policy("correct horse battery staple " + "x" * 228)


def test_policy_long_random_password_is_checked_quickly():
    # zxcvbn alone takes half a minute for 256 random characters.
    password = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(256))
    started = time.perf_counter()
    passwords.check_policy(password)
    assert time.perf_counter() - started < 2


def test_policy_checks_of_different_users_do_not_mix():
    # zxcvbn keeps user inputs in a global: the lock keeps each check to its own names.
    assert passwords.strength("jolandavermeulen", ["Jolanda Vermeulen"])[0] < 3
    assert passwords.strength("jolandavermeulen", ["bert"])[0] >= 3


def test_users_create_cli_refuses_a_guessable_password(app, runner):
    result = runner.invoke(
        args=["users", "create", "nieuwe", "--role", "admin", "--password-env", "PW"],
        env={"PW": "Wachtwoord123!"},
    )
    assert result.exit_code != 0
    assert "te makkelijk te raden" in result.output
