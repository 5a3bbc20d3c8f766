"""A text hint in the meeting: the narrative speaks of arrears nobody recorded; one click
records it on the proposed parent and the cards follow."""

from playwright.sync_api import expect

from tests.browser.conftest import reveal

FAMILY = "/gezinnen/cnt-sleutel-gezocht"


def test_a_text_hint_is_recorded_with_a_click(log_in):
    page = log_in("facilitator")
    page.goto(FAMILY)
    reveal(page, "#signalen")
    hint = page.locator("#teksthint-debts")
    expect(hint).to_contain_text("De tekst noemt ‘huurachterstand’; vastleggen als probleem")
    expect(page.locator("#signaal-missing-debt-counselling")).to_have_count(0)

    hint.get_by_role("button", name="Vastleggen").click()

    # No reload: the hint goes, and the signal the new problem raises is there.
    expect(page.locator("#teksthint-debts")).to_have_count(0)
    expect(page.locator("#signaal-missing-debt-counselling")).to_be_visible()
    page.reload()
    expect(page.locator("#teksthint-debts")).to_have_count(0)
    expect(page.locator("#signaal-missing-debt-counselling")).to_be_visible()
