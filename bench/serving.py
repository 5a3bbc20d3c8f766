"""Benchmark of serving a meeting: the live poll, 20 clients, 20 logins at once.

The app runs under gunicorn as ``make run`` serves it (2 workers, 8 threads each, of which
two compute at once: ``core.gate``) on a free port and a temporary database with the demo
data; beside it, on the same gunicorn settings, a trivial Flask app (a 204 and a fixed page
the size of the family page): the floor, measured in the same run. Rows:

- poll 204: one client polling an unchanged conference screen, p50/p95; the SQL
  statements one such poll runs and the rows it writes (counted in this process, on
  the same database, through SQLite's trace callback); floor: the trivial 204, asked in
  turn with the poll (both servers run; a passing disturbance meets both alike);
- 20 clients without pause: each asks the poll nine times, then the family page,
  again and again; requests per second and p95 for poll and page; floor: the trivial
  app under the same load;
- 20 logins at once during a meeting: 20 participants poll every 0.2 s
  while someone opens family pages (a pause of 0.5 s between them) and 20 other users
  post their password at the same moment; the poll's p99 and the slowest page while
  the logins run, how the logins ended, the
  worker's RSS before, at its peak and after.

Run: ``.venv/bin/python bench/serving.py`` (or ``make bench``); ``--app-root DIR``
serves the app from another checkout (a "before" figure), the floor stays the same.
"""

import argparse
import contextlib
import datetime
import http.client
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [
    p for p in sys.path if pathlib.Path(p or ".").resolve() != ROOT / "bench"
]

FAMILY = "verzorgpaard"  # a demo cohort family
PASSWORD = "bench paard fiets lantaarn 42"  # noqa: S105 (a throwaway database)
WORKERS, THREADS = 2, 8  # as `make run` serves
CLIENTS = 20
LOGINS = 20
SINGLE_POLLS = 500
LOAD_SECONDS = 8.0
MEETING_POLL_SECONDS = 0.2
PAGE_EVERY = 10  # of a client's requests without pause, every tenth is the family page
READER_PAUSE_SECONDS = 0.5  # someone reading family pages while the logins run
TARGET_POLL_RATIO = 2.0
TARGET_LOAD_P95_MS = 50
TARGET_LOGIN_POLL_P99_MS = 100
TARGET_RSS_MB = 300

TRIVIAL_APP = """
import flask

PAGE = "<!doctype html><title>t</title>" + "<p>" + "x" * 108_000 + "</p>"


def create_app():
    app = flask.Flask(__name__)
    app.add_url_rule("/poll", "poll", lambda: ("", 204))
    app.add_url_rule("/page", "page", lambda: PAGE)
    return app
"""


from tests.serving import bound_socket, start_gunicorn  # noqa: E402

# --------------------------------------------------------------------------- setup


def prepare(folder, app_root):
    """The demo database, a facilitator, the participants and an open conference;
    in a subprocess from ``app_root``, so "before" figures set up with their own code."""
    script = f"""
import sys
sys.path.insert(0, {str(app_root)!r})
from app import create_app
from access import store as access_store
from access.policy import TEAM_FACILITATOR, TEAM_MEMBER
from accounts import store as accounts_store
from cases import store as cases_store
from conference import store as conference_store
from core.web import get_db

app = create_app()
result = app.test_cli_runner().invoke(args=["demo", "load"])
assert result.exit_code == 0, result.output
with app.app_context():
    db = get_db()
    family = cases_store.family_row(db, {FAMILY!r})
    lead = accounts_store.create_user(db, "bench-lead", {PASSWORD!r}, "facilitator")
    access_store.add_member(db, family["id"], lead, TEAM_FACILITATOR)
    password_hash = accounts_store.get_user(db, lead)["password_hash"]
    for n in range({CLIENTS + LOGINS}):
        user = db.table("users").insert(dict(
            username=f"deelnemer{{n:02d}}", display_name=f"Deelnemer {{n}}",
            role="professional", password_hash=password_hash, auth_epoch=1, active=1,
            created_at="2026-12-01T09:00:00")).last_pk
        access_store.add_member(db, family["id"], user, TEAM_MEMBER)
    print(conference_store.create_conference(db, family["id"], "2026-12-05", lead))
"""
    return int(run_in_app(folder, app_root, script)[-1])


def run_in_app(folder, app_root, script):
    """Run ``script`` in a Python of its own from ``app_root``; the words it printed."""
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=app_root,
        env=app_env(folder),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()


def app_env(folder):
    return dict(
        os.environ,
        MAATWERKTAFEL_DATABASE=str(folder / "bench.db"),
        MAATWERKTAFEL_INSECURE_COOKIES="1",
        MAATWERKTAFEL_SECRET_KEY="bench-secret-key-bench-secret-key",  # noqa: S106
        PYTHONDONTWRITEBYTECODE="1",
    )


@contextlib.contextmanager
def gunicorn(cwd, env, target):
    """``target`` under gunicorn with ``make run``'s flags on a free port; yield
    (port, worker pid)."""
    with bound_socket() as sock:
        port = sock.getsockname()[1]
        process = start_gunicorn(env, sock, WORKERS, THREADS, cwd=cwd, target=target)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = request(
                    Client(port), "GET", "/poll" if "trivial" in target else "/login"
                )
                if status < 500:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(process.stderr.read().decode())
            time.sleep(0.1)
        yield port, worker_pid(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)


def worker_pid(master):
    children = pathlib.Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def rss_mb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --------------------------------------------------------------------------- client


class Client:
    """One browser: a kept-alive connection and its session cookie."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = None


def request(client, method, path, body=None):
    """(status, body, seconds) of one request."""
    headers = {"Cookie": f"session={client.cookie}"} if client.cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    started = time.perf_counter()
    try:
        client.conn.request(method, path, body=body, headers=headers)
        response = client.conn.getresponse()
        data = response.read()
    except (http.client.HTTPException, OSError):
        client.conn.close()  # the server closed a kept-alive connection: once more
        client.conn.request(method, path, body=body, headers=headers)
        response = client.conn.getresponse()
        data = response.read()
    seconds = time.perf_counter() - started
    for value in response.headers.get_all("Set-Cookie") or ():
        match = re.match(r"session=([^;]*)", value)
        if match:
            client.cookie = match.group(1)
    return response.status, data, seconds


def login_page(client):
    """GET /login; return its CSRF token."""
    _, body, _ = request(client, "GET", "/login")
    return re.search(rb'name="csrf-token" content="([^"]+)"', body).group(1).decode()


def log_in(client, username):
    token = login_page(client)
    data = {"username": username, "password": PASSWORD, "csrf_token": token}
    return request(client, "POST", "/login", data)


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))] * 1000 if values else 0.0


# --------------------------------------------------------------------------- rows


def single_polls(port, poll_path, cookie, floor_port):
    """One client polling, the app and the trivial app in turn (so a passing disturbance
    of the machine meets both alike): ``((p50, p95), (floor p50, floor p95))``."""
    client = Client(port)
    client.cookie = cookie
    floor = Client(floor_port)
    times, floor_times = [], []
    for _ in range(SINGLE_POLLS):
        status, _, seconds = request(client, "GET", poll_path)
        assert status == 204, status
        times.append(seconds)
        status, _, seconds = request(floor, "GET", "/poll")
        assert status == 204, status
        floor_times.append(seconds)
    return (
        (percentile(times, 0.5), percentile(times, 0.95)),
        (percentile(floor_times, 0.5), percentile(floor_times, 0.95)),
    )


def load(port, poll_path, page_path, cookies):
    """``CLIENTS`` clients without pause: nine polls, the page, nine polls, ..."""
    results = {"poll": [], "page": []}
    lock = threading.Lock()
    stop = time.perf_counter() + LOAD_SECONDS

    def run(cookie):
        client = Client(port)
        client.cookie = cookie
        mine = {"poll": [], "page": []}
        n = 0
        while time.perf_counter() < stop:
            kind = "page" if n % PAGE_EVERY == PAGE_EVERY - 1 else "poll"
            status, _, seconds = request(client, "GET", page_path if kind == "page" else poll_path)
            assert status in (200, 204), (kind, status)
            mine[kind].append(seconds)
            n += 1
        with lock:
            for kind, times in mine.items():
                results[kind].extend(times)

    threads = [threading.Thread(target=run, args=(cookie,)) for cookie in cookies]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    count = len(results["poll"]) + len(results["page"])
    return count / elapsed, percentile(results["poll"], 0.95), percentile(results["page"], 0.95)


def logins_during_meeting(port, worker, poll_path, page_path, cookies):
    """Participants keep polling while ``LOGINS`` users log in at the same moment."""
    polls, pages = [], []
    window = {"start": None, "end": None}
    stop = threading.Event()
    lock = threading.Lock()

    def participant(cookie, reader):
        client = Client(port)
        client.cookie = cookie
        while not stop.is_set():
            status, _, seconds = request(client, "GET", page_path if reader else poll_path)
            assert status in (200, 204), status
            at = time.perf_counter()
            with lock:
                (pages if reader else polls).append((at - seconds, seconds))
            time.sleep(READER_PAUSE_SECONDS if reader else MEETING_POLL_SECONDS)

    outcomes, login_times = [], []
    barrier = threading.Barrier(LOGINS + 1)

    def newcomer(n):
        client = Client(port)
        token = login_page(client)
        data = {
            "username": f"deelnemer{CLIENTS + n:02d}",
            "password": PASSWORD,
            "csrf_token": token,
        }
        barrier.wait()
        status, _, seconds = request(client, "POST", "/login", data)
        with lock:
            outcomes.append(status)
            login_times.append(seconds)

    participants = [
        threading.Thread(target=participant, args=(cookie, reader))
        for cookie, reader in [(c, False) for c in cookies] + [(cookies[0], True)]
    ]
    for thread in participants:
        thread.start()
    time.sleep(1.0)
    rss_before = rss_mb(worker)
    newcomers = [threading.Thread(target=newcomer, args=(n,)) for n in range(LOGINS)]
    for thread in newcomers:
        thread.start()
    peak = [rss_before]
    sampling = threading.Event()

    def sample():
        while not sampling.is_set():
            peak[0] = max(peak[0], rss_mb(worker))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    barrier.wait()
    window["start"] = time.perf_counter()
    for thread in newcomers:
        thread.join()
    window["end"] = time.perf_counter()
    time.sleep(0.5)
    sampling.set()
    sampler.join()
    stop.set()
    for thread in participants:
        thread.join()
    rss_after = rss_mb(worker)

    def during(items):
        return [s for at, s in items if at + s >= window["start"] and at <= window["end"]]

    return {
        "poll_p99": percentile(during(polls), 0.99),
        "polls": len(during(polls)),
        "worst_page": max(during(pages), default=0.0) * 1000,
        "ok": sum(1 for status in outcomes if status == 302),
        "busy": sum(1 for status in outcomes if status == 503),
        "other": sorted(status for status in outcomes if status not in (302, 503)),
        "slowest_login": max(login_times) * 1000,
        "seconds": window["end"] - window["start"],
        "rss": (rss_before, peak[0], rss_after),
    }


def statements_of_a_poll(folder, app_root, poll_path, cookie):
    """SQL statements and rows written by one unchanged poll, counted in this process
    by SQLite's trace callback, on a copy of the app (same code, same database)."""
    script = f"""
import sqlite3, sys
sys.path.insert(0, {str(app_root)!r})
from app import create_app
from core import database
statements = []
connect = sqlite3.connect
def traced(*args, **kwargs):
    conn = connect(*args, **kwargs)
    conn.set_trace_callback(statements.append)
    return conn
app = create_app()
client = app.test_client()
client.set_cookie("session", {cookie!r})
client.get({poll_path!r})  # a first poll may open this thread's connection
sqlite3.connect = traced
database.sqlite3.connect = traced
before = connect({str(folder / "bench.db")!r}).total_changes
kept = getattr(database, "acquire", None)
if kept:
    db = kept(app.config["DATABASE"]); database.release(db)
    db.conn.set_trace_callback(statements.append)
log = connect({str(folder / "bench.db")!r})
rows = lambda: log.execute("SELECT COUNT(*) FROM access_log").fetchone()[0]
seen = lambda: log.execute("SELECT COALESCE(SUM(last_seen_at), 0) FROM user_sessions").fetchone()[0]
# a session last seen two minutes ago: a poll that counted as activity would write it
log.execute("UPDATE user_sessions SET last_seen_at = last_seen_at - 120"); log.commit()
log_before, seen_before = rows(), seen()
statements.clear()
status = client.get({poll_path!r}).status_code
writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
print(status, len(statements), len(writes), rows() - log_before, int(seen() != seen_before))
"""
    out = run_in_app(folder, app_root, script)
    status, count, writes, log_rows, seen_changed = (int(x) for x in out[-5:])
    assert status == 204, status
    return count, writes, log_rows, seen_changed


# --------------------------------------------------------------------------- main


def main():
    global WORKERS, THREADS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-root", type=pathlib.Path, default=ROOT)
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers (both)")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads per worker (both)")
    arguments = parser.parse_args()
    app_root = arguments.app_root.resolve()
    WORKERS, THREADS = arguments.workers, arguments.threads
    print(f"serving bench, {datetime.datetime.now():%Y-%m-%d %H:%M}, app from {app_root}")
    with tempfile.TemporaryDirectory(prefix="maatwerktafel-serving-") as name:
        folder = pathlib.Path(name)
        (folder / "trivial_app.py").write_text(TRIVIAL_APP)
        conference_id = prepare(folder, app_root)
        poll = f"/gezinnen/{FAMILY}/overleggen/{conference_id}/stap"
        page = f"/gezinnen/{FAMILY}"
        rows = []
        with gunicorn(folder, os.environ, "trivial_app:create_app()") as (floor_port, _):
            floor_load = load(floor_port, "/poll", "/page", [None] * CLIENTS)
            app_server = gunicorn(app_root, app_env(folder), "app:create_app()")
            with app_server as (port, worker):
                clients = [Client(port) for _ in range(CLIENTS)]
                for n, client in enumerate(clients):
                    status, _, _ = log_in(client, f"deelnemer{n:02d}")
                    assert status == 302, status
                cookies = [client.cookie for client in clients]
                _, body, _ = request(
                    clients[0], "GET", f"/gezinnen/{FAMILY}/overleggen/{conference_id}"
                )
                version = re.search(rb"versie=([^\"&]+)", body).group(1).decode()
                poll_path = f"{poll}?versie={urllib.parse.quote(version)}"
                page_bytes = len(request(clients[0], "GET", page)[1])
                (p50, p95), (floor_p50, floor_p95) = single_polls(
                    port, poll_path, cookies[0], floor_port
                )
                app_load = load(port, poll_path, page, cookies)
                meeting = logins_during_meeting(port, worker, poll_path, page, cookies)
        count, writes, log_rows, seen_changed = statements_of_a_poll(
            folder, app_root, poll_path, cookies[0]
        )

    rows.append(("poll 204, p50", f"{p50:.2f} ms", f"{floor_p50:.2f} ms", p50 / floor_p50))
    rows.append(("poll 204, p95", f"{p95:.2f} ms", f"{floor_p95:.2f} ms", p95 / floor_p95))
    rows.append(("poll 204, SQL statements / writes", f"{count} / {writes}", "", None))
    rows.append(
        ("poll 204, access-log rows / session touched", f"{log_rows} / {seen_changed}", "", None)
    )
    rows.append(
        (
            f"{CLIENTS} clients, req/s",
            f"{app_load[0]:.0f}",
            f"{floor_load[0]:.0f}",
            floor_load[0] / app_load[0],
        )
    )
    rows.append(
        (
            f"{CLIENTS} clients, poll p95",
            f"{app_load[1]:.1f} ms",
            f"{floor_load[1]:.1f} ms",
            app_load[1] / floor_load[1],
        )
    )
    rows.append(
        (
            f"{CLIENTS} clients, page p95 ({page_bytes // 1000} KB)",
            f"{app_load[2]:.1f} ms",
            f"{floor_load[2]:.1f} ms",
            app_load[2] / floor_load[2],
        )
    )
    rss = meeting["rss"]
    rows.append((f"{LOGINS} logins at once, poll p99", f"{meeting['poll_p99']:.0f} ms", "", None))
    rows.append(
        (f"{LOGINS} logins at once, worst page", f"{meeting['worst_page']:.0f} ms", "", None)
    )
    rows.append(
        (
            f"{LOGINS} logins at once, worker RSS before / peak / after",
            f"{rss[0]:.0f} / {rss[1]:.0f} / {rss[2]:.0f} MB",
            "",
            None,
        )
    )
    rows.append(
        (
            f"{LOGINS} logins at once, logged in / try again (503) / other",
            f"{meeting['ok']} / {meeting['busy']} / {meeting['other'] or 0}",
            "",
            None,
        )
    )
    rows.append(
        (
            f"{LOGINS} logins at once, slowest login / all done",
            f"{meeting['slowest_login']:.0f} ms / {meeting['seconds']:.1f} s",
            "",
            None,
        )
    )
    print(f"{'work':58} {'project':>22} {'floor, same run':>16} {'ratio':>6}")
    for work, project, floor, ratio in rows:
        shown = f"{ratio:.1f}x" if ratio is not None else ""
        print(f"{work:58} {project:>22} {floor:>16} {shown:>6}")
    print(f"({meeting['polls']} polls while the logins ran)")
    print()
    checks = [
        ("poll 204 within 2x the trivial 204 (p50)", p50 <= TARGET_POLL_RATIO * floor_p50),
        ("a 204 poll writes nothing", writes == 0 and log_rows == 0 and not seen_changed),
        (
            f"{CLIENTS} clients: poll p95 under {TARGET_LOAD_P95_MS} ms",
            app_load[1] < TARGET_LOAD_P95_MS,
        ),
        (
            f"{CLIENTS} clients: page p95 under {TARGET_LOAD_P95_MS} ms",
            app_load[2] < TARGET_LOAD_P95_MS,
        ),
        (
            f"logins: poll p99 under {TARGET_LOGIN_POLL_P99_MS} ms",
            meeting["poll_p99"] < TARGET_LOGIN_POLL_P99_MS,
        ),
        (f"logins: worker RSS under {TARGET_RSS_MB} MB", rss[1] < TARGET_RSS_MB),
    ]
    for what, met in checks:
        print(f"  {'met    ' if met else 'NOT met'}  {what}")


if __name__ == "__main__":
    main()
