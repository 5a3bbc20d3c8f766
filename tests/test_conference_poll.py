"""The live screen's poll: an unchanged screen costs a few reads and writes nothing."""

import pytest

from core import database
from tests.conftest import LoggedIn
from tests.test_conference_views import LIVE, PAGE, live, poll_url, start

# Session, user, family, team role, the conference's state: one indexed read each.
MAX_POLL_STATEMENTS = 5
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def facilitator(login):
    return login("facilitator")


@pytest.fixture
def conference(facilitator):
    cid = start(facilitator)
    return cid, poll_url(live(facilitator, cid))


def statements_of(app, request):
    """The SQL statements ``request()`` runs on this thread's connection."""
    db = database.acquire(app.config["DATABASE"])
    database.release(db)
    statements = []
    db.conn.set_trace_callback(statements.append)
    try:
        response = request()
    finally:
        db.conn.set_trace_callback(None)
    return response, statements


def count(db, table):
    return next(db.query(f"SELECT COUNT(*) AS n FROM {table}"))["n"]  # noqa: S608 (a constant)


def last_seen(db):
    return [row["last_seen_at"] for row in db.query("SELECT last_seen_at FROM user_sessions")]


def test_an_unchanged_poll_reads_a_few_rows_and_writes_nothing(app, db, facilitator, conference):
    _, poll = conference
    # Last seen two minutes ago: a poll counted as activity would note it now.
    db.execute("UPDATE user_sessions SET last_seen_at = last_seen_at - 120")
    seen = last_seen(db)
    logged = count(db, "access_log")
    response, statements = statements_of(app, lambda: facilitator.get(poll, headers=LIVE))
    assert response.status_code == 204 and "Set-Cookie" not in response.headers
    assert len(statements) <= MAX_POLL_STATEMENTS, statements
    assert not [s for s in statements if s.lstrip().upper().startswith(WRITES)]
    assert count(db, "access_log") == logged
    assert [
        row["last_seen_at"] for row in db.query("SELECT last_seen_at FROM user_sessions")
    ] == seen


def test_a_changed_poll_sends_the_step_and_is_logged(db, facilitator, conference):
    cid, poll = conference
    logged = count(db, "access_log")
    facilitator.post(f"{PAGE}/overleggen/{cid}/stap", data={"naar": "volgende"}, headers=LIVE)
    after_the_move = count(db, "access_log")
    assert after_the_move == logged + 1
    changed = facilitator.get(poll, headers=LIVE)
    assert changed.status_code == 200 and 'id="overleg-live"' in changed.get_data(as_text=True)
    assert count(db, "access_log") == after_the_move + 1


def test_a_poll_for_the_conference_under_another_family_is_not_found(facilitator, conference):
    _, poll = conference
    # The facilitator facilitates both families; the conference belongs to one.
    other = poll.replace(PAGE, "/gezinnen/ander-gezin")
    assert facilitator.get(other, headers=LIVE).status_code == 404


def test_a_poll_for_a_conference_that_does_not_exist_is_not_found(facilitator, conference):
    _, poll = conference
    assert facilitator.get(poll.replace("/overleggen/", "/overleggen/9", 1)).status_code == 404


def test_a_poll_by_someone_outside_the_team_is_refused_like_any_page(app, conference):
    _, poll = conference
    outsider = LoggedIn(app.test_client(), "buitenstaander")
    assert outsider.get(poll, headers=LIVE).status_code == 403
    assert app.test_client().get(poll, headers=LIVE).status_code in (302, 401)


def test_a_poll_for_an_unknown_family_is_refused_or_not_found(app, facilitator, conference):
    _, poll = conference
    unknown = poll.replace(PAGE, "/gezinnen/bestaat-niet")
    assert facilitator.get(unknown, headers=LIVE).status_code == 403
    admin = LoggedIn(app.test_client(), "admin")
    assert admin.get(unknown, headers=LIVE).status_code == 404
