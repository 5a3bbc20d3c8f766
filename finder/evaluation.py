"""The metric of ``../shared/eval/README.md``: hit@3 and MRR@10 of rankings. Pure.

``rankings`` maps a query code to its ranked candidate codes (best first, ties already
broken by code); a query is relevant to a candidate when their labels are equal.
"""

import copy


def first_relevant(ranked, label, labels):
    """The 1-based rank of the first candidate with ``label``, or None."""
    return next((i + 1 for i, code in enumerate(ranked) if labels[code] == label), None)


def score_rankings(rankings, query_labels, candidate_labels, *, hit_at=3, mrr_at=10):
    """``{"hit@3": share, "MRR@10": mean reciprocal rank (0 beyond 10), "n": queries}``."""
    hits, reciprocal = 0, 0.0
    for query, ranked in rankings.items():
        r = first_relevant(ranked, query_labels[query], candidate_labels)
        hits += r is not None and r <= hit_at
        reciprocal += 1 / r if r is not None and r <= mrr_at else 0.0
    n = len(rankings)
    return {
        f"hit@{hit_at}": hits / n if n else 0.0,
        f"MRR@{mrr_at}": reciprocal / n if n else 0.0,
        "n": n,
    }


def situation_only(case):
    """A closed case as it stood before its solution: no solutions, no outcome, and no
    network members from a partner its solutions brought in.

    A library case used as a leave-one-out query otherwise still holds its answer: the
    horse coach of a horse solution sits in its network, so it finds the other horse
    cases by the network alone, which a family at the table (a query) never can.
    """
    brought = {code for solution in case.get("solutions") or () for code in solution["partners"]}
    before = copy.deepcopy(case)
    before["network"] = [m for m in before["network"] if m["partner"] not in brought]
    before["solutions"] = []
    before["outcome"] = dict.fromkeys(before.get("outcome") or (), None)
    return before
