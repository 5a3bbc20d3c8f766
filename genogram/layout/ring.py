"""Step 5, the ecomap ring: network members on a rounded ring around the family."""

import math

from genogram.labels import MEMBER_ABOVE, MEMBER_BELOW, SYMBOL
from genogram.layout.canvas import GAP
from genogram.layout.isotonic import isotonic
from genogram.layout.memory import side_of

RING_GAP = 24  # the least free space between a member's footprint and the family block
MEMBER_GAP = 16  # the least free space between two members' footprints on the ring
MEMBER_SPACING = SYMBOL + GAP


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
    ``previous`` (the ring of a layout memory, ``genogram.layout.memory``): the split
    that keeps most members on their previous side wins, and on each half the members
    keep their previous clockwise order.
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
    # Where each half starts on the ring (it runs clockwise for half the length).
    left, top, right, bottom = 0.5, 0.75, 0.0, 0.25
    splits = [(left, right), (right, left), (top, bottom), (bottom, top)]
    if w > h:
        splits = splits[2:] + splits[:2]
    best = None
    for split in splits:
        placed = {}
        for group, start in zip(groups, split, strict=True):
            placed.update(
                _place_on_half(fam, positions, group, ring, start * ring.length, previous)
            )
        length = sum(math.dist(placed[m], positions[p]) for m in members for p in fam.ties[m])
        moved = _sides_changed(placed, ring, previous)
        if best is None or (moved, length) < (best[0], best[1] - 1e-6):
            best = (moved, length, placed)
    outline = {
        "x0": ring.x0, "y0": ring.y0, "x1": ring.x1, "y1": ring.y1, "radius": ring.radius,
    }  # fmt: skip
    return best[2], outline


def _place_on_half(fam, positions, group, ring, start, previous=None):
    """``group`` on the half ring from ``start``: each near the point closest to its ties."""
    if not group:
        return {}
    half = ring.length / 2
    samples = 96
    grid = [(half * (i + 0.5) / samples, ring.point(start + half * (i + 0.5) / samples))
            for i in range(samples)]  # fmt: skip
    desired = []
    for m in group:
        tied = [positions[p] for p in fam.ties[m]]
        options = _on_previous_side(grid, ring, m, previous)
        if tied:
            cx = sum(x for x, _ in tied) / len(tied)
            cy = sum(y for _, y in tied) / len(tied)
            s = min(options, key=lambda g: ((g[1][0] - cx) ** 2 + (g[1][1] - cy) ** 2, g[0]))[0]
        elif options is not grid:
            s = options[len(options) // 2][0]
        else:
            s = half  # untied members go to the end of their half
        desired.append((s, fam.member_order[m], m))
    desired = _keep_previous_order(desired, previous)
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


# -- the previous ring (a layout memory): a minimal keeper, until routing16's ring


def _sides_changed(placed, ring, previous):
    """How many remembered members ``placed`` puts on another side than before."""
    if not previous:
        return 0
    outline = {"x0": ring.x0, "y0": ring.y0, "x1": ring.x1, "y1": ring.y1}
    sides = previous.get("side", {})
    return sum(1 for m, xy in placed.items() if m in sides and side_of(xy, outline) != sides[m])


def _on_previous_side(grid, ring, member, previous):
    """The points of ``grid`` on the member's previous side of the family, if this half
    has any; else the whole grid."""
    side = ((previous or {}).get("side") or {}).get(member)
    if side is None:
        return grid
    outline = {"x0": ring.x0, "y0": ring.y0, "x1": ring.x1, "y1": ring.y1}
    return [g for g in grid if side_of(g[1], outline) == side] or grid


def _keep_previous_order(desired, previous):
    """``desired`` ([(s, order, member)] along a half ring) with the remembered members
    in their previous clockwise order: they take their own places along the half, in
    that order, rotated to where the previous order starts on this half (the rotation
    that agrees most with where they would go now); new members keep theirs."""
    old = {m: i for i, m in enumerate((previous or {}).get("order", ()))}
    known = [d for d in desired if d[2] in old]
    if len(known) < 2:
        return desired
    slots = sorted(d[0] for d in known)
    cyclic = sorted(known, key=lambda d: old[d[2]])
    now = {d[2]: d[0] for d in known}

    def disagreement(k):
        seq = cyclic[k:] + cyclic[:k]
        return sum(abs(now[d[2]] - s) for d, s in zip(seq, slots, strict=True)), k

    k = min(range(len(cyclic)), key=disagreement)
    seq = cyclic[k:] + cyclic[:k]
    # Two on one slot stay in the previous order too.
    moved = {d[2]: (s, i) for i, (d, s) in enumerate(zip(seq, slots, strict=True))}
    return [(*moved.get(m, (s, order)), m) for s, order, m in desired]
