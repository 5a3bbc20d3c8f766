"""Benchmark of the family page for families of 10, 200, 3,000 and 10,000 persons.

Each family is generated (``genogram.generate``), stored, and its page fetched through
Flask's test client as its facilitator: the first fetch (signals computed) and the best
of a few more, with the HTML's size; beside it a trivial Flask route of the same app
timed in the same run (the floor: login, session, guard and headers cost that much).
Also the whole genogram (``?alle=1``), which a large family draws only on request.
Prints figures; it asserts nothing.

Run: ``.venv/bin/python bench/big_family.py``.
"""

import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from access import store as access_store  # noqa: E402
from access.policy import TEAM_FACILITATOR  # noqa: E402
from cases import store as cases_store  # noqa: E402
from cases.validation import canonical_case  # noqa: E402
from genogram.generate import family_of_at_most  # noqa: E402
from tests.conftest import LoggedIn, make_app  # noqa: E402

SIZES = (10, 200, 3000, 10_000)
RUNS = 3


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def best(fn, runs=RUNS):
    return min(timed(fn)[0] for _ in range(runs))


def main():
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(pathlib.Path(folder) / "bench.db")

        @app.get("/bench-floor")
        def floor():
            return "ok"

        with app.app_context():
            from core.web import get_db

            db = get_db()
            user = next(db.query("SELECT id FROM users WHERE username = 'facilitator'"))["id"]
            for size in SIZES:
                case = canonical_case(
                    family_of_at_most(
                        7, size, lineages=max(3, size // 300), members=max(6, size // 50)
                    )
                )
                case["code"] = f"bench-{size}"
                family_id = cases_store.save_case(db, case)
                access_store.add_member(db, family_id, user, TEAM_FACILITATOR)
        client = LoggedIn(app.test_client(), "facilitator")
        client.get("/bench-floor")
        floor_s = best(lambda: client.get("/bench-floor"), runs=20)
        print(f"floor (a trivial route of the same app): {floor_s * 1000:.1f} ms")
        print(
            f"{'persons':>8} {'first view':>11} {'page (best)':>12} {'HTML':>10} "
            f"{'whole genogram':>15} {'its HTML':>10}"
        )
        for size in SIZES:
            url = f"/gezinnen/bench-{size}"
            first, response = timed(lambda url=url: client.get(url))
            assert response.status_code == 200
            page = best(lambda url=url: client.get(url))
            full, drawing = timed(lambda url=url: client.get(f"{url}/genogram?alle=1"))
            print(
                f"{size:>8,} {first * 1000:>8.0f} ms {page * 1000:>9.0f} ms "
                f"{len(response.data) / 1e6:>7.2f} MB {full * 1000:>12.0f} ms "
                f"{len(drawing.data) / 1e6:>7.2f} MB"
            )


if __name__ == "__main__":
    main()
