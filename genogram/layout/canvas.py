"""The layout's result and its canvas: the spacing of rows and lines, the margins, and
the last step, which shifts everything inside the margins and measures the canvas."""

from dataclasses import dataclass, field

from genogram.labels import SYMBOL, TEXT_ROOM

GAP = 40  # the reach of a sibship line beyond its outer children is (SYMBOL + GAP) / 2
MIN_GAP = 8  # the least free space between two symbols that ``overlaps`` accepts
LABEL_GAP = 16  # the least free space between two footprints (symbol or label) on a row
MARGIN = 40
# A row: half a symbol, the text under it (at most three lines, ending 108 below the
# centre, 4 lower under a deceased person's cross), 5 free, and the sibship bar of the
# row below, 18 above that row's symbols: 108 + 4 + 5 + 18 + 20 = 155.
ROW_HEIGHT = 155
UNION_DROP = 25  # the couple line, just below the symbols and above the names under them
LABEL_ROOM = TEXT_ROOM  # the text lines under the bottom row, inside the family block


@dataclass
class Layout:
    """Where everything goes (SVG user units, y down).

    ``positions``: ``{node: (x, y)}`` for every person, union and member node: the centre
    of the symbol (``SYMBOL`` wide, members too); for a union the point on its couple
    line, ``UNION_DROP`` below the partners' centres, where the children's line starts
    (a single parent's union lies under that parent).
    ``row``: ``{node: generation row}`` for persons and unions (0 at the top; a union is
    on the row of its lower partner).
    ``rows``: per row, its persons and unions left to right.
    ``bends``: ``{(source, target): [(x, y), ...]}`` the inner points of the graph edges
    whose line is not one straight segment: ``(union, child)`` spanning more than one
    row, every ``(parent, child)`` parent link (its first point is the drop below the
    parent) and ``(partner, union)`` for a couple split across rows. Each row crossed
    adds two points, at symbol level and at couple-line level.
    ``family_box``: ``(x0, y0, x1, y1)`` around the persons and their names.
    ``ring``: the curve the members sit on, the points at ``radius`` from the rectangle
    ``x0, y0, x1, y1`` (a rounded rectangle), or None without members: a guide, which
    may run outside the canvas where no member sits.
    ``width``, ``height``: the canvas; every symbol keeps ``MARGIN`` from its edges.
    """

    positions: dict
    row: dict
    width: float
    height: float
    rows: list = field(default_factory=list)
    bends: dict = field(default_factory=dict)
    family_box: tuple = (0.0, 0.0, 0.0, 0.0)
    ring: dict | None = None

    def row_y(self, row):
        """The y of the symbols' centres on ``row``."""
        return self.family_box[1] + SYMBOL / 2 + row * ROW_HEIGHT

    def to_dict(self):
        """JSON-able: positions and bends as lists, edge keys as ``"source>target"``."""
        return {
            "positions": {node: list(xy) for node, xy in self.positions.items()},
            "row": dict(self.row),
            "rows": [list(r) for r in self.rows],
            "bends": {f"{s}>{t}": [list(p) for p in pts] for (s, t), pts in self.bends.items()},
            "width": self.width,
            "height": self.height,
            "family_box": list(self.family_box),
            "ring": dict(self.ring) if self.ring else None,
            "symbol": SYMBOL,
        }


def finish(positions, members, ring, row, rows, bends, box):
    """Shift everything to the margins and measure the canvas."""
    positions = {**positions, **members}
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    if xs:
        dx = MARGIN + SYMBOL / 2 - min(xs)
        dy = MARGIN + SYMBOL / 2 - min(ys)
        dy = max(dy, MARGIN - box[1])
        width = max(xs) + dx + SYMBOL / 2 + MARGIN
        height = max(max(ys) + dy + SYMBOL / 2, box[3] + dy) + MARGIN
    else:
        dx = dy = 0.0
        width = height = 2 * MARGIN

    def move(point):
        return (round(point[0] + dx, 2), round(point[1] + dy, 2))

    positions = {node: move(xy) for node, xy in positions.items()}
    bends = {key: [move(p) for p in points] for key, points in bends.items()}
    box = (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)
    if ring:
        ring = {
            **ring,
            "x0": ring["x0"] + dx, "x1": ring["x1"] + dx,
            "y0": ring["y0"] + dy, "y1": ring["y1"] + dy,
        }  # fmt: skip
    return Layout(
        positions=positions,
        row=row,
        width=round(width, 2),
        height=round(height, 2),
        rows=rows,
        bends=bends,
        family_box=tuple(round(v, 2) for v in box),
        ring=ring,
    )
