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

Cost: near-linear per sweep; the number of sweeps shrinks for large families. Sifting a
row is quadratic in its width (rows too wide for ``_SIFT_CELLS`` are left as the sweeps
leave them), so 3,000 persons still take well under two seconds.

Coordinates are SVG user units, ``x``/``y`` the centre of a symbol (``SYMBOL`` wide).
Unions are points, drawn ``UNION_DROP`` below their partners' centres (the couple line
runs under the symbols). Lines spanning rows are routed through ``Layout.bends``.
"""

import bisect
import heapq
import math
import random
from collections import deque
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

SYMBOL = 40
GAP = 40  # the reach of a sibship line beyond its outer children is (SYMBOL + GAP) / 2
MIN_GAP = 8  # the least free space between two symbols that ``overlaps`` accepts
LABEL_GAP = 16  # the least free space between two footprints (symbol or label) on a row
MARGIN = 40
ROW_HEIGHT = 140
UNION_DROP = 25  # the couple line, just below the symbols and above the names under them
LABEL_ROOM = 64  # the three text lines under the bottom row, inside the family block
RING_GAP = 24  # the least free space between a member's footprint and the family block
MEMBER_GAP = 16  # the least free space between two members' footprints on the ring
MEMBER_SPACING = SYMBOL + GAP
# Text under the symbols, as genogram.svg draws it (an estimate: ~0.6 em a character).
NAME_SIZE = 16
SMALL_SIZE = 14
CHAR_WIDTH = 0.6
MEMBER_BOX = SYMBOL + 12  # a member's rounded box is wider than a symbol
MEMBER_ABOVE = SYMBOL / 2 - 4  # the box above the member's centre
MEMBER_BELOW = SYMBOL / 2 + 18 + 17 + 5  # its two text lines below the centre

_HALF = {"person": (SYMBOL + GAP) / 2, "union": 0.0, "dummy": 10.0}
_MIN_SEP = 16.0
_SWEEPS = 24
_PATIENCE = 6
_TRANSPOSE_PASSES = 12
_SWEEP_TRANSPOSES = 2
_SIFT_ROUNDS = 20
_KICKS = 2  # a third pays 4,800 -> 4,757 crossings in royal92 but takes it past 1.8 s
_KICK_BANDS = 6
_KICK_JITTER = 3.0
_KICK_WIDTH = 300  # blocks
_SIFT_CELLS = 4_000_000  # a row's pair-cost matrices (blocks x items) stay this small
_HEAVY = 1 << 20  # the cost of a crossing (see _Ordering)
_MANY_STARTS_UP_TO = 80  # items: case families get many starting orders
_SHUFFLES = 8
_TWO_STARTS_UP_TO = 1500
_W_CENTRE = 4.0  # a union off the centre of its sibship, per unit
_W_UNDER = 50.0  # a union not above its sibship line at all, per unit
_W_STRAIGHT = 2.0  # a bend in a line through dummies
_W_LINK = 0.5  # a step- or foster parent not above the child
_W_SIBSHIP = 1.0  # the width of a sibship (more than a link: siblings stay together)
_W_COUPLE = 2.0  # the length of a couple line
_W_ROW_WIDTH = 0.1
_W_LEFT = 0.001


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


# --------------------------------------------------------------------------- the family


class _Family:
    """The parts of the graph the layout needs, in case order."""

    def __init__(self, graph):
        nodes = graph.nodes
        self.persons = [n for n, d in nodes(data=True) if d["kind"] == "person"]
        self.members = [n for n, d in nodes(data=True) if d["kind"] == "member"]
        self.unions = [n for n, d in nodes(data=True) if d["kind"] == "union"]
        self.order = {p: nodes[p]["order"] for p in self.persons}
        self.year = {p: _year(nodes[p].get("birth_year")) for p in self.persons}
        self.sex = {p: nodes[p].get("sex") for p in self.persons}
        self.partners = {u: tuple(f"person:{x}" for x in nodes[u]["partners"]) for u in self.unions}
        self.children = {}
        self.links = []
        for u in self.unions:
            kids = [t for _, t, d in graph.out_edges(u, data=True) if d["kind"] == "child"]
            self.children[u] = _birth_order(kids, self.year, self.order)
        for p in self.persons:
            for _, t, d in graph.out_edges(p, data=True):
                if d["kind"] == "parent_link":
                    self.links.append((p, t))
        self.links.sort(key=lambda link: (self.order[link[1]], self.order[link[0]]))
        self.ties = {
            m: sorted(
                (t for _, t, d in graph.out_edges(m, data=True) if d["kind"] == "tie"),
                key=self.order.get,
            )
            for m in self.members
        }
        self.formal = {m: nodes[m].get("partner") != "informal" for m in self.members}
        # Half the horizontal footprint: the symbol or the widest text line under it.
        self.half = {p: max(SYMBOL, _person_label_width(nodes[p])) / 2 for p in self.persons}
        self.member_half = {
            m: max(MEMBER_BOX, _member_label_width(nodes[m])) / 2 for m in self.members
        }
        self.member_order = {m: i for i, m in enumerate(self.members)}
        self.couples = [u for u in self.unions if len(self.partners[u]) == 2]
        # Chronological order of a person's partnerships: first child's birth year, then
        # the couple relation's place in the case.
        self.chrono = {}
        for i, u in enumerate(self.unions):
            years = [self.year[c] for c in self.children[u] if self.year[c] is not None]
            relation = nodes[u].get("relation")
            self.chrono[u] = (
                0 if years else 1,
                min(years) if years else 0,
                relation if relation is not None else 1 << 30,
                i,
            )


def _text_width(lines):
    return max((len(text) * size * CHAR_WIDTH for text, size in lines), default=0.0)


def _person_label_width(data):
    """The width of the text under a person: name, birth year and age, residence.

    The age is counted as two digits, whatever today is: the layout stays the same.
    """
    from genogram.svg import RESIDENCE_SHORT  # noqa: PLC0415 - svg imports this module

    lines = [(data.get("name") or "(naam onbekend)", NAME_SIZE)]
    year = _year(data.get("birth_year"))
    if year is not None:
        lines.append((f"{year} \N{DAGGER}" if data.get("deceased") else f"{year} (00)", SMALL_SIZE))
    elif data.get("deceased"):
        lines.append(("overleden", SMALL_SIZE))
    residence = data.get("residence")
    if residence:
        lines.append((RESIDENCE_SHORT.get(residence, residence), SMALL_SIZE))
    return _text_width(lines)


def _member_label_width(data):
    """The width of the text under a member: name and (short) partner label."""
    from genogram.svg import _short_partner  # noqa: PLC0415 - svg imports this module

    lines = [(data.get("name") or "(naam onbekend)", NAME_SIZE)]
    lines.append((_short_partner(data.get("partner")), SMALL_SIZE))
    return _text_width(lines)


def _year(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _birth_order(children, year, order):
    """Case order, with the children whose birth year is known sorted by it in their slots."""
    kids = sorted(children, key=order.get)
    dated = [k for k in kids if year[k] is not None]
    known = iter(sorted(dated, key=lambda k: (year[k], order[k])))
    return [next(known) if year[k] is not None else k for k in kids]


# --------------------------------------------------------------------------- generations


class _UnionFind:
    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, i):
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller index becomes the root: deterministic.
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra
        return ra


def _cluster_edges(uf, descent):
    return {(uf.find(p), uf.find(c)) for p, c in descent}


def _topological(roots, edges):
    """Kahn's order over the clusters ``roots`` (list, case order), or None on a cycle."""
    succ = {r: [] for r in roots}
    indeg = dict.fromkeys(roots, 0)
    for a, b in sorted(edges):
        if a == b:
            return None, succ
        succ[a].append(b)
        indeg[b] += 1
    queue = deque(r for r in roots if indeg[r] == 0)
    topo = []
    while queue:
        r = queue.popleft()
        topo.append(r)
        for s in succ[r]:
            indeg[s] -= 1
            if indeg[s] == 0:
                queue.append(s)
    return (topo if len(topo) == len(roots) else None), succ


def _bad_clusters(roots, edges):
    """Clusters on a cycle of the cluster graph (Tarjan, iterative)."""
    succ = {r: [] for r in roots}
    bad = set()
    for a, b in sorted(edges):
        if a == b:
            bad.add(a)
        else:
            succ[a].append(b)
    index, low, on_stack, stack, counter = {}, {}, set(), [], [0]
    for start in roots:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter[0]
                counter[0] += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            for j in range(i, len(succ[node])):
                nxt = succ[node][j]
                if nxt not in index:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == node:
                        break
                if len(component) > 1:
                    bad.update(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return bad


def _reaches(uf, descent, source, target):
    succ = {}
    for p, c in descent:
        succ.setdefault(uf.find(p), set()).add(uf.find(c))
    seen, todo = {source}, [source]
    while todo:
        for nxt in succ.get(todo.pop(), ()):
            if nxt == target:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _assign_rows(fam):
    persons = fam.persons
    idx = {p: i for i, p in enumerate(persons)}
    n = len(persons)
    descent = [
        (idx[p], idx[c]) for u in fam.unions for p in fam.partners[u] for c in fam.children[u]
    ] + [(idx[p], idx[c]) for p, c in fam.links]
    couples = [tuple(idx[p] for p in fam.partners[u]) for u in fam.couples]

    uf = _UnionFind(n)
    for a, b in couples:
        uf.union(a, b)
    roots = sorted({uf.find(i) for i in range(n)})
    edges = _cluster_edges(uf, descent)
    topo, succ = _topological(roots, edges)
    if topo is None:
        bad = _bad_clusters(roots, edges)
        first = uf
        uf = _UnionFind(n)
        deferred = []
        for a, b in couples:
            if first.find(a) in bad:
                deferred.append((a, b))
            else:
                uf.union(a, b)
        for a, b in deferred:
            ra, rb = uf.find(a), uf.find(b)
            if ra != rb and not _reaches(uf, descent, ra, rb) and not _reaches(uf, descent, rb, ra):
                uf.union(ra, rb)
        roots = sorted({uf.find(i) for i in range(n)})
        edges = _cluster_edges(uf, descent)
        topo, succ = _topological(roots, edges)
    pred_count = dict.fromkeys(roots, 0)
    for _, b in edges:
        pred_count[b] += 1

    level = dict.fromkeys(roots, 0)
    for r in topo:
        for s in succ[r]:
            level[s] = max(level[s], level[r] + 1)
    for r in reversed(topo):
        if succ[r]:
            level[r] = min(level[s] for s in succ[r]) - 1
    _shorten_lines(level, descent, uf, topo)

    isolated = [r for r in roots if not succ[r] and not pred_count[r]]
    connected = [r for r in roots if succ[r] or pred_count[r]]
    if isolated and connected:
        by_row = {}
        for i, p in enumerate(persons):
            r = uf.find(i)
            if (succ[r] or pred_count[r]) and fam.year[p] is not None:
                by_row.setdefault(level[r], []).append(fam.year[p])
        medians = sorted((sorted(ys)[len(ys) // 2], row) for row, ys in by_row.items())
        members = {}
        for i, p in enumerate(persons):
            members.setdefault(uf.find(i), []).append(p)
        for r in isolated:
            years = [fam.year[p] for p in members[r] if fam.year[p] is not None]
            if years and medians:
                mean = sum(years) / len(years)
                level[r] = min(medians, key=lambda m: (abs(m[0] - mean), m[1]))[1]
            else:
                level[r] = min(level[c] for c in connected)
    lowest = min(level.values()) if level else 0
    return {p: level[uf.find(i)] - lowest for i, p in enumerate(persons)}


def _shorten_lines(level, descent, uf, topo):
    """Rows with the least total length of the lines of descent (as dot ranks).

    The longest-path rows are feasible but can leave a child far below one of its
    parents (whose cluster is held up by another child). Minimising the sum over all
    parent -> child relations of (child row - parent row), each at least 1, is a linear
    program on a network matrix: its optimum is whole rows, and it is the layering
    dot's network simplex finds. A tiny pull towards the top settles the ties. Kept
    only when it is no worse than the longest-path rows.
    """
    index = {r: i for i, r in enumerate(topo)}
    weight = {}
    for p, c in descent:
        key = (uf.find(p), uf.find(c))
        weight[key] = weight.get(key, 0) + 1
    if not weight:
        return
    n = len(topo)
    cost = np.full(n, 1e-3)
    rows_i, cols_i, vals = [], [], []
    for k, ((a, b), w) in enumerate(sorted(weight.items())):
        cost[index[a]] -= w
        cost[index[b]] += w
        rows_i += [k, k]
        cols_i += [index[a], index[b]]
        vals += [1.0, -1.0]
    matrix = coo_matrix((vals, (rows_i, cols_i)), shape=(len(weight), n)).tocsr()
    result = linprog(
        cost, A_ub=matrix, b_ub=np.full(len(weight), -1.0), bounds=(0, None), method="highs"
    )
    if result.status != 0:
        return
    rows = {r: int(round(result.x[index[r]])) for r in topo}
    if any(rows[b] - rows[a] < 1 for a, b in weight):
        return

    def total(of):
        return sum(w * (of[b] - of[a]) for (a, b), w in weight.items())

    if total(rows) <= total(level):
        level.update(rows)


# --------------------------------------------------------------------------- blocks


def _arrange(component, same, fam):
    """The left-to-right order of partners connected on one row (see the module doc)."""
    if len(component) == 1:
        return list(component)
    order = fam.order
    if len(component) == 2:
        a, b = sorted(component, key=order.get)
        if fam.sex[b] == "male" and fam.sex[a] != "male":
            return [b, a]
        if fam.sex[a] == "female" and fam.sex[b] not in ("female", "male"):
            return [b, a]
        return [a, b]
    hub = min(component, key=lambda p: (-len(same[p]), order[p]))
    visited = {hub} | {q for _, _, q in same[hub]}

    def expand(person):
        out = []
        for _, _, q in same[person]:
            if q not in visited:
                visited.add(q)
                out.append(q)
                out.extend(expand(q))
        return out

    first, *rest = [q for _, _, q in same[hub]]
    left = [first, *expand(first)]
    right = []
    for q in rest:
        right.append(q)
        right.extend(expand(q))
    return [*reversed(left), hub, *right]


def _blocks(fam, prow):
    urow = {u: max(prow[p] for p in fam.partners[u]) for u in fam.unions}
    same = {p: [] for p in fam.persons}
    cross = {}
    for u in fam.couples:
        a, b = fam.partners[u]
        if prow[a] == prow[b]:
            same[a].append((fam.chrono[u], u, b))
            same[b].append((fam.chrono[u], u, a))
        else:
            low = a if prow[a] > prow[b] else b
            cross.setdefault(low, []).append(u)
    for p in same:
        same[p].sort()
    blocks = []
    seen = set()
    for p in fam.persons:
        if p in seen:
            continue
        component, todo = [p], [p]
        seen.add(p)
        while todo:
            for _, _, q in same[todo.pop()]:
                if q not in seen:
                    seen.add(q)
                    component.append(q)
                    todo.append(q)
        seq = _arrange(component, same, fam)
        where = {q: i for i, q in enumerate(seq)}
        before = {}
        for q in seq:
            for _, u, other in same[q]:
                if where[q] > where[other]:
                    before.setdefault(q, []).append((where[other], u))
        items = []
        for q in seq:
            items.extend(u for _, u in sorted(before.get(q, ())))
            items.append(q)
            items.extend(sorted(cross.get(q, ()), key=fam.chrono.get))
        blocks.append((prow[p], items))
    return blocks, urow


# --------------------------------------------------------------------------- ordering


class _Ordering:
    """Rows of blocks, lines through dummies, and the crossing minimisation on them.

    The cost of an order is its number of crossings times ``_HEAVY`` plus the number of
    those between two lines of descent (not a step- or foster parent's link): the fewest
    crossings first, and among equal counts the one whose crossings are on the dashed
    lines.
    """

    def __init__(self, fam, prow):
        blocks, urow = _blocks(fam, prow)
        self.fam, self.prow, self.urow = fam, prow, urow
        # Items: persons, couple unions and dummies (a single parent's union is no item:
        # its lines start at the parent).
        self.kind = dict.fromkeys(fam.persons, "person")
        self.kind.update(dict.fromkeys(fam.couples, "union"))
        self.item_row = dict(prow)
        self.item_row.update((u, urow[u]) for u in fam.couples)
        self.block_items = []
        self.block_row = []
        nrows = 1 + max(prow.values(), default=0)
        self.rows = [[] for _ in range(nrows)]
        for r, items in blocks:
            self._add_block(r, items)

        # Lines between rows: (key, kind, [items from top to bottom]).
        self.lines = []
        for u in fam.unions:
            source = u if len(fam.partners[u]) == 2 else fam.partners[u][0]
            for c in fam.children[u]:
                self._add_line((u, c), "child", source, urow[u], c, prow[c])
        for p, c in fam.links:
            self._add_line((p, c), "link", p, prow[p], c, prow[c])
        for u in fam.couples:
            for p in fam.partners[u]:
                if prow[p] < urow[u]:
                    self._add_line((p, u), "partner", p, prow[p], u, urow[u])

        up = {item: [] for item in self.item_row}
        down = {item: [] for item in self.item_row}
        up_heavy = {item: [] for item in self.item_row}
        down_heavy = {item: [] for item in self.item_row}
        self.layer_edges = [[] for _ in range(nrows)]
        for _, kind, path in self.lines:
            heavy = kind != "link"
            for a, b in zip(path, path[1:], strict=False):
                down[a].append(b)
                up[b].append(a)
                if heavy:
                    down_heavy[a].append(b)
                    up_heavy[b].append(a)
                self.layer_edges[self.item_row[a]].append((a, b, heavy))
        self.up, self.down = up, down
        self.up_heavy, self.down_heavy = up_heavy, down_heavy
        self._constraints()

        def per_block(side):
            return [[n for i in items for n in side[i]] for items in self.block_items]

        self.block_up, self.block_down = per_block(up), per_block(down)
        self.block_up_heavy, self.block_down_heavy = per_block(up_heavy), per_block(down_heavy)
        self.row_len = [sum(len(self.block_items[b]) for b in row) for row in self.rows]
        # A plain couple may be mirrored (female left) where that saves a crossing: only
        # where two of its items have lines on the same side can it make a difference.
        self.couple_blocks = set()
        for b, items in enumerate(self.block_items):
            if sum(1 for i in items if self.kind[i] == "person") != 2:
                continue
            if any(sum(1 for i in items if side[i]) > 1 for side in (up, down)):
                self.couple_blocks.add(b)
        self.first_item = [items[0] for items in self.block_items]
        self.pos = {}
        for r in range(nrows):
            self._renumber(r)

    def _add_block(self, r, items):
        b = len(self.block_items)
        self.block_items.append(items)
        self.block_row.append(r)
        self.rows[r].append(b)
        return b

    def _add_line(self, key, kind, source, top, target, bottom):
        path = [source]
        for r in range(top + 1, bottom):
            dummy = f"~{len(self.lines)}:{r}"
            self.kind[dummy] = "dummy"
            self.item_row[dummy] = r
            self._add_block(r, [dummy])
            path.append(dummy)
        path.append(target)
        self.lines.append((key, kind, path))

    def _constraints(self):
        """Siblings of one union, on one row, stay in birth order: block precedences."""
        block_of = {}
        for b, items in enumerate(self.block_items):
            for item in items:
                block_of[item] = b
        self.block_of = block_of
        self.after = {}  # block -> blocks that must come after it
        self.before = {}  # block -> blocks that must come before it
        self.pairs = set()
        self.chains = [[] for _ in self.rows]  # per row: sibships as block sequences
        for u in self.fam.unions:
            by_row = {}
            for c in self.fam.children[u]:
                seq = by_row.setdefault(self.prow[c], [])
                if not seq or seq[-1] != block_of[c]:
                    seq.append(block_of[c])
            for r, seq in by_row.items():
                if len(seq) > 1:
                    self.chains[r].append(seq)
                for a, b in zip(seq, seq[1:], strict=False):
                    if (a, b) not in self.pairs:
                        self.pairs.add((a, b))
                        self.after.setdefault(a, []).append(b)
                        self.before.setdefault(b, []).append(a)

    def _renumber(self, r):
        pos = self.pos
        i = 0
        for b in self.rows[r]:
            for item in self.block_items[b]:
                pos[item] = i
                i += 1

    # -- cost

    def layer_cost(self, r):
        pos = self.pos
        edges = sorted((pos[a], pos[b], heavy) for a, b, heavy in self.layer_edges[r])
        total = _inversions([lower for _, lower, _ in edges])
        if not total:
            return 0
        return _HEAVY * total + _inversions([lower for _, lower, heavy in edges if heavy])

    def cost(self):
        return sum(self.layer_cost(r) for r in range(len(self.rows) - 1))

    def crossings(self):
        return self.cost() // _HEAVY

    # -- sweeps

    def _sort_row(self, r, downward, median):
        pos = self.pos
        neighbours = self.block_up if downward else self.block_down
        other = r - 1 if downward else r + 1
        scale = 1.0 / max(1, self.row_len[other])
        value, weight = {}, {}
        last = 0.0
        for b in self.rows[r]:
            values = [pos[nb] for nb in neighbours[b]]
            if not values:
                # Nothing to go by: stay just right of the block now on the left.
                value[b] = last
                weight[b] = 0.5
                continue
            m = len(values)
            if median and m > 1:
                values.sort()
                mid = values[m // 2] if m % 2 else (values[m // 2 - 1] + values[m // 2]) / 2
            else:
                mid = sum(values) / m
            value[b] = last = (mid + 0.5) * scale
            weight[b] = m
        # A sibship whose values contradict birth order is pooled (Forster's constrained
        # barycenters, per sibship): the siblings then move as one group instead of being
        # torn apart by the precedence constraints.
        for chain in self.chains[r]:
            fitted = _isotonic([value[b] for b in chain], [weight[b] for b in chain])
            for b, v in zip(chain, fitted, strict=True):
                value[b] = v
        key = {b: (value[b], rank) for rank, b in enumerate(self.rows[r])}
        self.rows[r] = self._constrained(self.rows[r], key)
        self._renumber(r)
        self._orient_row(r)

    def _orient_row(self, r):
        """Mirror a couple when that saves crossings (with the rows above and below)."""
        changed = False
        couples = self.couple_blocks
        for b in self.rows[r]:
            if b in couples:
                gain = self._flip_gain(b)
                # Strictly better mirrored: mirror; as good: back to the convention.
                if gain > 0 or (gain == 0 and self.block_items[b][0] != self.first_item[b]):
                    self.block_items[b].reverse()
                    changed = True
        if changed:
            self._renumber(r)
        return changed

    def _constrained(self, blocks, key):
        """Sort by ``key`` as far as the birth-order precedences allow."""
        after = self.after
        members = set(blocks)
        indeg = dict.fromkeys(blocks, 0)
        for b in blocks:
            for c in after.get(b, ()):
                if c in members:
                    indeg[c] += 1
        heap = [(key[b], b) for b in blocks if indeg[b] == 0]
        heapq.heapify(heap)
        out, placed = [], set()
        while len(out) < len(blocks):
            if not heap:  # contradictory precedences (a cycle): release the smallest
                b = min((b for b in blocks if b not in placed), key=key.get)
                indeg[b] = 0
                heapq.heappush(heap, (key[b], b))
            _, b = heapq.heappop(heap)
            if b in placed:
                continue
            placed.add(b)
            out.append(b)
            for c in after.get(b, ()):
                if c in members and c not in placed:
                    indeg[c] -= 1
                    if indeg[c] == 0:
                        heapq.heappush(heap, (key[c], c))
        return out

    def _snapshot(self):
        return [list(r) for r in self.rows], {
            b: list(self.block_items[b]) for b in sorted(self.couple_blocks)
        }

    def _restore(self, snapshot):
        rows, couples = snapshot
        self.rows = [list(r) for r in rows]
        for b, items in couples.items():
            self.block_items[b] = list(items)
        for r in range(len(self.rows)):
            self._renumber(r)

    def minimise(self):
        """Sweeps and transpositions from several starting orders; the cheapest wins.

        The starts: a depth-first walk, the case order, and for small families also the
        mirrored case order and seeded shuffles (``_STARTS``); a large family starts from
        the depth-first walk only, and then gets ``_KICKS`` kicks.
        """
        rows, couples = self._snapshot()
        size = len(self.item_row)
        orders = [self._dfs_order(), rows]
        if size <= _MANY_STARTS_UP_TO:
            orders.append([list(reversed(r)) for r in rows])
            shuffler = random.Random(size)  # noqa: S311 - seeded: same family, same result
            for _ in range(_SHUFFLES):
                shuffled = [list(r) for r in rows]
                for r in shuffled:
                    shuffler.shuffle(r)
                orders.append(shuffled)
        elif size > _TWO_STARTS_UP_TO:
            orders = orders[:1]
        best = best_state = None
        for order in orders:
            self._restore((order, couples))
            for r in range(len(self.rows)):  # a start must keep birth order too
                self.rows[r] = self._constrained(
                    self.rows[r], {b: i for i, b in enumerate(self.rows[r])}
                )
                self._renumber(r)
            cost = self._sweeps()
            if best is None or cost < best:
                best, best_state = cost, self._snapshot()
            if best == 0:
                break
        self._restore(best_state)
        if best and size > _TWO_STARTS_UP_TO:  # kicks instead of the second start
            best = self._kicks(_KICKS)
        return best

    def _kicks(self, rounds):
        """Iterated local search: shake the rows around the most crossed bands (a seeded
        jitter of their order, within birth order), sift them again, keep the best."""
        jitter = random.Random(len(self.item_row))  # noqa: S311 - seeded: same result
        best, best_state = self.cost(), self._snapshot()
        # Rows too wide to sift again and again in the time are left as they are.
        narrow = {r for r, row in enumerate(self.rows) if len(row) <= _KICK_WIDTH}
        bands = [r for r in range(len(self.rows) - 1) if r in narrow and r + 1 in narrow]
        for _ in range(rounds):
            worst = sorted(bands, key=lambda r: (-self.layer_cost(r), r))[:_KICK_BANDS]
            shaken = sorted({x for r in worst if self.layer_cost(r) for x in (r, r + 1)})
            if not shaken:
                break
            for r in shaken:
                key = {
                    b: (i + jitter.gauss(0, _KICK_JITTER), i) for i, b in enumerate(self.rows[r])
                }
                self.rows[r] = self._constrained(self.rows[r], key)
                self._renumber(r)
                self._orient_row(r)
            near = {x for r in shaken for x in (r - 1, r, r + 1)} & narrow
            # Runs of siblings too: a kick that moves one sibling then lets the elder or
            # younger ones follow (royal92: 4,818 -> 4,800 crossings, no slower).
            self._sift(_SIFT_ROUNDS, shaken, near)
            self._transpose(_TRANSPOSE_PASSES)
            cost = self.cost()
            if cost < best:
                best, best_state = cost, self._snapshot()
            else:
                self._restore(best_state)
        self._restore(best_state)
        return best

    def _dfs_order(self):
        """Rows in the order a depth-first walk over the blocks meets them (as dot starts):
        from the top row in case order, children (in birth order) before parents."""
        block_of = self.block_of
        rows = [[] for _ in self.rows]
        seen = set()
        for start in [b for row in self.rows for b in row]:
            if start in seen:
                continue
            seen.add(start)
            stack = [start]
            while stack:
                b = stack.pop()
                rows[self.block_row[b]].append(b)
                nexts = [block_of[n] for n in self.block_down[b]]
                nexts += [block_of[n] for n in self.block_up[b]]
                for n in reversed(nexts):
                    if n not in seen:
                        seen.add(n)
                        stack.append(n)
        return rows

    def _sweeps(self):
        best = self.cost()
        best_state = self._snapshot()
        n = len(self.rows)
        if n > 1 and best > 0:
            stale = 0
            # Fewer sweeps for a large family: the time stays near-linear in its size.
            sweeps = max(_SWEEPS // 3, min(_SWEEPS, _SWEEPS * 2000 // len(self.item_row)))
            for sweep in range(sweeps):
                # As dot's mincross: one sweep (down, up, down, ...; median and barycenter
                # taking turns every two), then transpositions; keep the best.
                downward = sweep % 2 == 0
                median = sweep % 4 >= 2
                for r in range(1, n) if downward else range(n - 2, -1, -1):
                    self._sort_row(r, downward, median)
                self._transpose(_SWEEP_TRANSPOSES)
                cost = self.cost()
                if cost < best:
                    best, best_state, stale = cost, self._snapshot(), 0
                else:
                    stale += 1
                if best == 0 or stale >= _PATIENCE:
                    break
            self._restore(best_state)
        if self.cost() > 0:
            self._sift(_SIFT_ROUNDS)
        self._transpose(_TRANSPOSE_PASSES)  # the heavy tie-break, the couples' flips
        return self.cost()

    def _transpose(self, passes):
        """Swap neighbouring blocks, mirror couples, while that saves crossings.

        A row is looked at again only when it or a neighbouring row changed.
        """
        n = len(self.rows)
        todo = range(n)
        for _ in range(passes):
            changed = [r for r in todo if self._transpose_row(r)]
            if not changed:
                break
            todo = sorted({x for r in changed for x in (r - 1, r, r + 1) if 0 <= x < n})

    def _transpose_row(self, r):
        pos = self.pos
        blocks = self.rows[r]
        items_of = self.block_items
        changed = False
        for i in range(len(blocks) - 1):
            a, b = blocks[i], blocks[i + 1]
            if (a, b) in self.pairs:
                continue
            keep, swap = self._pair_cost(a, b)
            if swap < keep:
                blocks[i], blocks[i + 1] = b, a
                start = pos[items_of[a][0]]
                for item in items_of[b]:
                    pos[item] = start
                    start += 1
                for item in items_of[a]:
                    pos[item] = start
                    start += 1
                changed = True
        couples = self.couple_blocks
        for b in blocks:
            if b in couples and self._flip_gain(b) > 0:
                items = items_of[b]
                start = pos[items[0]]
                items.reverse()
                for i, item in enumerate(items):
                    pos[item] = start + i
                changed = True
        return changed

    # -- sifting

    def _sift(self, rounds, rows=None, scope=None):
        """Sifting rounds (down the rows, then up) while they save crossings.

        Sifting moves one block at a time to the place in its row, as far as birth order
        lets it go, where its lines cross the fewest others, with the rows above and below
        held: it escapes the local minima of the median sweeps, which move every block
        at once towards an average. A row is sifted again only when it or a neighbouring
        row changed since. Given ``rows``, only those are sifted at first, and then only
        rows in ``scope``.
        """
        n = len(self.rows)
        best = self.cost()
        dirty = set(range(n) if rows is None else rows)
        scope = set(range(n) if scope is None else scope)
        for _ in range(rounds):
            changed = set()
            for r in [*range(n), *range(n - 2, -1, -1)]:
                if r in dirty:
                    dirty.discard(r)
                    if self._sift_row(r):
                        changed.add(r)
                        dirty.update(x for x in (r - 1, r + 1) if x in scope)
            cost = self.cost()
            if cost >= best or not changed:
                break
            best = cost
        return best

    def _sift_row(self, r):
        order = list(self.rows[r])
        wide = max((self.row_len[x] for x in (r - 1, r + 1) if 0 <= x < len(self.rows)), default=0)
        if len(order) < 3 or len(order) * wide > _SIFT_CELLS:
            return False
        cost = self._pair_matrix(r)
        if cost is None:
            return False
        local = {b: i for i, b in enumerate(order)}
        before = [[local[a] for a in self.before.get(b, ()) if a in local] for b in order]
        after = [[local[c] for c in self.after.get(b, ()) if c in local] for b in order]
        # Blocks with the most lines first; ties by their place (deterministic).
        degree = [len(self.block_up[b]) + len(self.block_down[b]) for b in order]
        ranks = sorted((i for i in range(len(order)) if degree[i]), key=lambda i: (-degree[i], i))
        seq = np.arange(len(order))  # seq[t]: the local index of the block at place t
        place = np.arange(len(order))  # its inverse
        moved = False
        for i in ranks:
            if self._sift_one(i, seq, place, cost, before[i], after[i]):
                place[seq] = np.arange(len(seq))
                moved = True
        # Birth order holds single siblings back; a sibship moved as one is not.
        for chain in self.chains[r]:
            ids = [local[b] for b in chain]
            for lo, hi in _spans(len(ids)):
                if _sift_group(np.array(ids[lo:hi]), seq, place, cost, before, after):
                    place[seq] = np.arange(len(seq))
                    moved = True
        if moved:
            self.rows[r] = [order[i] for i in seq]
            self._renumber(r)
            self._orient_row(r)
        return moved

    @staticmethod
    def _sift_one(i, seq, place, cost, before, after):
        """Move the block with local index ``i`` to its cheapest place in ``seq``, not
        past the siblings it must follow (``before``) or precede (``after``)."""
        t = int(place[i])
        lo = max((place[a] + 1 for a in before if place[a] < t), default=0)
        hi = min((place[c] - 1 for c in after if place[c] > t), default=len(seq) - 1)
        if lo == hi:
            return False
        # d[s]: what it costs to put block i left of the block at place s instead of right.
        d = cost[i, seq[lo : hi + 1]] - cost[seq[lo : hi + 1], i]
        t -= lo
        delta = np.zeros(len(d))
        if t:
            delta[:t] = np.cumsum(d[:t][::-1])[::-1]
        delta[t + 1 :] = -np.cumsum(d[t + 1 :])
        k = int(np.argmin(delta))
        if delta[k] >= 0:
            return False
        target = lo + k
        t += lo
        if target < t:
            seq[target + 1 : t + 1] = seq[target:t].copy()
        else:
            seq[t:target] = seq[t + 1 : target + 1].copy()
        seq[target] = i
        return True

    def _pair_matrix(self, r):
        """``cost[i, j]``: the cost of the lines of the row's ``i``-th and ``j``-th
        blocks between each other when block ``i`` is left of block ``j``."""
        pos = self.pos
        blocks = self.rows[r]
        total = None
        for other, every, heavy in (
            (r - 1, self.block_up, self.block_up_heavy),
            (r + 1, self.block_down, self.block_down_heavy),
        ):
            if not 0 <= other < len(self.rows):
                continue
            # Without a step- or foster link here, every line is a line of descent.
            plain = all(len(heavy[b]) == len(every[b]) for b in blocks)
            sides = [(every, _HEAVY + 1)] if plain else [(every, _HEAVY), (heavy, 1)]
            for side, weight in sides:
                rows_i = [i for i, b in enumerate(blocks) for _ in side[b]]
                if not rows_i:
                    continue
                cols = [pos[nb] for b in blocks for nb in side[b]]
                ends = np.zeros((len(blocks), self.row_len[other]))
                np.add.at(ends, (rows_i, cols), 1.0)
                below = np.cumsum(ends, axis=1) - ends  # ends left of each column
                # part[i, j]: over the ends x of block i, the ends of block j left of x.
                has, starts = np.unique(rows_i, return_index=True)
                part = np.zeros((len(blocks), len(blocks)))
                part[has] = np.add.reduceat(below[:, cols], starts, axis=1).T
                total = part * weight if total is None else total + part * weight
        return total

    def _pair_cost(self, a, b):
        """The cost of the lines of ``a`` and ``b`` between them: ``a`` left, and swapped."""
        pos = self.pos
        keep = swap = 0
        for every, heavy in (
            (self.block_up, self.block_up_heavy),
            (self.block_down, self.block_down_heavy),
        ):
            left, right = every[a], every[b]
            if not left or not right:
                continue
            if len(left) == 1 and len(right) == 1:
                p, q = pos[left[0]], pos[right[0]]
                if p != q:
                    cost = _HEAVY + (bool(heavy[a]) and bool(heavy[b]))
                    if p > q:
                        keep += cost
                    else:
                        swap += cost
                continue
            k, s = _between(pos, left, right)
            keep += _HEAVY * k
            swap += _HEAVY * s
            if heavy[a] and heavy[b]:
                k, s = _between(pos, heavy[a], heavy[b])
                keep += k
                swap += s
        return keep, swap

    def _flip_gain(self, b):
        """The cost saved by mirroring the couple block ``b``.

        Only a plain couple is mirrored, and only when that strictly saves crossings: the
        convention (male left) gives way to a drawing without a crossing. A person with
        several partners keeps their chronological order.
        """
        items = self.block_items[b]
        pos = self.pos
        gain = 0
        for every, heavy in ((self.up, self.up_heavy), (self.down, self.down_heavy)):
            ends = [
                (i, pos[nb], nb in heavy[item])
                for i, item in enumerate(items)
                for nb in every[item]
            ]
            for x, (i, p, h) in enumerate(ends):
                for j, q, g in ends[x + 1 :]:
                    if i != j and p != q:
                        cost = _HEAVY + (h and g)
                        gain += cost if p > q else -cost
        return gain


def _spans(k):
    """The runs of a sibship of ``k`` that move as one: all of it, then ever shorter
    heads (the eldest) and tails (the youngest). Inner runs seldom pay for their time."""
    return [(0, k)] + [(0, i) for i in range(k - 1, 1, -1)] + [(i, k) for i in range(1, k - 1)]


def _sift_group(group, seq, place, cost, before, after):
    """Move a run of a sibship (local indices ``group``, in birth order) side by side to
    the place in ``seq`` where its lines cross the fewest others; True when that saves."""
    inside = np.zeros(len(seq), dtype=bool)
    inside[group] = True
    rest = seq[~inside[seq]]
    at = np.empty(len(seq), dtype=int)
    at[rest] = np.arange(len(rest))
    # The siblings before and after the run, and the spouses' own siblings, stay put.
    lo = max((at[a] + 1 for g in group for a in before[g] if not inside[a]), default=0)
    hi = min((at[c] for g in group for c in after[g] if not inside[c]), default=len(rest))
    if lo > hi:
        return False
    columns = cost[:, group]
    left_of = columns[rest]  # a block of the rest left of a member
    right_of = cost[group][:, rest].T  # ... and right of it
    among = columns[group]
    where = place[group]
    is_left = place[rest][:, None] < where
    now = np.where(is_left, left_of, right_of).sum() + among[where[:, None] < where].sum()
    prefix = np.concatenate(([0.0], np.cumsum(left_of.sum(1))))
    right = right_of.sum(1)
    suffix = right.sum() - np.concatenate(([0.0], np.cumsum(right)))
    upper = np.arange(len(group))
    new = (prefix + suffix)[lo : hi + 1] + among[upper[:, None] < upper].sum()
    k = int(np.argmin(new))
    if new[k] >= now:
        return False
    p = lo + k
    seq[:] = np.concatenate((rest[:p], group, rest[p:]))
    return True


def _inversions(values):
    """Pairs ``i < j`` with ``values[i] > values[j]``."""
    seen = []
    count = 0
    for v in values:
        count += len(seen) - bisect.bisect_right(seen, v)
        bisect.insort(seen, v)
    return count


def _between(pos, left, right):
    """Crossings of the lines to ``left`` and ``right`` items: as they are, and swapped."""
    others = sorted(pos[n] for n in right)
    keep = swap = 0
    for n in left:
        value = pos[n]
        keep += bisect.bisect_left(others, value)
        swap += len(others) - bisect.bisect_right(others, value)
    return keep, swap


# --------------------------------------------------------------------------- x positions


def _footprints(ordering):
    """Half the room of every item on its row: a person's footprint (symbol or label,
    whichever is wider) plus half of ``LABEL_GAP``; a union is a point; a dummy a line."""
    half = ordering.fam.half
    return {
        item: half[item] + LABEL_GAP / 2 if k == "person" else _HALF[k]
        for item, k in ordering.kind.items()
    }


def _separation(half, a, b):
    return max(half[a] + half[b], _MIN_SEP)


def _positions(ordering):
    """x of every item.

    Persons and unions take their x from one linear program: the order of each row is
    kept with the minimum separation between neighbours; a union sits midway between
    its two partners when they are neighbours; the objective weighs how far each union is
    from the centre of its sibship, a heavy penalty when it is not above its sibship
    line at all, the length of couple lines (partners close, but a couple may part to
    make room for the children below), bends in long lines, and the width of every
    row. Dummies take no variable there, only their room between the items, and are then
    put as near the straight course of their line as that room allows (a bounded
    isotonic regression per row).
    """
    kind = ordering.kind
    pos = ordering.pos
    half = _footprints(ordering)
    solid = [item for item, k in kind.items() if k != "dummy"]
    var = {item: i for i, item in enumerate(solid)}
    n_items = len(solid)

    terms = []  # (weight, {var: coefficient}, constant): weight * |sum c x + constant|
    hinges = []  # (weight, [(coefs, const), ...]): weight * max(0, each)

    def expr(*parts):
        coefs = {}
        for factor, item in parts:
            coefs[var[item]] = coefs.get(var[item], 0.0) + factor
        return {v: c for v, c in coefs.items() if c}, 0.0

    sibships = {}
    for key, line_kind, path in ordering.lines:
        source, target = path[0], path[-1]
        if len(path) > 2:
            terms.append((_W_STRAIGHT, *expr((1, source), (-1, target))))
        elif line_kind == "child":
            sibships.setdefault(key[0], (source, []))[1].append(target)
        else:
            terms.append((_W_LINK, *expr((1, source), (-1, target))))
    reach = _HALF["person"]
    for source, children in sibships.values():
        lo = min(children, key=pos.get)
        hi = max(children, key=pos.get)
        terms.append((_W_CENTRE, *expr((1, source), (-0.5, lo), (-0.5, hi))))
        if lo != hi:
            terms.append((_W_SIBSHIP, *expr((1, hi), (-1, lo))))
        left_of = expr((1, source), (-1, hi))
        right_of = expr((-1, source), (1, lo))
        hinges.append((_W_UNDER, [(left_of[0], -reach), (right_of[0], -reach)]))

    n_vars = n_items + len(terms) + len(hinges)
    cost = np.zeros(n_vars)
    cost[:n_items] = _W_LEFT
    rows_i, cols_i, vals, rhs = [], [], [], []
    eq_rows, eq_cols, eq_vals = [], [], []
    k = 0

    def constraint(coefs, bound, extra=()):
        nonlocal k
        for col, c in (*coefs.items(), *extra):
            rows_i.append(k)
            cols_i.append(col)
            vals.append(c)
        rhs.append(bound)
        k += 1

    items_of = ordering.block_items
    for r_blocks in ordering.rows:
        row_items = [item for b in r_blocks for item in items_of[b]]
        previous, gap, first, last = None, 0.0, None, None
        for item in row_items:
            if previous is not None:
                gap += _separation(half, previous, item)
            if item in var:
                if first is None:
                    first = item
                elif gap:
                    constraint({var[last]: 1.0, var[item]: -1.0}, -gap)
                last, gap = item, 0.0
            previous = item
        if first is not None and last != first:
            cost[var[last]] += _W_ROW_WIDTH
            cost[var[first]] -= _W_ROW_WIDTH
    n_eq = 0
    for u in ordering.fam.couples:
        a, b = sorted(ordering.fam.partners[u], key=pos.get)
        if ordering.item_row[a] != ordering.item_row[b]:
            continue
        cost[var[b]] += _W_COUPLE
        cost[var[a]] -= _W_COUPLE
        if pos[a] + 1 == pos[u] == pos[b] - 1:  # neighbours: the union midway
            for col, c in ((var[u], 1.0), (var[a], -0.5), (var[b], -0.5)):
                eq_rows.append(n_eq)
                eq_cols.append(col)
                eq_vals.append(c)
            n_eq += 1
    t = n_items
    for weight, coefs, const in terms:
        cost[t] = weight
        constraint(coefs, -const, [(t, -1.0)])
        constraint({v: -c for v, c in coefs.items()}, const, [(t, -1.0)])
        t += 1
    for weight, parts in hinges:
        cost[t] = weight
        for coefs, const in parts:
            constraint(coefs, -const, [(t, -1.0)])
        t += 1

    x = {}
    if k or n_eq:
        matrix = coo_matrix((vals, (rows_i, cols_i)), shape=(k, n_vars)).tocsr()
        equal = None
        if n_eq:
            equal = coo_matrix((eq_vals, (eq_rows, eq_cols)), shape=(n_eq, n_vars)).tocsr()
        result = linprog(
            cost,
            A_ub=matrix if k else None,
            b_ub=np.array(rhs) if k else None,
            A_eq=equal,
            b_eq=np.zeros(n_eq) if n_eq else None,
            bounds=(0, None),
            method="highs",
        )
        if result.status == 0:
            x = {item: round(float(result.x[var[item]]), 3) for item in solid}
    if not x:  # nothing to optimise, or the solver gave up: pack left
        for r_blocks in ordering.rows:
            at, previous = 0.0, None
            for b in r_blocks:
                for item in items_of[b]:
                    if previous is not None:
                        at += _separation(half, previous, item)
                    x[item] = at
                    previous = item
    else:
        _place_dummies(ordering, x, half)
    return {item: round(value, 2) for item, value in x.items()}


def _place_dummies(ordering, x, half):
    """Each run of dummies between two placed items: near their lines' straight course."""
    kind, items_of = ordering.kind, ordering.block_items
    wanted = {}
    for _, _, path in ordering.lines:
        if len(path) < 3:
            continue
        source, target = path[0], path[-1]
        top, bottom = ordering.item_row[source], ordering.item_row[target]
        for d in path[1:-1]:
            share = (ordering.item_row[d] - top) / (bottom - top)
            wanted[d] = x[source] + (x[target] - x[source]) * share
    for r_blocks in ordering.rows:
        row_items = [item for b in r_blocks for item in items_of[b]]
        run, before = [], None
        for item in [*row_items, None]:
            if item is not None and kind[item] == "dummy":
                run.append(item)
                continue
            if run:
                steps = [0.0]
                for a, c in zip(run, run[1:], strict=False):
                    steps.append(steps[-1] + _separation(half, a, c))
                low = -math.inf
                if before is not None:
                    low = x[before] + _separation(half, before, run[0])
                high = math.inf
                if item is not None:
                    high = x[item] - _separation(half, run[-1], item) - steps[-1]
                fitted = _isotonic(
                    [wanted[d] - step for d, step in zip(run, steps, strict=True)], [1.0] * len(run)
                )
                for d, y, step in zip(run, fitted, steps, strict=True):
                    x[d] = min(max(y, low), high) + step
                run = []
            before = item


# --------------------------------------------------------------------------- ecomap ring


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


def _isotonic(values, weights):
    """Pool adjacent violators: the non-decreasing fit nearest ``values`` (weighted)."""
    pools = []  # [value, weight, count]
    for v, w in zip(values, weights, strict=True):
        pools.append([v, w, 1])
        while len(pools) > 1 and pools[-2][0] > pools[-1][0]:
            v2, w2, n2 = pools.pop()
            v1, w1, n1 = pools[-1]
            pools[-1] = [(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, n1 + n2]
    out = []
    for v, _, n in pools:
        out.extend([v] * n)
    return out


def _place_members(fam, positions, box):
    """Members on the ring around ``box``; returns (positions, ring) or ({}, None).

    Informal members on one half of the ring, formal ones on the other: of the four
    ways to split (left/right either way round, top/bottom either way round) the one
    with the shortest ties wins, the split across the family's long side first on a tie.
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
            placed.update(_place_on_half(fam, positions, group, ring, start * ring.length))
        length = sum(math.dist(placed[m], positions[p]) for m in members for p in fam.ties[m])
        if best is None or length < best[0] - 1e-6:
            best = (length, placed)
    outline = {
        "x0": ring.x0, "y0": ring.y0, "x1": ring.x1, "y1": ring.y1, "radius": ring.radius,
    }  # fmt: skip
    return best[1], outline


def _place_on_half(fam, positions, group, ring, start):
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
        if tied:
            cx = sum(x for x, _ in tied) / len(tied)
            cy = sum(y for _, y in tied) / len(tied)
            s = min(grid, key=lambda g: ((g[1][0] - cx) ** 2 + (g[1][1] - cy) ** 2, g[0]))[0]
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
    fitted = _isotonic(
        [s - off for (s, _, _), off in zip(desired, offsets, strict=True)], [1.0] * n
    )
    return {
        m: ring.point(start + min(max(fitted[i], lo), top) + offsets[i])
        for i, (_, _, m) in enumerate(desired)
    }


def _member_room(fam, m):
    """The length of ring a member takes: wide enough for its label where the ring runs
    across, tall enough for its box and two text lines where it runs down."""
    return max(MEMBER_SPACING, 2 * fam.member_half[m], MEMBER_ABOVE + MEMBER_BELOW) + MEMBER_GAP


# --------------------------------------------------------------------------- entry point


def layout_genogram(graph):
    """The :class:`Layout` of a genogram graph (see the module docstring)."""
    fam = _Family(graph)
    if not fam.persons:
        members, ring = _place_members(fam, {}, (0.0, 0.0, 0.0, 0.0))
        return _finish({}, members, ring, {}, [], {}, (0.0, 0.0, 0.0, 0.0))
    prow = _assign_rows(fam)
    ordering = _Ordering(fam, prow)
    ordering.minimise()
    xs = _positions(ordering)

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
    members, ring = _place_members(fam, positions, box)
    return _finish(positions, members, ring, row, rows, bends, box)


def _finish(positions, members, ring, row, rows, bends, box):
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


# --------------------------------------------------------------------------- measures


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
