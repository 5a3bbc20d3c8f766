"""One family's record for the dashboard, from a canonical case and what the app
keeps beside it. No Flask, no database: the store and the CLI's ``--file`` both use it."""

from finder.features import case_features
from rules.engine import evaluate
from rules.facts import family_facts


def family_record(
    case,
    ruleset,
    *,
    family_id=None,
    first_conference=None,
    goal_scores=None,
    actions=(),
    decisions=(),
    team_persons=(),
):
    """The plain data ``patterns.outcomes`` and ``patterns.groups`` compute on.

    ``decisions`` are ``{"rule", "decision", "reason"}`` (the current one per rule);
    the rule's partner is looked up in ``ruleset``.
    """
    facts = family_facts(case, team_persons=team_persons)
    signals = [
        {"rule": s["rule"], "partner": s["partner"], "severity": s["severity"]}
        for s in evaluate(ruleset, facts)
    ]
    decided = []
    for decision in decisions:
        rule = ruleset.get(decision["rule"])
        decided.append(
            {
                "rule": decision["rule"],
                "decision": decision["decision"],
                "reason": decision.get("reason"),
                "partner": rule.partner if rule else None,
            }
        )
    return {
        "id": family_id if family_id is not None else case["code"],
        "code": case["code"],
        "title": case["title"],
        "case": case,
        "first_conference": first_conference,
        "goal_scores": goal_scores or {},
        "actions": list(actions),
        "signals": signals,
        "decisions": decided,
        "partners_present": sorted(facts["partners_present"]),
        "partners_at_table": sorted(facts["partners_at_table"]),
        "features": case_features(case, ruleset),
    }
