"""Benchmark of the rule set: facts and evaluation per family.

Times what the app does for one family (the genogram graph, the typed facts of
``rules/facts.py`` and every rule of ``rules/*.yaml``): on each of the 10 demo cohort
families (best of N and mean), and on 10,000 seeded generated families in the case/1
format, each checked by ``canonical_case`` first (mean, median, p95, max, total, and how
often each rule fired). Prints whether the target of under 5 ms per family is met and
the peak memory. Exit code 1 only when a generated family is not a valid case.

Run: ``.venv/bin/python bench/rules.py [--families N] [--seed S]`` (or ``make bench``).
"""

import argparse
import json
import pathlib
import random
import resource
import statistics
import sys
import time
import tracemalloc

ROOT = pathlib.Path(__file__).resolve().parents[1]
# This file is called rules.py: its own folder must not shadow the rules package.
HERE = ROOT / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

from cases import codes  # noqa: E402
from cases.validation import CaseFormatError, canonical_case  # noqa: E402
from genogram.graph import build_graph  # noqa: E402
from rules.engine import evaluate  # noqa: E402
from rules.facts import family_facts  # noqa: E402
from rules.loader import load_rules  # noqa: E402
from rules.service import signals_for_case  # noqa: E402

COHORT = ROOT / "data" / "demo" / "cohort"
TARGET_MS = 5.0
COHORT_RUNS = 50

PROBLEMS = list(codes.PROBLEMS)
PARTNERS = list(codes.PARTNERS)
CHILD_RESIDENCES = ["home", "kinship", "foster", "family_home", "residential", "secure"]
PLACEMENTS = ["kinship", "foster", "family_home", "residential", "secure", "other"]
QUALITIES = list(codes.EMOTIONAL_QUALITIES)
PERSPECTIVES = [None, "", "  ", "Ik wil naar huis.", "Ik wil mijn broertje vaker zien."]


# --------------------------------------------------------------------------- generator


def generated_case(rng, number):
    """A varied family in the case/1 format: an index child with siblings, one or two
    parents (sometimes a step-parent or a foster parent), grandparents, problems,
    placements (some in secure care), emotional relations, some deceased, and network
    members with partner codes tied to family members."""
    persons, relations = [], []

    def person(year, sex, **fields):
        pid = f"p{len(persons) + 1}"
        persons.append(
            {
                "id": pid,
                "name": f"Persoon {len(persons) + 1}",
                "sex": sex,
                "birth_year": year,
                "problems": rng.sample(PROBLEMS, k=rng.choice([0, 0, 1, 1, 2, 3])),
                **fields,
            }
        )
        return pid

    def couple(a, b, status):
        relations.append({"kind": "couple", "a": a, "b": b, "status": status})

    def parent(p, c, kind="biological"):
        relations.append({"kind": "parent", "parent": p, "child": c, "type": kind})

    def died(pid):
        persons[int(pid[1:]) - 1]["deceased"] = True

    def placements_for(count):
        day = rng.randint(0, 2000)
        stays = []
        for i in range(count):
            start = _date(day)
            day += rng.randint(30, 400)
            ongoing = i == count - 1 and rng.random() < 0.6
            stays.append(
                {
                    "residence": rng.choice(PLACEMENTS),
                    "provider": None,
                    "start": start,
                    "end": None if ongoing else _date(day),
                }
            )
        return stays

    parent_year = rng.randint(1970, 1990)
    father = person(parent_year, "male", residence=rng.choice(["home", None]))
    mother = None
    if rng.random() < 0.85:
        mother = person(parent_year + rng.randint(-4, 4), "female", residence="home")
        status = rng.choice(["married", "cohabiting", "separated", "divorced"])
        if rng.random() < 0.1:
            died(father)
            status = "ended_by_death"
        couple(father, mother, status)

    children = []
    for i in range(1 + rng.choice([0, 0, 1, 1, 2, 3, 4])):
        child = person(
            rng.randint(parent_year + 18, 2020),
            rng.choice(["female", "male"]),
            index=i == 0,
            residence=rng.choice(CHILD_RESIDENCES + [None]),
        )
        most = 7 if i == 0 else 3
        child_placements = placements_for(rng.choice([0, 1, 2, 3, rng.randint(0, most)]))
        persons[-1]["placements"] = child_placements
        children.append(child)
        parent(father, child)
        if mother:
            parent(mother, child)
    if rng.random() < 0.05 and len(children) > 1:
        died(children[-1])

    if mother and rng.random() < 0.2:  # a new partner of the mother, step-parent
        step = person(parent_year + rng.randint(-8, 5), "male", residence="home")
        couple(mother, step, "cohabiting")
        for child in children:
            parent(step, child, "step")
    if rng.random() < 0.15:  # a foster parent of the index child
        foster = person(rng.randint(1960, 1985), rng.choice(["female", "male"]), residence="foster")
        parent(foster, children[0], "foster")

    for parent_id in [father, mother]:
        if parent_id is None or rng.random() < 0.3:
            continue
        year = rng.randint(1935, parent_year - 18)
        grandfather = person(year, "male", deceased=rng.random() < 0.3)
        grandmother = person(year + rng.randint(-3, 3), "female", deceased=rng.random() < 0.2)
        couple(grandfather, grandmother, "married")
        parent(grandfather, parent_id)
        parent(grandmother, parent_id)
        if persons[int(grandfather[1:]) - 1].get("deceased"):
            relations[-3]["status"] = "ended_by_death"

    pairs = set()
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        a, b = rng.sample([p["id"] for p in persons], 2)
        if frozenset((a, b)) in pairs:
            continue
        pairs.add(frozenset((a, b)))
        relations.append({"kind": "emotional", "a": a, "b": b, "quality": rng.choice(QUALITIES)})

    ids = [p["id"] for p in persons]
    network = []
    for m in range(rng.choice([0, 1, 2, 3, 4, 5, 6, 8])):
        partner = rng.choice(PARTNERS + ["informal"] * 4)
        tied = rng.sample(ids, k=min(len(ids), rng.choice([0, 1, 1, 2, 3])))
        network.append(
            {
                "id": f"n{m + 1}",
                "name": f"Lid {m + 1}",
                "partner": partner,
                "in_team": rng.random() < 0.5,
                "ties": [
                    {"person": pid, "strength": rng.choice(["strong", "normal", "weak"])}
                    for pid in tied
                ],
            }
        )

    return {
        "format": "case/1",
        "code": f"gen-{number:05d}",
        "title": f"Gegenereerd gezin {number}",
        "goal": rng.choice(list(codes.GOALS)),
        "child_perspective": rng.choice(PERSPECTIVES),
        "persons": persons,
        "relations": relations,
        "network": network,
    }


def _date(day):
    """Days after 2010-01-01 as an ISO date (every month has 28 days here)."""
    year, rest = divmod(day, 12 * 28)
    month, date = divmod(rest, 28)
    return f"{2010 + year:04d}-{month + 1:02d}-{date + 1:02d}"


def generated_cases(count, seed):
    rng = random.Random(seed)
    return [canonical_case(generated_case(rng, number)) for number in range(count)]


def team_for(case, seed):
    """Some families have a parent or the index child in the team, like the app keeps."""
    rng = random.Random(f"{seed}-{case['code']}")
    return [p["id"] for p in case["persons"] if rng.random() < 0.3]


# --------------------------------------------------------------------------- timing


def timed(ruleset, case, team=()):
    start = time.perf_counter()
    signals = signals_for_case(ruleset, case, team_persons=team)
    return (time.perf_counter() - start) * 1000, signals


def split(ruleset, cases, teams):
    """Mean ms per family of the three steps: genogram graph, facts, rules."""
    graph_ms = facts_ms = rules_ms = 0.0
    for case, team in zip(cases, teams, strict=False):
        names = {p["id"]: p["name"] or p["id"] for p in case["persons"]}
        t0 = time.perf_counter()
        graph = build_graph(case)
        t1 = time.perf_counter()
        facts = family_facts(case, team_persons=team, graph=graph)
        t2 = time.perf_counter()
        evaluate(ruleset, facts, names)
        t3 = time.perf_counter()
        graph_ms += t1 - t0
        facts_ms += t2 - t1
        rules_ms += t3 - t2
    return tuple(1000 * total / len(cases) for total in (graph_ms, facts_ms, rules_ms))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    ruleset = load_rules()
    load_ms = (time.perf_counter() - start) * 1000
    examples = sum(len(rule.examples) for rule in ruleset.rules)
    print(f"rule set: {len(ruleset.rules)} rules, {examples} examples, loaded in {load_ms:.0f} ms")
    print(f"target: under {TARGET_MS:g} ms per family including fact computation\n")

    # (a) the demo cohort, family by family
    print(f"{'demo family':<24} {'persons':>7} {'best ms':>8} {'mean ms':>8} {'signals':>8}")
    cohort_means = []
    for path in sorted(COHORT.glob("*.json")):
        case = canonical_case(json.loads(path.read_text(encoding="utf-8")))
        runs = [timed(ruleset, case) for _ in range(COHORT_RUNS)]
        times = [ms for ms, _ in runs]
        cohort_means.append(statistics.fmean(times))
        print(
            f"{case['code']:<24} {len(case['persons']):>7} {min(times):>8.2f} "
            f"{statistics.fmean(times):>8.2f} {len(runs[0][1]):>8}"
        )
    cohort_worst = max(cohort_means)
    print(f"{'cohort, worst mean':<24} {'':>7} {'':>8} {cohort_worst:>8.2f}\n")

    # (b) generated families
    start = time.perf_counter()
    try:
        cases = generated_cases(args.families, args.seed)
    except CaseFormatError as error:
        print(f"a generated family is not a valid case: {error}")
        return 1
    generate_s = time.perf_counter() - start
    persons = [len(case["persons"]) for case in cases]
    print(
        f"generated {len(cases):,} valid families (seed {args.seed}) in {generate_s:.1f} s; "
        f"persons per family {min(persons)}-{max(persons)}, mean {statistics.fmean(persons):.1f}"
    )
    teams = [team_for(case, args.seed) for case in cases]
    fired = {rule.id: 0 for rule in ruleset.rules}
    times, signal_counts = [], []
    start = time.perf_counter()
    for case, team in zip(cases, teams, strict=True):
        ms, signals = timed(ruleset, case, team)
        times.append(ms)
        signal_counts.append(len(signals))
        for found in signals:
            fired[found["rule"]] += 1
    total_s = time.perf_counter() - start
    mean, median, p95 = statistics.fmean(times), statistics.median(times), percentile(times, 0.95)

    print(f"\n{'per family':<24} {'ms':>8}")
    for label, value in [
        ("mean", mean),
        ("median", median),
        ("p95", p95),
        ("max", max(times)),
    ]:
        print(f"{label:<24} {value:>8.2f}")
    print(f"{'total':<24} {total_s:>8.2f} s for {len(cases):,} families")
    print(f"{'signals per family':<24} {statistics.fmean(signal_counts):>8.2f} (mean)")

    graph_ms, facts_ms, rules_ms = split(ruleset, cases[:1000], teams)
    print(
        f"{'of which (1,000 families)':<24} graph {graph_ms:.2f}, facts {facts_ms:.2f}, "
        f"rules {rules_ms:.2f} ms (mean)"
    )

    print(f"\n{'rule':<32} {'severity':<9} {'fired':>7} {'share':>7}")
    for rule in ruleset.rules:
        share = 100 * fired[rule.id] / len(cases)
        print(f"{rule.id:<32} {rule.severity:<9} {fired[rule.id]:>7,} {share:>6.1f}%")

    # memory: the peak of Python allocations while evaluating, and the process's peak RSS
    sample = cases[:1000]
    tracemalloc.start()
    for case, team in zip(sample, teams, strict=False):
        signals_for_case(ruleset, case, team_persons=team)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        f"\npeak memory: {peak / 1024:.0f} KiB of Python allocations while evaluating "
        f"{len(sample):,} families; process peak RSS {rss_kib / 1024:.0f} MiB "
        f"(with all {len(cases):,} families held)"
    )

    met = mean < TARGET_MS and p95 < TARGET_MS and cohort_worst < TARGET_MS
    print(
        f"\ntarget under {TARGET_MS:g} ms per family (mean and p95 of the generated families, "
        f"worst cohort mean): {'met' if met else 'NOT met'} "
        f"(mean {mean:.2f}, p95 {p95:.2f}, cohort {cohort_worst:.2f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
