"""Married-in partners on the outside of their partner's sibship (step 3's constraints).

A sibship is drawn as a bar over the children of one union; whoever stands under that
bar reads as one of them. A sibling's partner stands beside the sibling, so the partner
is outside the bar only when the sibling is at the end of the sibship on the partner's
side. Birth order gives way for that: genogram practice keeps spouses beside their
partner and never under a foreign sibling bar (the birth year under every symbol still
tells the order), while a sibship drawn with a spouse inside it shows a wrong child.

At most two siblings can have their partners outside, one at each end: those whose
partners weigh most, where a partner who has brothers or sisters on the row weighs
double (they stand beside the partner, so they would stand under the bar too). A person with
partners on both sides (several partners, chronological, the person between them) at
an end keeps one side outside; the other partners stay inside and are counted by
:func:`genogram.layout.measures.foreign_sibship_persons`.
"""


def partners_outside(sides):
    """The order of a sibship's blocks and which of them to mirror.

    ``sides``: per sibling block in birth order ``(left, right, free)``: how much of
    the block stands left and right of the sibling (its partners, each weighted by
    what comes along with them), and whether the block is a plain couple that may
    still be mirrored. Returns ``(order, mirror)``: the
    indices left to right (birth order, but for at most one sibling moved to the left
    end and one to the right end) and the set of indices whose block must be mirrored
    so its partner stands outside. Chosen: the most partners outside, then the fewest
    siblings jumped over, then the fewest blocks mirrored, then the elder first.
    """
    k = len(sides)
    married = [i for i, (left, right, _) in enumerate(sides) if left or right]
    if not married:
        return list(range(k)), set()

    def at_left(i):  # (partners outside, mirrored) with sibling i at the left end
        left, right, free = sides[i]
        if free and right and not left:
            return right, 1
        return left, 0

    def at_right(i):
        left, right, free = sides[i]
        if free and left and not right:
            return left, 1
        return right, 0

    lefts = [None, *(i for i in married if at_left(i)[0])]
    rights = [None, *(i for i in married if at_right(i)[0])]
    best = None
    for lo in lefts:
        for hi in rights:
            if lo is not None and lo == hi:
                continue
            saved = flips = jumped = 0
            if lo is not None:
                s, f = at_left(lo)
                saved, flips, jumped = saved + s, flips + f, jumped + lo
            if hi is not None:
                s, f = at_right(hi)
                saved, flips, jumped = saved + s, flips + f, jumped + k - 1 - hi
            key = (-saved, jumped, flips, lo if lo is not None else k, hi if hi is not None else k)
            if best is None or key < best[0]:
                best = (key, lo, hi)
    _, lo, hi = best
    middle = [i for i in range(k) if i not in (lo, hi)]
    order = ([lo] if lo is not None else []) + middle + ([hi] if hi is not None else [])
    mirror = set()
    if lo is not None and at_left(lo)[1]:
        mirror.add(lo)
    if hi is not None and at_right(hi)[1]:
        mirror.add(hi)
    return order, mirror
