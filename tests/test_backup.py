"""Backup and restore: ``flask --app app backup PATH`` and ``restore PATH --yes``.

A round trip through the CLI; backups taken while a real server (gunicorn, as in the
browser tests) keeps answering reads and writes are consistent snapshots; a restore while
it serves breaks no request; access-log entries written after the backup survive the
restore; and what is not a backup, or a target that exists, is refused clearly.
"""

import datetime
import json
import os
import pathlib
import re
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from accounts import store as accounts_store
from cases import store
from cases.validation import validate_case
from core import backup as backups
from core import database
from core.web import get_db
from tests import url_map
from tests.conftest import make_app
from tests.factories import make_case
from tests.serving import gunicorn

ROOT_DIR = pathlib.Path(__file__).resolve().parents[1]

# Backup


def dump(app):
    with app.app_context():
        return url_map.dump(get_db())


def log_rows(path):
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT at, event, outcome, family_code, object, username FROM access_log ORDER BY id"
        ).fetchall()
    finally:
        connection.close()


def assert_consistent(path, expected_codes=None):
    """The file passes SQLite's integrity check and every family in it loads and validates."""
    counts = backups.check_backup(path)  # integrity_check ok, our tables present
    db = database.connect(path)
    try:
        codes = [row["code"] for row in db.query("SELECT code FROM families")]
        for code in codes:
            case = store.load_case(db, code)
            assert validate_case(case) == [], code
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()
    if expected_codes is not None:
        assert set(expected_codes) <= set(codes)
    assert counts["families"] == len(codes)
    return codes


def test_backup_and_restore_round_trip(app, runner, tmp_path):
    target = tmp_path / "backups" / "maandag.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "families 2" in result.output and "users 5" in result.output
    original = dump(app)
    assert_consistent(target, ["test-gezin", "ander-gezin"])

    with app.app_context():
        db = get_db()
        store.save_case(db, make_case(title="Na de back-up"), replace=True)
        store.delete_case(db, "ander-gezin")
        accounts_store.create_user(db, "nieuwkomer", "Een heel sterk wachtwoord 7!", "admin")
    assert dump(app) != original

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert "restored from" in result.output
    assert dump(app) == original


def test_restore_asks_first_and_no_changes_nothing(app, runner, tmp_path):
    target = tmp_path / "b.db"
    runner.invoke(args=["backup", str(target)])
    with app.app_context():
        store.save_case(get_db(), make_case(title="Blijft"), replace=True)
    before = dump(app)
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code != 0
    assert "Aborted" in result.output
    assert dump(app) == before


def test_access_log_written_after_the_backup_survives_a_restore(app, runner, login, tmp_path):
    client = login()
    client.get("/gezinnen/test-gezin")
    target = tmp_path / "b.db"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    at_backup = log_rows(app.config["DATABASE"])
    time.sleep(0.01)  # entries are stamped to the millisecond
    client.get("/gezinnen/ander-gezin")
    client.get("/gezinnen/?q=na-de-backup")
    after_backup = log_rows(app.config["DATABASE"])[len(at_backup) :]
    assert [row[1] for row in after_backup] == ["read", "search"]

    assert runner.invoke(args=["restore", str(target), "--yes"]).exit_code == 0
    restored = log_rows(app.config["DATABASE"])
    # Everything from before the backup once, everything after it carried over, in order.
    assert restored == at_backup + after_backup
    # ... and still one unbroken chain.
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "chain intact" in verified.output


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("geen database"), "is not a SQLite database"),
        (lambda p: p.write_bytes(b"\x00" * 4096), "is not a"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(), "missing"),
        (lambda p: None, "does not exist"),
    ],
    ids=["text", "zeros", "other-sqlite", "missing"],
)
def test_restore_refuses_what_is_not_a_backup(app, runner, tmp_path, make, message):
    path = tmp_path / "niet-een-backup.db"
    make(path)
    before = dump(app)
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code != 0
    assert message in result.output
    assert "Error:" in result.output and "Traceback" not in result.output
    assert dump(app) == before


def test_backup_refuses_an_existing_target(app, runner, tmp_path):
    target = tmp_path / "bestaat.db"
    target.write_text("iets belangrijks")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    assert "exists already" in result.output
    assert target.read_text() == "iets belangrijks"


# While a real server serves requests


@pytest.fixture
def served(tmp_path):
    """gunicorn on its own database (the test users and families) and an API token."""
    path = tmp_path / "live.db"
    app = make_app(path)
    with app.app_context():
        db = get_db()
        token = accounts_store.create_token(
            db, accounts_store.get_user_by_name(db, "facilitator")["id"], "load"
        )
    env = dict(
        os.environ,
        MAATWERKTAFEL_DATABASE=str(path),
        MAATWERKTAFEL_SECRET_KEY="backup-test-secret",
        MAATWERKTAFEL_INSECURE_COOKIES="1",
    )
    with gunicorn(env, workers=2) as base:
        yield {"base": base, "token": token, "env": env, "path": path}


def _flask(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


class Load:
    """Threads that keep reading and writing through the API until stopped; every
    status they get is kept, so a 5xx (or a refused connection) shows up."""

    def __init__(self, served, writers=2, readers=2, keep=False):
        self.base, self.token, self.keep = served["base"], served["token"], keep
        self.stop = threading.Event()
        self.statuses, self.calls, self.errors, self.written = [], [], [], 0
        self.seen = threading.local()  # the ETag of this thread's last answer
        # (method, path, status, sent at, (body, Retry-After) unless 2xx, family code sent)
        self.answers = []
        self.threads = [
            threading.Thread(target=self._write, args=(n,), daemon=True) for n in range(writers)
        ] + [threading.Thread(target=self._read, daemon=True) for _ in range(readers)]

    def _call(self, method, path, body=None, etag=None):
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if etag:
            headers["If-Match"] = etag
        self.seen.etag = None
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers=headers,
        )
        sent = datetime.datetime.now(datetime.UTC)
        answer = None
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
                self.seen.etag = response.headers.get("ETag")
        except urllib.error.HTTPError as error:
            status = error.code
            answer = (error.read().decode(), error.headers.get("Retry-After"))
        except OSError as error:  # the server must keep answering
            self.errors.append(repr(error))
            return None
        self.statuses.append(status)
        self.calls.append((method, path, status))
        code = body.get("code") if isinstance(body, dict) else None
        self.answers.append((method, path, status, sent, answer, code))
        return status

    def _write(self, number):
        i = 0
        while not self.stop.is_set():
            i += 1
            code = f"last-{number}-{i}"
            if self._call("GET", "/api/families/test-gezin") == 200:
                etag = self.seen.etag  # another writer may change it first: then 412
                self._call(
                    "PUT", "/api/families/test-gezin", make_case(title=f"Versie {number}-{i}"), etag
                )
            if self._call("POST", "/api/families", make_case(code)) == 201 and not self.keep:
                self._call("DELETE", f"/api/families/{code}", etag=self.seen.etag)
            self.written += 1

    def _read(self):
        while not self.stop.is_set():
            self._call("GET", "/api/families")
            self._call("GET", "/api/families/test-gezin")

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(0.3)  # let the load get going
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def assert_served_well(self, restored=False):
        assert self.errors == []
        allowed = (503,) if restored else ()
        assert self.statuses and all(s < 500 or s in allowed for s in self.statuses), sorted(
            set(self.statuses)
        )
        for method, path, status, _, answer, _ in self.answers:
            if status == 503:
                # Only in maintenance, and saying so, in the API's JSON shape.
                body, retry_after = answer
                assert json.loads(body) == {"error": "Onderhoud: probeer het zo weer."}
                assert retry_after == "5"
                continue
            if restored and (method, status) == ("DELETE", 403):
                # A family created after the backup is gone after the restore; to anyone
                # but an admin a missing family looks like one they may not see.
                assert path.startswith("/api/families/last-")
                continue
            # Under load the writes are refused only for a reason of their own.
            assert status in (200, 201, 204, 404, 409, 412), (method, path, status)


def test_backups_taken_under_load_are_consistent(served, tmp_path):
    with Load(served) as load:
        paths = []
        for n in range(3):
            path = tmp_path / f"onder-last-{n}.db"
            result = _flask(served["env"], "backup", str(path))
            assert result.returncode == 0, result.stderr
            paths.append(path)
            time.sleep(0.2)
    load.assert_served_well()
    assert load.written > 3
    for path in paths:
        codes = assert_consistent(path, ["test-gezin", "ander-gezin"])
        # A family being created is in a backup whole or not at all: it loaded above.
        assert all(
            code in ("test-gezin", "ander-gezin") or code.startswith("last-") for code in codes
        )
        db = database.connect(path)
        try:
            title = store.load_case(db, "test-gezin")["title"]
        finally:
            db.close()
        assert title == "Het Testgezin" or title.startswith("Versie ")


def test_restore_while_serving(served, tmp_path):
    """Writes sent once the restore began get 503 with the Dutch text, or stand."""
    backup_path = tmp_path / "voor.db"
    assert _flask(served["env"], "backup", str(backup_path)).returncode == 0
    with Load(served, writers=3, keep=True) as load:
        logged = log_rows(served["path"])  # written by the server since the backup, too
        result = _flask(served["env"], "restore", str(backup_path), "--yes")
        assert result.returncode == 0, result.stderr
        # The log is not rolled back: whatever it held before the restore is still there.
        kept = set(log_rows(served["path"]))
        assert [row for row in logged if row not in kept] == []
        assert len(logged) > len(log_rows(backup_path))
        time.sleep(0.3)  # and the server keeps serving afterwards
    load.assert_served_well(restored=True)
    started = datetime.datetime.fromisoformat(
        re.search(r"maintenance since (\S+):", result.stdout).group(1)
    )
    # Every creation sent after the restore began was refused (503, checked above for
    # its text) or, if acknowledged, is there: nothing acknowledged is lost.
    during = [a for a in load.answers if a[0] == "POST" and a[3] >= started]
    assert during  # the writers went on while the restore ran
    assert {status for _, _, status, _, _, _ in during} <= {201, 503}
    acknowledged = {code for _, _, status, _, _, code in during if status == 201}
    live = database.connect(served["path"])
    try:
        codes = {row["code"] for row in live.query("SELECT code FROM families")}
    finally:
        live.close()
    assert acknowledged - codes == set()
    # Whatever the writers did after the restore, the database is whole and valid.
    assert_consistent(served["path"], ["test-gezin", "ander-gezin"])
    # With the writers stopped, a second restore gives exactly the backup's cases.
    assert _flask(served["env"], "restore", str(backup_path), "--yes").returncode == 0
    live, saved = database.connect(served["path"]), database.connect(backup_path)
    try:
        for code in ("test-gezin", "ander-gezin"):
            assert store.load_case(live, code) == store.load_case(saved, code)
        assert [r["code"] for r in live.query("SELECT code FROM families ORDER BY code")] == [
            r["code"] for r in saved.query("SELECT code FROM families ORDER BY code")
        ]
    finally:
        live.close()
        saved.close()
    request = urllib.request.Request(
        served["base"] + "/api/families/test-gezin",
        headers={"Authorization": f"Bearer {served['token']}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["title"] == "Het Testgezin"
    # Two restores under load later, the access log is still one unbroken chain.
    verified = _flask(served["env"], "audit", "verify")
    assert verified.returncode == 0 and "chain intact" in verified.stdout, verified.stdout
