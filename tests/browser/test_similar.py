"""Similar cases on the family page in a real browser: what could work here leads, and
the keyboard reaches "We proberen dit"."""

import re

from playwright.sync_api import expect

FAMILY = "/gezinnen/verzorgpaard"  # the demo girl who loves horses
MAX_TABS = 12


def test_the_best_solution_and_why_it_fits_lead_and_the_keyboard_can_try_it(log_in):
    page = log_in("facilitator")
    page.goto(f"{FAMILY}#vergelijkbare-casussen")
    first = page.locator("#vergelijkbare-casussen-inhoud .similar-case").first
    best = first.locator(".best-solution")
    expect(best.locator("h3")).to_be_visible()
    expect(best.locator("h3")).not_to_be_empty()
    why = best.locator(".fit-reasons")
    expect(why).to_be_visible()
    expect(why).to_contain_text(re.compile(r"Waarom dit hier kan werken: (hefboom|drager)"))
    expect(best.locator(".fit-mark")).to_contain_text("Past hier")
    # The horses are named as a reason some solution could work for her.
    section = page.locator("#vergelijkbare-casussen-inhoud")
    expect(section.locator(".fit-reasons", has_text="liefde voor paarden")).not_to_have_count(0)
    # The solution is read before the case it comes from.
    solution_top = best.bounding_box()["y"]
    assert solution_top < first.locator(".similar-source").bounding_box()["y"]

    # By keyboard: from the filter, Tab reaches the first "We proberen dit".
    try_it = best.locator("summary", has_text="We proberen dit")
    section.get_by_label("Alleen oplossingen die (deels) werkten").focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if try_it.evaluate("element => element === document.activeElement"):
            break
    expect(try_it).to_be_focused()
    page.keyboard.press("Enter")
    owner = best.get_by_label("Wie pakt het op")
    expect(owner).to_be_visible()
    page.keyboard.press("Tab")
    expect(owner).to_be_focused()
