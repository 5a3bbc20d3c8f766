"""The second factor through the test client: setting it up on the profile page,
logging in with a code, turning it off, and roles that require it."""

import re

import pyotp
import pytest

from accounts import store, totp
from accounts import views as account_views
from audit import store as audit_store
from core.web import get_db
from tests.conftest import TOTP_KEY, LoggedIn
from tests.test_accounts_views import csrf_from, is_logged_in, post_login

BAD_CODE = "Deze code klopt niet of is al gebruikt."


@pytest.fixture
def clock(monkeypatch):
    """The server's clock for codes and for pending logins; tests move it on."""

    class Clock:
        now = (int(account_views.time.time()) // 30) * 30 + 15.0

        def __call__(self):
            return self.now

        def time(self):
            return self.now

        def code(self, secret):
            return pyotp.TOTP(secret).at(self.now)

        def next_step(self):
            self.now += totp.STEP_SECONDS

    clock = Clock()
    monkeypatch.setattr(totp, "clock", clock)
    monkeypatch.setattr(account_views, "time", clock)
    return clock


def secret_on(html):
    """The secret as the page shows it to type over, without its spaces."""
    return re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")


def post_code(client, url, code, token=None):
    token = token or csrf_from(client.get("/login").get_data(as_text=True))
    return client.post(url, data={"code": code, "csrf_token": token})


def enrol_on_profile(client, clock):
    """Set up the second factor as a logged-in user would; return the secret."""
    assert client.post("/profiel/tweestapsverificatie").status_code == 302
    secret = secret_on(client.get("/profiel").get_data(as_text=True))
    response = client.post(
        "/profiel/tweestapsverificatie/bevestigen", data={"code": clock.code(secret)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    clock.next_step()
    return secret


def login_with_code(app, clock, secret, username="facilitator"):
    """A new client that logs in with password and code; returns it logged in."""
    client = app.test_client()
    response = post_login(client, username=username)
    assert response.headers["Location"] == "/login/code"
    response = client.post(
        "/login/code",
        data={
            "code": clock.code(secret),
            "csrf_token": csrf_from(client.get("/login/code").get_data(as_text=True)),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    clock.next_step()
    return client


def wrong(code):
    return "000000" if code != "000000" else "111111"


def log(app, event=None):
    with app.app_context():
        rows = audit_store.entries(get_db())
    return [row for row in rows if event is None or row["event"] == event]


def user(app, username="facilitator"):
    with app.app_context():
        return store.get_user_by_name(get_db(), username)


# Setting it up on the profile page


def test_profile_offers_the_second_factor_when_off(login):
    html = login().get("/profiel").get_data(as_text=True)
    assert '<h2 id="totp-heading">Tweestapsverificatie</h2>' in html
    assert "Tweestapsverificatie instellen" in html


def test_profile_setup_shows_qr_code_and_secret_without_inline_style(app, login, clock):
    client = login()
    client.post("/profiel/tweestapsverificatie")
    response = client.get("/profiel")
    html = response.get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in html
    secret = secret_on(html)
    assert secret == store.totp_secret(user(app), TOTP_KEY)
    # At rest the secret is sealed: the database alone does not give it away.
    assert secret not in user(app)["totp_secret"]
    assert " style=" not in html and "<script>" not in html
    assert "img-src 'self' data:" in response.headers["Content-Security-Policy"]
    assert store.totp_state(user(app)) == store.TOTP_PENDING


def test_profile_setup_counts_only_after_a_right_code(app, login, clock):
    client = login()
    client.post("/profiel/tweestapsverificatie")
    secret = secret_on(client.get("/profiel").get_data(as_text=True))
    response = client.post(
        "/profiel/tweestapsverificatie/bevestigen", data={"code": wrong(clock.code(secret))}
    )
    assert response.status_code == 422
    assert BAD_CODE in response.get_data(as_text=True)
    assert store.totp_state(user(app)) == store.TOTP_PENDING
    assert post_login(app.test_client()).headers["Location"] == "/"  # no code asked yet
    response = client.post(
        "/profiel/tweestapsverificatie/bevestigen", data={"code": pyotp.TOTP(secret).now()}
    )
    assert response.status_code == 302
    assert store.totp_state(user(app)) == store.TOTP_ON
    html = client.get("/profiel").get_data(as_text=True)
    assert "Tweestapsverificatie staat aan." in html and "Tweestapsverificatie uitzetten" in html


def test_profile_setup_ends_other_sessions_but_not_this_one(app, clock):
    this = LoggedIn(app.test_client(), "facilitator")
    other = LoggedIn(app.test_client(), "facilitator")
    enrol_on_profile(this, clock)
    assert is_logged_in(this)
    assert not is_logged_in(other)


def test_profile_setup_cancel(app, login, clock):
    client = login()
    client.post("/profiel/tweestapsverificatie")
    assert client.post("/profiel/tweestapsverificatie/annuleren").status_code == 302
    assert store.totp_state(user(app)) == store.TOTP_OFF


def test_profile_setup_again_when_on_is_refused(app, login, clock):
    client = login()
    secret = enrol_on_profile(client, clock)
    client.post("/profiel/tweestapsverificatie")
    assert "staat al aan" in client.get("/profiel").get_data(as_text=True)
    assert store.totp_secret(user(app), TOTP_KEY) == secret


@pytest.mark.parametrize("action", ["", "/bevestigen", "/uitzetten", "/annuleren"])
def test_profile_second_factor_routes_need_csrf(app, login, action):
    client = login().client
    url = "/profiel/tweestapsverificatie" + action
    assert client.post(url, data={"code": "123456"}).status_code == 400
    assert store.totp_state(user(app)) == store.TOTP_OFF


# Logging in with a code


def test_login_with_second_factor_full_flow(app, login, clock):
    secret = enrol_on_profile(login(), clock)
    client = app.test_client()
    response = post_login(client)
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    # The password alone logs nobody in.
    assert not is_logged_in(client)
    page = client.get("/login/code")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>Code invullen</h1>" in html
    assert 'autocomplete="one-time-code"' in html
    token = csrf_from(html)
    response = post_code(client, "/login/code", wrong(clock.code(secret)), token)
    assert response.status_code == 401
    assert BAD_CODE in response.get_data(as_text=True)
    assert not is_logged_in(client)
    response = post_code(client, "/login/code", clock.code(secret), token)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert is_logged_in(client)
    assert user(app)["last_login_at"] is not None


def test_login_code_cannot_be_used_twice(app, login, clock):
    secret = enrol_on_profile(login(), clock)
    code = clock.code(secret)
    first, second = app.test_client(), app.test_client()
    post_login(first)
    post_login(second)
    assert post_code(first, "/login/code", code).status_code == 302
    assert post_code(second, "/login/code", code).status_code == 401
    assert not is_logged_in(second)


def test_login_code_keeps_the_next_address(app, login, clock):
    secret = enrol_on_profile(login(), clock)
    client = app.test_client()
    post_login(client, query="?next=/profiel")
    assert post_code(client, "/login/code", clock.code(secret)).headers["Location"] == "/profiel"


def test_login_code_page_without_password_step_goes_to_login(client):
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_login_code_pending_login_expires(app, login, clock):
    secret = enrol_on_profile(login(), clock)
    client = app.test_client()
    post_login(client)
    clock.now += account_views.PENDING_SECONDS["code"] + 1
    response = post_code(client, "/login/code", clock.code(secret))
    assert response.headers["Location"] == "/login"
    assert "Je inlogpoging is verlopen." in client.get("/login").get_data(as_text=True)
    assert not is_logged_in(client)


def test_login_code_pending_login_ends_when_an_admin_resets(app, login, clock):
    secret = enrol_on_profile(login(), clock)
    client = app.test_client()
    post_login(client)
    code = clock.code(secret)
    with app.app_context():
        store.reset_totp(get_db(), user(app)["id"])
    assert post_code(client, "/login/code", code).headers["Location"] == "/login"
    assert not is_logged_in(client)


def test_login_code_attempts_are_rate_limited(app, login, clock):
    app.config["RATELIMIT_TOTP_PER_ACCOUNT"] = "2 per 10 minutes"
    secret = enrol_on_profile(login(), clock)
    client = app.test_client()
    post_login(client)
    for _ in range(2):
        assert post_code(client, "/login/code", wrong(clock.code(secret))).status_code == 401
    response = post_code(client, "/login/code", clock.code(secret))
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Te veel verkeerde codes. Probeer het over 10 minuten opnieuw." in html
    assert response.headers["Retry-After"] == "600"
    assert not is_logged_in(client)
    # The limit is the account's, not the session's: logging in afresh does not help.
    fresh = app.test_client()
    post_login(fresh)
    assert post_code(fresh, "/login/code", clock.code(secret)).status_code == 429


def test_login_code_events_are_logged(app, login, clock):
    secret = enrol_on_profile(login(), clock)
    client = app.test_client()
    post_login(client)
    post_code(client, "/login/code", wrong(clock.code(secret)))
    post_code(client, "/login/code", clock.code(secret))
    success, failure = log(app, "login")[:2]
    assert (failure["outcome"], failure["detail"], failure["username"]) == (
        "denied", "bad second factor", "facilitator")  # fmt: skip
    assert (success["outcome"], success["username"]) == ("success", "facilitator")
    assert "user facilitator totp enabled" in [row["object"] for row in log(app, "change")]


# Turning it off


def test_disable_with_a_current_code(app, login, clock):
    client = login()
    secret = enrol_on_profile(client, clock)
    url = "/profiel/tweestapsverificatie/uitzetten"
    response = client.post(url, data={"code": wrong(clock.code(secret))})
    assert response.status_code == 422 and BAD_CODE in response.get_data(as_text=True)
    assert store.totp_state(user(app)) == store.TOTP_ON
    assert client.post(url, data={"code": clock.code(secret)}).status_code == 302
    assert store.totp_state(user(app)) == store.TOTP_OFF
    assert post_login(app.test_client()).headers["Location"] == "/"
    assert "user facilitator totp disabled" in [row["object"] for row in log(app, "change")]


def test_disable_with_the_code_used_to_log_in_is_refused(app, clock):
    secret = enrol_on_profile(LoggedIn(app.test_client(), "facilitator"), clock)
    client = app.test_client()
    post_login(client)
    code = clock.code(secret)
    post_code(client, "/login/code", code)
    token = csrf_from(client.get("/profiel").get_data(as_text=True))
    response = client.post(
        "/profiel/tweestapsverificatie/uitzetten", data={"code": code, "csrf_token": token}
    )
    assert response.status_code == 422
    assert store.totp_state(user(app)) == store.TOTP_ON


def test_disable_attempts_are_rate_limited(app, login, clock):
    app.config["RATELIMIT_TOTP_PER_ACCOUNT"] = "1 per 10 minutes"
    client = login()
    secret = enrol_on_profile(client, clock)
    url = "/profiel/tweestapsverificatie/uitzetten"
    client.post(url, data={"code": wrong(clock.code(secret))})
    response = client.post(url, data={"code": clock.code(secret)})
    assert response.status_code == 429
    assert "Te veel verkeerde codes." in response.get_data(as_text=True)
    assert store.totp_state(user(app)) == store.TOTP_ON


# Roles that require it


def require(app, *roles):
    with app.app_context():
        for role in roles:
            store.set_totp_required(get_db(), role, True)


def test_required_role_login_goes_to_mandatory_setup(app, clock):
    require(app, "professional")
    client = app.test_client()
    response = post_login(client, username="professional")
    assert response.headers["Location"] == "/login/tweestapsverificatie"
    for url in ("/profiel", "/gezinnen/", "/beheer/gebruikers", "/"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    page = client.get("/login/tweestapsverificatie")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Tweestapsverificatie instellen</h1>" in html and "verplicht" in html
    assert 'src="data:image/svg+xml;base64,' in html
    secret = secret_on(html)
    response = post_code(client, "/login/tweestapsverificatie", wrong(clock.code(secret)))
    assert response.status_code == 401 and not is_logged_in(client)
    response = post_code(client, "/login/tweestapsverificatie", pyotp.TOTP(secret).now())
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert is_logged_in(client)
    assert store.totp_state(user(app, "professional")) == store.TOTP_ON
    clock.next_step()
    # From now on the login asks for a code.
    assert (
        post_login(app.test_client(), username="professional").headers["Location"] == "/login/code"
    )


def test_required_role_gets_a_new_secret_at_every_login(app, clock):
    require(app, "professional")
    first, second = app.test_client(), app.test_client()
    post_login(first, username="professional")
    first_secret = secret_on(first.get("/login/tweestapsverificatie").get_data(as_text=True))
    post_login(second, username="professional")
    second_secret = secret_on(second.get("/login/tweestapsverificatie").get_data(as_text=True))
    assert first_secret != second_secret
    # The earlier login neither sees the new secret nor can use the old one.
    response = first.get("/login/tweestapsverificatie")
    assert response.headers["Location"] == "/login"
    response = post_code(first, "/login/tweestapsverificatie", clock.code(first_secret))
    assert response.headers["Location"] == "/login"
    assert store.totp_state(user(app, "professional")) == store.TOTP_PENDING
    response = post_code(second, "/login/tweestapsverificatie", clock.code(second_secret))
    assert response.headers["Location"] == "/"


def test_required_role_cannot_turn_it_off(app, clock):
    require(app, "professional")
    client = app.test_client()
    post_login(client, username="professional")
    secret = secret_on(client.get("/login/tweestapsverificatie").get_data(as_text=True))
    post_code(client, "/login/tweestapsverificatie", clock.code(secret))
    clock.next_step()
    html = client.get("/profiel").get_data(as_text=True)
    assert "Tweestapsverificatie uitzetten" not in html and "verplicht voor jouw rol" in html
    token = csrf_from(html)
    response = client.post(
        "/profiel/tweestapsverificatie/uitzetten",
        data={"code": clock.code(secret), "csrf_token": token},
    )
    assert response.status_code == 422
    assert "verplicht voor jouw rol en kan niet uit" in response.get_data(as_text=True)
    assert store.totp_state(user(app, "professional")) == store.TOTP_ON


def test_required_role_ends_live_sessions_without_second_factor(app, clock):
    without = LoggedIn(app.test_client(), "professional")
    enrolled_client = LoggedIn(app.test_client(), "facilitator")
    enrol_on_profile(enrolled_client, clock)
    other_role = LoggedIn(app.test_client(), "project_lead")
    require(app, "professional", "facilitator")
    assert not is_logged_in(without)
    assert is_logged_in(enrolled_client)
    assert is_logged_in(other_role)


def test_login_password_alone_opens_no_session_when_a_code_is_due(app, login, clock, db):
    secret = enrol_on_profile(login(), clock)
    before = db.execute("SELECT count(*) FROM user_sessions").fetchone()[0]
    client = app.test_client()
    post_login(client)
    assert db.execute("SELECT count(*) FROM user_sessions").fetchone()[0] == before
    client = login_with_code(app, clock, secret)
    assert db.execute("SELECT count(*) FROM user_sessions").fetchone()[0] == before + 1


def test_login_code_success_forgives_the_wrong_codes(app, login, clock):
    app.config["RATELIMIT_TOTP_PER_ACCOUNT"] = "2 per 10 minutes"
    secret = enrol_on_profile(login(), clock)
    client = app.test_client()
    post_login(client)
    post_code(client, "/login/code", wrong(clock.code(secret)))
    assert post_code(client, "/login/code", clock.code(secret)).status_code == 302
    clock.next_step()
    fresh = app.test_client()
    post_login(fresh)
    for _ in range(2):
        assert post_code(fresh, "/login/code", wrong(clock.code(secret))).status_code == 401
    assert post_code(fresh, "/login/code", clock.code(secret)).status_code == 429
