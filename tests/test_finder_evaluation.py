"""The evaluation metric of ../shared/eval/README.md on toy rankings."""

import pytest

from finder.evaluation import first_relevant, score_rankings

LABELS = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "c1": "C"}


def test_evaluation_first_relevant_rank():
    assert first_relevant(["b1", "c1", "a2"], "A", LABELS) == 3
    assert first_relevant(["b1", "c1"], "A", LABELS) is None


def test_evaluation_hit_and_mrr_on_a_toy_ranking():
    rankings = {
        "q1": ["a1", "b1", "c1"],  # r = 1
        "q2": ["c1", "a1", "b2"],  # r = 3 for B
        "q3": ["a1", "a2", "b1", "b2"],  # r = None for C
    }
    queries = {"q1": "A", "q2": "B", "q3": "C"}
    figures = score_rankings(rankings, queries, LABELS)
    assert figures["hit@3"] == pytest.approx(2 / 3)
    assert figures["MRR@10"] == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert figures["n"] == 3


def test_evaluation_rank_beyond_cutoff_scores_zero():
    ranked = [f"x{i}" for i in range(10)] + ["a1"]
    labels = {**LABELS, **{f"x{i}": "X" for i in range(10)}}
    figures = score_rankings({"q": ranked}, {"q": "A"}, labels)
    assert figures == {"hit@3": 0.0, "MRR@10": 0.0, "n": 1}


def test_evaluation_empty():
    assert score_rankings({}, {}, LABELS) == {"hit@3": 0.0, "MRR@10": 0.0, "n": 0}
