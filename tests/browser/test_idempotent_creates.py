"""A double click (or a form sent twice) in the genogram's side panel adds one person.

The browser database is shared: what the test adds, it removes again."""

from playwright.sync_api import expect

CODE = "cnt-lege-stoel"
FAMILY = f"/gezinnen/{CODE}/genogram"
SYMBOLS = "#genogram-tekening [data-person-id]"

# The panel's form sent twice at the same moment, bypassing static/app.js (which blocks
# a second submit while the first runs): the server has to be right on its own.
SEND_TWICE = """async (form) => {
    const data = new FormData(form);
    const send = () => fetch(form.action, {
        method: "POST", body: data,
        headers: {"HX-Request": "true", "HX-Target": "genogram-paneel"},
    });
    const answers = await Promise.all([send(), send()]);
    return answers.map((answer) => answer.status);
}"""


def persons_named(page, name):
    case = page.request.get(f"/api/families/{CODE}").json()
    return [p["id"] for p in case["persons"] if p["name"] == name]


def open_new_child(page, parent):
    page.locator(f'{SYMBOLS}[data-person-id="{parent}"]').click()
    panel = page.locator("#genogram-paneel")
    expect(panel).to_have_attribute("data-selected-person", parent)
    panel.get_by_role("button", name="Kind toevoegen").click()
    expect(panel.get_by_label("Naam")).to_be_focused()
    return panel


def remove(page, person_id):
    page.goto(FAMILY)
    page.locator(f'{SYMBOLS}[data-person-id="{person_id}"]').click()
    panel = page.locator("#genogram-paneel")
    expect(panel).to_have_attribute("data-selected-person", person_id)
    page.once("dialog", lambda dialog: dialog.accept())  # "Weet je het zeker?"
    panel.get_by_role("button", name="Verwijderen").click()
    expect(page.locator(f'{SYMBOLS}[data-person-id="{person_id}"]')).to_have_count(0)


def test_a_double_click_on_toevoegen_in_the_panel_adds_one_person(log_in):
    page = log_in("facilitator")
    page.goto(FAMILY)
    count = page.locator(SYMBOLS).count()
    parent = page.locator(SYMBOLS).first.get_attribute("data-person-id")
    made = []
    try:
        panel = open_new_child(page, parent)
        panel.get_by_label("Naam").fill("Dubbelklik")
        panel.get_by_role("button", name="Toevoegen").dblclick()
        expect(panel.locator("h3")).to_have_text("Dubbelklik")
        expect(page.locator(SYMBOLS)).to_have_count(count + 1)
        made += persons_named(page, "Dubbelklik")
        assert len(made) == 1

        panel = open_new_child(page, parent)
        panel.get_by_label("Naam").fill("Tweemaal")
        statuses = panel.locator("form").first.evaluate(SEND_TWICE)
        twice = persons_named(page, "Tweemaal")
        made += twice
        assert statuses == [200, 200]  # the second answer shows what the first made
        assert len(twice) == 1
        page.goto(FAMILY)
        expect(page.locator(SYMBOLS)).to_have_count(count + 2)
    finally:
        for person_id in made:
            remove(page, person_id)
    expect(page.locator(SYMBOLS)).to_have_count(count)
