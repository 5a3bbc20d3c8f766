"""The solution library in a real browser: search as you type, then open a solution."""

import re

from playwright.sync_api import expect


def test_search_the_library_and_open_a_solution(log_in):
    page = log_in("professional")
    page.goto("/bibliotheek/")
    results = page.locator("#bibliotheek-resultaten")
    expect(results).to_contain_text("oplossingen")
    all_count = results.locator("li.library-entry").count()
    assert all_count > 40

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
