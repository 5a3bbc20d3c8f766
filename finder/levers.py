"""Levers and needs: what a library solution builds on and answers, and what a family at
the table brings and needs (issue 14). Pure: no Flask, no database.

A solution transfers by its *lever* and the *need it answers*, not by the problem codes
every family at these tables shares. The vocabulary is data (``levers.yaml``):

- **passions**: what a child loves (horses, music, football), each with a broader
  passion (paard -> dier, gitaar -> muziek) that a neighbouring passion meets halfway;
- **carriers**: the kind of person who carries a solution (a grandparent, an aunt, a
  neighbour, a coach, someone from the church or mosque);
- **arrangements**: the living, school or care arrangement a solution makes
  (kangoeroewoning, network placement, a second chance instead of an eviction) and the
  family *situations* it answers.

:func:`solution_profile` reads one solution (title, summary, components, partners,
addresses) and the library child it was made for; :func:`family_profile` reads a family
(its children's interests and strengths, the child's own words, the genogram and ecomap,
the rules' signals). Both give plain dicts; ``finder.estimator`` turns them into sparse
rows, so a query stays one sparse product.
"""

import functools
import pathlib
import re

import yaml

from core.clock import utc_now
from finder.analyzer import Thesaurus, words_of

HERE = pathlib.Path(__file__).resolve().parent
LEVERS_FILE = HERE / "levers.yaml"

# How much a solution is built on a passion: named in its title, among its components,
# or only in its summary (and then only when it is the library child's own).
IN_COMPONENTS = 0.8
IN_SUMMARY = 0.6
# A passion met only through its broader term (dogs and horses: both animals) counts this
# much of an exact one.
BROADER_FIT = 0.5
# Where a family's passion is read (see _passions): the child's own words, its interests,
# the narrative (which may speak of someone else's hobby).
NARRATIVE_WEIGHT = 0.5
INTEREST_ONLY = 0.7
# A relative in the genogram counts this much as a carrier; one close to the child or a
# parent (or a strong tie in the ecomap) fully.
RELATIVE_PRESENT = 0.6
# A carrier in the ecomap, by the child's tie to them (none: UNTIED).
TIE_VALUE = {"strong": 1.0, "normal": 0.7, "weak": 0.4}
UNTIED = 0.5
# A carrier only the narrative names (not the ecomap) counts this much.
NAMED_IN_TEXT = 0.6
# How much a problem and a missing partner weigh among a family's needs beside its
# situations (which say what kind of help would answer: a way home, a place at 18).
PROBLEM_NEED = 0.7
PARTNER_NEED = 0.7
# The child's wishes that an arrangement can fulfil (levers.yaml `wish`): a lever as a
# passion is.
WISHES = ("wil_bij_ouder_met_hulp", "wil_bij_familie")
# Age from which leaving care means a place of one's own.
ADULT_SOON = 16
PARENT_TYPES = ("biological", "adoptive", "step")
CLOSE = ("close", "very_close")
# Problems of a parent that help next door can make up for (not addiction or violence:
# those ask for treatment and safety first).
LIMITED_PARENT = frozenset({"psychiatric", "intellectual_disability", "health"})
# Situations that a problem code shows: whose problem ("ouder": any parent, "kind": an
# index child, "gezin": anyone living) and which codes.
PROBLEM_SITUATIONS = {
    "woning_in_gevaar": ("ouder", {"housing"}),
    "schulden": ("gezin", {"debts"}),
    "school_vastgelopen": ("kind", {"school"}),
    "scheiding": ("gezin", {"divorce"}),
    "isolement": ("gezin", {"isolation"}),
    "weglopen": ("kind", {"running_away"}),
    "criminaliteit": ("kind", {"criminality"}),
    "ouder_verslaving": ("ouder", {"addiction"}),
    "ouder_psychiatrie": ("ouder", {"psychiatric"}),
    "ouder_lvb": ("ouder", {"intellectual_disability"}),
    "opvoeding": ("gezin", {"parenting"}),
    "geen_veilige_volwassene": ("kind", {"running_away"}),
    "gedrag": ("kind", {"behaviour"}),
}
# Situations that a signal of the rules shows (rule ids of rules/*.yaml).
RULE_SITUATIONS = {
    "geen_woning": {"discharge-without-home"},
    "school_vastgelopen": {"missing-school"},
    "jonge_mantelzorger": {"young-carer"},
    "scheiding": {"high-conflict-divorce"},
    "nieuwe_partner": {"new-partner-in-conflict", "violent-new-partner"},
    "ouder_overbelast": {
        "caregiving-parent-overload",
        "kinship-carer-support",
        "parent-without-support",
    },
    "geen_netwerk": {"no-informal-network"},
    "broers_zussen_apart": {"siblings-apart-without-tie"},
    "jonge_ouder": {"minor-parent"},
    "geen_veilige_volwassene": {"harmful-tie-to-child"},
}

# What a fitted index holds that these settings shape (finder.index refits when they
# change): the solutions' passion values, and which situations the indexed families are
# in (their rarity). The other settings act at query time.
FITTED_SETTINGS = {
    "in_components": IN_COMPONENTS,
    "in_summary": IN_SUMMARY,
    "broader_fit": BROADER_FIT,
    "adult_soon": ADULT_SOON,
}


# Texts of at most this many characters (an interest, a member's name, a solution's
# title) have their concepts remembered per matcher: the same few words recur across any
# library. At most REMEMBERED_TEXTS of them (then the memory starts again).
SHORT_TEXT = 60
REMEMBERED_TEXTS = 20_000
_UNKNOWN = object()

# How a relative is named in a reason, by sex (never by name: a reason is read aloud).
ROLE_WORDS = {
    "grootouder": {"female": "oma", "male": "opa"},
    "familielid": {"female": "tante", "male": "oom"},
}


class Matcher(Thesaurus):
    """The thesaurus' matching, and variants starting with ``*`` that match the end of a
    word: a Dutch compound carries its head last ("leasepaard", "voetbaltrainer")."""

    def __init__(self, entries):
        suffixes = {}
        plain = {}
        for canonical, variants in entries.items():
            kept = []
            for variant in variants or []:
                variant = str(variant).strip().lower()
                if variant.startswith("*"):
                    suffixes[variant[1:]] = str(canonical).lower()
                else:
                    kept.append(variant)
            plain[canonical] = kept
        super().__init__(plain)
        self.suffixes = suffixes
        self._suffix_order = sorted(suffixes, key=len, reverse=True)

    def _word(self, word):
        term = super()._word(word)
        if term != word or word in self.words:
            return term
        for suffix in self._suffix_order:
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                return self.suffixes[suffix]
        return word

    def find(self, text, drop=()):
        """``{concept: surface}`` of the concepts in ``text``, first surface kept; words
        in ``drop`` (the persons' names) are left out."""
        if len(text) > SHORT_TEXT:
            return self.find_words(words_of(text), drop)
        memory = self.__dict__.setdefault("_found", {})
        known = memory.get(text)
        if known is None:
            tokens = words_of(text)
            known = (tokens, self.find_words(tokens))
            if len(memory) >= REMEMBERED_TEXTS:
                memory.clear()
            memory[text] = known
        tokens, found = known
        if drop and any(w in drop for w in tokens):
            return self.find_words(tokens, drop)
        return dict(found)

    def find_words(self, tokens, drop=()):
        """:meth:`find` of a text's words (``finder.analyzer.words_of``): what
        :meth:`apply` gives, kept to the concepts, each word's concept remembered."""
        tokens = [w for w in tokens if w not in drop] if drop else tokens
        found, concepts = {}, self.concepts
        concept_of = self.__dict__.setdefault("_concept_of", {})
        for term, surface in self.walk(tokens):
            if term is not None:  # a phrase
                if term in concepts:
                    found.setdefault(term, surface)
                continue
            concept = concept_of.get(surface, _UNKNOWN)
            if concept is _UNKNOWN:
                concept = self.word(surface)
                concept = concept if concept in concepts else None
                if len(concept_of) >= REMEMBERED_TEXTS:
                    concept_of.clear()
                concept_of[surface] = concept
            if concept is not None:
                found.setdefault(concept, surface)
        return found

    def __getstate__(self):
        # What it remembers is rebuilt on use, not pickled with an index.
        state = dict(self.__dict__)
        state.pop("_found", None)
        state.pop("_concept_of", None)
        return state

    @functools.cached_property
    def concepts(self):
        return (
            frozenset(self.words.values())
            | frozenset(self.prefixes.values())
            | frozenset(self.phrases.values())
            | frozenset(self.suffixes.values())
        )


class Vocabulary:
    """``levers.yaml`` read: a matcher and the labels per kind."""

    def __init__(self, data):
        self.passions = {k: dict(v) for k, v in data["passions"].items()}
        self.carriers = {k: dict(v) for k, v in data["carriers"].items()}
        self.arrangements = {k: dict(v) for k, v in data["arrangements"].items()}
        self.situations = dict(data["situations"])
        for name, entry in self.arrangements.items():
            unknown = set(entry.get("answers", [])) - set(self.situations)
            if unknown:
                raise ValueError(f"{name}: unknown situations {sorted(unknown)}")
        self.passion_words = Matcher({k: v["words"] for k, v in self.passions.items()})
        self.carrier_words = Matcher({k: v["words"] for k, v in self.carriers.items()})
        self.arrangement_words = Matcher({k: v["words"] for k, v in self.arrangements.items()})

    @classmethod
    def from_file(cls, path=LEVERS_FILE):
        return cls(yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8")))

    def broader(self, passion):
        return self.passions.get(passion, {}).get("broader")

    @functools.cached_property
    def broad_passions(self):
        """The passions that are another's broader term ("dieren", "sport")."""
        return frozenset({self.broader(c) for c in self.passions} - {None})

    def passion_label(self, passion):
        return self.passions[passion]["label"]


@functools.cache
def vocabulary():
    return Vocabulary.from_file()


# ------------------------------------------------------------------ the solution side


def person_names(case):
    """Lower-cased words of the persons' names: never a passion, never a text word (a
    father called Bas plays no bass)."""
    words = set()
    for person in case["persons"]:
        for word in (person.get("name") or "").lower().split():
            if len(word) > 2 and word.isalpha():
                words.add(word)
    return frozenset(words)


def _index_children(case):
    return [p for p in case["persons"] if p.get("index") and not p.get("deceased")]


def _own_words(person):
    return [*(person.get("interests") or []), *(person.get("strengths") or [])]


def solution_profile(case, solution, vocab=None):
    """What one solution of a library case builds on and answers.

    Returns ``{"passions": {concept: (value, surface)}, "carriers": {concept: surface},
    "arrangements": {concept: surface}, "needs": [token], "kind": str or None,
    "outcome": str}``. The *core* of a solution is its title and components; its summary
    tells the story around it ("oma kookt", "tijdens het knutselen"), so from the summary
    only a passion the library child has counts (the lever it was built on), and an
    arrangement only when the core names none. A passion's surface is the library child's
    word for it when the child has one ("paarden"), else the solution's ("leasepaard").
    Needs are ``probleem:<code>`` (what it addressed), ``partner:<code>`` (whom it
    brought in) and ``situatie:<name>`` (what its arrangements answer).
    """
    vocab = vocab or vocabulary()
    core = ". ".join(filter(None, [solution.get("title"), *(solution.get("components") or [])]))
    story = solution.get("summary") or ""
    child_words = {}
    for person in _index_children(case):
        for word in _own_words(person):
            for concept, surface in vocab.passion_words.find(word).items():
                child_words.setdefault(concept, surface)
                wider = vocab.broader(concept)
                if wider:
                    child_words.setdefault(wider, surface)
    title = vocab.passion_words.find(solution.get("title") or "")
    passions = {c: (1.0, w) for c, w in title.items()}
    for concept, surface in vocab.passion_words.find(core).items():
        passions.setdefault(concept, (IN_COMPONENTS, surface))
    for concept, surface in vocab.passion_words.find(story).items():
        if concept in child_words:
            passions.setdefault(concept, (IN_SUMMARY, surface))
    passions = {c: (v, child_words.get(c, s)) for c, (v, s) in passions.items()}
    arrangements = vocab.arrangement_words.find(core) or vocab.arrangement_words.find(story)
    # The solution's kind, for variety among the results: the passion it is built on
    # (title or components: the horse whisperer, the theatre group), else its first
    # arrangement.
    built_on = next((c for c, (v, _) in passions.items() if v >= IN_COMPONENTS), None)
    needs = [f"probleem:{code}" for code in solution.get("addresses") or []]
    needs += [f"partner:{code}" for code in solution.get("partners") or [] if code != "other"]
    for name in arrangements:
        needs += [f"situatie:{s}" for s in vocab.arrangements[name].get("answers", [])]
    return {
        "passions": passions,
        "carriers": vocab.carrier_words.find(core),
        "arrangements": arrangements,
        "needs": sorted(set(needs)),
        "kind": built_on or next(iter(arrangements), None),
        # The age from which its main arrangement is an idea at all (levers.yaml min_age).
        "min_age": vocab.arrangements.get(next(iter(arrangements), None), {}).get("min_age", 0),
        "outcome": solution.get("outcome"),
    }


# -------------------------------------------------------------------- the family side

# The child's wish to live with a parent or with family, in its own words: "ik wil bij
# mijn vader wonen", "bij papa wonen", "naar huis", "thuis slapen". A negation in the few
# words before ("ik wil niet bij mijn vader wonen") cancels it.
PARENT_WORDS = r"(?:mijn\s+|m'n\s+)?(?:papa|mama|vader|moeder|pap|mam|ouders)"
FAMILY_WORDS = (
    r"(?:mijn\s+|m'n\s+)?(?:oma|opa|tante|oom|opa\s+en\s+oma|oma\s+en\s+opa|familie|"
    r"grootouders|zus|broer)"
)
HOME_WORDS = r"(?:naar\s+huis|thuis\s+(?:wonen|slapen|zijn)|weer\s+thuis|terug\s+naar\s+huis)"
LIVE = r"(?:wonen|woon|slapen|blijven|zijn|leven)"
# A wish is said with a verb of wanting before it in the same sentence: "bij oma mag ik
# gewoon slapen" tells where the child can go, not where it wants to live.
WANT = re.compile(r"\b(?:wil|wilde|willen|wens|hoop|liefst|graag)\b")
# "bij oma wonen", "naar tante Esther" (going to live there); not "bij oma eten".
WISH_PARENT = re.compile(
    rf"\bbij\s+{PARENT_WORDS}\b(?:\s+\w+){{0,3}}?\s+{LIVE}\b|\b{HOME_WORDS}\b"
    rf"|\bnaar\s+{PARENT_WORDS}\b"
)
WISH_FAMILY = re.compile(
    rf"\bbij\s+{FAMILY_WORDS}\b(?:\s+\w+){{0,3}}?\s+{LIVE}\b|\bnaar\s+{FAMILY_WORDS}\b"
)
NEGATION = re.compile(r"\b(?:niet|nooit|geen|nee)\b")


def _wishes(text):
    """``{wish: words}``: the wishes (``wil_bij_ouder``, ``wil_bij_familie``) the child's
    words hold, each with the words that say it ("bij papa wonen"). A wish is read within
    its clause (commas and "maar" end one), so "ik wil niet meer op de groep, ik wil bij
    mijn vader wonen" holds the wish and "ik wil niet bij mijn vader wonen" does not."""
    found = {}
    lowered = (text or "").lower()
    for clause in re.split(r"[.!?;,]|\bmaar\b", lowered):
        for name, pattern in (("wil_bij_ouder", WISH_PARENT), ("wil_bij_familie", WISH_FAMILY)):
            for match in pattern.finditer(clause):
                before = clause[: match.start()]
                if not WANT.search(before):
                    continue
                if not NEGATION.search(before) and not NEGATION.search(match.group(0)):
                    words = re.sub(r"^.*?\b(?=bij|naar|thuis|weer|terug)", "", match.group(0))
                    found.setdefault(name, " ".join(words.split()))
    return found


def wished_parents(words, parents):
    """The parents a wish names: "papa"/"vader" the fathers, "mama"/"moeder" the mothers,
    anything else ("naar huis", "ouders") every parent given."""
    lowered = (words or "").lower()
    if re.search(r"\b(?:papa|vader|pap)\b", lowered):
        return [p for p in parents if p.get("sex") == "male"]
    if re.search(r"\b(?:mama|moeder|mam)\b", lowered):
        return [p for p in parents if p.get("sex") == "female"]
    return list(parents)


def _keep_max(found, concept, value, surface):
    """Note ``concept`` with ``(value, surface)`` unless it has a larger value already."""
    if found.get(concept, (0.0, None))[0] < value:
        found[concept] = (value, surface)


def _passions(case, index, vocab):
    """``({concept: (value, surface)}, own)``: the family's passions, broader ones
    included, and the words of them that are the child's own (its list and its words).

    A passion the child names in its own words, or one of its interests the narrative
    speaks of too, counts fully ("paarden vragen niet waarom ik boos ben"); an interest
    on the list alone counts INTEREST_ONLY; one only the narrative names (it may be
    someone else's hobby) NARRATIVE_WEIGHT."""
    names = person_names(case)
    listed = {}
    for person in case["persons"]:
        if person["id"] in index:
            for word in _own_words(person):
                for concept, surface in vocab.passion_words.find(word, drop=names).items():
                    listed.setdefault(concept, surface)
    spoken = vocab.passion_words.find(case.get("child_perspective") or "", drop=names)
    told = vocab.passion_words.find(case.get("narrative") or "", drop=names)
    found = {}
    for concept in {*listed, *spoken, *told}:
        if concept in spoken or (concept in listed and concept in told):
            value = 1.0
        elif concept in listed:
            value = INTEREST_ONLY
        else:
            value = NARRATIVE_WEIGHT
        surface = listed.get(concept) or spoken.get(concept) or told[concept]
        found[concept] = (value, surface)
    broad = vocab.broad_passions
    out = {}
    for concept, (value, surface) in found.items():
        # A word for a whole field ("sportief", "dieren") says less than a passion
        # ("voetbal", "paarden"): it meets a passion as a broader term would.
        _keep_max(out, concept, value * (BROADER_FIT**0.5 if concept in broad else 1.0), surface)
        # Met through the broader term on both sides: sqrt here, sqrt there.
        wider = vocab.broader(concept)
        if wider:
            _keep_max(out, wider, value * BROADER_FIT**0.5, surface)
    return out, frozenset(listed.values()) | frozenset(spoken.values())


def _relatives(case, facts):
    """``(grandparents, aunts_uncles)``: ``{person id: value}`` of the living relatives
    who could carry something, in the case's order (closer ones count fully). Not one who
    is violent, nor one cut off from (or abusive to) the child, nor one cut off from a
    parent who is not close to the child."""
    order = [p["id"] for p in case["persons"] if not p.get("deceased")]
    index = set(facts["index_children"])
    links = [r for r in case["relations"] if r["kind"] == "parent"]
    parents = {r["parent"] for r in links if r["child"] in index and r["type"] in PARENT_TYPES}
    grand = {r["parent"] for r in links if r["child"] in parents}
    aunts = {r["child"] for r in links if r["parent"] in grand} - parents - index
    close, close_to_child, cut_from_child, cut_from_parent = set(), set(), set(), set()
    for r in case["relations"]:
        if r["kind"] != "emotional":
            continue
        pair = {r["a"], r["b"]}
        if r["quality"] in CLOSE and pair & (index | parents):
            close |= pair
            if pair & index:
                close_to_child |= pair
        if r["quality"] in ("cutoff", "abuse"):
            if pair & index:
                cut_from_child |= pair - index
            elif pair & parents:
                cut_from_parent |= pair - parents
    for member in case["network"]:
        for tie in member["ties"]:
            if tie["strength"] == "strong" and not tie["stressful"]:
                close.add(tie["person"])
    excluded = set(facts["violent_persons"]) | cut_from_child | (cut_from_parent - close_to_child)

    def valued(ids):
        return {
            pid: 1.0 if pid in close else RELATIVE_PRESENT
            for pid in order
            if pid in ids and pid not in excluded
        }

    return valued(grand), valued(aunts)


def _carriers(case, facts, vocab):
    """``{concept: (value, surface)}``: the kinds of carrier this family has."""
    found = {}

    grand, aunts = _relatives(case, facts)
    persons = {p["id"]: p for p in case["persons"]}
    for ids, concept in ((grand, "grootouder"), (aunts, "familielid")):
        for pid, value in ids.items():
            _keep_max(
                found, concept, value, ROLE_WORDS[concept].get(persons[pid].get("sex"), concept)
            )
    index = set(facts["index_children"])
    for member in case["network"]:
        # Carriers come from the family's own world, not from a school or a service.
        if member.get("partner") not in ("informal", "other", None):
            continue
        # Someone the child itself is tied to carries more than a name in the ecomap.
        ties = [t for t in member["ties"] if t["person"] in index and not t["stressful"]]
        value = max((TIE_VALUE[t["strength"]] for t in ties), default=UNTIED)
        for concept, surface in vocab.carrier_words.find(member.get("name") or "").items():
            _keep_max(found, concept, value, surface)
    # The words of the narrative and the child's words in one: what their joined text
    # gives, each read once.
    text = words_of(case.get("narrative") or "") + words_of(case.get("child_perspective") or "")
    for concept, surface in vocab.carrier_words.find_words(text).items():
        if vocab.carriers[concept].get("family") == "named":
            _keep_max(found, concept, NAMED_IN_TEXT, surface)
    return found


def oldest_age(case, index_persons):
    """The age of the oldest of ``index_persons`` when the case started (or this year),
    None when no birth year is known."""
    years = [p.get("birth_year") for p in index_persons if p.get("birth_year")]
    if not years:
        return None
    started = case.get("started")
    return max(0, (int(started[:4]) if started else utc_now().year) - min(years))


def family_situations(case, facts, signals, wishes, oldest=None):
    """``{situation: value}``: the situations of this family a solution can answer, from
    the genogram, the rules' facts and signals (the codes) and the child's own wishes;
    never from loose words of the narrative. Each is a kind of situation an arrangement
    answers (``levers.yaml``), so it fires only where that arrangement would be an idea
    for the table: a kangoeroewoning where a child away from home wants to (or is meant
    to) live with a parent who cannot carry it alone, not wherever a parent has a
    problem."""
    persons = {p["id"]: p for p in case["persons"]}
    index = [persons[i] for i in facts["index_children"]]
    out_of_picture = set(facts["parents_out_of_picture"]) | set(facts["violent_persons"])
    parents = [
        persons[i]
        for i in facts["parents"]
        if not persons[i].get("deceased") and i not in out_of_picture
    ]
    parent_problems = {code for p in parents for code in p["problems"]}
    every_parent_problem = {code for i in facts["parents"] for code in persons[i]["problems"]}
    child_problems = {code for p in index for code in p["problems"]}
    living = [p for p in persons.values() if not p.get("deceased")]
    all_problems = {code for p in living for code in p["problems"]}
    rules = {s["rule"] for s in signals}
    partners = {s["partner"] for s in signals if s.get("partner")}
    placed = [p for p in index if p.get("residence") and p["residence"] != "home"]
    non_kin = [p for p in placed if p["residence"] != "kinship"]
    found = {}

    def note(name, value=1.0):
        found[name] = max(found.get(name, 0.0), value)

    for wish in wishes:
        note(wish)
    going_home = placed and (case.get("goal") == "return_home" or "wil_bij_ouder" in wishes)
    if going_home:
        note("terug_naar_huis")
    # A parent the child would go home to who cannot carry it alone: help next door. The
    # parent the child names, when it names one ("bij papa wonen").
    home_parents = wished_parents(wishes.get("wil_bij_ouder"), parents)
    home_problems = {code for p in home_parents for code in p["problems"]}
    if (going_home or "wil_bij_ouder" in wishes) and home_problems & LIMITED_PARENT:
        note("thuis_met_kwetsbare_ouder")
    relatives = set(facts["close_relatives"]) | set(facts["kinship_carers"])
    if non_kin and (
        relatives
        or "wil_bij_familie" in wishes
        or rules & {"network-placement-to-examine", "dormant-relatives"}
    ):
        note("familie_kan_opvangen")
    if facts["kinship_carers"] or facts["index_in_kinship_care"]:
        note("familie_vangt_op")
    if rules & {"relatives-as-support", "dormant-relatives", "no-informal-network"}:
        note("familie_beschikbaar", 0.5)
    if facts["index_secure_stays"] or any(p.get("residence") == "secure" for p in index):
        note("na_gesloten")
    if facts["index_placements"] >= 3:
        note("carrousel")
    if "transition-to-adulthood" in rules or (oldest and oldest >= ADULT_SOON and placed):
        note("volwassen_worden")
    if facts["homeless_in_care"]:
        note("geen_woning")
    if "debt_counselling" in partners:
        note("schulden")
    if facts["young_carers"]:
        note("jonge_mantelzorger")
    if facts["new_partners"]:
        note("nieuwe_partner")
    if "contact-with-using-parent" in rules or (placed and parent_problems):
        note("contact_met_ouder", 0.5)
    if facts["siblings_apart_untied"]:
        note("broers_zussen_apart")
    if facts["minor_parents"]:
        note("jonge_ouder")
    problems = {"ouder": every_parent_problem, "kind": child_problems, "gezin": all_problems}
    for situation, (whose, codes) in PROBLEM_SITUATIONS.items():
        if problems[whose] & codes:
            note(situation)
    for situation, ids in RULE_SITUATIONS.items():
        if rules & ids:
            note(situation)
    return found


def family_profile(case, facts, signals, vocab=None):
    """What a family brings and needs, for matching with solutions.

    Returns ``{"passions": {concept: (value, surface)}, "carriers": {...},
    "situations": {name: value}, "needs": {token: value}, "wishes": set}``; ``facts``
    and ``signals`` as the rules give them (``rules.facts.family_facts``,
    ``rules.engine.evaluate``).
    """
    vocab = vocab or vocabulary()
    index = set(facts["index_children"])
    persons = {p["id"]: p for p in case["persons"]}
    oldest = oldest_age(case, [persons[i] for i in facts["index_children"]])
    wishes = _wishes(case.get("child_perspective"))
    passions, own_words = _passions(case, index, vocab)
    situations = family_situations(case, facts, signals, wishes, oldest)
    # The wishes a solution can fulfil as a lever: to live with a parent who needs help
    # next door for it, or with family.
    levers = {}
    if "wil_bij_ouder" in wishes and "thuis_met_kwetsbare_ouder" in situations:
        levers["wil_bij_ouder_met_hulp"] = wishes["wil_bij_ouder"]
    if "wil_bij_familie" in wishes:
        levers["wil_bij_familie"] = wishes["wil_bij_familie"]
    needs = {}
    for person in persons.values():
        if person.get("deceased"):
            continue
        value = PROBLEM_NEED if person["id"] in index or person["id"] in facts["parents"] else 0.5
        for code in person["problems"]:
            needs[f"probleem:{code}"] = max(needs.get(f"probleem:{code}", 0.0), value)
    for signal in signals:
        if signal.get("partner"):
            needs[f"partner:{signal['partner']}"] = PARTNER_NEED
    for name, value in situations.items():
        needs[f"situatie:{name}"] = value
    return {
        "passions": passions,
        # Which passion words are the child's own (its interests, strengths, words), so
        # a reason says "haar liefde voor" only then, and "het verhaal noemt" otherwise.
        "own_words": own_words,
        "carriers": _carriers(case, facts, vocab),
        "situations": situations,
        "needs": needs,
        "wishes": levers,
        "age": oldest,
    }
