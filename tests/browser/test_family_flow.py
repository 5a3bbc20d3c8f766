"""The flow a facilitator uses before a meeting: log in, find the family, fix a detail."""

from playwright.sync_api import expect


def test_login_and_active_search_narrows_the_list(log_in):
    page = log_in("facilitator")
    rows = page.locator("#family-rows tbody tr")
    expect(rows.first).to_be_visible()
    total = rows.count()
    assert total >= 10

    page.get_by_label("Zoeken").fill("verzorgpaard")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Het Verzorgpaard")
    # The search is in the address bar, so a reload or a shared link shows the same list.
    assert "q=verzorgpaard" in page.url

    page.get_by_label("Zoeken").fill("")
    expect(rows).to_have_count(total)


def test_wrong_password_shows_dutch_message(page, server):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill("b-facilitator")
    page.get_by_label("Wachtwoord").fill("not the password")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("Gebruikersnaam of wachtwoord klopt niet")
