"""Several connections at once, as under gunicorn: writers queue, readers see whole cases."""

import threading

import domains
from cases import store
from cases.validation import canonical_case
from core import database
from tests.factories import make_case


def _run(threads):
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def _new_db(path):
    db = database.connect(path)
    domains.init_db(db)
    store.save_case(db, make_case())
    return db


def test_concurrent_saves_queue_instead_of_failing(tmp_path):
    # A deferred BEGIN read first and failed at once ("database is locked") when another
    # connection had written in between; write transactions now take the lock first.
    path = tmp_path / "db.sqlite"
    _new_db(path).close()
    errors = []

    def save(number):
        db = database.connect(path)
        try:
            for i in range(15):
                store.save_case(db, make_case(title=f"Versie {number}-{i}"), replace=True)
                store.import_cases(db, make_case(f"tijdelijk-{number}-{i}"))
                store.delete_case(db, f"tijdelijk-{number}-{i}")
        except Exception as error:  # noqa: BLE001 - any error is the failure
            errors.append(repr(error))
        finally:
            db.close()

    _run([threading.Thread(target=save, args=(n,)) for n in range(4)])
    assert errors == []
    db = database.connect(path)
    assert store.family_row(db, "test-gezin")["version"] == 1 + 4 * 15
    db.close()


def test_a_case_is_read_whole_while_it_is_being_replaced(tmp_path):
    # Read in one snapshot: never the old persons with the new ties.
    path = tmp_path / "db.sqlite"
    _new_db(path).close()
    small = make_case()
    small["persons"] = small["persons"][:2]  # Sanne and her father only
    small["relations"] = [
        r
        for r in small["relations"]
        if {r.get(k) for k in ("a", "b", "parent", "child")} - {None} <= {"p1", "p2"}
    ]
    shapes = [canonical_case(make_case()), canonical_case(small)]
    stop, seen, errors = threading.Event(), [], []

    def write():
        db = database.connect(path)
        try:
            for i in range(60):
                store.save_case(db, shapes[i % 2], replace=True)
        finally:
            stop.set()
            db.close()

    def read():
        db = database.connect(path)
        try:
            while not stop.is_set():
                family, case = store.load_family(db, "test-gezin")
                seen.append(case in shapes)
                assert family["code"] == case["code"]
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            db.close()

    _run(
        [
            threading.Thread(target=write),
            threading.Thread(target=read),
            threading.Thread(target=read),
        ]
    )
    assert errors == []
    assert seen and all(seen)
