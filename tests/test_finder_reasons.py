"""The reasons a match gives: worth reading, and never a change to the ranking."""

from cases.validation import canonical_case
from finder import CaseFinder
from finder.estimator import COMMON_MIN_CASES, STRONG
from rules.loader import load_rules
from tests.factories import make_case

RULES = load_rules()


def case(code, narrative, **changes):
    return canonical_case(make_case(code, narrative=narrative, child_perspective=None, **changes))


def other(code, narrative="Jongen die niet naar school gaat."):
    """A case unlike the query in its problems and interests."""
    found = make_case(code, narrative=narrative, child_perspective=None)
    found["persons"][0]["problems"] = ["school"]
    found["persons"][0]["interests"] = ["gamen"]
    found["persons"][1]["problems"] = ["debts"]
    return canonical_case(found)


def reasons_of(finder, query, code):
    return next(r["reasons"] for r in finder.kneighbors(query, len(finder)) if r["code"] == code)


def test_reasons_never_name_general_words():
    finder = CaseFinder(ruleset=RULES, max_reasons=100).fit(
        [
            case("map", "Ze woont bij opa, wil hem bijna elke dag zien; de deurwaarder belt."),
            other("ander"),
        ]  # fmt: skip
    )
    query = case(
        "vraag", "Hij woont nu bij een oom en wil zijn vader bijna nooit zien; deurwaarder."
    )
    reasons = reasons_of(finder, query, "map")
    assert "beide noemen: deurwaarder" in reasons
    joined = "; ".join(reasons)
    assert not any(word in joined for word in ("woont", "zien", "bijna"))


def test_reasons_never_name_words_most_of_the_library_uses():
    many = [other(f"ander-{i:02}", "Hij speelt gitaar en spijbelt.") for i in range(10)]
    finder = CaseFinder(ruleset=RULES, max_reasons=100).fit(
        [case("pony", "Ze speelt gitaar en gaat naar de pony op de stal."), *many]
    )
    query = case("vraag", "Ze speelt gitaar, en bij de pony is ze rustig.")
    assert "beide noemen: pony" in reasons_of(finder, query, "pony")  # not gitaar
    # In a small library a share says little: there the word is still named.
    two = [case("pony", "Ze speelt gitaar bij de pony."), other("ander", "Hij speelt gitaar.")]
    small = CaseFinder(ruleset=RULES, max_reasons=100).fit(two)
    assert "gitaar" in "; ".join(reasons_of(small, query, "pony"))


def test_reasons_never_name_signals_most_of_the_library_has():
    # Every case here is the same family: every partner and rule signal fires for all.
    alike = [
        case(f"zelfde-{i:02}", "Meisje in de gesloten jeugdzorg.") for i in range(COMMON_MIN_CASES)
    ]
    query = case("vraag", "Meisje dat weer wegloopt.")
    every = CaseFinder(ruleset=RULES, max_reasons=100).fit(alike)
    reasons = reasons_of(every, query, "zelfde-00")
    partner_words = ("ontbreekt", "betrokken", "signaal")
    assert reasons and not [r for r in reasons if any(w in r for w in partner_words)]
    # Beside a different family the same shared partners and signals are named.
    few = CaseFinder(ruleset=RULES, max_reasons=100).fit([alike[0], other("ander")])
    assert [r for r in reasons_of(few, query, "zelfde-00") if any(w in r for w in partner_words)]


def test_one_reason_per_kind_unless_strong():
    finder = CaseFinder(ruleset=RULES)
    found = [
        (1.3, "beide: kind met trauma", "problems"),
        (1.2, "beide: ouder met psychiatrische problematiek", "problems"),
        (0.3, "interesse paarden", "interests"),
        (0.2, "beide: schuldhulpverlening ontbreekt", "partners"),
        (0.1, "beide: school betrokken", "partners"),
        (0.5, "zelfde doel: terug naar huis", "goal"),
    ]
    assert finder._strongest_varied(found) == [
        "beide: kind met trauma",
        "interesse paarden",
        "beide: schuldhulpverlening ontbreekt",
        "zelfde doel: terug naar huis",
    ]
    strong = [(STRONG + 0.5, p, b) if b == "problems" else (v, p, b) for v, p, b in found]
    assert finder._strongest_varied(strong)[:3] == [
        "beide: kind met trauma",
        "beide: ouder met psychiatrische problematiek",
        "interesse paarden",
    ]


def test_four_shared_problems_read_as_one_beside_other_kinds():
    """The factory family shares four problems with itself: a user reads one of them,
    then what else the cases share."""
    finder = CaseFinder(ruleset=RULES).fit([case("zelfde", "Meisje bij de pony's."),
                                            other("ander")])  # fmt: skip
    reasons = reasons_of(finder, case("vraag", "Meisje bij de paarden."), "zelfde")
    assert len([r for r in reasons if " met " in r and r.startswith("beide: ")]) == 1
    assert len(reasons) == 5 and len({r.split(":")[0] for r in reasons}) >= 4


def test_reasons_leave_the_ranking_as_it_was():
    cases = [case("pony", "Ze speelt gitaar bij de pony."), *(other(f"o{i}") for i in range(12))]
    finder = CaseFinder(ruleset=RULES).fit(cases)
    query = case("vraag", "Moeder en de pony.")
    ranked = [(finder.codes_[p], round(s, 4)) for p, s in finder.rank(query)]
    assert [(r["code"], r["score"]) for r in finder.kneighbors(query, 13)] == ranked
