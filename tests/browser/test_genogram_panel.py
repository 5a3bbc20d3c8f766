"""The genogram as the facilitator uses it in a meeting: click, add, zoom, keyboard."""

import re

from playwright.sync_api import expect

FAMILY = "/gezinnen/cnt-lege-stoel/genogram"


def couple_with_children(page):
    """(partner a, partner b, [child ids]) of the first couple that has children drawn."""
    for union in page.locator("#genogram-tekening [data-union]").all():
        a, b = union.get_attribute("data-union").split("+")
        parents = " ".join(sorted((a, b)))
        children = [
            line.get_attribute("data-child")
            for line in page.locator(f'#genogram-tekening [data-parents="{parents}"]').all()
        ]
        if children:
            return a, b, children
    raise AssertionError("no couple with children in the drawing")


def centre(page, person_id):
    symbol = page.locator(f'#genogram-tekening [data-person-id="{person_id}"]')
    return float(symbol.get_attribute("data-x")), float(symbol.get_attribute("data-y"))


def test_adding_a_child_to_a_couple_draws_it_under_them(log_in):
    page = log_in("facilitator")
    page.goto(FAMILY)
    a, b, children = couple_with_children(page)
    count = page.locator("#genogram-tekening [data-person-id]").count()

    page.locator(f'#genogram-tekening [data-person-id="{a}"]').click()
    panel = page.locator("#genogram-paneel")
    expect(panel).to_have_attribute("data-selected-person", a)
    expect(page.locator(f'#genogram-tekening [data-person-id="{a}"]')).to_have_class(
        re.compile("is-selected")
    )
    panel.get_by_role("button", name="Kind toevoegen").click()
    expect(panel.locator("h3")).to_contain_text("Nieuw: kind van")
    # The cursor waits in the name field, so the facilitator can type at once.
    expect(panel.get_by_label("Naam")).to_be_focused()
    panel.get_by_label("Naam").fill("Kleintje")
    panel.get_by_label("Geboortejaar").fill("2025")
    panel.get_by_label("Andere ouder").select_option(b)
    panel.get_by_role("button", name="Toevoegen").click()

    # Without a page reload: the panel shows the newcomer, the drawing has one more.
    expect(panel.locator("h3")).to_have_text("Kleintje")
    expect(page.locator("#genogram-tekening [data-person-id]")).to_have_count(count + 1)
    child = panel.get_attribute("data-selected-person")
    line = page.locator(f'#genogram-tekening [data-child="{child}"]')
    expect(line).to_have_attribute("data-parents", " ".join(sorted((a, b))))
    child_x, child_y = centre(page, child)
    assert child_y > max(centre(page, a)[1], centre(page, b)[1])
    # On the row of the couple's other children, and youngest so rightmost among them.
    sibling_centres = [centre(page, sibling) for sibling in children]
    assert all(abs(child_y - y) < 1 for _, y in sibling_centres)
    assert child_x > max(x for x, _ in sibling_centres)


def test_keyboard_walks_the_drawing_and_opens_the_panel(log_in):
    page = log_in("facilitator")
    page.goto(FAMILY)
    symbols = page.locator("#genogram-tekening [data-person-id]")
    start = symbols.first
    start.focus()
    start_id = start.get_attribute("data-person-id")
    page.keyboard.press("ArrowRight")
    focused = page.evaluate(
        "(el => el.getAttribute('data-person-id') || el.getAttribute('data-member-id'))"
        "(document.activeElement)"
    )
    assert focused and focused != start_id
    page.keyboard.press("Enter")
    panel = page.locator("#genogram-paneel")
    expect(panel.locator("form")).to_be_visible()
    selected = panel.get_attribute("data-selected-person") or panel.get_attribute(
        "data-selected-member"
    )
    assert selected == focused


def test_zoom_buttons_enlarge_and_fit_the_drawing(log_in):
    page = log_in("facilitator")
    page.goto(FAMILY)
    svg = page.locator("#genogram-tekening svg")
    before = svg.bounding_box()["width"]
    page.get_by_role("button", name="Inzoomen").click()
    page.wait_for_timeout(400)  # the zoom animates
    assert svg.bounding_box()["width"] > before * 1.1
    page.get_by_role("button", name="Passend").click()
    page.wait_for_timeout(400)
    assert abs(svg.bounding_box()["width"] - before) < 2
