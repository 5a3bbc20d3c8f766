"""One-time form tokens (core.submissions): a second submit answers with the first's result."""

import datetime

import pytest

import domains
from core import database, submissions

TOKEN = "a" * 24
SCOPE = "/gezinnen/test-gezin/personen"


@pytest.fixture
def db():
    connection = database.connect(":memory:")
    domains.init_db(connection)
    connection.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
    yield connection
    connection.close()


def count(db):
    return db.execute("SELECT count(*) FROM things").fetchone()[0]


def make(db, name="ding"):
    def create():
        return db.table("things").insert({"name": name}).last_pk

    return create


def test_the_second_submit_with_a_token_returns_the_first_result_and_makes_nothing(db):
    first = submissions.once(db, TOKEN, 1, SCOPE, make(db))
    second = submissions.once(db, TOKEN, 1, SCOPE, make(db, "nog een"))
    assert first == (1, True) and second == (1, False)
    assert count(db) == 1


def test_a_refused_create_leaves_the_token_free_for_the_corrected_form(db):
    def refuse():
        db.table("things").insert({"name": "half"})
        raise ValueError("Dit veld is verplicht")

    with pytest.raises(ValueError):
        submissions.once(db, TOKEN, 1, SCOPE, refuse)
    assert count(db) == 0  # the record and the claim rolled back together
    assert submissions.once(db, TOKEN, 1, SCOPE, make(db)) == (1, True)


def test_a_token_counts_for_one_user_and_one_form(db):
    submissions.once(db, TOKEN, 1, SCOPE, make(db))
    assert submissions.once(db, TOKEN, 2, SCOPE, make(db))[1] is True
    assert submissions.once(db, TOKEN, 1, SCOPE + "/x", make(db))[1] is True
    assert count(db) == 3


def test_without_a_usable_token_every_submit_creates(db):
    for token in (None, "", "kort", "<script>" * 4):
        assert submissions.once(db, token, 1, SCOPE, make(db))[1] is True
    assert count(db) == 4
    assert db.execute("SELECT count(*) FROM form_submissions").fetchone()[0] == 0


def test_a_claim_made_meanwhile_is_answered_with_its_result(db):
    # Another request of the same form committed between this one's first look and
    # its transaction: the claim fails and its result comes back.
    with db.atomic():
        assert submissions.claim(db, TOKEN, 1, SCOPE)
        submissions.record(db, TOKEN, 1, SCOPE, {"focus": "persoon-p5"})
    assert submissions.once(db, TOKEN, 1, SCOPE, make(db)) == ({"focus": "persoon-p5"}, False)
    assert count(db) == 0


def test_a_result_of_none_is_remembered_too(db):
    assert submissions.once(db, TOKEN, 1, SCOPE, lambda: None) == (None, True)
    assert submissions.once(db, TOKEN, 1, SCOPE, make(db)) == (None, False)
    assert count(db) == 0


def test_tokens_older_than_a_day_are_pruned_on_the_next_claim(db):
    now = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC)
    old = (now - submissions.KEEP - datetime.timedelta(seconds=1)).isoformat(timespec="seconds")
    recent = (now - datetime.timedelta(hours=1)).isoformat(timespec="seconds")
    submissions.claim(db, "o" * 20, 1, SCOPE, old)
    submissions.claim(db, "r" * 20, 1, SCOPE, recent)
    submissions.claim(db, TOKEN, 1, SCOPE, now.isoformat(timespec="seconds"))
    left = {row["token"] for row in db.query("SELECT token FROM form_submissions")}
    assert left == {"r" * 20, TOKEN}


def test_forget_removes_what_names_an_erased_family(db):
    submissions.once(db, "p" * 20, 1, "/gezinnen/weg/personen", lambda: {"focus": "x"})
    submissions.once(db, "f" * 20, 1, "/gezinnen/", lambda: "weg")
    submissions.once(db, "b" * 20, 1, "/gezinnen/blijft/personen", lambda: {"focus": "x"})
    submissions.forget(db, "/gezinnen/weg/", "weg")
    left = {row["scope"] for row in db.query("SELECT scope FROM form_submissions")}
    assert left == {"/gezinnen/blijft/personen"}


def test_the_form_field_is_a_hidden_input_with_a_fresh_token():
    first, second = str(submissions.token_field()), str(submissions.token_field())
    assert first.startswith(f'<input type="hidden" name="{submissions.FIELD}" value="')
    assert first != second
    token = first.split('value="')[1].split('"')[0]
    assert submissions.valid(token) == token
