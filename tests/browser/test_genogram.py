"""The genogram on the family page redraws itself when the family changes."""

from playwright.sync_api import expect

from tests.browser.conftest import reveal


def test_renaming_a_person_redraws_the_genogram(log_in):
    page = log_in("facilitator")
    page.goto("/gezinnen/cnt-weekritme")
    reveal(page, "#genogram-tekening")
    drawing = page.locator("#genogram-tekening svg")
    expect(drawing).to_be_visible()
    persons = page.locator("#genogram-tekening [data-person-id]")
    count = persons.count()
    assert count >= 5
    first = persons.first
    person_id = first.get_attribute("data-person-id")
    old_name = page.locator(f"#persoon-{person_id} h4").inner_text()

    page.get_by_role("button", name=f"Wijzigen {old_name}").click()
    form = page.locator(f"#persoon-{person_id} form")
    form.get_by_label("Naam").fill("Nieuwenaam")
    form.get_by_role("button", name="Opslaan").click()

    # Without a reload: the drawing comes back with the new name, same people.
    expect(page.locator(f'#genogram-tekening [data-person-id="{person_id}"]')).to_contain_text(
        "Nieuwenaam"
    )
    expect(page.locator("#genogram-tekening [data-person-id]")).to_have_count(count)
