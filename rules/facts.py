"""The typed facts the rules are written over, computed from a family. Pure: no Flask.

``FACTS`` declares every fact: its rule-engine type (so a misspelled fact or a type
error in a rule is caught when the rules load), a Dutch label and how its value reads
in an explanation. :func:`family_facts` computes them from a canonical case and the
genogram graph; values are plain Python (tuples, sets, dicts, floats, bools).

Roles: the *index children* are the living persons marked ``index``; their *parents*
are their living biological, adoptive and step parents (foster parents care for a
child but are not counted as parents here); the *other children* are the living
children of those parents besides the index children. Deceased persons never count:
not their problems, not as parents, not as children.
"""

import dataclasses

import rule_engine

from cases import codes
from genogram.analysis import siblings_apart
from genogram.graph import build_graph

T = rule_engine.DataType
PERSONS = T.ARRAY(T.STRING)
CODES = T.SET(T.STRING)
PER_PROBLEM = T.MAPPING(T.STRING, PERSONS)
PER_PERSON = T.MAPPING(T.STRING, T.FLOAT)
PARENT_TYPES = ("biological", "adoptive", "step")


@dataclasses.dataclass(frozen=True)
class Fact:
    type: object  # a rule_engine.DataType
    label: str  # Dutch, as the explanation names it
    shows: str  # how a value reads: persons, problems, partners, number, yes_no, per_person


FACTS = {
    "index_children": Fact(PERSONS, "indexkinderen", "persons"),
    "parents": Fact(PERSONS, "ouders van het indexkind", "persons"),
    "other_children": Fact(PERSONS, "andere kinderen", "persons"),
    "family_problems": Fact(CODES, "problematiek in het gezin", "problems"),
    "family_problem_count": Fact(T.FLOAT, "aantal soorten problematiek", "number"),
    "parent_problems": Fact(CODES, "problematiek van de ouders", "problems"),
    "child_problems": Fact(CODES, "problematiek van de kinderen", "problems"),
    "index_problems": Fact(CODES, "problematiek van het indexkind", "problems"),
    "persons_with_problem": Fact(PER_PROBLEM, "personen per probleem", "per_problem"),
    "parents_with_problem": Fact(PER_PROBLEM, "ouders per probleem", "per_problem"),
    "children_with_problem": Fact(PER_PROBLEM, "kinderen per probleem", "per_problem"),
    "partners_present": Fact(CODES, "partners betrokken (met een band)", "partners"),
    "partners_in_team": Fact(CODES, "partners in het team", "partners"),
    "informal_network_size": Fact(T.FLOAT, "informeel netwerk (aantal)", "number"),
    "parents_without_support": Fact(PERSONS, "ouders zonder enige band met het netwerk", "persons"),
    "placements": Fact(PER_PERSON, "plaatsingen per kind", "per_person"),
    "secure_stays": Fact(PER_PERSON, "gesloten plaatsingen per kind", "per_person"),
    "index_placements": Fact(T.FLOAT, "plaatsingen van het indexkind", "number"),
    "index_secure_stays": Fact(T.FLOAT, "verblijven indexkind in gesloten jeugdzorg", "number"),
    "siblings_apart_untied": Fact(PERSONS, "broers en zussen apart zonder band", "persons"),
    "parents_in_team": Fact(PERSONS, "ouders in het team", "persons"),
    "child_perspective_recorded": Fact(T.BOOLEAN, "perspectief van het kind vastgelegd", "yes_no"),
}  # fmt: skip


def fact_types():
    """``{name: rule_engine type}`` for the rules' typed context."""
    return {name: fact.type for name, fact in FACTS.items()}


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
    return tuple(p["id"] for p in case["persons"] if p["id"] in wanted)


def _per_problem(case, living, ids):
    found = {code: [] for code in codes.PROBLEMS}
    for pid in _in_order(case, ids):
        for problem in living[pid]["problems"]:
            found.setdefault(problem, []).append(pid)
    return {code: tuple(ids) for code, ids in found.items()}


def _problems(living, ids):
    return set(problem for pid in ids for problem in living[pid]["problems"])


def _tied(case):
    """``{person id: partner codes of the members tied to them}``."""
    tied = {}
    for member in case["network"]:
        for tie in member["ties"]:
            tied.setdefault(tie["person"], set()).add(member["partner"])
    return tied


def _siblings_apart_untied(graph, case, living):
    """Living siblings at different residences with no emotional relation between them
    (a cut-off or abuse is no tie)."""
    bonds = set()
    for relation in case["relations"]:
        if relation["kind"] == "emotional" and relation["quality"] not in ("cutoff", "abuse"):
            bonds.add(frozenset((relation["a"], relation["b"])))
    concerned = set()
    for pair in siblings_apart(graph):
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


def family_facts(case, *, team_persons=(), graph=None):
    """The facts of a canonical case; ``team_persons`` are the ids of the persons who
    take part in the family's team (kept by the app, not in the exchange format)."""
    graph = graph if graph is not None else build_graph(case)
    living = _living(case)
    index = _in_order(case, [pid for pid, p in living.items() if p.get("index")])
    parents = _index_parents(case, living, index)
    children = _in_order(
        case, [c for c in _children_of(case, set(parents)) if c in living and c not in index]
    )
    kids = index + children
    tied = _tied(case)
    placements = {pid: float(len(living[pid]["placements"])) for pid in kids}
    secure = {
        pid: float(sum(1 for stay in living[pid]["placements"] if stay["residence"] == "secure"))
        for pid in kids
    }
    informal = {m["id"] for m in case["network"] if m["partner"] == "informal" and m["ties"]}
    family_problems = _problems(living, living)
    return {
        "index_children": index,
        "parents": parents,
        "other_children": children,
        "family_problems": family_problems,
        "family_problem_count": float(len(family_problems)),
        "parent_problems": _problems(living, parents),
        "child_problems": _problems(living, kids),
        "index_problems": _problems(living, index),
        "persons_with_problem": _per_problem(case, living, living),
        "parents_with_problem": _per_problem(case, living, parents),
        "children_with_problem": _per_problem(case, living, kids),
        "partners_present": set(code for codes_ in tied.values() for code in codes_),
        "partners_in_team": set(m["partner"] for m in case["network"] if m["in_team"]),
        "informal_network_size": float(len(informal)),
        "parents_without_support": tuple(p for p in parents if not tied.get(p)),
        "placements": placements,
        "secure_stays": secure,
        "index_placements": max((placements[c] for c in index), default=0.0),
        "index_secure_stays": max((secure[c] for c in index), default=0.0),
        "siblings_apart_untied": _siblings_apart_untied(graph, case, living),
        "parents_in_team": tuple(p for p in parents if p in set(team_persons)),
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
        elif fact.shows == "per_person":
            neutral[name] = {}
    return neutral
