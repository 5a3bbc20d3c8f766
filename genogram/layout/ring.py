"""Step 5, the ecomap ring: network members on a rounded ring around the family."""

import math

from genogram.labels import MEMBER_ABOVE, MEMBER_BELOW, SYMBOL
from genogram.layout.canvas import GAP
from genogram.layout.isotonic import isotonic
from genogram.layout.memory import SIDES, side_of

RING_GAP = 24  # the least free space between a member's footprint and the family block
MEMBER_GAP = 16  # the least free space between two members' footprints on the ring
MEMBER_SPACING = SYMBOL + GAP
# The drawings are shown on wide screens: the conference's stage at 1920x1080 is about
# 1873x896 (genogram.projection.STAGE); the ring's split is chosen to fill it.
SCREEN = (1873, 896)
FRAME, TITLE = 28, 48  # the drawing's white frame and its title, around the ring
BESIDE_SQUASH = 0.05  # members beside the family: horizontal distance counts this much


class _Ring:
    """A rounded rectangle: the points at ``radius`` from the inner rectangle."""

    def __init__(self, x0, y0, x1, y1, radius):
        self.x0, self.y0, self.x1, self.y1, self.radius = x0, y0, x1, y1, radius
        w, h = x1 - x0, y1 - y0
        quarter = math.pi * radius / 2
        # Clockwise (y down) from the middle of the top edge.
        self.pieces = [
            ("line", w / 2, (x0 + w / 2, y0 - radius), (1, 0)),
            ("arc", quarter, (x1, y0), -math.pi / 2),
            ("line", h, (x1 + radius, y0), (0, 1)),
            ("arc", quarter, (x1, y1), 0.0),
            ("line", w, (x1, y1 + radius), (-1, 0)),
            ("arc", quarter, (x0, y1), math.pi / 2),
            ("line", h, (x0 - radius, y1), (0, -1)),
            ("arc", quarter, (x0, y0), math.pi),
            ("line", w / 2, (x0, y0 - radius), (1, 0)),
        ]
        self.length = 2 * (w + h) + 2 * math.pi * radius

    def point(self, s):
        s %= self.length
        last = len(self.pieces) - 1
        for i, (shape, length, origin, direction) in enumerate(self.pieces):
            if s <= length or i == last:
                if shape == "line":
                    return origin[0] + direction[0] * s, origin[1] + direction[1] * s
                angle = direction + (s / self.radius if self.radius else 0.0)
                return (
                    origin[0] + self.radius * math.cos(angle),
                    origin[1] + self.radius * math.sin(angle),
                )
            s -= length


def place_members(fam, positions, box, previous=None):
    """Members on the ring around ``box``; returns (positions, ring) or ({}, None).

    Informal members on one half of the ring, formal ones on the other: of the four
    ways to split (left/right either way round, top/bottom either way round) the one
    with the shortest ties wins, the split across the family's long side first on a tie.
    Along its half each member sits as near as the spacing allows to the ring's point
    closest to the persons it is tied to, so the members go round in the order of their
    ties and the ties do not cross each other.

    ``previous`` (the ring of a layout memory, ``genogram.layout.memory.memory_of``):
    ``{"order": [member nodes clockwise from 12 o'clock], "side": {member: "top" |
    "right" | "bottom" | "left"}}``. Remembered members keep their clockwise order and
    their side of the family; new members go where their ties are shortest, between
    them.
    """
    members = fam.members
    if not members:
        return {}, None
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    # Round the ring's corners more on a compact family, so that it looks like a ring.
    inset = 0.6 * min(w, h) / 2
    # A member's footprint (box and text lines) reaches ``across`` to either side of its
    # centre and ``MEMBER_BELOW`` down (less up): the ring keeps it ``RING_GAP`` off the
    # block on the straight sides (its centre that far out) and on the corners, where
    # the centre lies diagonally out of the block's corner.
    across = max(fam.member_half[m] for m in members)
    reach = max(across, MEMBER_BELOW)
    clear = max(reach, math.sqrt(2) * min(across, MEMBER_BELOW)) + RING_GAP
    radius = clear + inset * math.sqrt(2)
    groups = [
        [m for m in members if not fam.formal[m]],
        [m for m in members if fam.formal[m]],
    ]
    while True:
        ring = _Ring(x0 + inset, y0 + inset, x1 - inset, y1 - inset, radius)
        half = ring.length / 2
        needed = max(sum(_member_room(fam, m) for m in g) for g in groups)
        if needed <= half:
            break
        radius += (needed - half) / math.pi + 1
    if previous and any(m in members for m in previous.get("order", ())):
        placed = _place_remembered(fam, positions, members, ring, previous)
        return placed, _outline(ring)
    # Where each half starts on the ring (it runs clockwise for half the length).
    left, top, right, bottom = 0.5, 0.75, 0.0, 0.25
    splits = [(left, right), (right, left), (top, bottom), (bottom, top)]
    if w > h:
        splits = splits[2:] + splits[:2]
    best = None
    for n, split in enumerate(splits):
        # Beside the family, members sit level with the persons they are tied to: the
        # drawing then stays as wide as the screen it is shown on, not as tall.
        across = (n < 2) == (w <= h)
        placed = {}
        for group, start in zip(groups, split, strict=True):
            placed.update(_place_on_half(fam, positions, group, ring, start * ring.length, across))
        length = sum(math.dist(placed[m], positions[p]) for m in members for p in fam.ties[m])
        # The largest drawing on a wide screen first, then the shortest ties.
        key = (-round(_screen_scale(fam, placed, box), 2), length)
        if best is None or key < best[0]:
            best = (key, placed)
    return best[1], _outline(ring)


def _screen_scale(fam, placed, box):
    """How large the family block and the members come out when fitted to a wide screen
    (the conference's stage, ``SCREEN``)."""
    x0, y0, x1, y1 = box
    for m, (x, y) in placed.items():
        half = fam.member_half[m]
        x0, x1 = min(x0, x - half), max(x1, x + half)
        y0, y1 = min(y0, y - MEMBER_ABOVE), max(y1, y + MEMBER_BELOW)
    width, height = x1 - x0 + 2 * FRAME, y1 - y0 + 2 * FRAME + TITLE
    return min(SCREEN[0] / width, SCREEN[1] / height)


def _outline(ring):
    return {
        "x0": ring.x0, "y0": ring.y0, "x1": ring.x1, "y1": ring.y1, "radius": ring.radius,
    }  # fmt: skip


def _place_remembered(fam, positions, members, ring, previous):
    """Remembered members on their side in their clockwise order; new members on the
    side and at the place where their ties are shortest, slotted in between; then each
    side's members spaced along that side (they spill past its ends only when it is
    too short for them)."""
    samples = 192
    step = ring.length / samples
    grid = [step * (i + 0.5) for i in range(samples)]
    points = [ring.point(s) for s in grid]
    sides = [side_of(p, _outline(ring)) for p in points]  # as memory_of sees them

    def unrolled(i):
        # The top side runs across 12 o'clock, where s starts: its left part goes first.
        return grid[i] - ring.length if sides[i] == "top" and grid[i] > ring.length / 2 else grid[i]

    span = {}
    for i, side in enumerate(sides):
        lo, hi = span.get(side, (math.inf, -math.inf))
        span[side] = (min(lo, unrolled(i) - step / 2), max(hi, unrolled(i) + step / 2))

    def desired(m, side=None):
        tied = [positions[p] for p in fam.ties[m]]
        if tied:
            target = (sum(x for x, _ in tied) / len(tied), sum(y for _, y in tied) / len(tied))
        else:
            target = (ring.x1 + ring.radius, (ring.y0 + ring.y1) / 2)
        choices = [i for i in range(samples) if sides[i] == side] or range(samples)
        i = min(choices, key=lambda i: math.dist(points[i], target))
        return sides[i], unrolled(i)

    remembered_side = previous.get("side", {})
    by_side = {side: [] for side in SIDES}
    last = {side: -math.inf for side in SIDES}
    wanted = {side: [] for side in SIDES}
    remembered = [m for m in previous["order"] if m in members]
    for m in remembered:
        side, s = desired(m, remembered_side.get(m))
        wanted[side].append((s, m))
    # 12 o'clock cuts the top side: its members after the first member of another side
    # (clockwise from 12) sat left of 12 and come first along the unrolled top.
    on_top = {m for _, m in wanted["top"]}
    first_other = next((i for i, m in enumerate(remembered) if m not in on_top), len(remembered))
    left_of_twelve = set(remembered[first_other:])
    wanted["top"] = [(min(s, 0.0), m) for s, m in wanted["top"] if m in left_of_twelve] + [
        (max(s, 0.0), m) for s, m in wanted["top"] if m not in left_of_twelve
    ]
    for side, seq in wanted.items():
        for s, m in seq:
            last[side] = max(last[side], s)  # the clockwise order holds within a side
            by_side[side].append((last[side], 0, m))
    for m in members:
        if m not in previous["order"]:
            side, s = desired(m)
            by_side[side].append((s, 1, m))
    placed = {}
    for side, items in by_side.items():
        if items:
            items.sort(key=lambda item: (item[0], item[1]))
            placed.update(_spaced(fam, ring, items, *span.get(side, (0.0, ring.length))))
    return placed


def _spaced(fam, ring, items, lo, hi):
    """``items`` (desired s, _, member) in order along the ring between ``lo`` and ``hi``,
    each as near its desired place as the members' room allows."""
    rooms = [_member_room(fam, m) for _, _, m in items]
    offsets = [0.0]
    for a, b in zip(rooms, rooms[1:], strict=False):
        offsets.append(offsets[-1] + (a + b) / 2)
    first = lo + rooms[0] / 2
    last = hi - rooms[-1] / 2 - offsets[-1]
    if last < first:  # the side is too short: spill past both ends alike
        first = last = (first + last) / 2
    fitted = isotonic(
        [s - off for (s, _, _), off in zip(items, offsets, strict=True)], [1.0] * len(items)
    )
    return {
        m: ring.point(min(max(fitted[i], first), last) + offsets[i])
        for i, (_, _, m) in enumerate(items)
    }


def _place_on_half(fam, positions, group, ring, start, beside=False):
    """``group`` on the half ring from ``start``: each near the point closest to its ties
    (``beside``: closest in height above all, so members stay on the family's sides)."""
    if not group:
        return {}
    half = ring.length / 2
    samples = 96
    grid = [(half * (i + 0.5) / samples, ring.point(start + half * (i + 0.5) / samples))
            for i in range(samples)]  # fmt: skip
    desired = []
    for m in group:
        tied = [positions[p] for p in fam.ties[m]]
        if tied:
            cx = sum(x for x, _ in tied) / len(tied)
            cy = sum(y for _, y in tied) / len(tied)
            squash = BESIDE_SQUASH if beside else 1.0
            s = min(grid, key=lambda g: (squash * (g[1][0] - cx) ** 2 + (g[1][1] - cy) ** 2, g[0]))[
                0
            ]
        else:
            s = half  # untied members go to the end of their half
        desired.append((s, fam.member_order[m], m))
    desired.sort()
    n = len(desired)
    # Along the ring each member takes its room, half before and half after its centre.
    rooms = [_member_room(fam, m) for _, _, m in desired]
    offsets = [0.0]
    for a, b in zip(rooms, rooms[1:], strict=False):
        offsets.append(offsets[-1] + (a + b) / 2)
    lo = rooms[0] / 2
    top = max(lo, half - rooms[-1] / 2 - offsets[-1])
    fitted = isotonic([s - off for (s, _, _), off in zip(desired, offsets, strict=True)], [1.0] * n)
    return {
        m: ring.point(start + min(max(fitted[i], lo), top) + offsets[i])
        for i, (_, _, m) in enumerate(desired)
    }


def _member_room(fam, m):
    """The length of ring a member takes: wide enough for its label where the ring runs
    across, tall enough for its box and two text lines where it runs down."""
    return max(MEMBER_SPACING, 2 * fam.member_half[m], MEMBER_ABOVE + MEMBER_BELOW) + MEMBER_GAP
