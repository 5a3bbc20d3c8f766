"""Login rate limits: per address and per account, counting failed attempts only."""

import pytest

from accounts import store
from audit import store as audit_store
from core.web import get_db
from tests.conftest import PASSWORD
from tests.test_accounts_views import csrf_from, is_logged_in, post_login

TOO_MANY = "Te veel inlogpogingen. Probeer het over enkele minuten opnieuw."
WRONG = "niet het goede wachtwoord"


@pytest.fixture
def limits(app):
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


# Per account


def test_rate_limit_per_account_blocks_after_the_failures(app, client, limits):
    limits(per_account="3 per 10 minutes")
    for _ in range(3):
        assert post_login(client, password=WRONG).status_code == 401
    response = post_login(client)  # the right password, but too late
    assert response.status_code == 429
    assert TOO_MANY in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_rate_limit_per_account_counts_the_name_in_any_case(app, limits):
    limits(per_account="2 per 10 minutes")
    post_login(from_address(app, "10.0.0.1"), username="Facilitator", password=WRONG)
    post_login(from_address(app, "10.0.0.2"), username="FACILITATOR ", password=WRONG)
    assert post_login(from_address(app, "10.0.0.3")).status_code == 429


def test_rate_limit_per_account_leaves_other_accounts_alone(app, client, limits):
    limits(per_account="2 per 10 minutes")
    for _ in range(2):
        post_login(client, password=WRONG)
    assert post_login(client).status_code == 429
    assert post_login(client, username="professional").status_code == 302


def test_rate_limit_per_account_does_not_count_successes(app, client, limits):
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
    assert f'<p class="form-errors" role="alert">{TOO_MANY}</p>' in html
    assert "Gebruikersnaam of wachtwoord klopt niet." not in html


def test_rate_limit_get_of_the_login_page_is_never_limited(app, client, limits):
    limits(per_account="1 per 10 minutes", per_address="1 per 10 minutes")
    post_login(client, password=WRONG)
    assert client.get("/login").status_code == 200


# Per address


def test_rate_limit_per_address_blocks_every_account(app, limits):
    limits(per_address="3 per 10 minutes")
    client = from_address(app, "192.0.2.7")
    for name in ("niemand", "professional", "admin"):
        assert post_login(client, username=name, password=WRONG).status_code == 401
    response = post_login(client, username="facilitator")
    assert response.status_code == 429
    assert TOO_MANY in response.get_data(as_text=True)
    assert post_login(from_address(app, "192.0.2.8")).status_code == 302


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
