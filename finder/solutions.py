"""``SolutionIndex``: every solution of the indexed cases, scored for a family by its
levers and the needs it answers (issue 14). Pure: no Flask.

A solution is three sparse rows over fixed columns (``finder.levers``): its passions
(1 for a passion it names, sqrt(BROADER_FIT) for the broader passion), its carriers (1),
and its needs (``probleem:``, ``partner:``, ``situatie:`` tokens, IDF-weighted over the
solutions and L2-normalised). For a family profile the fit of every solution is

    outcome * (PASSION * max passion product + CARRIER * max carrier product
               + NEED * cosine of the needs)

which takes one column slice per family passion or carrier and one sparse product: a
family touches only the solutions that share something with it. The best solution of
each case counts for the case (``best``). Rows are appended as cases are added and
folded into the column-sliced matrices on the next query.
"""

import math

import numpy as np
import scipy.sparse as sp

from cases import codes
from finder.levers import BROADER_FIT, WISHES, solution_profile

# What a solution's fit is made of, beside the situation's likeness (1 for the most alike
# case of the library, see finder.estimator): a passion the solution was built on and the
# child shares (1 when exact), a carrier the family has (a grandmother, a neighbour) and
# the needs it answers (1 for the best answer in the library).
PASSION = 0.5
CARRIER = 0.5
NEED = 0.75
# The child's own wish ("bij papa wonen") met by the arrangement a solution made counts
# as a passion does: it is what the child will put its weight behind.
WISH = 0.7
# A solution whose arrangement is for older children (a room of one's own, a learning
# workplace) keeps this much of its fit for a younger child: an idea, not a plan.
TOO_YOUNG = 0.3
# How much of its fit a solution keeps by how it went: one that did not work is still an
# idea for the table, one that worked is a stronger one.
OUTCOME = {"worked": 1.0, "partly": 0.8, "ongoing": 0.6, "not_worked": 0.35}
UNKNOWN_OUTCOME = 0.6
WORKED = ("worked", "partly")


def need_columns(vocab):
    tokens = [f"probleem:{c}" for c in codes.PROBLEMS]
    tokens += [f"partner:{c}" for c in codes.PARTNERS if c != "other"]
    tokens += [f"situatie:{s}" for s in vocab.situations]
    return tokens


class SolutionIndex:
    """The solutions of the indexed cases; see the module docstring."""

    def __init__(self, vocab):
        self.vocab = vocab
        self.passions = list(vocab.passions)
        self.carriers = list(vocab.carriers)
        self.needs = need_columns(vocab)
        self.passion_col = {c: i for i, c in enumerate(self.passions)}
        self.wish_col = {w: i for i, w in enumerate(WISHES)}
        self.carrier_col = {c: i for i, c in enumerate(self.carriers)}
        self.need_col = {t: i for i, t in enumerate(self.needs)}
        self.position = np.zeros(0, dtype=np.int64)  # case position per solution row
        self.number = np.zeros(0, dtype=np.int64)  # the solution's place in its case
        self.outcome = np.zeros(0)
        self.worked = np.zeros(0, dtype=bool)
        self.min_age = np.zeros(0)
        self.profiles = []
        self._pending = []
        self._passion = self._carrier = self._need = None

    # ---- building ------------------------------------------------------------------

    def fit(self, cases, family_needs=()):
        """``cases``: ``[(position, canonical case)]``; IDF of the needs from their
        solutions. ``family_needs``: the needs (``finder.levers`` tokens) of the families
        of those cases, so that a need nearly every family has (a child's behaviour, a
        stalled school) weighs less in a family's query than one that sets it apart."""
        rows = [row for position, case in cases for row in self.rows_of(position, case)]
        return self.fit_rows(rows, family_needs)

    def rows_of(self, position, case):
        """``[(position, number, profile)]``: the rows of a case's solutions, what
        :meth:`fit_rows` needs of the case (a fit that streams its cases keeps only
        these)."""
        return [
            (position, number, solution_profile(case, solution, self.vocab))
            for number, solution in enumerate(case.get("solutions") or [])
        ]

    def fit_rows(self, rows, family_needs=()):
        """``fit`` from the rows of :meth:`rows_of` (in position order)."""
        df = np.zeros(len(self.needs))
        for _, _, profile in rows:
            for token in profile["needs"]:
                if token in self.need_col:
                    df[self.need_col[token]] += 1
        # Smooth IDF, as scikit-learn's: a need every solution answers says little.
        self.idf = np.log((1 + len(rows)) / (1 + df)) + 1.0
        families = list(family_needs)
        ff = np.zeros(len(self.needs))
        for needs in families:
            for token in needs:
                if token in self.need_col:
                    ff[self.need_col[token]] += 1
        rarity = np.log((1 + len(families)) / (1 + ff)) + 1.0
        self.rarity = rarity / rarity.max()
        # Carriers likewise, as a share of the rarest: a grandmother carries many
        # solutions and most families have one; a coach or a neighbour says more.
        cf = np.zeros(len(self.carriers))
        for _, _, profile in rows:
            for concept in profile["carriers"]:
                cf[self.carrier_col[concept]] += 1
        carrier_idf = np.log((1 + len(rows)) / (1 + cf)) + 1.0
        self.carrier_weight = (carrier_idf / carrier_idf.max()) ** 2

        self.position = np.zeros(0, dtype=np.int64)
        self.number = np.zeros(0, dtype=np.int64)
        self.outcome = np.zeros(0)
        self.worked = np.zeros(0, dtype=bool)
        self.min_age = np.zeros(0)
        self.profiles = []
        self._pending = rows
        self._positions = self._starts = np.zeros(0, dtype=np.int64)
        self._passion = sp.csc_matrix((0, len(self.passions)))
        self._carrier = sp.csc_matrix((0, len(self.carriers)))
        self._wish = sp.csc_matrix((0, len(WISHES)))
        self._need = sp.csr_matrix((0, len(self.needs)))
        self._fold()
        return self

    def add(self, position, case):
        self._pending.extend(self.rows_of(position, case))

    def _fold(self):
        """Append the pending rows to the matrices (once per batch, not per case)."""
        if not self._pending:
            return
        profiles = [profile for _, _, profile in self._pending]
        # One matrix per kind from all pending rows at once (a sparse matrix per row and
        # a stack of them took a third of a large fit).
        passion = _rows([self._passion_row(p) for p in profiles], len(self.passions))
        carrier = _rows([self._carrier_row(p) for p in profiles], len(self.carriers))
        wish = _rows([self._wish_row(p) for p in profiles], len(WISHES))
        need = _rows([self._need_row(p) for p in profiles], len(self.needs))
        self._passion = sp.vstack([self._passion, passion], format="csc")
        self._carrier = sp.vstack([self._carrier, carrier], format="csc")
        self._wish = sp.vstack([self._wish, wish], format="csc")
        self._need = sp.vstack([self._need, need], format="csr")
        self.position = np.append(self.position, [p for p, _, _ in self._pending])
        self.number = np.append(self.number, [n for _, n, _ in self._pending])
        outcomes = [profile["outcome"] for _, _, profile in self._pending]
        self.outcome = np.append(self.outcome, [OUTCOME.get(o, UNKNOWN_OUTCOME) for o in outcomes])
        self.worked = np.append(self.worked, [o in WORKED for o in outcomes])
        self.min_age = np.append(self.min_age, [p.get("min_age", 0) for _, _, p in self._pending])
        self.profiles.extend(profile for _, _, profile in self._pending)
        self._pending = []
        if len(self.position) and (np.diff(self.position) < 0).any():
            raise ValueError("solution rows must be added in position order")
        # Where each case's rows start, for per-case maxima with one reduceat.
        self._positions, self._starts = np.unique(self.position, return_index=True)
        self._need_T = self._need.T.tocsr()

    def _passion_row(self, profile):
        values = {}
        for concept, (value, _) in profile["passions"].items():
            col = self.passion_col[concept]
            values[col] = max(values.get(col, 0.0), value)
            wider = self.vocab.broader(concept)
            if wider:
                col = self.passion_col[wider]
                values[col] = max(values.get(col, 0.0), value * BROADER_FIT**0.5)
        return values

    def _carrier_row(self, profile):
        cols = [self.carrier_col[c] for c in profile["carriers"]]
        return {c: self.carrier_weight[c] for c in cols}

    def _wish_row(self, profile):
        arrangements = self.vocab.arrangements
        wishes = {arrangements[a].get("wish") for a in profile["arrangements"]}
        return {self.wish_col[w]: 1.0 for w in WISHES if w in wishes}

    def _need_row(self, profile):
        values = {
            self.need_col[t]: self.idf[self.need_col[t]]
            for t in profile["needs"]
            if t in self.need_col
        }
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        return {c: v / norm for c, v in values.items()}

    def __len__(self):
        self._fold()
        return len(self.position)

    # ---- scoring -------------------------------------------------------------------

    def query_vectors(self, family):
        """The family profile as column values: passions, carriers, needs (L2)."""
        passions = {self.passion_col[c]: v for c, (v, _) in family["passions"].items()}
        carriers = {self.carrier_col[c]: v for c, (v, _) in family["carriers"].items()}
        passions_wishes = {self.wish_col[w]: 1.0 for w in family["wishes"]}
        cols = {self.need_col[t]: v for t, v in family["needs"].items() if t in self.need_col}
        needs = {c: v * self.idf[c] * self.rarity[c] for c, v in cols.items()}
        norm = math.sqrt(sum(v * v for v in needs.values())) or 1.0
        needs = {c: v / norm for c, v in needs.items()}
        return passions, carriers, passions_wishes, needs

    @staticmethod
    def _max_product(matrix, values, size):
        """Per row: the largest ``matrix[row, col] * values[col]`` (0 when none)."""
        best = np.zeros(size)
        for col, value in values.items():
            start, stop = matrix.indptr[col], matrix.indptr[col + 1]
            if start < stop:
                # A column names each row once: a plain fancy maximum, no ``maximum.at``.
                rows = matrix.indices[start:stop]
                best[rows] = np.maximum(best[rows], matrix.data[start:stop] * value)
        return best

    def _need_product(self, needs, size):
        """``_need_T[cols].T @ weights`` of the needs ``{col: weight}``, summed in place
        column by column in the same order (the same numbers, no slice built)."""
        need = np.zeros(size)
        indptr, indices, data = self._need_T.indptr, self._need_T.indices, self._need_T.data
        for col, weight in needs.items():
            start, stop = indptr[col], indptr[col + 1]
            if start < stop:
                need[indices[start:stop]] += data[start:stop] * weight
        return need

    def fits(self, family, usable=None):
        """The fit of every solution row for a family profile (``finder.levers``):
        ``outcome * (PASSION * passion + CARRIER * carrier + NEED * needs)``, the needs
        as a share of the best needs match among the ``usable`` rows (a family with many
        needs and one with few both have solutions that answer them best)."""
        self._fold()
        size = len(self.position)
        passions, carriers, wishes, needs = self.query_vectors(family)
        fit = PASSION * self._max_product(self._passion, passions, size)
        fit += CARRIER * self._max_product(self._carrier, carriers, size)
        fit += WISH * self._max_product(self._wish, wishes, size)
        if needs and size:
            need = self._need_product(needs, size)
            top = need[usable].max() if usable is not None and usable.any() else need.max()
            if top > 0:
                fit += NEED * need / top
        fit = fit * self.outcome
        if family.get("age") is not None:
            fit = np.where(self.min_age > family["age"], fit * TOO_YOUNG, fit)
        return fit

    def best(self, family, n_positions, *, allowed=None, worked_only=False):
        """``(fit, rows)``: per case position the best solution's fit (0 without one),
        and ``rows[position]``, the row of that solution (-1 without one; the first
        listed of equal ones). ``allowed`` masks positions; ``worked_only`` counts only
        solutions that worked (fully or partly)."""
        self._fold()
        usable = self.worked.copy() if worked_only else np.ones(len(self.position), dtype=bool)
        if allowed is not None:
            usable &= allowed[self.position]
        best = np.zeros(n_positions)
        if not usable.any():
            return best, BestRows(self, np.full(len(self.position), -np.inf))
        values = np.where(usable, self.fits(family, usable), -np.inf)
        # A case's rows lie together (rows are appended in position order): one reduceat.
        top = np.maximum.reduceat(values, self._starts)
        found = np.isfinite(top)
        best[self._positions[found]] = top[found]
        return best, BestRows(self, values)

    def parts(self, family, row, needs=None):
        """How solution ``row`` fits a family, part by part, for the reasons:
        ``{"passion": (value, concept, here, there, exact), "carrier": (value, concept,
        here, there), "wish": (wish, words), "needs": [(value, token)]}`` (parts that
        do not count are None or empty). ``needs``: the family's needs as columns
        (``query_vectors(family)[3]``) when the caller has them already."""
        self._fold()
        profile = self.profiles[row]
        passion = None
        for concept, (built, there) in profile["passions"].items():
            options = [(concept, there, True)]
            wider = self.vocab.broader(concept)
            if wider:
                options.append((wider, there, False))
            for term, surface, exact in options:
                if term not in family["passions"]:
                    continue
                value, here = family["passions"][term]
                weight = built * (1.0 if exact else BROADER_FIT**0.5)
                if passion is None or value * weight > passion[0]:
                    passion = (value * weight, term, here, surface, exact)
        carrier = None
        for concept, there in profile["carriers"].items():
            if concept in family["carriers"]:
                value, here = family["carriers"][concept]
                if carrier is None or value > carrier[0]:
                    carrier = (value, concept, here, there)
        wish = None
        fulfilled = {self.vocab.arrangements[a].get("wish") for a in profile["arrangements"]}
        for name, words in family["wishes"].items():
            if name in fulfilled:
                wish = (name, words)
                break
        if needs is None:  # the family's needs as columns (``query_vectors``), or given
            needs = self.query_vectors(family)[3]
        needs_found = []
        start, stop = self._need.indptr[row], self._need.indptr[row + 1]
        # The row's entries read in place (slicing a sparse row builds a new matrix).
        for col, value in zip(
            self._need.indices[start:stop].tolist(),
            self._need.data[start:stop].tolist(),
            strict=True,
        ):
            if col in needs:
                needs_found.append((needs[col] * value, self.needs[col]))
        needs_found.sort(key=lambda item: (-item[0], item[1]))
        return {"passion": passion, "carrier": carrier, "wish": wish, "needs": needs_found}


def _rows(rows, size):
    """A CSR matrix of ``{column: value}`` rows (columns sorted, as given values kept)."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    indptr[1:] = np.cumsum([len(row) for row in rows])
    entries = [entry for row in rows for entry in sorted(row.items())]
    columns = [column for column, _ in entries]
    values = [value for _, value in entries]
    return sp.csr_matrix(
        (np.array(values, dtype=float), np.array(columns, dtype=np.int32), indptr),
        shape=(len(rows), size),
    )


class BestRows:
    """``rows[position]``: the row of a case's best solution, found when asked (only the
    few results shown need it), or -1 when the case has none that counts."""

    def __init__(self, index, values):
        self.index = index
        self.values = values

    def __getitem__(self, position):
        known = self.index._positions
        at = int(np.searchsorted(known, position))
        if at >= len(known) or known[at] != position:
            return -1
        return self._best_at(at)

    def many(self, positions):
        """``{position: self[position]}`` for several positions, looked up at once."""
        known = self.index._positions
        positions = [int(p) for p in positions]
        if not len(known):
            return dict.fromkeys(positions, -1)
        at = np.searchsorted(known, positions)
        clipped = np.minimum(at, len(known) - 1)
        found = (at < len(known)) & (known[clipped] == positions)
        return {
            position: self._best_at(a) if ok else -1
            for position, ok, a in zip(positions, found.tolist(), clipped.tolist(), strict=True)
        }

    def _best_at(self, at):
        """The best row of the case at ``at`` in the index's positions, or -1."""
        starts = self.index._starts
        start = int(starts[at])
        stop = int(starts[at + 1]) if at + 1 < len(starts) else len(self.values)
        segment = self.values[start:stop]
        if not len(segment) or not np.isfinite(segment.max()):
            return -1
        return start + int(np.argmax(segment))
