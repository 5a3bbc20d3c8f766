"""The access log as a hash chain (issue 12, hole 8): nothing rewrites it unseen.

INSERT OR REPLACE is refused like UPDATE and DELETE; and what someone with the file in
hand changes after dropping the triggers, `flask --app app audit verify` reports.
"""

import re
import sqlite3
import threading

import pytest

from audit import chain
from audit import store as audit_store
from audit.migrations import migrations as audit_migrations
from core import database
from core.web import get_db
from tests.conftest import LoggedIn


@pytest.fixture
def logged(app):
    """Six entries or more: a facilitator reads the family a few times."""
    facilitator = LoggedIn(app.test_client(), "facilitator")
    for _ in range(5):
        facilitator.get("/gezinnen/test-gezin")
    return app


def raw(app):
    """A plain connection to the file, as someone with direct access would open it."""
    return sqlite3.connect(app.config["DATABASE"])


def all_rows(app):
    connection = raw(app)
    try:
        return connection.execute("SELECT * FROM access_log ORDER BY id").fetchall()
    finally:
        connection.close()


def verify(runner):
    return runner.invoke(args=["audit", "verify"])


def test_verify_reports_an_intact_chain_with_its_head(logged, runner):
    result = verify(runner)
    assert result.exit_code == 0, result.output
    count = len(all_rows(logged))
    last = all_rows(logged)[-1][-1]
    assert result.output == f"access log: {count} entries, chain intact (last hash {last})\n"
    assert re.fullmatch(r"[0-9a-f]{64}", last)


def test_verify_help_says_what_a_chain_cannot_see(runner):
    result = runner.invoke(args=["audit", "verify", "--help"])
    text = " ".join(result.output.split())
    assert "cannot show that its newest entries were removed" in text


@pytest.mark.parametrize(
    "sql",
    [
        # REPLACE deletes the old row without firing delete triggers: refused on insert.
        "INSERT OR REPLACE INTO access_log (id, at, event, outcome, prev_hash, hash)"
        " VALUES (2, '2020-01-01', 'read', 'success', '', 'x')",
        "REPLACE INTO access_log (id, at, event, outcome, prev_hash, hash)"
        " VALUES (1, '2020-01-01', 'read', 'success', '', 'x')",
        # An insert that does not follow the last entry.
        "INSERT INTO access_log (at, event, outcome, prev_hash, hash)"
        " VALUES ('2020-01-01', 'read', 'success', 'x', 'x')",
        "INSERT INTO access_log (id, at, event, outcome, prev_hash, hash)"
        " VALUES ((SELECT max(id) + 1 FROM access_log), '2020-01-01', 'read', 'success', 'x', 'x')",
        "INSERT INTO access_log (id, at, event, outcome, prev_hash, hash)"
        " VALUES (1000, '2020-01-01', 'read', 'success',"
        " (SELECT hash FROM access_log ORDER BY id DESC LIMIT 1), 'x')",
    ],
    ids=["insert-or-replace", "replace", "no-id", "wrong-prev-hash", "id-not-next"],
)
def test_access_log_refuses_what_does_not_append(logged, runner, sql):
    before = all_rows(logged)
    connection = raw(logged)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(sql)
        connection.rollback()
    finally:
        connection.close()
    assert all_rows(logged) == before
    assert verify(runner).exit_code == 0


def tamper(app, *statements):
    """Drop the triggers and run ``statements`` directly on the file."""
    connection = raw(app)
    database.register_functions(connection)  # the hash function is no secret
    try:
        for trigger in ("no_update", "no_delete", "append_only"):
            connection.execute(f"DROP TRIGGER access_log_{trigger}")
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def test_verify_reports_an_entry_changed_with_direct_file_access(logged, runner):
    tamper(logged, "UPDATE access_log SET username = 'iemand anders' WHERE id = 3")
    result = verify(runner)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "changed entry at id 3"
    assert "problem(s) found" in result.output and "chain intact" not in result.output


def test_verify_reports_a_deleted_middle_entry_as_a_gap(logged, runner):
    tamper(logged, "DELETE FROM access_log WHERE id = 4")
    result = verify(runner)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "gap between ids 3 and 5"


def test_verify_reports_a_forged_entry_with_its_own_hash_as_a_broken_link(logged, runner):
    # The forger knows the hash function and recomputes the changed entry's hash; the
    # next entry's link still holds the old one.
    fields = ", ".join(chain.FIELDS)
    tamper(
        logged,
        "UPDATE access_log SET outcome = 'denied' WHERE id = 3",
        f"UPDATE access_log SET hash = chain_hash(prev_hash, {fields}) WHERE id = 3",
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "broken link at id 4"


def test_appending_from_many_connections_at_once_keeps_the_chain(app):
    def append(number):
        db = database.connect(app.config["DATABASE"])
        try:
            for i in range(20):
                audit_store.record(db, "read", "success", object=f"thread {number} {i}")
        finally:
            db.close()

    with app.app_context():
        before = chain.head(get_db().conn)[0]
    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        conn = get_db().conn
        assert chain.head(conn)[0] == before + 80
        assert chain.verify(conn) == []


def test_the_migration_chains_existing_entries_and_keeps_them(tmp_path):
    db = database.connect(tmp_path / "old.db")
    audit_migrations.apply(db, stop_before="chain_access_log")
    for number in range(3):
        db.execute(
            "INSERT INTO access_log (at, event, outcome, username)"
            " VALUES (?, 'read', 'success', ?)",
            [f"2024-01-0{number + 1}T12:00:00.000+00:00", f"gebruiker {number}"],
        )
    old = list(db.query("SELECT * FROM access_log ORDER BY id"))
    audit_migrations.apply(db)
    new = list(db.query("SELECT * FROM access_log ORDER BY id"))
    assert [{k: row[k] for k in old[0]} for row in new] == old
    assert new[0]["prev_hash"] == "" and new[1]["prev_hash"] == new[0]["hash"]
    assert chain.verify(db.conn) == []
    db.close()
