"""Benchmark of the cohort dashboard (``/patronen``).

The dashboard's computations (every table, the groups included) on plain records for
10, 1,000 and 100,000 generated families, and the ten-family page itself through the
Flask test client (database, rules, finder features, templates). The large cohorts are
made from the demo cases' records, varied at random (seeded), not from the database.

Targets: the ten-family page under 200 ms; 100,000 families under 10 s.

Run: ``.venv/bin/python bench/patterns.py`` (or ``make bench``).
"""

import copy
import datetime
import json
import pathlib
import random
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
# This file is called patterns.py: its own folder must not shadow the patterns package.
HERE = ROOT / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

from cases.validation import canonical_case  # noqa: E402
from patterns import tables  # noqa: E402
from patterns.records import family_record  # noqa: E402
from rules.loader import load_rules  # noqa: E402

DEMO = ROOT / "data" / "demo"
TODAY = datetime.date(2026, 11, 1)
PAGE_TARGET = 0.200
LARGE_TARGET = 10.0
PASSWORD = "bench password for the project lead"  # noqa: S105 (a throwaway database)
REGIONS = ("West", "Noord", "Oost", "Zuid")
GOALS = ("return_home", "family_strengthening", "as_home_as_possible")


def demo_cases():
    paths = sorted((DEMO / "cohort").glob("*.json")) + sorted((DEMO / "library").glob("*.json"))
    found = []
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        found.extend(data if isinstance(data, list) else [data])
    return [canonical_case(doc) for doc in found]


def templates(ruleset):
    return [family_record(case, ruleset) for case in demo_cases()]


def generated(base, n, seed=0):
    """``n`` records varied from ``base``: region, goal, start, outcome, conference
    date, goal scores, actions, decisions and a few dropped feature tokens."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        template = base[i % len(base)]
        case = dict(template["case"])
        case["region"] = rng.choice(REGIONS)
        case["goal"] = rng.choice(GOALS)
        year = rng.randint(2019, 2026)
        case["started"] = f"{year}-{rng.randint(1, 12):02d}-01"
        case["outcome"] = {
            "returned_home": rng.choice((True, True, False, None)),
            "family_contact_improved": rng.choice((True, True, False, None)),
            "date": None,
        }
        features = copy.copy(template["features"])
        for block in ("problems", "partners", "family"):
            features[block] = [t for t in features[block] if rng.random() > 0.2]
        first = f"{min(year + 1, 2026)}-{rng.randint(1, 12):02d}-15"
        records.append(
            {
                **template,
                "id": i,
                "title": f"Gezin {i}",
                "case": case,
                "features": features,
                "first_conference": first if rng.random() < 0.8 else None,
                "goal_scores": {
                    g: [
                        {"held_on": first, "score": rng.randint(0, 10)},
                        {"held_on": "2026-10-01", "score": rng.randint(0, 10)},
                    ]
                    for g in range(rng.randint(0, 3))
                },  # fmt: skip
                "actions": [
                    {
                        "due": f"2026-{rng.randint(1, 12):02d}-10",
                        "status": rng.choice(("open", "done")),
                        "done_at": f"2026-{rng.randint(1, 12):02d}-05T10:00:00+00:00",
                    }
                    for _ in range(rng.randint(0, 4))
                ],  # fmt: skip
                "decisions": [
                    {
                        "rule": s["rule"],
                        "partner": s["partner"],
                        "decision": rng.choice(("accepted", "dismissed")),
                        "reason": rng.choice(("later", "not_applicable", "family_declines")),
                    }
                    for s in template["signals"]
                    if rng.random() < 0.5
                ],  # fmt: skip
            }
        )
    return records


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def page_through_the_test_client(repeat=15):
    """The ten demo families in a fresh database; a project lead opens /patronen."""
    from accounts import store as accounts_store
    from app import create_app
    from cases import store as cases_store
    from core.web import get_db

    directory = tempfile.mkdtemp(prefix="bench-patterns-")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE": f"{directory}/b.db",
                      "SESSION_COOKIE_SECURE": False})  # fmt: skip
    with app.app_context():
        db = get_db()
        cohort = [
            json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((DEMO / "cohort").glob("*.json"))
        ]
        cases_store.import_cases(db, cohort)
        accounts_store.create_user(db, "lead", PASSWORD, "project_lead")
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    token = html[start : html.index('"', start)]
    response = client.post(
        "/login", data={"username": "lead", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    assert client.get("/patronen").status_code == 200  # warm up

    def get():
        response = client.get("/patronen")
        assert response.status_code == 200

    return len(cohort), timed(get, repeat)


def main():
    ruleset = load_rules(ROOT / "rules")
    start = time.perf_counter()
    base = templates(ruleset)
    print(f"records of {len(base)} demo cases (rules, finder features): "
          f"{time.perf_counter() - start:.2f} s")  # fmt: skip
    failed = False
    for n, repeat in ((10, 20), (1_000, 5), (100_000, 1)):
        records = generated(base, n)
        best, median = timed(lambda records=records: tables.dashboard(records, TODAY), repeat)
        groups = len(tables.dashboard(records, TODAY, only=["groups"])["groups"]["rows"])
        line = (
            f"{n:>7,} families: every table and {groups} groups in {best:.3f} s "
            f"(median {median:.3f} s)"
        )
        if n == 100_000:
            met = best < LARGE_TARGET
            failed |= not met
            line += f"  target < {LARGE_TARGET:.0f} s: {'met' if met else 'NOT met'}"
        print(line)
    families, (best, median) = page_through_the_test_client()
    met = median < PAGE_TARGET
    failed |= not met
    print(f"the {families}-family page GET /patronen (test client): best {best * 1000:.0f} ms, "
          f"median {median * 1000:.0f} ms  target < {PAGE_TARGET * 1000:.0f} ms: "
          f"{'met' if met else 'NOT met'}")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
