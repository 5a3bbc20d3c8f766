"""Benchmark of 20 people logging in at the same moment in real browsers (a meeting
starts): who gets in without typing their password again.

The app runs under gunicorn as ``make run`` serves it (2 workers, 8 threads each), on a
temporary database with the demo data (bench/serving.py's set-up); Debian's chromium
(headless, as the browser tests drive it) opens 20 login pages, fills them in and sends
them within a few milliseconds of each other:

- with JavaScript (the login page as people get it): htmx sends the form and
  static/login.js sends it again after a 503 with Retry-After;
- without JavaScript (the plain form, what everyone had before static/login.js): a 503
  leaves the user on "probeer het zo opnieuw" to type the password again;
- the floor, same run: one login alone in the same browser, nobody else logging in.

Per round: logged in without typing again / still on the login page; the time from
sending to the first page after the login, p50 and slowest; the POSTs sent and how many
of them were answered 503. Run: ``.venv/bin/python bench/login_retry.py``.
"""

import datetime
import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [
    p for p in sys.path if pathlib.Path(p or ".").resolve() != ROOT / "bench"
]

from bench.serving import PASSWORD, app_env, gunicorn, prepare  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LOGINS = 20
ARRIVED = "/gezinnen/"  # the start page after a login
WAIT_SECONDS = 40  # longer than the script's three waits of at most 7 s and the hashing


class Login:
    """One browser context on the login page, filled in, with what happened to it."""

    def __init__(self, browser, base, username, javascript):
        self.context = browser.new_context(base_url=base, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.posts, self.busy = 0, 0
        self.sent_at = self.arrived_at = None
        self.page.on("request", self._request)
        self.page.on("response", self._response)
        self.page.on("framenavigated", self._navigated)
        self.page.goto("/login")
        self.page.get_by_label("Gebruikersnaam").fill(username)
        self.page.get_by_label("Wachtwoord").fill(PASSWORD)

    def _request(self, request):
        if request.method == "POST":
            self.posts += 1

    def _response(self, response):
        if response.request.method == "POST" and response.status == 503:
            self.busy += 1

    def _navigated(self, frame):
        if frame == self.page.main_frame and ARRIVED in frame.url and self.arrived_at is None:
            self.arrived_at = time.perf_counter()

    def send(self):
        self.sent_at = time.perf_counter()
        self.page.get_by_role("button", name="Inloggen").click(no_wait_after=True)

    def seconds(self):
        return self.arrived_at - self.sent_at if self.arrived_at else None


def at_once(browser, base, usernames, javascript):
    """Send every login within milliseconds; wait until all arrived or the time is up."""
    logins = [Login(browser, base, name, javascript) for name in usernames]
    for login in logins:
        login.send()
    deadline = time.perf_counter() + WAIT_SECONDS
    settled_since = None
    while time.perf_counter() < deadline:
        logins[0].page.wait_for_timeout(200)  # lets the browser's events come in
        if all(login.arrived_at for login in logins):
            break
        # Without JavaScript nobody tries again: done once nothing moved for 5 seconds.
        if not javascript:
            pending = sum(login.posts for login in logins), sum(login.busy for login in logins)
            if settled_since and settled_since[0] == pending:
                if time.perf_counter() - settled_since[1] > 5:
                    break
            else:
                settled_since = (pending, time.perf_counter())
    result = {
        "in": sum(1 for login in logins if login.arrived_at),
        "times": [login.seconds() for login in logins if login.arrived_at],
        "posts": sum(login.posts for login in logins),
        "busy": sum(login.busy for login in logins),
    }
    for login in logins:
        login.context.close()
    return result


def times(result):
    if not result["times"]:
        return "-"
    return f"{statistics.median(result['times']):.2f} / {max(result['times']):.2f} s"


def main():
    from playwright.sync_api import sync_playwright

    print(f"login retry bench, {datetime.datetime.now():%Y-%m-%d %H:%M}, {LOGINS} logins")
    with tempfile.TemporaryDirectory(prefix="maatwerktafel-logins-") as name:
        folder = pathlib.Path(name)
        prepare(folder, ROOT)
        with (
            gunicorn(ROOT, app_env(folder), "app:create_app()") as (port, _),
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
            )
            base = f"http://127.0.0.1:{port}"
            alone = at_once(browser, base, ["bench-lead"], javascript=True)
            names = [f"deelnemer{n:02d}" for n in range(2 * LOGINS)]
            plain = at_once(browser, base, names[:LOGINS], javascript=False)
            retrying = at_once(browser, base, names[LOGINS:], javascript=True)
            browser.close()
    print(f"{'work':44} {'in / left':>10} {'p50 / slowest':>16} {'POSTs (503)':>12}")
    for work, result, count in (
        ("one login alone (floor)", alone, 1),
        (f"{LOGINS} at once, plain form (no JavaScript)", plain, LOGINS),
        (f"{LOGINS} at once, login page retrying (login.js)", retrying, LOGINS),
    ):
        left = count - result["in"]
        posts = f"{result['posts']} ({result['busy']})"
        print(f"{work:44} {result['in']:>4} / {left:<3} {times(result):>16} {posts:>12}")
    met = retrying["in"] == LOGINS
    print()
    print(f"  {'met    ' if met else 'NOT met'}  every login gets in without typing again")


if __name__ == "__main__":
    main()
