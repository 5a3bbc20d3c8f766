"""The dashboard's figures over a cohort. Pure: plain data in, plain data out.

A cohort is a list of *records*, one per family (``patterns.records.family_record``):
the canonical case plus what the app keeps beside it (first conference date, goal
scores, actions, current signals, signal decisions, partners present, finder features).

Every rate comes with the counts behind it; an empty group has no rate (``None``,
shown as a dash), never a division by zero. The definitions are in the README
("Patterns across the cohort") and beside each function.
"""

import datetime
import functools
from collections import Counter

from cases import codes
from patterns.words import amount

# The outcome measure of each goal the projects report on (Simba's evaluation).
MEASURES = {
    "return_home": ("returned_home", "teruggekeerd naar huis"),
    "family_strengthening": ("family_contact_improved", "familiecontact verbeterd"),
}
REACHED_SCORE = 8  # a parent's goal scored 8 or more (0-10) at its last score is reached
NETWORK_RESIDENCES = ("kinship",)  # netwerkpleeggezin: placed within the family's network
DASH = "–"


class FilterError(ValueError):
    """A cohort filter that cannot be used; the message is Dutch, for the user."""


# Rates ---------------------------------------------------------------------------------


def rate(part, whole):
    """``part / whole``, or None for an empty group."""
    return part / whole if whole else None


def percent(value):
    """``0.9167`` -> ``"92%"`` (half up), ``None`` -> a dash."""
    if value is None:
        return DASH
    return f"{int(value * 100 + 0.5)}%"


def count_text(part, whole, noun):
    """``"11 van 12 gezinnen, 92%"``, ``"1 van 1 kind, 100%"``; an empty group:
    ``"0 gezinnen, –"``. ``noun`` is the plural (``patterns.words``)."""
    if not whole:
        return f"0 {noun}, {DASH}"
    return f"{part} van {amount(whole, noun)}, {percent(rate(part, whole))}"


# The cohort filter -----------------------------------------------------------------------


def _date(value, label):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise FilterError(f"{label}: vul een datum in als 2026-01-31.") from None


def check_filters(region=None, start=None, end=None, goal=None):
    """The filters as a clean dict (empty ones None); FilterError for a bad one."""
    filters = {
        "region": (region or "").strip() or None,
        "start": _date(start, "Gestart vanaf"),
        "end": _date(end, "Gestart tot en met"),
        "goal": goal or None,
    }
    if filters["goal"] and filters["goal"] not in codes.GOALS:
        raise FilterError("Kies een doel uit de lijst.")
    if filters["start"] and filters["end"] and filters["start"] > filters["end"]:
        raise FilterError("De periode begint na haar einde.")
    return filters


def filter_cohort(records, region=None, start=None, end=None, goal=None):
    """The records in the region, started within [start, end] (ISO dates, inclusive;
    a family without a start date falls outside any period) and with the goal."""
    chosen = []
    for record in records:
        case = record["case"]
        if region and case.get("region") != region:
            continue
        if goal and case["goal"] != goal:
            continue
        started = case.get("started")
        if (start or end) and not started:
            continue
        if start and started < start:
            continue
        if end and started > end:
            continue
        chosen.append(record)
    return chosen


# Outcomes ---------------------------------------------------------------------------------


def index_children(case):
    """The living index children of a case."""
    return [p for p in case["persons"] if p.get("index") and not p.get("deceased")]


def _group(total, successes, pending):
    return {
        "successes": successes,
        "rate": rate(successes, total),
        "percent": percent(rate(successes, total)),
        "pending": pending,
    }


def outcomes(records):
    """Per goal with a measure: families aiming for it, how many succeeded (the measure
    is true), the rate (successes / families: a family without an outcome yet counts
    as not yet succeeded, as ``pending``), and the same per index child."""
    found = []
    for goal, (field, measure_label) in MEASURES.items():
        families = [r for r in records if r["case"]["goal"] == goal]
        values = [(r["case"].get("outcome") or {}).get(field) for r in families]
        children = [
            (len(index_children(r["case"])), value)
            for r, value in zip(families, values, strict=True)
        ]
        child_total = sum(n for n, _ in children)
        child_successes = sum(n for n, value in children if value is True)
        child_pending = sum(n for n, value in children if value is None)
        found.append(
            {
                "goal": goal,
                "label": codes.GOALS[goal],
                "measure": field,
                "measure_label": measure_label,
                "families": len(families),
                **_group(len(families), values.count(True), values.count(None)),
                "per_child": {
                    "children": child_total,
                    **_group(child_total, child_successes, child_pending),
                },
            }
        )
    return found


def moves(records):
    """Moves per index child before and after the family's first conference: each
    placement that started before that date is a move before, on or after it a move
    after. Families without a conference (or children without dates) are counted apart."""
    children = before = after = 0
    without_conference = 0
    moved_after = 0
    for record in records:
        kids = index_children(record["case"])
        first = record.get("first_conference")
        if not first:
            without_conference += len(kids)
            continue
        for child in kids:
            starts = [p["start"] for p in child.get("placements", []) if p.get("start")]
            b = sum(1 for s in starts if s < first)
            a = sum(1 for s in starts if s >= first)
            children += 1
            before += b
            after += a
            moved_after += 1 if a else 0
    return {
        "children": children,
        "moves_before": before,
        "moves_after": after,
        "mean_before": rate(before, children),
        "mean_after": rate(after, children),
        "children_moved_after": moved_after,
        "children_without_conference": without_conference,
    }


def network_placements(records):
    """Placements of index children within the family's network (netwerkpleeggezin)
    among all their placements, and where the children live now."""
    total = within = 0
    now = Counter()
    children = 0
    for record in records:
        for child in index_children(record["case"]):
            children += 1
            now[child.get("residence") or "unknown"] += 1
            for placement in child.get("placements", []):
                total += 1
                within += 1 if placement["residence"] in NETWORK_RESIDENCES else 0
    at_home_or_network = now["home"] + sum(now[r] for r in NETWORK_RESIDENCES)
    return {
        "placements": total,
        "within_network": within,
        "rate": rate(within, total),
        "children": children,
        "now_home_or_network": at_home_or_network,
        "now_rate": rate(at_home_or_network, children),
        "now": dict(sorted(now.items())),
    }


def parent_goals(records):
    """Parents' personal goals scored in conferences (0-10): reached when the last
    score is REACHED_SCORE or more; improved when the last is above the first (goals
    scored at least twice)."""
    scored = reached = twice = improved = 0
    for record in records:
        for series in record.get("goal_scores", {}).values():
            ordered = sorted(series, key=lambda s: (s["held_on"], s.get("conference_id") or 0))
            if not ordered:
                continue
            scored += 1
            reached += 1 if ordered[-1]["score"] >= REACHED_SCORE else 0
            if len(ordered) > 1:
                twice += 1
                improved += 1 if ordered[-1]["score"] > ordered[0]["score"] else 0
    return {
        "goals": scored,
        "reached": reached,
        "rate": rate(reached, scored),
        "scored_twice": twice,
        "improved": improved,
        "improved_rate": rate(improved, twice),
    }


def actions_on_time(records, today):
    """Actions with a due date: done on time (done on or before the due date), done
    late, or open past the due date; rate = on time / (done + overdue). Open actions
    not yet due and actions without a due date are not judged yet."""
    on_time = late = overdue = open_not_due = no_due = 0
    today = today.isoformat()
    for record in records:
        for action in record.get("actions", []):
            due = action.get("due")
            if not due:
                no_due += 1
            elif action.get("status") == "done" and action.get("done_at"):
                if action["done_at"][:10] <= due:
                    on_time += 1
                else:
                    late += 1
            elif due < today:
                overdue += 1
            else:
                open_not_due += 1
    judged = on_time + late + overdue
    return {
        "judged": judged,
        "on_time": on_time,
        "late": late,
        "overdue": overdue,
        "rate": rate(on_time, judged),
        "open_not_due": open_not_due,
        "without_due": no_due,
    }


def active(records):
    """The records of families still in the programme (status ``active``)."""
    return [r for r in records if r["case"].get("status", "active") == "active"]


def has_outcome(record):
    """Whether the outcome measure of the family's goal is recorded (true or false)."""
    measure = MEASURES.get(record["case"]["goal"])
    return bool(measure) and (record["case"].get("outcome") or {}).get(measure[0]) is not None


def current_state(records):
    """What families still in the programme have now, before any outcome: parents'
    goals scored (and the mean of their last scores), actions done of all actions, and
    per partner in how many families it is at the table (in the team or at the latest
    conference) and involved at all. Closed families are left out: they have outcomes."""
    records = active(records)
    last_scores = []
    families_scored = 0
    done = total = 0
    at_table = Counter()
    involved = Counter()
    families_with_partner = 0
    for record in records:
        scored = False
        for series in record.get("goal_scores", {}).values():
            ordered = sorted(series, key=lambda s: (s["held_on"], s.get("conference_id") or 0))
            if ordered:
                last_scores.append(ordered[-1]["score"])
                scored = True
        families_scored += 1 if scored else 0
        for action in record.get("actions", []):
            total += 1
            done += 1 if action.get("status") == "done" else 0
        table = set(record.get("partners_at_table", ()))
        at_table.update(table)
        involved.update(set(record.get("partners_present", ())) | table)
        families_with_partner += 1 if table else 0
    order = list(codes.PARTNERS)
    partners = sorted(
        set(at_table) | set(involved),
        key=lambda p: (-at_table[p], -involved[p], order.index(p) if p in order else 99, p),
    )
    return {
        "families": len(records),
        "goals_scored": len(last_scores),
        "families_scored": families_scored,
        "mean_last_score": rate(sum(last_scores), len(last_scores)),
        "actions": total,
        "actions_done": done,
        "actions_done_rate": rate(done, total),
        "families_with_partner_at_table": families_with_partner,
        "partners_at_table": sum(at_table.values()),
        "partners": [
            {
                "partner": p,
                "label": codes.PARTNERS.get(p, p),
                "at_table": at_table[p],
                "involved": involved[p],
            }
            for p in partners
        ],
    }


# Signals ---------------------------------------------------------------------------------


def missing_partners(records):
    """Per partner the rules found missing: in how many families a signal names it now,
    in how many the team decided on such a signal (accepted or dismissed), and in how
    many it *joined after the signal*: the team accepted a missing-partner signal and
    the partner is now in the family's network (tied to someone). The app keeps no
    date for a partner's arrival, so "after" means: after the decision was recorded."""
    missing_now = Counter()
    decided = Counter()
    accepted = Counter()
    joined = Counter()
    for record in records:
        present = set(record.get("partners_present", ()))
        now = {s["partner"] for s in record.get("signals", []) if s.get("partner")}
        missing_now.update(now)
        decided_partners = {d["partner"] for d in record.get("decisions", []) if d.get("partner")}
        decided.update(decided_partners)
        acc = {
            d["partner"]
            for d in record.get("decisions", [])
            if d.get("partner") and d["decision"] == "accepted"
        }
        accepted.update(acc)
        joined.update(p for p in acc if p in present and p not in now)
    partners = sorted(
        set(missing_now) | set(decided),
        key=lambda p: (-(missing_now[p] + accepted[p]), list(codes.PARTNERS).index(p)
                       if p in codes.PARTNERS else 99, p),
    )  # fmt: skip
    return [
        {
            "partner": p,
            "label": codes.PARTNERS.get(p, p),
            "missing_now": missing_now[p],
            "decided": decided[p],
            "accepted": accepted[p],
            "joined": joined[p],
            "joined_rate": rate(joined[p], accepted[p]),
        }
        for p in partners
    ]


def rule_decisions(records, rule_titles=None):
    """Per rule: how often it fires now, how often it was accepted and dismissed (the
    current decision per family and rule), and the dismissal reasons."""
    rule_titles = rule_titles or {}
    fired = Counter()
    accepted = Counter()
    dismissed = Counter()
    reasons = {}
    for record in records:
        fired.update({s["rule"] for s in record.get("signals", [])})
        for decision in record.get("decisions", []):
            rule = decision["rule"]
            if decision["decision"] == "accepted":
                accepted[rule] += 1
            else:
                dismissed[rule] += 1
                reasons.setdefault(rule, Counter())[decision.get("reason") or "other"] += 1
    rules = sorted(set(fired) | set(accepted) | set(dismissed))
    return [
        {
            "rule": rule,
            "title": rule_titles.get(rule, rule),
            "fires_now": fired[rule],
            "accepted": accepted[rule],
            "dismissed": dismissed[rule],
            "accepted_rate": rate(accepted[rule], accepted[rule] + dismissed[rule]),
            "reasons": dict(sorted(reasons.get(rule, {}).items())),
        }
        for rule in rules
    ]


# Problems ---------------------------------------------------------------------------------


def family_problems(case):
    """The problem codes of a family: of any living person."""
    found = set()
    for person in case["persons"]:
        if not person.get("deceased"):
            found.update(person.get("problems", []))
    return found


def problems(records):
    """How many families have each problem (anyone in the family), most frequent
    first, and the co-occurrence matrix: ``matrix[i][j]`` families with both problems
    (the diagonal is the frequency)."""
    sets = [family_problems(r["case"]) for r in records]
    frequency = Counter(code for s in sets for code in s)
    order = list(codes.PROBLEMS)
    names = sorted(
        frequency, key=lambda c: (-frequency[c], order.index(c) if c in order else 99, c)
    )
    position = {code: i for i, code in enumerate(names)}
    matrix = [[0] * len(names) for _ in names]
    for s in sets:
        present = sorted(position[c] for c in s)
        for i in present:
            row = matrix[i]
            for j in present:
                row[j] += 1
    return {
        "families": len(records),
        "problems": [
            {
                "problem": code,
                "label": codes.PROBLEMS.get(code, code),
                "families": frequency[code],
                "rate": rate(frequency[code], len(records)),
            }
            for code in names
        ],
        "codes": names,
        "matrix": matrix,
    }


# Solutions ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def component_key(word):
    return " ".join(str(word).lower().split())


def solutions(records):
    """Per component (free words, compared lower-cased): in how many solutions and
    families it was used, which problems those solutions addressed, and how they
    worked (worked, partly, not_worked, ongoing)."""
    found = {}
    for record in records:
        for solution in record["case"].get("solutions", ()):
            words = {component_key(c) for c in solution.get("components", ())}
            words.discard("")
            addresses = solution.get("addresses", ())
            outcome = solution.get("outcome") or "ongoing"
            for word in words:
                entry = found.get(word)
                if entry is None:
                    entry = found[word] = {
                        "solutions": 0,
                        "families": set(),
                        "problems": Counter(),
                        "outcomes": Counter(),
                    }
                entry["solutions"] += 1
                entry["families"].add(record["id"])
                entry["problems"].update(addresses)
                entry["outcomes"][outcome] += 1
    rows = []
    for word, entry in found.items():
        outcomes_ = {key: entry["outcomes"][key] for key in codes.SOLUTION_OUTCOMES}
        judged = outcomes_["worked"] + outcomes_["partly"] + outcomes_["not_worked"]
        rows.append(
            {
                "component": word,
                "solutions": entry["solutions"],
                "families": len(entry["families"]),
                "problems": [code for code, _ in entry["problems"].most_common()],
                "outcomes": outcomes_,
                "worked_rate": rate(outcomes_["worked"], judged),
            }
        )
    return sorted(rows, key=lambda r: (-r["solutions"], r["component"]))


def select(records, filters):
    """The records that pass ``filters`` (``check_filters`` plus ``status``: ``active``,
    ``closed`` or empty for both)."""
    status = filters.get("status")
    if status:
        records = [r for r in records if r["case"].get("status", "active") == status]
    return filter_cohort(records, **{k: filters.get(k) for k in ("region", "start", "end", "goal")})


def outcomes_document(records, filters):
    """What ``patterns outcomes --json`` and ``GET /api/patterns/outcomes`` answer."""
    return {
        "cohort": {"families": len(records), "filters": dict(filters)},
        "outcomes": outcomes(records),
    }
