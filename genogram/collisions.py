"""Lines through labels and symbols, read back from the drawn SVG. Pure: no Flask.

``line_collisions(svg_text)`` lists every (line, obstacle) where a drawn line passes
through a label's box or through a symbol that is not one of the line's ends. It reads
only the SVG that :mod:`genogram.svg` emits, so it measures what a person sees:

- **obstacles**: each person's and member's symbol (square, circle or diamond for a
  person after ``data-sex``; a member's rounded box), at its ``data-x``/``data-y``; and
  each visible ``<text>`` (the white halo copies are ``aria-hidden`` and skipped) as an
  estimated box: ``CHAR_WIDTH`` em a character wide, from 0.8 em above the baseline to
  0.25 em below it. A label belongs to the person or member whose ``<g>`` holds it.
- **lines**: couple lines (``data-union``), descent lines and parent links
  (``data-child`` and ``data-parents``), emotional lines (``data-a``, ``data-b``) and
  ties (``data-tie="m->p"``), as the polylines, lines and paths (M, L, Q, C, absolute)
  they are drawn with: the ink of a zigzag or a wave, not an idealised centre line.
  The legend and the households' boundaries are not lines here (their labels are labels).

A line's **own ends** are the persons (and member) it joins: it may start or end on
their symbols, but it may pass through nobody's label, its own ends' labels included.
"Through" means more than touching: the line's ink centre must enter the obstacle by
``TOLERANCE``.
"""

import math
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own drawing only
from dataclasses import dataclass

from genogram.labels import CHAR_WIDTH, MEMBER_BOX, SYMBOL
from genogram.routing import segment_meets_box

SVG = "{http://www.w3.org/2000/svg}"
HALF = SYMBOL / 2
TOLERANCE = 0.5
ASCENT, DESCENT = 0.8, 0.25  # of the font size, above and below the baseline
CELL = 120  # the grid that finds the obstacles near a segment
CURVE_STEPS = 8  # straight pieces per quadratic or cubic segment


@dataclass(frozen=True)
class Obstacle:
    kind: str  # "label" or "symbol"
    owner: str  # "person:p1" or "member:m1"
    shape: str  # "rect", "circle" or "diamond"
    cx: float
    cy: float
    hw: float  # half width (radius of a circle, half diagonal of a diamond)
    hh: float
    text: str = ""

    def bbox(self):
        return self.cx - self.hw, self.cy - self.hh, self.cx + self.hw, self.cy + self.hh


@dataclass(frozen=True)
class Line:
    kind: str  # "couple", "descent", "emotional" or "tie"
    ends: frozenset  # the nodes it joins
    label: str  # what the SVG calls it, for a report
    segments: tuple  # ((x1, y1, x2, y2), ...)


def line_collisions(svg_text):
    """Every ``(line, obstacle)`` where a line passes through a label box or a symbol
    that is not one of its ends (see the module docstring)."""
    root = ET.fromstring(svg_text)  # noqa: S314 - our own drawing
    obstacles, lines = read_drawing(root)
    grid = _Grid(obstacles)
    found = []
    for line in lines:
        hit = set()
        for segment in line.segments:
            for i in grid.near(segment):
                if i in hit:
                    continue
                obstacle = obstacles[i]
                if obstacle.kind == "symbol" and obstacle.owner in line.ends:
                    continue
                if segment_enters(segment, obstacle):
                    hit.add(i)
        found += [(line, obstacles[i]) for i in sorted(hit)]
    return found


def count_collisions(svg_text):
    """``{"label": n, "symbol": n}``: how many (line, obstacle) pairs of each kind."""
    counts = {"label": 0, "symbol": 0}
    for _, obstacle in line_collisions(svg_text):
        counts[obstacle.kind] += 1
    return counts


# --------------------------------------------------------------------------- reading


def read_drawing(root):
    """(obstacles, lines) of a parsed genogram SVG."""
    obstacles, lines = [], []
    _walk(root, None, obstacles, lines)
    return obstacles, lines


def _walk(element, owner, obstacles, lines):
    for child in element:
        tag = child.tag.removeprefix(SVG)
        attrib = child.attrib
        if attrib.get("data-legend"):
            continue
        if "data-household" in attrib:  # its outline is no line here, its label is a label
            _walk(child, "household:" + attrib["data-household"], obstacles, [])
            continue
        if "data-person-id" in attrib:
            node = "person:" + attrib["data-person-id"]
            obstacles.append(_person_symbol(node, attrib))
            _walk(child, node, obstacles, lines)
            continue
        if "data-member-id" in attrib:
            node = "member:" + attrib["data-member-id"]
            x, y = float(attrib["data-x"]), float(attrib["data-y"])
            # The member's box: MEMBER_BOX wide, SYMBOL - 8 high, centred on x, y.
            obstacles.append(Obstacle("symbol", node, "rect", x, y, MEMBER_BOX / 2, HALF - 4))
            _walk(child, node, obstacles, lines)
            continue
        line = _line(tag, child)
        if line is not None:
            lines.append(line)
            continue
        if tag == "text" and owner is not None and attrib.get("aria-hidden") != "true":
            obstacles.append(_label(owner, child))
        elif tag == "g":
            _walk(child, owner, obstacles, lines)


def _person_symbol(node, attrib):
    x, y = float(attrib["data-x"]), float(attrib["data-y"])
    sex = attrib.get("data-sex")
    if sex == "female":
        return Obstacle("symbol", node, "circle", x, y, HALF, HALF)
    if sex == "male":
        return Obstacle("symbol", node, "rect", x, y, HALF, HALF)
    return Obstacle("symbol", node, "diamond", x, y, HALF * 1.15, HALF * 1.15)


def _label(owner, element):
    text = "".join(element.itertext())
    size = float(element.get("font-size", 14))
    x, y = float(element.get("x", 0)), float(element.get("y", 0))
    width = len(text) * size * CHAR_WIDTH
    anchor = element.get("text-anchor", "start")
    left = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
    top, bottom = y - ASCENT * size, y + DESCENT * size
    return Obstacle(
        "label", owner, "rect", left + width / 2, (top + bottom) / 2, width / 2,
        (bottom - top) / 2, text,
    )  # fmt: skip


def _line(tag, element):
    """The Line an element draws, or None when it is not one of the relation lines."""
    attrib = element.attrib
    if "data-union" in attrib:
        ends = attrib["data-union"].split("+")
        kind, label = "couple", "couple " + attrib["data-union"]
    elif "data-child" in attrib:
        ends = [attrib["data-child"], *attrib.get("data-parents", "").split()]
        kind, label = "descent", f"descent {attrib.get('data-parents', '')}->{ends[0]}"
    elif "data-tie" in attrib:
        member, person = attrib["data-tie"].split("->")
        return Line(
            "tie",
            frozenset({"member:" + member, "person:" + person}),
            "tie " + attrib["data-tie"],
            tuple(element_segments(element)),
        )
    elif "data-a" in attrib and "data-b" in attrib:
        ends = [attrib["data-a"], attrib["data-b"]]
        kind = "emotional"
        label = f"emotional {attrib.get('data-quality', '')} {ends[0]}-{ends[1]}"
    else:
        return None
    nodes = frozenset("person:" + e for e in ends if e)
    return Line(kind, nodes, label, tuple(element_segments(element)))


def element_segments(element):
    """The straight pieces of every line, polyline and path in ``element`` (itself
    included), curves flattened."""
    out = []
    for el in element.iter():
        tag = el.tag.removeprefix(SVG)
        if tag == "line":
            out.append(tuple(float(el.get(k, 0)) for k in ("x1", "y1", "x2", "y2")))
        elif tag in ("polyline", "polygon"):
            numbers = [float(v) for v in el.get("points", "").replace(",", " ").split()]
            points = list(zip(numbers[::2], numbers[1::2], strict=True))
            if tag == "polygon" and points:
                points.append(points[0])
            out += [(*a, *b) for a, b in zip(points, points[1:], strict=False)]
        elif tag == "path":
            out += path_segments(el.get("d", ""))
    return out


def path_segments(d):
    """The straight pieces of an SVG path of absolute M, L, Q and C commands."""
    tokens = d.replace(",", " ").replace("M", " M ").replace("L", " L ")
    tokens = tokens.replace("Q", " Q ").replace("C", " C ").split()
    out, i, command, here = [], 0, None, (0.0, 0.0)
    arity = {"M": 2, "L": 2, "Q": 4, "C": 6}
    while i < len(tokens):
        if tokens[i] in arity:
            command = tokens[i]
            i += 1
        values = [float(v) for v in tokens[i : i + arity[command]]]
        i += arity[command]
        points = list(zip(values[::2], values[1::2], strict=True))
        if command == "M":
            here = points[0]
            command = "L"  # further pairs after M are line-tos
            continue
        if command == "L":
            path = [here, points[0]]
        else:
            path = [_bezier([here, *points], k / CURVE_STEPS) for k in range(CURVE_STEPS + 1)]
        out += [(*a, *b) for a, b in zip(path, path[1:], strict=False)]
        here = points[-1]
    return out


def _bezier(control, t):
    while len(control) > 1:
        control = [
            (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
            for a, b in zip(control, control[1:], strict=False)
        ]
    return control[0]


# --------------------------------------------------------------------------- geometry


def segment_enters(segment, obstacle, tolerance=TOLERANCE):
    """Whether the segment enters the obstacle by more than ``tolerance``."""
    x1, y1, x2, y2 = segment
    cx, cy = obstacle.cx, obstacle.cy
    if obstacle.shape == "circle":
        return _distance_to_segment(cx, cy, segment) < obstacle.hw - tolerance
    if obstacle.shape == "diamond":
        # Rotated 45 degrees the diamond |dx| + |dy| <= d is a square of half side d / 2.
        def turn(x, y):
            dx, dy = x - cx, y - cy
            return (dx + dy) / 2, (dy - dx) / 2

        (a, b), (c, e) = turn(x1, y1), turn(x2, y2)
        half = obstacle.hw / 2 - tolerance / math.sqrt(2)
        return segment_meets_box((a, b), (c, e), (-half, -half, half, half))
    hw, hh = obstacle.hw - tolerance, obstacle.hh - tolerance
    return segment_meets_box((x1, y1), (x2, y2), (cx - hw, cy - hh, cx + hw, cy + hh))


def _distance_to_segment(px, py, segment):
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = 0.0 if not length else max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / length))
    return math.hypot(px - x1 - t * dx, py - y1 - t * dy)


class _Grid:
    """The obstacles by grid cell, so a segment is tested only against those near it."""

    def __init__(self, obstacles):
        self.cells = {}
        for i, obstacle in enumerate(obstacles):
            for cell in self._cells(obstacle.bbox()):
                self.cells.setdefault(cell, []).append(i)

    @staticmethod
    def _cells(box):
        x0, y0, x1, y1 = (math.floor(v / CELL) for v in box)
        return ((i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1))

    def near(self, segment):
        x1, y1, x2, y2 = segment
        box = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        seen = set()
        for cell in self._cells(box):
            for i in self.cells.get(cell, ()):
                if i not in seen:
                    seen.add(i)
                    yield i
