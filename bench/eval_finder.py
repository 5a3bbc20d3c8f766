"""Quality of the similar-case finder on the public evaluation set ``../shared/eval/``.

Exactly the metric of that folder's README: each query ranks the 30 library cases only
(ties in score by code, ascending); hit@3 and MRR@10 overall and per query style
(keyword, structured), beside a plain TF-IDF-on-narrative baseline (scikit-learn's
``TfidfVectorizer``, cosine, narrative only).

The weights (``finder/weights.py``) are tuned on the *library* only: leave-one-out, each
library case a query against the other 29, relevant = the same label (2 each), the query
taken as it stood before its solution (``situation_only``: without its solutions and the
network members they brought in, like a family at the table). That figure is printed
first, beside the same with the stored cases as queries; the queries are the held-out
check and are never used to tune.
``--tune`` runs the coordinate search over the block weights on the library and prints
the weights it found (paste them into ``finder/weights.py``).

Run: ``.venv/bin/python bench/eval_finder.py [--tune]`` (or ``make eval``).
"""

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Files in this folder are named like packages: keep the folder itself off sys.path.
HERE = ROOT / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from cases.validation import parse_cases  # noqa: E402
from finder import CaseFinder  # noqa: E402
from finder.estimator import BLOCKS  # noqa: E402
from finder.evaluation import score_rankings, situation_only  # noqa: E402
from finder.weights import WEIGHTS  # noqa: E402

EVAL = ROOT / ".." / "shared" / "eval"
KEYWORD = {f"pub-q-{n:02d}" for n in (1, 3, 5, 7, 9, 12, 13, 15)}
GRID = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0)


def load():
    def read(name):
        return json.loads((EVAL / name).read_text(encoding="utf-8"))

    return (
        parse_cases(read("library.json")),
        read("library_labels.json"),
        parse_cases(read("queries.json")),
        read("query_labels.json"),
    )


def ranked_codes(codes, scores, own=None):
    """Codes by score descending, ties by code ascending; ``own`` left out."""
    rounded = np.round(np.asarray(scores, dtype=float), 9)
    order = sorted(range(len(codes)), key=lambda i: (-rounded[i], codes[i]))
    return [codes[i] for i in order if codes[i] != own]


def finder_rankings(finder, queries, transform=None):
    transform = transform or (lambda case: case)
    return {q["code"]: [finder.codes_[p] for p, _ in finder.rank(transform(q))] for q in queries}


def baseline_rankings(library, queries, *, leave_one_out=False):
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform([c["narrative"] or "" for c in library])
    codes = [c["code"] for c in library]
    out = {}
    for query in queries:
        scores = (matrix @ vectorizer.transform([query["narrative"] or ""]).T).toarray().ravel()
        out[query["code"]] = ranked_codes(codes, scores, query["code"] if leave_one_out else None)
    return out


def split(rankings, labels, query_labels):
    keyword = {q: r for q, r in rankings.items() if q in KEYWORD}
    structured = {q: r for q, r in rankings.items() if q not in KEYWORD}
    return {
        "all": score_rankings(rankings, query_labels, labels),
        "keyword": score_rankings(keyword, query_labels, labels),
        "structured": score_rankings(structured, query_labels, labels),
    }


def block_similarities(library):
    """``{block: (n, n) array}``: unweighted similarities of every library case, as it
    stood before its solution, to every other, from a finder with all weights 1 (the IDF
    is the library's)."""
    finder = CaseFinder(weights=dict.fromkeys(BLOCKS, 1.0)).fit(library)
    per_case = [finder.similarities(situation_only(c)) for c in library]
    return {b: np.vstack([s[b] for s in per_case]) for b in BLOCKS}


def loo_score(sims, weights, library, labels):
    codes = [c["code"] for c in library]
    total = sum(weights[b] * sims[b] for b in BLOCKS)
    rankings = {code: ranked_codes(codes, total[i], code) for i, code in enumerate(codes)}
    return score_rankings(rankings, labels, labels)


def tune(library, labels, passes=4):
    """Coordinate ascent over GRID per block on the library's leave-one-out MRR@10
    (hit@3 breaks ties, then the smaller change from the current weights). The text
    weight stays 1: scores are relative."""
    sims = block_similarities(library)
    weights = dict.fromkeys(BLOCKS, 1.0)

    def objective(w):
        s = loo_score(sims, w, library, labels)
        return (round(s["MRR@10"], 6), s["hit@3"])

    best = objective(weights)
    for _ in range(passes):
        changed = False
        for block in BLOCKS:
            if block == "text":
                continue
            for value in GRID:
                trial = {**weights, block: value}
                found = objective(trial)
                if found > best:
                    best, weights, changed = found, trial, True
        if not changed:
            break
    return weights, best


def show(name, figures):
    cells = []
    for style in ("all", "keyword", "structured"):
        f = figures[style]
        cells.append(f"{f['hit@3']:.3f} {f['MRR@10']:.3f}")
    print(f"{name:<28} " + "   ".join(f"{c:>13}" for c in cells))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="search the block weights")
    args = parser.parse_args(argv)
    library, labels, queries, query_labels = load()

    if args.tune:
        weights, (mrr, hit) = tune(library, labels)
        print(f"tuned on library leave-one-out: MRR@10 {mrr:.3f}, hit@3 {hit:.3f}")
        print("WEIGHTS = " + json.dumps(weights, indent=4))
        return 0

    print("weights (finder/weights.py): " + ", ".join(f"{b} {WEIGHTS[b]:g}" for b in BLOCKS))
    finder = CaseFinder().fit(library)
    loo = score_rankings(finder_rankings(finder, library, situation_only), labels, labels)
    stored = score_rankings(finder_rankings(finder, library), labels, labels)
    base_loo = score_rankings(
        baseline_rankings(library, library, leave_one_out=True), labels, labels
    )
    print()
    print("library, leave-one-out (30 queries, 2 relevant each; the weights are tuned here)")
    for name, figures in (
        ("finder, situation only", loo),
        ("finder, stored cases", stored),
        ("baseline (narrative)", base_loo),
    ):
        print(f"  {name:<24} hit@3 {figures['hit@3']:.3f}  MRR@10 {figures['MRR@10']:.3f}")
    print()
    print("queries, held out (15 queries ranking the 30 library cases, 3 relevant each)")
    print(f"{'':<28} {'all':>13}   {'keyword (8)':>13}   {'structured (7)':>13}")
    print(f"{'':<28} " + "   ".join(f"{'hit@3 MRR@10':>13}" for _ in range(3)))
    ours = split(finder_rankings(finder, queries), labels, query_labels)
    base = split(baseline_rankings(library, queries), labels, query_labels)
    show("finder", ours)
    show("baseline TF-IDF narrative", base)
    print()
    targets = ours["all"]["hit@3"] >= 0.9 and ours["all"]["MRR@10"] >= 0.8
    print(f"targets hit@3 >= 0.9 and MRR@10 >= 0.8: {'met' if targets else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
