"""Edits to one family case, as pure functions on the canonical case dict.

Every function takes a case as ``store.load_case`` returns it plus plain values, and
returns a NEW case: the input is never changed, so a refused edit leaves nothing
behind. These functions only apply the change; whether the result is a valid case is
for ``cases.validation`` to say when the store saves it. They raise :class:`EditError`
(with a Dutch sentence) when the change cannot even be applied, such as an edit of a
person who is not in the case.
"""

import copy
import re

from cases import codes

SITUATION_FIELDS = (
    "title", "region", "goal", "status", "started", "narrative", "child_perspective",
)  # fmt: skip
PERSON_FIELDS = (
    "name", "sex", "birth_year", "deceased", "index", "problems", "interests", "strengths",
    "residence", "in_team", "household",
)  # fmt: skip
PLACEMENT_FIELDS = ("residence", "provider", "start", "end")
MEMBER_FIELDS = ("name", "partner", "in_team")
TIE_FIELDS = ("person", "strength", "stressful", "flow")

# The keys a relation of each kind uses for its two persons and its detail.
RELATION_KEYS = {
    "couple": ("a", "b", "status"),
    "parent": ("parent", "child", "type"),
    "emotional": ("a", "b", "quality"),
}

PERSON_PREFIX = "p"
MEMBER_PREFIX = "n"


class EditError(ValueError):
    """The edit cannot be applied to this case; the message is Dutch, for the user."""


class NotFound(EditError, LookupError):
    """The person, member, placement, relation or tie the edit names is not there."""


def _checked(changes, allowed):
    unknown = set(changes) - set(allowed)
    if unknown:
        # A programming error, not user input: the view decides which fields exist.
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    return changes


def _list(values):
    return list(values) if values is not None else []


# Lookups -------------------------------------------------------------------------


def person_position(case, person_id):
    """Position of the person in ``case["persons"]``; :class:`NotFound` if absent."""
    for i, person in enumerate(case["persons"]):
        if person["id"] == person_id:
            return i
    raise NotFound(f"Persoon '{person_id}' bestaat niet (meer) in dit gezin.")


def member_position(case, member_id):
    """Position of the network member in ``case["network"]``; :class:`NotFound` if absent."""
    for i, member in enumerate(case["network"]):
        if member["id"] == member_id:
            return i
    raise NotFound(f"Netwerklid '{member_id}' bestaat niet (meer) in dit gezin.")


def tie_position(case, member_id, person_id):
    """Position of the member's tie with a person; :class:`NotFound` if absent."""
    member = case["network"][member_position(case, member_id)]
    for i, tie in enumerate(member["ties"]):
        if tie["person"] == person_id:
            return i
    raise NotFound("Deze band bestaat niet (meer).")


def get_person(case, person_id):
    return case["persons"][person_position(case, person_id)]


def get_member(case, member_id):
    return case["network"][member_position(case, member_id)]


def get_placement(case, person_id, index):
    placements = get_person(case, person_id)["placements"]
    if not 0 <= index < len(placements):
        raise NotFound("Deze plaatsing bestaat niet (meer).")
    return placements[index]


def get_relation(case, index):
    if not 0 <= index < len(case["relations"]):
        raise NotFound("Deze relatie bestaat niet (meer).")
    return case["relations"][index]


def get_tie(case, member_id, person_id):
    return get_member(case, member_id)["ties"][tie_position(case, member_id, person_id)]


def new_id(case, prefix):
    """An id ``<prefix><N>`` not used by any person or network member of the case.

    N is one more than the highest number in use with that prefix, so a new item never
    takes the id of one that is still there.
    """
    taken = {p["id"] for p in case["persons"]} | {m["id"] for m in case["network"]}
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    numbers = [int(match.group(1)) for match in map(pattern.match, taken) if match]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def split_words(text):
    """``"paarden, muziek ,"`` -> ``["paarden", "muziek"]``: comma-separated free words."""
    if not text:
        return []
    words = []
    for word in text.split(","):
        word = " ".join(word.split())
        if word and word not in words:
            words.append(word)
    return words


# Situation -----------------------------------------------------------------------


def update_situation(case, **changes):
    """Change the case's own fields: title, region, goal, status, started, narrative,
    child_perspective."""
    new = copy.deepcopy(case)
    new.update(_checked(changes, SITUATION_FIELDS))
    return new


# Persons -------------------------------------------------------------------------


def _person(values):
    person = {
        "name": None,
        "sex": "unknown",
        "birth_year": None,
        "deceased": False,
        "index": False,
        "problems": [],
        "interests": [],
        "strengths": [],
        "residence": None,
        "in_team": False,
        "household": None,
    }
    person.update(values)
    for key in ("problems", "interests", "strengths"):
        person[key] = _list(person[key])
    return person


def add_person(case, **values):
    """Add a person with a fresh id (``p<N>``), at the end of the persons."""
    new = copy.deepcopy(case)
    person = {"id": new_id(case, PERSON_PREFIX)}
    person.update(_person(_checked(values, PERSON_FIELDS)))
    person["placements"] = []
    new["persons"].append(person)
    return new


def update_person(case, person_id, **changes):
    """Change a person's details; id and placements stay."""
    new = copy.deepcopy(case)
    person = new["persons"][person_position(new, person_id)]
    person.update(_checked(changes, PERSON_FIELDS))
    for key in ("problems", "interests", "strengths"):
        if key in changes:
            person[key] = _list(changes[key])
    return new


def remove_person(case, person_id):
    """Remove a person with everything that points at them: relations and network ties."""
    new = copy.deepcopy(case)
    del new["persons"][person_position(new, person_id)]
    new["relations"] = [r for r in new["relations"] if person_id not in relation_persons(r)]
    for member in new["network"]:
        member["ties"] = [t for t in member["ties"] if t["person"] != person_id]
    return new


# Placements ----------------------------------------------------------------------


def _in_order(placements):
    """Placements by start date; at one start date the one still running comes last.

    The format asks for this order, so the editor keeps it instead of refusing an
    earlier placement that is entered later.
    """
    return sorted(placements, key=lambda p: (str(p.get("start") or ""), p.get("end") is None))


def _placement(values):
    placement = {"residence": None, "provider": None, "start": None, "end": None}
    placement.update(_checked(values, PLACEMENT_FIELDS))
    return placement


def _lives_where_placed(person):
    """A running placement says where the person lives now: 'Woont nu' follows it (the
    format refuses the two disagreeing, so the editor keeps them in step)."""
    running = person["placements"][-1] if person["placements"] else None
    if running and running.get("end") is None and running.get("residence"):
        person["residence"] = running["residence"]


def add_placement(case, person_id, **values):
    """Add a placement to a person's history, in order of start date."""
    new = copy.deepcopy(case)
    person = new["persons"][person_position(new, person_id)]
    person["placements"] = _in_order([*person["placements"], _placement(values)])
    _lives_where_placed(person)
    return new


def update_placement(case, person_id, index, **changes):
    """Change the person's placement at ``index``; the history stays in date order."""
    get_placement(case, person_id, index)
    new = copy.deepcopy(case)
    person = new["persons"][person_position(new, person_id)]
    person["placements"][index].update(_checked(changes, PLACEMENT_FIELDS))
    person["placements"] = _in_order(person["placements"])
    _lives_where_placed(person)
    return new


def remove_placement(case, person_id, index):
    """Remove the person's placement at ``index``."""
    get_placement(case, person_id, index)
    new = copy.deepcopy(case)
    del new["persons"][person_position(new, person_id)]["placements"][index]
    return new


def placement_position(case, person_id, placement):
    """Where a placement with these values sits in the person's (ordered) history."""
    placements = get_person(case, person_id)["placements"]
    for i in range(len(placements) - 1, -1, -1):
        if placements[i] == placement:
            return i
    raise NotFound("Deze plaatsing bestaat niet (meer).")


# Relations -----------------------------------------------------------------------


def relation_persons(relation):
    """The two person ids of a relation, in the order its kind names them."""
    one, two, _ = RELATION_KEYS.get(relation.get("kind"), ("a", "b", None))
    return relation.get(one), relation.get(two)


def relation_detail(relation):
    """The status, type or quality of a relation."""
    return relation.get(RELATION_KEYS[relation["kind"]][2])


# Emotional qualities that may say from whom they come (``by``).
DIRECTED_QUALITIES = ("abuse", "conflict")


def make_relation(kind, first, second, detail, by=None):
    """A relation in the exchange format: ``first``/``second`` are ``a``/``b`` or
    ``parent``/``child``; ``detail`` is the status, type or quality. ``by`` (abuse and
    conflict only) is ``"first"``, ``"second"``, a person id, or None (mutual, unknown)."""
    if kind not in RELATION_KEYS:
        raise EditError(f"Kies een soort relatie: {', '.join(codes.RELATION_KINDS.values())}.")
    one, two, detail_key = RELATION_KEYS[kind]
    relation = {"kind": kind, one: first, two: second, detail_key: detail}
    if kind == "emotional" and detail in DIRECTED_QUALITIES:
        relation["by"] = {"first": first, "second": second}.get(by, by) or None
    return relation


def add_relation(case, kind, first, second, detail, by=None):
    """Add a relation at the end of the relations."""
    new = copy.deepcopy(case)
    new["relations"].append(make_relation(kind, first, second, detail, by))
    return new


def update_relation(case, index, kind, first, second, detail, by=None):
    """Replace the relation at ``index``."""
    get_relation(case, index)
    new = copy.deepcopy(case)
    new["relations"][index] = make_relation(kind, first, second, detail, by)
    return new


def remove_relation(case, index):
    """Remove the relation at ``index``."""
    get_relation(case, index)
    new = copy.deepcopy(case)
    del new["relations"][index]
    return new


# Network -------------------------------------------------------------------------


def add_member(case, **values):
    """Add a network member with a fresh id (``n<N>``) and no ties yet."""
    new = copy.deepcopy(case)
    member = {"id": new_id(case, MEMBER_PREFIX), "name": None, "partner": None, "in_team": False}
    member.update(_checked(values, MEMBER_FIELDS))
    member["ties"] = []
    new["network"].append(member)
    return new


def update_member(case, member_id, **changes):
    """Change a network member's name, partner or place in the team; ties stay."""
    new = copy.deepcopy(case)
    new["network"][member_position(new, member_id)].update(_checked(changes, MEMBER_FIELDS))
    return new


def remove_member(case, member_id):
    """Remove a network member with their ties."""
    new = copy.deepcopy(case)
    del new["network"][member_position(new, member_id)]
    return new


def add_tie(case, member_id, **values):
    """Add a tie between a network member and a person."""
    new = copy.deepcopy(case)
    tie = {"person": None, "strength": "normal", "stressful": False, "flow": "both"}
    tie.update(_checked(values, TIE_FIELDS))
    new["network"][member_position(new, member_id)]["ties"].append(tie)
    return new


def update_tie(case, member_id, person_id, **changes):
    """Change the member's tie with ``person_id`` (the person may change too)."""
    position = tie_position(case, member_id, person_id)
    new = copy.deepcopy(case)
    member = new["network"][member_position(new, member_id)]
    member["ties"][position].update(_checked(changes, TIE_FIELDS))
    return new


def remove_tie(case, member_id, person_id):
    """Remove the member's tie with ``person_id``."""
    position = tie_position(case, member_id, person_id)
    new = copy.deepcopy(case)
    del new["network"][member_position(new, member_id)]["ties"][position]
    return new


# Describing where a validation issue is -------------------------------------------

_STEP = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


def display_name(case, person_id):
    """A person's name for the interface, or a stand-in when the name is missing."""
    for person in case["persons"]:
        if person["id"] == person_id:
            return person.get("name") or f"Persoon {person_id}"
    return str(person_id)


def describe(case, path):
    """Dutch words for the part of the case an issue path names (``relations[2]`` ->
    ``Relatie Vader en Sanne``), so a message shown away from its field still says where."""
    steps = [(m.group(1), m.group(2)) for m in _STEP.finditer(path or "")]
    if not steps:
        return "Gezin"
    key, index = steps[0]
    try:
        if key == "persons" and index is not None:
            person = case["persons"][int(index)]
            where = f"Persoon {display_name(case, person['id'])}"
            if len(steps) > 1 and steps[1][0] == "placements" and steps[1][1] is not None:
                where += f", plaatsing {int(steps[1][1]) + 1}"
            return where
        if key == "persons":
            return "Personen"
        if key == "relations" and index is not None:
            one, two = relation_persons(case["relations"][int(index)])
            return f"Relatie {display_name(case, one)} en {display_name(case, two)}"
        if key == "network" and index is not None:
            member = case["network"][int(index)]
            where = f"Netwerklid {member.get('name') or member['id']}"
            if len(steps) > 1 and steps[1][0] == "ties" and steps[1][1] is not None:
                tie = member["ties"][int(steps[1][1])]
                where += f", band met {display_name(case, tie.get('person'))}"
            return where
    except (IndexError, KeyError, TypeError):
        pass
    return "Situatie" if key in SITUATION_FIELDS else "Gezin"
