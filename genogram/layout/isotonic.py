"""Isotonic regression, as the ordering, the x positions and the ring use it.

Kept by hand: SciPy's ``isotonic_regression`` pools in another order, so its means
differ in the last bit on some inputs (and a block's sort key with them), and it costs
about five times as much on the short runs the layout fits.
"""


def isotonic(values, weights):
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
