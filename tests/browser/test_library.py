"""The solution library in a real browser: search as you type, then open a solution;
"Meer tonen"; the filter bar on a 1366-px laptop; a screenshot of the page in
docs/screenshots/ (the README shows it)."""

import pathlib
import re

import pytest
from playwright.sync_api import expect

SHOTS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_search_the_library_and_open_a_solution(log_in):
    page = log_in("professional")
    page.goto("/bibliotheek/")
    results = page.locator("#bibliotheek-resultaten")
    expect(results).to_contain_text("oplossingen")
    all_count = results.locator("li.library-entry").count()
    assert all_count == 20  # a page; "Meer tonen" for the rest

    page.get_by_label("Zoeken").press_sequentially("leasepaard", delay=20)
    # Active search: the list shrinks without a page load, and the URL follows.
    expect(page).to_have_url(re.compile(r"q=leasepaard"))
    expect(results.locator("li.library-entry").first).to_contain_text(re.compile("paard", re.I))
    assert results.locator("li.library-entry").count() < all_count

    page.get_by_label("Hoe het werkte").select_option("worked")
    expect(page).to_have_url(re.compile(r"outcome=worked"))

    results.locator("li.library-entry h2 a").first.click()
    expect(page.get_by_role("heading", name="Wat er is gedaan")).to_be_visible()
    expect(page.get_by_role("heading", name="In vergelijkbare situaties")).to_be_visible()
    # Left-out names read as marked role words ("vader"), not as [PERSOON-1].
    expect(page.locator("main .redacted").first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("[PERSOON-")
    expect(page.locator("main")).not_to_contain_text("Fay")  # the demo child's name


def test_more_shows_the_next_page_below_and_keeps_the_url(log_in):
    page = log_in("professional")
    page.goto("/bibliotheek/?problem=school")
    entries = page.locator("#bibliotheek-resultaten li.library-entry")
    expect(entries).to_have_count(18)
    page.goto("/bibliotheek/")
    expect(entries).to_have_count(20)
    first = entries.first.inner_text()
    page.get_by_role("link", name="Meer tonen").click()
    expect(entries).to_have_count(40)
    expect(page).to_have_url(re.compile(r"pagina=2"))
    assert entries.first.inner_text() == first  # added below, not replaced
    expect(page.locator("#bibliotheek-meer")).to_contain_text("40 van de")
    # A reload shows the same 40.
    page.reload()
    expect(entries).to_have_count(40)


def test_search_finds_the_filters_own_words_best_first(log_in):
    page = log_in("professional")
    page.goto("/bibliotheek/")
    page.get_by_label("Zoeken").press_sequentially("huiselijk geweld", delay=10)
    expect(page).to_have_url(re.compile(r"q=huiselijk"))
    entries = page.locator("#bibliotheek-resultaten li.library-entry")
    for i in range(4):  # the problem filter finds four: they come first
        expect(entries.nth(i).locator(".tag-problem", has_text="huiselijk geweld")).to_be_visible()


@pytest.mark.parametrize("width, height", [(1366, 768), (1920, 1080)])
def test_every_filter_control_fits_the_screen(log_in, width, height):
    page = log_in("professional")
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/bibliotheek/")
    controls = page.locator("form.library-filters").locator("input[type=search], select")
    assert controls.count() == 6
    for i in range(controls.count()):
        box = controls.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, controls.nth(i).get_attribute(
            "name"
        )
        assert box["y"] + box["height"] <= height
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The component list: the most used, not all 267.
    options = page.locator("#filter-component option")
    assert 20 <= options.count() <= 32
    if width == 1366:
        page.get_by_label("Zoeken").press_sequentially("paard school", delay=10)
        expect(page.locator(".library-missing").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "bibliotheek.png"))
