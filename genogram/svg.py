"""The genogram and ecomap as a server-side SVG, in the notation of McGoldrick, Gerson
and Petry. Pure: no Flask, no database.

``render_svg(graph, layout)`` draws the graph of :mod:`genogram.graph` at the positions
of :mod:`genogram.layout`. The app's Content-Security-Policy forbids inline styles, so
all styling goes through presentation attributes (``fill``, ``stroke``, ``font-size``);
there are no scripts and no external resources. Every person and member is a ``<g>``
with ``data-*`` attributes (ids, sex, index, in the team, position) and every relation
and tie is drawn by one element: ``data-relation`` (couple and emotional lines: the
relation's index), ``data-relations`` (a child line: the indices of the parent relations
it draws) or ``data-tie``, so the drawing can be checked (and scripted from outside)
without parsing the geometry.
"""

import datetime
import math
from xml.sax import saxutils

from cases import codes
from cases.index_children import dutch_list
from core.text import xml_safe
from genogram.graph import local_id, person_node
from genogram.household_outline import LABEL_SIZE, RowIndex, label_width, pieces
from genogram.households import households
from genogram.labels import (
    ASCENT,
    LEADING,
    MEMBER_BOX,
    MEMBER_TEXT_TOP,
    SMALL_SIZE,
    SYMBOL,
    TEXT_TOP,
    UNKNOWN_NAME,
    baselines,
    line_width,
    member_lines,
    person_half_width,
    person_lines,
    text_height,
    text_width,
    wrap,
)
from genogram.layout.canvas import LABEL_GAP, MARGIN, UNION_DROP
from genogram.routing import Router

HALF = SYMBOL / 2
INK = "#000000"
EMOTION = "#5b2a86"  # emotional lines: dark purple, apart from the family's black lines
ABUSE = "#c00000"
TIE = "#1f4e79"
FORMAL_FILL = "#d6e6f5"
INFORMAL_FILL = "#fde3bf"
HOUSEHOLD = "#2e6b30"
FONT = "DejaVu Sans, Arial, sans-serif"
LEGEND_COLUMN = 320
LEGEND_WIDTH = 2 * LEGEND_COLUMN + 40
LEGEND_ROW = 30
LEGEND_SIZE = 16  # the legend keeps its own small text: it is read up close, or opened on demand
LEGEND_GAP = 17

COUPLE_DASH = {"cohabiting": "10 6"}
DESCENT_DASH = {"biological": None, "adoptive": "10 6", "foster": "2 5", "step": "10 4 2 4"}
DESCENT_PRIORITY = ("biological", "adoptive", "foster", "step")
TIE_WIDTH = {"strong": 6, "normal": 3, "weak": 1.5}
TEAM_STAR = 13  # the outer radius of the in-team star
IN_TEAM_LABEL = "zit aan tafel (in het team)"


def escape(text):
    """Text as XML character data; what XML cannot hold at all (a NUL stored before
    validation refused it) is left out, so the drawing is always well-formed."""
    return saxutils.escape(xml_safe(text))


def quoteattr(text):
    return saxutils.quoteattr(xml_safe(text))


def _n(value):
    """A number as SVG text: at most two decimals, no trailing zeros."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(**attributes):
    """``key=value`` pairs as XML attributes (``_`` -> ``-``), skipping None."""
    parts = []
    for key, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, float | int) and not isinstance(value, bool):
            value = _n(value)
        parts.append(f" {key.rstrip('_').replace('_', '-')}={quoteattr(str(value))}")
    return "".join(parts)


def _el(tag, content=None, **attributes):
    if content is None:
        return f"<{tag}{_attrs(**attributes)}/>"
    return f"<{tag}{_attrs(**attributes)}>{content}</{tag}>"


def _points(points):
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _polyline(points, **attributes):
    return _el("polyline", points=_points(points), fill="none", **attributes)


def _text(x, y, content, *, size=SMALL_SIZE, weight=None, anchor="middle", fill=INK):
    """A label with a white halo that keeps it readable over lines: a stroked white copy
    under the text, so every renderer shows it (WeasyPrint ignores ``paint-order``, and
    a stroke on the text itself then covered the letters in the PDF). The copy is hidden
    from screen readers."""
    common = {
        "x": x,
        "y": y,
        "font_size": size,
        "font_weight": weight,
        "font_family": FONT,
        "text_anchor": anchor,
    }
    halo = _el(
        "text",
        escape(content),
        fill="#ffffff",
        stroke="#ffffff",
        stroke_width=4,
        stroke_linejoin="round",
        aria_hidden="true",
        **common,
    )
    return halo + _el("text", escape(content), fill=fill, **common)


def _shorten(a, b, by_a, by_b):
    """The segment ``a``-``b`` without ``by_a`` at a's end and ``by_b`` at b's."""
    (x1, y1), (x2, y2) = a, b
    length = math.hypot(x2 - x1, y2 - y1)
    if length <= by_a + by_b + 1:
        return a, b
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    return (x1 + ux * by_a, y1 + uy * by_a), (x2 - ux * by_b, y2 - uy * by_b)


def _zigzag(a, b, amplitude=6, step=10):
    (x1, y1), (x2, y2) = a, b
    length = math.hypot(x2 - x1, y2 - y1)
    if not length:
        return [a, b]
    count = max(2, int(length // step))
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    nx, ny = -uy, ux
    points = [a]
    for i in range(1, count):
        t = i * length / count
        side = amplitude if i % 2 else -amplitude
        points.append((x1 + ux * t + nx * side, y1 + uy * t + ny * side))
    points.append(b)
    return points


def _wave(a, b, amplitude=6, step=14):
    """A wavy path from ``a`` to ``b`` (quadratic arcs alternating sides)."""
    (x1, y1), (x2, y2) = a, b
    length = math.hypot(x2 - x1, y2 - y1)
    if not length:
        return f"M{_n(x1)},{_n(y1)}"
    count = max(2, int(length // step))
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    nx, ny = -uy, ux
    d = [f"M{_n(x1)},{_n(y1)}"]
    for i in range(count):
        mid = (i + 0.5) * length / count
        end = (i + 1) * length / count
        side = amplitude if i % 2 else -amplitude
        cx, cy = x1 + ux * mid + nx * side * 2, y1 + uy * mid + ny * side * 2
        d.append(f"Q{_n(cx)},{_n(cy)} {_n(x1 + ux * end)},{_n(y1 + uy * end)}")
    return " ".join(d)


def _offset(a, b, distance):
    (x1, y1), (x2, y2) = a, b
    length = math.hypot(x2 - x1, y2 - y1) or 1
    nx, ny = -(y2 - y1) / length * distance, (x2 - x1) / length * distance
    return (x1 + nx, y1 + ny), (x2 + nx, y2 + ny)


# --------------------------------------------------------------------------- lines


def _couple_marks(x, y, status):
    """The slashes on a couple line: one for separated, two for divorced."""
    slashes = {"separated": (0,), "divorced": (-5, 5)}.get(status, ())
    # Mostly above the couple line: the names start just below it.
    return "".join(
        _el("line", x1=x + dx - 5, y1=y + 3, x2=x + dx + 5, y2=y - 15, stroke=INK, stroke_width=2.5)
        for dx in slashes
    )


def _couple_line(paths, union_xy, status, **data):
    width = 1.5 if status is None else 2.5
    body = "".join(
        _polyline(points, stroke=INK, stroke_width=width, stroke_dasharray=COUPLE_DASH.get(status))
        for points in paths
    )
    return _el("g", body + _couple_marks(*union_xy, status), **data)


def _descent_style(types):
    kinds = set(types.values()) if isinstance(types, dict) else {types}
    kind = next((k for k in DESCENT_PRIORITY if k in kinds), "biological")
    return kind, DESCENT_DASH.get(kind)


def _path_length(points):
    return sum(math.dist(p, q) for p, q in zip(points, points[1:], strict=False))


def _split_at(points, at):
    """``points`` cut at length ``at``: (before, after), both including the cut point."""
    walked = 0.0
    for i, (p, q) in enumerate(zip(points, points[1:], strict=False)):
        step = math.dist(p, q)
        if walked + step >= at and step:
            t = (at - walked) / step
            cut = (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)
            return [*points[: i + 1], cut], [cut, *points[i + 1 :]]
        walked += step
    return list(points), [points[-1]]


def _along(points, each):
    """One polyline made of ``each(a, b)`` for every segment of ``points``."""
    out = []
    for a, b in zip(points, points[1:], strict=False):
        piece = each(a, b)
        out += piece[1:] if out else piece
    return out


def _emotional_line(points, quality, towards=None, mark_at=None, **data):
    """An emotional relation along ``points`` (symbol edge to symbol edge). ``towards``
    "end" or "start": abuse or conflict comes from one side, the arrowhead points at the
    one who undergoes it. ``mark_at``: where along the line the cut-off's bars stand
    (default its middle)."""
    if len(points) == 2:
        points = list(_shorten(*points, 4, 4))
    colour = ABUSE if quality == "abuse" else EMOTION
    common = {"stroke": colour, "stroke_width": 2, "fill": "none"}
    if towards == "start":
        points = list(reversed(points))
    if quality in ("close", "very_close"):
        offsets = (-3.5, 3.5) if quality == "close" else (-6, 0, 6)
        body = "".join(
            _el(
                "polyline",
                points=_points(_along(points, lambda a, b, o=off: list(_offset(a, b, o)))),
                **common,
            )
            for off in offsets
        )
    elif quality in ("conflict", "abuse"):
        body = _el("polyline", points=_points(_along(points, _zigzag)), **common)
    elif quality == "cutoff":
        half = _path_length(points) / 2 if mark_at is None else mark_at
        before, _ = _split_at(points, half - 6)
        _, after = _split_at(points, half + 6)
        body = _el("polyline", points=_points(before), **common)
        body += _el("polyline", points=_points(after), **common)
        for end, other in ((before[-1], before[-2]), (after[0], after[1])):
            u, v = _offset(end, other, 9)[0], _offset(end, other, -9)[0]
            body += _el("line", x1=u[0], y1=u[1], x2=v[0], y2=v[1], **common)
    else:
        dash = "10 7" if quality == "distant" else None
        body = _el("polyline", points=_points(points), stroke_dasharray=dash, **common)
    if towards is not None and quality in ("conflict", "abuse"):
        # A straight tip on the zigzag's end carries the arrowhead in the line's direction.
        (x1, y1), (x2, y2) = _shorten(points[-2], points[-1], 0, 0)
        length = math.hypot(x2 - x1, y2 - y1) or 1
        tip = (x2 - (x2 - x1) / length * 2, y2 - (y2 - y1) / length * 2)
        marker = "url(#pijl-misbruik)" if quality == "abuse" else "url(#pijl-conflict)"
        body += _el(
            "line",
            x1=tip[0],
            y1=tip[1],
            x2=x2,
            y2=y2,
            marker_end=marker,
            data_arrow="true",
            **common,
        )
    return _el("g", body, **data)


def _tie_line(points, strength, stressful, flow, **data):
    """A tie from a member to a person along ``points``; ``flow`` "to" points at the
    person."""
    if len(points) == 2:
        points = list(_shorten(*points, 2, 4))
    width = TIE_WIDTH.get(strength, 3)
    markers = {
        "marker_end": "url(#pijl)" if flow in ("to", "both") else None,
        "marker_start": "url(#pijl-terug)" if flow in ("from", "both") else None,
    }
    dash = "8 6" if strength == "weak" else None
    if stressful:
        d = " ".join(
            _wave(a, b) if i == 0 else _wave(a, b).replace("M", "L", 1)
            for i, (a, b) in enumerate(zip(points, points[1:], strict=False))
        )
    else:
        d = f"M{_n(points[0][0])},{_n(points[0][1])} " + " ".join(
            f"L{_n(x)},{_n(y)}" for x, y in points[1:]
        )
    return _el(
        "path",
        d=d,
        fill="none",
        stroke=TIE,
        stroke_width=width,
        stroke_dasharray=dash,
        **markers,
        **data,
    )


# --------------------------------------------------------------------------- symbols


def _symbol(sex, x, y, *, index=False, deceased=False, fill="#ffffff"):
    """The symbol of a person centred at ``x``, ``y``."""
    shapes = []
    sizes = (HALF, HALF - 5) if index else (HALF,)
    for i, h in enumerate(sizes):
        paint = {"fill": fill if i == 0 else "none", "stroke": INK, "stroke_width": 2.5}
        if sex == "male":
            shapes.append(_el("rect", x=x - h, y=y - h, width=2 * h, height=2 * h, **paint))
        elif sex == "female":
            shapes.append(_el("circle", cx=x, cy=y, r=h, **paint))
        else:
            d = h * 1.15
            diamond = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
            shapes.append(_el("polygon", points=_points(diamond), **paint))
    if deceased:
        r = HALF + 4
        shapes.append(
            _el("line", x1=x - r, y1=y - r, x2=x + r, y2=y + r, stroke=INK, stroke_width=2.5)
        )
        shapes.append(
            _el("line", x1=x - r, y1=y + r, x2=x + r, y2=y - r, stroke=INK, stroke_width=2.5)
        )
    return "".join(shapes)


def _member_symbol(x, y, formal):
    return _el(
        "rect",
        x=x - HALF - 6,
        y=y - HALF + 4,
        width=MEMBER_BOX,
        height=SYMBOL - 8,
        rx=8,
        fill=FORMAL_FILL if formal else INFORMAL_FILL,
        stroke=INK,
        stroke_width=2,
    )


# --------------------------------------------------------------------------- drawing


def _household_drawing(graph, layout, this_year):
    """The households (:mod:`genogram.households`) as labelled green outlines, one
    ``<g data-household>`` each, holding a polygon per piece
    (:mod:`genogram.household_outline`) with the persons inside it in ``data-members``;
    the box ``(left, top, right, bottom)`` they reach (None without households); and the
    boxes of their labels, which the routed lines keep clear of."""
    found = households(graph, this_year)
    if not found:
        return [], None, []
    index = RowIndex(graph, layout)
    out, xs, ys, labels = [], [], [], []
    for household in found:
        names = ", ".join(graph.nodes[p].get("name") or UNKNOWN_NAME for p in household.members)
        body = _el("title", escape(f"Huishouden {household.label}: {names}"))
        for piece in pieces(household.members, index, household.label):
            xs += [x for x, _ in piece.points]
            ys += [y for _, y in piece.points]
            body += _el(
                "polygon",
                points=_points(piece.points),
                fill="none",
                stroke=HOUSEHOLD,
                stroke_width=2.5,
                stroke_dasharray="12 6",
                stroke_linejoin="round",
                data_members=" ".join(local_id(p) for p in piece.members),
            )
            if piece.label:  # inside the outline, under the members' text
                x, y = piece.label_xy
                labels.append(
                    (x, y - ASCENT * LABEL_SIZE, x + label_width(piece.label), y + LABEL_SIZE / 4)
                )
                body += _text(
                    *piece.label_xy, piece.label, size=LABEL_SIZE, anchor="start",
                    fill=HOUSEHOLD,
                )  # fmt: skip
        out.append(
            _el(
                "g",
                body,
                data_household=" ".join(local_id(p) for p in household.members),
                data_household_label=household.label,
                data_household_source=household.source,
            )
        )
    return out, (min(xs), min(ys), max(xs), max(ys)), labels


def _in_team_mark(x, y):
    """A black star with a white rim at a symbol's upper right: this person or member
    sits at the table, in the family's team. Black on white reads on a projector and
    in a black-and-white print alike."""
    points = []
    for i in range(10):
        radius = TEAM_STAR if i % 2 == 0 else TEAM_STAR * 0.45
        angle = math.pi * (i / 5 - 0.5)
        points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    # A path, not a polygon: the symbol stays the one rect, circle or polygon of its group.
    return _el(
        "path",
        d="M" + " L".join(f"{_n(px)},{_n(py)}" for px, py in points) + " Z",
        fill=INK,
        stroke="#ffffff",
        stroke_width=2,
        stroke_linejoin="round",
        data_in_team="true",
    )


def _lines_under(x, top, lines):
    """The text lines of a symbol, from ``top`` down."""
    return "".join(
        _text(x, y, content, size=size, weight=weight)
        for (content, size, weight), y in zip(lines, baselines(lines, top), strict=True)
    )


def _person(node, data, layout, this_year):
    x, y = layout.positions[node]
    index = bool(data.get("index"))
    deceased = bool(data.get("deceased"))
    in_team = bool(data.get("in_team"))
    sex = data.get("sex") or "unknown"
    body = _el("title", escape(_person_tooltip(data)))
    body += _symbol(sex, x, y, index=index, deceased=deceased)
    if in_team:
        body += _in_team_mark(x + HALF + 2, y - HALF - 2)
    # The text starts below the couple line (``UNION_DROP``), which it would hide.
    top = y + HALF + TEXT_TOP + (4 if deceased else 0)
    body += _lines_under(x, top, person_lines(data, this_year))
    return _el(
        "g",
        body,
        data_person_id=local_id(node),
        data_sex=sex,
        data_index="true" if index else "false",
        data_deceased="true" if deceased else "false",
        data_in_team="true" if in_team else "false",
        data_x=x,
        data_y=y,
    )


def _person_tooltip(data):
    parts = [data.get("name") or UNKNOWN_NAME, codes.SEXES.get(data.get("sex"), "onbekend")]
    if data.get("index"):
        parts.append("indexkind")
    if data.get("birth_year"):
        parts.append(f"geboren {data['birth_year']}")
    if data.get("deceased"):
        parts.append("overleden")
    if data.get("residence"):
        parts.append(f"woont: {codes.RESIDENCES.get(data['residence'], data['residence'])}")
    if data.get("in_team"):
        parts.append(IN_TEAM_LABEL)
    return ", ".join(parts)


def _member_tooltip(data):
    text = f"{data.get('name') or UNKNOWN_NAME}: {codes.PARTNERS.get(data.get('partner'), '')}"
    return f"{text}, {IN_TEAM_LABEL}" if data.get("in_team") else text


def _member(node, data, layout):
    x, y = layout.positions[node]
    partner = data.get("partner")
    formal = partner != "informal"
    in_team = bool(data.get("in_team"))
    body = _el("title", escape(_member_tooltip(data)))
    body += _member_symbol(x, y, formal)
    if in_team:
        body += _in_team_mark(x + MEMBER_BOX / 2 + 2, y - HALF + 2)
    body += _lines_under(x, y + MEMBER_TEXT_TOP, member_lines(data))
    return _el(
        "g",
        body,
        data_member_id=local_id(node),
        data_partner=partner,
        data_in_team="true" if in_team else "false",
        data_x=x,
        data_y=y,
    )


def _beside(graph, node, pos, towards_x):
    """Where a line leaving ``node`` sideways can turn down: past its label, in the gap
    the layout keeps between neighbours' footprints (``LABEL_GAP``)."""
    x, y = pos[node]
    side = 1 if towards_x >= x else -1
    reach = max(person_half_width(graph.nodes[node]), HALF + 6) + LABEL_GAP / 2
    return (x + side * HALF, y), (x + side * reach, y)


def _single_parent_descent(graph, layout, parent, child):
    """A single parent's line to a child: from under the parent's symbol along the
    couple line's level and down beside the parent's label, not through it (the union
    lies right under the parent)."""
    pos = layout.positions
    kids = [t for _, t, d in graph.out_edges(layout_union(graph, parent, child), data=True)]
    mean_x = sum(pos[k][0] for k in kids) / len(kids)
    _, turn = _beside(graph, parent, pos, mean_x)
    (px, py), (cx, cy) = pos[parent], pos[child]
    drop = py + UNION_DROP  # as a couple line runs: under the symbol, above the name
    line_y = cy - HALF - 18
    return [
        (px, py + HALF),
        (px, drop),
        (turn[0], drop),
        (turn[0], line_y),
        (cx, line_y),
        (cx, cy - HALF),
    ]


def layout_union(graph, parent, child):
    return next(s for s, _, d in graph.in_edges(child, data=True) if d["kind"] == "child")


def _parent_link_points(graph, layout, parent, child, router):
    """A step- or foster parent's line: out beside the parent's label, down, and in to
    the child's top just above its row (under its sibship bar); the router's path where
    that way is blocked."""
    pos, bends = layout.positions, layout.bends
    cx, cy = pos[child]
    edge, turn = _beside(graph, parent, pos, cx)
    level = cy - HALF - 9
    inner = bends.get((parent, child), [])[1:]
    if inner:
        points = [edge, turn, (turn[0], inner[0][1] - 20), *inner, (cx, cy - HALF)]
    else:
        points = [edge, turn, (turn[0], level), (cx, level), (cx, cy - HALF)]
    ends = (parent, child)
    if router is None or all(
        router.free(a, b, ends) for a, b in zip(points, points[1:], strict=False)
    ):
        return points
    return router.route(parent, child, pos[parent], pos[child]) or points


def _family_lines(graph, layout, router=None):
    pos, bends = layout.positions, layout.bends
    out = []
    for u, d in graph.nodes(data=True):
        if d["kind"] != "union":
            continue
        ux, uy = pos[u]
        paths = []
        for partner in d["partners"]:
            p = person_node(partner)
            px, py = pos[p]
            if (p, u) in bends:
                paths.append([(px, py + HALF), *bends[(p, u)], (ux, uy)])
            else:
                paths.append([(px, py + HALF), (px, uy), (ux, uy)])
        data = {"data_union": "+".join(d["partners"]), "data_status": d.get("status")}
        if d.get("relation") is not None:
            data["data_relation"] = d["relation"]
        if router is not None:
            for points in paths:
                router.add_family_line(points)
        out.append(_couple_line(paths, (ux, uy), d.get("status"), **data))
    for s, t, e in graph.edges(data=True):
        if e["kind"] == "child":
            kind, dash = _descent_style(e.get("types") or {})
            (sx, sy), (cx, cy) = pos[s], pos[t]
            partners = graph.nodes[s]["partners"]
            if (s, t) in bends:
                points = [(sx, sy), *bends[(s, t)], (cx, cy - HALF)]
            elif len(partners) == 1:
                points = _single_parent_descent(graph, layout, person_node(partners[0]), t)
            else:
                line_y = cy - HALF - 18
                points = [(sx, sy), (sx, line_y), (cx, line_y), (cx, cy - HALF)]
            parents = " ".join(sorted(e.get("types") or {}))
            relations = sorted((e.get("relations") or {}).values())
            width = 2.5
        elif e["kind"] == "parent_link":
            kind = e.get("type") or "biological"
            dash = DESCENT_DASH.get(kind) or "2 5"
            points = _parent_link_points(graph, layout, s, t, router)
            parents = local_id(s)
            relations = [e.get("relation")] if e.get("relation") is not None else []
            width = 1.5
        else:
            continue
        if router is not None:
            router.add_family_line(points)
        out.append(
            _polyline(
                points,
                stroke=INK,
                stroke_width=width,
                stroke_dasharray=dash,
                data_child=local_id(t),
                data_parents=parents,
                data_descent=kind,
                data_relations=" ".join(map(str, relations)) or None,
            )
        )
    return out


def _routed_lines(graph, layout, router, reach):
    """Ties and emotional lines, each around the labels and symbols not its own; their
    points are added to ``reach`` (a detour may pass outside the persons' frame)."""
    pos = layout.positions
    out = []
    for s, t, e in graph.edges(data=True):
        if e["kind"] not in ("tie", "emotional"):
            continue
        points = router.route(s, t, pos[s], pos[t]) or [pos[s], pos[t]]
        reach += points
        if e["kind"] == "tie":
            out.append(
                _tie_line(
                    points,
                    e.get("strength"),
                    e.get("stressful"),
                    e.get("flow"),
                    data_tie=f"{local_id(s)}->{local_id(t)}",
                )
            )
            continue
        by = e.get("by")
        towards = None if by is None else ("end" if by == local_id(s) else "start")
        if towards == "start":
            points = list(reversed(points))
            towards = "end"
        out.append(
            _emotional_line(
                points,
                e.get("quality"),
                towards,
                router.clear_spot(points) if e.get("quality") == "cutoff" else None,
                data_relation=e.get("relation"),
                data_quality=e.get("quality"),
                data_a=local_id(s),
                data_b=local_id(t),
                data_by=by,
            )
        )
    return out


def _defs():
    arrow = (
        '<marker id="{id}" viewBox="0 0 10 10" refX="{ref}" refY="5" markerWidth="14" '
        'markerHeight="14" markerUnits="userSpaceOnUse" orient="{orient}">'
        '<path d="M0,0 L10,5 L0,10 z" fill="{fill}"/></marker>'
    )
    return (
        "<defs>"
        + arrow.format(id="pijl", ref=9, orient="auto", fill=TIE)
        + arrow.format(id="pijl-terug", ref=9, orient="auto-start-reverse", fill=TIE)
        + arrow.format(id="pijl-misbruik", ref=9, orient="auto", fill=ABUSE)
        + arrow.format(id="pijl-conflict", ref=9, orient="auto", fill=EMOTION)
        + "</defs>"
    )


LEGEND_SYMBOLS = [
    ("male", {}, "man"),
    ("female", {}, "vrouw"),
    ("unknown", {}, "anders of onbekend"),
    ("female", {"index": True}, "indexkind (dubbele rand)"),
    ("male", {"deceased": True}, "overleden"),
]


def _legend(x0, y0):
    """The Dutch legend, from ``x0``, ``y0`` down; returns (svg, height)."""
    parts = [_text(x0, y0 + 20, "Legenda", size=20, weight="bold", anchor="start")]
    y = y0 + 40
    sample_x, label_x = x0 + 8, x0 + 84
    bottom = y

    def next_column():
        nonlocal y, sample_x, label_x, bottom
        bottom = max(bottom, y)
        y = y0 + 40
        sample_x += LEGEND_COLUMN
        label_x += LEGEND_COLUMN

    def row(sample, label):
        nonlocal y
        cy = y + LEGEND_ROW / 2
        parts.append(sample(cy))
        parts.append(_text(label_x, cy + 5, label, size=LEGEND_SIZE, anchor="start"))
        y += LEGEND_ROW

    def heading(label):
        nonlocal y
        y += 6
        parts.append(_text(sample_x - 8, y + 18, label, size=16, weight="bold", anchor="start"))
        y += 26

    heading("Personen")
    for sex, flags, label in LEGEND_SYMBOLS:
        y += 12
        row(lambda cy, s=sex, f=flags: _symbol(s, sample_x + 30, cy, **f), label)
        y += 12
    y += 12
    row(
        lambda cy: (
            _symbol("male", sample_x + 30, cy)
            + _in_team_mark(sample_x + 30 + HALF + 2, cy - HALF - 2)
        ),
        IN_TEAM_LABEL,
    )
    y += 12
    row(lambda cy: _member_symbol(sample_x + 30, cy, True), "netwerk: formele partner")
    row(lambda cy: _member_symbol(sample_x + 30, cy, False), "netwerk: informeel")
    row(
        lambda cy: _el(
            "rect", x=sample_x, y=cy - 11, width=60, height=22, rx=8, fill="none",
            stroke=HOUSEHOLD, stroke_width=2.5, stroke_dasharray="12 6",
        ),
        "huishouden (onder één dak)",
    )  # fmt: skip
    years = "1953 (73) \N{MIDDLE DOT} thuis: geboortejaar (leeftijd), woont"
    parts.append(_text(x0, y + 20, years, size=LEGEND_SIZE, anchor="start"))
    dagger = "\N{DAGGER}: overleden"
    parts.append(_text(x0, y + 22 + LEGEND_GAP, dagger, size=LEGEND_SIZE, anchor="start"))
    y += 2 * LEGEND_GAP + 14

    def segment(cy):
        return (sample_x, cy), (sample_x + 60, cy)

    heading("Partners")
    for status in (*codes.COUPLE_STATUSES, None):
        label = codes.COUPLE_STATUSES.get(status, "ouders, geen paar vastgelegd")
        row(lambda cy, s=status: _couple_line([list(segment(cy))], (sample_x + 30, cy), s), label)
    heading("Kinderen")
    for kind, label in codes.PARENT_TYPES.items():
        row(
            lambda cy, k=kind: _polyline(
                list(segment(cy)), stroke=INK, stroke_width=2.5, stroke_dasharray=DESCENT_DASH[k]
            ),
            f"{label} kind",
        )
    next_column()
    heading("Emotionele banden")
    for quality, label in codes.EMOTIONAL_QUALITIES.items():
        row(
            lambda cy, q=quality: _emotional_line([*segment(cy)], q),
            label,
        )
    for quality in ("abuse", "conflict"):
        row(
            lambda cy, q=quality: _emotional_line([*segment(cy)], q, towards="end"),
            f"{codes.EMOTIONAL_QUALITIES[quality]}: pijl naar wie het ondergaat",
        )
    heading("Banden met het netwerk")
    for strength, label in codes.TIE_STRENGTHS.items():
        row(
            lambda cy, s=strength: _tie_line([*segment(cy)], s, False, None),
            label,
        )
    row(
        lambda cy: _tie_line([*segment(cy)], "normal", True, None),
        "stressvol",
    )
    row(
        lambda cy: _tie_line([*segment(cy)], "normal", False, "to"),
        "steun naar de persoon",
    )
    row(
        lambda cy: _tie_line([*segment(cy)], "normal", False, "both"),
        "wederzijds",
    )
    return _el("g", "".join(parts), data_legend="true"), max(bottom, y) - y0 + 10


def render_legend():
    """The Dutch legend alone, as an SVG document (shown beside the drawing on screen)."""
    legend_svg, height = _legend(0, 0)
    width = LEGEND_WIDTH
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="-10 0 {width} {_n(height)}" '
        f'width="{width}" height="{_n(height)}" aria-labelledby="legenda-titel">'
        + _el("title", "Legenda van het genogram", id="legenda-titel")
        + legend_svg
        + "</svg>\n"
    )


EDGE = 28  # white room around what is drawn: a household's outline reaches 24 past a symbol
TITLE_SIZE = 26
TITLE_WRAP = 640  # the title wraps beyond this width (or the drawing's, if wider)


def _content_box(graph, layout, this_year):
    """``(left, top, right, bottom)`` around everything drawn: the layout's canvas keeps
    room for the symbols, the names may reach past it and down below it; the canvas's
    white margin beyond ``EDGE`` is left out, so a fitted drawing comes out larger."""
    left, right = MARGIN - EDGE, layout.width - MARGIN + EDGE
    top, bottom = MARGIN - EDGE, layout.height - MARGIN + EDGE
    nodes = graph.nodes
    for node, data in nodes(data=True):
        kind = data["kind"]
        if kind not in ("person", "member"):
            continue
        x, y = layout.positions[node]
        if kind == "person":
            lines = person_lines(data, this_year)
            text_top = y + HALF + TEXT_TOP + (4 if data.get("deceased") else 0)
        else:
            lines = member_lines(data)
            text_top = y + MEMBER_TEXT_TOP
        half = max(text_width(lines) / 2, HALF) + 8
        left, right = min(left, x - half), max(right, x + half)
        top = min(top, y - HALF - TEAM_STAR - 8)
        bottom = max(bottom, text_top + text_height(lines) + 8)
    if layout.family_box[3] > layout.family_box[1]:
        bottom = max(bottom, layout.family_box[3] + 12)
    return left, top, right, bottom


def _heading(title, left, top, width):
    """The title above the drawing, wrapped rather than cut off (a family of one or two
    persons is narrower than its title); returns (svg, the width it needs, its height)."""
    lines = wrap(title, TITLE_SIZE, 2, width=max(width - 40, TITLE_WRAP))
    needed = 20 + max(line_width(line, TITLE_SIZE) for line in lines) + 20
    height = len(lines) * TITLE_SIZE * LEADING + 12
    svg = "".join(
        _text(left + 20, top - height + 8 + ASCENT * TITLE_SIZE + i * TITLE_SIZE * LEADING,
              line, size=TITLE_SIZE, weight="bold", anchor="start")
        for i, line in enumerate(lines)
    )  # fmt: skip
    return _el("g", svg, data_heading="true"), needed, height


def render_svg(graph, layout, *, legend=True, title=None, today=None):
    """The SVG document (a string) of a genogram ``graph`` laid out as ``layout``.

    ``title`` defaults to the case title; ``today`` (a date) fixes the ages in tests.
    """
    this_year = (today or datetime.date.today()).year
    nodes = graph.nodes
    title = title if title is not None else graph.graph.get("title") or "Genogram"
    persons = [n for n, d in nodes(data=True) if d["kind"] == "person"]
    members = [n for n, d in nodes(data=True) if d["kind"] == "member"]
    index = dutch_list([nodes[p].get("name") or p for p in persons if nodes[p].get("index")])

    body, household_reach, household_labels = _household_drawing(graph, layout, this_year)
    router = Router(graph, layout, this_year)
    router.add_labels(household_labels)
    family = _family_lines(graph, layout, router)
    reach = []
    body += _routed_lines(graph, layout, router, reach)
    body += family
    body += [_person(p, nodes[p], layout, this_year) for p in persons]
    body += [_member(m, nodes[m], layout) for m in members]

    left, top, right, bottom = _content_box(graph, layout, this_year)
    if reach:  # a routed line's wave or zigzag swings 6 aside
        left, right = (
            min(left, min(x for x, _ in reach) - 12),
            max(right, max(x for x, _ in reach) + 12),
        )
        top, bottom = (
            min(top, min(y for _, y in reach) - 12),
            max(bottom, max(y for _, y in reach) + 12),
        )
    if household_reach:  # outlines and their labels reach a little past the names
        left, top = min(left, household_reach[0] - 8), min(top, household_reach[1] - 8)
        right, bottom = max(right, household_reach[2] + 8), max(bottom, household_reach[3] + 8)
    height = bottom - top
    if legend:
        legend_svg, legend_height = _legend(right + 20, top)
        body.append(legend_svg)
        right += LEGEND_WIDTH
        height = max(height, legend_height)
    heading, heading_width, heading_height = _heading(title, left, top, right - left)
    right = max(right, left + heading_width)
    body.insert(0, heading)
    top -= heading_height
    height += heading_height
    width = right - left

    desc = f"{len(persons)} personen en {len(members)} netwerkleden"
    if index:
        several = sum(1 for p in persons if nodes[p].get("index")) > 1
        desc += f"; {'indexkinderen' if several else 'indexkind'}: {index}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="{_n(left)} {_n(top)} {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" '
        'aria-labelledby="genogram-titel genogram-uitleg">'
        + _el("title", escape(f"Genogram en ecomap: {title}"), id="genogram-titel")
        + _el("desc", escape(desc), id="genogram-uitleg")
        + _defs()
        + _el("rect", x=left, y=top, width=width, height=height, fill="#ffffff")
        + "".join(body)
        + "</svg>\n"
    )
