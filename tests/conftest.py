"""Shared fixtures: an app on a temporary database, clients logged in per role."""

import atexit
import contextlib
import functools
import pathlib
import shutil
import sqlite3
import tempfile

import pytest
from argon2 import PasswordHasher
from werkzeug.routing import rules as werkzeug_rules

import domains
from access import store as access_store
from access.policy import TEAM_FACILITATOR, TEAM_MEMBER
from accounts import passwords
from accounts import store as accounts_store
from accounts.roles import ROLES
from app import create_app
from cases import store as cases_store
from core import database
from tests.factories import make_case

PASSWORD = "correct horse battery staple"

# Full-strength argon2 costs ~0.1 s a hash; tests create many users. The algorithm
# stays the same (argon2id), only its cost goes down, and only in this process.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
passwords.DUMMY_HASH = passwords._hasher.hash("no-such-user-placeholder")

# werkzeug compiles a URL builder for each of the app's ~670 routes at every start, most
# of a test app's start-up once the rules are shared. For a route without defaults the
# builder is a function of the parsed rule alone (it reaches the route's converters
# through its ``self``), so the test apps share them. Left alone if werkzeug changes.
_compile_builder = getattr(werkzeug_rules.Rule, "_compile_builder", None)
_builders = {}


def _shared_builder(rule, append_unknown=True):
    if rule.defaults:
        return _compile_builder(rule, append_unknown)
    key = (tuple(rule._trace), append_unknown)
    if key not in _builders:
        _builders[key] = _compile_builder(rule, append_unknown)
    return _builders[key]


if _compile_builder is not None:
    werkzeug_rules.Rule._compile_builder = _shared_builder


# A fixed key for the sealed second-factor secrets (accounts.sealing), known to the tests.
TOTP_KEY = "nn5mXKxdbZ0iYH0eKBl7cQfFb3o3L7d0vOZ8o2nW3Yk="


def test_config(database_path):
    """The configuration every test app gets, on the database at ``database_path``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "TOTP_KEY": TOTP_KEY,
        "DATABASE": str(database_path),
        "SESSION_COOKIE_SECURE": False,
    }


def _fill(app):
    """The test users and families, written into a freshly migrated app's database."""
    with app.app_context():
        from core.web import get_db

        db = get_db()
        users = {
            role: accounts_store.create_user(db, role.replace("_", ""), PASSWORD, role)
            for role in ROLES
        }
        # A facilitator who works with neither test family: need-to-know says no.
        accounts_store.create_user(db, "buitenstaander", PASSWORD, "facilitator")
        test_family = cases_store.save_case(db, make_case())
        other_family = cases_store.save_case(
            db,
            make_case(
                "ander-gezin", title="Het Andere Gezin", region="Noord", goal="family_strengthening"
            ),
        )
        # The facilitator facilitates both families; the professional works with the
        # first one only. The project lead and the outsider are on no team.
        for family_id in (test_family, other_family):
            access_store.add_member(db, family_id, users["facilitator"], TEAM_FACILITATOR)
        access_store.add_member(db, test_family, users["professional"], TEAM_MEMBER)


def _scratch(name):
    """A path in a folder of this test process's own, removed when it ends."""
    directory = pathlib.Path(tempfile.mkdtemp(prefix="maatwerktafel-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return directory / name


@functools.cache
def _template():
    """The template database: migrated and filled once per process (per xdist worker),
    then copied for every test; migrating afresh for each test cost most of its time."""
    path = _scratch("template.db")
    _fill(create_app(test_config(path)))
    return path


def _copy_database(source, target):
    """Copy with SQLite's backup API: it reads through the write-ahead log, a file copy
    would not."""
    pathlib.Path(target).parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


@functools.cache
def _empty_template():
    """A database with every migration and no rows, made once per process."""
    path = _scratch("empty.db")
    with contextlib.closing(database.connect(path)) as db:
        domains.init_db(db)
    return path


@pytest.fixture
def empty_db(tmp_path):
    """A database of its own for a store test: every migration, no rows."""
    path = tmp_path / "empty.db"
    _copy_database(_empty_template(), path)
    db = database.connect(path)
    yield db
    db.close()


def make_app(database_path):
    """The app on a new database at ``database_path`` with the test users and families
    (a copy of the template; the app's start-up finds every migration applied)."""
    _copy_database(_template(), database_path)
    return create_app(test_config(database_path))


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, when it is installed
def pytest_xdist_make_scheduler(config, log):
    """With ``-n``: every test on its own, except the browser tests, which go to one
    worker together, in file order as when run serially: they share one server (and
    its database) and one chromium, each costly to start. (``--dist loadgroup`` with
    ``xdist_group`` marks would say the same, but it does not group on pytest 9.2:
    pytest-xdist issue 1386.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return "browser" if nodeid.startswith("tests/browser/") else nodeid

    return BrowserTestsTogether(config, log)


@pytest.fixture
def app(tmp_path):
    yield make_app(tmp_path / "test.db")


@pytest.fixture
def db(app):
    """A connection of its own to the app's database (no app context is left open,
    so requests made by the test clients get their own, as in production)."""
    from core import database

    connection = database.connect(app.config["DATABASE"])
    yield connection
    connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client):
    """Fetch a page and return the CSRF token the app put in its meta tag."""
    html = client.get("/profiel").get_data(as_text=True)
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


class LoggedIn:
    """A test client logged in as a role, sending the CSRF header on writes like htmx."""

    def __init__(self, client, role):
        self.client = client
        response = client.get("/login")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        marker = 'name="csrf-token" content="'
        start = html.index(marker) + len(marker)
        token = html[start : html.index('"', start)]
        username = role.replace("_", "") if role in ROLES else role
        response = client.post(
            "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        self.token = csrf_token(client)

    def __getattr__(self, name):
        return getattr(self.client, name)

    def _with_csrf(self, kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("X-CSRFToken", self.token)
        kwargs["headers"] = headers
        return kwargs

    def post(self, *args, **kwargs):
        return self.client.post(*args, **self._with_csrf(kwargs))

    def put(self, *args, **kwargs):
        return self.client.put(*args, **self._with_csrf(kwargs))

    def delete(self, *args, **kwargs):
        return self.client.delete(*args, **self._with_csrf(kwargs))

    def patch(self, *args, **kwargs):
        return self.client.patch(*args, **self._with_csrf(kwargs))


@pytest.fixture
def login(client):
    """``login("facilitator")`` returns the client, logged in with that role."""
    return lambda role="facilitator": LoggedIn(client, role)


HTMX = {"HX-Request": "true"}


def family_section(client, code, name):
    """The markup of a family-page section that loads when it scrolls into view: from its
    own route (``cases.views.sections``), or for ``"genogram"`` the drawing's."""
    if name == "genogram":
        url, headers = f"/gezinnen/{code}/genogram", {**HTMX, "HX-Target": "genogram-tekening"}
    else:
        url, headers = f"/gezinnen/{code}/onderdeel/{name}", HTMX
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)
