"""Four gunicorn workers behave as one: sessions, login limits, the finder's library
index and the conference poll all follow the database, not a worker's memory. Every check
repeats its request often enough that every worker answers some of them."""

import os
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest

from core import database
from tests.conftest import TOTP_KEY, make_app
from tests.serving import gunicorn
from tests.test_accounts_workers import WRONG, Browser
from tests.test_finder_web import horse_case, money_case, publish

TRIES = 24  # four workers: each answers several of these
PAGE = "/gezinnen/test-gezin"


def log_count(path):
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM access_log").fetchone()[0]
    finally:
        connection.close()


def similar_codes(browser):
    status, body = browser.call("GET", "/api/cases/test-gezin/similar?k=10")
    assert status == 200, body
    return tuple(re.findall(r'"code":\s*"([^"]+)"', body))


def start_conference(browser, token):
    """Start a conference; its id from the redirect to its screen."""
    data = urllib.parse.urlencode(
        {"held_on": "2026-11-23", "purpose": "Thuis", "csrf_token": token}
    )
    request = urllib.request.Request(f"{browser.base}{PAGE}/overleggen", data=data.encode())
    try:
        browser.opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        assert error.code == 303, error.read().decode()
        return error.headers["Location"].rsplit("/", 1)[-1]
    raise AssertionError("starting a conference did not redirect")


@pytest.fixture
def served(tmp_path):
    path = tmp_path / "four.db"
    app = make_app(path)
    with app.app_context():
        from core.web import get_db

        db = get_db()
        _, money_family = publish(db, money_case())
        publish(db, horse_case())
    env = dict(
        os.environ,
        MAATWERKTAFEL_DATABASE=str(path),
        MAATWERKTAFEL_SECRET_KEY="workers-test-secret",
        MAATWERKTAFEL_TOTP_KEY=TOTP_KEY,
        MAATWERKTAFEL_INSECURE_COOKIES="1",
    )
    with gunicorn(env, workers=4, threads=2) as base:
        yield {"base": base, "path": str(path), "money_family": money_family["id"]}


def test_four_workers_behave_as_one(served):
    base, path = served["base"], served["path"]
    user = Browser(base)
    assert user.login() == 302

    # The finder: every worker gives the same ranking, and a library case erased
    # through another connection is gone from every worker's next answer.
    rankings = {similar_codes(user) for _ in range(TRIES)}
    assert len(rankings) == 1
    (ranking,) = rankings
    money = next(code for code in ranking if code.startswith("bibliotheek-"))
    db = database.connect(path)
    try:
        erased = {
            f"bibliotheek-{row['id']}"
            for row in db.query(
                "SELECT id FROM library_cases WHERE family_id = ?", [served["money_family"]]
            )
        }
        with db.atomic():
            db.execute("DELETE FROM families WHERE id = ?", [served["money_family"]])
    finally:
        db.close()
    assert money in ranking and erased
    after = {similar_codes(user) for _ in range(TRIES)}
    assert len(after) == 1 and not erased & set(next(iter(after)))

    # The conference poll: 204 from every worker while nothing changed, and no log entry
    # for it; after a change, every worker sends the new step.
    token = user.csrf(PAGE)
    cid = start_conference(user, token)
    moved = user.call(
        "POST", f"{PAGE}/overleggen/{cid}/stap", {"naar": "ideas", "csrf_token": token}
    )
    assert moved[0] in (200, 303)
    screen = user.call("GET", f"{PAGE}/overleggen/{cid}")[1]
    poll = re.search(r'hx-get="([^"]+/stap\?versie=[^"]+)"', screen).group(1).replace("&amp;", "&")
    before = log_count(path)
    assert {user.call("GET", poll)[0] for _ in range(TRIES)} == {204}
    assert log_count(path) == before
    status, _ = user.call(
        "POST",
        f"{PAGE}/overleggen/{cid}/notities",
        {"kind": "idea", "text": "Manege", "csrf_token": token},
    )
    assert status in (200, 303)
    answers = [user.call("GET", poll) for _ in range(TRIES)]
    assert {status for status, _ in answers} == {200}
    assert all("Manege" in body for _, body in answers)

    # Sessions: a copied cookie works on every worker until the logout, then on none.
    copy = Browser(base, cookies=list(user.jar))
    assert copy.profile_statuses() == {200}
    assert user.logout() == 302
    assert copy.profile_statuses() == {302}

    # Login limits: five failures seen by one worker hold on all of them.
    attacker = Browser(base)
    for _ in range(5):
        assert attacker.login(WRONG) == 401
    assert {attacker.login() for _ in range(TRIES)} == {429}
