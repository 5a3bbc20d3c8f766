"""Sessions: kept on the server (ended at once, from anywhere), the idle timeout and
the session cookie's flags."""

import types

import pytest

from accounts import session_store, sessions, store
from app import create_app
from audit import store as audit_store
from core.web import get_db
from tests.conftest import HTMX, PASSWORD, LoggedIn
from tests.test_accounts_views import NEW_PASSWORD, csrf_from, is_logged_in

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)

MINUTE = 60


@pytest.fixture
def clock(monkeypatch):
    """The clock accounts.sessions reads (and only that one)."""
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


def test_login_starts_a_permanent_session_with_a_server_side_row(app, clock, db):
    client = LoggedIn(app.test_client(), "facilitator")
    with client.session_transaction() as session:
        assert session.permanent
    (row,) = db.table("user_sessions").rows
    assert row["created_at"] == row["last_seen_at"] == clock.now
    # The cookie holds a random token; the database only its hash.
    assert row["token_hash"] not in client.get_cookie("session").value


def test_session_last_seen_is_written_at_most_once_a_minute(app, clock, db):
    client = LoggedIn(app.test_client(), "facilitator")
    started = clock.now
    for _ in range(30):  # the conference view polls every second
        clock.now += 1
        assert client.get("/profiel", headers=HTMX).status_code == 200
    assert next(db.table("user_sessions").rows)["last_seen_at"] == started
    clock.now += 31
    client.get("/profiel")
    assert next(db.table("user_sessions").rows)["last_seen_at"] == clock.now


def test_session_idle_timeout_is_kept_on_the_server(app, clock, db):
    client = LoggedIn(app.test_client(), "facilitator")
    copy = replay(app, client)
    clock.now += 31 * MINUTE
    # The copy does not know when the session was last used, the server does.
    assert copy.get("/profiel").status_code == 302
    assert client.get("/profiel").status_code == 302
    assert list(db.table("user_sessions").rows) == []


# Ending sessions: a copied cookie is worth no more than the session on the server


def replay(app, client):
    """A new client with a copy of ``client``'s session cookie (and its CSRF token)."""
    copy = LoggedIn.__new__(LoggedIn)
    copy.client = app.test_client()
    copy.client.set_cookie("session", client.get_cookie("session").value)
    copy.token = client.token
    return copy


def assert_logged_out(copy):
    response = copy.get("/profiel")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    response = copy.get("/api/families")
    assert response.status_code == 401
    assert response.get_json() == {"error": LOGIN_REQUIRED}


LOGIN_REQUIRED = "authentication required: log in or send 'Authorization: Bearer <token>'"


def test_session_cookie_copied_before_logout_is_worthless_after(app):
    client = LoggedIn(app.test_client(), "facilitator")
    copy = replay(app, client)
    assert is_logged_in(copy)  # the copy works while the session does
    assert client.post("/logout").status_code == 302
    assert_logged_out(copy)


def test_session_cookie_copied_is_worthless_after_a_password_change(app):
    client = LoggedIn(app.test_client(), "facilitator")
    other = LoggedIn(app.test_client(), "facilitator")
    copy = replay(app, other)
    data = {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    assert client.post("/profiel/wachtwoord", data=data).status_code == 302
    assert_logged_out(copy)
    assert_logged_out(other)
    # The session that changed it goes on, deliberately: the user just proved the password.
    assert is_logged_in(client)


def test_session_cookie_copied_is_worthless_after_deactivation(app):
    victim = LoggedIn(app.test_client(), "facilitator")
    copy = replay(app, victim)
    admin = LoggedIn(app.test_client(), "admin")
    user_id = user(app, "facilitator")["id"]
    assert admin.post(f"/beheer/gebruikers/{user_id}/actief", data={"active": "0"}).status_code
    assert_logged_out(copy)
    # Reactivated, the old cookie still opens nothing: its session is gone.
    admin.post(f"/beheer/gebruikers/{user_id}/actief", data={"active": "1"})
    assert_logged_out(copy)


def test_session_cookie_copied_is_worthless_after_log_out_everywhere(app, db):
    first = LoggedIn(app.test_client(), "facilitator")
    second = LoggedIn(app.test_client(), "facilitator")
    copy = replay(app, first)
    bystander = LoggedIn(app.test_client(), "professional")
    admin = LoggedIn(app.test_client(), "admin")
    response = admin.post(f"/beheer/gebruikers/{user(app, 'facilitator')['id']}/afmelden")
    assert response.status_code == 302
    assert "facilitator is overal afgemeld (2 sessie(s) beëindigd)." in admin.get(
        "/beheer/gebruikers"
    ).get_data(as_text=True)
    for client in (first, second, copy):
        assert_logged_out(client)
    assert is_logged_in(bystander) and is_logged_in(admin)
    (entry,) = [
        e for e in audit_store.entries(db) if e["object"] == "user facilitator sessions ended"
    ]
    assert (entry["event"], entry["outcome"], entry["username"]) == ("change", "success", "admin")


def test_session_remember_cookie_does_not_bring_an_ended_session_back(app):
    from flask_login.utils import encode_cookie

    client = LoggedIn(app.test_client(), "facilitator")
    copy = replay(app, client)
    with copy.session_transaction() as session:
        token = session["_user_id"]
    client.post("/logout")
    with app.test_request_context():
        remember = encode_cookie(token)
    fresh = app.test_client()
    fresh.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), remember)
    assert not is_logged_in(fresh)


# The profile lists the user's sessions


def test_profile_lists_the_sessions_and_ends_another(app, db):
    firefox = app.test_client()
    firefox.environ_base.update(REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT=FIREFOX)
    firefox = LoggedIn(firefox, "facilitator")
    phone = app.test_client()
    phone.environ_base.update(REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT=SAFARI)
    phone = LoggedIn(phone, "facilitator")
    LoggedIn(app.test_client(), "professional")  # not theirs: not listed
    html = firefox.get("/profiel").get_data(as_text=True)
    assert 'Firefox op Windows <span class="badge badge-active">deze sessie</span>' in html
    assert "Safari op iPhone</td>" in html
    assert "192.0.2.10" in html and "198.51.100.20" in html
    assert html.count('id="sessie-') == 2
    (phone_session,) = [
        row["id"] for row in db.table("user_sessions").rows if row["address"] == "198.51.100.20"
    ]
    response = firefox.post(f"/profiel/sessies/{phone_session}/beeindigen")
    assert response.status_code == 302
    assert "De sessie is beëindigd." in firefox.get("/profiel").get_data(as_text=True)
    assert not is_logged_in(phone)
    assert is_logged_in(firefox)


def test_profile_ending_this_session_logs_out(app):
    client = LoggedIn(app.test_client(), "facilitator")
    copy = replay(app, client)
    (this,) = [row["id"] for row in session_rows(app, "facilitator")]
    response = client.post(f"/profiel/sessies/{this}/beeindigen")
    assert response.headers["Location"] == "/login"
    assert_logged_out(copy)


def test_profile_cannot_end_another_users_session(app):
    other = LoggedIn(app.test_client(), "professional")
    (theirs,) = [row["id"] for row in session_rows(app, "professional")]
    client = LoggedIn(app.test_client(), "facilitator")
    assert client.post(f"/profiel/sessies/{theirs}/beeindigen").status_code == 404
    assert client.post("/profiel/sessies/9999/beeindigen").status_code == 404
    assert is_logged_in(other)


def test_profile_ending_a_session_needs_the_csrf_token(app):
    client = LoggedIn(app.test_client(), "facilitator")
    (this,) = [row["id"] for row in session_rows(app, "facilitator")]
    assert client.client.post(f"/profiel/sessies/{this}/beeindigen").status_code == 400
    assert is_logged_in(client)


def session_rows(app, username):
    with app.app_context():
        return session_store.active(get_db(), user(app, username)["id"], 2e9, 1e10)


def user(app, username):
    with app.app_context():
        return store.get_user_by_name(get_db(), username)


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
