"""``CaseFinder``: earlier cases like this one, with the reasons. Pure: no Flask.

A retrieval estimator in scikit-learn style. ``fit`` builds one TF-IDF vectoriser per
sparse feature block (``finder.features``), L2-normalises every block, multiplies it by
its weight (``finder.weights``) and stacks the blocks side by side into one case-by-
feature matrix, kept transposed (``matrix_T_``, features by cases, CSR): a query's
normalised vector times that matrix is one sparse product that touches only the rows
of the features the query has, and gives ``sum(weight * cosine)`` over the sparse blocks
for every case at once. The numeric block (placements, secure stays, informal network,
age) is added as ``weight * mean(exp(-|a - b| / scale))``: by distance, not cosine, so
4 placements is close to 3 and far from 0.

The index is kept current without a refit: :meth:`CaseFinder.add` appends a case (words
and codes outside the fitted vocabulary are ignored, and IDF stays as fitted, until the
next ``fit``); :meth:`CaseFinder.remove` takes a case out at once; a changed case is
``remove`` then ``add``. A query never returns its own code, nor a removed case. Ties
are broken by code, ascending.
"""

import contextlib
import functools
import gc
import heapq
import math
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from cases import codes
from finder.analyzer import HERE, load_stopwords, stopwords
from finder.features import (
    NUMERIC,
    SPARSE_BLOCKS,
    case_features,
    interest_pairs,
    text_pairs,
)
from finder.levers import vocabulary
from finder.numeric import DistinctRows, mean_known, similarity
from finder.signals import FiredRules
from finder.solutions import SolutionIndex
from finder.weights import NUMERIC_SCALES, SUBLINEAR, WEIGHTS

WORKED = ("worked", "partly")  # a solution "that worked": fully or partly
BLOCKS = (*SPARSE_BLOCKS, "numeric")
MERGE_ADDED = 2048  # added cases kept apart before they are merged into matrix_T_
# While a fit reads its cases, what the process holds is frozen for the cyclic collector
# every SETTLE_EVERY cases (``gc.freeze``): its full collections would otherwise walk all
# the cases kept so far again and again (6 of some 60 s of CPU in a fit of 100,000).
# Undone (``gc.unfreeze``) when the fit ends, also on an error; only when nothing else in
# the process has frozen objects. New objects are collected as ever meanwhile.
SETTLE_EVERY = 2000

# Reasons: what a user reads, so only what tells this match apart. None of this changes a
# score or the order of the results.
# A text word, interest, family flag or partner/signal held by more than this share of
# the indexed cases is no reason ("beide noemen: moeder"; "beide: gemeente ontbreekt"
# when the rules say so for 80% of the library) ...
COMMON_SHARE = 0.5
# ... once the index holds enough cases for a share to mean something.
COMMON_MIN_CASES = 10
COMMON_BLOCKS = ("text", "interests", "family", "partners")
# Words that say nothing about a situation (woont, zien, bijna) but are no stop words of
# the analyzer: they still count for the score, they are never named as a reason.
GENERAL_WORDS_FILE = HERE / "general_words_nl.txt"
# One reason per kind (block); a further one of the same kind only when it alone adds at
# least this much to the score (a full match scores the sum of the weights, 12.25): with
# the weights in use only a shared problem that is one of about two on both sides (5 *
# 0.7 * 0.7), or a shared residence that is all either case has (2); never one of four
# shared problems, a word, a family flag or a partner.
STRONG = 2.0
# Of a result's reasons, at most this many say why its solution could work here (the
# lever, the need it answers); the others why the case is alike.
SOLUTION_REASONS = 2
# Variety among the results: a case whose best solution is of a kind already shown (past
# FREE_REPEATS) keeps this much less of its score for every such result (so a near equal
# of another kind goes first, a much better one of the same kind still does) ...
VARIETY = 0.15
# Two of a kind (the two kangoeroewoning cases) are two ideas to compare; from the third
# on they are variants.
FREE_REPEATS = 1
# ... chosen from the best POOL_FACTOR * k (at least POOL_MIN) by score.
POOL_FACTOR = 4
POOL_MIN = 20


def _tokens(tokens):
    """The analyzer of the vectorisers: blocks arrive as token lists already."""
    return tokens


def _default_ruleset():
    from rules.loader import load_rules

    return load_rules()


class CaseFinder(BaseEstimator):
    """Find the indexed cases most like a given case.

    Parameters
    ----------
    weights : dict or None
        Block weights ``{block: weight}``; None uses ``finder.weights.WEIGHTS``. Blocks
        left out weigh 0.
    numeric_scales : dict or None
        Distance scale per numeric feature; None uses ``finder.weights.NUMERIC_SCALES``.
    ruleset : rules.loader.RuleSet or None
        The rules whose signals name the missing partners; None loads ``rules/*.yaml``.
        A pickled finder is loaded with the rules of ``rules/*.yaml`` (a rule set does
        not survive pickling).
    max_reasons : int
        How many reasons a result gives at most.

    Attributes
    ----------
    codes_ : list of str
        The code of every indexed position (removed ones included; see ``alive_``).
    alive_ : ndarray of bool
        Whether the position still counts (False after ``remove``).
    vectorizers_ : dict
        The fitted ``TfidfVectorizer`` per sparse block (None when the block was empty).
    blocks_ : dict
        ``{block: (start, stop)}``: the block's columns in the stacked matrix.
    feature_names_ : list of (str, str)
        ``(block, token)`` per column of the stacked matrix.
    weights_, numeric_scales_ : dict
        The weights and scales in use.
    matrix_T_ : scipy.sparse.csr_matrix
        Features by fitted cases, every block normalised and weighted.
    matrix_ : scipy.sparse.csr_matrix
        The same, case-major (fitted cases by features): the reasons read a result's
        few values there.
    added_ : scipy.sparse.csr_matrix
        Cases added since ``fit`` (cases by features), merged into ``matrix_T_`` now and then.
    numeric_ : ndarray of shape (n_positions, 4)
        Placements, secure stays, informal network size, age; NaN when unknown.
    worked_ : ndarray of bool
        Whether the case has a solution that worked (``worked`` or ``partly``).
    cases_ : list of dict
        ``code``, ``title``, ``solutions``, ``outcome`` per position, for the results.
    ruleset_ : rules.loader.RuleSet
    fired_ : finder.signals.FiredRules
        Which rules fire, remembered by what each rule reads (not pickled).
    """

    def __init__(self, weights=None, numeric_scales=None, ruleset=None, max_reasons=5):
        self.weights = weights
        self.numeric_scales = numeric_scales
        self.ruleset = ruleset
        self.max_reasons = max_reasons

    # ---- fitting and keeping current -------------------------------------------------

    def fit(self, cases, y=None):
        """Index ``cases``: canonical cases with distinct codes, any iterable (a
        generator too: each case is read once, and only what the index needs of it is
        kept, so a large library can stream in). Returns self."""
        self.weights_ = dict(WEIGHTS if self.weights is None else self.weights)
        unknown = set(self.weights_) - set(BLOCKS)
        if unknown:
            raise ValueError(f"unknown blocks in weights: {', '.join(sorted(unknown))}")
        self.numeric_scales_ = dict(
            NUMERIC_SCALES if self.numeric_scales is None else self.numeric_scales
        )
        self.ruleset_ = self.ruleset if self.ruleset is not None else _default_ruleset()
        self.fired_ = FiredRules(self.ruleset_)
        solutions = SolutionIndex(vocabulary())
        # Per case only what the index keeps, each token string once (a text's stems are
        # new strings per case): the features of 100,000 cases held whole took most of
        # the fit's memory.
        tokens = {block: [] for block in SPARSE_BLOCKS}
        numeric, needs, seen, features = [], [], {}, None
        found, position, worked, metas, solution_rows = [], {}, [], [], []
        with _settling() as settle:
            for case in cases:
                if not isinstance(case, dict) or "code" not in case:
                    raise TypeError("fit expects canonical cases (dicts with a 'code')")
                if case["code"] in position:
                    raise ValueError("fit expects distinct case codes")
                position[case["code"]] = len(found)
                solution_rows.extend(solutions.rows_of(len(found), case))
                found.append(case["code"])
                features = self._features(case)
                # Tuples: the collector stops tracking a tuple of strings, so its full
                # collections do not walk every kept case again and again.
                for block in SPARSE_BLOCKS:
                    tokens[block].append(tuple([seen.setdefault(t, t) for t in features[block]]))
                numeric.append(tuple(self._numeric(features)))
                needs.append(features["levers"]["needs"])
                worked.append(self._has_worked(case))
                metas.append(self._meta(case))
                settle(len(found))
        del seen, features
        size = len(found)

        self.vectorizers_, self.blocks_, parts, start = {}, {}, [], 0
        for block in SPARSE_BLOCKS:
            docs = tokens.pop(block)
            if any(docs):
                vectorizer = TfidfVectorizer(
                    analyzer=_tokens, sublinear_tf=SUBLINEAR.get(block, False), norm="l2"
                )
                part = vectorizer.fit_transform(docs)
            else:
                vectorizer, part = None, sp.csr_matrix((size, 0))
            self.vectorizers_[block] = vectorizer
            self.blocks_[block] = (start, start + part.shape[1])
            start += part.shape[1]
            parts.append(part * self.weights_.get(block, 0.0))
            del docs, part
        self.n_features_ = start
        self.feature_names_ = [
            (block, str(token))
            for block in SPARSE_BLOCKS
            if self.vectorizers_[block] is not None
            for token in self.vectorizers_[block].get_feature_names_out()
        ]
        matrix = sp.hstack(parts, format="csr") if parts else sp.csr_matrix((size, 0))
        del parts
        matrix.eliminate_zeros()
        matrix.sort_indices()  # the reasons look a case's features up by bisection
        self.matrix_ = matrix
        self.matrix_T_ = matrix.T.tocsr()
        self.matrix_T_.sort_indices()
        self.added_ = sp.csr_matrix((0, start))
        self.n_fitted_ = size
        self.codes_ = found
        self.alive_ = np.ones(size, dtype=bool)
        self.numeric_ = np.array(numeric, dtype=float).reshape(size, len(NUMERIC))
        self.numeric_rows_ = DistinctRows(self.numeric_)
        self.worked_ = np.array(worked, dtype=bool)
        self.cases_ = metas
        self.position_ = position
        self.solutions_ = solutions.fit_rows(solution_rows, needs)
        return self

    def add(self, case):
        """Add (or replace) one canonical case without a refit. Returns self.

        Words and codes the fitted vocabulary does not know are ignored, and IDF stays
        as fitted, until the next ``fit``.
        """
        check_is_fitted(self)
        if case["code"] in self.position_:
            self.remove(case["code"])
        features = self._features(case)
        row = self._vector(features, weighted=True)
        self.added_ = sp.vstack([self.added_, row], format="csr")
        self.codes_.append(case["code"])
        self.alive_ = np.append(self.alive_, True)
        self.numeric_ = np.vstack([self.numeric_, [self._numeric(features)]])
        self.numeric_rows_.append(self.numeric_[-1])
        self.worked_ = np.append(self.worked_, self._has_worked(case))
        self.cases_.append(self._meta(case))
        self.position_[case["code"]] = len(self.codes_) - 1
        self.solutions_.add(len(self.codes_) - 1, case)
        if self.added_.shape[0] >= MERGE_ADDED:
            self._merge_added()
        return self

    def remove(self, code):
        """Take the case ``code`` out of every later result. Unknown codes are ignored.
        Returns self."""
        check_is_fitted(self)
        position = self.position_.pop(code, None)
        if position is not None:
            self.alive_[position] = False
        return self

    def __getstate__(self):
        # A rule set does not survive unpickling (rule-engine types); it is loaded again.
        state = dict(super().__getstate__())  # a copy: object's may be __dict__ itself
        state["ruleset"] = None
        state.pop("ruleset_", None)
        state.pop("fired_", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "codes_" in state:
            self.ruleset_ = _default_ruleset()
            self.fired_ = FiredRules(self.ruleset_)
            if "numeric_rows_" not in state:  # pickled before the distinct rows
                self.numeric_rows_ = DistinctRows(self.numeric_)
                self.matrix_T_.sort_indices()
            if "matrix_" not in state:  # pickled before the case-major copy
                self.matrix_ = self.matrix_T_.T.tocsr()
                self.matrix_.sort_indices()

    def __len__(self):
        check_is_fitted(self)
        return len(self.position_)

    def __contains__(self, code):
        return code in getattr(self, "position_", {})

    def _merge_added(self):
        self.matrix_T_ = sp.hstack([self.matrix_T_, self.added_.T], format="csr")
        self.matrix_T_.sort_indices()
        self.matrix_ = sp.vstack([self.matrix_, self.added_], format="csr")
        self.matrix_.sort_indices()
        self.n_fitted_ = self.matrix_T_.shape[1]
        self.added_ = sp.csr_matrix((0, self.n_features_))

    # ---- features to vectors -------------------------------------------------------

    def _features(self, case):
        """``finder.features.case_features``, the rules' answers remembered per finder."""
        return case_features(case, self.ruleset_, fired=self.fired_)

    def _vector(self, features, *, weighted):
        """One case's row over the stacked blocks: per block what the block's fitted
        ``TfidfVectorizer.transform`` gives (counts of known tokens, sublinear where set,
        times IDF, L2-normalised), built directly: the vectoriser's input checks cost more
        than the arithmetic for a single case."""
        columns, values = [], []
        for block in SPARSE_BLOCKS:
            vectorizer = self.vectorizers_[block]
            if vectorizer is None:
                continue
            counts = Counter(
                vectorizer.vocabulary_[t] for t in features[block] if t in vectorizer.vocabulary_
            )
            if not counts:
                continue
            cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=float, count=len(counts))
            if vectorizer.sublinear_tf:
                tf = np.log(tf) + 1.0
            data = tf * vectorizer.idf_[cols]
            data /= np.sqrt(np.dot(data, data))
            if weighted:
                data *= self.weights_.get(block, 0.0)
            columns.append(cols + self.blocks_[block][0])
            values.append(data)
        if not columns:
            return sp.csr_matrix((1, self.n_features_))
        cols = np.concatenate(columns)
        order = np.argsort(cols)
        return sp.csr_matrix(
            (np.concatenate(values)[order], cols[order], np.array([0, len(cols)])),
            shape=(1, self.n_features_),
        )

    @staticmethod
    def _numeric(features):
        return [
            np.nan if features["numeric"][n] is None else features["numeric"][n] for n in NUMERIC
        ]

    @staticmethod
    def _has_worked(case):
        return any(s.get("outcome") in WORKED for s in case.get("solutions") or [])

    @staticmethod
    def _meta(case):
        return {
            "code": case["code"],
            "title": case.get("title"),
            "solutions": case.get("solutions") or [],
            "outcome": case.get("outcome"),
        }

    # ---- scoring -------------------------------------------------------------------

    def _scales(self):
        return np.array([self.numeric_scales_[n] for n in NUMERIC], dtype=float)

    def _numeric_similarity(self, values):
        """``(n_positions, 4)`` per-feature similarities; NaN where either is unknown."""
        return similarity(self.numeric_, values, self._scales())

    def _scores(self, features):
        """Weighted total score per position, the query's unweighted vector, the rows of
        ``matrix_T_`` of its features (None without any) and the numeric similarities
        (``numeric[position]``, None when the numeric block weighs nothing)."""
        query = self._vector(features, weighted=False)
        scores = np.zeros(len(self.codes_))
        rows = None
        if query.nnz:
            rows = self.matrix_T_[query.indices]
            scores[: self.n_fitted_] = rows.T @ query.data
            if self.added_.shape[0]:
                scores[self.n_fitted_ :] = self.added_ @ query.T.toarray().ravel()
        weight = self.weights_.get("numeric", 0.0)
        numeric = None
        if weight:
            weighted, numeric = self._numeric_block(self._numeric(features), weight)
            scores += weighted
        return scores, query, rows, numeric

    def _numeric_block(self, values, weight):
        """``(weight * mean similarity per position, similarities per position)``, over
        the distinct rows only and spread by the index kept at fit: the same numbers."""
        block = self.numeric_rows_
        distinct = block.similarity(values, self._scales())
        return (weight * mean_known(distinct))[block.inverse], _Spread(distinct, block.inverse)

    def similarities(self, case):
        """``{block: ndarray}``: the unweighted similarity of ``case`` to every indexed
        position per block (for tuning the weights and for inspection)."""
        check_is_fitted(self)
        features = self._features(case)
        query = self._vector(features, weighted=False)
        fitted = self.matrix_ if self.n_fitted_ else None
        out = {}
        for block in SPARSE_BLOCKS:
            start, stop = self.blocks_[block]
            weight = self.weights_.get(block, 0.0)
            q = query[:, start:stop]
            values = np.zeros(len(self.codes_))
            if weight and stop > start and q.nnz:
                if fitted is not None:
                    values[: self.n_fitted_] = (fitted[:, start:stop] @ q.T).toarray().ravel()
                if self.added_.shape[0]:
                    values[self.n_fitted_ :] = (self.added_[:, start:stop] @ q.T).toarray().ravel()
                values /= weight
            out[block] = values
        out["numeric"] = mean_known(self._numeric_similarity(self._numeric(features)))
        return out

    def _candidates(self, code, exclude, worked_only):
        allowed = self.alive_.copy()
        for other in (code, *exclude):
            position = self.position_.get(other)
            if position is not None:
                allowed[position] = False
        if worked_only:
            allowed &= self.worked_
        return allowed

    def _ranking(self, features, allowed, worked_only):
        """``(total, situation, solution_fit, solution_row, (query, rows), numeric)`` per
        position: how alike the situation is, plus the fit of the case's best solution
        for this family (``finder.solutions``)."""
        situation, query, rows, numeric = self._scores(features)
        # The likeness as a share of the most alike candidate's: the solutions' fit is on
        # the same 0-1 scale, whatever the weights of the blocks add up to.
        top = situation[allowed].max() if allowed.any() else 0.0
        if top > 0:
            situation = situation / top
        fit, solution_rows = self.solutions_.best(
            features["levers"], len(self.codes_), allowed=allowed, worked_only=worked_only
        )
        return situation + fit, situation, fit, solution_rows, (query, rows), numeric

    def rank(self, case, *, exclude=(), worked_only=False, scores=None):
        """Every candidate position for ``case``, best first: ``[(position, score)]``,
        ties by code ascending; the score is the situation's likeness plus the fit of
        the case's best solution. Used by the evaluation (no variety step)."""
        check_is_fitted(self)
        allowed = self._candidates(case.get("code"), exclude, worked_only)
        if scores is None:
            scores = self._ranking(self._features(case), allowed, worked_only)[0]
        positions = np.flatnonzero(allowed)
        rounded = np.round(scores[positions], 9)
        return sorted(
            zip(positions.tolist(), rounded.tolist(), strict=True),
            key=lambda item: (-item[1], self.codes_[item[0]]),
        )

    def kneighbors(self, case, n_neighbors=5, *, exclude=(), worked_only=False):
        """The ``n_neighbors`` indexed cases whose solutions could work for ``case``.

        A case scores how alike its situation is (the blocks) plus how well its best
        solution fits this family: its levers (the child's passions, a carrier the
        family has) and the needs it answers (``finder.solutions``). The results are
        then chosen for variety: a case whose best solution is of a kind already chosen
        gives way to a nearly as good one of another kind (``VARIETY``).

        Parameters
        ----------
        case : dict
            A canonical case, stored or not; its own code is never a result.
        n_neighbors : int
        exclude : iterable of str
            Further codes to leave out.
        worked_only : bool
            Only cases with a solution that worked (``worked`` or ``partly``), and of
            those only the solutions that worked.

        Returns
        -------
        list of dict
            Best first: ``code``, ``title``, ``score`` (the ranking score, rounded to 4
            decimals), ``situation_score`` (its likeness part), ``reasons`` (short Dutch
            phrases: why the solution could work here, then why the case is alike),
            ``solutions`` (as in case/1), ``outcome`` (the case's outcome object),
            ``solution`` (the best-fitting solution, as in case/1 with its ``fit``; None
            when no solution fits) and ``levers`` (what it builds on that this family
            has: ``kind``, ``concept``, ``label``, ``here``, ``there``, ``match``).
        """
        check_is_fitted(self)
        if not isinstance(n_neighbors, int) or n_neighbors < 1:
            raise ValueError("n_neighbors must be a positive whole number")
        features = self._features(case)
        allowed = self._candidates(case.get("code"), exclude, worked_only)
        total, situation, fit, rows, scored, numeric = self._ranking(features, allowed, worked_only)
        positions = np.flatnonzero(allowed)
        if not len(positions):
            return []
        pool = self._top(positions, total, max(n_neighbors * POOL_FACTOR, POOL_MIN))
        rows = rows.many(p for p, _ in pool)  # the best solution's row of the pool only
        best = self._varied(pool, rows, n_neighbors)
        chosen = [p for p, _ in best]
        reasons = self._reasons(case, features, scored, numeric, chosen)
        results, needs = [], None
        for (position, score), why in zip(best, reasons, strict=True):
            meta = self.cases_[position]
            solutions = meta["solutions"]
            if worked_only:
                solutions = [s for s in solutions if s.get("outcome") in WORKED]
            row = int(rows[position])
            solution, levers, fits = None, [], []
            if row >= 0 and fit[position] > 0:
                number = int(self.solutions_.number[row])
                solution = {**meta["solutions"][number], "fit": round(float(fit[position]), 4)}
                if needs is None:
                    needs = self.solutions_.query_vectors(features["levers"])[3]
                fits, levers = self._solution_reasons(case, features["levers"], row, needs)
            results.append(
                {
                    "code": meta["code"],
                    "title": meta["title"],
                    "score": round(float(score), 4),
                    "situation_score": round(float(situation[position]), 4),
                    "reasons": (fits[:SOLUTION_REASONS] + why)[: self.max_reasons],
                    "solutions": solutions,
                    "outcome": meta["outcome"],
                    "solution": solution,
                    "levers": levers,
                }
            )
        return results

    def _top(self, positions, scores, n):
        """The ``n`` best ``(position, score)`` by score, ties by code; everything
        scoring at least the n-th best is weighed, so ties at the edge go by code."""
        values = scores[positions]
        if len(positions) > n:
            # Rounding keeps the order, so the n-th best rounded score is the n-th best
            # score rounded; only scores near it need rounding to see which tie with it.
            kth = np.partition(values, len(values) - n)[len(values) - n]
            near = values >= kth - 1e-8
            positions, rounded = positions[near], np.round(values[near], 9)
            keep = rounded >= np.round(kth, 9)
            positions, rounded = positions[keep], rounded[keep]
        else:
            rounded = np.round(values, 9)
        return heapq.nsmallest(
            n,
            zip(positions.tolist(), rounded.tolist(), strict=True),
            key=lambda item: (-item[1], self.codes_[item[0]]),
        )

    def _varied(self, pool, rows, n):
        """Maximal marginal relevance, simply: take the best of the pool, each time
        discounting a candidate by ``VARIETY`` for every chosen result whose best
        solution is of the same kind (a network placement, a kangoeroewoning), so the
        table sees different ideas; the order of the chosen keeps their own scores'
        ranking only where kinds differ."""
        kinds = {}
        for position, _ in pool:
            row = int(rows[position])
            kinds[position] = self.solutions_.profiles[row]["kind"] if row >= 0 else None
        chosen, taken = [], Counter()
        remaining = list(pool)
        while remaining and len(chosen) < n:

            def discounted(item):
                kind = kinds[item[0]]
                repeats = max(0, taken[kind] - FREE_REPEATS) if kind else 0
                return (-item[1] * (1 - VARIETY) ** repeats, self.codes_[item[0]])

            pick = min(remaining, key=discounted)
            remaining.remove(pick)
            chosen.append(pick)
            if kinds[pick[0]]:
                taken[kinds[pick[0]]] += 1
        return chosen

    # ---- explanations --------------------------------------------------------------

    def _contributions(self, query, positions, rows=None):
        """``(n_query_features, len(positions))``: weight * query value * case value.
        ``rows``: ``matrix_T_[query.indices]`` when the scoring has it already."""
        if not query.nnz:
            return np.zeros((0, len(positions)))
        values = np.zeros((query.nnz, len(positions)))
        fitted = [i for i, p in enumerate(positions) if p < self.n_fitted_]
        added = [i for i, p in enumerate(positions) if p >= self.n_fitted_]
        if fitted:
            values[:, fitted] = self._fitted_values(query, [positions[i] for i in fitted], rows)
        if added:
            rows = self.added_[[positions[i] - self.n_fitted_ for i in added]]
            values[:, added] = rows[:, query.indices].toarray().T
        return values * query.data[:, None]

    def _fitted_values(self, query, positions, rows=None):
        """``matrix_T_[query.indices][:, positions].toarray()``, looked up in the rows
        of the case-major copy (``matrix_``) of those few positions: a result's row
        bisected for the query's features (``rows``, the scoring's slice, is not needed)."""
        return _lookup(self.matrix_, query.indices, among=positions).T

    def _worth_naming(self, columns):
        """Per query feature column: whether it may be named as a reason at all (not held
        by most indexed cases)."""
        names = [self.feature_names_[c] for c in columns]
        cases = self.matrix_T_.shape[1]
        indptr = self.matrix_T_.indptr
        held = indptr[columns + 1] - indptr[columns] if len(columns) else np.zeros(0)
        common = (held > COMMON_SHARE * cases) if cases >= COMMON_MIN_CASES else held < 0
        return [
            not (block in COMMON_BLOCKS and is_common)
            for (block, _), is_common in zip(names, common, strict=True)
        ]

    def _reasons(self, case, features, scored, numeric, positions):
        query, rows = scored
        surface = {}
        for stem, word in text_pairs(case):
            surface.setdefault(("text", stem), word)
        index = {p["id"] for p in case["persons"] if p.get("index") and not p.get("deceased")}
        for token, word in interest_pairs(case, index):
            surface.setdefault(("interests", token), word)
        # Per result its column of contributions, as floats (not numpy scalars one by one).
        contributions = self._contributions(query, positions, rows).T.tolist()
        names = [self.feature_names_[c] for c in query.indices]
        worth = self._worth_naming(query.indices)
        # Stop words never become features; a thesaurus phrase may still show one.
        general = _unnamed(stopwords())
        phrases = {}  # per query feature its phrase, the same for every result
        out = []
        for i, position in enumerate(positions):
            found, words = [], []
            for (block, token), value, ok in zip(names, contributions[i], worth, strict=True):
                if value <= 0 or not ok:
                    continue
                if block == "text":
                    word = surface.get((block, token), token)
                    if word not in general and token not in general:
                        words.append((value, word))
                    continue
                if (block, token) not in phrases:
                    phrases[block, token] = self._phrase(block, token, surface)
                phrase = phrases[block, token]
                if phrase:
                    found.append((value, phrase, block))
            if words:
                # A word and its broader term ("pony": paard, dier) count once, summed.
                summed = {}
                for value, word in words:
                    summed[word] = summed.get(word, 0.0) + value
                top = sorted(summed.items(), key=lambda item: (-item[1], item[0]))[:4]
                found.append(
                    (
                        sum(v for _, v in top),
                        "beide noemen: " + ", ".join(w for w, _ in top),
                        "text",
                    )
                )
            if numeric is not None:
                found.extend(
                    (value, text, "numeric")
                    for value, text in self._numeric_reasons(numeric[position], position)
                )
            out.append(self._strongest_varied(found))
        return out

    def _solution_reasons(self, case, family, row, needs=None):
        """Why the best solution could work here: ``(phrases, levers)``. The lever in
        the child's own words ("hefboom: haar liefde voor paarden"; met through the
        broader passion, both words are named and nothing the case does not say is
        claimed: "dieren (hier: honden; daar: paarden)"), a carrier the family has, and
        the strongest needs it answers, one of each kind."""
        vocab = self.solutions_.vocab
        parts = self.solutions_.parts(family, row, needs)
        profile = self.solutions_.profiles[row]
        phrases, levers = [], []
        passion = parts["passion"]
        if passion:
            _, concept, here, there, exact = passion
            label = vocab.passion_label(concept)
            where = f"daar: {there}" if here == there else f"hier: {here}; daar: {there}"
            if here not in family["own_words"]:
                phrases.append(f"hefboom: het verhaal noemt {here} ({where.split('; ')[-1]})")
            else:
                phrases.append(f"hefboom: {_possessive(case)} liefde voor {label} ({where})")
            levers.append(
                {
                    "kind": "passion",
                    "concept": concept,
                    "label": label,
                    "here": here,
                    "there": there,
                    "match": "exact" if exact else "broader",
                }
            )
        wish = parts["wish"]
        named_situations = set()
        if wish:
            name, words = wish
            answering = next(
                (a for a in profile["arrangements"] if vocab.arrangements[a].get("wish") == name),
                None,
            )
            arrangement = vocab.arrangements[answering]["label"] if answering else ""
            phrases.append(
                f"hefboom: {_possessive(case)} eigen wens '{words}' (daar: {arrangement})"
            )
            levers.append(
                {
                    "kind": "wish",
                    "concept": name,
                    "label": vocab.situations[name],
                    "here": words,
                    "there": profile["arrangements"].get(answering, ""),
                    "match": "exact",
                }
            )
            named_situations.add(f"situatie:{name}")
            # What that same arrangement answers is said by the wish already.
            for situation in vocab.arrangements.get(answering, {}).get("answers", []):
                named_situations.add(f"situatie:{situation}")
        carrier = parts["carrier"]
        if carrier:
            _, concept, here, there = carrier
            label = vocab.carriers[concept]["label"]
            phrases.append(f"drager: {label} (hier: {here}; daar: {there})")
            levers.append(
                {
                    "kind": "carrier",
                    "concept": concept,
                    "label": label,
                    "here": here,
                    "there": there,
                    "match": "exact",
                }
            )
        named = set()
        # The need its own kind of arrangement answers first (a kamertraining: a place of
        # one's own at 18), then by weight.
        main = vocab.arrangements.get(next(iter(profile["arrangements"]), None), {})
        first = {f"situatie:{name}" for name in main.get("answers", [])}
        for _, token in sorted(parts["needs"], key=lambda item: (item[1] not in first, -item[0])):
            kind, _, code = token.partition(":")
            if kind in named or token in named_situations:
                continue
            if kind == "situatie":
                answering = self._answering(profile, code)
                if not answering:
                    continue
                arrangement = vocab.arrangements[answering]["label"]
                phrases.append(f"antwoord op: {vocab.situations[code]} (daar: {arrangement})")
                levers.append(
                    {
                        "kind": "arrangement",
                        "concept": answering,
                        "label": arrangement,
                        "here": vocab.situations[code],
                        "there": profile["arrangements"][answering],
                        "match": "need",
                    }
                )
            elif kind == "partner":
                phrases.append(f"brengt in wat ontbreekt: {codes.PARTNERS.get(code, code)}")
            else:
                continue  # a shared problem is named among the likeness reasons
            named.add(kind)
            if len(named) == 2:
                break
        return phrases, levers

    def _answering(self, profile, situation):
        """The first arrangement of a solution that answers ``situation`` (or None)."""
        arrangements = self.solutions_.vocab.arrangements
        for name in profile["arrangements"]:
            if situation in arrangements[name].get("answers", []):
                return name
        return None

    def _strongest_varied(self, found):
        """The strongest phrases, one of each kind (block), a second of the same kind
        only when it is strong (``STRONG``): a problem, an interest and a history say
        more than four problems. In order of strength, at most ``max_reasons``."""
        # One phrase may come from several features (paard and dier; a partner
        # present and in the team): it counts with their sum.
        summed, block_of = {}, {}
        for value, phrase, block in found:
            summed[phrase] = summed.get(phrase, 0.0) + value
            block_of.setdefault(phrase, block)
        # A shared goal is context more than likeness (a third of all cases share one):
        # named only when there is room.
        ordered = sorted(
            summed.items(), key=lambda item: (block_of[item[0]] == "goal", -item[1], item[0])
        )
        per_block = Counter()
        chosen = []
        for phrase, value in ordered:
            block = block_of[phrase]
            if per_block[block] and value < STRONG:
                continue
            per_block[block] += 1
            chosen.append(phrase)
        return chosen[: self.max_reasons]

    def _phrase(self, block, token, surface):
        kind, _, code = token.partition(":")
        if block == "interests":
            word = surface.get((block, token), token.lstrip("~"))
            return f"in het gezin: {word}" if token.startswith("~") else f"interesse {word}"
        if block == "problems":
            role = {
                "ouder": "ouder",
                "kind": "kind",
                "broerzus": "broer of zus",
                "familie": "familielid",
            }[kind]
            return f"beide: {role} met {codes.PROBLEMS.get(code, code)}"
        if block == "residence":
            label = codes.RESIDENCES.get(code, code)
            return f"kind woont nu: {label}" if kind == "nu" else f"eerder geplaatst: {label}"
        if block == "goal":
            return f"zelfde doel: {codes.GOALS.get(code, code)}"
        if block == "family":
            return FAMILY_LABELS.get(token, token)
        if block == "partners":
            label = codes.PARTNERS.get(code, code)
            if kind in ("aanwezig", "team"):
                return f"beide: {label} betrokken"
            if kind == "ontbreekt":
                return f"beide: {label} ontbreekt"
            title = next((r.title for r in self.ruleset_.rules if r.id == code), code)
            return f"beide signaal: {title}"
        return None

    def _numeric_reasons(self, similarity, position):
        weight = self.weights_.get("numeric", 0.0)
        placements, secure, informal, age = self.numeric_[position]
        share = weight / len(NUMERIC)
        found = []
        close = similarity[0] >= math.exp(-0.5) and similarity[1] >= math.exp(-0.5)
        # Only a history worth naming: three moves or more, or a secure stay.
        if close and (placements >= 3 or secure >= 1):
            text = f"{int(placements)} plaatsingen"
            if secure:
                text += f" waarvan {int(secure)} gesloten"
            found.append((share * (similarity[0] + similarity[1]), text))
        if not np.isnan(similarity[3]) and similarity[3] >= math.exp(-1 / 3):
            found.append((share * similarity[3] * 0.5, f"leeftijd rond {int(age)} jaar"))
        return found


@contextlib.contextmanager
def _settling():
    """``settle(count)`` to call after each case a fit reads: see ``SETTLE_EVERY``."""
    if not gc.isenabled() or gc.get_freeze_count():
        yield lambda count: None
        return

    def settle(count):
        if count % SETTLE_EVERY == 0:
            gc.freeze()

    try:
        yield settle
    finally:
        gc.unfreeze()


class _Spread:
    """``spread[position]``: the row of ``distinct`` that position ``position`` has."""

    def __init__(self, distinct, inverse):
        self.distinct, self.inverse = distinct, inverse

    def __getitem__(self, position):
        return self.distinct[self.inverse[position]]


def _lookup(rows, positions, among=None):
    """``rows[:, positions].toarray()`` of a CSR matrix with sorted indices, by bisecting
    each row for the few positions (no copy of the rows' columns); only the rows
    ``among`` (in that order) when given: ``rows[among][:, positions].toarray()``."""
    wanted = np.asarray(positions, dtype=rows.indices.dtype)
    among = range(rows.shape[0]) if among is None else among
    out = np.zeros((len(among), len(wanted)))
    indptr, indices, data = rows.indptr, rows.indices, rows.data
    for i, r in enumerate(among):
        start, stop = indptr[r], indptr[r + 1]
        if start == stop:
            continue
        at = np.searchsorted(indices[start:stop], wanted)
        hit = at < stop - start
        hit[hit] = indices[start:stop][at[hit]] == wanted[hit]
        out[i, hit] = data[start:stop][at[hit]]
    return out


def _possessive(case):
    """ "zijn", "haar" or "hun": whose passion, by the index children."""
    index = [p for p in case["persons"] if p.get("index") and not p.get("deceased")]
    if len(index) > 1:
        return "hun"
    sex = index[0].get("sex") if index else None
    return {"male": "zijn", "female": "haar"}.get(sex, "de")


@functools.lru_cache(maxsize=2)
def _unnamed(stop):
    """The words never named as a reason: the stop words ``stop`` and the general words
    (kept per stop-word list: ``finder.analyzer.reload`` gives a new one)."""
    return stop | _general_words()


@functools.cache
def _general_words():
    """The words of ``general_words_nl.txt`` (matched as written and as a stem equal to
    one of them; not by stem, which would also take "wet" for "weten")."""
    return load_stopwords(GENERAL_WORDS_FILE)


FAMILY_LABELS = {
    "grootouders": "grootouders in beeld",
    "grootouders_hecht": "grootouders met een hechte band",
    "oom_tante": "oom of tante in beeld",
    "oom_tante_hecht": "oom of tante met een hechte band",
    "alleenstaande_ouder": "één ouder",
    "ouders_uit_elkaar": "ouders uit elkaar",
    "ouder_overleden": "een ouder overleden",
    "broers_zussen": "broers of zussen",
    "broers_zussen_apart": "broers en zussen wonen apart",
    "pleegouder": "pleegouder",
    "stiefouder": "stiefouder",
    "ouders_conflict": "conflict tussen de ouders",
    "kind_ouder_verwijderd": "kind en ouder verwijderd",
    "kind_ouder_geweld": "geweld tussen ouder en kind",
    "kind_ouder_hecht": "kind hecht met een ouder",
}
