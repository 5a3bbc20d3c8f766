"""Routes for the lines that do not follow the family's rows: emotional lines, ecomap
ties and step- or foster-parent links. Pure: no Flask, no database.

A line may not pass through anybody's label nor through a symbol that is not one of its
own ends (:mod:`genogram.collisions` measures it). The router rasterises the symbols
and the labels (padded by ``CLEARANCE``) into a grid of ``CELL``-sized cells, finds the
shortest free path between the ends with SciPy's Dijkstra on a window around them, and
pulls the path tight (a bend only where an obstacle needs one). A line attaches to a
symbol at its top or its sides, never below it, where the symbol's own label is.
``offset`` keeps a line a few pixels beside the straight course (emotional lines beside
the parent-child line they would otherwise cover).

Cost: one boolean grid per drawing (numpy), and per line a sparse graph of its window
only, so a 200-person family with a dozen ties stays within a few milliseconds a line.
"""

import math

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from genogram.labels import (
    CHAR_WIDTH,
    LINE_GAP,
    MEMBER_BOX,
    MEMBER_TEXT,
    SYMBOL,
    member_lines,
    person_lines,
)

HALF = SYMBOL / 2
CELL = 8  # grid resolution in user units
CLEARANCE = 12  # room kept around symbols and labels (a zigzag swings 6 aside, the grid errs 4)
WINDOW = 240  # the search window reaches this far beyond the two ends
MAX_CELLS = 12_000  # a larger window is searched on a coarser grid
INK_REACH = 6.5  # how far a zigzag or wave swings aside, and a little more
MIN_CELLS = 400  # a coarser grid than this is not tried
STUB = HALF + CLEARANCE + CELL  # a port lies this far out from a symbol's centre
ASCENT, DESCENT = 0.8, 0.25


def person_text_top(data, y):
    """The y where the text under a person's symbol starts (below the couple line)."""
    return y + HALF + (12 if data.get("deceased") else 8)


def person_label_box(data, x, y, this_year=None):
    """(x0, y0, x1, y1) around the text lines under a person's symbol, as drawn."""
    lines = person_lines(data, this_year)
    first = person_text_top(data, y) + 14
    return _text_box(lines, x, first)


def member_label_box(data, x, y):
    return _text_box(member_lines(data), x, y + HALF + MEMBER_TEXT)


def _text_box(lines, x, first_baseline):
    width = max(len(t) * size * CHAR_WIDTH for t, size, _ in lines)
    last = first_baseline + (len(lines) - 1) * LINE_GAP
    return (
        x - width / 2,
        first_baseline - ASCENT * lines[0][1],
        x + width / 2,
        last + DESCENT * lines[-1][1],
    )


class Router:
    """Free paths through one drawing: built once, asked for every routed line."""

    def __init__(self, graph, layout, this_year=None):
        pos = layout.positions
        self.symbol = {}
        boxes = []
        for node, data in graph.nodes(data=True):
            if data["kind"] == "person":
                x, y = pos[node]
                self.symbol[node] = (x - HALF, y - HALF, x + HALF, y + HALF)
                boxes.append(person_label_box(data, x, y, this_year))
            elif data["kind"] == "member" and node in pos:
                x, y = pos[node]
                self.symbol[node] = (
                    x - MEMBER_BOX / 2,
                    y - HALF + 4,
                    x + MEMBER_BOX / 2,
                    y + HALF - 4,
                )
                boxes.append(member_label_box(data, x, y))
        boxes += self.symbol.values()
        self.boxes = boxes
        every = [v for b in boxes for v in b] or [0.0, 0.0, 0.0, 0.0]
        self.x0 = min(every[0::2]) - WINDOW
        self.y0 = min(every[1::2]) - WINDOW
        self.x1 = max(every[0::2]) + WINDOW
        self.y1 = max(every[1::2]) + WINDOW
        self._grids = {}
        self._buckets = None

    # ------------------------------------------------------------------ grid
    def _grid(self, cell):
        """The blocked cells at resolution ``cell`` (width, height)."""
        if cell in self._grids:
            return self._grids[cell]
        cols = int((self.x1 - self.x0) / cell[0]) + 1
        rows = int((self.y1 - self.y0) / cell[1]) + 1
        blocked = np.zeros((rows, cols), dtype=bool)
        for box in self.boxes:
            i0, j0, i1, j1 = self._cells(box, cell, CLEARANCE)
            blocked[i0:i1, j0:j1] = True
        self._grids[cell] = blocked
        return blocked

    def _cells(self, box, cell, pad):
        # The cells whose centres lie in the padded box (cell k's centre: origin + k cell).
        x0, y0, x1, y1 = box
        cw, ch = cell
        return (
            max(0, math.ceil((y0 - pad - self.y0) / ch)),
            max(0, math.ceil((x0 - pad - self.x0) / cw)),
            math.floor((y1 + pad - self.y0) / ch) + 1,
            math.floor((x1 + pad - self.x0) / cw) + 1,
        )

    # ------------------------------------------------------------------ routing
    def ports(self, node, pos):
        """Where a line may leave ``node``: above it and at its sides (the label is
        below); each as (point on the symbol, point out in the free)."""
        x, y = pos
        x0, y0, x1, y1 = self.symbol[node]
        out = STUB - HALF
        return [
            ((x, y0), (x, y0 - out)),
            ((x0, y), (x0 - out, y)),
            ((x1, y), (x1 + out, y)),
        ]

    def route(self, a, b, pa, pb):
        """The points of a free line from node ``a`` (at ``pa``) to node ``b`` (at
        ``pb``), from symbol edge to symbol edge; None when no free path is found."""
        ports_a, ports_b = self.ports(a, pa), self.ports(b, pb)
        straight = min(
            ((sa, sb) for sa, _ in ports_a for sb, _ in ports_b),
            key=lambda pair: math.dist(*pair),
        )
        if self.free(*straight, ignore=(a, b)):
            return list(straight)
        lo_x = min(pa[0], pb[0]) - WINDOW
        hi_x = max(pa[0], pb[0]) + WINDOW
        lo_y = min(pa[1], pb[1]) - WINDOW
        hi_y = max(pa[1], pb[1]) + WINDOW
        ends = (a, b)
        for window in ((lo_x, lo_y, hi_x, hi_y), (self.x0, self.y0, self.x1, self.y1)):
            for cell in _resolutions(window):
                path = self._search(window, cell, ports_a, ports_b, ends)
                if path is not None and all(
                    self.free(p, q, ends, pad=INK_REACH)
                    for p, q in zip(path, path[1:], strict=False)
                ):
                    return path
        return None

    def _search(self, window, cell, ports_a, ports_b, ends):
        wx0, wy0, wx1, wy1 = window
        blocked = self._grid(cell)
        cw, ch = cell
        j0 = max(0, int((wx0 - self.x0) / cw))
        i0 = max(0, int((wy0 - self.y0) / ch))
        j1 = min(blocked.shape[1], int((wx1 - self.x0) / cw) + 1)
        i1 = min(blocked.shape[0], int((wy1 - self.y0) / ch) + 1)
        free = ~blocked[i0:i1, j0:j1]
        rows, cols = free.shape
        if rows < 2 or cols < 2:
            return None

        def index(point):
            # The free cell nearest the point (a port may round into an obstacle's pad).
            ci = (point[1] - self.y0) / ch - i0
            cj = (point[0] - self.x0) / cw - j0
            near = [
                ((i - ci) ** 2 + (j - cj) ** 2, i, j)
                for i in (math.floor(ci), math.ceil(ci))
                for j in (math.floor(cj), math.ceil(cj))
                if 0 <= i < rows and 0 <= j < cols and free[i, j]
            ]
            if not near:
                return None
            _, i, j = min(near)
            return i * cols + j

        def centre(k):
            i, j = divmod(k, cols)
            return (self.x0 + (j + j0) * cw, self.y0 + (i + i0) * ch)

        starts = {index(out): (edge, out) for edge, out in ports_a}
        goals = {index(out): (edge, out) for edge, out in ports_b}
        starts.pop(None, None)
        goals.pop(None, None)
        if not starts or not goals:
            return None
        matrix = _grid_graph(free, cell)
        dist, pred, source = dijkstra(
            matrix, indices=list(starts), min_only=True, return_predecessors=True
        )
        goal = min(goals, key=lambda k: dist[k])
        if not np.isfinite(dist[goal]):
            return None
        cells = [goal]
        while pred[cells[-1]] >= 0:
            cells.append(int(pred[cells[-1]]))
        cells.reverse()
        start_edge, start_out = starts[cells[0]]
        goal_edge, goal_out = goals[goal]
        inner = [centre(k) for k in _corners(cells, cols)[1:-1]]
        points = [start_edge, start_out, *inner, goal_out, goal_edge]
        return self._pull_tight(points, ends)

    def _pull_tight(self, points, ends):
        """Drop every bend an obstacle does not need (greedy: farthest free point)."""
        out = [points[0]]
        i = 0
        while i < len(points) - 1:
            j = i + 1
            while j + 1 < len(points) and self.free(points[i], points[j + 1], ignore=ends):
                j += 1
            out.append(points[j])
            i = j
        return out

    def free(self, p, q, ignore=(), pad=None):
        """Whether the segment p-q keeps ``CLEARANCE`` from every label and from every
        symbol but those of ``ignore`` (its own ends, where it attaches)."""
        own = {self.symbol[n] for n in ignore if n in self.symbol}
        pad = CLEARANCE if pad is None else pad
        for k in self._near(p, q):
            box = self.boxes[k]
            if box in own:
                continue
            x0, y0, x1, y1 = box
            if _clips(p, q, (x0 - pad, y0 - pad, x1 + pad, y1 + pad)):
                return False
        return True

    def _near(self, p, q):
        if self._buckets is None:
            self._buckets = {}
            for k, box in enumerate(self.boxes):
                for key in _keys(box, CLEARANCE):
                    self._buckets.setdefault(key, []).append(k)
        box = (min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
        seen = set()
        for key in _keys(box, 0):
            for k in self._buckets.get(key, ()):
                if k not in seen:
                    seen.add(k)
                    yield k


BUCKET = 160


def _keys(box, pad):
    x0, y0, x1, y1 = (
        math.floor(v / BUCKET) for v in (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
    )
    return ((i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1))


def _clips(p, q, box):
    """Liang-Barsky: whether the segment p-q meets the open box."""
    left, top, right, bottom = box
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for d, r in ((-dx, p[0] - left), (dx, right - p[0]), (-dy, p[1] - top), (dy, bottom - p[1])):
        if d == 0:
            if r <= 0:
                return False
            continue
        t = r / d
        if d < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return True


def _cells_in(window, cell):
    return ((window[2] - window[0]) / cell[0]) * ((window[3] - window[1]) / cell[1])


def _resolutions(window):
    """The grids to search, coarse first (cheap, enough around the family), then finer
    where that fails. Cells stay ``CELL`` high while they can: the free corridors between
    rows run across, and a coarse height would close them."""
    for height in (CELL, 2 * CELL, 4 * CELL):
        widths = (8 * CELL, 4 * CELL, 2 * CELL, CELL)
        fitting = [(w, height) for w in widths if _cells_in(window, (w, height)) <= MAX_CELLS]
        # Too coarse to be worth a try: a window only a few cells across.
        fitting = [c for c in fitting if _cells_in(window, c) >= MIN_CELLS] or fitting[-1:]
        if fitting:
            return fitting
    return [(8 * CELL, 8 * CELL)]


def _corners(cells, cols):
    """The cells of a path where it changes direction (and its two ends)."""
    if len(cells) < 3:
        return cells
    out = [cells[0]]
    for before, here, after in zip(cells, cells[1:], cells[2:], strict=False):
        if here - before != after - here:
            out.append(here)
    out.append(cells[-1])
    return out


def _grid_graph(free, cell):
    """The 8-neighbour graph of the free cells, weighted by the distance."""
    rows, cols = free.shape
    cw, ch = cell
    ids = np.arange(rows * cols).reshape(rows, cols)
    sources, targets, weights = [], [], []
    for di, dj, w in (
        (0, 1, cw),
        (1, 0, ch),
        (1, 1, math.hypot(cw, ch)),
        (1, -1, math.hypot(cw, ch)),
    ):
        ja, jb = (
            (slice(0, cols - dj), slice(dj, cols))
            if dj >= 0
            else (slice(1, cols), slice(0, cols - 1))
        )
        ok = free[: rows - di, ja] & free[di:, jb]
        ia = ids[: rows - di, ja][ok]
        ib = ids[di:, jb][ok]
        sources += [ia, ib]
        targets += [ib, ia]
        weights += [np.full(ia.size, w)] * 2
    s = np.concatenate(sources)
    t = np.concatenate(targets)
    return coo_matrix((np.concatenate(weights), (s, t)), shape=(rows * cols,) * 2).tocsr()
