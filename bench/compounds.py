"""Dutch compounds in the finder: a decompounder or character n-grams? (issue 14)

"ontruimingsvonnis" must meet "ontruiming", "schuldhulpverlening" "schulden". Two ways,
measured beside the analyzer without compounds:

- **A, decompounder** (``finder.compounds``, in ``finder.analyzer``): a compound's known
  parts are extra words beside the whole word, through the thesaurus and the stemmer.
- **B, character n-grams**: an extra block, scikit-learn's
  ``TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5))`` over the case text (the
  persons' names left out, as in the text block), its cosine added to the score with a
  weight (``CharFinder`` below: a ``CaseFinder`` subclass, the estimator is not changed).

Figures: the finder's evaluation of ``bench/eval_finder.py`` (library leave-one-out,
situation only, where the weights are tuned; the held-out queries) and ``finder
useful@3`` of ``bench/eval_rules.py`` on both expert sets; the size of the text
features and the time to fit and to query; then a table of word pairs and whether each
option makes them meet (B: the cosine of the two words' n-gram vectors; a shared n-gram
is no word a reason can name).

Run: ``.venv/bin/python bench/compounds.py`` (the expert sets need the de-identified
library: the first run of ``bench/eval_rules.py`` caches it, later runs take seconds).
"""

import contextlib
import functools
import importlib.util
import io
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Files in this folder are named like packages: keep the folder itself off sys.path.
HERE = ROOT / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

import scipy.sparse as sp  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from finder import analyzer  # noqa: E402
from finder.compounds import Decompounder  # noqa: E402
from finder.estimator import CaseFinder  # noqa: E402
from finder.evaluation import score_rankings, situation_only  # noqa: E402
from finder.features import case_text, person_names  # noqa: E402
from finder.weights import WEIGHTS  # noqa: E402


def _bench_module(name):
    """A sibling bench script as a module (the folder stays off sys.path)."""
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


eval_finder = _bench_module("eval_finder")
eval_rules = _bench_module("eval_rules")

CHAR_WEIGHTS = (0.5, 1.0, 2.0)  # the n-gram block beside text 1 (finder/weights.py)

PAIRS = (
    ("ontruimingsvonnis", "ontruiming"),
    ("schuldhulpverlening", "schulden"),
    ("schuldhulpverlening", "hulpverlening"),
    ("pleeggezinnen", "gezin"),
    ("jeugdzorgplus", "jeugdzorg"),
    ("huurachterstand", "huurwoning"),
    ("zorgboerderij", "zorg"),
    ("paardenmeisje", "meisje"),
    ("voetbaltrainer", "trainer"),
    ("muziekschool", "muziek"),
    ("beschermingsbewind", "bewind"),
    # should NOT meet
    ("verslaving", "slaven"),
    ("verslaving", "verslag"),
    ("beschermingsbewind", "schermen"),
    ("ontruiming", "ruimte"),
    ("kinderen", "eren"),
)
SHOULD_NOT = 5  # the last pairs are false friends


def char_text(case):
    """The case text as the n-gram block reads it: lower-case words, names left out."""
    names = person_names(case)
    return " ".join(w for w in analyzer.tokenize(case_text(case)) if w not in names)


def char_vectorizer():
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True)


class CharFinder(CaseFinder):
    """Option B: ``CaseFinder`` plus ``char_weight`` times the cosine of the case texts'
    character n-gram vectors (``char_wb``, 4-5)."""

    def __init__(self, char_weight=1.0, **kwargs):
        super().__init__(**kwargs)
        self.char_weight = char_weight

    def fit(self, cases, y=None):
        cases = list(cases)
        super().fit(cases)
        self.char_ = char_vectorizer()
        self.char_matrix_ = self.char_.fit_transform([char_text(c) for c in cases])
        self._query = None
        return self

    def add(self, case):
        super().add(case)
        row = self.char_.transform([char_text(case)])
        self.char_matrix_ = sp.vstack([self.char_matrix_, row], format="csr")
        return self

    def _scores(self, features):
        scores, query, rows, numeric = super()._scores(features)
        if self._query is not None:
            q = self.char_.transform([self._query])
            scores = scores + self.char_weight * (self.char_matrix_ @ q.T).toarray().ravel()
        return scores, query, rows, numeric

    def rank(self, case, **kwargs):
        self._query = char_text(case)
        try:
            return super().rank(case, **kwargs)
        finally:
            self._query = None

    def kneighbors(self, case, n_neighbors=5, **kwargs):
        self._query = char_text(case)
        try:
            return super().kneighbors(case, n_neighbors, **kwargs)
        finally:
            self._query = None


@contextlib.contextmanager
def compounds(on):
    """The analyzer with (``on``) or without its decompounder."""
    saved = analyzer.decompounder
    if not on:
        none = Decompounder((), stem=analyzer.stem)
        analyzer.decompounder = lambda: none
    try:
        yield
    finally:
        analyzer.decompounder = saved


@contextlib.contextmanager
def finder_factory(factory):
    """``LibraryIndex`` (as ``eval_rules`` builds it through ``finder.web``) with
    ``factory`` for its finder."""
    from finder import index, web

    saved = web.LibraryIndex
    web.LibraryIndex = functools.partial(index.LibraryIndex, finder_factory=factory)
    try:
        yield
    finally:
        web.LibraryIndex = saved


def finder_figures(factory, library, labels, queries, query_labels):
    started = time.perf_counter()
    finder = factory().fit(library)
    fit = time.perf_counter() - started
    started = time.perf_counter()
    loo = score_rankings(
        eval_finder.finder_rankings(finder, library, situation_only), labels, labels
    )
    query = (time.perf_counter() - started) / len(library)
    held = eval_finder.split(eval_finder.finder_rankings(finder, queries), labels, query_labels)
    return {"loo": loo, "queries": held["all"], "fit": fit, "query": query, "finder": finder}


def expert_figures(factory):
    """``{set name: mean useful@3}`` of ``bench/eval_rules.py``."""
    sets = [("own", eval_rules.OWN_SET), ("public", eval_rules.PUBLIC_SET)]
    with finder_factory(factory), contextlib.redirect_stderr(io.StringIO()):
        results = eval_rules.evaluate(sets, out=io.StringIO())
    out = {}
    for name, (rows, _) in results.items():
        useful = [r["useful@3"] for r in rows.values() if r.get("useful@3") is not None]
        out[name] = sum(useful) / len(useful) if useful else float("nan")
    return out


def text_size(finder):
    start, stop = finder.blocks_["text"]
    block = finder.matrix_T_[start:stop]
    size = {"features": stop - start, "nonzero": block.nnz}
    if isinstance(finder, CharFinder):
        size["features"] += finder.char_matrix_.shape[1]
        size["nonzero"] += finder.char_matrix_.nnz
    return size


def _nbytes(matrix):
    return matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes


def text_cost(library, copies=20):
    """What the text alone costs on ``copies`` times the library (every fifth word gets
    a letter per copy, so the vocabulary grows as in a real library): ``{option: (fit s,
    query ms, features, MB)}``; the word options through the analyzer and a TF-IDF over
    tokens as in the estimator (a first pass warms the caches), B through the n-gram
    vectoriser."""
    texts = [
        " ".join(
            w + "bcdfghk"[i % 7] if j % 5 == 0 else w for j, w in enumerate(char_text(c).split())
        )
        for i in range(copies)
        for c in library
    ]
    out = {}
    for name, on in (("current analyzer", False), ("A decompounder", True)):
        with compounds(on):
            analyzer.stem.cache_clear()
            for text in texts:
                analyzer.analyze(text)
            started = time.perf_counter()
            vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True)
            matrix = vectorizer.fit_transform([analyzer.analyze(t) for t in texts])
            fit = time.perf_counter() - started
            started = time.perf_counter()
            for text in texts[:50]:
                matrix @ vectorizer.transform([analyzer.analyze(text)]).T
            query = (time.perf_counter() - started) / 50 * 1000
        out[name] = (fit, query, matrix.shape[1], _nbytes(matrix) / 1e6)
    started = time.perf_counter()
    vectorizer = char_vectorizer()
    matrix = vectorizer.fit_transform(texts)
    fit = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts[:50]:
        matrix @ vectorizer.transform([text]).T
    query = (time.perf_counter() - started) / 50 * 1000
    out["B char_wb 4-5 (extra)"] = (fit, query, matrix.shape[1], _nbytes(matrix) / 1e6)
    return out


def pair_table(library):
    chars = char_vectorizer().fit([char_text(c) for c in library])
    rows = []
    for a, b in PAIRS:
        with compounds(False):
            plain = sorted(set(analyzer.analyze(a)) & set(analyzer.analyze(b)))
        shared = sorted(set(analyzer.analyze(a)) & set(analyzer.analyze(b)))
        vectors = chars.transform([a, b])
        cosine = float((vectors[0] @ vectors[1].T).toarray()[0, 0])
        rows.append((f"{a} ~ {b}", plain, shared, cosine))
    return rows


def main():
    library, labels, queries, query_labels = eval_finder.load()
    options = [("current analyzer", False, CaseFinder), ("A decompounder", True, CaseFinder)]
    options += [
        (f"B char_wb 4-5, weight {w:g}", False, functools.partial(CharFinder, char_weight=w))
        for w in CHAR_WEIGHTS
    ]
    options.append(("A + B (weight 0.5)", True, functools.partial(CharFinder, char_weight=0.5)))
    # The control: B adds a second text-like block; is its gain only more weight on text?
    for extra in (1, 2):
        more_text = functools.partial(
            CaseFinder, weights={**WEIGHTS, "text": WEIGHTS["text"] + extra}
        )
        options += [
            (f"control: text weight +{extra}", False, more_text),
            (f"A, text weight +{extra}", True, more_text),
        ]
    print("finder figures (bench/eval_finder.py, bench/eval_rules.py finder useful@3)")
    print(
        f"{'':<28} {'LOO situation':>14} {'queries':>13} {'useful@3':>12} "
        f"{'text block':>17} {'fit':>7} {'query':>8}"
    )
    print(
        f"{'':<28} {'hit@3 MRR@10':>14} {'hit@3 MRR@10':>13} {'own  public':>12} "
        f"{'features nonzero':>17} {'ms':>7} {'ms':>8}"
    )
    for name, on, factory in options:
        with compounds(on):
            analyzer.stem.cache_clear()
            f = finder_figures(factory, library, labels, queries, query_labels)
            useful = expert_figures(factory)
        size = text_size(f["finder"])
        print(
            f"{name:<28} {f['loo']['hit@3']:>6.3f} {f['loo']['MRR@10']:>6.3f}  "
            f"{f['queries']['hit@3']:>5.3f} {f['queries']['MRR@10']:>6.3f} "
            f"{useful.get('own', float('nan')):>5.2f} {useful.get('public', float('nan')):>6.2f} "
            f"{size['features']:>8} {size['nonzero']:>8} "
            f"{f['fit'] * 1000:>7.0f} {f['query'] * 1000:>8.1f}"
        )
    print()
    copies = 20
    print(f"the text alone, on the library {copies} times ({copies * len(library)} texts)")
    print(f"{'':<28} {'fit s':>7} {'query ms':>9} {'features':>9} {'MB':>6}")
    for name, (fit, query, features, mb) in text_cost(library, copies).items():
        print(f"{name:<28} {fit:>7.2f} {query:>9.2f} {features:>9} {mb:>6.2f}")
    print()
    print("word pairs: do they meet? (current / A: shared analyzer tokens; B: n-gram cosine)")
    print(f"{'pair':<40} {'current':<14} {'A decompounder':<24} {'B cosine':>8}")
    rows = pair_table(library)
    for i, (pair, plain, shared, cosine) in enumerate(rows):
        if i == len(rows) - SHOULD_NOT:
            print("-- should not meet:")
        print(
            f"{pair:<40} {', '.join(plain) or '-':<14} {', '.join(shared) or '-':<24} "
            f"{cosine:>8.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
