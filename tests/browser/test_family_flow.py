"""The flow a facilitator uses before a meeting: log in, find the family, fix a detail."""

from playwright.sync_api import expect

from tests.browser.conftest import reveal


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


def test_edit_a_person_in_place(log_in):
    page = log_in("facilitator")
    page.get_by_label("Zoeken").fill("Verzorgpaard")
    page.locator("#family-rows").get_by_role("link", name="Het Verzorgpaard").click()
    page.wait_for_url("**/gezinnen/verzorgpaard")
    reveal(page, "#genogram-tekening")
    expect(page.locator("#genogram-tekening svg")).to_be_visible()

    requests = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    page.get_by_role("button", name="Wijzigen Hein").click()
    form = page.locator("form", has=page.get_by_role("heading", name="Persoon wijzigen: Hein"))
    expect(form).to_be_visible()
    # htmx works asynchronously: type only once every answer has arrived.
    page.wait_for_load_state("networkidle")

    # A wrong birth year is refused beside the field, in Dutch, and nothing is saved.
    birth_year = form.get_by_label("Geboortejaar")
    birth_year.fill("19x8")
    assert birth_year.input_value() == "19x8", requests
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="Opslaan").click()
    assert answer.value.status == 422
    expect(birth_year).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".error").filter(has_text="jaar")).to_be_visible()

    birth_year.fill("1976")
    form.get_by_label("Interesses").fill("vissen, oude brommers, paarden")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="Opslaan").click()
    assert answer.value.status == 200
    expect(form).to_have_count(0)
    person = page.locator("li.person", has=page.get_by_role("heading", name="Hein"))
    expect(person).to_contain_text("geboren 1976")
    expect(person).to_contain_text("paarden")

    # The change is stored, not only shown.
    page.reload()
    expect(page.locator("li.person", has=page.get_by_role("heading", name="Hein"))).to_contain_text(
        "vissen, oude brommers, paarden"
    )


def test_a_double_click_on_gezin_aanmaken_makes_one_family(log_in, erase_afterwards):
    page = log_in("facilitator")
    # Erased when the test ends, and a second family too should the test fail.
    erase_afterwards("het-dubbelklikhuis")
    erase_afterwards("het-dubbelklikhuis-2")
    page.get_by_text("Nieuw gezin aanmaken").click()
    form = page.locator("#nieuw-gezin, details.new-family form").first
    form.get_by_label("Titel van de casus").fill("Het Dubbelklikhuis")
    form.get_by_label("Doel").select_option("return_home")
    form.get_by_label("Naam van het kind").fill("Mila")
    expect(form.get_by_label("Geslacht")).to_have_value("unknown")
    form.get_by_role("button", name="Gezin aanmaken").dblclick()
    page.wait_for_url("**/gezinnen/het-dubbelklikhuis/opbouwen")
    page.goto("/gezinnen/?q=Dubbelklikhuis")
    expect(page.locator("#family-rows tbody tr")).to_have_count(1)
