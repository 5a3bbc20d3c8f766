"""The genogram on the projector at 1920x1080: the conference's family step for three
families of different sizes, the smallest text measured in the browser (font size times
the drawing's scale on screen) beside what ``genogram.projection`` computes from the
SVG, and a screenshot of each in docs/screenshots/ (the README shows them)."""

import pathlib

import pytest
from playwright.sync_api import expect

from genogram.projection import STAGE, smallest_label_px

SHOTS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# The smallest text each family's drawing reaches on the projector. The two larger
# families meet the 24 px. The small one does not yet: its six network members
# sit above and below the family on the ecomap ring (genogram/layout/ring.py), so
# the drawing is as tall as it is wide and the stage's height limits it; kept here so
# that it only gets better.
FAMILIES = {
    "cnt-na-sluitingstijd": ("klein", 20),
    "verzorgpaard": ("verzorgpaard", 24),
    "cnt-zondagsrooster": ("groot", 24),
}

SMALLEST_TEXT_PX = """() => {
  const texts = document.querySelectorAll('.conference-genogram svg text:not([aria-hidden])');
  return Math.min(...Array.from(texts, t =>
    parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a));
}"""


def open_family_step(page, code):
    page.goto(f"/gezinnen/{code}#overleggen")
    page.get_by_role("button", name="Overleg starten").click()
    page.wait_for_url("**/overleggen/*")
    page.keyboard.press("2")
    expect(page.locator(".step-title")).to_have_text("Het gezin in beeld")
    page.wait_for_load_state("networkidle")
    return page.locator(".conference-genogram svg")


@pytest.mark.parametrize("code", FAMILIES)
def test_the_projectors_genogram_text_is_large_enough(log_in, code):
    name, least = FAMILIES[code]
    page = log_in("facilitator")
    svg = open_family_step(page, code)
    box = svg.bounding_box()
    # The stage genogram.projection reckons with: the rest of the screen.
    assert box["width"] == pytest.approx(STAGE[0], abs=2)
    assert box["height"] == pytest.approx(STAGE[1], abs=2)
    measured = page.evaluate(SMALLEST_TEXT_PX)
    computed = smallest_label_px(svg.evaluate("el => el.outerHTML"))
    assert measured == pytest.approx(computed, abs=0.5)
    assert measured >= least, f"{code}: smallest text {measured:.1f} px"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"genogram-projector-{name}.png"))


def test_the_projectors_legend_is_folded_and_names_who_sits_at_the_table(log_in):
    page = log_in("facilitator")
    open_family_step(page, "verzorgpaard")
    legend = page.locator(".step-genogram .genogram-legend")
    expect(legend.locator("svg")).to_be_hidden()
    # Who sits at the table is marked on the drawing and named in its accessible name.
    marked = page.locator('.conference-genogram g[data-in-team="true"]')
    assert marked.count() >= 1
    for i in range(marked.count()):
        assert "zit aan tafel" in marked.nth(i).get_attribute("aria-label")
        expect(marked.nth(i).locator('path[data-in-team="true"]')).to_be_visible()
    legend.locator("summary").click()
    expect(legend.locator("svg")).to_be_visible()
    expect(legend).to_contain_text("zit aan tafel (in het team)")
