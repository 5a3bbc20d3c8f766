"""A seeded random pedigree generator, as case/1 documents (the layout's tests and
benchmark use it). Pure: no Flask, no database."""

import math
import random


def couple(a, b, status="married"):
    return {"kind": "couple", "a": a, "b": b, "status": status}


def parent(p, c, kind="biological"):
    return {"kind": "parent", "parent": p, "child": c, "type": kind}


def generated_family(seed, size, *, lineages=3, members=6, intermarry=0.0):
    """A seeded random pedigree of about ``size`` persons, as a case/1 document.

    ``lineages`` founder couples; their descendants marry in-laws without parents or,
    with chance ``intermarry``, a descendant of another lineage of their generation; a
    quarter of the married remarry and have children in both unions (half-siblings),
    some with the new partner as step-parent; some unions are one recorded parent;
    network members (formal and informal) are tied to random persons.
    """
    rng = random.Random(seed)
    persons, relations, years, lineage_of, depth = [], [], {}, {}, {}
    single = []  # descendants still unmarried, candidates for a cross-lineage marriage

    def person(year, sex=None, lineage=None, generation=0):
        pid = f"p{len(persons) + 1}"
        depth[pid] = generation
        persons.append(
            {
                "id": pid,
                "name": pid,
                "sex": sex or rng.choice(["female", "male"]),
                "birth_year": year,
                "residence": rng.choice(["home", "foster", "kinship", None]),
            }
        )
        years[pid], lineage_of[pid] = year, lineage
        return pid

    # About 2.2 descendants per union: enough generations to reach ``size``.
    generations = 3 + int(math.log(max(size, 10) / (2 * lineages)) / math.log(2.2))
    start = 2000 - 27 * generations
    queue = []  # unions still to get children: (parents, lineage)
    for lineage in range(lineages):
        a = person(start + rng.randint(0, 8), "male", lineage)
        b = person(start + rng.randint(0, 8), "female", lineage)
        relations.append(couple(a, b))
        queue.append(((a, b), lineage))
    steps = []
    while queue and len(persons) < size:
        parents, lineage = queue.pop(0)
        year = max(years[p] for p in parents) + rng.randint(20, 30)
        if year > 2020:
            continue
        generation = depth[parents[0]] + 1
        kids = []
        for _ in range(rng.choice([1, 2, 2, 3, 3, 4])):
            child = person(year, lineage=lineage, generation=generation)
            year += rng.randint(1, 4)
            relations.extend(parent(p, child) for p in parents)
            kids.append(child)
        for child in kids:
            roll = rng.random()
            if roll < 0.2 or len(persons) >= size:
                single.append(child)
                continue
            match = [
                p
                for p in single
                if lineage_of[p] != lineage
                and depth[p] == generation
                and abs(years[p] - years[child]) <= 8
            ]
            if roll < 0.2 + intermarry and match:
                spouse = match[0]
                single.remove(spouse)
            else:
                spouse = person(years[child] + rng.randint(-4, 4), generation=generation)
            relations.append(couple(child, spouse, rng.choice(["married", "divorced"])))
            queue.append(((child, spouse), lineage))
            if rng.random() < 0.25:
                second = person(years[child] + rng.randint(-6, 6), generation=generation)
                relations.append(couple(child, second))
                queue.append(((child, second), lineage))
                if rng.random() < 0.5:
                    steps.append((second, child, spouse))
            if rng.random() < 0.1:
                queue.append(((child,), lineage))
    parents_of = {}
    for r in relations:
        if r["kind"] == "parent":
            parents_of.setdefault(r["child"], set()).add(r["parent"])
    for step, p, other in steps:
        kids = [c for c, ps in parents_of.items() if ps == {p, other}]
        if kids:
            relations.append(parent(step, kids[0], "step"))
    ids = [p["id"] for p in persons]
    network = [
        {
            "id": f"n{m + 1}",
            "name": f"lid {m + 1}",
            "partner": ["informal", "school", "informal", "gp", "youth_care"][m % 5],
            "ties": [{"person": t} for t in rng.sample(ids, k=min(len(ids), rng.randint(1, 3)))],
        }
        for m in range(members)
    ]
    persons[-1]["index"] = True
    return {
        "format": "case/1",
        "code": f"gen-{seed}-{size}",
        "title": "Gegenereerd",
        "goal": "family_strengthening",
        "persons": persons,
        "relations": relations,
        "network": network,
    }


def family_of_at_most(seed, size, **options):
    """A generated family of ``size`` persons or a few fewer: the generator finishes the
    union it is at, so it may pass ``size`` (and the exchange format allows at most
    10,000)."""
    asked = size
    while True:
        case = generated_family(seed, asked, **options)
        if len(case["persons"]) <= size:
            return case
        asked -= len(case["persons"]) - size
