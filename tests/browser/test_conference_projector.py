"""The conference on the projector at 1920x1080: every step fits the screen without
scrolling (the long lists fold and page), the paging keys move between items, the `?`
help names them, and the item on screen survives a live refresh."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_conference import start_conference

HEIGHT = 1080
# Het Verzorgpaard, and the demo family with the most signals (ten) beside five similar
# cases: before the pager their "Signalen" were 4255 and 4726 px tall, "Wat elders
# werkte" 4657 and 4689 px.
FAMILIES = ("/gezinnen/verzorgpaard", "/gezinnen/cnt-sleutel-gezocht")


def page_height(page):
    # The pager lays out each step once htmx has settled the swap (it marks the step
    # then): measuring earlier would measure the step before it was fitted.
    expect(page.locator("#overleg-live[data-fitted]")).to_have_count(1)
    return page.evaluate("document.documentElement.scrollHeight")


@pytest.mark.parametrize("family", FAMILIES)
def test_every_step_fits_the_projector_without_scrolling(log_in, family):
    page = log_in("facilitator")
    assert page.viewport_size == {"width": 1920, "height": HEIGHT}
    start_conference(page, family)
    heights = {}
    for number in range(1, 10):
        expect(page.locator(".step-number")).to_have_text(f"Stap {number} van 9")
        heights[page.locator(".step-title").inner_text()] = page_height(page)
        page.keyboard.press("ArrowRight")
    assert len(heights) == 9
    too_tall = {title: h for title, h in heights.items() if h > HEIGHT}
    assert not too_tall, f"steps that scroll at 1920x1080: {too_tall}"


def test_the_paging_keys_move_between_signals_and_the_help_names_them(log_in):
    page = log_in("facilitator")
    start_conference(page, "/gezinnen/cnt-sleutel-gezocht")
    page.keyboard.press("?")
    help_box = page.locator("#sneltoetsen")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text("J")
    expect(help_box).to_contain_text("volgend item in de stap")
    expect(help_box).to_contain_text("vorig item in de stap")
    page.keyboard.press("Escape")

    page.keyboard.press("5")
    expect(page.locator(".step-title")).to_have_text("Signalen")
    status = page.locator(".signals .pager-status")
    expect(status).to_contain_text(re.compile(r"^Signaal 1 van (\d+) · \d+ hieronder"))
    total = int(re.search(r"van (\d+)", status.inner_text()).group(1))
    assert total >= 5
    cards = page.locator(".signal-list[aria-label='Open signalen'] > .signal")
    first, second = cards.nth(0), cards.nth(1)
    # The current card is open, the others folded to their heading and one line.
    expect(first.locator(".pager-toggle")).to_have_attribute("aria-expanded", "true")
    expect(first.locator(".signal-suggestion")).to_be_visible()
    expect(second.locator(".pager-toggle")).to_have_attribute("aria-expanded", "false")
    expect(second.locator("h3")).to_be_visible()
    expect(second.locator(".signal-suggestion")).to_be_hidden()

    page.keyboard.press("ArrowDown")
    expect(status).to_contain_text(f"Signaal 2 van {total}")
    expect(second.locator(".pager-toggle")).to_have_attribute("aria-expanded", "true")
    expect(second.locator(".pager-toggle")).to_be_focused()
    expect(second.locator(".signal-suggestion")).to_be_visible()
    expect(first.locator(".signal-suggestion")).to_be_hidden()
    page.keyboard.press("k")
    expect(status).to_contain_text(f"Signaal 1 van {total}")
    # The folded rest is one key away each: J walks to the last one, which comes on screen.
    for _ in range(total - 1):
        page.keyboard.press("j")
    expect(status).to_contain_text(f"Signaal {total} van {total}")
    expect(cards.nth(total - 1).locator(".signal-suggestion")).to_be_in_viewport()
    assert page_height(page) <= HEIGHT
    page.keyboard.press("ArrowDown")  # past the last: stays
    expect(status).to_contain_text(f"Signaal {total} van {total}")
    # A click on a folded card opens it.
    page.keyboard.press("K")
    cards.nth(total - 3).locator("h3").click()
    expect(status).to_contain_text(f"Signaal {total - 2} van {total}")


def test_the_current_item_survives_a_live_refresh(log_in):
    page = log_in("facilitator")
    url = start_conference(page)
    page.keyboard.press("6")
    expect(page.locator(".step-title")).to_have_text("Wat elders werkte")
    status = page.locator(".similar .pager-status")
    expect(status).to_contain_text("Casus 1 van")
    page.keyboard.press("ArrowDown")
    expect(status).to_contain_text("Casus 2 van")

    # Someone else changes the conference: every screen's poll swaps the whole step.
    live = page.locator("#overleg-live").element_handle()
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    response = page.request.post(
        f"{url}/deelnemers", form={"csrf_token": token, "name": "Oma Joke", "role": "oma"}
    )
    assert response.ok
    page.wait_for_function("el => !el.isConnected", arg=live, timeout=5000)
    expect(page.locator(".similar .pager-status")).to_contain_text("Casus 2 van")
    current = page.locator(".similar-list > .similar-case.is-current")
    expect(current).to_have_count(1)
    expect(current.locator(".pager-toggle")).to_have_attribute("aria-expanded", "true")
    assert page_height(page) <= HEIGHT


def test_a_long_list_of_ideas_fits_and_shows_the_newest(log_in):
    page = log_in("facilitator")
    url = start_conference(page)
    page.keyboard.press("7")
    expect(page.locator(".step-title")).to_have_text("Ideeën")
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    for number in range(1, 21):
        text = f"Idee nummer {number} voor het weekend"
        response = page.request.post(
            f"{url}/notities", form={"csrf_token": token, "kind": "idea", "text": text}
        )
        assert response.ok
    newest = page.locator(".note-text").filter(has_text="Idee nummer 20 voor")
    expect(newest).to_be_in_viewport(timeout=5000)
    expect(page.locator(".notes .is-off-page").first).to_be_hidden()
    status = page.locator(".note-column .pager-status")
    expect(status).to_contain_text(re.compile(r"^Notitie 20 van 20 · \d+ hierboven"))
    assert page_height(page) <= HEIGHT
    page.keyboard.press("ArrowUp")
    expect(status).to_contain_text("Notitie 19 van 20")
