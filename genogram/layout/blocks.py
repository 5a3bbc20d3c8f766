"""Step 2, blocks: the partners on one row that move as one in the ordering."""


def _arrange(component, same, fam):
    """The left-to-right order of partners connected on one row (see genogram.layout)."""
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


def row_blocks(fam, prow):
    """``([(row, items left to right)], {union: row})``: the blocks in case order, and
    each union on the row of its lower partner."""
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
