"""The genogram on the projector: the text's size when the drawing is fitted to the
conference's stage at 1920x1080, long names wrapped, the title whole, and who sits at
the table marked."""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own output only
from pathlib import Path

import pytest

from cases.validation import canonical_case
from genogram.graph import build_graph
from genogram.labels import (
    ELLIPSIS,
    NAME_SIZE,
    SMALL_SIZE,
    WRAP_CHARS,
    member_lines,
    person_lines,
    wrap,
)
from genogram.layout import layout_genogram
from genogram.projection import STAGE, fit_scale, font_sizes, smallest_label_px, stage_box
from genogram.svg import render_legend, render_svg

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def load(name):
    path = ROOT / "data" / "demo" / "cohort" / f"{name}.json"
    return canonical_case(json.loads(path.read_text(encoding="utf-8")))


def draw(case, **options):
    graph = build_graph(case)
    return render_svg(graph, layout_genogram(graph), legend=False, **options)


def svg_of(width, height, *sizes):
    texts = "".join(f'<text font-size="{s}">x</text>' for s in sizes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-10 -20 {width} {height}">{texts}</svg>'
    )


def visible_texts(root):
    return [el for el in root.iter(SVG + "text") if el.get("aria-hidden") != "true"]


# --------------------------------------------------------------------------- projection


def test_stage_box_at_1920x1080_is_the_measured_stage():
    assert stage_box() == STAGE
    # Another screen keeps the page's chrome around the stage the same.
    assert stage_box(1280, 720) == (STAGE[0] - 640, STAGE[1] - 360)


def test_fit_scale_is_limited_by_the_tighter_side():
    wide = svg_of(STAGE[0] * 2, STAGE[1], 20)
    tall = svg_of(STAGE[0], STAGE[1] * 4, 20)
    assert fit_scale(wide) == pytest.approx(0.5)
    assert fit_scale(tall) == pytest.approx(0.25)


def test_smallest_label_px_is_the_smallest_font_size_times_the_fit():
    assert smallest_label_px(svg_of(STAGE[0] / 2, STAGE[1] / 2, 30, 14, 20)) == pytest.approx(28)
    assert smallest_label_px(svg_of(STAGE[0], STAGE[1], 16), 1920 + 100, 1080) == 16


def test_smallest_label_px_reads_tspans_and_none_without_text():
    svg = svg_of(STAGE[0], STAGE[1]).replace(
        "</svg>", '<text font-size="20"><tspan font-size="12">a</tspan></text></svg>'
    )
    assert font_sizes(svg) == [20, 12]
    assert smallest_label_px(svg) == 12
    assert smallest_label_px(svg_of(100, 100)) is None


def test_het_verzorgpaard_reads_from_the_back_of_the_room():
    """The issue's family: its labels were 16-25 px on the projector."""
    assert smallest_label_px(draw(load("verzorgpaard"))) >= 24


# --------------------------------------------------------------------------- labels


def test_labels_are_larger_than_before_and_names_largest():
    assert SMALL_SIZE >= 24 and NAME_SIZE > SMALL_SIZE


def test_birth_year_and_residence_share_a_line_when_short():
    lines = person_lines({"name": "Lies", "birth_year": 1953, "residence": "home"}, 2026)
    assert [text for text, _, _ in lines] == ["Lies", "1953 (73) \N{MIDDLE DOT} thuis"]
    long = person_lines({"name": "Yassin", "birth_year": 2013, "residence": "kinship"}, 2026)
    assert [text for text, _, _ in long] == ["Yassin", "2013 (13)", "netwerkpleeggezin"]


def test_a_long_name_wraps_between_words_and_ends_in_an_ellipsis():
    assert wrap("Groepsleiding De Koppeling", NAME_SIZE, 2) == ["Groepsleiding De", "Koppeling"]
    long = "Wilhelmina Johanna Petronella van der Heijden-Oosterhuis " * 2
    lines = wrap(long, NAME_SIZE, 2)
    assert len(lines) == 2 and lines[-1].endswith(ELLIPSIS)
    assert all(len(line) <= WRAP_CHARS for line in lines)
    # One word longer than a line is cut with a hyphen.
    head, tail = WRAP_CHARS - 1, 30 - WRAP_CHARS + 1
    assert wrap("x" * 30, NAME_SIZE, 2) == ["x" * head + "-", "x" * tail]


def test_a_person_keeps_three_lines_at_most():
    data = {"name": "Anne-Marie van den Berg", "birth_year": 2013, "residence": "kinship"}
    lines = person_lines(data, 2026)
    assert len(lines) == 3 and lines[0][0].endswith(ELLIPSIS)
    member = member_lines({"name": "Gemeente, team wonen en zorg", "partner": "municipality"})
    assert [size for _, size, _ in member] == [NAME_SIZE, NAME_SIZE, SMALL_SIZE]


def test_a_105_character_name_does_not_shrink_the_drawing():
    case = load("verzorgpaard")
    before = smallest_label_px(draw(case))
    case["persons"][0]["name"] = "Sanne " + "Alexandra " * 10
    case["network"][0]["name"] = "Gemeente " * 12
    svg = draw(case)
    # It used to shrink the drawing to a dot; now the name takes two lines of a usual
    # width (the ring may put the members elsewhere, so the fit changes a little).
    assert smallest_label_px(svg) >= 0.75 * before
    root = ET.fromstring(svg)  # noqa: S314
    texts = [el.text for el in visible_texts(root)]
    assert any(t.startswith("Sanne Alexandra") and t.endswith(ELLIPSIS) for t in texts)
    assert "Gemeente Gemeente" in texts
    tooltips = [el.text for el in root.iter(SVG + "title")]
    assert any(t.startswith(case["persons"][0]["name"]) for t in tooltips)


# --------------------------------------------------------------------------- the drawing


def test_a_short_familys_title_is_not_clipped():
    case = load("verzorgpaard")
    case["persons"] = [p for p in case["persons"] if p.get("index")]
    case["relations"], case["network"] = [], []
    title = "Familie Van Oordt-Wijnaldum, tweede overleg"
    root = ET.fromstring(draw(case, title=title))  # noqa: S314
    x, _, width, _ = (float(v) for v in root.get("viewBox").split())
    heading = [el for el in root.iter(SVG + "g") if el.get("data-heading")][0]
    texts = visible_texts(heading)
    assert " ".join(el.text for el in texts) == title
    for el in texts:
        end = float(el.get("x")) + len(el.text) * float(el.get("font-size")) * 0.6
        assert float(el.get("x")) >= x and end <= x + width


def test_who_sits_at_the_table_is_marked_named_and_in_the_legend():
    case = load("verzorgpaard")
    for person in case["persons"]:
        person["in_team"] = person["name"] == "Hein"
    for member in case["network"]:
        member["in_team"] = member["partner"] == "youth_protection"
    root = ET.fromstring(draw(case))  # noqa: S314
    marked = [g for g in root.iter(SVG + "g") if g.get("data-in-team") == "true"]
    assert {g.get("data-person-id") or g.get("data-member-id") for g in marked} == {
        p["id"] for p in case["persons"] if p["in_team"]
    } | {m["id"] for m in case["network"] if m["in_team"]}
    for g in marked:
        # A black mark (it prints in black and white) and the tooltip says it.
        mark = [el for el in g if el.get("data-in-team") == "true"]
        assert len(mark) == 1 and mark[0].get("fill") == "#000000"
        assert "zit aan tafel" in g.find(SVG + "title").text
    unmarked = [g for g in root.iter(SVG + "g") if g.get("data-in-team") == "false"]
    assert unmarked and all("zit aan tafel" not in g.find(SVG + "title").text for g in unmarked)
    assert "zit aan tafel (in het team)" in render_legend()
