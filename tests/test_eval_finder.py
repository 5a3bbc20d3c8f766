"""The scoring of ``make eval`` on the expert sets (bench/eval_finder.py): pure functions,
each checked by hand on a ranking where a plausible wrong formula gives another number."""

import pytest

from bench import eval_finder


def test_useful_at_3_counts_three_places_even_when_fewer_results():
    # Two results, one useful: 1/3, not 1/2 (an empty place is not useful).
    assert eval_finder.useful_at(["lib-a01", "lib-a02"], {"lib-a01"}) == pytest.approx(1 / 3)
    # A useful case at place 4 does not count; two useful in the top 3 do.
    ranked = ["lib-a01", "lib-b02", "lib-a03", "lib-b04"]
    assert eval_finder.useful_at(ranked, {"lib-b02", "lib-b04"}) == pytest.approx(1 / 3)
    assert eval_finder.useful_at(ranked, {"lib-a01", "lib-a03", "lib-b04"}) == pytest.approx(2 / 3)
    assert eval_finder.useful_at([], {"lib-a01"}) == 0.0


def test_hit_at_3_is_one_useful_case_in_the_first_three():
    assert eval_finder.hit_at(["x", "y", "lib-a01"], {"lib-a01"}) == 1.0
    assert eval_finder.hit_at(["x", "y", "z", "lib-a01"], {"lib-a01"}) == 0.0
    # Three useful cases in the top 3 are still one hit, not three.
    assert eval_finder.hit_at(["a", "b", "c"], {"a", "b", "c"}) == 1.0


def test_mrr_at_10_takes_the_first_useful_rank_within_ten():
    ranked = ["x", "y", "a", "b"]
    assert eval_finder.reciprocal_rank(ranked, {"a", "b"}) == pytest.approx(1 / 3)  # not 1/4
    tenth = [f"x{i}" for i in range(9)] + ["a"]
    assert eval_finder.reciprocal_rank(tenth, {"a"}) == pytest.approx(0.1)
    assert eval_finder.reciprocal_rank([*tenth[:9], "z", "a"], {"a"}) == 0.0  # rank 11
    assert eval_finder.reciprocal_rank([], {"a"}) == 0.0


def test_expert_figures_are_means_over_the_cases():
    expected = {"one": {"useful": ["a"]}, "two": {"useful": ["b", "c"]}}
    rankings = {"one": ["a", "x", "y"], "two": ["x", "y", "z", "b"]}
    figures = eval_finder.expert_figures(rankings, expected)
    assert figures["useful@3"] == pytest.approx((1 / 3 + 0) / 2)
    assert figures["hit@3"] == pytest.approx(0.5)
    assert figures["MRR@10"] == pytest.approx((1 + 1 / 4) / 2)
    assert figures["n"] == 2


def test_narrative_baseline_ranks_by_shared_words_ties_by_code():
    narratives = {
        "lib-b01": "een meisje met een paard op de manege",
        "lib-a02": "vader met schulden en een ontruiming",
        "lib-a01": "vader met schulden en een ontruiming",
    }
    ranked = eval_finder.narrative_baseline(narratives, "schulden, ontruiming dreigt", k=3)
    assert ranked == ["lib-a01", "lib-a02", "lib-b01"]
