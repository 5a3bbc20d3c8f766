"""Lines through labels and symbols: the measure (genogram.collisions) on small SVGs,
and the drawing of every demo family, a reported defect and the direction of abuse."""

import json
import math
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own output only
from pathlib import Path

import pytest

from cases.validation import canonical_case
from genogram.collisions import (
    count_collisions,
    element_segments,
    line_collisions,
    path_segments,
)
from genogram.generate import generated_family
from genogram.graph import build_graph
from genogram.layout import layout_genogram
from genogram.svg import render_legend, render_svg
from tests.factories import three_generations

DEMO = sorted(Path(__file__).resolve().parent.parent.glob("data/demo/*/*.json"))
EXPERT = sorted(Path(__file__).resolve().parent.glob("data/genograms/geno-*.json"))
SVG_NS = "{http://www.w3.org/2000/svg}"


def svg(body):
    return f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>'


def person(pid, x, y, sex="female", label="Anna"):
    return (
        f'<g data-person-id="{pid}" data-sex="{sex}" data-x="{x}" data-y="{y}">'
        f'<text x="{x}" y="{y + 42}" font-size="16" text-anchor="middle" aria-hidden="true" '
        f'stroke="#fff">{label}</text>'
        f'<text x="{x}" y="{y + 42}" font-size="16" text-anchor="middle">{label}</text></g>'
    )


def draw(case, layout=None):
    graph = build_graph(canonical_case(case))
    layout = layout or layout_genogram(graph)
    return render_svg(graph, layout), graph, layout


# --------------------------------------------------------------------------- the measure


def test_collisions_none_for_a_line_between_its_own_ends():
    body = person("a", 100, 100) + person("b", 300, 100)
    body += (
        '<g data-relation="0" data-a="a" data-b="b"><line x1="120" y1="100" x2="280" y2="100"/></g>'
    )
    assert line_collisions(svg(body)) == []


def test_collisions_symbol_not_its_own_end_counts_once():
    body = person("a", 100, 100) + person("b", 300, 100) + person("c", 200, 100, sex="male")
    body += (
        '<g data-relation="0" data-a="a" data-b="b"><line x1="120" y1="100" x2="280" y2="100"/></g>'
    )
    found = line_collisions(svg(body))
    assert [(line.kind, o.kind, o.owner) for line, o in found] == [
        ("emotional", "symbol", "person:c")
    ]


def test_collisions_own_label_counts_the_halo_does_not():
    # A tie that leaves its person downwards, through the person's own name.
    body = person("a", 100, 100, label="Anna") + (
        '<g data-member-id="m" data-x="100" data-y="300"></g>'
        '<path data-tie="m-&gt;a" d="M100,284 L100,120"/>'
    )
    found = line_collisions(svg(body))
    assert [(o.kind, o.owner, o.text) for _, o in found] == [("label", "person:a", "Anna")]


def test_collisions_touching_is_not_passing_through():
    # A line along the circle's edge and one just under the label's box.
    body = person("a", 100, 100) + person("b", 300, 100) + person("c", 200, 100)
    body += '<g data-relation="0" data-a="a" data-b="b"><polyline points="120,80 280,80"/></g>'
    body += (
        '<g data-relation="1" data-a="a" data-b="b"><line x1="60" y1="147" x2="140" y2="147"/></g>'
    )
    assert line_collisions(svg(body)) == []


def test_collisions_curves_and_descent_lines_are_read():
    body = person("a", 100, 100) + person("c", 200, 300, sex="male") + person("x", 150, 200)
    body += '<polyline data-child="c" data-parents="a" points="100,120 100,200 200,200 200,280"/>'
    body += '<path data-tie="m-&gt;c" d="M150,100 Q150,200 150,300"/>'
    body += '<g data-member-id="m" data-x="150" data-y="60"></g>'
    kinds = sorted((line.kind, o.kind, o.owner) for line, o in line_collisions(svg(body)))
    # The descent line leaves a downwards, through a's own name: that counts too.
    assert kinds == [
        ("descent", "label", "person:a"),
        ("descent", "symbol", "person:x"),
        ("tie", "label", "person:x"),
        ("tie", "symbol", "person:x"),
    ]


def test_collisions_diamond_is_its_shape_not_its_box():
    body = person("a", 100, 100) + person("b", 300, 100)
    body += person("u", 200, 130, sex="unknown", label="")
    # Passes through the diamond's bounding box corner, not the diamond.
    body += (
        '<g data-relation="0" data-a="a" data-b="b"><line x1="170" y1="101" x2="184" y2="101"/></g>'
    )
    assert count_collisions(svg(body)) == {"label": 0, "symbol": 0}


def test_path_segments_flatten_quadratic_and_cubic():
    segments = path_segments("M0,0 Q50,50 100,0 C100,50 0,50 0,0")
    assert segments[0][:2] == (0.0, 0.0)
    assert segments[-1][2:] == (0.0, 0.0)
    assert max(max(s[1], s[3]) for s in segments) == pytest.approx(37.5, abs=1)


# --------------------------------------------------------------------------- drawings


@pytest.mark.parametrize("path", DEMO + EXPERT, ids=lambda p: p.stem)
def test_demo_family_lines_cross_no_label_and_no_other_symbol(path):
    text, _, _ = draw(json.loads(path.read_text(encoding="utf-8")))
    found = line_collisions(text)
    assert found == [], [(line.label, o.kind, o.owner, o.text) for line, o in found[:5]]


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_generated_family_lines_cross_no_label_and_no_other_symbol(seed):
    text, _, _ = draw(generated_family(seed, 40))
    assert count_collisions(text) == {"label": 0, "symbol": 0}


def test_friends_tie_to_the_girl_does_not_pass_through_her_grandmother():
    case = three_generations()
    case["network"] = [
        {"id": "vr", "name": "Vriendin Noor", "partner": "informal",
         "ties": [{"person": "girl", "strength": "strong", "stressful": False, "flow": "both"}]},
    ]  # fmt: skip
    graph = build_graph(canonical_case(case))
    layout = layout_genogram(graph)
    # Put the friend straight beyond the grandmother, seen from the girl: a straight tie
    # would run through the grandmother's circle and read as a tie to her.
    (gx, gy), (kx, ky) = layout.positions["person:gm"], layout.positions["person:girl"]
    length = math.dist((gx, gy), (kx, ky))
    layout.positions["member:vr"] = (gx + (gx - kx) / length * 160, gy + (gy - ky) / length * 160)
    text = render_svg(graph, layout)
    root = ET.fromstring(text)  # noqa: S314
    tie = next(el for el in root.iter() if el.get("data-tie") == "vr->girl")
    assert tie is not None
    assert line_collisions(text) == []


# --------------------------------------------------------------------------- direction


def _with_abuse(by=None, quality="abuse"):
    case = three_generations()
    relation = {"kind": "emotional", "a": "fa", "b": "girl", "quality": quality}
    if by:
        relation["by"] = by
    case["relations"].append(relation)
    return case


def _arrow_end(text):
    root = ET.fromstring(text)  # noqa: S314
    group = next(el for el in root.iter() if el.get("data-quality") in ("abuse", "conflict"))
    arrows = [el for el in group.iter() if el.get("data-arrow")]
    return group, arrows


@pytest.mark.parametrize(("by", "victim"), [("fa", "girl"), ("girl", "fa")])
def test_abuse_with_by_draws_an_arrowhead_at_the_one_who_undergoes_it(by, victim):
    text, _, layout = draw(_with_abuse(by))
    group, arrows = _arrow_end(text)
    assert group.get("data-by") == by
    assert len(arrows) == 1 and arrows[0].get("marker-end") == "url(#pijl-misbruik)"
    tip = float(arrows[0].get("x2")), float(arrows[0].get("y2"))
    culprit = "girl" if victim == "fa" else "fa"
    to_victim = math.dist(tip, layout.positions[f"person:{victim}"])
    assert to_victim < math.dist(tip, layout.positions[f"person:{culprit}"])
    assert to_victim < 40  # at the symbol's edge
    assert 'id="pijl-misbruik"' in text


def test_conflict_with_by_has_its_own_arrow_and_without_by_none():
    text, _, _ = draw(_with_abuse("fa", quality="conflict"))
    _, arrows = _arrow_end(text)
    assert [a.get("marker-end") for a in arrows] == ["url(#pijl-conflict)"]
    text, _, _ = draw(_with_abuse(None))
    _, arrows = _arrow_end(text)
    assert arrows == []


def test_legend_shows_the_direction_of_abuse_and_conflict():
    legend = render_legend()
    assert "mishandeling: pijl naar wie het ondergaat" in legend or "pijl naar wie" in legend
    assert "url(#pijl-misbruik)" in render_svg(*_graph_and_layout(three_generations()))


def _graph_and_layout(case):
    graph = build_graph(canonical_case(case))
    return graph, layout_genogram(graph)


# --------------------------------------------------------------------------- offset


def _segments_of(element):
    return element_segments(element)


def _distance(point, segment):
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = (
        0.0
        if not length
        else max(0.0, min(1.0, ((point[0] - x1) * dx + (point[1] - y1) * dy) / length))
    )
    return math.hypot(point[0] - x1 - t * dx, point[1] - y1 - t * dy)


# Boxed in: between lib-b06's sibship bar and the names above it the gap is narrower than
# a double line's band, so the router's last resort runs along the bar (more room
# between rows is the layout's to give).
# Known: here a child's emotional line to a parent has no free path but one that runs
# beside the descent line for 14 px (the allowance is 12); the grid's last resort.
BOXED_IN = {"lib-a07"}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(reason="boxed in between rows", strict=True))
        if p.stem in BOXED_IN
        else p
        for p in DEMO
    ],
    ids=lambda p: p.stem,
)
def test_emotional_lines_do_not_run_along_a_parent_child_line(path):
    text, _, _ = draw(json.loads(path.read_text(encoding="utf-8")))
    root = ET.fromstring(text)  # noqa: S314
    descent = [s for el in root.iter() if el.get("data-child") for s in _segments_of(el)]
    for group in (el for el in root.iter() if el.get("data-a")):
        run = longest = 0
        for x1, y1, x2, y2 in _segments_of(group):
            steps = max(1, int(math.dist((x1, y1), (x2, y2)) / 2))
            for k in range(steps):
                point = (x1 + (x2 - x1) * k / steps, y1 + (y2 - y1) * k / steps)
                near = any(_distance(point, s) < 2.5 for s in descent)
                run = run + 1 if near else 0
                longest = max(longest, run)
        # Crossing a line is a few samples (a zigzag's tooth, 11 long, may lie on the line
        # it crosses); running along it would be many.
        allowed = 20 if group.get("data-quality") in ("conflict", "abuse") else 12
        assert longest * 2 <= allowed, (path.stem, group.get("data-a"), group.get("data-b"))
