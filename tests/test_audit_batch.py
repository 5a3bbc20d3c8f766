"""Access-log entries written together (audit.batch): each caller returns once its own
entry is committed, or raises what the write raised; the chain stays whole."""

import threading

import pytest

from audit import batch, chain
from audit import store as audit_store
from core import database


@pytest.fixture
def db(app):
    db = database.connect(app.config["DATABASE"])
    yield db
    db.close()


def objects(db):
    return [row["object"] for row in db.query("SELECT object FROM access_log ORDER BY id")]


def test_entries_queued_by_others_are_written_in_the_same_turn(db):
    queue = batch._queue(db.path)
    waiting = batch._Entry({"at": "2026-12-05T10:00:00", "event": "read", "outcome": "success",
                            "object": "van een andere thread"})  # fmt: skip
    queue.waiting.append(waiting)  # as if another thread queued it just before
    audit_store.record(db, "read", "success", object="van deze thread")
    assert waiting.written and waiting.error is None
    assert objects(db)[-2:] == ["van een andere thread", "van deze thread"]
    assert chain.verify(db.conn) == []


def test_a_failed_write_fails_every_entry_of_its_turn_and_the_next_turn_works(db, monkeypatch):
    queue = batch._queue(db.path)
    waiting = batch._Entry({"event": "read", "outcome": "success", "object": "ander"})
    queue.waiting.append(waiting)
    before = len(objects(db))

    def broken(conn, row):
        raise OSError("schijf vol")

    monkeypatch.setattr(chain, "append", broken)
    with pytest.raises(OSError, match="schijf vol"):
        audit_store.record(db, "read", "success", object="deze")
    assert waiting.written and isinstance(waiting.error, OSError)
    assert len(objects(db)) == before  # nothing half-written
    monkeypatch.undo()
    audit_store.record(db, "read", "success", object="daarna")
    assert objects(db)[-1] == "daarna"


def test_many_threads_each_return_with_their_entry_committed(app):
    committed = []

    def reader(number):
        db = database.connect(app.config["DATABASE"])
        try:
            for i in range(25):
                audit_store.record(db, "read", "success", object=f"t{number}-{i}")
                # committed: another connection sees it at once
                other = database.connect(app.config["DATABASE"])
                seen = other.execute(
                    "SELECT count(*) FROM access_log WHERE object = ?", [f"t{number}-{i}"]
                ).fetchone()[0]
                other.close()
                committed.append(seen)
        finally:
            db.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert committed == [1] * 200
    db = database.connect(app.config["DATABASE"])
    try:
        assert chain.verify(db.conn) == []
    finally:
        db.close()
