"""Speed and size of the similar-case finder on generated case bases, beside its floors.

A seeded generator makes varied, valid cases (case/1, each through ``canonical_case``):
an index child with problems, interests, a residence and 0-5 placements; parents with
problems, some separated, some deceased; siblings, grandparents and aunts with emotional
relations; a network of 1-5 members; a Dutch narrative of 60-110 words drawn from a
Zipf-like vocabulary of real and compound words; 0-2 solutions with outcomes.

Per size (1,000, 10,000, 100,000 cases): the index build time (``CaseFinder.fit``, which
includes the features and rule signals of every case; the generated cases are streamed
into it, and the time spent generating them is left out), the process's RSS before the
fit and its peak during the fit (sampled); the same fit in a fresh process that only
generates and fits in a stream (its time, and that process's peak RSS: what a fit of that
many cases needs, the interpreter and imports included); the size of the pickled index,
and the query time
p50/p95 over 200 generated cases that are not in the index (``kneighbors`` with k=5:
features, rule signals, scoring, the solutions' fit, ranking, variety and reasons). Beside
it, measured in the same run on the same queries: the floors "bare product" (the query's
prebuilt vector times the index, ``matrix_T_[q.indices].T @ q.data``, and the top k) and
"bare product + numeric block" (plus the numeric block computed plainly over every case),
and the ratio of the project's p95 to the latter (targets: 1.5x at 100,000, 3x at 10,000).

The bench also proves the fast paths change nothing: ``ReferenceFinder`` below is the
finder with the straightforward computations of before issue 18 (every rule evaluated by
the engine, the numeric block over every case, the reasons' values sliced from the
feature-major matrix, every score rounded for the pool, the solutions' maxima with
``maximum.at``, their needs through a slice, their best rows one by one); on every query
both give the same results (codes, scores, reasons, solutions, levers) and their ranking
scores agree to 1e-9. Its query time is printed too.

Run: ``.venv/bin/python bench/similar.py [--sizes 1000,10000,100000] [--queries 200]``;
``--quick`` is ``--sizes 1000,10000 --queries 100`` (under a minute).
"""

import argparse
import json
import os
import pathlib
import pickle
import random
import resource
import statistics
import subprocess
import sys
import threading
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Files in this folder are named like packages: keep the folder itself off sys.path.
HERE = ROOT / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

from cases import codes  # noqa: E402
from cases.validation import canonical_case  # noqa: E402
from finder import CaseFinder, analyzer  # noqa: E402
from finder.estimator import NUMERIC  # noqa: E402
from finder.features import case_features  # noqa: E402
from finder.numeric import mean_known  # noqa: E402
from finder.solutions import BestRows, SolutionIndex  # noqa: E402
from rules.loader import load_rules  # noqa: E402


def _words(text):
    return text.split()


ROOTS = _words(
    "school moeder vader kind gezin huis thuis hulp zorg groep plaatsing ruzie boos bang "
    "verdriet geld schulden deurwaarder huur woning verhuizing politie rechter omgang "
    "scheiding opa oma tante oom paard pony manege hond kat boerderij voetbal training "
    "club trainer muziek tekenen gamen spijbelen leerplicht stage werk baan kliniek opname "
    "verslaving drank drugs psychose depressie angst slapen eten vriendin vrienden broer "
    "zus baby zwanger begeleiding wijkteam jeugdbeschermer voogd pleeggezin gezinshuis "
    "weekend logeren vakantie buurvrouw buurman kerk moskee sportclub dansen zwemmen "
    "fiets scooter brommer telefoon internet nacht ochtend avond gesprek afspraak "
    "vertrouwen contact band hechting trauma geweld melding crisis opvang veiligheid "
    "plan doel toekomst wens zorgen steun netwerk familie"
)
ENDINGS = ("", "en", "je", "tjes", "loos", "huis", "plek", "werk", "tijd", "groep", "hulp")
FILLER = _words("de het een en van in op met voor maar als dat die ze hij zij niet wel ook nog")
INTERESTS = _words(
    "paarden honden voetbal muziek tekenen gamen dansen koken boksen vissen lezen "
    "knutselen zwemmen dieren brommers"
)
PROBLEMS = list(codes.PROBLEMS)
PARTNERS = list(codes.PARTNERS)
AWAY = ["kinship", "foster", "family_home", "residential", "secure", "assisted_living"]


def vocabulary(rng, size=10000):
    words = list(ROOTS)
    while len(words) < size:
        words.append(rng.choice(ROOTS) + rng.choice(ROOTS[:60]) + rng.choice(ENDINGS))
    return words


def narrative(rng, words, n):
    # Zipf-like: a few words are common, most are rare.
    picked = []
    for _ in range(n):
        if rng.random() < 0.35:
            picked.append(rng.choice(FILLER))
        else:
            picked.append(words[min(int(rng.paretovariate(0.7)) - 1, len(words) - 1)])
    return " ".join(picked).capitalize() + "."


def _placements(rng, year, residence):
    count = rng.choice([0, 0, 1, 1, 2, 3, 4, 5])
    if residence != "home":
        count = max(count, 1)
    stays = []
    for i in range(count):
        start = f"{year + i}-0{rng.randint(1, 9)}-01"
        end = f"{year + i}-12-01"
        kind = residence if i == count - 1 and residence != "home" else rng.choice(AWAY)
        stays.append({"residence": kind, "provider": "Aanbieder", "start": start, "end": end})
    if stays and residence != "home":
        stays[-1]["end"] = None
    return stays


def generated_case(seed, words):
    rng = random.Random(seed)
    child_year = rng.randint(2004, 2018)
    residence = rng.choice(["home", "home", *AWAY])
    persons = [
        {
            "id": "p1",
            "name": "Kind",
            "sex": rng.choice(["female", "male"]),
            "birth_year": child_year,
            "index": True,
            "problems": rng.sample(PROBLEMS, rng.randint(1, 3)),
            "interests": rng.sample(INTERESTS, rng.randint(0, 2)),
            "strengths": rng.sample(["doorzetter", "zorgzaam", "grappig", "handig"], 1),
            "residence": residence,
            "placements": _placements(rng, 2019, residence),
        },
        {
            "id": "p2",
            "name": "Moeder",
            "sex": "female",
            "birth_year": child_year - rng.randint(20, 40),
            "problems": rng.sample(PROBLEMS, rng.randint(0, 3)),
            "residence": "home",
        },
        {
            "id": "p3",
            "name": "Vader",
            "sex": "male",
            "birth_year": child_year - rng.randint(20, 45),
            "deceased": rng.random() < 0.08,
            "problems": rng.sample(PROBLEMS, rng.randint(0, 2)),
        },
    ]
    relations = [
        {
            "kind": "couple",
            "a": "p2",
            "b": "p3",
            "status": "ended_by_death"
            if persons[2]["deceased"]
            else rng.choice(["married", "cohabiting", "separated", "divorced"]),
        },
        {"kind": "parent", "parent": "p2", "child": "p1", "type": "biological"},
        {"kind": "parent", "parent": "p3", "child": "p1", "type": "biological"},
    ]
    for i in range(rng.randint(0, 3)):
        pid = f"s{i}"
        persons.append(
            {
                "id": pid,
                "name": "Broer",
                "birth_year": child_year + rng.randint(-6, 6),
                "problems": rng.sample(PROBLEMS, rng.randint(0, 1)),
                "residence": rng.choice(["home", "foster"]),
            }
        )
        relations.append({"kind": "parent", "parent": "p2", "child": pid, "type": "biological"})
    if rng.random() < 0.5:
        persons.append({"id": "g1", "name": "Oma", "sex": "female", "birth_year": 1950})
        relations.append({"kind": "parent", "parent": "g1", "child": "p2", "type": "biological"})
        quality = rng.choice(list(codes.EMOTIONAL_QUALITIES))
        relations.append({"kind": "emotional", "a": "g1", "b": "p1", "quality": quality})
        if rng.random() < 0.5:
            persons.append({"id": "t1", "name": "Tante", "sex": "female", "birth_year": 1975})
            relations.append(
                {"kind": "parent", "parent": "g1", "child": "t1", "type": "biological"}
            )
    if rng.random() < 0.6:
        quality = rng.choice(list(codes.EMOTIONAL_QUALITIES))
        relations.append({"kind": "emotional", "a": "p1", "b": "p2", "quality": quality})
    ids = [p["id"] for p in persons if not p.get("deceased")]
    network = []
    for i in range(rng.randint(1, 5)):
        network.append(
            {
                "id": f"n{i}",
                "name": "Netwerklid",
                "partner": rng.choice(PARTNERS),
                "in_team": rng.random() < 0.5,
                "ties": [
                    {
                        "person": rng.choice(ids),
                        "strength": rng.choice(list(codes.TIE_STRENGTHS)),
                        "stressful": rng.random() < 0.2,
                        "flow": rng.choice(list(codes.TIE_FLOWS)),
                    }
                ],
            }
        )
    problems = sorted({p for person in persons for p in person.get("problems", [])})
    solutions = [
        {
            "title": "Oplossing",
            "summary": narrative(rng, words, 20),
            "components": rng.sample(INTERESTS, 2),
            "partners": rng.sample(PARTNERS, 2),
            "addresses": rng.sample(problems, 1) if problems else [],
            "outcome": rng.choice(list(codes.SOLUTION_OUTCOMES)),
        }
        for _ in range(rng.randint(0, 2))
    ]
    return canonical_case(
        {
            "format": "case/1",
            "code": f"gen-{seed}",
            "title": f"Gezin {seed}",
            "goal": rng.choice(list(codes.GOALS)),
            "status": rng.choice(["active", "closed"]),
            "started": f"{rng.randint(2019, 2025)}-01-01",
            "narrative": narrative(rng, words, rng.randint(60, 110)),
            "child_perspective": narrative(rng, words, rng.randint(10, 30)),
            "persons": persons,
            "relations": relations,
            "network": network,
            "solutions": solutions,
        }
    )


class PlainRows(BestRows):
    """The best solution's row looked up one position at a time."""

    def many(self, positions):
        return {int(p): self[p] for p in positions}


class ReferenceSolutions(SolutionIndex):
    """The solutions' fit computed plainly: per-row maxima with ``maximum.at``, the needs
    through a slice of the matrix, the best rows one by one."""

    @staticmethod
    def _max_product(matrix, values, size):
        best = np.zeros(size)
        for col, value in values.items():
            start, stop = matrix.indptr[col], matrix.indptr[col + 1]
            np.maximum.at(best, matrix.indices[start:stop], matrix.data[start:stop] * value)
        return best

    def _need_product(self, needs, size):
        cols = np.fromiter(needs, dtype=np.int64)
        return self._need_T[cols].T @ np.fromiter(needs.values(), dtype=float)

    def best(self, family, n_positions, *, allowed=None, worked_only=False):
        fit, rows = super().best(family, n_positions, allowed=allowed, worked_only=worked_only)
        return fit, PlainRows(rows.index, rows.values)


class ReferenceFinder(CaseFinder):
    """The finder with the straightforward computations the fast paths replace."""

    def _top(self, positions, scores, n):
        rounded = np.round(scores[positions], 9)  # every score rounded
        if len(positions) > n:
            kth = np.partition(rounded, len(rounded) - n)[len(rounded) - n]
            positions, rounded = positions[rounded >= kth], rounded[rounded >= kth]
        pairs = zip(positions.tolist(), rounded.tolist(), strict=True)
        return sorted(pairs, key=lambda item: (-item[1], self.codes_[item[0]]))[:n]

    def _features(self, case):
        return case_features(case, self.ruleset_)  # every rule through rules.engine

    def _numeric_block(self, values, weight):
        similarity = self._numeric_similarity(values)  # over every case
        return weight * mean_known(similarity), similarity

    def _fitted_values(self, query, positions, rows=None):
        return self.matrix_T_[query.indices][:, positions].toarray()  # sliced by column


def reference_of(finder):
    """A ``ReferenceFinder`` sharing the fitted state of ``finder``."""
    reference = ReferenceFinder.__new__(ReferenceFinder)
    reference.__dict__.update(finder.__dict__)
    finder.solutions_._fold()
    solutions = ReferenceSolutions.__new__(ReferenceSolutions)
    solutions.__dict__.update(finder.solutions_.__dict__)
    reference.solutions_ = solutions
    return reference


def same_results(finder, reference, query, k=5):
    """Whether both give the same results for ``query`` and the same ranking scores
    (to 1e-9): ``(same, largest score difference)``."""
    if finder.kneighbors(query, k) != reference.kneighbors(query, k):
        return False, float("inf")
    allowed = finder._candidates(query["code"], (), False)
    ours = finder._ranking(finder._features(query), allowed, False)[0]
    theirs = reference._ranking(reference._features(query), allowed, False)[0]
    difference = float(np.abs(ours - theirs).max()) if len(ours) else 0.0
    return difference <= 1e-9, difference


class PeakRSS:
    """The process's largest RSS while the block runs, sampled every 5 ms."""

    def __enter__(self):
        self.peak = self.before = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def forget_texts():
    """Forget the texts the analyzer remembers (``finder.analyzer.remembered_pairs``):
    each timed query reads its text for the first time, as a new family's would be."""
    analyzer._remembered_pairs.cache_clear()


def timed(function, items):
    times = []
    for item in items:
        started = time.perf_counter()
        function(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Stream:
    """The generated cases ``0 .. size - 1``, one at a time, with the time spent making
    them (``seconds``; ``cpu_seconds`` of the process), so a fit that reads them can be
    timed without it."""

    def __init__(self, size, words):
        self.size, self.words, self.seconds, self.cpu_seconds = size, words, 0.0, 0.0

    def __iter__(self):
        for seed in range(self.size):
            started, cpu = time.perf_counter(), time.process_time()
            case = generated_case(seed, self.words)
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.process_time() - cpu
            yield case


def fit_streamed(size, ruleset, words, *, cpu=None):
    """``(finder, fit seconds without the generation, generation seconds)``: the
    generated cases streamed into ``CaseFinder.fit``, never held all at once. ``cpu``:
    a dict that gets the fit's CPU seconds (``fit_cpu_s``, without the generation): on
    a machine shared with other work the wall time says less."""
    stream = Stream(size, words)
    started, cpu_started = time.perf_counter(), time.process_time()
    finder = CaseFinder(ruleset=ruleset).fit(stream)
    if cpu is not None:
        cpu["fit_cpu_s"] = time.process_time() - cpu_started - stream.cpu_seconds
    return finder, time.perf_counter() - started - stream.seconds, stream.seconds


def fit_only(size):
    """In a fresh process: stream ``size`` generated cases into a fit; one JSON line
    with the fit time, the generation time and the process's RSS at start and peak."""
    start_mb = rss_mb()
    cpu = {}
    _, fit, generation = fit_streamed(size, load_rules(), vocabulary(random.Random(7)), cpu=cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "fit_s": fit,
                **cpu,
                "generation_s": generation,
                "start_mb": start_mb,
                "peak_mb": peak,
                "load": os.getloadavg()[0],
            }
        )
    )


def fresh_fit(size):
    """``fit_only(size)`` run in a new Python process (its peak RSS is the fit's own)."""
    done = subprocess.run(
        [sys.executable, str(pathlib.Path(__file__).resolve()), "--fit-only", str(size)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size, n_queries, ruleset, words, k=5):
    queries = [generated_case(10_000_000 + seed, words) for seed in range(n_queries)]
    fresh = fresh_fit(size)
    with PeakRSS() as memory:
        finder, build, _ = fit_streamed(size, ruleset, words)
    index_bytes = len(pickle.dumps(finder, protocol=pickle.HIGHEST_PROTOCOL))
    # The floors, same run, same queries: the query's vector is built beforehand.
    vectors = [finder._vector(case_features(q, ruleset), weighted=False) for q in queries]
    numbers = [finder._numeric(case_features(q, ruleset)) for q in queries]
    scales = np.array([finder.numeric_scales_[n] for n in NUMERIC])
    weight = finder.weights_.get("numeric", 0.0)

    def bare(item, numeric=False):
        vector, values = item
        scores = np.zeros(finder.matrix_T_.shape[1])
        if vector.nnz:
            scores += finder.matrix_T_[vector.indices].T @ vector.data
        if numeric:
            similarity = np.exp(-np.abs(finder.numeric_ - np.asarray(values)) / scales)
            scores += weight * mean_known(similarity)
        return np.argpartition(scores, len(scores) - k)[-k:]

    # Query by query the finder, then both floors: a machine that slows down for a while
    # (other work on the two cores) slows all three alike.
    times, floor, floor_numeric = [], [], []
    forget_texts()  # the floors' features above must not warm the finder's query
    for query, item in zip(queries, zip(vectors, numbers, strict=True), strict=True):
        times += timed(lambda q: finder.kneighbors(q, k), [query])
        floor += timed(bare, [item])
        floor_numeric += timed(lambda i: bare(i, numeric=True), [item])

    reference = reference_of(finder)
    forget_texts()
    reference_times = timed(lambda query: reference.kneighbors(query, k), queries)
    checks = [same_results(finder, reference, query, k) for query in queries]

    started = time.perf_counter()
    for query in queries[:20]:
        finder.add(query)
        finder.remove(query["code"])
    update = (time.perf_counter() - started) * 1000 / 20
    return {
        "cases": size,
        "build_s": build,
        "fresh": fresh,
        "rss_before_mb": memory.before,
        "fit_peak_mb": memory.peak,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "index_mb": index_bytes / 1e6,
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "floor_p50_ms": statistics.median(floor),
        "floor_p95_ms": percentile(floor, 0.95),
        "floor_numeric_p50_ms": statistics.median(floor_numeric),
        "floor_numeric_p95_ms": percentile(floor_numeric, 0.95),
        "reference_p50_ms": statistics.median(reference_times),
        "reference_p95_ms": percentile(reference_times, 0.95),
        "identical": sum(same for same, _ in checks),
        "max_score_difference": max((difference for _, difference in checks), default=0.0),
        "update_ms": update,
        "features": finder.n_features_,
        "nnz": finder.matrix_T_.nnz,
    }


TARGETS = {10_000: 3.0, 100_000: 1.5}  # p95 / floor "bare product + numeric block" p95


def report(r, n_queries):
    ratio = r["p95_ms"] / r["floor_numeric_p95_ms"]
    target = TARGETS.get(r["cases"])
    verdict = f"target {target}x: {'met' if ratio <= target else 'NOT met'}" if target else ""
    print(
        f"{r['cases']:,} cases: fit {r['build_s']:.1f} s, RSS {r['rss_before_mb']:.0f} MB "
        f"before the fit, {r['fit_peak_mb']:.0f} MB peak during it "
        f"(+{r['fit_peak_mb'] - r['rss_before_mb']:.0f} MB; process peak "
        f"{r['peak_rss_mb']:.0f} MB); index {r['index_mb']:.1f} MB pickled, "
        f"{r['features']} features, {r['nnz']:,} non-zeros; add+remove {r['update_ms']:.1f} ms"
    )
    rows = [
        ("finder (kneighbors, k=5)", r["p50_ms"], r["p95_ms"]),
        ("  reference (before issue 18)", r["reference_p50_ms"], r["reference_p95_ms"]),
        ("floor: bare product + top k", r["floor_p50_ms"], r["floor_p95_ms"]),
        (
            "floor: bare product + numeric block",
            r["floor_numeric_p50_ms"],
            r["floor_numeric_p95_ms"],
        ),
    ]
    fresh = r["fresh"]
    print(
        f"  fit in a fresh process, cases streamed in: {fresh['fit_s']:.1f} s, CPU "
        f"{fresh['fit_cpu_s']:.1f} s (generating them {fresh['generation_s']:.1f} s more), "
        f"peak RSS {fresh['peak_mb']:.0f} MB ({fresh['start_mb']:.0f} MB at start; load "
        f"{fresh['load']:.2f} at its end)"
    )
    print(f"  {'query':<38} {'p50 ms':>8} {'p95 ms':>8}")
    for name, p50, p95 in rows:
        print(f"  {name:<38} {p50:>8.2f} {p95:>8.2f}")
    print(f"  ratio p95 / (bare product + numeric block): {ratio:.1f}x {verdict}")
    print(
        f"  same results as the reference: {r['identical']}/{n_queries} queries, "
        f"largest ranking-score difference {r['max_score_difference']:.1e}",
        flush=True,
    )
    return (not target or ratio <= target) and r["identical"] == n_queries


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="sizes 1000,10000, 100 queries")
    parser.add_argument("--fit-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fit_only:
        fit_only(args.fit_only)
        return 0
    if args.quick:
        args.sizes, args.queries = "1000,10000", 100
    ruleset = load_rules()
    words = vocabulary(random.Random(7))
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    good = True
    for size in (int(s) for s in args.sizes.split(",")):
        good &= report(measure(size, args.queries, ruleset, words), args.queries)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
