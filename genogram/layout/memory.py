"""Layout memory: where the persons and network members were, so an edit keeps it.

A family stays on the screen while the table edits it. Each edit lays the family out
anew, and without a memory a small change (an aunt added) may swap the grandparents'
sides and send every network member elsewhere: the table loses its bearings. The
memory is the previous drawing's left-to-right order of persons per row and the
members' clockwise order around the ring with each member's side of the family; the
next layout keeps them as constraints (``layout_genogram(graph, memory)``).

A memory is JSON (stored per family)::

    {"rows": [["person:a", "person:b"], ...],
     "ring": {"order": ["member:m1", ...], "side": {"member:m1": "top", ...}}}

Pure: no Flask, no database.
"""

import collections
import math

SIDES = ("top", "right", "bottom", "left")


def memory_of(layout):
    """The memory of a :class:`~genogram.layout.canvas.Layout` (JSON-able)."""
    rows = [[n for n in row if n.startswith("person:")] for row in layout.rows]
    members = [n for n in layout.positions if n.startswith("member:")]
    ring = {"order": [], "side": {}}
    if members and layout.ring:
        angle = {m: clockwise_angle(layout.positions[m], layout.ring) for m in members}
        ring["order"] = sorted(members, key=lambda m: (angle[m], m))
        ring["side"] = {m: side_of(layout.positions[m], layout.ring) for m in ring["order"]}
    return {"rows": rows, "ring": ring}


def clockwise_angle(point, ring):
    """The angle of ``point`` around the ring's centre, clockwise from 12 o'clock
    (y points down), in [0, 2 pi)."""
    cx, cy = (ring["x0"] + ring["x1"]) / 2, (ring["y0"] + ring["y1"]) / 2
    return math.atan2(point[0] - cx, cy - point[1]) % (2 * math.pi)


def side_of(point, ring):
    """Which side of the family ``point`` lies on: the one it is furthest out from."""
    x, y = point
    out = {
        "top": ring["y0"] - y,
        "right": x - ring["x1"],
        "bottom": y - ring["y1"],
        "left": ring["x0"] - x,
    }
    return max(SIDES, key=lambda side: (out[side], -SIDES.index(side)))


def order_kept(before, after):
    """``(kept, total)``: of the persons and members in both, how many kept their place.

    ``before`` and ``after`` are memories or layouts. A person keeps its place when it
    is on the same row (rows counted from the family's new top: a generation added
    above shifts every row alike) and on the left of the same common persons of that
    row as before; a member when it comes before the same common members clockwise from
    12 o'clock as before and is on the same side of the family.
    """
    before, after = _as_memory(before), _as_memory(after)
    kept_persons, persons = _rows_kept(before["rows"], after["rows"])
    kept_members, members = _ring_kept(before["ring"], after["ring"])
    return kept_persons + kept_members, persons + members


def _as_memory(value):
    return value if isinstance(value, dict) else memory_of(value)


def _places(rows):
    return {p: (r, i) for r, row in enumerate(rows) for i, p in enumerate(row)}


def _rows_kept(old_rows, new_rows):
    old, new = _places(old_rows), _places(new_rows)
    common = [p for p in old if p in new]
    if not common:
        return 0, 0
    shifts = collections.Counter(new[p][0] - old[p][0] for p in common)
    shift = min(shifts, key=lambda s: (-shifts[s], abs(s)))
    groups = {}  # (old row, new row) -> persons that share both
    for p in common:
        groups.setdefault((old[p][0], new[p][0]), []).append(p)
    kept = 0
    for (old_row, new_row), group in groups.items():
        if new_row - old_row == shift:
            old_at, new_at = {p: old[p][1] for p in group}, {p: new[p][1] for p in group}
            kept += len(_unmoved_members(group, old_at, new_at))
    return kept, len(common)


def _ring_kept(old_ring, new_ring):
    common = [m for m in old_ring.get("order", ()) if m in new_ring.get("side", {})]
    if not common:
        return 0, 0
    old = {m: i for i, m in enumerate(common)}
    now = [m for m in new_ring["order"] if m in old]
    # The order is a circle: a member passing 12 o'clock on its side moved nothing.
    best = set()
    for k in range(len(now)):
        turned = now[k:] + now[:k]
        unmoved = set(_unmoved_members(common, old, {m: i for i, m in enumerate(turned)}))
        if len(unmoved) > len(best):
            best = unmoved
    same_side = [m for m in best if old_ring["side"][m] == new_ring["side"][m]]
    return len(same_side), len(common)


def _unmoved_members(group, old, new):
    """The items of ``group`` whose order against every other item is as it was."""
    ordered = sorted(group, key=old.get)
    return [
        a for a in ordered if all((old[a] < old[b]) == (new[a] < new[b]) for b in ordered if b != a)
    ]
