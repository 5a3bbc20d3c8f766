"""How well the signals and the finder meet an expert's expectations (issue 13).

For each set of expert cases (``tests/data/expert/`` and, when present,
``../shared/eval/expert/``) this builds a scratch database in a temporary folder, imports
every case, takes the signals exactly as ``cases flags CODE --json`` does and the library
cases most like it as ``cases similar --file FILE -k 3 --json`` does, and scores them as
``../shared/eval/expert/score.py`` does:

- flags must-recall: hits / (partners + rules + concepts); a concept is met by a signal
  of a rule *not* among the 17 rule ids of the first rule set that names one of its
  ``persons_any`` (and starts with its ``rule_prefix``), one signal per concept;
- false alarms: the ``never`` entries a signal violates;
- finder useful@3: the share of the top 3 that is in ``useful``, the library codes mapped
  from the database to the demo files' codes (``lib-a01`` ...).

The finder needs the demo library published, i.e. de-identified (deduce, ~10 s to load).
The de-identified copies are kept in a cache keyed by the case and by the de-identifier's
source, so only the first run pays for it; ``--no-finder`` skips the finder.

It is a measurement: it always exits 0. Run ``make eval-rules`` or
``.venv/bin/python bench/eval_rules.py [--no-finder] [--set DIR ...] [--verbose]``.
"""

import argparse
import contextlib
import hashlib
import json
import os
import pathlib
import re
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Files in this folder are named like packages: keep the folder itself off sys.path.
HERE = ROOT / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

OWN_SET = ROOT / "tests" / "data" / "expert"
PUBLIC_SET = ROOT / ".." / "shared" / "eval" / "expert"
LIBRARY = ROOT / "data" / "demo" / "library"
SETS = (
    ("own set: tests/data/expert", OWN_SET),
    ("public set: ../shared/eval/expert", PUBLIC_SET),
)

# The rule ids of the first rule set (git show 2f4f041:rules/*.yaml), as in score.py: a
# concept is a need *without* such a rule, so only a signal of another rule can meet it.
CATALOGUED = frozenset(
    {
        "child-perspective-missing",
        "many-problems-no-municipality",
        "missing-addiction-care",
        "missing-adult-mental-health",
        "missing-debt-counselling",
        "missing-disability-care",
        "missing-housing-corporation",
        "missing-municipality-housing",
        "missing-municipality-poverty",
        "missing-safe-home",
        "missing-school",
        "missing-youth-mental-health",
        "no-informal-network",
        "parent-without-support",
        "parents-not-in-team",
        "placement-carousel",
        "siblings-apart-without-tie",
    }
)

# The optional fields of 2026-12; a build that refuses them imports the case without.
NEW_FIELD = re.compile(
    r"^(persons\[\d+\]\.(in_team|household)|relations\[\d+\]\.by): unknown field"
)


# --------------------------------------------------------------------- scoring (pure)


def match_concepts(concepts, flags):
    """Maximum one-to-one matching of concepts to eligible signals (augmenting paths)."""
    eligible = []
    for concept in concepts:
        want = set(concept["persons_any"])
        prefix = concept.get("rule_prefix") or ""
        eligible.append(
            [
                i
                for i, f in enumerate(flags)
                if f["rule"] not in CATALOGUED
                and f["rule"].startswith(prefix)
                and want & set(f.get("persons") or [])
            ]
        )
    owner = {}

    def augment(ci, seen):
        for fi in eligible[ci]:
            if fi in seen:
                continue
            seen.add(fi)
            if fi not in owner or augment(owner[fi], seen):
                owner[fi] = ci
                return True
        return False

    met = [augment(ci, set()) for ci in range(len(concepts))]
    # Which concepts are met: the final owners (an augmenting path can move a concept to
    # another signal, never unmatch it).
    matched = set(owner.values())
    return sum(met), [c for ci, c in enumerate(concepts) if ci not in matched]


def score_case(expected, flags, top3):
    """One case as score.py scores it, with what was missed and the false alarms named."""
    partner_misses = [
        p for p in expected["partners"] if not any(f.get("partner") == p for f in flags)
    ]
    rule_misses = [r for r in expected["rules"] if not any(f["rule"] == r for f in flags)]
    concept_hits, concept_misses = match_concepts(expected["concepts"], flags)
    must = len(expected["partners"]) + len(expected["rules"]) + len(expected["concepts"])
    hits = must - len(partner_misses) - len(rule_misses) - len(concept_misses)
    false_alarms = []
    for never in expected["never"]:
        who = set(never.get("persons_any") or [])
        for f in flags:
            if f["rule"] == never["rule"] and (not who or who & set(f.get("persons") or [])):
                false_alarms.append(
                    {
                        "rule": never["rule"],
                        "persons": sorted(who & set(f.get("persons") or [])),
                        "explanation": f.get("explanation", ""),
                    }  # fmt: skip
                )
                break
    useful = None if top3 is None else sum(code in expected["useful"] for code in top3[:3]) / 3
    return {
        "hit": hits,
        "must": must,
        "partners": (len(expected["partners"]) - len(partner_misses), len(expected["partners"])),
        "rules": (len(expected["rules"]) - len(rule_misses), len(expected["rules"])),
        "concepts": (concept_hits, len(expected["concepts"])),
        "missed_partners": partner_misses,
        "missed_rules": rule_misses,
        "missed_concepts": concept_misses,
        "false_alarms": false_alarms,
        "top3": top3,
        "useful@3": useful,
        "fired": [
            f["rule"] + ("(" + ",".join(f["persons"]) + ")" if f.get("persons") else "")
            for f in flags
        ],
    }


# --------------------------------------------------------------------- cases and sets


def load_set(folder):
    """``(expected, {code: document})`` of an expert folder, or None when it is absent."""
    folder = pathlib.Path(folder)
    path = folder / "expected.json"
    if not path.is_file():
        return None
    expected = json.loads(path.read_text(encoding="utf-8"))
    documents = {}
    for file in sorted(folder.glob("*.json")):
        if file.name == "expected.json":
            continue
        doc = json.loads(file.read_text(encoding="utf-8"))
        documents[doc["code"]] = doc
    return expected, documents


def without_new_fields(doc):
    copy = json.loads(json.dumps(doc))
    for person in copy.get("persons", []):
        person.pop("in_team", None)
        person.pop("household", None)
    for relation in copy.get("relations", []):
        relation.pop("by", None)
    return copy


def accepted(doc):
    """``(document this build accepts, note or None)``; raises CaseFormatError otherwise."""
    from cases.validation import CaseFormatError, check_case

    issues = check_case(doc)
    if not issues:
        return doc, None
    if all(NEW_FIELD.match(str(issue)) for issue in issues):
        stripped = without_new_fields(doc)
        if not check_case(stripped):
            return stripped, "imported without in_team/household/by (this build refuses them)"
    raise CaseFormatError(issues)


# --------------------------------------------------------------------- the de-identified library


def _deidentify_cache():
    import deduce

    from library import deidentify

    source = pathlib.Path(deidentify.__file__).read_bytes()
    version = getattr(deduce, "__version__", "?").encode()
    key = hashlib.sha256(source + version).hexdigest()[:16]
    base = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache")
    return base / "maatwerktafel" / f"eval-deidentified-{key}.json"


def cached_deidentifier():
    """``(deidentify_case, save)``: deduce only for cases not de-identified before."""
    from library import deidentify

    path = _deidentify_cache()
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    state = {"new": 0}

    def deidentify_case(case, deidentifier=None):
        key = hashlib.sha256(json.dumps(case, sort_keys=True).encode()).hexdigest()
        if key not in cache:
            cache[key] = deidentify.deidentify_case(case, deidentifier)
            state["new"] += 1
        return json.loads(json.dumps(cache[key]))

    def save():
        if state["new"]:
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
        return state["new"]

    return deidentify_case, save


def publish_library(db):
    """Import the demo library and publish it as ``demo load`` does; ``{library case
    code: lib-xxx}`` (the finder's codes mapped to the demo files' codes)."""
    from cases import store as cases_store
    from finder.index import code_for
    from library import demo as library_demo

    documents = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(LIBRARY.glob("*.json"))]
    cases_store.import_cases(db, documents, replace=True)
    deidentify_case, save = cached_deidentifier()
    with contextlib.redirect_stdout(sys.stderr):
        library_demo.publish_demo(db, LIBRARY.parent, deidentify_case=deidentify_case)
    save()
    return {
        code_for(row["id"]): row["code"]
        for row in db.query(
            "SELECT l.id, f.code FROM library_cases l JOIN families f ON f.id = l.family_id"
        )
    }


# --------------------------------------------------------------------- running


def make_app(folder):
    from app import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "eval-rules",
            "DATABASE": str(pathlib.Path(folder) / "eval.db"),
            "FINDER_INDEX": str(pathlib.Path(folder) / "eval-finder.joblib"),
        }
    )


def run_set(app, expected, documents, *, library_codes=None):
    """Score every case of a set in ``app``; ``{code: row}`` (row None when refused)."""
    from cases import store as cases_store
    from cases.validation import CaseFormatError, parse_cases
    from core.web import get_db
    from finder.web import get_index
    from rules.service import family_signals
    from rules.web import get_ruleset

    rows = {}
    with app.app_context():
        db = get_db()
        for code, exp in expected.items():
            doc = documents.get(code)
            if doc is None:
                rows[code] = {"error": "no case file"}
                continue
            try:
                doc, note = accepted(doc)
            except CaseFormatError as error:
                rows[code] = {"error": "refused: " + "; ".join(map(str, error.issues))[:300]}
                continue
            cases_store.import_cases(db, [doc], replace=True)
            family, case = cases_store.load_family(db, code)
            flags = json.loads(json.dumps(family_signals(db, get_ruleset(), family, case)))
            top3 = None
            if library_codes is not None:
                query = parse_cases(doc)[0]  # as `similar --file`: the file, not the family
                found = get_index().similar(db, query, k=3)
                top3 = [library_codes.get(r["code"], r["code"]) for r in found]
            row = score_case(exp, flags, top3)
            row["note"] = note
            rows[code] = row
    return rows


def _ratio(a, b):
    return f"{a}/{b}"


def report(name, expected, rows, out):
    def line(text=""):
        print(text, file=out)

    line(f"== {name}")
    line(
        f"{'case':<40} {'hit/must':>8} {'partn':>5} {'rules':>5} {'conc':>5} "
        f"{'FA':>3} {'u@3':>5}  top 3"
    )
    total = {"hit": 0, "must": 0, "fa": 0, "p": [0, 0], "r": [0, 0], "c": [0, 0], "useful": []}
    for code, row in rows.items():
        if "error" in row:
            exp = expected[code]
            must = len(exp["partners"]) + len(exp["rules"]) + len(exp["concepts"])
            total["must"] += must
            line(f"{code:<40} {_ratio(0, must):>8}  {row['error']}")
            continue
        total["hit"] += row["hit"]
        total["must"] += row["must"]
        total["fa"] += len(row["false_alarms"])
        for key, short in (("partners", "p"), ("rules", "r"), ("concepts", "c")):
            total[short][0] += row[key][0]
            total[short][1] += row[key][1]
        useful = "" if row["useful@3"] is None else f"{row['useful@3']:.2f}"
        if row["useful@3"] is not None:
            total["useful"].append(row["useful@3"])
        top3 = ", ".join(row["top3"] or []) if row["top3"] is not None else "-"
        line(
            f"{code:<40} {_ratio(row['hit'], row['must']):>8} {_ratio(*row['partners']):>5} "
            f"{_ratio(*row['rules']):>5} {_ratio(*row['concepts']):>5} "
            f"{len(row['false_alarms']):>3} {useful:>5}  {top3}"
        )
    recall = total["hit"] / total["must"] if total["must"] else 1.0
    mean_useful = (
        f"{sum(total['useful']) / len(total['useful']):.2f}" if total["useful"] else "not run"
    )
    line(
        f"{'TOTAL':<40} {_ratio(total['hit'], total['must']):>8} {_ratio(*total['p']):>5} "
        f"{_ratio(*total['r']):>5} {_ratio(*total['c']):>5} {total['fa']:>3} {mean_useful:>5}"
    )
    line(
        f"recall {recall:.2f} ({total['hit']}/{total['must']}), false alarms {total['fa']}, "
        f"mean useful@3 {mean_useful}"
    )
    for code, row in rows.items():
        if "error" in row:
            continue
        if row.get("note"):
            line(f"NOTE    {code}: {row['note']}")
        for alarm in row["false_alarms"]:
            who = f" {alarm['persons']}" if alarm["persons"] else ""
            line(f"FALSE   {code}: {alarm['rule']}{who}: {alarm['explanation']}")
        for partner in row["missed_partners"]:
            line(f"MISS    {code}: partner {partner}")
        for rule in row["missed_rules"]:
            line(f"MISS    {code}: rule {rule}")
        for concept in row["missed_concepts"]:
            prefix = f" ({concept['rule_prefix']}*)" if concept.get("rule_prefix") else ""
            line(
                f"MISS    {code}: concept{prefix} persons {concept['persons_any']}: "
                f"{concept['what'][:110]}"
            )
    line()
    return {
        "recall": recall,
        "hit": total["hit"],
        "must": total["must"],
        "false_alarms": total["fa"],
    }


def evaluate(sets, *, finder=True, out=None, verbose=False):
    """Score each ``(name, folder)`` in ``sets``; ``{name: (rows, totals)}``."""
    out = out or sys.stdout
    started = time.monotonic()
    results = {}
    with tempfile.TemporaryDirectory(prefix="eval-rules-") as folder:
        app = make_app(folder)
        library_codes = None
        if finder:
            from core.web import get_db

            with app.app_context():
                library_codes = publish_library(get_db())
        for name, path in sets:
            loaded = load_set(path)
            if loaded is None:
                print(f"== {name}: not present ({path}), skipped\n", file=out)
                continue
            expected, documents = loaded
            rows = run_set(app, expected, documents, library_codes=library_codes)
            totals = report(name, expected, rows, out)
            if verbose:
                for code, row in rows.items():
                    if "fired" in row:
                        print(f"FIRED   {code}: {' '.join(row['fired'])}", file=out)
                print(file=out)
            results[name] = (rows, totals)
    if not finder:
        print("finder: skipped (--no-finder)", file=out)
    print(f"took {time.monotonic() - started:.1f} s", file=out)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-finder", action="store_true", help="signals only (no deduce)")
    parser.add_argument("--set", action="append", help="an expert folder (default: both sets)")
    parser.add_argument("--verbose", action="store_true", help="also list every signal fired")
    args = parser.parse_args(argv)
    sets = [(pathlib.Path(s).name, pathlib.Path(s)) for s in args.set] if args.set else SETS
    try:
        evaluate(sets, finder=not args.no_finder, verbose=args.verbose)
    except Exception as error:  # a measurement: say what broke, never fail the build
        print(f"eval-rules could not run: {type(error).__name__}: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
