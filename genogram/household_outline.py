"""Where a household's outline goes: around its members and nobody else. Pure geometry.

Members of one household need not stand side by side (a placed child under its parents,
its foster parents elsewhere; a grandmother a row above her daughter): one rectangle
would take in whoever stands between them. So the outline is drawn in pieces. On each
row the members form runs (members with no one else between them); a run's band reaches
from its first member's footprint (symbol or label) to its last one's, padded, and never
more than halfway to a neighbour's footprint. Runs on consecutive rows that overlap join
into one stepped outline; every other run is a piece of its own. Each piece carries the
household's label, in a free slot under its lowest run's text, clear of the lines that
descend from that row.
"""

from dataclasses import dataclass

from genogram.graph import person_node
from genogram.labels import CHAR_WIDTH, LINE_GAP, SMALL_SIZE, SYMBOL, person_half_width

HALF = SYMBOL / 2
PAD = 24  # room between a footprint and the outline, where the neighbours leave it
APART = 6  # between the outlines of neighbours in two households
TOP = HALF + 12  # the outline above a symbol's centre
TEXT_BOTTOM = HALF + 8 + 14 + 2 * LINE_GAP  # the baseline of the third text line
LABEL_BASELINE = TEXT_BOTTOM + LINE_GAP  # the household's label, under the members' text
BOTTOM = LABEL_BASELINE + 5  # the outline below a symbol's centre
LABEL_SIZE = SMALL_SIZE
LABEL_CHARS = 28  # longer labels are cut (the whole label is in the tooltip)
MIN_CHARS = 6  # a label cut to its outline's width keeps at least this many characters
LINE_CLEARANCE = 6  # between the label and a line descending past it


@dataclass(frozen=True)
class Piece:
    """One outline of a household: its polygon, the members inside it, its label spot."""

    points: list
    members: tuple
    label_xy: tuple
    label: str


class RowIndex:
    """The persons of each row, left to right, with their footprints; built once per
    drawing, so every household's outline reads it cheaply."""

    def __init__(self, graph, layout):
        rows = {}
        for node, data in graph.nodes(data=True):
            if data["kind"] == "person" and node in layout.positions:
                x, y = layout.positions[node]
                rows.setdefault(layout.row.get(node, y), []).append((x, node))
        self.order = {row: [n for _, n in sorted(items)] for row, items in rows.items()}
        self.slot = {n: (row, i) for row, ns in self.order.items() for i, n in enumerate(ns)}
        self.half = {n: person_half_width(graph.nodes[n]) for n in self.slot}
        self.positions = layout.positions
        self.descents = _descents(graph, layout)

    def x(self, node):
        return self.positions[node][0]

    def y(self, node):
        return self.positions[node][1]


def _descents(graph, layout):
    """The vertical stretches of the family's lines as ``(x, y_top, y_bottom)``: from a
    union down to its children's bar (or through the rows it crosses), and a step- or
    foster parent's line."""
    pos, bends = layout.positions, layout.bends
    found = []
    for source, target, edge in graph.edges(data=True):
        if edge["kind"] not in ("child", "parent_link") or source not in pos or target not in pos:
            continue
        (sx, sy), (cx, cy) = pos[source], pos[target]
        if edge["kind"] == "child":
            start = (sx, sy)
            inner = bends.get((source, target)) or [(sx, cy - HALF - 18)]
        else:
            start = (sx, sy + HALF)
            inner = bends.get((source, target), [])
        points = [start, *inner, (cx, cy - HALF)]
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            if abs(x1 - x2) < 1 and y1 != y2:
                found.append((x1, min(y1, y2), max(y1, y2)))
    return found


def label_text(label, room=None):
    """The label as shown: one line, cut with an ellipsis to ``LABEL_CHARS`` characters
    and to ``room`` (its outline's width), never below ``MIN_CHARS``."""
    label = " ".join(label.split())
    limit = LABEL_CHARS
    if room is not None:
        limit = min(limit, max(MIN_CHARS, int(room / (LABEL_SIZE * CHAR_WIDTH))))
    if len(label) <= limit:
        return label
    return label[: limit - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def label_width(text):
    return len(text) * LABEL_SIZE * CHAR_WIDTH


def pieces(members, index, label):
    """The outline pieces of a household of ``members`` (person nodes)."""
    runs = _runs(members, index)
    chains = []
    for run in sorted(runs, key=lambda r: (r["row"], r["left"])):
        chain = next(
            (
                c
                for c in chains
                if c[-1]["row"] == run["row"] - 1
                and c[-1]["left"] < run["right"]
                and run["left"] < c[-1]["right"]
            ),
            None,
        )
        if chain is None:
            chains.append([run])
        else:
            chain.append(run)
    return [_piece(chain, index, label) for chain in chains]


def _runs(members, index):
    """Maximal runs of members side by side on a row, each with its band's x range."""
    wanted = {person_node(m) if ":" not in m else m for m in members}
    runs = []
    for row, nodes in index.order.items():
        current = []
        for i, node in enumerate(nodes + [None]):
            if node in wanted:
                current.append(i)
                continue
            if current:
                runs.append(_band(row, nodes, current[0], current[-1], index))
                current = []
    return runs


def _band(row, nodes, first, last, index):
    left_node, right_node = nodes[first], nodes[last]
    left = index.x(left_node) - index.half[left_node]
    right = index.x(right_node) + index.half[right_node]
    low, high = left - PAD, right + PAD
    if first > 0:  # never more than halfway to the neighbour's footprint
        neighbour = nodes[first - 1]
        low = max(low, (index.x(neighbour) + index.half[neighbour] + left) / 2 + APART / 2)
    if last < len(nodes) - 1:
        neighbour = nodes[last + 1]
        high = min(high, (index.x(neighbour) - index.half[neighbour] + right) / 2 - APART / 2)
    y = index.y(left_node)
    return {
        "row": row,
        "y": y,
        "left": low,
        "right": high,
        "members": tuple(nodes[first : last + 1]),
        "top": y - TOP,
        "bottom": y + BOTTOM,
    }


def _piece(chain, index, label):
    bands = [dict(band) for band in chain]
    for upper, lower in zip(bands, bands[1:], strict=False):
        if upper["bottom"] < lower["top"]:
            upper["bottom"] = lower["top"] = (upper["bottom"] + lower["top"]) / 2
    right = []
    for band in bands:
        right += [(band["right"], band["top"]), (band["right"], band["bottom"])]
    left = []
    for band in reversed(bands):
        left += [(band["left"], band["bottom"]), (band["left"], band["top"])]
    members = tuple(m for band in chain for m in band["members"])
    x, y, text = _label_spot(chain[-1], index, label)
    return Piece(points=right + left, members=members, label_xy=(x, y), label=text)


def _label_spot(band, index, label):
    """The label's start and text, under the lowest run's text: in the widest stretch of
    the band that no descending line crosses, cut to that room, so it neither sits on a
    line nor runs into a neighbouring household's outline."""
    start, end = band["left"] + 6, band["right"] - 6
    baseline = band["y"] + LABEL_BASELINE
    top = baseline - LABEL_SIZE
    lines = sorted(
        x for x, y1, y2 in index.descents if y1 < baseline + 2 and y2 > top and start < x < end
    )
    edges = [start - LINE_CLEARANCE, *lines, end + LINE_CLEARANCE]
    slots = [
        (a + LINE_CLEARANCE, b - LINE_CLEARANCE) for a, b in zip(edges, edges[1:], strict=False)
    ]
    whole = label_width(label_text(label))
    # The first slot the whole label fits in, else the widest one.
    left, right = next(
        ((a, b) for a, b in slots if b - a >= whole), max(slots, key=lambda s: s[1] - s[0])
    )
    return left, baseline, label_text(label, right - left)


def split_rows(graph, layout, found):
    """How many times a household's members on one row stand apart (someone else between
    them), over the households ``found``: what the layout could still keep together."""
    index = RowIndex(graph, layout)
    split = 0
    for household in found:
        runs = {}
        for run in _runs(household.members, index):
            runs[run["row"]] = runs.get(run["row"], 0) + 1
        split += sum(count - 1 for count in runs.values())
    return split
