"""The feature blocks of one case, for the similar-case finder. Pure: no Flask.

:func:`case_features` turns a canonical case (``cases.validation.canonical_case``) into
a dict of blocks. Each sparse block is a list of tokens (a token may repeat); the
estimator weighs each block with TF-IDF, L2-normalises it and gives it a weight
(``finder/weights.py``). The numeric block is compared by distance instead.

Roles come from the rules' facts (``rules.facts.family_facts``): the *index children*,
their *parents* (biological, adoptive, step; living) and the *other children* of those
parents. Deceased persons count only as "a parent died".

Blocks:

``text``
    narrative and child's perspective, analysed (``finder.analyzer``: thesaurus, stop
    words, ``dutch_porter`` stems); the persons' own names are left out.
``interests``
    the index children's interests and strengths, analysed the same way; the other
    persons' interests and strengths enter with the prefix ``~`` (a sibling who loves
    horses says less about the index child than the child's own love of horses).
``problems``
    problem codes by role: ``ouder:psychiatric``, ``kind:trauma`` (index child),
    ``broerzus:behaviour`` (other children), ``familie:debts`` (anyone else living).
``residence``
    where the index child lives now (``nu:kinship``) and every residence it was
    placed in (``ooit:secure``).
``goal``
    the case's goal code (``doel:return_home``).
``family``
    family structure flags: grandparents in the family, grandparents or aunts/uncles
    close to the child or a parent (emotional relation close or very close, or a strong
    network tie), single parent, separated or divorced parents, a parent deceased,
    siblings, siblings living apart, foster or step parents, conflict or violence
    between the parents, a cut-off between child and parent, parent and child close.
``partners``
    network partners present (``aanwezig:school``: a member tied to anyone), partners in
    the team (``team:youth_care``), and partners missing by the rules
    (``ontbreekt:adult_mental_health``: the ``partner`` of every signal the rule set
    gives for the case) and the other signals that fired (``signaal:<rule id>``).
``levers`` (a dict, not tokens)
    what the family brings and needs for the solutions' levers
    (``finder.levers.family_profile``): passions, carriers, situations, needs.
``numeric`` (a dict, not tokens)
    ``placements`` and ``secure`` (placements and secure stays of the index child),
    ``informal`` (size of the informal network), ``age`` (of the oldest index child
    when the case started or now; None when unknown).
"""

from finder.analyzer import remembered_pairs
from finder.levers import family_profile, oldest_age, person_names
from rules.engine import evaluate
from rules.facts import family_facts

SPARSE_BLOCKS = ("text", "interests", "problems", "residence", "goal", "family", "partners")
NUMERIC = ("placements", "secure", "informal", "age")
CLOSE = ("close", "very_close")
APART = ("separated", "divorced")


def case_text(case):
    return " ".join(filter(None, (case.get("narrative"), case.get("child_perspective"))))


def text_pairs(case):
    """``[(stem, surface)]`` of the case's text, the persons' own names left out (the
    ``text`` block's stems with the words they come from)."""
    return remembered_pairs(case_text(case), person_names(case))


def _interest_words(case, index):
    own, other = [], []
    for person in case["persons"]:
        if person.get("deceased"):
            continue
        words = [*person.get("interests", []), *person.get("strengths", [])]
        (own if person["id"] in index else other).extend(words)
    return own, other


def interest_pairs(case, index):
    """``[(token, surface)]`` of the interests block (other persons' tokens start ``~``)."""
    own, other = _interest_words(case, index)
    pairs = [pair for word in own for pair in remembered_pairs(word)]
    pairs += [("~" + s, w) for word in other for s, w in remembered_pairs(word)]
    return pairs


def _family(case, facts):
    living = {p["id"]: p for p in case["persons"] if not p.get("deceased")}
    deceased = {p["id"] for p in case["persons"] if p.get("deceased")}
    index = set(facts["index_children"])
    parents = set(facts["parents"])
    rel = case["relations"]
    parent_links = [r for r in rel if r["kind"] == "parent"]
    all_parents = {r["parent"] for r in parent_links if r["child"] in index}
    grand_all = {r["parent"] for r in parent_links if r["child"] in all_parents}
    grand = grand_all & set(living)
    aunts = {
        r["child"]
        for r in parent_links
        if r["parent"] in grand_all and r["child"] not in all_parents | index
    } & set(living)
    close = set()
    for r in rel:
        if r["kind"] == "emotional" and r["quality"] in CLOSE:
            close.add(frozenset((r["a"], r["b"])))

    def close_to_family(person):
        return any(frozenset((person, other)) in close for other in index | parents)

    strong = {
        tie["person"]
        for m in case["network"]
        for tie in m["ties"]
        if tie["strength"] == "strong" and not tie["stressful"]
    }
    flags = []
    if grand:
        flags.append("grootouders")
        if any(close_to_family(g) or g in strong for g in grand):
            flags.append("grootouders_hecht")
    if aunts:
        flags.append("oom_tante")
        if any(close_to_family(a) or a in strong for a in aunts):
            flags.append("oom_tante_hecht")
    if len(parents) == 1:
        flags.append("alleenstaande_ouder")
    couples = [r for r in rel if r["kind"] == "couple" and {r["a"], r["b"]} <= all_parents]
    if any(r["status"] in APART for r in couples):
        flags.append("ouders_uit_elkaar")
    if all_parents & deceased:
        flags.append("ouder_overleden")
    if facts["other_children"]:
        flags.append("broers_zussen")
        home = {living[c].get("residence") for c in index | set(facts["other_children"])}
        if len(home) > 1:
            flags.append("broers_zussen_apart")
    types = {r["type"] for r in parent_links if r["child"] in index}
    if "foster" in types:
        flags.append("pleegouder")
    if "step" in types:
        flags.append("stiefouder")
    for r in rel:
        if r["kind"] != "emotional":
            continue
        pair = {r["a"], r["b"]}
        if pair <= all_parents and r["quality"] in ("conflict", "abuse", "cutoff"):
            flags.append("ouders_conflict")
        elif pair & index and pair & all_parents:
            if r["quality"] in ("cutoff", "distant"):
                flags.append("kind_ouder_verwijderd")
            elif r["quality"] == "abuse":
                flags.append("kind_ouder_geweld")
            elif r["quality"] in CLOSE:
                flags.append("kind_ouder_hecht")
    return sorted(set(flags))


def case_features(case, ruleset, *, fired=None):
    """The blocks of a canonical case (see the module docstring); ``ruleset`` is a
    ``rules.loader.RuleSet`` whose signals name the missing partners. ``fired``: a
    ``finder.signals.FiredRules`` of that rule set, which gives the same rules and
    partners as ``rules.engine.evaluate`` from what it remembers (the finder's)."""
    facts = family_facts(case)
    index = set(facts["index_children"])
    parents = set(facts["parents"])
    others = set(facts["other_children"])
    persons = {p["id"]: p for p in case["persons"]}
    index_persons = [persons[i] for i in facts["index_children"]]

    problems = []
    for person in case["persons"]:
        if person.get("deceased"):
            continue
        pid = person["id"]
        role = (
            "kind"
            if pid in index
            else "ouder"
            if pid in parents
            else "broerzus"
            if pid in others
            else "familie"
        )
        problems.extend(f"{role}:{code}" for code in person["problems"])

    residence = []
    for person in index_persons:
        if person.get("residence"):
            residence.append(f"nu:{person['residence']}")
        residence.extend(sorted({f"ooit:{p['residence']}" for p in person["placements"]}))

    age = oldest_age(case, index_persons)
    partners = [f"aanwezig:{code}" for code in sorted(facts["partners_present"])]
    partners += [f"team:{code}" for code in sorted(facts["partners_in_team"])]
    signals = evaluate(ruleset, facts) if fired is None else fired(facts)
    for signal in signals:
        if signal["partner"]:
            partners.append(f"ontbreekt:{signal['partner']}")
        else:
            partners.append(f"signaal:{signal['rule']}")

    return {
        "text": [stem for stem, _ in text_pairs(case)],
        "interests": [token for token, _ in interest_pairs(case, index)],
        "problems": problems,
        "residence": residence,
        "goal": [f"doel:{case['goal']}"],
        "family": _family(case, facts),
        "partners": sorted(set(partners)),
        "numeric": {
            "placements": facts["index_placements"],
            "secure": facts["index_secure_stays"],
            "informal": facts["informal_network_size"],
            "age": None if age is None else float(age),
        },
        "levers": family_profile(case, facts, signals),
    }
