"""The issue's family built through "Nieuw gezin" and "Gezin opbouwen", counting actions.

How actions are counted: every click, every key press that is not typing text (Enter),
every choice in a select list, and every field typed in (one action per field, however
long the text) counts as one. Waiting for the answer is not an action. The focus must
be where the next action types: the test types with the keyboard into whatever has
the focus, so a field that did not get it fails the test.
"""

import pathlib

from playwright.sync_api import expect

SHOTS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CODE = "het-opbouwhuis"
EVERYONE = ("Daan", "Sanne", "Hein", "Lotte", "Ria", "Ans", "Karim", "Els")


class Counted:
    """The page, with every action a user makes counted."""

    def __init__(self, page):
        self.page = page
        self.actions = 0
        self.typed = 0  # characters, for the report beside the issue's 370

    def click(self, locator):
        self.actions += 1
        locator.click()

    def fill(self, locator, text):
        self.actions += 1
        self.typed += len(text)
        locator.fill(text)

    def select(self, locator, value):
        self.actions += 1
        locator.select_option(value)

    def type_here(self, field_id, text):
        """Type into the field that has the focus, which must be ``field_id``."""
        expect(self.page.locator(f"#{field_id}")).to_be_focused()
        self.actions += 1
        self.typed += len(text)
        self.page.keyboard.type(text)

    def enter(self):
        self.actions += 1
        self.page.keyboard.press("Enter")


def test_the_issues_family_takes_under_25_actions(log_in, erase_afterwards):
    page = log_in("facilitator")
    erase_afterwards(CODE)  # also when the test fails halfway
    user = Counted(page)
    # The family and its index child, on the list page.
    user.click(page.get_by_text("Nieuw gezin aanmaken"))
    form = page.locator("details.new-family form").first
    user.fill(form.get_by_label("Titel van de casus"), "Het Opbouwhuis")
    user.select(form.get_by_label("Doel"), "return_home")
    user.fill(form.get_by_label("Naam van het kind"), "Daan m 2014")
    user.click(form.get_by_role("button", name="Gezin aanmaken"))
    page.wait_for_url(f"**/gezinnen/{CODE}/opbouwen")
    flow = page.locator("#gezin-opbouwen")
    drawing = page.locator("#genogram-tekening")
    expect(drawing).to_contain_text("Daan")

    # 1 Ouders: Enter adds the row; after the second parent the children are next.
    user.type_here("ouders-name", "Sanne v 1988")
    user.enter()
    expect(flow.locator("section").nth(0)).to_contain_text("Sanne")
    user.type_here("ouders-name", "Hein m 1985")
    user.enter()
    expect(flow.locator("section").nth(0)).to_contain_text("Hein")
    # 2 Kinderen, then Enter in the empty row goes on to "Wie woont waar".
    user.type_here("kinderen-name", "Lotte v 2017")
    user.enter()
    expect(flow.locator("section").nth(1)).to_contain_text("Lotte")
    expect(page.locator("#kinderen-name")).to_be_focused()
    user.enter()
    # 3 Wie woont waar: Daan lives in a foster family, the others at home.
    daan = page.locator("#wonen-p1")
    expect(daan).to_be_focused()
    user.select(daan, "foster")
    expect(page.locator("#wonen-p1")).to_have_value("foster")
    user.click(page.get_by_role("button", name="Alle anderen wonen thuis"))
    expect(page.locator("#wonen-p2")).to_have_value("home")
    # 4 Familie: the grandmother, as "moeder van Sanne".
    user.type_here("familie-name", "Ria 1960")
    user.select(page.locator("#familie-link"), "moeder:p2")
    user.click(page.get_by_role("button", name="Familielid toevoegen"))
    expect(flow.locator("section").nth(3)).to_contain_text("Ria")
    expect(page.locator("#familie-name")).to_be_focused()
    user.enter()
    # 5 Netwerk en banden: tied to Daan unless the row says otherwise.
    for name in ("Ans", "Karim", "Els"):
        user.type_here("netwerk-name", name)
        user.enter()
        expect(flow.locator("section").nth(4)).to_contain_text(name)

    print(f"the issue's family: {user.actions} actions, {user.typed} characters typed")
    assert user.actions < 25, user.actions
    # The genogram beside the form shows everyone.
    for name in EVERYONE:
        expect(drawing).to_contain_text(name)
    page.screenshot(path=str(SHOTS / "nieuw-gezin-opbouwen.png"))

    # The family as the issue asked for it, as the family page shows it.
    page.goto(f"/gezinnen/{CODE}")
    for name in EVERYONE:
        expect(page.locator("#gezin-en-netwerk")).to_contain_text(name)
