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

Then the expert sets (``tests/data/expert/`` and, when present, ``../shared/eval/expert/``):
for each case the library cases an expert judged *useful* (their solutions would transfer
by their lever), against the finder's top 10 taken exactly as
``cases similar --file FILE -k 10 --json`` gives it, through the published, de-identified
demo library in a scratch database (``bench/eval_rules.py`` builds it, with its cache),
the library codes mapped back to ``lib-a01`` ... by the database. Per set: useful@3 (the
share of the top-3 places that are useful; 3 places always count), hit@3 (a useful case
in the top 3) and MRR@10 (the reciprocal rank of the first useful case within 10), beside
the same TF-IDF baseline over the narratives of the same de-identified library.
``--verbose`` prints each expert case's top 3, useful ones marked ``*``.

It is a measurement: it exits 0. Run: ``.venv/bin/python bench/eval_finder.py [--tune]
[--verbose]`` (or ``make eval``).
"""

import argparse
import json
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Files in this folder are named like packages: keep the folder itself off sys.path.
HERE = ROOT / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from bench import eval_rules  # noqa: E402
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


# --------------------------------------------------------------------- expert sets: scoring (pure)


def useful_at(ranked, useful, k=3):
    """Share of the first ``k`` places holding a useful case; ``k`` places always count."""
    return sum(code in useful for code in ranked[:k]) / k


def hit_at(ranked, useful, k=3):
    """1.0 when a useful case is among the first ``k``, else 0.0."""
    return float(any(code in useful for code in ranked[:k]))


def reciprocal_rank(ranked, useful, k=10):
    """1 / the rank of the first useful case within ``k``, 0.0 when there is none."""
    return next((1 / rank for rank, code in enumerate(ranked[:k], 1) if code in useful), 0.0)


def expert_figures(rankings, expected):
    """Means over the ranked cases: ``{"useful@3", "hit@3", "MRR@10", "n"}``."""
    n = len(rankings)
    if not n:
        return {"useful@3": 0.0, "hit@3": 0.0, "MRR@10": 0.0, "n": 0}

    def mean(score):
        return sum(score(r, set(expected[c]["useful"])) for c, r in rankings.items()) / n

    return {
        "useful@3": mean(useful_at),
        "hit@3": mean(hit_at),
        "MRR@10": mean(reciprocal_rank),
        "n": n,
    }


# --------------------------------------------------------------------- expert sets: running


def library_narratives(db, library_codes):
    """``{lib-xxx: narrative}`` of the published (de-identified) library copies."""
    from finder.index import code_for

    return {
        library_codes[code_for(row["id"])]: json.loads(row["document"]).get("narrative") or ""
        for row in db.query("SELECT id, document FROM library_cases ORDER BY id")
    }


def narrative_baseline(narratives, query_narrative, k=10):
    """The library codes by TF-IDF cosine to ``query_narrative``, ties by code."""
    codes = sorted(narratives)
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform([narratives[c] for c in codes])
    scores = (matrix @ vectorizer.transform([query_narrative or ""]).T).toarray().ravel()
    return ranked_codes(codes, scores)[:k]


def similar_by_cli(runner, path, k=10):
    """The library codes ``cases similar --file PATH -k K --json`` answers, in order."""
    result = runner.invoke(args=["cases", "similar", "--file", str(path), "-k", str(k), "--json"])
    if result.exit_code != 0:
        raise RuntimeError((result.stdout or str(result.exception)).strip()[:300])
    return [r["code"] for r in json.loads(result.stdout)]


def expert_rankings(sets, k=10):
    """``{set name: {"expected", "finder": {code: top k}, "baseline": {...}, "errors"}}``
    for each ``(name, folder)`` present; the library published once for all sets."""
    from core.web import get_db

    out = {}
    with tempfile.TemporaryDirectory(prefix="eval-finder-") as folder:
        app = eval_rules.make_app(folder)
        with app.app_context():
            library_codes = eval_rules.publish_library(get_db())
            narratives = library_narratives(get_db(), library_codes)
        runner = app.test_cli_runner()
        for name, path in sets:
            loaded = eval_rules.load_set(path)
            if loaded is None:
                continue
            expected, documents = loaded
            finder, baseline, errors = {}, {}, {}
            for code in expected:
                if code not in documents:
                    errors[code] = "no case file"
                    continue
                try:
                    doc, _note = eval_rules.accepted(documents[code])
                    file = pathlib.Path(folder) / f"{code}.json"
                    file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
                    found = similar_by_cli(runner, file, k)
                except Exception as error:  # a measurement: name the case, go on
                    errors[code] = f"{type(error).__name__}: {error}"
                    continue
                finder[code] = [library_codes.get(c, c) for c in found]
                baseline[code] = narrative_baseline(narratives, doc.get("narrative"), k)
            out[name] = {
                "expected": expected,
                "finder": finder,
                "baseline": baseline,
                "errors": errors,
            }
    return out


def marked(ranked, useful, k=3):
    return " ".join(f"{c}{'*' if c in useful else ' '}" for c in ranked[:k])


def show_expert(results, verbose=False):
    print("expert sets: useful library cases (by lever) in `cases similar --file -k 10`")
    print(f"{'':<36} {'useful@3':>8} {'hit@3':>6} {'MRR@10':>7}")
    for name, result in results.items():
        expected = result["expected"]
        print(f"{name} ({len(result['finder'])} of {len(expected)} cases)")
        for label, rankings in (
            ("finder", result["finder"]),
            ("baseline TF-IDF narrative", result["baseline"]),
        ):
            f = expert_figures(rankings, expected)
            print(f"  {label:<34} {f['useful@3']:>8.3f} {f['hit@3']:>6.3f} {f['MRR@10']:>7.3f}")
        for code, error in result["errors"].items():
            print(f"  NOT RUN {code}: {error}")
        if verbose:
            for code, ranked in result["finder"].items():
                useful = set(expected[code]["useful"])
                rank = next((i for i, c in enumerate(ranked, 1) if c in useful), None)
                first = f"first useful {rank}" if rank else "no useful in 10"
                print(
                    f"    {code:<38} {marked(ranked, useful)}  ({first}; baseline "
                    f"{marked(result['baseline'][code], useful).strip()})"
                )
    missing = [name for name, path in eval_rules.SETS if name not in results]
    for name in missing:
        print(f"{name}: not present, skipped")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="search the block weights")
    parser.add_argument("--verbose", action="store_true", help="each expert case's top 3")
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
    print()
    started = time.monotonic()
    try:
        show_expert(expert_rankings(eval_rules.SETS), verbose=args.verbose)
    except Exception as error:  # a measurement: say what broke, never fail the build
        print(f"expert sets could not run: {type(error).__name__}: {error}")
    print(f"expert sets took {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
