"""The case conference in the browser: keyboard only on the projector at 1920x1080, a
participant following live, and the PDF report. Screenshots of each step go to
docs/screenshots/ (the README shows them)."""

import io
import pathlib
import re
import time

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import DUTCH_SCREEN

FAMILY = "/gezinnen/verzorgpaard"
SHOTS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"
STEP_FILES = (
    "1-opening", "2-gezin", "3-kind", "4-zorgen", "5-signalen", "6-elders", "7-ideeen",
    "8-besluiten", "9-afsluiting",
)  # fmt: skip


def start_conference(page, family=FAMILY):
    page.goto(f"{family}#overleggen")
    page.get_by_role("button", name="Overleg starten").click()
    page.wait_for_url("**/overleggen/*")
    expect(page.locator(".step-title")).to_have_text("Opening")
    return page.url


def test_a_whole_conference_by_keyboard_on_the_projector(log_in):
    page = log_in("facilitator")
    assert page.viewport_size == {"width": 1920, "height": 1080}
    start_conference(page)
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.step-prompt')).fontSize)"
    )
    assert size >= 24, f"body text is {size}px on the projector"
    SHOTS.mkdir(parents=True, exist_ok=True)
    titles = []
    for number, name in enumerate(STEP_FILES, 1):
        expect(page.locator(".step-number")).to_have_text(f"Stap {number} van 9")
        titles.append(page.locator(".step-title").inner_text())
        page.wait_for_load_state("networkidle")
        if name == "2-gezin":
            # The genogram fills the screen below the heading, and stays on it.
            frame = page.locator(".conference-genogram").bounding_box()
            assert frame["y"] + frame["height"] <= 1080, frame
            assert frame["height"] >= 1080 / 2 and frame["width"] >= 1920 * 0.9, frame
        page.screenshot(path=str(SHOTS / f"overleg-{name}.png"))
        page.keyboard.press("ArrowRight")
    assert titles[0] == "Opening" and titles[-1] == "Afsluiting"

    # I jumps to the ideas and puts the cursor in the idea field; Enter adds it.
    page.keyboard.press("i")
    expect(page.locator(".step-title")).to_have_text("Ideeën")
    expect(page.locator("#notitie-idea")).to_be_focused()
    page.keyboard.type("Leasepaard bij de manege")
    page.keyboard.press("Enter")
    expect(page.locator(".note-text")).to_have_text(["Leasepaard bij de manege"])
    # The field is empty again with the cursor in it, ready for the next idea.
    expect(page.locator("#notitie-idea")).to_be_focused()
    expect(page.locator("#notitie-idea")).to_have_value("")
    # Escape leaves the field; A goes to decisions with the cursor in "what".
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    expect(page.locator("#besluit-wat")).to_be_focused()
    page.keyboard.type("Paardenfluisteraar twee keer per week")
    page.keyboard.press("Tab")
    page.keyboard.type("Jeugdbeschermer")
    page.keyboard.press("Enter")
    expect(page.locator(".decisions")).to_contain_text("Paardenfluisteraar twee keer per week")
    # Digits jump; ? shows the shortcuts, Escape closes them.
    page.keyboard.press("Escape")
    page.keyboard.press("2")
    expect(page.locator(".step-title")).to_have_text("Het gezin in beeld")
    page.keyboard.press("?")
    expect(page.locator("#sneltoetsen")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#sneltoetsen")).to_be_hidden()


def test_a_participant_sees_the_facilitators_idea_within_two_seconds(log_in, browser, server):
    page = log_in("facilitator")
    url = start_conference(page)
    page.keyboard.press("7")
    expect(page.locator(".step-title")).to_have_text("Ideeën")

    laptop = {**DUTCH_SCREEN, "viewport": {"width": 1366, "height": 768}}
    other = browser.new_context(base_url=server, **laptop)
    follower = other.new_page()
    follower.goto("/login")
    follower.get_by_label("Gebruikersnaam").fill("b-professional")
    follower.get_by_label("Wachtwoord").fill("browser-test-password")
    follower.get_by_role("button", name="Inloggen").click()
    follower.wait_for_url("**/gezinnen/**")
    follower.goto(url)
    expect(follower.locator(".step-title")).to_have_text("Ideeën")

    page.locator("#notitie-idea").fill("Kangoeroewoning naast de hulp")
    page.locator("#notitie-idea").press("Enter")
    typed = time.monotonic()
    expect(follower.locator(".note-text").filter(has_text="Kangoeroewoning")).to_be_visible(
        timeout=2000
    )
    assert time.monotonic() - typed < 2.0
    # The follower also follows the step.
    page.keyboard.press("Escape")
    page.keyboard.press("8")
    expect(follower.locator(".step-title")).to_have_text("Besluiten en acties", timeout=2000)
    other.close()


def test_the_report_downloads_as_a_pdf_with_the_meeting_in_it(log_in):
    page = log_in("facilitator")
    start_conference(page)
    page.keyboard.press("7")
    page.locator("#notitie-idea").fill("Logeerweekend bij oma")
    page.locator("#notitie-idea").press("Enter")
    expect(page.locator(".note-text")).to_contain_text(["Logeerweekend bij oma"])
    page.get_by_role("link", name="Verslag").click()
    expect(page.locator("h1")).to_have_text("Verslag casusoverleg")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    data = pathlib.Path(download.value.path()).read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Verslag casusoverleg" in text
    assert "Logeerweekend bij oma" in text
    assert "Het Verzorgpaard" in text


def test_the_opening_records_consent_at_the_table_and_reads_the_state_after(log_in):
    """Consent given at the table: the opening and the report say one true sentence; the
    participants list shows each state and the action that changes it, apart."""
    page = log_in("facilitator")
    start_conference(page)
    status = page.locator(".consent-status")
    expect(status).to_have_text(
        "Nog geen instemming voor bespreken in het casusoverleg: "
        "nog niet gegeven door Sanne (kind) en Hein (ouder)."
    )
    # Who is at the table: the state reads as a state, the button as an action.
    for name, role in (("Hein", "vader"), ("Yvette", "moeder")):
        page.get_by_label("Naam", exact=True).fill(name)
        page.get_by_label("Rol", exact=True).fill(role)
        page.get_by_role("button", name="Toevoegen", exact=True).click()
        expect(page.locator(".participants-list li").filter(has_text=name)).to_be_visible()
    yvette = page.locator(".participants-list li").filter(has_text="Yvette")
    yvette.get_by_role("button", name="Markeer Yvette als afwezig").click()
    yvette = page.locator(".participants-list li").filter(has_text="Yvette")
    expect(yvette.locator(".presence")).to_have_text("afwezig")
    expect(yvette.get_by_role("button", name="Markeer Yvette als aanwezig")).to_be_visible()
    hein = page.locator(".participants-list li").filter(has_text="Hein")
    expect(hein.locator(".presence")).to_have_text("aanwezig")
    expect(hein.get_by_role("button", name="Markeer Hein als afwezig")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "overleg-1-opening-instemming.png"))

    # Sanne and Hein consent at the table: ticked and saved, the sentence follows.
    page.get_by_label("Sanne (kind) stemt in met bespreken in dit overleg").check()
    page.get_by_label("Hein (ouder) stemt in met bespreken in dit overleg").check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(status).to_contain_text(
        "Instemming voor bespreken in het casusoverleg is compleet (aan tafel vastgelegd op "
    )
    expect(page.locator(".consent-at-table")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "overleg-1-opening-vastgelegd.png"))

    # A signal dismissed at the table reads with its Dutch severity and reason.
    page.keyboard.press("5")
    expect(page.locator(".step-title")).to_have_text("Signalen")
    card = page.locator(".signal").first
    title = card.locator("h3").inner_text()
    card.locator("summary", has_text="Afwijzen").click()
    card.get_by_label("de gegevens kloppen niet").check()
    card.get_by_role("button", name="Afwijzen").click()
    expect(page.locator(".signal-handled").filter(has_text=title)).to_contain_text(
        "de gegevens kloppen niet"
    )

    page.get_by_role("link", name="Verslag").click()
    signals = page.locator(".report section").filter(has_text="Signalen en wat ermee is gedaan")
    expect(signals).to_contain_text(
        re.compile(re.escape(title) + r" \((kritiek|waarschuwing|info)\): afgewezen: de gegevens")
    )
    expect(signals).not_to_contain_text(re.compile(r"critical|warning|wrong_data"))
    page.screenshot(path=str(SHOTS / "verslag.png"))
    signals.screenshot(path=str(SHOTS / "verslag-signalen.png"))
    consent = page.locator(".report .consent-status")
    expect(consent).to_contain_text(
        "Instemming voor bespreken in het casusoverleg is compleet (aan tafel vastgelegd op "
    )
    expect(page.locator(".report")).not_to_contain_text("Nog geen instemming")
    expect(page.locator(".report")).to_contain_text("Afwezig: Yvette")
