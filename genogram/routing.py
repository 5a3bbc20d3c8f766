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
    MEMBER_BOX,
    MEMBER_TEXT_TOP,
    SYMBOL,
    TEXT_TOP,
    line_width,
    member_lines,
    person_lines,
    text_height,
)

HALF = SYMBOL / 2
CELL = 8  # grid resolution in user units
CLEARANCE = 12  # room kept around symbols and labels (a zigzag swings 6 aside, the grid errs 4)
WINDOW = 240  # the search window reaches this far beyond the two ends
MAX_CELLS = 12_000  # a larger window is searched on a coarser grid
INK_REACH = 6.5  # how far a zigzag or wave swings aside, and a little more
BENDS = (24, 48, 80, 120, 170, 240)  # how far an arc may swing off its chord, tried in turn
ARC_STEPS = 12  # segments of a drawn arc
HUG = 10  # the longest stretch an arc may stay within ALONG of a family line (its ink swings 6)
MIN_CELLS = 400  # a coarser grid than this is not tried
TOP_OUT = 26  # a port above a symbol lies this far above its top
TOP_SHIFT = 10  # a line attaches this far beside the top's centre
ALONG = 9  # closer than this to a family line, and parallel, a line runs along it
# (its ink swings up to 6 aside: the double line of 'close', a zigzag)
PARALLEL = 0.4  # the sine of the widest angle at which a line still runs along another
LANE = ALONG  # a path on the grid takes no step along a family line this close to it
STUB = HALF + CLEARANCE + CELL  # a port lies this far out from a symbol's centre


def person_text_top(data, y):
    """The y where the text under a person's symbol starts (below the couple line)."""
    return y + HALF + TEXT_TOP + (4 if data.get("deceased") else 0)


def person_label_box(data, x, y, this_year=None):
    """(x0, y0, x1, y1) around the text lines under a person's symbol, as drawn."""
    return _text_box(person_lines(data, this_year), x, person_text_top(data, y))


def member_label_box(data, x, y):
    return _text_box(member_lines(data), x, y + MEMBER_TEXT_TOP)


def _text_box(lines, x, top):
    width = max(line_width(text, size) for text, size, _ in lines)
    return (x - width / 2, top, x + width / 2, top + text_height(lines))


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
        self.family = []
        self._family_buckets = {}
        self._family_grids = {}
        self._buckets = None

    def add_labels(self, boxes):
        """More text to keep clear of (the households' labels), before any routing."""
        self.boxes = self.boxes + list(boxes)
        self._grids, self._buckets = {}, None

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

    def _family_grid(self, cell):
        """The cells beside the family lines, per direction (0: lines across, 1: lines
        down): a path may cross such a line but not step along it."""
        if cell not in self._family_grids:
            self._family_grids[cell] = np.zeros((2, *self._grid(cell).shape), dtype=bool)
            for segment in self.family:
                self._mark_lane(cell, segment)
        return self._family_grids[cell]

    def _mark_lane(self, cell, segment):
        (ax, ay), (bx, by) = segment
        box = (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        i0, j0, i1, j1 = self._cells(box, cell, LANE)
        lanes = self._family_grids[cell]
        if abs(bx - ax) >= abs(by - ay) / 2:
            lanes[0, i0:i1, j0:j1] = True
        if abs(by - ay) >= abs(bx - ax) / 2:
            lanes[1, i0:i1, j0:j1] = True

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
        # Off the top's centre, where the line from the parents comes in.
        # Above the top, clear of the sibship bar that runs 18 above it.
        ports = [
            ((x - TOP_SHIFT, y0 + 3), (x - TOP_SHIFT, y0 - TOP_OUT)),
            ((x + TOP_SHIFT, y0 + 3), (x + TOP_SHIFT, y0 - TOP_OUT)),
            ((x0, y), (x0 - out, y)),
            ((x1, y), (x1 + out, y)),
        ]
        # A port a family line already uses (a step-parent's line) is not shared.
        return [port for port in ports if not self.runs_along(*port)] or ports

    def route(self, a, b, pa, pb):
        """The points of a free line from node ``a`` (at ``pa``) to node ``b`` (at
        ``pb``), from symbol edge to symbol edge; None when no free path is found."""
        ports_a, ports_b = self.ports(a, pa), self.ports(b, pb)
        straight = min(
            ((sa, sb) for sa, _ in ports_a for sb, _ in ports_b),
            key=lambda pair: math.dist(*pair),
        )
        if self.free(*straight, ignore=(a, b)) and not self.runs_along(*straight):
            return list(straight)
        curve = self._curve((a, b), ports_a, ports_b)
        if curve is not None:
            return curve
        lo_x = min(pa[0], pb[0]) - WINDOW
        hi_x = max(pa[0], pb[0]) + WINDOW
        lo_y = min(pa[1], pb[1]) - WINDOW
        hi_y = max(pa[1], pb[1]) + WINDOW
        ends = (a, b)
        fallback = None  # free of obstacles, but along a family line somewhere
        for window in ((lo_x, lo_y, hi_x, hi_y), (self.x0, self.y0, self.x1, self.y1)):
            for cell in _resolutions(window):
                path = self._search(window, cell, ports_a, ports_b, ends)
                if path is None:
                    continue
                pairs = list(zip(path, path[1:], strict=False))
                if not all(self.free(p, q, ends, pad=INK_REACH) for p, q in pairs):
                    continue
                if not any(self.runs_along(p, q) for p, q in pairs):
                    return path
                fallback = fallback or path
            if fallback:
                return fallback
        # Boxed in by family lines (a narrow gap between rows): along one, then.
        window = (lo_x, lo_y, hi_x, hi_y)
        for cell in _resolutions(window)[-1:]:
            path = self._search(window, cell, ports_a, ports_b, ends, lanes=False)
            if path and all(
                self.free(p, q, ends, pad=INK_REACH) for p, q in zip(path, path[1:], strict=False)
            ):
                return path
        return None

    def _curve(self, ends, ports_a, ports_b):
        """A calm arc around what stands between the two ends: the least bend (to
        either side) whose curve keeps clear of labels, symbols and family lines; None
        when no bend up to ``BENDS[-1]`` is free. Reads far better on a projector than a
        path hugging the family, so it is tried before the grid."""
        for bend in BENDS:
            for sign in (1, -1):
                points = self._arc(ports_a, ports_b, sign * bend)
                pairs = list(zip(points, points[1:], strict=False))
                if all(self.free(p, q, ends, pad=INK_REACH) for p, q in pairs) and not (
                    self._hugs(points)
                ):
                    return points
        return None

    def _hugs(self, points):
        """Whether a curve stays near a family line for more than ``HUG`` (a crossing
        passes it quickly; a shallow one, tangent for a while, reads as running along)."""
        run = 0.0
        for p, q in zip(points, points[1:], strict=False):
            length = math.dist(p, q)
            box = (min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
            keys = {k for key in _keys(box, ALONG) for k in self._family_buckets.get(key, ())}
            near = []
            for k in keys:
                (ax, ay), (bx, by) = self.family[k]
                if (
                    min(ax, bx) - ALONG <= box[2]
                    and max(ax, bx) + ALONG >= box[0]
                    and min(ay, by) - ALONG <= box[3]
                    and max(ay, by) + ALONG >= box[1]
                ):
                    near.append(self.family[k])
            if not near:
                run = 0.0
                continue
            steps = max(1, int(length / 2))
            for k in range(steps):
                t = k / steps
                point = (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)
                if any(_distance(point, a, b) < ALONG for a, b in near):
                    run += length / steps
                    if run > HUG:
                        return True
                else:
                    run = 0.0
        return False

    @staticmethod
    def _arc(ports_a, ports_b, bend):
        """A quadratic curve between the ports nearest its bend, ``bend`` off the chord
        at its middle (a control point twice as far), as ``ARC_STEPS`` segments."""
        (ax, ay), (bx, by) = ports_a[0][0], ports_b[0][0]
        length = math.dist((ax, ay), (bx, by)) or 1.0
        nx, ny = -(by - ay) / length, (bx - ax) / length
        control = ((ax + bx) / 2 + 2 * bend * nx, (ay + by) / 2 + 2 * bend * ny)
        start = min(ports_a, key=lambda port: math.dist(port[1], control))[0]
        end = min(ports_b, key=lambda port: math.dist(port[1], control))[0]
        out = []
        for i in range(ARC_STEPS + 1):
            t = i / ARC_STEPS
            u = 1 - t
            out.append(
                (
                    u * u * start[0] + 2 * u * t * control[0] + t * t * end[0],
                    u * u * start[1] + 2 * u * t * control[1] + t * t * end[1],
                )
            )
        return out

    def _search(self, window, cell, ports_a, ports_b, ends, lanes=True):
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
        on_line = self._family_grid(cell)[:, i0:i1, j0:j1]
        if not lanes:
            on_line = np.zeros_like(on_line)
        matrix = _grid_graph(free, cell, on_line)
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
            while (
                j + 1 < len(points)
                and self.free(points[i], points[j + 1], ignore=ends)
                and not self.runs_along(points[i], points[j + 1])
            ):
                j += 1
            out.append(points[j])
            i = j
        return out

    def add_family_line(self, points):
        """A drawn family line: routed lines cross it but do not run along it."""
        for p, q in zip(points, points[1:], strict=False):
            box = (min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
            for key in _keys(box, ALONG):
                self._family_buckets.setdefault(key, []).append(len(self.family))
            self.family.append((p, q))
            for cell in self._family_grids:
                self._mark_lane(cell, (p, q))

    def runs_along(self, p, q):
        """Whether p-q runs along a family line (parallel, within ``ALONG``, > 8 long)."""
        length = math.dist(p, q)
        if not length:
            return False
        box = (min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
        near = {k for key in _keys(box, ALONG) for k in self._family_buckets.get(key, ())}
        for a, b in (self.family[k] for k in sorted(near)):
            span = math.dist(a, b)
            if not span:
                continue
            ux, uy = (b[0] - a[0]) / span, (b[1] - a[1]) / span

            def frame(point, a=a, ux=ux, uy=uy):
                dx, dy = point[0] - a[0], point[1] - a[1]
                return dx * ux + dy * uy, dy * ux - dx * uy

            # Only a line about parallel runs along (a crossing passes the band quickly).
            if abs((q[0] - p[0]) * uy - (q[1] - p[1]) * ux) > PARALLEL * length:
                continue
            # p-q in a-b's frame, clipped to the band along a-b: how long it stays there.
            inside = _clipped(frame(p), frame(q), (0.0, -ALONG, span, ALONG))
            if inside * length > 8:
                return True
        return False

    def clear_spot(self, points):
        """The length along ``points`` (in its middle half) farthest from any family
        line: where a mark across the line (the cut-off's bars) stands free."""
        total = sum(math.dist(p, q) for p, q in zip(points, points[1:], strict=False))
        spots = []
        for k in range(11):
            at = total * (0.25 + 0.05 * k)
            x, y = _point_at(points, at)
            box = (x - 3 * ALONG, y - 3 * ALONG, x + 3 * ALONG, y + 3 * ALONG)
            near = {i for key in _keys(box, 0) for i in self._family_buckets.get(key, ())}
            gap = min((_distance((x, y), *self.family[i]) for i in near), default=3 * ALONG)
            # As free as can be (up to 3 ALONG), then as near the middle as can be.
            spots.append((min(gap, 3 * ALONG), -abs(at - total / 2), at))
        return max(spots)[2]

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
            if segment_meets_box(p, q, (x0 - pad, y0 - pad, x1 + pad, y1 + pad)):
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


def _point_at(points, at):
    for p, q in zip(points, points[1:], strict=False):
        step = math.dist(p, q)
        if at <= step and step:
            return (p[0] + (q[0] - p[0]) * at / step, p[1] + (q[1] - p[1]) * at / step)
        at -= step
    return points[-1]


def _distance(point, p, q):
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = dx * dx + dy * dy
    t = 0.0 if not length else ((point[0] - p[0]) * dx + (point[1] - p[1]) * dy) / length
    t = max(0.0, min(1.0, t))
    return math.hypot(point[0] - p[0] - t * dx, point[1] - p[1] - t * dy)


def _clipped(p, q, box):
    """The fraction of the segment p-q inside the box (Liang-Barsky)."""
    left, top, right, bottom = box
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for d, r in ((-dx, p[0] - left), (dx, right - p[0]), (-dy, p[1] - top), (dy, bottom - p[1])):
        if d == 0:
            if r < 0:
                return 0.0
            continue
        t = r / d
        if d < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return 0.0
    return t1 - t0


def segment_meets_box(p, q, box):
    """Whether the segment p-q meets the open box (x0, y0, x1, y1)."""
    left, top, right, bottom = box
    return left < right and top < bottom and _clipped(p, q, box) > 0


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


def _grid_graph(free, cell, on_line):
    """The graph of the free cells and their neighbours, weighted by the distance,
    without the steps along a family line (a path crosses them, never follows them)."""
    rows, cols = free.shape
    cw, ch = cell
    ids = np.arange(rows * cols).reshape(rows, cols)
    sources, targets, weights = [], [], []
    moves = [(0, 1, cw), (1, 0, ch)]
    if cw == ch:  # a diagonal step of a wide cell would graze a line at a shallow angle
        moves += [(1, 1, math.hypot(cw, ch)), (1, -1, math.hypot(cw, ch))]
    for di, dj, w in moves:
        ja, jb = (
            (slice(0, cols - dj), slice(dj, cols))
            if dj >= 0
            else (slice(1, cols), slice(0, cols - 1))
        )
        ok = free[: rows - di, ja] & free[di:, jb]
        # No step along a family line: across a line (di == 0) beside one running across.
        lanes = [on_line[0]] if di == 0 else [on_line[1]] if dj == 0 else list(on_line)
        for lane in lanes:
            ok &= ~(lane[: rows - di, ja] & lane[di:, jb])
        ia = ids[: rows - di, ja][ok]
        ib = ids[di:, jb][ok]
        sources += [ia, ib]
        targets += [ib, ia]
        weights += [np.full(ia.size, w)] * 2
    s = np.concatenate(sources)
    t = np.concatenate(targets)
    return coo_matrix((np.concatenate(weights), (s, t)), shape=(rows * cols,) * 2).tocsr()
