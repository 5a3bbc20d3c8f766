"""Step 3, order: the crossing minimisation (sweeps, transpositions, sifting, kicks)."""

import bisect
import heapq
import random

import numpy as np

from genogram.layout.blocks import row_blocks
from genogram.layout.isotonic import isotonic
from genogram.layout.sibships import partners_outside

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
_HEAVY = 1 << 20  # the cost of a crossing (see Ordering)
_MANY_STARTS_UP_TO = 80  # items: case families get many starting orders
_SHUFFLES = 8
_TWO_STARTS_UP_TO = 1500


class Ordering:
    """Rows of blocks, lines through dummies, and the crossing minimisation on them.

    The cost of an order is its number of crossings times ``_HEAVY`` plus the number of
    those between two lines of descent (not a step- or foster parent's link): the fewest
    crossings first, and among equal counts the one whose crossings are on the dashed
    lines.
    """

    def __init__(self, fam, prow, remembered=None):
        blocks, urow = row_blocks(fam, prow)
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
        self.remembered_at = _remembered_places(remembered, self.kind)
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
            if b in self.fixed or sum(1 for i in items if self.kind[i] == "person") != 2:
                continue
            if any(sum(1 for i in items if side[i]) > 1 for side in (up, down)):
                self.couple_blocks.add(b)
        self.first_item = [items[0] for items in self.block_items]
        self.memory_chains = [[] for _ in self.rows]
        if self.remembered_at:
            self._keep_remembered()
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
        self.fixed = set()  # blocks whose side the sibship rule decides: never mirrored
        # A partner with brothers or sisters on the row brings them along (they stand
        # beside the partner): outside, such a partner counts twice. (Counting the whole
        # family, kennedy gains as much but royal92 ends 400 crossings higher.)
        self.weight = {}
        for u in self.fam.unions:
            kids = self.fam.children[u]
            for c in kids:
                self.weight[c] = 1 + any(k != c and self.prow[k] == self.prow[c] for k in kids)
        for u in self.fam.unions:
            by_row = {}
            for c in self.fam.children[u]:
                seq = by_row.setdefault(self.prow[c], [])
                if block_of[c] not in seq:
                    seq.append(block_of[c])
            for r, seq in by_row.items():
                if len(seq) > 1:
                    seq = self._partners_outside(seq, set(self.fam.children[u]))
                    self.chains[r].append(seq)
                self._precede(seq)

    # -- memory: the previous drawing's order, kept as constraints (genogram.layout.memory)

    def _keep_remembered(self):
        """The persons of the previous drawing keep their left-to-right order per row.

        ``remembered_at``: each remembered person's previous row and place. On each row the
        blocks holding remembered persons get precedences in that order, as birth order
        does; where an edit contradicts the memory (new birth-order facts, a person on
        another row) the memory gives way, deterministically: the chain is the order a
        priority topological sort by the remembered places gives under the constraints
        already there (the blocks without a memory first, so they hold nothing back).
        """
        where = self.remembered_at
        for r, blocks in enumerate(self.rows):
            ranks = {}  # previous row -> {block: its first remembered place}
            for b in blocks:
                for item in self.block_items[b]:
                    if item in where:
                        old_row, i = where[item]
                        rank = ranks.setdefault(old_row, {})
                        rank[b] = min(rank.get(b, i), i)
            for old_row in sorted(ranks):
                rank = ranks[old_row]
                key = {b: (1, rank[b]) if b in rank else (0, i) for i, b in enumerate(blocks)}
                chain = [b for b in self._constrained(blocks, key) if b in rank]
                self.memory_chains[r].append(chain)
                self._precede(chain)
        # Partners keep their sides: a block mirrored before (or a person with a new
        # partner, whose block is arranged anew) is mirrored where that keeps more
        # remembered pairs in order; a remembered couple is mirrored no more.
        for b in range(len(self.block_items)):
            if b in self.fixed:  # the sibship rule put this partner outside: it stays there
                continue
            if self._keep_sides(b):
                self.first_item[b] = self.block_items[b][0]
                self.couple_blocks.discard(b)

    def _partners_outside(self, seq, own):
        """The sibship ``seq`` (blocks in birth order) with a married sibling at each end,
        their partners outside (see genogram.layout.sibships); those blocks get fixed."""
        sides = []
        for b in seq:
            # A couple drawn before keeps its sides: the sibling then moves to the end
            # rather than the couple being mirrored under the eyes of the table.
            if self._keep_sides(b):
                self.fixed.add(b)
            persons = [i for i in self.block_items[b] if self.kind[i] == "person"]
            at = next(i for i, p in enumerate(persons) if p in own)
            left = sum(self.weight.get(p, 1) for p in persons[:at] if p not in own)
            right = sum(self.weight.get(p, 1) for p in persons[at + 1 :] if p not in own)
            sides.append((left, right, len(persons) == 2 and b not in self.fixed))
        order, mirror = partners_outside(sides)
        for i in mirror:
            self.block_items[seq[i]].reverse()
        for i in (order[0], order[-1]):
            if sides[i][0] or sides[i][1]:
                self.fixed.add(seq[i])
        return [seq[i] for i in order]

    def _precede(self, chain):
        """Each block of ``chain`` must come before the next one: a precedence pair."""
        for a, b in zip(chain, chain[1:], strict=False):
            if (a, b) not in self.pairs:
                self.pairs.add((a, b))
                self.after.setdefault(a, []).append(b)
                self.before.setdefault(b, []).append(a)

    def _keep_sides(self, b):
        """Orient block ``b`` as remembered; True when the memory decided its sides."""
        known = [self.remembered_at[i] for i in self.block_items[b] if i in self.remembered_at]
        pairs = [(x, y) for n, x in enumerate(known) for y in known[n + 1 :] if x[0] == y[0]]
        if not pairs:
            return False
        if 2 * sum(1 for x, y in pairs if x[1] > y[1]) > len(pairs):
            self.block_items[b].reverse()
        return True

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
        for chain in self.chains[r] + self.memory_chains[r]:
            fitted = isotonic([value[b] for b in chain], [weight[b] for b in chain])
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
        """Sort by ``key`` as far as the birth-order precedences allow.

        A priority topological sort, by hand: contradictory precedences must give way
        (networkx's ``lexicographical_topological_sort`` raises on them), and it runs
        for every row of every sweep."""
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
        for r in range(len(self.rows)):
            self._clear_sibships(r)
        return self.cost()

    def _clear_sibships(self, r):
        """Blocks standing between siblings they are not part of step out past the end
        of the sibship that costs least, where that adds no crossing and birth order
        allows (the last step of the ordering: the sweeps and sifting only count
        crossings, and a block with no line up, or one whose lines cross nothing either
        way, may stay under a foreign sibling bar).

        Moving a block past others changes only the crossings between their lines, so
        the cost of a move is the sum of the pair costs of the blocks it jumps."""
        row = self.rows[r]
        moved = False
        for chain in self.chains[r]:
            members = set(chain)
            at = [i for i, b in enumerate(row) if b in members]
            first, last = at[0], at[-1]
            i = first + 1
            while i < last:
                x = row[i]
                if x in members:
                    i += 1
                    continue
                left, right = row[first:i], row[i + 1 : last + 1]
                options = []
                if not any((b, x) in self.pairs for b in left):
                    options.append((self._jump_cost(x, left, True), len(left), first))
                if not any((x, b) in self.pairs for b in right):
                    options.append((self._jump_cost(x, right, False), len(right), last))
                cost, _, to = min(options, default=(1, 0, i))
                if cost > 0:
                    i += 1
                    continue
                row.insert(to, row.pop(i))
                moved = True
                if to < i:  # out on the left: the sibship starts one later
                    first += 1
                    i += 1
                else:  # out on the right: the block now at i is the next one
                    last -= 1
        if moved:
            self._renumber(r)
        return moved

    def _jump_cost(self, x, blocks, leftwards):
        """What moving block ``x`` past ``blocks`` (to their left or right) costs."""
        total = 0
        for b in blocks:
            keep, swap = self._pair_cost(b, x) if leftwards else self._pair_cost(x, b)
            total += swap - keep
        return total

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


def _remembered_places(remembered, known):
    """``{person: (previous row, place in it)}`` for the remembered persons still here."""
    where = {}
    for old_row, persons in enumerate(remembered or ()):
        for i, p in enumerate(persons):
            if p in known:
                where[p] = (old_row, i)
    return where
