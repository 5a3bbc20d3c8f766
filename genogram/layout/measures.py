"""Measures of a layout: overlapping symbols and crossing lines of descent."""

import bisect

from genogram.labels import SYMBOL
from genogram.layout.canvas import MIN_GAP


def overlaps(layout, gap=MIN_GAP):
    """Pairs of symbols (persons, members) with less than ``gap`` free space between them.

    Symbols are ``SYMBOL`` squares around their centres: two overlap when both
    ``|dx|`` and ``|dy|`` are below ``SYMBOL + gap``.
    """
    reach = SYMBOL + gap
    points = sorted(
        (x, y)
        for node, (x, y) in layout.positions.items()
        if node.startswith(("person:", "member:"))
    )
    count = 0
    for i, (x, y) in enumerate(points):
        for x2, y2 in points[i + 1 :]:
            if x2 - x >= reach:
                break
            if abs(y2 - y) < reach:
                count += 1
    return count


def count_crossings(graph, layout):
    """Crossings between the lines of descent, as straight segments per band.

    The lines counted: partner -> union (from the partner's centre down to the couple
    line), union -> child (from the couple line to the child's centre; a single parent's
    union sits under the parent) and parent -> child for the parent links of step- and
    foster parents. Each line is cut into bands: the partner band
    of a row (from the symbols' centres down to the couple line) and the descent band
    between the couple line of a row and the symbols of the next row. Within a band every
    segment runs from its top to its bottom, so two segments cross exactly when their
    x order at the top and at the bottom are strictly opposite; shared endpoints do not
    count. Routes through ``layout.bends`` are used where present; otherwise a line
    spanning several bands is straight and cut where it passes them. Only ``row`` and x
    matter, so a layout from another tool (Graphviz dot) is counted the same way.
    Emotional lines and ecomap ties are not counted.
    """
    pos = layout.positions
    row = layout.row
    bands = {}

    def add_path(points):
        # points: [(x, level)], level 2r = symbols of row r, 2r + 1 = couple line of row r.
        for (xa, la), (xb, lb) in zip(points, points[1:], strict=False):
            if lb < la:
                (xa, la), (xb, lb) = (xb, lb), (xa, la)
            for level in range(la, lb):
                ta = xa + (xb - xa) * (level - la) / (lb - la)
                tb = xa + (xb - xa) * (level + 1 - la) / (lb - la)
                bands.setdefault(level, []).append((round(ta, 3), round(tb, 3)))

    for u, data in graph.nodes(data=True):
        if data["kind"] != "union" or u not in pos:
            continue
        ux, ur = pos[u][0], row[u]
        for p in data["partners"]:
            node = f"person:{p}"
            route = layout.bends.get((node, u), [])
            points = [(pos[node][0], 2 * row[node])]
            points += _route_levels(route, row[node], ur)
            points.append((ux, 2 * ur + 1))
            add_path(points)
        for _, c, d in graph.out_edges(u, data=True):
            if d["kind"] != "child":
                continue
            route = layout.bends.get((u, c), [])
            points = [(ux, 2 * ur + 1)]
            points += _route_levels(route, ur, row[c])
            points.append((pos[c][0], 2 * row[c]))
            add_path(points)
    for p, c, d in graph.edges(data=True):
        if d["kind"] != "parent_link" or p not in pos or c not in pos:
            continue
        route = layout.bends.get((p, c), [])
        points = [(pos[p][0], 2 * row[p])]
        points += _route_levels(route, row[p], row[c])
        points.append((pos[c][0], 2 * row[c]))
        add_path(points)
    total = 0
    for segments in bands.values():
        segments.sort()
        seen = []
        i = 0
        while i < len(segments):
            j = i
            while j < len(segments) and segments[j][0] == segments[i][0]:
                j += 1
            for _, bottom in segments[i:j]:
                total += len(seen) - bisect.bisect_right(seen, bottom)
            for _, bottom in segments[i:j]:
                bisect.insort(seen, bottom)
            i = j
    return total


def _route_levels(route, top_row, bottom_row):
    """The bend points of a route as (x, level): they come in the layout's order.

    Routes made by :func:`layout_genogram` are a start drop (x, couple line of the top
    row) for lines leaving a person, then two points per row crossed (symbol level and
    couple line), then for a line ending at a union the point above it on its row.
    """
    if not route:
        return []
    out = []
    n = len(route)
    inner_rows = bottom_row - top_row - 1
    rest = n - 2 * inner_rows
    start = 0
    if rest >= 1:
        out.append((route[0][0], 2 * top_row + 1))
        start = 1
    for k in range(inner_rows):
        r = top_row + 1 + k
        out.append((route[start + 2 * k][0], 2 * r))
        out.append((route[start + 2 * k + 1][0], 2 * r + 1))
    if rest == 2:
        out.append((route[-1][0], 2 * bottom_row))
    return out


def foreign_sibship_persons(graph, layout):
    """Persons drawn under a sibling bar that is not theirs: ``[(person, union)]``.

    A sibship is the children of one union on one row (children on other rows, as of a
    marriage across generations, form their own group there); its span runs from its
    leftmost to its rightmost child's x, where the sibling bar hangs. A person on that
    row strictly inside the span who is not a child of the union is foreign to it: a
    sibling's partner (married in or from another family), a cousin, and also a
    half-sibling of the other union of a shared parent, since that bar names the other
    parent. A sibship of one child has no span. In graph order of unions, then left to
    right.
    """
    pos, row = layout.positions, layout.row
    by_row = {}
    for node, data in graph.nodes(data=True):
        if data["kind"] == "person" and node in pos:
            by_row.setdefault(row[node], []).append((pos[node][0], node))
    for persons in by_row.values():
        persons.sort()
    found = []
    for u, data in graph.nodes(data=True):
        if data["kind"] != "union":
            continue
        kids = [c for _, c, d in graph.out_edges(u, data=True) if d["kind"] == "child"]
        groups = {}
        for c in kids:
            if c in pos:
                groups.setdefault(row[c], []).append(pos[c][0])
        own = set(kids)
        for r, xs in sorted(groups.items()):
            if len(xs) < 2:
                continue
            persons = by_row[r]
            lo = bisect.bisect_right(persons, (min(xs), "\uffff"))
            hi = bisect.bisect_left(persons, (max(xs), ""))
            found += [(p, u) for x, p in persons[lo:hi] if p not in own and min(xs) < x < max(xs)]
    return found
