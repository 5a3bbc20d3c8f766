"""The real server for tests that need one: gunicorn on a free loopback port."""

import contextlib
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]


def bound_socket():
    """A socket bound to a free loopback port, held open: handed to gunicorn as it is,
    no other process (a parallel test worker) can take the port in between."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def gunicorn(env, *, workers=1, threads=4, timeout=30):
    """Run the app under gunicorn with ``env``; yield its base URL once it answers."""
    with bound_socket() as sock:
        port = sock.getsockname()[1]
        process = start_gunicorn(env, sock, workers, threads)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=2)  # noqa: S310 (loopback)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.1)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def start_gunicorn(env, sock, workers, threads, *, cwd=ROOT, target="app:create_app()"):
    """gunicorn serving ``target`` (run from ``cwd``) on the bound socket ``sock``."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"fd://{sock.fileno()}",
            target,
        ],  # fmt: skip
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        pass_fds=[sock.fileno()],
    )
