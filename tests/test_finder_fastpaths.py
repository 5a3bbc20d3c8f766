"""The finder's fast paths (issue 18) against the straightforward computations they
replace, on small inputs: the same numbers, the same rules, the same results."""

import json
import pathlib
import random

import numpy as np
import pytest
import scipy.sparse as sp

from bench import similar
from cases.validation import canonical_case
from finder import CaseFinder
from finder.estimator import _lookup
from finder.features import SPARSE_BLOCKS, case_features
from finder.numeric import DistinctRows, distinct_rows, mean_known, similarity
from finder.signals import FiredRules, readers
from genogram.graph import build_graph
from rules.engine import evaluate
from rules.facts import family_facts
from rules.loader import load_rules
from tests.factories import make_case

RULES = load_rules()
EXPERT = pathlib.Path(__file__).parent / "data" / "expert"
WORDS = similar.vocabulary(random.Random(7))


def expert_cases():
    return [
        canonical_case(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(EXPERT.glob("mwt-expert-*.json"))
    ]


def generated(count, start=0):
    return [similar.generated_case(seed, WORDS) for seed in range(start, start + count)]


# ---- the numeric block over distinct rows ----------------------------------------------


def test_numeric_distinct_rows_rebuild_every_row_with_unknowns():
    values = np.array([[1, 0, 2, 9], [1, 0, 2, np.nan], [1, 0, 2, 9], [3, 1, 0, np.nan]])
    distinct, inverse = distinct_rows(values)
    assert len(distinct) == 3  # the two rows with an unknown age count as one
    np.testing.assert_array_equal(distinct[inverse], values)  # NaN where NaN


def test_numeric_block_over_distinct_rows_equals_the_full_block():
    rng = np.random.default_rng(3)
    values = rng.integers(0, 3, size=(500, 4)).astype(float)
    values[rng.random(500) < 0.2, 3] = np.nan
    scales = np.array([2.0, 1.0, 2.0, 3.0])
    rows = DistinctRows(values)
    assert len(rows.distinct) < 120
    for query in ([1, 0, 3, 12], [0, 0, 0, np.nan], [7, 2, 1, 4.5]):
        full = similarity(values, query, scales)
        spread = rows.similarity(query, scales)[rows.inverse]
        np.testing.assert_allclose(spread, full, rtol=0, atol=1e-15)
        np.testing.assert_allclose(
            mean_known(rows.similarity(query, scales))[rows.inverse],
            mean_known(full),
            rtol=0,
            atol=1e-15,
        )


def test_numeric_distinct_rows_append_new_and_known_rows():
    rows = DistinctRows(np.zeros((0, 4)))
    added = [[1, 0, 2, np.nan], [1, 0, 2, np.nan], [2, 0, 2, 5], [1, 0, 2, np.nan]]
    for row in added:
        rows.append(row)
    assert len(rows.distinct) == 2
    np.testing.assert_array_equal(rows.distinct[rows.inverse], np.array(added))


# ---- rules: which fire, remembered -----------------------------------------------------


def fired_by_engine(facts):
    return sorted((s["rule"], s["partner"]) for s in evaluate(RULES, facts))


def fired_remembered(fired, facts):
    return sorted((s["rule"], s["partner"]) for s in fired(facts))


def test_fired_rules_equal_the_engine_on_expert_and_generated_cases():
    fired = FiredRules(RULES)
    cases = expert_cases() + generated(150)
    for case in cases + cases[:20]:  # the second time from memory
        facts = family_facts(case, graph=build_graph(case))
        assert fired_remembered(fired, facts) == fired_by_engine(facts), case["code"]
    # Families agree on what the rules read: the engine ran far fewer times than rules x cases.
    assert fired.engine_runs < len(cases) * len(RULES.rules) / 3


def test_fired_rules_a_code_the_rule_does_not_ask_about_changes_nothing_it_asks_does():
    fired = FiredRules(RULES)
    facts = family_facts(canonical_case(make_case("los")), graph=None)
    facts = {**facts, "family_problems": {"debts"}, "partners_at_table": set()}
    assert ("missing-debt-counselling", "debt_counselling") in fired_remembered(fired, facts)
    other = {**facts, "partners_at_table": {"school"}}  # not asked by that rule
    assert fired_remembered(fired, other) == fired_by_engine(other)
    present = {**facts, "partners_at_table": {"debt_counselling"}}
    assert ("missing-debt-counselling", "debt_counselling") not in fired_remembered(fired, present)
    assert fired_remembered(fired, present) == fired_by_engine(present)


def test_fired_rules_read_membership_length_and_entries_or_else_the_whole_fact():
    by_id = {rule.id: readers(rule) for rule in RULES.rules}
    # 'psychiatric' in parent_problems and 'adult_mental_health' not in partners_at_table
    assert by_id["missing-adult-mental-health"] == [
        ("parent_problems", ("psychiatric",), False, ()),
        ("partners_at_table", ("adult_mental_health",), False, ()),
    ]
    # young_carers.length > 0
    assert by_id["young-carer"] == [("young_carers", (), True, ())]
    # in_picture_with_problem['addiction'].length > 0
    assert ("in_picture_with_problem", (), False, ("addiction",)) in by_id["missing-addiction-care"]
    # [r for r in close_relatives if r not in persons_at_table]: read whole
    assert ("persons_at_table", None, False, ()) in by_id["relatives-as-support"]


# ---- the query row and the reasons' lookup ---------------------------------------------


def test_finder_query_row_equals_transform_with_unseen_words_and_empty_text():
    finder = CaseFinder(ruleset=RULES).fit(generated(40))
    unseen = make_case("onbekend", narrative="Zeppelinkapitein en luchtschipbouwer.")
    empty = make_case("leeg", narrative="")
    for case in (unseen, empty, generated(1, start=500)[0]):
        features = case_features(canonical_case(case), RULES)
        parts = [
            finder.vectorizers_[block].transform([features[block]])
            for block in SPARSE_BLOCKS
            if finder.vectorizers_[block] is not None
        ]
        expected = sp.hstack(parts, format="csr")
        built = finder._vector(features, weighted=False)
        assert built.shape == expected.shape
        assert abs(built - expected).max() < 1e-12 if expected.nnz or built.nnz else True
        np.testing.assert_array_equal(np.sort(built.indices), np.sort(expected.indices))


def test_lookup_equals_slicing_the_columns():
    rng = np.random.default_rng(5)
    rows = sp.random(30, 400, density=0.05, format="csr", random_state=rng)
    rows.sort_indices()
    positions = [0, 17, 399, 17, 250]
    np.testing.assert_array_equal(_lookup(rows, positions), rows[:, positions].toarray())


# ---- the whole finder against the reference of the bench --------------------------------


def test_finder_results_equal_the_straightforward_reference():
    finder = CaseFinder(ruleset=RULES).fit(generated(300))
    for query in generated(3, start=10_000):
        finder.add(query)  # some positions among the added cases
    reference = similar.reference_of(finder)
    for query in generated(25, start=20_000) + expert_cases()[:3]:
        same, difference = similar.same_results(finder, reference, query)
        assert same, (query["code"], difference)


def test_finder_features_equal_with_and_without_remembered_rules():
    finder = CaseFinder(ruleset=RULES).fit(expert_cases())
    for case in expert_cases():
        assert finder._features(case) == case_features(case, RULES)


@pytest.mark.parametrize("weights", [{"text": 1.0}, {"numeric": 1.0, "problems": 2.0}])
def test_finder_other_weights_still_equal_the_reference(weights):
    finder = CaseFinder(ruleset=RULES, weights=weights).fit(generated(80))
    reference = similar.reference_of(finder)
    for query in generated(8, start=30_000):
        assert similar.same_results(finder, reference, query)[0]


# ---- the fit's bulk steps ---------------------------------------------------------------


def test_solution_rows_built_at_once_equal_one_matrix_per_row_stacked():
    from finder.solutions import _rows

    rows = [{3: 0.5, 0: 1.0}, {}, {7: 0.25}, {1: 2.0, 2: 0.0, 9: 1.5}]
    expected = sp.vstack(
        [
            sp.csr_matrix(
                ([row[c] for c in sorted(row)], ([0] * len(row), sorted(row))),
                shape=(1, 10),
                dtype=float,
            )
            for row in rows
        ],
        format="csr",
    )
    built = _rows(rows, 10)
    np.testing.assert_array_equal(built.toarray(), expected.toarray())
    np.testing.assert_array_equal(built.indices, expected.indices)
    np.testing.assert_array_equal(built.indptr, expected.indptr)


def test_thesaurus_phrases_only_tried_where_one_can_start():
    from finder.analyzer import Thesaurus

    thesaurus = Thesaurus({"uithuisplaatsing": ["uit huis geplaatst"], "paard": ["pony"]})
    words = ["ze", "werd", "uit", "huis", "geplaatst", "met", "haar", "pony", "uit", "huis"]
    assert thesaurus.apply(words) == [
        ("ze", "ze"),
        ("werd", "werd"),
        ("uithuisplaatsing", "uit huis geplaatst"),
        ("met", "met"),
        ("haar", "haar"),
        ("paard", "pony"),
        ("uit", "uit"),
        ("huis", "huis"),
    ]
