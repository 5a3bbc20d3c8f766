"""The numeric block of the finder, over the distinct rows only. Pure: no Flask.

Placements, secure stays, informal network size and age take few values: 100,000
cases hold about a thousand distinct combinations. The block's similarity
(``weight * mean(exp(-|a - b| / scale))`` over the features both cases know) is computed
once per distinct row and spread to the cases by an index kept at fit time: the same
numbers, element by element, as over every case.
"""

import numpy as np


def similarity(rows, values, scales):
    """``(len(rows), n)``: ``exp(-|row - values| / scales)``; NaN where either is unknown."""
    return np.exp(-np.abs(rows - np.asarray(values, dtype=float)) / scales)


def mean_known(similarities):
    """Per row the mean over the features that are known (not NaN); 0 when none is."""
    known = ~np.isnan(similarities)
    counts = known.sum(axis=1)
    return np.where(counts, np.nansum(similarities, axis=1) / np.maximum(counts, 1), 0.0)


def distinct_rows(values):
    """``(distinct, inverse)`` with ``distinct[inverse]`` equal to ``values`` (NaN
    included: unknown values count as one value)."""
    values = np.asarray(values, dtype=float)
    if not len(values):
        return values.copy(), np.zeros(0, dtype=np.intp)
    # No feature is ever minus infinity: it stands in for NaN, which np.unique keeps apart.
    filled = np.where(np.isnan(values), -np.inf, values)
    distinct, inverse = np.unique(filled, axis=0, return_inverse=True)
    distinct[np.isneginf(distinct)] = np.nan
    return distinct, inverse.reshape(-1).astype(np.intp)


class DistinctRows:
    """Rows of numbers kept as distinct rows plus the index of each row's distinct one."""

    def __init__(self, values):
        self.distinct, self.inverse = distinct_rows(values)

    def append(self, row):
        row = np.asarray(row, dtype=float).reshape(1, -1)
        if len(self.distinct):
            same = (self.distinct == row) | (np.isnan(self.distinct) & np.isnan(row))
            found = np.flatnonzero(same.all(axis=1))
        else:
            self.distinct = self.distinct.reshape(0, row.shape[1])
            found = ()
        if len(found):
            at = int(found[0])
        else:
            at = len(self.distinct)
            self.distinct = np.vstack([self.distinct, row])
        self.inverse = np.append(self.inverse, at)

    def similarity(self, values, scales):
        """``similarity`` of the distinct rows (spread with ``inverse``)."""
        return similarity(self.distinct, values, scales)
