"""Benchmark of the app's start and of the family page, each beside its floor, same run.

- ``create_app()``: the median of 5 fresh interpreters, timed inside each from before
  ``import app`` to the app returned; the floor is ``import flask; flask.Flask()`` timed
  the same way. The heavy libraries still imported at start are named. Bytecode is
  written and used as in an installed app (``PYTHONDONTWRITEBYTECODE`` is dropped for
  these interpreters); a first, untimed start writes it and checks the rule files.
- The first page: a fresh interpreter that creates the app, logs in (untimed) and fetches
  the family page and every section it loads when scrolled into view (the rules, the
  finder's index and the drawing are made then).
- The family page (the demo family ``verzorgpaard``, as its facilitator) p50/p95 through
  Flask's test client, beside a trivial page of the same app (login, session and headers:
  the floor); then each section's own route, and the page with every section at once
  (``?volledig=1``: what the page was before the sections loaded lazily).

- ``make run`` to its first page once the demo is loaded (a second start: ``demo ensure``
  finds the data, gunicorn starts two workers): from the command to the first 200 of
  ``/login``, median of 3; the floor is gunicorn with the same flags serving a trivial app,
  from its start to its first answer.

Prints figures; it asserts nothing. Run: ``.venv/bin/python bench/startup.py``.
"""

import http.client
import json
import os
import pathlib
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STARTS = 5
REQUESTS = 200
FAMILY = "verzorgpaard"
HEAVY = ("sklearn", "scipy", "weasyprint", "deduce", "rule_engine", "networkx")
HTMX = {"HX-Request": "true"}

START_APP = """
import json, sys, time
start = time.perf_counter()
import app
app.create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": sys.argv[1]})
took = time.perf_counter() - start
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:]))
print(json.dumps([took, heavy]))
"""

START_FLASK = """
import json, time
start = time.perf_counter()
import flask
flask.Flask(__name__)
print(json.dumps([time.perf_counter() - start, []]))
"""

FIRST_PAGE = """
import json, sys, time
start = time.perf_counter()
import app
application = app.create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": sys.argv[1]})
created = time.perf_counter() - start
from tests.conftest import LoggedIn
client = LoggedIn(application.test_client(), "facilitator")
start = time.perf_counter()
assert client.get(sys.argv[2]).status_code == 200
for url, headers in json.loads(sys.argv[3]):
    assert client.get(url, headers=headers).status_code == 200
print(json.dumps([created, time.perf_counter() - start]))
"""


def fresh(code, *args):
    """Run ``code`` in a fresh interpreter in the project folder; its JSON answer."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_start(code, *args):
    fresh(code, *args)  # writes the bytecode (and checks the rule files once)
    runs = [fresh(code, *args) for _ in range(STARTS)]
    return statistics.median(took for took, _ in runs), runs[-1][1]


def percentiles(get):
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = get()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    times.sort()
    return times[len(times) // 2] * 1000, times[int(len(times) * 0.95)] * 1000, len(response.data)


def section_urls(code):
    from cases.views.ids import LAZY_SECTIONS
    from genogram.views import DRAWING_ID

    urls = [(f"/gezinnen/{code}/onderdeel/{name}", HTMX) for name in LAZY_SECTIONS]
    return [*urls, (f"/gezinnen/{code}/genogram", {**HTMX, "HX-Target": DRAWING_ID})]


def demo_database(folder):
    """The test users and families plus the demo cases, with the facilitator on the
    cohort's teams (``demo load``); returns the app and the database's path."""
    from tests.conftest import make_app

    path = pathlib.Path(folder) / "bench.db"
    app = make_app(path)
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return app, path


def main():
    with tempfile.TemporaryDirectory() as folder:
        app_s, heavy = median_start(START_APP, str(pathlib.Path(folder) / "start.db"), *HEAVY)
        flask_s, _ = median_start(START_FLASK)
        print(f"create_app(), median of {STARTS} fresh interpreters")
        print(f"  project {app_s * 1000:7.0f} ms   heavy modules at start: {heavy or 'none'}")
        print(f"  floor   {flask_s * 1000:7.0f} ms   (import flask; flask.Flask())")
        print(f"  ratio   {app_s / flask_s:7.1f}x")

        app, path = demo_database(folder)
        sections = section_urls(FAMILY)
        created, first = fresh(FIRST_PAGE, str(path), f"/gezinnen/{FAMILY}", json.dumps(sections))
        print(
            f"a fresh interpreter: create_app {created:.2f} s, then the first family page"
            f" with all its sections (rules, finder index, drawing) {first:.2f} s"
        )

        run_s, gunicorn_s = make_run_start(folder, path)
        print("\nmake run to its first page, the demo loaded (median of 3)")
        print(f"  project {run_s:7.2f} s   (demo ensure, then gunicorn: 2 workers)")
        print(f"  floor   {gunicorn_s:7.2f} s   (the same gunicorn serving a trivial app)")
        print(f"  ratio   {run_s / gunicorn_s:7.1f}x")

        from tests.conftest import LoggedIn

        @app.get("/bench-floor")
        def floor():
            return "<!doctype html><title>ok</title><p>ok</p>"

        client = LoggedIn(app.test_client(), "facilitator")
        page_url = f"/gezinnen/{FAMILY}"
        for url, headers in [(page_url, {}), ("/bench-floor", {}), *sections]:
            client.get(url, headers=headers)  # the first view computes signals and index
        floor_p50, floor_p95, _ = percentiles(lambda: client.get("/bench-floor"))
        page_p50, page_p95, size = percentiles(lambda: client.get(page_url))
        print(f"\nfamily page {FAMILY}, {REQUESTS} requests through the test client")
        print(f"  {'':<34} {'p50':>8} {'p95':>8} {'HTML':>9} {'p50 / floor':>12}")
        rows = [("trivial page (floor)", floor_p50, floor_p95, 0)]
        rows.append(("family page (first screen)", page_p50, page_p95, size))
        for url, headers in sections:
            name = url.rsplit("/", 1)[-1]
            rows.append(
                (
                    f"  section {name}",
                    *percentiles(lambda u=url, h=headers: client.get(u, headers=h)),
                )
            )
        rows.append(
            (
                "whole page at once (?volledig=1)",
                *percentiles(lambda: client.get(page_url + "?volledig=1")),
            )
        )
        for name, p50, p95, size in rows:
            print(
                f"  {name:<34} {p50:6.1f} ms {p95:6.1f} ms {size / 1000:6.0f} KB"
                f" {p50 / floor_p50:10.1f}x"
            )


TRIVIAL_APP = """
import flask

def create_app():
    app = flask.Flask(__name__)
    app.get("/login")(lambda: "<!doctype html><title>ok</title>")
    return app
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answered(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/login")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def until_first_page(command, port, **options):
    """Seconds from starting ``command`` to the first 200 of /login on ``port``."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **options,
    )
    try:
        while not answered(port):
            if process.poll() is not None or time.perf_counter() - started > 120:
                raise RuntimeError(f"{command} ended or took too long")
            time.sleep(0.01)
        return time.perf_counter() - started
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def make_run_start(folder, database):
    """``make run`` on ``database`` (the demo loaded), beside gunicorn on a trivial app."""
    (pathlib.Path(folder) / "trivial_app.py").write_text(TRIVIAL_APP)
    env = {**os.environ, "MAATWERKTAFEL_DATABASE": str(database)}
    project, floor = [], []
    for _ in range(3):
        port = free_port()
        project.append(until_first_page(["make", "run", f"PORT={port}"], port, cwd=ROOT, env=env))
        port = free_port()
        gunicorn = [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "8"]
        command = [*gunicorn, "--bind", f"127.0.0.1:{port}", "trivial_app:create_app()"]
        floor.append(until_first_page(command, port, cwd=folder))
    return statistics.median(project), statistics.median(floor)


if __name__ == "__main__":
    main()
