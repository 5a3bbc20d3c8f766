"""SolutionIndex (finder/solutions.py): library solutions scored for a family by the
levers they build on and the needs they answer, all else equal."""

import numpy as np

from cases.validation import canonical_case
from finder.features import case_features
from finder.levers import vocabulary
from finder.solutions import SolutionIndex
from rules.loader import load_rules
from tests.factories import make_case

RULES = load_rules()


def solution(title, components=(), outcome="worked"):
    """A solution that differs from the others only by its words and outcome."""
    return {
        "title": title,
        "summary": "",
        "components": list(components),
        "partners": ["informal"],
        "addresses": ["trauma"],
        "outcome": outcome,
    }


HORSES = solution("Elke week naar de manege", ["stalwerk"])
DOGS = solution("Elke dag de hond uitlaten", ["hond"])
READING = solution("Elke week naar de bibliotheek", ["voorlezen"])


def library_case(code, *solutions):
    case = make_case(code, solutions=list(solutions))
    case["persons"][0]["interests"] = []  # the library child's passions play no part
    return canonical_case(case)


def index_of(*cases):
    return SolutionIndex(vocabulary()).fit(list(enumerate(cases)))


def family(interests=(), perspective=None, network=()):
    case = make_case(
        "vraag", narrative="Meisje dat vastloopt.", child_perspective=perspective, solutions=[]
    )
    case["persons"][0]["interests"] = list(interests)
    case["network"] = list(network)
    return case_features(canonical_case(case), RULES)["levers"]


def fits_by_case(index, profile, n):
    fit, _ = index.best(profile, n)
    return fit


def test_a_solution_built_on_the_childs_passion_outranks_one_that_is_not():
    index = index_of(library_case("paard", HORSES), library_case("boek", READING))
    horse, book = fits_by_case(index, family(["paarden"]), 2)
    assert horse > book > 0  # both answer her need, only one builds on her passion


def test_a_neighbouring_passion_scores_between_the_exact_one_and_none():
    index = index_of(
        library_case("hond", DOGS), library_case("paard", HORSES), library_case("boek", READING)
    )
    dog, horse, book = fits_by_case(index, family(["honden"]), 3)
    assert dog > horse > book


def test_a_solution_that_did_not_work_scores_less_than_one_that_worked():
    failed = solution("Elke week naar de manege", ["stalwerk"], outcome="not_worked")
    index = index_of(library_case("werkte", HORSES), library_case("werkte-niet", failed))
    worked, not_worked = fits_by_case(index, family(["paarden"]), 2)
    assert worked > not_worked > 0  # still an idea for the table


def test_worked_only_leaves_out_solutions_that_did_not_work():
    failed = solution("Elke week naar de manege", ["stalwerk"], outcome="not_worked")
    index = index_of(library_case("gemengd", failed, READING), library_case("mislukt", failed))
    fit, rows = index.best(family(["paarden"]), 2, worked_only=True)
    # The mixed case counts with its reading solution, the failed one not at all.
    assert index.number[rows[0]] == 1 and fit[0] > 0
    assert rows[1] == -1 and fit[1] == 0
    # Without the filter the failed solution is still an idea for the table.
    everything, rows = index.best(family(["paarden"]), 2)
    assert rows[1] >= 0 and everything[1] > 0


def test_a_case_counts_with_its_best_solution():
    index = index_of(library_case("twee", READING, HORSES), library_case("een", READING))
    profile = family(["paarden"])
    fit, rows = index.best(profile, 2)
    assert index.number[rows[0]] == 1  # the horses, listed second
    assert fit[0] == index.fits(profile).max()
    assert fit[0] > fit[1]


def test_cases_added_after_fit_are_scored_on_the_next_query():
    index = index_of(library_case("boek", READING))
    profile = family(["paarden"])
    index.add(1, library_case("paard", HORSES))
    index.add(2, library_case("hond", DOGS))
    fit, rows = index.best(profile, 3)
    assert fit[1] > fit[2] > fit[0] > 0
    assert {int(index.position[rows[p]]) for p in range(3)} == {0, 1, 2}
    # Folded once: a second query neither adds the rows again nor scores otherwise.
    again, _ = index.best(profile, 3)
    assert len(index) == 3 and np.array_equal(fit, again)


def test_a_grandmother_weighs_less_as_a_carrier_than_a_rarer_one():
    """Most solutions and most families have a grandmother; a neighbour says more."""
    grandmother = [
        library_case(f"oma-{i}", solution("Woensdagmiddag met oma", ["oma"])) for i in range(4)
    ]
    neighbour = library_case("buurman", solution("Woensdagmiddag met de buurman", ["buurman"]))
    index = index_of(neighbour, *grandmother)
    tied = {"person": "p1", "strength": "strong", "stressful": False, "flow": "both"}
    member = {"id": "n9", "name": "Buurman", "partner": "informal", "in_team": False}
    profile = family(network=[{**member, "ties": [tied]}])
    # The family has both, as fully: a grandfather close to her, a neighbour she is tied to.
    profile["carriers"]["grootouder"] = (1.0, "opa")
    assert profile["carriers"]["buur"][0] == 1.0
    fit = fits_by_case(index, profile, 5)
    assert fit[0] > fit[1:].max()
    assert np.allclose(fit[1:], fit[1])


def test_a_room_of_ones_own_is_no_plan_for_a_young_child():
    """Kamertraining is for a youth of 15 or older: for a child of nine it stays an idea
    far down the list, for a boy of sixteen it counts in full."""
    room = solution("Kamertraining in de wijk", ["kamertraining"])
    visits = solution("Vaste bezoekmiddagen", ["bezoekmiddagen"])
    index = index_of(library_case("kamer", room), library_case("bezoek", visits))

    def fits(age):
        profile = dict(family())
        profile["age"] = age
        fit, _ = index.best(profile, 2)
        return fit

    young, older = fits(9), fits(16)
    assert young[0] < older[0]
    assert young[1] == older[1]  # an arrangement without an age is the same at any age
