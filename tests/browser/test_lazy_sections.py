"""The family page's sections below the first screen come when they scroll into view,
and a section link (by mouse or keyboard) brings its section with its content."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import reveal

FAMILY = "/gezinnen/verzorgpaard"


def test_a_section_appears_when_scrolled_into_view(log_in):
    page = log_in("facilitator")
    page.goto(FAMILY)
    section = page.locator("#overleggen")
    expect(section.locator(".lazy-section")).to_contain_text("Overleggen laden...")
    expect(section.locator(".conferences")).to_have_count(0)

    section.scroll_into_view_if_needed()
    expect(section.locator(".conferences")).to_be_visible()
    expect(section.locator(".lazy-section")).to_have_count(0)


def test_the_section_links_bring_the_section_by_keyboard(log_in):
    page = log_in("facilitator")
    page.goto(FAMILY)
    link = page.get_by_role("navigation", name="Onderdelen van dit gezin").get_by_role(
        "link", name="Vergelijkbare casussen"
    )
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/gezinnen/verzorgpaard#vergelijkbare-casussen$"))
    expect(page.locator("#vergelijkbare-casussen-inhoud .similar-case").first).to_be_visible()
    expect(page.locator("#vergelijkbare-casussen .lazy-section")).to_have_count(0)


def test_the_drawing_comes_when_it_scrolls_into_view(log_in):
    page = log_in("facilitator")
    page.goto(FAMILY)
    reveal(page, "#genogram-tekening")
    expect(page.locator("#genogram-tekening svg")).to_be_visible()
    expect(page.locator("#genogram-tekening [data-person-id]").first).to_be_visible()
