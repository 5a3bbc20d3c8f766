"""Does every conference step fit the projector? Each demo family's conference walked
step by step in headless chromium at 1920x1080: the page's scrollHeight beside the
viewport's height (the floor: a step that fits is at most 1080 px tall).

    .venv/bin/python bench/conference_fit.py [family-code ...]

Starts its own server on a temporary database with the demo data (like the browser
tests); prints one row per family and step, and the steps that need scrolling.
"""

import json
import os
import pathlib
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DUTCH_SCREEN, PASSWORD  # noqa: E402
from tests.conftest import TOTP_KEY  # noqa: E402
from tests.serving import gunicorn  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
COHORT = sorted((ROOT / "data" / "demo" / "cohort").glob("*.json"))
HEIGHT = DUTCH_SCREEN["viewport"]["height"]


def _flask(app, *args):
    result = app.test_cli_runner().invoke(args=list(args), env={"BROWSER_PASSWORD": PASSWORD})
    if result.exit_code != 0:
        raise RuntimeError(f"flask {' '.join(args)}: {result.output}")


def _prepare(database):
    app = create_app({"DATABASE": database, "SECRET_KEY": "bench", "TOTP_KEY": TOTP_KEY})
    _flask(app, "db", "init")
    _flask(app, "demo", "load")
    _flask(app, "users", "create", "b-facilitator", "--role", "facilitator",
           "--password-env", "BROWSER_PASSWORD")  # fmt: skip
    codes = [json.loads(p.read_text(encoding="utf-8"))["code"] for p in COHORT]
    for code in codes:
        _flask(app, "team", "add", code, "b-facilitator", "--role", "facilitator")
    return codes


def walk(page, code):
    """[(step number, title, scrollHeight)] for a new conference of family ``code``."""
    page.goto(f"/gezinnen/{code}#overleggen")
    page.get_by_role("button", name="Overleg starten").click()
    page.wait_for_url("**/overleggen/*")
    heights = []
    count = int(page.locator(".step-number").inner_text().split()[-1])
    for number in range(1, count + 1):
        page.wait_for_function(
            "n => document.querySelector('.step-number').textContent.startsWith('Stap ' + n + ' ')",
            arg=number,
        )
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(150)  # the pager (if any) lays out after the swap
        title = page.locator(".step-title").inner_text()
        height = page.evaluate("document.documentElement.scrollHeight")
        heights.append((number, title, height))
        page.keyboard.press("ArrowRight")
    return heights


def main(wanted):
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        database = str(pathlib.Path(tmp) / "bench.db")
        codes = _prepare(database)
        codes = [c for c in codes if not wanted or c in wanted]
        env = {
            **os.environ,
            "MAATWERKTAFEL_DATABASE": database,
            "MAATWERKTAFEL_SECRET_KEY": "bench",
            "MAATWERKTAFEL_TOTP_KEY": TOTP_KEY,
            "MAATWERKTAFEL_INSECURE_COOKIES": "1",
        }
        with gunicorn(env) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_context(base_url=base, **DUTCH_SCREEN).new_page()
            page.goto("/login")
            page.get_by_label("Gebruikersnaam").fill("b-facilitator")
            page.get_by_label("Wachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.wait_for_url("**/gezinnen/**")
            over = []
            print(f"{'family':24} {'step':28} {'height':>7} {'screens':>8}  (viewport {HEIGHT} px)")
            for code in codes:
                for number, title, height in walk(page, code):
                    print(f"{code:24} {f'{number}. {title}':28} {height:7d} {height / HEIGHT:8.2f}")
                    if height > HEIGHT:
                        over.append((code, title, height))
            browser.close()
    print(f"\n{len(over)} steps taller than {HEIGHT} px" + (":" if over else ""))
    for code, title, height in over:
        print(f"  {code}: {title} {height} px (+{height - HEIGHT})")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(set(sys.argv[1:])))
