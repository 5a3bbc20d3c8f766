"""The typed facts the rules are written over, computed from a family. Pure: no Flask.

``FACTS`` declares every fact: its rule-engine type (so a misspelled fact or a type
error in a rule is caught when the rules load), a Dutch label and how its value reads
in an explanation. :func:`family_facts` computes them from a canonical case alone
(no genogram graph); values are plain Python (tuples, sets, dicts, floats, bools).

Roles: the *index children* are the living persons marked ``index``; their *parents*
are their living biological, adoptive and step parents (foster parents care for a
child but are not counted as parents here); the *other children* are the living
children of those parents besides the index children. Deceased persons never count:
not their problems, not as parents, not as children.

Two things are kept apart: a partner is *involved* when a network member with that
code is tied to someone of the family (``partners_present``), and *at the table* when
such a member is ``in_team`` or took part in the latest conference
(``partners_at_table``). A parent is *out of the picture* when absent (cut off from the
index child, or without any tie or relation at all and not recorded as living with an
index child) or *violent* (a ``domestic_violence``
problem, or the one from whom an ``abuse`` relation comes); such a parent is never
proposed for the team or as someone "without support". See the README's facts table.
"""

import dataclasses
import datetime
import re

from cases import codes
from genogram.analysis import siblings_apart_in_case


@dataclasses.dataclass(frozen=True)
class FactType:
    """A rule-engine data type by name (``FLOAT``, ``ARRAY`` of ``STRING``...), turned into
    ``rule_engine.DataType`` only when the rules are compiled: the rule engine builds its
    parser on import (about 0.4 s), so the app imports it on first use, not at start."""

    name: str
    of: tuple = ()

    def __call__(self, *of):
        return FactType(self.name, of)

    def resolve(self):
        import rule_engine

        data_type = getattr(rule_engine.DataType, self.name)
        return data_type(*(each.resolve() for each in self.of)) if self.of else data_type


class T:
    """The names of ``rule_engine.DataType`` that the facts use."""

    STRING, FLOAT, BOOLEAN = FactType("STRING"), FactType("FLOAT"), FactType("BOOLEAN")
    ARRAY, SET, MAPPING = FactType("ARRAY"), FactType("SET"), FactType("MAPPING")


PERSONS = T.ARRAY(T.STRING)
CODES = T.SET(T.STRING)
PER_PROBLEM = T.MAPPING(T.STRING, PERSONS)
PER_PERSON = T.MAPPING(T.STRING, T.FLOAT)
PER_PERSON_TEXT = T.MAPPING(T.STRING, T.STRING)
PARENT_TYPES = ("biological", "adoptive", "step")
BLOOD_TYPES = ("biological", "adoptive")
CLOSE = ("close", "very_close")
AWAY_FROM_HOME = ("kinship", "foster", "family_home", "residential", "secure")
NON_KIN_CARE = ("foster", "family_home", "residential", "secure")
# Problems of a parent that make a child at home likely to care for them (young carer).
CARE_NEEDS = ("health", "psychiatric", "addiction", "intellectual_disability")
# The age from which a brother or sister counts as a grown-up relative, and the ages of
# the transition to adulthood (youth care ends at 18; plans start at 16).
ADULT_SIBLING_AGE = 16
TRANSITION_AGES = (16, 18)
YOUNG_CARER_AGES = (8, 17)


@dataclasses.dataclass(frozen=True)
class Fact:
    type: FactType  # rule_engine.DataType by name: .resolve() gives it
    label: str  # Dutch, as the explanation names it
    shows: str  # how a value reads: persons, problems, partners, number, yes_no, per_person


FACTS = {
    "index_children": Fact(PERSONS, "indexkinderen", "persons"),
    "parents": Fact(PERSONS, "ouders van het indexkind", "persons"),
    "other_children": Fact(PERSONS, "andere kinderen", "persons"),
    "family_problems": Fact(CODES, "problematiek in het gezin", "problems"),
    "family_problem_count": Fact(T.FLOAT, "aantal soorten problematiek", "number"),
    "parent_problems": Fact(CODES, "problematiek van de ouders en verzorgers", "problems"),
    "child_problems": Fact(CODES, "problematiek van de kinderen", "problems"),
    "index_problems": Fact(CODES, "problematiek van het indexkind", "problems"),
    "persons_with_problem": Fact(PER_PROBLEM, "personen per probleem", "per_problem"),
    "parents_with_problem": Fact(PER_PROBLEM, "ouders en verzorgers per probleem", "per_problem"),
    "children_with_problem": Fact(PER_PROBLEM, "kinderen per probleem", "per_problem"),
    "in_picture_with_problem": Fact(
        PER_PROBLEM, "kinderen, ouders en verzorgers in beeld per probleem", "per_problem"
    ),
    "partners_present": Fact(CODES, "partners betrokken (met een band)", "partners"),
    "partners_in_team": Fact(CODES, "partners in het team", "partners"),
    "partners_at_table": Fact(CODES, "partners aan tafel", "partners"),
    "informal_network_size": Fact(T.FLOAT, "informeel netwerk (aantal)", "number"),
    "parents_without_support": Fact(PERSONS, "ouders zonder enige band met het netwerk", "persons"),
    "parents_without_informal_support": Fact(PERSONS, "ouders zonder informele steun", "persons"),
    "parents_out_of_picture": Fact(PERSONS, "ouders uit beeld (afwezig of geweld)", "persons"),
    "violent_persons": Fact(PERSONS, "personen van wie geweld uitgaat", "persons"),
    "carers": Fact(PERSONS, "verzorgers bij wie het indexkind woont", "persons"),
    "kinship_carers": Fact(PERSONS, "netwerkpleegouders", "persons"),
    "close_relatives": Fact(PERSONS, "familie met een goede band met het indexkind", "persons"),
    "dormant_relatives": Fact(PERSONS, "familie zonder vastgelegde band", "persons"),
    "relatives_in_conflict_with_parent": Fact(PERSONS, "ouders en familie in conflict", "persons"),
    "new_partners": Fact(PERSONS, "nieuwe partners van een ouder", "persons"),
    "new_partners_in_conflict": Fact(PERSONS, "nieuwe partners in conflict", "persons"),
    "violent_new_partners": Fact(PERSONS, "nieuwe partners met geweld", "persons"),
    "children_at_home_with_risk": Fact(PERSONS, "kinderen thuis bij een risico", "persons"),
    "young_carers": Fact(PERSONS, "kinderen die zorgen voor een ouder", "persons"),
    "caregiving_parents": Fact(PERSONS, "ouders die de zorg dragen", "persons"),
    "other_parents_as_resource": Fact(PERSONS, "andere ouder als hulpbron", "persons"),
    "parents_in_justice_close": Fact(PERSONS, "ouders in justitiekader met band", "persons"),
    "using_parents_child_away": Fact(PERSONS, "ouders met verslaving, kind uit huis", "persons"),
    "minor_parents": Fact(PERSONS, "ouders jonger dan 18", "persons"),
    "children_in_transition": Fact(PERSONS, "jongeren rond hun 18e (16-18)", "persons"),
    "index_in_non_kin_care": Fact(T.BOOLEAN, "indexkind in pleegzorg of residentieel", "yes_no"),
    "index_in_kinship_care": Fact(T.BOOLEAN, "indexkind in een netwerkpleeggezin", "yes_no"),
    "harmful_ties_to_children": Fact(PERSONS, "kinderen met een belastende band", "persons"),
    "homeless_in_care": Fact(PERSONS, "woonprobleem vanuit zorg of kliniek", "persons"),
    "acute_needs": Fact(CODES, "acute nood", "acute"),
    "placements": Fact(PER_PERSON, "plaatsingen per kind", "per_person"),
    "secure_stays": Fact(PER_PERSON, "gesloten plaatsingen per kind", "per_person"),
    "index_placements": Fact(T.FLOAT, "plaatsingen van het indexkind", "number"),
    "index_secure_stays": Fact(T.FLOAT, "verblijven indexkind in gesloten jeugdzorg", "number"),
    "siblings_apart_untied": Fact(PERSONS, "broers en zussen apart zonder band", "persons"),
    "residence_of": Fact(PER_PERSON_TEXT, "woonplek per persoon", "residences"),
    "parents_in_team": Fact(PERSONS, "ouders in het team", "persons"),
    "persons_at_table": Fact(PERSONS, "gezinsleden aan tafel", "persons"),
    "parents_in_divorce_conflict": Fact(PERSONS, "ouders in een (vecht)scheiding", "persons"),
    "parents_to_invite": Fact(PERSONS, "ouders in beeld, niet aan tafel", "persons"),
    "team_recorded": Fact(T.BOOLEAN, "team vastgelegd (of overleg gehouden)", "yes_no"),
    "child_perspective_recorded": Fact(T.BOOLEAN, "perspectief van het kind vastgelegd", "yes_no"),
}  # fmt: skip

ACUTE = {
    "eviction": "ontruiming op komst",
    "homeless": "dakloos",
    "self_harm": "zelfbeschadiging",
    "discharge_without_home": "uitstroom uit zorg zonder woonplek",
    "violence_at_home": "geweld in huis bij een kind",
    "out_of_school": "kind zonder school (thuiszitter)",
}


def fact_types():
    """``{name: rule_engine type}`` for the rules' typed context."""
    return {name: fact.type.resolve() for name, fact in FACTS.items()}


# The narrative check for acute housing words ------------------------------------------

# Only these few words, only to raise severity (the text hints of the finder are the
# other area's job): an eviction that is announced or a family on the street.
ACUTE_WORDS = {
    "eviction": re.compile(r"\b(ontruim\w*|huisuitzetting\w*|uitzetting\w*|uit huis gezet)\b"),
    "homeless": re.compile(r"\b(dakloo\w*|op straat (?:te )?(?:staan|komen|gezet|beland))"),
    "out_of_school": re.compile(
        r"\b(thuiszit\w*|uitgeschreven|niet (?:meer )?ingeschreven|geen schoolplek)\b"
    ),
}
NEGATION = re.compile(r"\b(geen|niet|nooit|zonder|g[eé]én sprake|voorkomen|afgewend|ingetrokken)\b")
_SENTENCE = re.compile(r"[^.!?;\n]+")
# A word of any kind in a clause is one in the whole text (clauses end at non-letters).
_ANY_ACUTE = re.compile("|".join(pattern.pattern for pattern in ACUTE_WORDS.values()))


def acute_words(text):
    """The acute kinds (``eviction``, ``homeless``) a Dutch text speaks of, leaving out a
    mention that is negated within its clause before the word ("geen ontruiming", "de
    ontruiming is afgewend"). Small on purpose: it only raises a severity."""
    found = set()
    lowered = (text or "").lower()
    if not _ANY_ACUTE.search(lowered):  # most texts: none of the words, no clause to read
        return found
    for clause in _SENTENCE.findall(lowered):
        for kind, pattern in ACUTE_WORDS.items():
            for match in pattern.finditer(clause):
                before = clause[max(0, match.start() - 40) : match.start()]
                after = clause[match.end() : match.end() + 30]
                if not NEGATION.search(before) and not re.search(
                    r"\b(afgewend|ingetrokken|voorkomen|van de baan)\b", after
                ):
                    found.add(kind)
    return found


# Helpers --------------------------------------------------------------------------


def _living(case):
    return {p["id"]: p for p in case["persons"] if not p.get("deceased")}


def _parents_of(case, child, types=PARENT_TYPES):
    return [
        r["parent"]
        for r in case["relations"]
        if r["kind"] == "parent" and r["child"] == child and r["type"] in types
    ]


def _children_of(case, parents):
    return [
        r["child"] for r in case["relations"] if r["kind"] == "parent" and r["parent"] in parents
    ]


def _in_order(case, ids):
    """``ids`` once each, in the order of the case's persons."""
    wanted = set(ids)
    if not wanted:
        return ()
    return tuple([p["id"] for p in case["persons"] if p["id"] in wanted])


def _per_problem(case, living, ids):
    found = dict.fromkeys(codes.PROBLEMS, ())
    for pid in _in_order(case, ids):
        for problem in living[pid]["problems"]:
            found[problem] = found.get(problem, ()) + (pid,)
    return found


def _problems(living, ids):
    return set(problem for pid in ids for problem in living[pid]["problems"])


def _tied(case):
    """``{person id: partner codes of the members tied to them}``."""
    tied = {}
    for member in case["network"]:
        for tie in member["ties"]:
            tied.setdefault(tie["person"], set()).add(member["partner"])
    return tied


def _siblings_apart_untied(case, living, kids):
    """Living children of the family (index children and their brothers and sisters) at
    different residences with no emotional relation between them (a cut-off or abuse is
    no tie). Grown-up brothers and sisters of a grandparent are no concern here."""
    bonds = set()
    for relation in case["relations"]:
        if relation["kind"] == "emotional" and relation["quality"] not in ("cutoff", "abuse"):
            bonds.add(frozenset((relation["a"], relation["b"])))
    concerned = set()
    kids = set(kids)
    for pair in siblings_apart_in_case(case):
        if pair["a"] not in kids or pair["b"] not in kids:
            continue
        if frozenset((pair["a"], pair["b"])) not in bonds:
            concerned.update((pair["a"], pair["b"]))
    return _in_order(case, concerned & set(living))


def _index_parents(case, living, index):
    return _in_order(
        case, [parent for child in index for parent in _parents_of(case, child) if parent in living]
    )


def index_parents(case):
    """The ``parents`` fact alone (no graph): the living parents of the index children."""
    living = _living(case)
    index = [pid for pid, p in living.items() if p.get("index")]
    return _index_parents(case, living, index)


def _age(person, year):
    born = person.get("birth_year")
    return None if born is None else year - born


def _at_home(person):
    """Lives at home: residence ``home``, or none given and no placement running."""
    residence = person.get("residence")
    if residence is not None:
        return residence == "home"
    return not any(stay.get("end") is None for stay in person.get("placements") or [])


class _Family:
    """The relations of one case, indexed once (a large family has 10,000 persons)."""

    def __init__(self, case, living):
        self.case, self.living = case, living
        self.emotional = {}  # pid -> [(other, quality, by)]
        self.couples = {}  # pid -> [(other, status)]
        self.parents = {}  # child -> [(parent, type)]
        self.children = {}  # parent -> [(child, type)]
        for relation in case["relations"]:
            kind = relation["kind"]
            if kind == "emotional":
                a, b, quality = relation["a"], relation["b"], relation["quality"]
                by = relation.get("by")
                self.emotional.setdefault(a, []).append((b, quality, by))
                self.emotional.setdefault(b, []).append((a, quality, by))
            elif kind == "couple":
                self.couples.setdefault(relation["a"], []).append(
                    (relation["b"], relation["status"])
                )
                self.couples.setdefault(relation["b"], []).append(
                    (relation["a"], relation["status"])
                )
            elif kind == "parent":
                link = (relation["parent"], relation["type"])
                self.parents.setdefault(relation["child"], []).append(link)
                self.children.setdefault(relation["parent"], []).append(
                    (relation["child"], relation["type"])
                )

    def quality(self, a, b):
        return {q for other, q, _ in self.emotional.get(a, ()) if other == b}

    def close_to(self, pid, others):
        return any(o in others and q in CLOSE for o, q, _ in self.emotional.get(pid, ()))

    def parents_of(self, child, types):
        return [p for p, t in self.parents.get(child, ()) if t in types and p in self.living]

    def children_of(self, parent, types=PARENT_TYPES):
        return [c for c, t in self.children.get(parent, ()) if t in types and c in self.living]

    def partners_of(self, pid, statuses=("married", "cohabiting")):
        return [o for o, s in self.couples.get(pid, ()) if s in statuses and o in self.living]


def _violent(fam, living):
    """Persons from whom violence comes: a ``domestic_violence`` problem, or the ``by`` of
    an ``abuse`` relation. When ``by`` is not given, a party to the abuse who has the
    violence problem is the one (the other is the victim); when neither has it, both are
    counted, so nobody of it is proposed for the team without a safety check."""
    violent = {pid for pid, p in living.items() if "domestic_violence" in p["problems"]}
    for relation in fam.case["relations"]:
        if relation["kind"] != "emotional" or relation["quality"] != "abuse":
            continue
        by = relation.get("by")
        pair = [relation["a"], relation["b"]]
        if by:
            violent.add(by)
        elif not violent & set(pair):
            violent.update(pair)
    return {pid for pid in violent if pid in living}


def family_facts(
    case, *, team_persons=(), graph=None, table_partners=(), table_names=(), today=None
):
    """The facts of a canonical case.

    ``team_persons``: ids of persons at the table besides those marked ``in_team`` (the
    app passes them; kept for callers of before the field). ``table_partners`` and
    ``table_names``: the partner codes and names of those present at the family's latest
    conference (the app passes them; facts stay pure). ``today``: for ages. ``graph``
    is no longer read (the facts come from the case alone, the siblings apart too: a
    genogram graph per case was a fifth of a finder fit); accepted for callers of before.
    """
    year = (today or datetime.date.today()).year
    living = _living(case)
    fam = _Family(case, living)
    index = _in_order(case, [pid for pid, p in living.items() if p.get("index")])
    index_set = set(index)
    parents = _index_parents(case, living, index)
    blood_parents = _in_order(case, [p for c in index for p in fam.parents_of(c, BLOOD_TYPES)])
    children = _in_order(
        case, [c for c in _children_of(case, set(parents)) if c in living and c not in index]
    )
    kids = index + children
    tied = _tied(case)
    ages = {pid: _age(p, year) for pid, p in living.items()}

    # At the table: in_team, the latest conference (by name), the legacy team list.
    names = {(p["name"] or "").strip().casefold(): pid for pid, p in living.items()}
    at_table = {pid for pid, p in living.items() if p.get("in_team")} | set(team_persons)
    at_table |= {names[n.strip().casefold()] for n in table_names if n.strip().casefold() in names}
    partners_in_team = set(m["partner"] for m in case["network"] if m["in_team"])
    partners_at_table = partners_in_team | set(p for p in table_partners if p)

    # Who is out of the picture.
    violent = _violent(fam, living)
    households = {pid: p.get("household") for pid, p in living.items()}
    # The index child's household: the same household label, or the parents at home with
    # a child at home, or the foster parents of a kinship placement.
    # Of those, who is recorded as living with it: the same household; or, without
    # households, a parent recorded at home with a child recorded at home, unless the
    # parents are recorded as apart (then whose home the child's is, is not known).
    apart = {
        pid
        for pid, others in fam.couples.items()
        if any(status in ("separated", "divorced") for _, status in others)
    }
    index_home, lives_with_index = set(), set()
    for child in index:
        label = households.get(child)
        if label:
            lives_with_index |= {p for p, h in households.items() if h == label and p != child}
            index_home |= lives_with_index
        elif _at_home(living[child]):
            at_home = {p for p in fam.parents_of(child, PARENT_TYPES) if _at_home(living[p])}
            index_home |= at_home
            if living[child].get("residence") == "home":
                lives_with_index |= {
                    p for p in at_home if living[p].get("residence") == "home" and p not in apart
                }
        elif living[child].get("residence") == "kinship":
            index_home |= set(fam.parents_of(child, ("foster",)))
    absent = set()
    for pid in parents:
        relations_of = fam.emotional.get(pid, ())
        # Cut off from the index child, or from the one who raises it (its household).
        cut_off = any(
            q == "cutoff" and (o in index_set or (o in index_home and pid not in index_home))
            for o, q, _ in relations_of
        )
        # Nothing recorded: no tie, no relation, no partner, no problem known to the team,
        # and not recorded as living with an index child (one who does is in the picture,
        # however little else is written down yet).
        nothing = (
            pid not in lives_with_index
            and not tied.get(pid)
            and not relations_of
            and not fam.partners_of(pid)
            and not living[pid]["problems"]
        )
        if cut_off or nothing:
            absent.add(pid)
    out_of_picture = _in_order(case, (absent | violent) & set(parents))
    in_picture = [p for p in parents if p not in out_of_picture]

    # Carers: the adults the index child lives with who are not its (blood) parents.
    kinship_carers = set()
    for child in kids:
        if living[child].get("residence") == "kinship":
            kinship_carers.update(fam.parents_of(child, ("foster",)))
    carers = set()
    for child in index:
        if living[child].get("residence") == "kinship":
            carers.update(fam.parents_of(child, ("foster",)))
        if _at_home(living[child]):
            carers.update(p for p in fam.parents_of(child, ("step",)) if _at_home(living[p]))
    carers -= set(blood_parents)
    carers_ordered = _in_order(case, carers)
    caring = _in_order(case, set(parents) | carers)

    # New partners of a parent: living with them, not a blood parent of the index child.
    new_partners = set()
    for pid in blood_parents:
        new_partners.update(fam.partners_of(pid))
        new_partners.update(p for c in index for p in fam.parents_of(c, ("step",)))
    new_partners -= set(blood_parents) | index_set
    family_core = set(kids) | set(parents)
    new_in_conflict = {
        p for p in new_partners
        if p not in violent
        and any(o in family_core and q in ("conflict", "abuse")
                for o, q, _ in fam.emotional.get(p, ()))
    }  # fmt: skip

    # Relatives: the grown-ups of the genogram who are not parents, carers or partners.
    def adult(pid):
        return ages[pid] is None or ages[pid] >= ADULT_SIBLING_AGE

    relatives = [
        pid for pid in living
        if pid not in index_set and pid not in parents and pid not in carers
        and pid not in new_partners and pid not in violent and adult(pid)
    ]  # fmt: skip
    close_relatives = _in_order(case, [r for r in relatives if fam.close_to(r, index_set)])
    informal_members = {
        m["id"]
        for m in case["network"]
        if m["partner"] == "informal" and any(not t["stressful"] for t in m["ties"])
    }
    carried = set(close_relatives) | kinship_carers
    informal_size = len(informal_members) + len(carried)
    hostile = ("cutoff", "abuse", "conflict")
    dormant = _in_order(
        case,
        [
            r for r in relatives
            if not tied.get(r) and r not in at_table
            and not any(q in CLOSE + hostile for _, q, _ in fam.emotional.get(r, ()))
        ],
    ) if informal_size == 0 else ()  # fmt: skip
    in_conflict = set()
    supporters = set(close_relatives) | kinship_carers
    for pid in in_picture:
        for other, quality, _ in fam.emotional.get(pid, ()):
            if quality == "conflict" and other in supporters:
                in_conflict.update((pid, other))
    # A relative close to another child of the family counts too (a grandmother who raises
    # the youngest while the mother fights her).
    for pid in in_picture:
        for other, quality, _ in fam.emotional.get(pid, ()):
            if quality == "conflict" and other in relatives and fam.close_to(other, set(kids)):
                in_conflict.update((pid, other))

    # Support of the parents in the picture who carry problems.
    informal_tied = {}
    for member in case["network"]:
        for tie in member["ties"]:
            if member["partner"] == "informal" and not tie["stressful"]:
                informal_tied.setdefault(tie["person"], set()).add(member["id"])
    without_support, without_informal = [], []
    for pid in in_picture:
        if not living[pid]["problems"]:
            continue  # a parent who is doing well is not "without support"
        own_children = set(fam.children_of(pid))
        close_adults = [
            o for o, q, _ in fam.emotional.get(pid, ())
            if q in CLOSE and o in living and o not in own_children and o not in violent
            and adult(o)
        ]  # fmt: skip
        if not tied.get(pid) and not close_adults:
            without_support.append(pid)
        elif not informal_tied.get(pid) and not close_adults:
            without_informal.append(pid)

    # The homes of the children and who lives there with them.
    def home_adults(child):
        label = households.get(child)
        if label:
            return {p for p, h in households.items() if h == label and p != child and adult(p)}
        if not _at_home(living[child]):
            return (
                set(fam.parents_of(child, ("foster",)))
                if living[child].get("residence") == "kinship"
                else set()
            )
        found = {p for p in fam.parents_of(child, PARENT_TYPES) if _at_home(living[p])}
        for pid in list(found):
            found.update(p for p in fam.partners_of(pid) if _at_home(living[p]))
        return found

    minors = [c for c in kids if ages[c] is None or ages[c] < 18]
    homes = {c: home_adults(c) for c in minors}
    at_risk = _in_order(
        case,
        [c for c in children if c in homes and homes[c] & (violent | {
            p for p in homes[c] if {"addiction", "domestic_violence"} & set(living[p]["problems"])
        })],
    )  # fmt: skip

    def needs_care(pid):
        # A parent's illness counts; for a grandparent or aunt who raises the child, old
        # age and its ailments (health) alone do not make the child a young carer.
        needs = set(CARE_NEEDS) if pid in parents else set(CARE_NEEDS) - {"health"}
        return bool(needs & set(living[pid]["problems"]))

    def carries_alone(child):
        # One parent alone at home with several problems, and a younger brother or sister
        # under 12 at home: the eldest takes over (parentification).
        adults = homes[child]
        if len(adults) != 1:
            return False
        (only,) = adults
        younger = [
            c for c in minors if c != child and ages[c] is not None and ages[c] < 12
            and ages[c] < ages[child] and homes.get(c) == adults
        ]  # fmt: skip
        return only in parents and len(living[only]["problems"]) >= 2 and bool(younger)

    young_carers = _in_order(
        case,
        [
            c for c in minors if ages[c] is not None
            and YOUNG_CARER_AGES[0] <= ages[c] <= YOUNG_CARER_AGES[1]
            and (any(needs_care(p) for p in homes[c]) or carries_alone(c))
        ],
    )  # fmt: skip
    caregiving = set()
    for c in minors:
        adults = homes[c]
        needy = {p for p in adults if set(CARE_NEEDS) & set(living[p]["problems"])}
        for p in adults - needy:
            if p in parents and not living[p]["problems"] and needy & set(fam.partners_of(p)):
                caregiving.add(p)
    other_parents = []
    for c in index:
        if not _at_home(living[c]):
            continue
        home = homes.get(c, set())
        for p in in_picture:
            if p not in home and p not in at_table and fam.close_to(p, {c}) and home & set(parents):
                other_parents.append(p)
    justice = [
        p for p in in_picture
        if "criminality" in living[p]["problems"] and not _at_home(living[p])
        and fam.close_to(p, set(kids))
    ]  # fmt: skip
    using_away = [
        p for p in in_picture
        if "addiction" in living[p]["problems"]
        and any(not _at_home(living[c]) for c in fam.children_of(p, BLOOD_TYPES) if c in kids)
    ]  # fmt: skip
    minor_parents = [
        p for p in living
        if ages[p] is not None and ages[p] < 18 and fam.children_of(p, BLOOD_TYPES)
    ]  # fmt: skip
    transition = [
        c for c in index
        if ages[c] is not None and TRANSITION_AGES[0] <= ages[c] <= TRANSITION_AGES[1]
        and (not _at_home(living[c]) or living[c]["placements"])
    ]  # fmt: skip
    index_residences = {living[c].get("residence") for c in index}
    harmful = [
        c for c in kids if (ages[c] is None or ages[c] < 18)
        and any(
            m["partner"] == "informal" and t["person"] == c and t["stressful"]
            and t["strength"] != "weak"
            for m in case["network"] for t in m["ties"]
        )
        and {"running_away", "trauma", "self_harm"} & set(living[c]["problems"])
    ]  # fmt: skip
    homeless_in_care = [
        p for p, person in living.items()
        if "housing" in person["problems"]
        and person.get("residence") in ("secure", "residential", "other")
    ]  # fmt: skip

    divorcing = set()
    for pid in in_picture:
        if pid not in blood_parents:
            continue
        fighting = any(
            o in blood_parents and q in ("conflict", "abuse")
            for o, q, _ in fam.emotional.get(pid, ())
        )
        if "divorce" in living[pid]["problems"] or (
            fighting and "divorce" in _problems(living, index)
        ):
            divorcing.add(pid)

    acute = acute_words(case.get("narrative"))
    if not any({"housing", "debts", "poverty"} & set(p["problems"]) for p in living.values()):
        acute -= {"eviction", "homeless"}  # the words alone, without such a problem, are not enough
    if "school" not in _problems(living, kids):
        acute.discard("out_of_school")
    if any("self_harm" in living[c]["problems"] for c in kids):
        acute.add("self_harm")
    if homeless_in_care:
        acute.add("discharge_without_home")
    if any(homes[c] & violent for c in minors):
        acute.add("violence_at_home")

    placements = {pid: float(len(living[pid]["placements"])) for pid in kids}
    secure = {
        pid: float(sum(1 for stay in living[pid]["placements"] if stay["residence"] == "secure"))
        for pid in kids
    }
    family_problems = _problems(living, living)
    parents_in_team = tuple(p for p in parents if p in at_table)
    return {
        "index_children": index,
        "parents": parents,
        "other_children": children,
        "family_problems": family_problems,
        "family_problem_count": float(len(family_problems)),
        "parent_problems": _problems(living, caring),
        "child_problems": _problems(living, kids),
        "index_problems": _problems(living, index),
        "persons_with_problem": _per_problem(case, living, living),
        "parents_with_problem": _per_problem(case, living, caring),
        "children_with_problem": _per_problem(case, living, kids),
        "in_picture_with_problem": _per_problem(
            case, living, set(kids) | set(caring) - set(out_of_picture)
        ),
        "partners_present": set(code for codes_ in tied.values() for code in codes_),
        "partners_in_team": partners_in_team,
        "partners_at_table": partners_at_table,
        "informal_network_size": float(informal_size),
        "parents_without_support": tuple(without_support),
        "parents_without_informal_support": tuple(without_informal),
        "parents_out_of_picture": out_of_picture,
        "violent_persons": _in_order(case, violent),
        "carers": carers_ordered,
        "kinship_carers": _in_order(case, kinship_carers),
        "close_relatives": close_relatives,
        "dormant_relatives": dormant,
        "relatives_in_conflict_with_parent": _in_order(case, in_conflict),
        "new_partners": _in_order(case, new_partners),
        "new_partners_in_conflict": _in_order(case, new_in_conflict - at_table),
        "violent_new_partners": _in_order(case, new_partners & violent),
        "children_at_home_with_risk": at_risk,
        "young_carers": young_carers,
        "caregiving_parents": _in_order(case, caregiving),
        "other_parents_as_resource": _in_order(case, other_parents),
        "parents_in_justice_close": _in_order(case, justice),
        "using_parents_child_away": _in_order(case, using_away),
        "minor_parents": _in_order(case, minor_parents),
        "children_in_transition": _in_order(case, transition),
        "index_in_non_kin_care": bool(index_residences & set(NON_KIN_CARE)),
        "index_in_kinship_care": "kinship" in index_residences,
        "harmful_ties_to_children": _in_order(case, harmful),
        "homeless_in_care": _in_order(case, homeless_in_care),
        "acute_needs": acute,
        "placements": placements,
        "secure_stays": secure,
        "index_placements": max((placements[c] for c in index), default=0.0),
        "index_secure_stays": max((secure[c] for c in index), default=0.0),
        "siblings_apart_untied": _siblings_apart_untied(case, living, kids),
        "residence_of": {pid: living[pid].get("residence") or "" for pid in kids},
        "parents_in_team": parents_in_team,
        "persons_at_table": _in_order(case, at_table),
        "parents_in_divorce_conflict": _in_order(case, divorcing),
        "parents_to_invite": tuple(
            p for p in in_picture if p in blood_parents and p not in at_table
        ),
        "team_recorded": bool(at_table or table_names or table_partners),
        "child_perspective_recorded": bool((case.get("child_perspective") or "").strip()),
    }


def neutral_facts():
    """Facts of a family where nothing is known: empty lists and sets, zero, false.

    The rule examples start from these and set only the facts they are about.
    """
    neutral = {}
    for name, fact in FACTS.items():
        neutral[name] = {
            "ARRAY": (),
            "SET": set(),
            "FLOAT": 0.0,
            "BOOLEAN": False,
        }.get(fact.type.name)
        if fact.shows == "per_problem":
            neutral[name] = {code: () for code in codes.PROBLEMS}
        elif fact.shows in ("per_person", "residences"):
            neutral[name] = {}
    return neutral
