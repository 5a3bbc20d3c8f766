"""Maintenance: while a restore replaces the database, nothing may be written to it.

The state is a flag file beside the database (``<database>.maintenance``), so every
gunicorn worker and every command sees it, not only the process that set it. It holds
the restoring process's id, host and start time: a flag left behind by a restore that
died (its process is gone) is stale and ignored, so a crash cannot keep the app in
maintenance until someone notices. The process that set the flag may write (it upgrades
the restored database); every other one gets :class:`UnderMaintenance`.
"""

import contextlib
import datetime
import json
import os
import pathlib
import socket
import time

MESSAGE = "Onderhoud: probeer het zo weer."
RETRY_AFTER_SECONDS = 5


class UnderMaintenance(Exception):  # noqa: N818 (it names a state, answered with a 503)
    """A write refused because a restore is running."""

    def __init__(self):
        super().__init__(MESSAGE)


class RestoreRunning(Exception):
    """Another restore holds the flag."""


def flag_path(database_path):
    return pathlib.Path(f"{database_path}.maintenance")


def _running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def holder(database_path):
    """The flag's content when maintenance is on for another process, else None."""
    if str(database_path) == ":memory:":
        return None
    try:
        state = json.loads(flag_path(database_path).read_text())
        pid, host = int(state["pid"]), str(state["host"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # Half-written or unreadable: a restore is starting; on the safe side.
        return {"pid": None, "host": None, "started": None}
    if host == socket.gethostname():
        if pid == os.getpid():
            return None  # the restoring process itself
        if not _running(pid):
            return None  # stale: the restore died; see `flask --app app restore`
    return state


def check(database_path):
    """Raise UnderMaintenance while another process restores the database."""
    if holder(database_path) is not None:
        raise UnderMaintenance()


def wait_until_over(database_path, timeout=60):
    """Block while another process restores (an app starting then upgrades afterwards)."""
    deadline = time.monotonic() + timeout
    while holder(database_path) is not None:
        if time.monotonic() > deadline:
            raise UnderMaintenance()
        time.sleep(0.2)


@contextlib.contextmanager
def maintenance(database_path):
    """Hold the flag for the duration of the block (a stale one is taken over).

    Yields the flag's content: pid, host, and the start as ISO 8601 UTC.
    """
    path = flag_path(database_path)
    other = holder(database_path)
    if other is not None and other["pid"] is not None:
        raise RestoreRunning(f"another restore is running ({path}: {other})")
    state = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds"),
    }
    temporary = path.with_name(path.name + f".{os.getpid()}")
    temporary.write_text(json.dumps(state))
    temporary.replace(path)  # appears whole: never half-written to a reader
    try:
        yield state
    finally:
        path.unlink(missing_ok=True)
