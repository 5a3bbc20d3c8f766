"""Processing publications out of the request path.

A publish request stores a pending publication and calls :func:`start`, which starts
``python -m flask --app app library process`` as a detached process of its own (a new
session, no link to the web worker). That process loads deduce once (seconds, about a
gigabyte), processes every pending publication and ends. A lock file keeps it to one
such process at a time: a second one that finds the lock taken leaves the work to the
first, which looks for new work once more after letting go of the lock.
"""

import contextlib
import fcntl
import os
import pathlib
import subprocess
import sys

from library import publications

ROOT = pathlib.Path(__file__).resolve().parents[1]


def lock_path(database):
    return pathlib.Path(database).resolve().with_name("library-worker.lock")


def start(database, log_path=None):
    """Start the worker as a detached process on ``database``; return its Popen."""
    env = dict(os.environ, MAATWERKTAFEL_DATABASE=str(database))
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed command
            [sys.executable, "-m", "flask", "--app", "app", "library", "process"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            close_fds=True,
        )
    finally:
        if log_path:
            log.close()


@contextlib.contextmanager
def _lock(path):
    handle = open(path, "a")  # noqa: SIM115
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def run(db, database, deidentify_case=None):
    """Process pending publications while holding the lock; ``{status: count}``."""
    counts = {}
    while True:
        with _lock(lock_path(database)) as mine:
            if not mine:
                return counts
            for status, n in publications.process_pending(db, deidentify_case).items():
                counts[status] = counts.get(status, 0) + n
        # Work stored while we were finishing found the lock taken: look once more.
        if publications.pending_count(db) == 0:
            return counts
