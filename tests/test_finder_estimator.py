"""CaseFinder on small hand-made case bases (tests/factories.make_case)."""

import pickle

import pytest
from sklearn.exceptions import NotFittedError

from cases.validation import canonical_case
from finder import CaseFinder
from finder.features import case_features
from rules.loader import load_rules
from tests.factories import make_case
from tests.test_finder_web import RESULT_KEYS

RULES = load_rules()


def child(case):
    return case["persons"][0]


def at_home(case):
    child(case)["residence"] = "home"
    child(case)["placements"] = []
    return case


def horse_case(code="paardenmeisje"):
    case = make_case(
        code,
        title="Het Paardenmeisje",
        narrative="Meisje van 14 dat alleen tot rust komt op de manege bij de pony's.",
        child_perspective="Ik wil elke dag naar de paarden.",
    )
    return canonical_case(case)


def debt_case(code="schuldengezin"):
    case = at_home(
        make_case(
            code,
            title="Het Schuldengezin",
            narrative="De deurwaarder staat aan de deur, er is een huurachterstand.",
            child_perspective="Ik schaam me voor de brieven.",
        )
    )
    child(case)["interests"] = ["gamen"]
    child(case)["problems"] = ["school"]
    case["persons"][1]["problems"] = ["debts", "poverty"]
    return canonical_case(case)


def school_case(code="thuiszitter"):
    case = at_home(
        make_case(
            code,
            title="De Thuiszitter",
            narrative="Jongen die al maanden spijbelt; de leerplichtambtenaar is ingeschakeld.",
            child_perspective="School is saai, ik wil werken.",
        )
    )
    child(case)["interests"] = ["brommers"]
    child(case)["problems"] = ["school", "behaviour"]
    case["persons"][1]["problems"] = ["parenting"]
    return canonical_case(case)


def query_case(code="nieuw-gezin", **changes):
    case = make_case(
        code,
        narrative="Meisje dat zich terugtrekt; ze praat alleen over haar pony en de stal.",
        child_perspective="Bij de paarden voel ik me rustig.",
        solutions=[],
        **changes,
    )
    return canonical_case(case)


@pytest.fixture
def finder():
    return CaseFinder(ruleset=RULES).fit([debt_case(), horse_case(), school_case()])


def test_finder_fit_returns_self_and_keeps_settings():
    finder = CaseFinder(ruleset=RULES)
    assert finder.fit([horse_case(), debt_case()]) is finder
    assert finder.get_params()["weights"] is None
    assert finder.codes_ == ["paardenmeisje", "schuldengezin"]
    assert len(finder) == 2 and "paardenmeisje" in finder


def test_finder_unfitted_raises_not_fitted():
    finder = CaseFinder(ruleset=RULES)
    with pytest.raises(NotFittedError):
        finder.kneighbors(query_case())
    with pytest.raises(NotFittedError):
        finder.add(horse_case())
    with pytest.raises(NotFittedError):
        finder.remove("paardenmeisje")


def test_finder_horse_case_finds_horse_case(finder):
    results = finder.kneighbors(query_case(), n_neighbors=3)
    assert results[0]["code"] == "paardenmeisje"
    assert set(results[0]) == RESULT_KEYS
    assert results[0]["title"] == "Het Paardenmeisje"
    assert results[0]["solutions"][0]["title"] == "Paardenfluisteraar en leasepaard"
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)


def test_finder_reasons_name_the_shared_features(finder):
    reasons = finder.kneighbors(query_case(), n_neighbors=1)[0]["reasons"]
    joined = "; ".join(reasons)
    assert "interesse paarden" in joined or "pony" in joined
    assert any(r.startswith("beide") for r in reasons)
    more = CaseFinder(ruleset=RULES, max_reasons=100).fit([horse_case(), debt_case()])
    every = more.kneighbors(query_case(), n_neighbors=1)[0]["reasons"]
    # Four shared problems, none strong: one is named, beside the other kinds.
    assert len([r for r in every if r.startswith("beide: ") and " met " in r]) == 1
    assert "interesse paarden" in every
    assert "2 plaatsingen waarvan 1 gesloten" in every
    assert "beide noemen: pony, meisje" in every


def test_finder_debt_words_find_debt_case():
    # Room for every reason: which ones there are is the point here, not how many show.
    finder = CaseFinder(ruleset=RULES, max_reasons=9).fit(
        [debt_case(), horse_case(), school_case()]
    )
    case = at_home(make_case("nieuw", narrative="Er komt steeds een deurwaarder langs."))
    case["persons"][1]["problems"] = ["debts"]
    case["persons"][0]["interests"] = []
    results = finder.kneighbors(canonical_case(case), n_neighbors=1)
    assert results[0]["code"] == "schuldengezin"
    assert "beide noemen: deurwaarder" in results[0]["reasons"]
    assert "beide: schuldhulpverlening ontbreekt" in results[0]["reasons"]


def test_finder_never_returns_the_case_itself(finder):
    codes = [r["code"] for r in finder.kneighbors(horse_case(), n_neighbors=5)]
    assert "paardenmeisje" not in codes
    assert codes == ["schuldengezin", "thuiszitter"] or len(codes) == 2


def test_finder_exclude_leaves_codes_out(finder):
    codes = [r["code"] for r in finder.kneighbors(query_case(), 5, exclude=["paardenmeisje"])]
    assert "paardenmeisje" not in codes and len(codes) == 2


def test_finder_removed_case_disappears_and_add_brings_it_back(finder):
    finder.remove("paardenmeisje")
    codes = [r["code"] for r in finder.kneighbors(query_case(), 5)]
    assert "paardenmeisje" not in codes and "paardenmeisje" not in finder
    finder.remove("no-such-case")  # ignored
    finder.add(horse_case())
    assert finder.kneighbors(query_case(), 1)[0]["code"] == "paardenmeisje"
    assert len(finder) == 3


def test_finder_changed_case_replaces_the_old_one(finder):
    before = {r["code"]: r["reasons"] for r in finder.kneighbors(query_case(), 5)}
    changed = debt_case("paardenmeisje")  # the horse case becomes a debt case
    finder.add(changed)
    results = finder.kneighbors(query_case(), 5)
    assert [r["code"] for r in results].count("paardenmeisje") == 1
    assert len(finder) == 3
    after = {r["code"]: r["score"] for r in results}
    # It now scores as the debt case it became, no longer as the horse case it was.
    assert after["paardenmeisje"] == pytest.approx(after["schuldengezin"])
    # Its words are the debt case's now: no pony in what the two cases share.
    assert any(r.startswith("beide noemen") and "pony" in r for r in before["paardenmeisje"])
    reasons = next(r["reasons"] for r in results if r["code"] == "paardenmeisje")
    assert not any(r.startswith("beide noemen") and "pony" in r for r in reasons)


def test_finder_added_case_is_found_among_fitted_ones(finder):
    finder.add(horse_case("tweede-paard"))
    codes = [r["code"] for r in finder.kneighbors(query_case(), 2)]
    assert codes == ["paardenmeisje", "tweede-paard"]  # equal scores: by code


def test_finder_ties_broken_by_code():
    finder = CaseFinder(ruleset=RULES).fit(
        [horse_case("c-paard"), horse_case("a-paard"), horse_case("b-paard")]
    )
    results = finder.kneighbors(query_case(), 3)
    assert [r["code"] for r in results] == ["a-paard", "b-paard", "c-paard"]
    assert len({r["score"] for r in results}) == 1


def test_finder_worked_only_keeps_cases_with_working_solutions():
    worked = make_case("werkte")
    worked["solutions"][0]["outcome"] = "partly"
    worked["solutions"].append(
        {**worked["solutions"][0], "title": "Mislukt", "outcome": "not_worked"}
    )
    finder = CaseFinder(ruleset=RULES).fit([horse_case(), canonical_case(worked)])
    codes = [r["code"] for r in finder.kneighbors(query_case(), 5, worked_only=True)]
    assert codes == ["werkte"]
    solutions = finder.kneighbors(query_case(), 5, worked_only=True)[0]["solutions"]
    assert [s["title"] for s in solutions] == ["Paardenfluisteraar en leasepaard"]
    assert len(finder.kneighbors(query_case(), 5)) == 2


def placements(code, count, secure):
    case = make_case(code, narrative="Een gezin.", child_perspective=None)
    stays = [
        {
            "residence": "secure" if i < secure else "residential",
            "provider": "Groep",
            "start": f"201{i}-01-01",
            "end": f"201{i}-06-01",
        }
        for i in range(count)
    ]
    child(case)["placements"] = stays
    child(case)["residence"] = "home"
    return canonical_case(case)


def test_finder_numeric_block_compares_by_distance():
    base = [placements("nul", 0, 0), placements("drie", 3, 2), placements("acht", 8, 2)]
    finder = CaseFinder(ruleset=RULES, weights={"numeric": 1.0}).fit(base)
    query = placements("vier", 4, 2)
    numeric = finder.similarities(query)["numeric"]
    near, none, far = numeric[1], numeric[0], numeric[2]
    assert near > far and near > none
    results = finder.kneighbors(query, 3)
    assert [r["code"] for r in results][0] == "drie"
    assert "3 plaatsingen waarvan 2 gesloten" in results[0]["reasons"]


def test_finder_is_deterministic():
    cases = [debt_case(), horse_case(), school_case()]
    first = CaseFinder(ruleset=RULES).fit(cases).kneighbors(query_case(), 3)
    again = CaseFinder(ruleset=RULES).fit(list(reversed(cases))).kneighbors(query_case(), 3)
    assert first == again


def test_finder_pickles_with_its_index(finder):
    loaded = pickle.loads(pickle.dumps(finder))  # noqa: S301 (our own object)
    assert loaded.kneighbors(query_case(), 3) == finder.kneighbors(query_case(), 3)


def test_finder_refuses_bad_input():
    with pytest.raises(ValueError):
        CaseFinder(ruleset=RULES).fit([horse_case(), horse_case()])
    with pytest.raises(ValueError):
        CaseFinder(ruleset=RULES, weights={"colour": 1.0}).fit([horse_case()])
    with pytest.raises(TypeError):
        CaseFinder(ruleset=RULES).fit(["paardenmeisje"])
    finder = CaseFinder(ruleset=RULES).fit([horse_case()])
    with pytest.raises(ValueError):
        finder.kneighbors(query_case(), 0)


def test_finder_with_only_the_case_itself_returns_nothing():
    finder = CaseFinder(ruleset=RULES).fit([horse_case()])
    assert finder.kneighbors(horse_case(), 5) == []


def test_features_blocks_of_a_case():
    features = case_features(horse_case(), RULES)
    assert "kind:trauma" in features["problems"]
    assert "ouder:psychiatric" in features["problems"]
    assert "ontbreekt:adult_mental_health" in features["partners"]
    assert "aanwezig:informal" in features["partners"]
    assert features["residence"] == ["nu:secure", "ooit:residential", "ooit:secure"]
    assert "ouder_overleden" in features["family"]
    assert "alleenstaande_ouder" in features["family"]
    assert "grootouders" in features["family"]
    assert "paard" in features["interests"]
    assert "sanne" not in features["text"]
    assert features["numeric"] == {"placements": 2.0, "secure": 1.0, "informal": 1.0, "age": 12.0}


def test_features_grandparents_with_close_ties():
    case = make_case("opa-hecht")
    case["relations"].append({"kind": "emotional", "a": "p4", "b": "p1", "quality": "very_close"})
    assert "grootouders_hecht" in case_features(canonical_case(case), RULES)["family"]
    assert "grootouders_hecht" not in case_features(horse_case(), RULES)["family"]


def test_finder_builds_a_query_row_as_its_vectorisers_would(finder):
    """The finder builds a case's row itself (speed); it must be the row the fitted
    TfidfVectorizers give, or the scores and so the order would drift."""
    import scipy.sparse as sp

    from finder.features import SPARSE_BLOCKS

    for case in (query_case(), at_home(make_case("ander", narrative="Pony en deurwaarder."))):
        features = case_features(canonical_case(case), RULES)
        for weighted in (True, False):
            parts = []
            for block in SPARSE_BLOCKS:
                vectorizer = finder.vectorizers_[block]
                if vectorizer is not None:
                    part = vectorizer.transform([features[block]])
                    parts.append(part * finder.weights_.get(block, 0.0) if weighted else part)
            expected = sp.hstack(parts, format="csr")
            built = finder._vector(features, weighted=weighted)
            assert abs(built - expected).max() < 1e-12
