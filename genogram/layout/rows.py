"""Step 1, generations: the row of every person (see the package docstring)."""

from collections import deque

import networkx as nx
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix


class _UnionFind:
    """Union-find whose root is the smallest index of its set: the cluster's name, so
    clusters come in case order. (networkx's UnionFind roots by size and takes six
    times as long here; the layout names clusters this way on every family.)"""

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
    """Kahn's order over the clusters ``roots`` (list, case order), or None on a cycle.

    The order is networkx's ``topological_sort`` on a graph built in this order; by
    hand it takes a third of the time, and it runs on every family."""
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


def _bad_clusters(edges):
    """Clusters on a cycle of the cluster graph (a cluster with a line to itself too)."""
    graph = nx.DiGraph(edges)
    bad = set(nx.nodes_with_selfloops(graph))
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            bad |= component
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


def assign_rows(fam):
    """``{person: row}``, 0 at the top: couples merged, then layered (see genogram.layout)."""
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
        bad = _bad_clusters(edges)
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
