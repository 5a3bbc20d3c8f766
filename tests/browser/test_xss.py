"""Attack text in a case, imported through the API with a token, never runs in a browser.

The real server, the real browser: no dialog opens, no element carries an event handler,
and the Content-Security-Policy never has to step in (a violation would mean some markup
got through the escaping and only the CSP stopped it).
"""

import json

from playwright.sync_api import expect

from tests.factories import XSS_LONG, XSS_PAYLOAD, make_xss_case

CODE = "xss-browser"


def _watch(page):
    """Collect dialogs (dismissed at once) and CSP violations reported on the console."""
    seen = {"dialogs": [], "csp": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    def on_console(message):
        if "Content Security Policy" in message.text:
            seen["csp"].append(message.text)

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    return seen


def _api_token(page):
    """Create an API token on the profile page, as a user would."""
    page.goto("/profiel")
    page.get_by_label("Naam van het token").fill("xss-import")
    page.get_by_role("button", name="Token aanmaken").click()
    return page.locator("#new-token").inner_text().strip()


def _assert_nothing_ran(page, seen):
    page.wait_for_load_state("networkidle")
    assert seen["dialogs"] == []
    assert seen["csp"] == []
    assert page.locator("[onerror], [onload], [onclick], [onmouseover]").count() == 0
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("img[src='x']").count() == 0


def test_attack_text_in_a_case_is_shown_as_text_and_never_runs(log_in, server):
    page = log_in("facilitator")
    seen = _watch(page)
    token = _api_token(page)
    response = page.request.post(
        f"{server}/api/families",
        data=json.dumps(make_xss_case(CODE)),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status == 201, response.text()

    page.goto(f"/gezinnen/{CODE}")
    # The text is there, as text.
    expect(page.locator("#situatie-gegevens dd").first).to_have_text(XSS_LONG)
    expect(page.locator("#persoon-p1 h4.name")).to_have_text(f"{XSS_PAYLOAD} p1")
    _assert_nothing_ran(page, seen)

    # An edit form, opened in place by htmx, holds the text as the field's value.
    page.locator("#situatie-gegevens").get_by_role("button", name="Wijzigen").click()
    title = page.locator("#situatie-gegevens").get_by_label("Titel")
    expect(title).to_have_value(XSS_LONG)
    _assert_nothing_ran(page, seen)

    page.locator("#persoon-p2").get_by_role("button", name="Wijzigen").click()
    expect(page.locator("#persoon-p2").get_by_label("Naam (voornaam of pseudoniem)")).to_have_value(
        f"{XSS_PAYLOAD} p2"
    )
    _assert_nothing_ran(page, seen)

    # The list, searched for the attack text, shows the family and runs nothing either.
    page.goto("/gezinnen/")
    page.get_by_label("Zoeken").fill(XSS_PAYLOAD)
    expect(page.locator("#family-rows tbody tr")).to_have_count(1)
    _assert_nothing_ran(page, seen)
