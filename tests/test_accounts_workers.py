"""Sessions and login limits over a restart of gunicorn (two workers): the database is the
one place that knows. Four workers at once: tests/test_workers.py."""

import http.cookiejar
import os
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import PASSWORD, TOTP_KEY, make_app
from tests.serving import gunicorn

WRONG = "niet het goede wachtwoord"
TRIES = 12  # enough requests that both workers answer some


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A client with its own cookie jar that does not follow redirects."""

    def __init__(self, base, cookies=None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        for cookie in cookies or ():
            self.jar.set_cookie(cookie)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def call(self, method, path, data=None):
        body = None if data is None else urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf(self, path):
        html = self.call("GET", path)[1]
        return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)

    def login(self, password=PASSWORD):
        data = {"username": "facilitator", "password": password, "csrf_token": self.csrf("/login")}
        return self.call("POST", "/login", data)[0]

    def logout(self):
        return self.call("POST", "/logout", {"csrf_token": self.csrf("/profiel")})[0]

    def profile_statuses(self):
        return {self.call("GET", "/profiel")[0] for _ in range(TRIES)}


@pytest.fixture
def env(tmp_path):
    path = tmp_path / "workers.db"
    make_app(path)
    return dict(
        os.environ,
        MAATWERKTAFEL_DATABASE=str(path),
        MAATWERKTAFEL_SECRET_KEY="workers-test-secret",
        MAATWERKTAFEL_TOTP_KEY=TOTP_KEY,
        MAATWERKTAFEL_INSECURE_COOKIES="1",
    )


def test_a_restart_forgets_neither_sessions_nor_failures(env):
    with gunicorn(env, workers=2, threads=2) as base:
        user = Browser(base)
        assert user.login() == 302
        attacker = Browser(base)
        for _ in range(5):
            attacker.login(WRONG)
    with gunicorn(env, workers=2, threads=2) as base:
        user.base = attacker.base = base
        assert user.profile_statuses() == {200}
        assert attacker.login() == 429
