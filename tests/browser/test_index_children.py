"""Two index children: a facilitator marks a brother as index in the genogram panel;
the drawing shows both with a double symbol and the family page names both."""

import pathlib

from playwright.sync_api import expect

SHOTS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CODE = "cnt-rode-draad"  # Mei (index) and her younger brother Olivier (p4)
BROTHER = "p4"


def test_marking_a_second_index_child_in_the_panel(log_in):
    page = log_in("facilitator")
    page.goto(f"/gezinnen/{CODE}/genogram")
    drawing = page.locator("#genogram-tekening")
    expect(drawing.locator('[data-index="true"]')).to_have_count(1)

    drawing.locator(f'[data-person-id="{BROTHER}"]').click()
    panel = page.locator("#genogram-paneel")
    expect(panel).to_have_attribute("data-selected-person", BROTHER)
    panel.get_by_label("Indexkind (om dit kind gaat het)").check()
    panel.get_by_role("button", name="Opslaan").click()

    # Redrawn without a reload: both children double-lined, both named in the description.
    expect(drawing.locator('[data-index="true"]')).to_have_count(2)
    expect(drawing.locator(f'[data-person-id="{BROTHER}"]')).to_have_attribute("data-index", "true")
    expect(drawing.locator("desc")).to_contain_text("indexkinderen: Mei en Olivier")
    panel.get_by_role("button", name="Sluiten").click()  # no selection over the symbol
    expect(panel).not_to_have_attribute("data-selected-person", BROTHER)
    page.screenshot(path=str(SHOTS / "indexkinderen-genogram.png"))

    page.goto(f"/gezinnen/{CODE}")
    expect(page.locator(".family-head .index-children")).to_have_text(
        "Om wie het gaat: Mei en Olivier"
    )
    expect(page.locator(".tag-index")).to_have_count(2)
    page.screenshot(path=str(SHOTS / "indexkinderen-gezin.png"))

    # Back to one: unmarking in the panel takes Olivier out again.
    page.goto(f"/gezinnen/{CODE}/genogram")
    drawing.locator(f'[data-person-id="{BROTHER}"]').click()
    panel.get_by_label("Indexkind (om dit kind gaat het)").uncheck()
    panel.get_by_role("button", name="Opslaan").click()
    expect(drawing.locator('[data-index="true"]')).to_have_count(1)
