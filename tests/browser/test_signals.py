"""Signals in the meeting: shown on the family page, pointed out in the genogram,
accepted with an action, and updated live when the family's data changes."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import reveal

FAMILY = "/gezinnen/cnt-sleutel-gezocht"


def test_signal_points_at_the_persons_and_can_be_accepted(log_in):
    page = log_in("facilitator")
    page.goto(FAMILY)
    reveal(page, "#genogram-tekening")
    reveal(page, "#signalen")
    card = page.locator("#signaal-missing-municipality-poverty")
    expect(card).to_be_visible()
    person = card.get_attribute("data-persons").split()[0]

    card.get_by_role("button", name="Toon in genogram").click()
    expect(page.locator(f'#genogram-tekening [data-person-id="{person}"]')).to_have_class(
        re.compile("is-flagged")
    )

    card.get_by_text("We pakken dit op").click()
    card.get_by_label("Wie pakt het op").fill("Jeugdbeschermer")
    card.get_by_role("button", name="Actie vastleggen").click()
    open_list = page.get_by_role("list", name="Open signalen")
    expect(open_list.locator("#signaal-missing-municipality-poverty")).to_have_count(0)
    handled = page.locator("details.handled")
    expect(handled).to_contain_text("Afgehandeld")
    handled.locator("> summary").click()
    expect(handled).to_contain_text("door Jeugdbeschermer")


def test_adding_the_missing_partner_in_the_genogram_quiets_the_signal_live(log_in):
    page = log_in("facilitator")
    page.goto(FAMILY)
    reveal(page, "#genogram-tekening")
    reveal(page, "#signalen")
    card = "#signaal-missing-housing-corporation"
    expect(page.locator(card)).to_be_visible()
    person = page.locator(card).get_attribute("data-persons").split()[0]

    page.locator(f'#genogram-tekening [data-person-id="{person}"]').click()
    panel = page.locator("#genogram-paneel")
    expect(panel).to_have_attribute("data-selected-person", person)
    panel.get_by_role("button", name="Netwerklid toevoegen").click()
    expect(panel.locator("h3")).to_contain_text("Nieuw: netwerklid")
    panel.get_by_label("Naam").fill("Woningcorporatie, wijkconsulent")
    panel.get_by_label("Soort partner").select_option("housing")
    panel.get_by_label("Zit in het team rond het gezin").check()  # at the table, not only tied
    panel.get_by_role("button", name="Toevoegen").click()

    # No reload: the signal cards redraw themselves after the save.
    expect(page.locator(card)).to_have_count(0)
