"""Real-browser tests: the real server (gunicorn) in a subprocess, Debian's chromium.

The server gets its own temporary database with the demo data and a user per role.
"""

import json
import os
import pathlib

import pytest

from app import create_app
from tests.conftest import TOTP_KEY
from tests.serving import gunicorn

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "browser-test-password"
ROLES = ("facilitator", "professional", "project_lead", "admin")

# Chromium on this machine must not try to reach the internet: background networking
# gets refused connections and slows every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _flask(app, *args):
    """Run a ``flask`` command in this process (a subprocess each took seconds to start)."""
    result = app.test_cli_runner().invoke(args=list(args), env={"BROWSER_PASSWORD": PASSWORD})
    if result.exit_code != 0:
        raise RuntimeError(f"flask {' '.join(args)}: {result.output}") from result.exception


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Start gunicorn on a free loopback port; yield its base URL."""
    tmp = tmp_path_factory.mktemp("server")
    database = str(tmp / "browser.db")
    app = create_app(
        {"DATABASE": database, "SECRET_KEY": "browser-test-secret", "TOTP_KEY": TOTP_KEY}
    )
    _flask(app, "db", "init")
    _flask(app, "demo", "load")
    for role in ROLES:
        _flask(
            app,
            "users",
            "create",
            f"b-{role}",
            "--role",
            role,
            "--password-env",
            "BROWSER_PASSWORD",
        )
    # The browser facilitator facilitates the whole demo cohort.
    for path in sorted((ROOT / "data" / "demo" / "cohort").glob("*.json")):
        code = json.loads(path.read_text(encoding="utf-8"))["code"]
        _flask(app, "team", "add", code, "b-facilitator", "--role", "facilitator")
    # A team member who follows a conference on her own laptop.
    _flask(app, "team", "add", "verzorgpaard", "b-professional", "--role", "member")
    env = dict(
        os.environ,
        MAATWERKTAFEL_DATABASE=database,
        MAATWERKTAFEL_SECRET_KEY="browser-test-secret",
        MAATWERKTAFEL_TOTP_KEY=TOTP_KEY,
        MAATWERKTAFEL_INSECURE_COOKIES="1",
    )
    with gunicorn(env) as base:
        yield base


# As the users see it: a Dutch browser (language, time zone) on a 1920x1080 projector.
# Date fields still show mm/dd/yyyy: Debian's chromium draws them in its own UI language,
# and the Dutch one comes with the chromium-l10n package, which CI does not install.
DUTCH_SCREEN = {
    "viewport": {"width": 1920, "height": 1080},
    "locale": "nl-NL",
    "timezone_id": "Europe/Amsterdam",
}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not pathlib.Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'make install-browser'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, **DUTCH_SCREEN)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def log_in(page):
    """Log in through the real login form as ``b-<role>``."""

    def log_in(role="facilitator"):
        page.goto("/login")
        page.get_by_label("Gebruikersnaam").fill(f"b-{role}")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/gezinnen/**")
        return page

    return log_in


def reveal(page, selector):
    """Scroll ``selector`` into view, as a reader does, and wait until what it loads when
    revealed (a section below the first screen, the drawing) has come."""
    from playwright.sync_api import expect

    page.locator(selector).scroll_into_view_if_needed()
    expect(page.locator(f"{selector}.lazy-section, {selector} .lazy-section")).to_have_count(0)


def erase_family(page, code):
    """Erase the family ``code`` through its erase page, as a facilitator does (the page
    must be logged in as one). Tests that make a family call it so the shared browser
    database keeps the demo's ten families that the cohort pages count."""
    from playwright.sync_api import expect

    page.goto(f"/gezinnen/{code}/wissen")
    page.locator("#erase-reason").fill("Aangemaakt in een test.")
    page.locator("#erase-confirm").fill(code)
    page.once("dialog", lambda dialog: dialog.accept())  # "Weet je het zeker?"
    page.get_by_role("button", name="wissen").click()
    page.wait_for_url("**/gezinnen/")
    page.goto(f"/gezinnen/?q={code}")
    expect(page.locator("#family-rows tbody tr")).to_have_count(0)


@pytest.fixture
def erase_afterwards(page):
    """``made(code)`` marks a family the test makes; it is erased when the test ends,
    also when the test failed halfway (else every cohort count after it would fail too)."""
    made = []
    yield made.append
    for code in made:
        if page.goto(f"/gezinnen/{code}").status == 200:
            erase_family(page, code)
