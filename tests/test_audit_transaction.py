"""A change and its access-log entry commit together (issue 12, hole 4).

Two ways a request can break: after its change committed (the answer cannot be built),
and while its log entry is written. The first must leave the change WITH its entry,
the second must leave no change at all: never a stored change nobody can account for.
"""

import sqlite3

import pytest

from access import store as access_store
from accounts import store as accounts_store
from audit import store as audit_store
from cases import store
from cases.api import etag
from core import security
from core.web import get_db
from tests.conftest import LoggedIn
from tests.factories import make_case

STRONG = "Een heel sterk wachtwoord 7!"


def _situation(app):
    with app.app_context():
        version = store.family_row(get_db(), "test-gezin")["version"]
    return {
        "version": str(version),
        "title": "Na de storing",
        "goal": "return_home",
        "status": "active",
        "started": "2020-03-01",
    }


def _if_match(app):
    with app.app_context():
        return {"If-Match": etag(store.family_row(get_db(), "test-gezin"))}


def _title_changed(db):
    return store.load_case(db, "test-gezin")["title"] == "Na de storing"


def _exists(code):
    return lambda db: store.family_row(db, code) is not None


def _in_team(db):
    family = store.family_row(db, "test-gezin")
    user = accounts_store.get_user_by_name(db, "projectlead")
    return access_store.team_role(db, family["id"], user["id"]) is not None


def _user_exists(db):
    return accounts_store.get_user_by_name(db, "nieuwe") is not None


# (who, method, url, request arguments (given the app), the change made?, the entry)
CHANGES = {
    "situation form": (
        "facilitator", "post", "/gezinnen/test-gezin/situatie",
        lambda app: {"data": _situation(app)},
        _title_changed, ("change", "test-gezin"),
    ),
    "api update": (
        "facilitator", "put", "/api/families/test-gezin",
        lambda app: {"json": make_case(title="Na de storing"), "headers": _if_match(app)},
        _title_changed, ("change", "test-gezin"),
    ),
    "api erase": (
        "facilitator", "delete", "/api/families/test-gezin",
        lambda app: {"headers": _if_match(app)},
        lambda db: store.family_row(db, "test-gezin") is None, ("erase", "test-gezin"),
    ),
    "api create": (
        "facilitator", "post", "/api/families",
        lambda app: {"json": make_case("nieuw-gezin")},
        _exists("nieuw-gezin"), ("create", "nieuw-gezin"),
    ),
    "new family form": (
        "buitenstaander", "post", "/gezinnen/",
        lambda app: {"data": {"title": "Het Zeilschip", "goal": "return_home",
                              "child_name": "Noor", "child_sex": "female",
                              "child_birth_year": "2011"}},
        _exists("het-zeilschip"), ("create", "het-zeilschip"),
    ),
    "team": (
        "facilitator", "post", "/gezinnen/test-gezin/team",
        lambda app: {"data": {"user_id": _user_id(app, "projectlead"), "team_role": "member"}},
        _in_team, ("change", "test-gezin"),
    ),
    "user admin": (
        "admin", "post", "/beheer/gebruikers",
        lambda app: {"data": {"username": "nieuwe", "display_name": "Nieuwe Collega",
                              "role": "professional", "password": STRONG, "repeat": STRONG}},
        _user_exists, ("create", None),
    ),
}  # fmt: skip


def _user_id(app, username):
    with app.app_context():
        return str(accounts_store.get_user_by_name(get_db(), username)["id"])


def _state(app, changed):
    with app.app_context():
        db = get_db()
        return changed(db), audit_store.entries(db, limit=None)


def _attempt(call):
    """The status, or the exception the app let through (the test app propagates them)."""
    try:
        return call().status_code
    except (RuntimeError, sqlite3.DatabaseError) as error:
        return error


@pytest.mark.parametrize("name", CHANGES)
def test_a_crash_after_the_commit_leaves_the_change_with_its_entry(app, monkeypatch, name):
    role, method, url, arguments, changed, (event, code) = CHANGES[name]
    user = LoggedIn(app.test_client(), role)
    _, before = _state(app, changed)

    def crash(*args, **kwargs):
        raise RuntimeError("the answer could not be built")

    # The last step of every answer, after everything the view did.
    monkeypatch.setattr(security, "add_security_headers", crash)
    outcome = _attempt(lambda: getattr(user, method)(url, **arguments(app)))
    assert isinstance(outcome, RuntimeError)

    stands, after = _state(app, changed)
    assert stands
    new = after[: len(after) - len(before)]  # newest first
    new = [(row["event"], row["outcome"], row["family_code"]) for row in new]
    assert new == [(event, "success", code)]


@pytest.mark.parametrize("name", CHANGES)
def test_a_change_whose_entry_cannot_be_written_does_not_stand(app, name):
    role, method, url, arguments, changed, _ = CHANGES[name]
    user = LoggedIn(app.test_client(), role)
    request_arguments = arguments(app)
    with app.app_context():
        get_db().execute(
            "CREATE TRIGGER log_is_down BEFORE INSERT ON access_log"
            " BEGIN SELECT RAISE(ABORT, 'the log cannot be written'); END"
        )
    try:
        outcome = _attempt(lambda: getattr(user, method)(url, **request_arguments))
    finally:
        with app.app_context():
            get_db().execute("DROP TRIGGER log_is_down")
    assert isinstance(outcome, sqlite3.IntegrityError) or outcome >= 500
    stands, _ = _state(app, changed)
    assert not stands
