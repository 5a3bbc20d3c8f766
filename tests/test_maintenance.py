"""Maintenance during a restore (issue 12, hole 9): writes get a clear 503 and nothing
that was acknowledged is lost. The state is a flag file, so every worker sees it."""

import json
import os
import socket
import subprocess
import sys
import threading

import pytest

from app import create_app
from cases import store
from core import database, maintenance
from core.web import get_db
from tests.conftest import TOTP_KEY, LoggedIn
from tests.factories import make_case

MESSAGE = "Onderhoud: probeer het zo weer."


@pytest.fixture
def other_process():
    """A live process that is not this one (as a restore in another terminal is)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process.pid
    process.kill()
    process.wait()


def hold_flag(app, pid):
    state = {"pid": pid, "host": socket.gethostname(), "started": "2026-12-05T10:00:00+00:00"}
    maintenance.flag_path(app.config["DATABASE"]).write_text(json.dumps(state))


def make_app_on(path):
    return create_app(
        {"TESTING": True, "SECRET_KEY": "test", "TOTP_KEY": TOTP_KEY, "DATABASE": str(path)}
    )


def title(app):
    with app.app_context():
        return store.load_case(get_db(), "test-gezin")["title"]


def test_writes_get_503_in_dutch_while_a_restore_runs(app, other_process):
    facilitator = LoggedIn(app.test_client(), "facilitator")
    hold_flag(app, other_process)
    page = facilitator.put("/api/families/test-gezin", json=make_case(title="Tijdens herstel"))
    assert page.status_code == 503
    assert page.get_json() == {"error": MESSAGE}
    assert page.headers["Retry-After"] == "5"
    form = facilitator.post("/gezinnen/test-gezin/situatie", data={"title": "Tijdens herstel"})
    assert form.status_code == 503 and MESSAGE in form.get_data(as_text=True)
    assert "<html" in form.get_data(as_text=True)
    fragment = facilitator.post(
        "/gezinnen/test-gezin/situatie", data={"title": "X"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 503 and "<html" not in fragment.get_data(as_text=True)
    maintenance.flag_path(app.config["DATABASE"]).unlink()
    assert title(app) == "Het Testgezin"


def test_a_read_that_cannot_be_logged_is_not_shown(app, other_process):
    facilitator = LoggedIn(app.test_client(), "facilitator")
    hold_flag(app, other_process)
    response = facilitator.get("/gezinnen/test-gezin")
    assert response.status_code == 503
    assert "Het Testgezin" not in response.get_data(as_text=True)


def test_a_flag_left_by_a_restore_that_died_is_ignored(app):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    hold_flag(app, int(finished.stdout))
    facilitator = LoggedIn(app.test_client(), "facilitator")
    tag = facilitator.get("/api/families/test-gezin").headers["ETag"]
    response = facilitator.put(
        "/api/families/test-gezin", json=make_case(title="Gewoon weer"), headers={"If-Match": tag}
    )
    assert response.status_code == 200
    assert title(app) == "Gewoon weer"


def test_a_write_that_began_before_the_restore_cannot_commit_after_it(app, other_process):
    # It passed the request's check, took the lock, and meanwhile the restore began.
    db = database.connect(app.config["DATABASE"])
    try:
        with pytest.raises(maintenance.UnderMaintenance), db.atomic():
            db.execute("UPDATE families SET title = 'Te laat' WHERE code = 'test-gezin'")
            hold_flag(app, other_process)
        # And one that starts now is refused at once.
        with pytest.raises(maintenance.UnderMaintenance):
            db.execute("UPDATE families SET title = 'Te laat' WHERE code = 'test-gezin'")
    finally:
        db.close()
    maintenance.flag_path(app.config["DATABASE"]).unlink()
    assert title(app) == "Het Testgezin"


def test_the_restoring_process_itself_may_write(app):
    hold_flag(app, os.getpid())
    db = database.connect(app.config["DATABASE"])
    try:
        db.execute("UPDATE families SET title = 'Hersteld' WHERE code = 'test-gezin'")
    finally:
        db.close()
    assert title(app) == "Hersteld"


def test_restore_refuses_while_another_restore_runs(app, runner, tmp_path, other_process):
    target = tmp_path / "b.db"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    hold_flag(app, other_process)
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code != 0 and "another restore is running" in result.output


def test_restore_takes_over_a_stale_flag_and_removes_it(app, runner, tmp_path):
    target = tmp_path / "b.db"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    maintenance.flag_path(app.config["DATABASE"]).write_text("{half")
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert "maintenance since" in result.output
    assert not maintenance.flag_path(app.config["DATABASE"]).exists()


def test_an_app_starting_during_a_restore_waits_for_its_end(app):
    # A gunicorn worker restarted mid-restore: its start-up upgrade would be refused.
    restore = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1)"])
    reaper = threading.Thread(target=restore.wait)  # as its shell would: no zombie left
    reaper.start()
    hold_flag(app, restore.pid)
    try:
        again = make_app_on(app.config["DATABASE"])
    finally:
        reaper.join()
    with again.app_context():
        assert store.family_row(get_db(), "test-gezin") is not None
