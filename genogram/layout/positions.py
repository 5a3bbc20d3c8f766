"""Step 4, x positions: one linear program for persons and unions, then the dummies."""

import math

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from genogram.labels import SYMBOL
from genogram.layout.canvas import GAP, LABEL_GAP
from genogram.layout.isotonic import isotonic

_HALF = {"person": (SYMBOL + GAP) / 2, "union": 0.0, "dummy": 10.0}
_MIN_SEP = 16.0
_W_CENTRE = 4.0  # a union off the centre of its sibship, per unit
_W_UNDER = 50.0  # a union not above its sibship line at all, per unit
_W_STRAIGHT = 2.0  # a bend in a line through dummies
_W_LINK = 0.5  # a step- or foster parent not above the child
_W_SIBSHIP = 1.0  # the width of a sibship (more than a link: siblings stay together)
_W_COUPLE = 2.0  # the length of a couple line
_W_ROW_WIDTH = 0.1
_W_LEFT = 0.001


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


def x_positions(ordering):
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
                fitted = isotonic(
                    [wanted[d] - step for d, step in zip(run, steps, strict=True)], [1.0] * len(run)
                )
                for d, y, step in zip(run, fitted, steps, strict=True):
                    x[d] = min(max(y, low), high) + step
                run = []
            before = item
