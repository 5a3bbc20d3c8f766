"""Login limits: a delay per account and address pair, a limit per address, counted
in the database (failed attempts only)."""

import concurrent.futures
import threading
import types

import pytest

from accounts import lockout, passwords, store, throttle
from app import create_app
from audit import store as audit_store
from core.web import get_db
from tests.conftest import PASSWORD, TOTP_KEY
from tests.test_accounts_views import csrf_from, is_logged_in, post_login

WRONG = "niet het goede wachtwoord"


def too_many(wait):
    return f"Te veel inlogpogingen. Probeer het over {wait} opnieuw."


@pytest.fixture
def clock(monkeypatch):
    """The clock the limits read (and only that one)."""
    clock = types.SimpleNamespace(now=1_800_000_000.0)
    clock.time = lambda: clock.now
    monkeypatch.setattr(throttle, "time", clock)
    return clock


@pytest.fixture
def limits(app, clock):
    """Set the limits for this test (they are read from the config at each request)."""

    def set_limits(per_account="100 per 10 minutes", per_address="100 per 10 minutes"):
        app.config["RATELIMIT_LOGIN_PER_ACCOUNT"] = per_account
        app.config["RATELIMIT_LOGIN_PER_ADDRESS"] = per_address

    return set_limits


def from_address(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def log_entries(app, event="login"):
    with app.app_context():
        return [row for row in audit_store.entries(get_db()) if row["event"] == event]


def logout(client):
    token = csrf_from(client.get("/profiel").get_data(as_text=True))
    return client.post("/logout", headers={"X-CSRFToken": token})


# Per account and address


def test_rate_limit_per_pair_blocks_after_the_failures(app, client, limits):
    limits(per_account="3 per 10 minutes")
    for _ in range(3):
        assert post_login(client, password=WRONG).status_code == 401
    response = post_login(client)  # the right password, but too soon
    assert response.status_code == 429
    assert too_many("30 seconden") in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "30"
    assert not is_logged_in(client)


def test_rate_limit_per_pair_wait_doubles_and_then_lets_the_user_in(app, client, limits, clock):
    limits(per_account="2 per 10 minutes")
    for _ in range(2):
        post_login(client, password=WRONG)
    clock.now += 29
    assert post_login(client).status_code == 429
    clock.now += 1  # 30 seconds after the last failure
    assert post_login(client, password=WRONG).status_code == 401
    clock.now += 59
    response = post_login(client)
    assert response.status_code == 429 and too_many("1 seconde") in response.get_data(as_text=True)
    clock.now += 1
    assert post_login(client).status_code == 302


def test_rate_limit_wrong_passwords_elsewhere_do_not_block_the_user(app, limits):
    limits(per_account="5 per 10 minutes")
    attacker = from_address(app, "203.0.113.66")
    for _ in range(8):
        post_login(attacker, password=WRONG)
    assert post_login(attacker).status_code == 429
    # The real user, at the office, logs in as if nothing happened.
    assert post_login(from_address(app, "192.0.2.10")).status_code == 302


def test_rate_limit_wrong_passwords_from_many_addresses_do_not_block_the_user(app, limits):
    limits(per_account="5 per 10 minutes")
    for host in range(1, 13):
        for _ in range(4):  # each address stays under its own limit
            post_login(from_address(app, f"203.0.113.{host}"), password=WRONG)
    assert post_login(from_address(app, "192.0.2.10")).status_code == 302


def test_rate_limit_per_pair_counts_the_name_in_any_case(app, limits):
    limits(per_account="2 per 10 minutes")
    client = from_address(app, "10.0.0.1")
    post_login(client, username="Facilitator", password=WRONG)
    post_login(client, username="FACILITATOR ", password=WRONG)
    assert post_login(client).status_code == 429


def test_rate_limit_per_pair_leaves_other_accounts_alone(app, client, limits):
    limits(per_account="2 per 10 minutes")
    for _ in range(2):
        post_login(client, password=WRONG)
    assert post_login(client).status_code == 429
    assert post_login(client, username="professional").status_code == 302


def test_rate_limit_success_forgives_the_pairs_failures(app, client, limits):
    limits(per_account="2 per 10 minutes")
    post_login(client, password=WRONG)
    assert post_login(client).status_code == 302
    logout(client)
    for _ in range(2):
        assert post_login(client, password=WRONG).status_code == 401
    assert post_login(client).status_code == 429


def test_rate_limit_per_pair_does_not_count_successes(app, client, limits):
    limits(per_account="2 per 10 minutes")
    for _ in range(3):
        assert post_login(client).status_code == 302
        logout(client)
    assert post_login(client, password=WRONG).status_code == 401
    assert post_login(client).status_code == 302


def test_rate_limit_does_not_count_incomplete_forms(app, client, limits):
    limits(per_account="1 per 10 minutes", per_address="1 per 10 minutes")
    for _ in range(3):
        assert post_login(client, password="").status_code == 422
    assert post_login(client).status_code == 302


def test_rate_limit_breach_checks_no_password(app, client, limits, monkeypatch):
    limits(per_account="1 per 10 minutes")
    post_login(client, password=WRONG)
    calls = []
    monkeypatch.setattr(store, "authenticate", lambda *args: calls.append(args))
    assert post_login(client).status_code == 429
    assert calls == []


def test_rate_limit_page_is_dutch_with_the_login_form(app, client, limits):
    limits(per_account="1 per 10 minutes")
    post_login(client, password=WRONG)
    response = post_login(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert '<html lang="nl">' in html and "<h1>Inloggen</h1>" in html
    assert f'<p class="form-errors" role="alert">{too_many("30 seconden")}</p>' in html
    assert "Gebruikersnaam of wachtwoord klopt niet." not in html


def test_rate_limit_get_of_the_login_page_is_never_limited(app, client, limits):
    limits(per_account="1 per 10 minutes", per_address="1 per 10 minutes")
    post_login(client, password=WRONG)
    assert client.get("/login").status_code == 200


def test_rate_limit_parallel_attempts_cannot_slip_past_together(app, limits, monkeypatch):
    limits(per_account="3 per 10 minutes")
    # All twelve wait for a hashing slot (a full queue would send some away with a 503
    # before the limit is checked): every one of them reaches the limit together.
    monkeypatch.setattr(passwords, "HASHING_WAITING", 12)
    clients = [from_address(app, "203.0.113.66") for _ in range(12)]
    csrf = [csrf_from(client.get("/login").get_data(as_text=True)) for client in clients]
    start = threading.Barrier(len(clients))

    def attempt(client, token):
        start.wait()
        data = {"username": "facilitator", "password": WRONG, "csrf_token": token}
        return client.post("/login", data=data).status_code

    with concurrent.futures.ThreadPoolExecutor(len(clients)) as pool:
        statuses = list(pool.map(attempt, clients, csrf))
    # The check and the count are one transaction: exactly three passwords were tried.
    assert sorted(statuses) == [401] * 3 + [429] * 9


def test_rate_limit_survives_a_restart(app, limits):
    limits(per_account="3 per 10 minutes")
    attacker = from_address(app, "203.0.113.66")
    for _ in range(3):
        post_login(attacker, password=WRONG)
    # A new app on the same database file: what a restarted or a second worker sees.
    again = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "TOTP_KEY": TOTP_KEY,
         "DATABASE": app.config["DATABASE"], "SESSION_COOKIE_SECURE": False,
         "RATELIMIT_LOGIN_PER_ACCOUNT": "3 per 10 minutes"}
    )  # fmt: skip
    assert post_login(from_address(again, "203.0.113.66")).status_code == 429
    assert post_login(from_address(again, "192.0.2.10")).status_code == 302


def test_rate_limit_failures_are_pruned_after_the_longest_window(app, limits, clock, db):
    limits(per_account="3 per 10 minutes", per_address="30 per 10 minutes")
    post_login(from_address(app, "203.0.113.66"), password=WRONG)
    clock.now += 11 * 60
    post_login(from_address(app, "203.0.113.67"), password=WRONG)
    assert [row["address"] for row in db.table("login_failures").rows] == ["203.0.113.67"]


def test_rate_limit_a_malformed_setting_stops_the_app(tmp_path):
    with pytest.raises(RuntimeError, match="RATELIMIT_LOGIN_PER_ACCOUNT: not a limit"):
        create_app(
            {"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "x.db"),
             "TOTP_KEY": TOTP_KEY, "RATELIMIT_LOGIN_PER_ACCOUNT": "vijf"}
        )  # fmt: skip


# Per address


def test_rate_limit_per_address_blocks_every_account(app, limits):
    limits(per_address="3 per 10 minutes")
    client = from_address(app, "192.0.2.7")
    for name in ("niemand", "professional", "admin"):
        assert post_login(client, username=name, password=WRONG).status_code == 401
    response = post_login(client, username="facilitator")
    assert response.status_code == 429
    assert too_many("10 minuten") in response.get_data(as_text=True)
    assert post_login(from_address(app, "192.0.2.8")).status_code == 302


def test_rate_limit_per_address_counts_an_ipv6_slash_64_as_one(app, limits):
    limits(per_address="2 per 10 minutes")
    for host in ("1", "2"):
        post_login(from_address(app, f"2001:db8:0:7::{host}"), username="niemand", password=WRONG)
    assert post_login(from_address(app, "2001:db8:0:7::3")).status_code == 429
    assert post_login(from_address(app, "2001:db8:0:8::1")).status_code == 302


def test_rate_limit_keys_are_the_lockout_keys(app, client, limits, db):
    limits()
    post_login(client, username=" Facilitator", password=WRONG)
    (row,) = db.table("login_failures").rows
    assert (row["account"], row["address"]) == (lockout.account_key("facilitator"), "127.0.0.1")
    assert PASSWORD not in str(row) and WRONG not in str(row)


# The log


def test_login_failures_are_logged_alike_for_wrong_password_and_unknown_user(app, client):
    post_login(client, password=WRONG)
    post_login(client, username="niemand")
    unknown, wrong = log_entries(app)
    for entry, name in ((wrong, "facilitator"), (unknown, "niemand")):
        assert (entry["outcome"], entry["detail"]) == ("denied", "bad credentials")
        assert entry["object"] == f"user {name}"
        assert entry["user_id"] is None and entry["username"] is None
        assert PASSWORD not in str(entry) and WRONG not in str(entry)


def test_login_success_is_logged_with_the_user(app, client):
    post_login(client)
    (entry,) = log_entries(app)
    assert (entry["outcome"], entry["username"], entry["user_role"]) == (
        "success",
        "facilitator",
        "facilitator",
    )


def test_rate_limited_attempt_is_logged(app, client, limits):
    limits(per_account="1 per 10 minutes", per_address="1 per 10 minutes")
    post_login(client, password=WRONG)
    post_login(client)
    limited = log_entries(app)[0]
    assert (limited["outcome"], limited["detail"]) == ("denied", "rate limited")
    assert limited["object"] == "user facilitator"
    assert len(log_entries(app)) == 2  # once, though both limits were hit


def test_logout_is_logged(app, login):
    client = login()
    logout(client.client)
    (entry,) = log_entries(app, "logout")
    assert (entry["outcome"], entry["username"]) == ("success", "facilitator")
