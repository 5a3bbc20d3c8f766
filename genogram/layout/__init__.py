"""A layered genogram layout with the ecomap ring around it. Pure and deterministic.

The method is Sugiyama's, adapted the way pedigree tools (kinship2, open-pedigree)
adapt it to families:

1. **Generations.** Partners are merged into one cluster (union-find over the couples);
   parent -> child edges between clusters form a DAG. A longest-path layering gives
   feasible rows (each cluster below all its parent clusters); then, as dot ranks, a
   linear program on that DAG (a network matrix, so its optimum is whole rows) moves
   clusters to minimise the total length of the lines of descent, each at least one row:
   in-laws' parents sit one row above the in-law, not at the top. Someone who marries
   across generations (an uncle and his niece) lands on the deeper row with their
   partner, and a line from their own parents' union then spans more than one row. If
   merging couples would create a cycle (a man marries his stepdaughter, two families
   exchange partners), the couples on that cycle are merged greedily in case order and
   a couple whose merge would close the cycle stays split: its partners sit on
   different rows and the line from the upper partner descends to the union through the
   rows between. Persons without any relation go to the row whose median birth year is
   nearest.
2. **Blocks.** Partners on one row form a block that moves as one in the ordering, in
   genogram convention: a couple male left; a person with several partners between
   them, partners in chronological order (by the first child's birth year, then the
   case order of the couple relation) left to right. A union (couple line) sits between
   its partners. A plain couple is mirrored (female left) only where that strictly
   saves a crossing.
3. **Order.** Every line spanning more than one row gets a dummy per row it crosses.
   As dot's mincross: sweeps down and up (median and barycenter taking turns), each
   followed by transpositions of neighbouring blocks, keeping the best order found;
   the sweeps start from a depth-first walk and from the case order (for a case-sized
   family also from the mirrored order and a few seeded shuffles). The best order is
   then sifted (Matuszewski, Schönfeld and Molitor): one block at a time, and then each
   sibship and each run of its first or last siblings side by side, goes to the place
   in its row where its lines cross the fewest others (exact counts from a matrix of
   pair costs per row, the rows above and below held), row by row down and up while
   that saves crossings. Sifting escapes where the sweeps get stuck: birth order holds
   a single sibling back, not a sibship moved as one. A large family, which has only
   one start, then gets a few kicks instead: the rows around the most crossed bands
   are jittered (seeded) and sifted again, and the best order found is kept.
   Siblings of one union keep birth order left to right: a precedence constraint in
   every sort (a priority topological sort over barycenters pooled per sibship, after
   Forster's constrained crossing reduction), never broken by a swap or a sifting
   move; only contradictory precedences (two sisters married to two brothers in the
   opposite order) give way. Crossings are counted per pair of rows (inversions); among
   orders with as many crossings, the one whose crossings involve a step- or foster
   parent's dashed line wins. Ties go by case order, never by hash order.
4. **x positions.** A linear program (HiGHS through SciPy, like dot's network-simplex
   positioning) over the x of persons and unions, with each row's order and minimum
   separation as constraints (each person's footprint is its symbol or the widest text
   line under it, estimated at 0.6 em a character, whichever is wider; footprints keep
   ``LABEL_GAP`` apart) and each union midway between neighbouring partners. It
   minimises how far each union is from the centre of its sibship, a heavy penalty when
   a union is not above its sibship line at all, the width of sibships and the length
   of couple lines (a couple may part to make room for the children below), step- and
   foster lines off the vertical, bends in long lines, and the width of every row.
   Dummies then go as near their line's straight course as their room allows.
5. **Ecomap ring.** Network members go on a rounded ring around the family block,
   informal members on one half and formal ones on the other (left/right or top/bottom,
   whichever way round gives the shortest ties), each as near as the spacing allows to
   the point of the ring closest to the persons it is tied to, in that order along it.
   The ring keeps every member's footprint (box and label) ``RING_GAP`` clear of the
   family block (which includes the persons' labels), and along the ring each member
   takes room for its label, so members and their labels do not collide.

With a memory of the family's previous layout (``memory``: an edit while the family
is on the screen), the remembered persons keep their left-to-right order on each row
as precedences beside birth order (where an edit contradicts them, they give way) and
the members their side and clockwise order on the ring: the table keeps its bearings.

Cost: near-linear per sweep; the number of sweeps shrinks for large families. Sifting a
row is quadratic in its width (rows too wide for ``ordering._SIFT_CELLS`` are left as the sweeps
leave them), so 3,000 persons still take well under two seconds.

Coordinates are SVG user units, ``x``/``y`` the centre of a symbol (``SYMBOL`` wide).
Unions are points, drawn ``UNION_DROP`` below their partners' centres (the couple line
runs under the symbols). Lines spanning rows are routed through ``Layout.bends``.

The steps live in the modules of this package, in the order above: ``family`` (the
graph as the layout reads it), ``rows``, ``blocks``, ``ordering``, ``positions``,
``ring``; ``canvas`` holds the result (:class:`Layout`) and the margins, ``measures``
counts overlaps and crossings, ``memory`` remembers a layout for the next. The
symbols' sizes and the text under them, which the drawing shares, are
:mod:`genogram.labels`.
"""

from genogram.labels import (
    CHAR_WIDTH,
    MEMBER_ABOVE,
    MEMBER_BELOW,
    MEMBER_BOX,
    NAME_SIZE,
    SMALL_SIZE,
    SYMBOL,
)
from genogram.layout.canvas import (
    GAP,
    LABEL_GAP,
    LABEL_ROOM,
    MARGIN,
    MIN_GAP,
    ROW_HEIGHT,
    UNION_DROP,
    Layout,
    finish,
)
from genogram.layout.family import Family
from genogram.layout.measures import count_crossings, overlaps
from genogram.layout.ordering import Ordering, _sift_group
from genogram.layout.positions import x_positions
from genogram.layout.ring import MEMBER_GAP, MEMBER_SPACING, RING_GAP, place_members
from genogram.layout.rows import assign_rows

__all__ = [
    "CHAR_WIDTH",
    "GAP",
    "LABEL_GAP",
    "LABEL_ROOM",
    "MARGIN",
    "MEMBER_ABOVE",
    "MEMBER_BELOW",
    "MEMBER_BOX",
    "MEMBER_GAP",
    "MEMBER_SPACING",
    "MIN_GAP",
    "NAME_SIZE",
    "RING_GAP",
    "ROW_HEIGHT",
    "SMALL_SIZE",
    "SYMBOL",
    "UNION_DROP",
    "Layout",
    "count_crossings",
    "layout_genogram",
    "overlaps",
]

# The steps under the names the tests knew when the layout was one module.
_Family, _Ordering, _assign_rows = Family, Ordering, assign_rows
__all__ += ["_Family", "_Ordering", "_assign_rows", "_sift_group"]


def layout_genogram(graph, memory=None):
    """The :class:`Layout` of a genogram graph (see the package docstring).

    ``memory`` (``genogram.layout.memory.memory_of`` a previous layout of the family):
    the persons keep their previous left-to-right order on each row and the network
    members their clockwise order and side of the ring, where the graph allows.
    """
    memory = memory or {}
    fam = Family(graph)
    if not fam.persons:
        members, ring = place_members(fam, {}, (0.0, 0.0, 0.0, 0.0), memory.get("ring"))
        return finish({}, members, ring, {}, [], {}, (0.0, 0.0, 0.0, 0.0))
    prow = assign_rows(fam)
    ordering = Ordering(fam, prow, memory.get("rows"))
    ordering.minimise()
    xs = x_positions(ordering)

    def y_of(r):
        return r * ROW_HEIGHT

    positions = {}
    row = {}
    for p in fam.persons:
        positions[p] = (xs[p], y_of(prow[p]))
        row[p] = prow[p]
    for u in fam.unions:
        r = ordering.urow[u]
        x = xs[u] if u in xs else xs[fam.partners[u][0]]
        positions[u] = (x, y_of(r) + UNION_DROP)
        row[u] = r
    bends = {}
    for key, kind, path in ordering.lines:
        inner = path[1:-1]
        if not inner and kind == "child":
            continue
        points = []
        source = path[0]
        if kind != "child":
            points.append((xs[source], y_of(ordering.item_row[source]) + UNION_DROP))
        for d in inner:
            r = ordering.item_row[d]
            points += [(xs[d], y_of(r)), (xs[d], y_of(r) + UNION_DROP)]
        if kind == "partner":
            points.append((xs[path[-1]], y_of(ordering.item_row[path[-1]])))
        bends[key] = points
    rows = [[] for _ in ordering.rows]
    for r, blocks in enumerate(ordering.rows):
        for b in blocks:
            rows[r].extend(i for i in ordering.block_items[b] if ordering.kind[i] != "dummy")
    # Single-parent unions are not items: put them right after their parent.
    for u in fam.unions:
        if len(fam.partners[u]) == 1:
            r_items = rows[row[u]]
            r_items.insert(r_items.index(fam.partners[u][0]) + 1, u)

    # The block reaches as far as the persons' names and ages under their symbols.
    x_lo = min(positions[p][0] - fam.half[p] for p in fam.persons)
    x_hi = max(positions[p][0] + fam.half[p] for p in fam.persons)
    y_hi = max(y for _, y in positions.values()) + SYMBOL / 2 + LABEL_ROOM
    box = (x_lo, -SYMBOL / 2, x_hi, y_hi)
    members, ring = place_members(fam, positions, box, memory.get("ring"))
    return finish(positions, members, ring, row, rows, bends, box)
