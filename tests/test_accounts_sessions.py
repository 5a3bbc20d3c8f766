"""Sessions: the idle timeout and the session cookie's flags."""

import types

import pytest

from accounts import store
from app import create_app
from audit import store as audit_store
from core import sessions
from core.web import get_db
from tests.conftest import LoggedIn
from tests.test_accounts_views import csrf_from

MINUTE = 60


@pytest.fixture
def clock(monkeypatch):
    """The clock core.sessions reads (and only that one)."""
    clock = types.SimpleNamespace(now=1_800_000_000.0)
    clock.time = lambda: clock.now
    monkeypatch.setattr(sessions, "time", clock)
    return clock


def test_session_idle_longer_than_the_timeout_goes_to_login(app, clock):
    client = LoggedIn(app.test_client(), "facilitator")
    clock.now += 31 * MINUTE
    response = client.get("/profiel")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    html = client.get("/login").get_data(as_text=True)
    assert sessions.EXPIRED_MESSAGE in html
    # Logged out for good, not just this once.
    clock.now += 1
    assert client.get("/profiel").status_code == 302


def test_session_activity_within_the_window_keeps_it_alive(app, clock):
    client = LoggedIn(app.test_client(), "facilitator")
    for _ in range(4):
        clock.now += 20 * MINUTE
        assert client.get("/profiel").status_code == 200


def test_session_timeout_follows_the_config(app, clock):
    app.config["IDLE_TIMEOUT_MINUTES"] = 5
    client = LoggedIn(app.test_client(), "facilitator")
    clock.now += 4 * MINUTE
    assert client.get("/profiel").status_code == 200
    clock.now += 6 * MINUTE
    assert client.get("/profiel").status_code == 302


def test_session_timeout_is_logged(app, clock):
    client = LoggedIn(app.test_client(), "facilitator")
    clock.now += 31 * MINUTE
    client.get("/profiel")
    with app.app_context():
        (entry,) = [row for row in audit_store.entries(get_db()) if row["event"] == "logout"]
    assert (entry["outcome"], entry["detail"], entry["username"]) == (
        "success",
        "idle timeout",
        "facilitator",
    )


def test_login_starts_a_permanent_session_with_last_seen(app, clock):
    client = LoggedIn(app.test_client(), "facilitator")
    with client.session_transaction() as session:
        assert session.permanent
        assert session[sessions.LAST_SEEN] == clock.now


@pytest.fixture
def default_app(tmp_path, monkeypatch):
    """The app with the cookie settings of a deployment (nothing relaxed for tests)."""
    monkeypatch.delenv("MAATWERKTAFEL_INSECURE_COOKIES", raising=False)
    return create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE": str(tmp_path / "c.db")})


def login_cookie(app, base_url):
    with app.app_context():
        store.create_user(get_db(), "anna", "correct horse battery staple", "facilitator")
    client = app.test_client()
    html = client.get("/login", base_url=base_url).get_data(as_text=True)
    # Over HTTPS, Flask-WTF also wants a same-site Referer.
    response = client.post(
        "/login",
        base_url=base_url,
        headers={"Referer": base_url + "/login"},
        data={"username": "anna", "password": "correct horse battery staple",
              "csrf_token": csrf_from(html)},
    )  # fmt: skip
    assert response.status_code == 302
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_session_cookie_is_secure_httponly_lax_and_expires(default_app):
    cookie = login_cookie(default_app, "https://localhost")
    assert "; Secure" in cookie
    assert "; HttpOnly" in cookie
    assert "; SameSite=Lax" in cookie
    assert "; Expires=" in cookie  # permanent: it ends with the idle timeout


def test_session_cookie_insecure_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("MAATWERKTAFEL_INSECURE_COOKIES", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE": str(tmp_path / "i.db")})
    cookie = login_cookie(app, "http://localhost")
    assert "; Secure" not in cookie
    assert "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
