"""The patterns page as a project lead opens it on the day: the default cohort (active
families, none closed yet) shows what they have now and no empty 0% chart, and no table
is cut off at 1366 or 1920 px."""

import pathlib

import pytest
from playwright.sync_api import expect

SCREENSHOT = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "patronen.png"

# Per table: its right edge, its box's, and whether the box can scroll to show the rest.
MEASURE = """() => Array.from(document.querySelectorAll('figure.pattern-block table')).map(t => {
  const box = t.closest('.pattern-scroll');
  return {
    name: t.dataset.table,
    right: t.getBoundingClientRect().right,
    boxRight: box.getBoundingClientRect().right,
    width: t.scrollWidth,
    boxWidth: box.clientWidth,
    scrolls: getComputedStyle(box).overflowX === 'auto',
  };
})"""


def test_default_cohort_shows_what_active_families_have_and_no_empty_chart(log_in):
    page = log_in("project_lead")
    page.goto("/patronen")
    expect(page.locator("#cohort-size")).to_contain_text("10 gezinnen")
    now = page.locator("#tabel-now")
    expect(now.get_by_role("heading", name="Lopende gezinnen: wat ze nu hebben")).to_be_visible()
    expect(now.locator("canvas[data-drawn='1']")).to_have_count(1)
    expect(now).to_contain_text("Gezinnen met een partner aan tafel")
    outcomes = page.locator("#tabel-outcomes")
    expect(outcomes.locator("canvas")).to_have_count(0)
    expect(outcomes.get_by_role("note")).to_contain_text("Nog geen uitkomsten")
    expect(outcomes.locator("table")).not_to_contain_text("0%")
    # Every chart Chart.js drew has a figure that is not zero.
    drawn = page.evaluate(
        "Object.values(window.Chart.instances).map(c => c.data.datasets"
        ".some(d => d.data.some(v => v)))"
    )
    assert drawn and all(drawn)
    # Figures from conferences (the browser tests before this one may have held one):
    # a chart with something in it, or a sentence why there is nothing yet.
    for name in ("moves", "goals", "actions"):
        block = page.locator(f"#tabel-{name}")
        expect(block.locator("canvas, [role=note]")).to_have_count(1)
        if block.locator("[role=note]").count():
            expect(block.get_by_role("note")).to_contain_text("Nog geen")
    assert "1 kinderen" not in page.content()


@pytest.mark.parametrize("width", [1366, 1920])
def test_no_table_is_cut_off(log_in, width):
    page = log_in("project_lead")
    page.set_viewport_size({"width": width, "height": 1080})
    page.goto("/patronen?status=")
    expect(page.locator("#tabel-components canvas[data-drawn='1']")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    tables = page.evaluate(MEASURE)
    assert len(tables) >= 10
    for table in tables:
        # Inside its box and inside the window: nothing hidden past the right edge.
        assert table["width"] <= table["boxWidth"], table
        assert table["right"] <= table["boxRight"] + 0.5 <= width, table
    if width == 1920:
        page.goto("/patronen")
        expect(page.locator("#tabel-now canvas[data-drawn='1']")).to_have_count(1)
        # From the cohort's size down: what the families have now, then why there are
        # no outcomes yet.
        page.evaluate("document.getElementById('cohort-size').scrollIntoView()")
        page.screenshot(path=str(SCREENSHOT))
