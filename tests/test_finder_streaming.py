"""A fit that reads its cases once, as a stream (issue 18): from a generator, and from
the library in batches; the same index and the same answers as from a list."""

import gc
import random

import numpy as np
import pytest

from bench import similar
from finder import CaseFinder, index
from finder.solutions import BestRows
from rules.loader import load_rules
from tests.test_finder_web import horse_case, money_case, publish

RULES = load_rules()
WORDS = similar.vocabulary(random.Random(7))


def generated(count, start=0):
    return [similar.generated_case(seed, WORDS) for seed in range(start, start + count)]


def test_fit_from_a_generator_gives_the_same_answers_as_from_a_list():
    cases = generated(60)
    listed = CaseFinder(ruleset=RULES).fit(cases)
    read = []

    def stream():
        for case in generated(60):
            read.append(case["code"])
            yield case

    streamed = CaseFinder(ruleset=RULES).fit(stream())
    assert read == [case["code"] for case in cases]  # each case read once, in order
    assert streamed.codes_ == listed.codes_
    assert (streamed.matrix_T_ != listed.matrix_T_).nnz == 0
    for query in generated(5, start=9_000):
        assert streamed.kneighbors(query, 5) == listed.kneighbors(query, 5)


def test_fit_says_what_is_wrong_with_a_streamed_case():
    with pytest.raises(TypeError):
        CaseFinder(ruleset=RULES).fit(iter([{"title": "zonder code"}]))
    twice = generated(1) * 2
    with pytest.raises(ValueError, match="distinct"):
        CaseFinder(ruleset=RULES).fit(iter(twice))


def test_fit_leaves_nothing_frozen_for_the_collector_also_when_a_case_is_wrong(monkeypatch):
    # While it reads its cases a fit freezes what it keeps for the cyclic collector
    # (finder.estimator.SETTLE_EVERY); afterwards everything is collected as before.
    monkeypatch.setattr("finder.estimator.SETTLE_EVERY", 7)
    frozen = []

    def stream(cases):
        for case in cases:
            frozen.append(gc.get_freeze_count())
            yield case

    CaseFinder(ruleset=RULES).fit(stream(generated(20)))
    assert max(frozen) > 0 and gc.get_freeze_count() == 0
    with pytest.raises(TypeError):
        CaseFinder(ruleset=RULES).fit(stream([*generated(10), {"title": "zonder code"}]))
    assert gc.get_freeze_count() == 0


def test_fit_leaves_what_another_froze_alone(monkeypatch):
    monkeypatch.setattr("finder.estimator.SETTLE_EVERY", 7)
    calls = []
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 1000)  # someone froze objects
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    CaseFinder(ruleset=RULES).fit(generated(20))
    assert calls == []


def test_best_rows_of_the_pool_at_once_equal_one_by_one():
    finder = CaseFinder(ruleset=RULES).fit(generated(80))
    family = finder._features(generated(1, start=500)[0])["levers"]
    for worked_only in (False, True):
        allowed = finder._candidates("x", (), worked_only)
        _, rows = finder.solutions_.best(
            family, len(finder.codes_), allowed=allowed, worked_only=worked_only
        )
        assert isinstance(rows, BestRows)
        positions = [*range(len(finder.codes_)), 0, len(finder.codes_) - 1]
        assert rows.many(positions) == {p: rows[p] for p in positions}


def test_library_streamed_in_batches_in_id_order(db, monkeypatch):
    ids = [publish(db, case)[0] for case in (horse_case(), money_case())]
    monkeypatch.setattr(index, "BATCH", 1)
    codes = {index.code_for(case_id) for case_id in ids}
    streamed = list(index.stream_cases(db, codes, batch=1))
    assert [case["code"] for case in streamed] == [index.code_for(i) for i in sorted(ids)]
    assert streamed == index.load_cases(db, codes)
    library = index.LibraryIndex()
    finder = library.rebuild(db)
    assert finder.codes_ == [index.code_for(i) for i in sorted(ids)]
    assert np.all(finder.alive_)
