"""One SQLite connection per thread and database, reused across requests."""

import sqlite3
import threading

import pytest

from core import database
from core.web import get_db


@pytest.fixture
def path(empty_db):
    return empty_db.path


def kept(path):
    db = database.acquire(path)
    database.release(db)
    return db


def test_a_thread_reuses_its_connection_with_the_same_pragmas(path):
    db = kept(path)
    assert kept(path) is db
    assert next(db.query("PRAGMA foreign_keys"))["foreign_keys"] == 1
    assert next(db.query("PRAGMA journal_mode"))["journal_mode"] == "wal"


def test_requests_of_one_thread_share_the_connection(app):
    with app.app_context():
        first = get_db()
    with app.app_context():
        assert get_db() is first


def test_threads_never_share_a_connection(path):
    mine = kept(path)
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(kept(path)))
    thread.start()
    thread.join()
    assert theirs[0] is not mine


def test_each_database_has_its_own_connection(path, tmp_path):
    other = tmp_path / "other.db"
    assert kept(path) is not kept(other)
    assert kept(other).path == str(other)


def test_a_connection_left_in_a_transaction_is_rolled_back_before_reuse(path):
    db = database.acquire(path)
    db.conn.execute("BEGIN IMMEDIATE")
    db.conn.execute("INSERT INTO role_settings (role, require_totp) VALUES ('admin', 1)")
    db.before_commit.append(lambda db: None)
    database.release(db)  # as after an error: nothing committed it
    again = database.acquire(path)
    try:
        assert again is db and not again.conn.in_transaction and again.before_commit == []
        assert list(again.query("SELECT * FROM role_settings WHERE role = 'admin'")) == []
    finally:
        database.release(again)
    # and the write lock is free for everyone else
    with database.connect(path) as other:
        other.execute("INSERT INTO role_settings (role, require_totp) VALUES ('admin', 1)")


def test_a_nested_app_context_keeps_the_outer_transaction(app):
    with app.app_context():
        db = get_db()
        with db.atomic():
            db.execute("INSERT INTO role_settings (role, require_totp) VALUES ('admin', 1)")
            with app.app_context():
                assert get_db() is db
            assert db.conn.in_transaction
        assert next(db.query("SELECT COUNT(*) AS n FROM role_settings WHERE role = 'admin'"))["n"]


def test_in_memory_databases_are_never_shared():
    first = database.acquire(":memory:")
    first.execute("CREATE TABLE t (x)")
    database.release(first)
    second = database.acquire(":memory:")
    assert "t" not in second.table_names()
    database.release(second)


def test_a_thread_keeps_only_the_most_recently_used_connections(tmp_path):
    oldest = kept(tmp_path / "0.db")
    for n in range(1, database.KEPT_PER_THREAD + 1):
        kept(tmp_path / f"{n}.db")
    with pytest.raises(sqlite3.ProgrammingError):
        oldest.execute("SELECT 1")
