"""Speed and size of the similar-case finder on generated case bases.

A seeded generator makes varied, valid cases (case/1, each through ``canonical_case``):
an index child with problems, interests, a residence and 0-5 placements; parents with
problems, some separated, some deceased; siblings, grandparents and aunts with emotional
relations; a network of 1-5 members; a Dutch narrative of 60-110 words drawn from a
Zipf-like vocabulary of real and compound words; 0-2 solutions with outcomes.

For 1,000, 10,000 and 100,000 cases: the index build time (``CaseFinder.fit``, which
includes the features and rule signals of every case), the size of the index (pickled)
and the process's peak RSS, and the query time p50/p95 over 200 generated cases that are
not in the index (``kneighbors`` with k=5: features, scoring, ranking and reasons), and
the time of ``add`` + ``remove``; beside them the floor measured in the same run: the
bare sparse product of each query's vector with the index (p50). Target: p95 under 50 ms
at 100,000.

Run: ``.venv/bin/python bench/similar.py [--sizes 1000,10000,100000] [--queries 200]``.
"""

import argparse
import pathlib
import pickle
import random
import resource
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Files in this folder are named like packages: keep the folder itself off sys.path.
HERE = ROOT / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

from cases import codes  # noqa: E402
from cases.validation import canonical_case  # noqa: E402
from finder import CaseFinder  # noqa: E402
from finder.features import case_features  # noqa: E402
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


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(size, n_queries, ruleset, words):
    cases = [generated_case(seed, words) for seed in range(size)]
    queries = [generated_case(10_000_000 + seed, words) for seed in range(n_queries)]
    started = time.perf_counter()
    finder = CaseFinder(ruleset=ruleset).fit(cases)
    build = time.perf_counter() - started
    del cases
    index_bytes = len(pickle.dumps(finder, protocol=pickle.HIGHEST_PROTOCOL))
    times = []
    for query in queries:
        started = time.perf_counter()
        finder.kneighbors(query, 5)
        times.append((time.perf_counter() - started) * 1000)
    # The floor: the bare sparse product of each query's (already built) vector with the
    # index, the one step no finder can skip; measured in the same run.
    vectors = [finder._vector(case_features(q, ruleset), weighted=False) for q in queries]
    floor = []
    for vector in vectors:
        started = time.perf_counter()
        rows = finder.matrix_T_[vector.indices]
        rows.T @ vector.data
        floor.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    for query in queries[:20]:
        finder.add(query)
        finder.remove(query["code"])
    update = (time.perf_counter() - started) * 1000 / 20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "cases": size,
        "build_s": build,
        "index_mb": index_bytes / 1e6,
        "peak_rss_mb": peak,
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "floor_ms": statistics.median(floor),
        "update_ms": update,
        "features": finder.n_features_,
        "nnz": finder.matrix_T_.nnz,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    ruleset = load_rules()
    words = vocabulary(random.Random(7))
    header = (
        f"{'cases':>8} {'build s':>8} {'index MB':>9} {'peak RSS MB':>12} "
        f"{'query p50 ms':>13} {'query p95 ms':>13} {'floor p50 ms':>13} {'add+remove ms':>14} "
        f"{'features':>9} {'nonzeros':>10}"
    )
    print(header)
    worst = 0.0
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, args.queries, ruleset, words)
        worst = r["p95_ms"] if size >= 100_000 else worst
        print(
            f"{r['cases']:>8} {r['build_s']:>8.1f} {r['index_mb']:>9.1f} "
            f"{r['peak_rss_mb']:>12.0f} {r['p50_ms']:>13.1f} {r['p95_ms']:>13.1f} "
            f"{r['floor_ms']:>13.2f} "
            f"{r['update_ms']:>14.1f} {r['features']:>9} {r['nnz']:>10}",
            flush=True,
        )
    if worst:
        print(f"target p95 < 50 ms at 100,000 cases: {'met' if worst < 50 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
