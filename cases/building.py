"""The guided new-family flow ("Gezin opbouwen"): one row is one person, and the links
between them are made for the user.

Pure functions in the style of :mod:`cases.editing` and :mod:`cases.relatives` (which
they build on): each takes a case and returns a new one, so a refused row leaves
nothing behind. Whether the result is a valid case is for ``cases.validation`` to say
when the store saves it.

The flow's family is read from the case, not remembered: its children are the index
children and the other children of their parents; its parents are the index children's
parents. So a parent added in step 1 becomes a parent of every child of step 2 (and of
the index child the "Nieuw gezin" form made), and a child added in step 2 a child of
every parent of step 1, in whichever order the rows come.
"""

import re

from cases import codes, editing, relatives

PARENT_TYPE = "biological"  # the flow's default; the side panel changes it
MEMBER_PARTNER = "informal"  # the "Netwerk en banden" step is about the family's own network

# The quick notation of a row's name field: "Sanne v 1988" is Sanne, female, born 1988.
# Only words at the end count, so a name is never cut in the middle.
SEX_WORDS = {
    "v": "female",
    "vrouw": "female",
    "m": "male",
    "man": "male",
    "x": "other",
    "anders": "other",
}
_YEAR = re.compile(r"(1[89]|20)\d\d")
# A family member's link: "<kind>:<person id>", kind naming the sex it implies.
LINKS = {"moeder": "female", "vader": "male", "ouder": "unknown"}


def parse_row(text):
    """``"Sanne v 1988"`` -> ``("Sanne", "female", 1988)``; what is not there is None.

    A birth year (four digits, 1800-2099) and a sex word (v, vrouw, m, man, x, anders) are
    read from the end of the text, in either order; the rest is the name.
    """
    words = (text or "").replace(",", " ").split()
    sex = year = None
    while len(words) > 1:
        last = words[-1].casefold()
        if year is None and _YEAR.fullmatch(last):
            year = int(last)
        elif sex is None and last in SEX_WORDS:
            sex = SEX_WORDS[last]
        else:
            break
        words.pop()
    return " ".join(words) or None, sex, year


def person_values(name, sex="unknown", birth_year=None, **extra):
    """A person's values from a row: what the separate fields say wins over the quick
    notation in the name field (a sex left at "onbekend" does not count as said)."""
    parsed_name, parsed_sex, parsed_year = parse_row(name)
    values = {
        "name": parsed_name,
        "sex": sex if sex and sex != "unknown" else parsed_sex or "unknown",
        "birth_year": birth_year if birth_year is not None else parsed_year,
    }
    values.update(extra)
    return values


def flow_children(case):
    """Ids of the family's children: the index children and their (half-)siblings."""
    index = [p["id"] for p in case["persons"] if p["index"]]
    parents = {parent for child in index for parent, _ in relatives.parents_of(case, child)}
    children = set(index)
    for relation in case["relations"]:
        if relation["kind"] == "parent" and relation["parent"] in parents:
            children.add(relation["child"])
    return [p["id"] for p in case["persons"] if p["id"] in children]


def flow_parents(case):
    """Ids of the family's parents: the parents of the index children, in order."""
    index = {p["id"] for p in case["persons"] if p["index"]}
    parents = []
    for relation in case["relations"]:
        parent = relation.get("parent")
        if relation["kind"] == "parent" and relation["child"] in index and parent not in parents:
            parents.append(parent)
    return parents


def _linked(case, values, links):
    """Add a person and ``links``, a list of (parent id, child id) with the new person
    as None; (new case, new id)."""
    new = editing.add_person(case, **values)
    person_id = new["persons"][-1]["id"]
    for parent, child in links:
        relation = editing.make_relation(
            "parent", parent or person_id, child or person_id, PARENT_TYPE
        )
        new["relations"].append(relation)
    return new, person_id


def add_parent(case, values):
    """A parent of every child of the family."""
    return _linked(case, values, [(None, child) for child in flow_children(case)])


def add_child(case, values):
    """A child of every parent of the family (an index child when ``values`` say so)."""
    return _linked(case, values, [(parent, None) for parent in flow_parents(case)])


def link_choices(case):
    """The choices of a family member's link: "moeder van Sanne", "vader van Sanne", ...
    for every person, the family's parents first (grandparents are the usual case)."""
    first = flow_parents(case)
    order = first + [p["id"] for p in case["persons"] if p["id"] not in first]
    choices = {}
    for person_id in order:
        name = editing.display_name(case, person_id)
        for kind in LINKS:
            choices[f"{kind}:{person_id}"] = f"{kind} van {name}"
    return choices


def add_relative(case, values, link):
    """A parent of someone in the case (a grandparent, say); ``link`` is
    ``"moeder:p2"``, ``"vader:p2"`` or ``"ouder:p2"``: the person, and the sex it implies."""
    kind, _, person_id = (link or "").partition(":")
    if kind not in LINKS or not person_id:
        raise editing.EditError("Kies van wie deze persoon moeder, vader of ouder is.")
    if LINKS[kind] != "unknown":
        values = {**values, "sex": LINKS[kind]}
    return relatives.add_parent(case, person_id, values, PARENT_TYPE)


def add_member(case, name, person_id, partner=MEMBER_PARTNER):
    """A network member with a tie to ``person_id`` (normal strength, support both ways)."""
    member = {"name": name, "partner": partner, "in_team": False}
    tie = {"strength": "normal", "stressful": False, "flow": "both"}
    return relatives.add_network_member(case, person_id, member, tie)


def default_tie(case):
    """Whom a new network member is tied to unless the row says otherwise: the first
    index child (the child the conference is about)."""
    return next((p["id"] for p in case["persons"] if p["index"]), None)


def set_residence(case, person_id, residence):
    """Where one person lives now (None: not known)."""
    if residence is not None and residence not in codes.RESIDENCES:
        raise editing.EditError("Kies waar deze persoon woont.")
    return editing.update_person(case, person_id, residence=residence)


def others_at_home(case):
    """Everyone whose residence is not known yet lives at home."""
    new = case
    for person in case["persons"]:
        if person["residence"] is None:
            new = editing.update_person(new, person["id"], residence="home")
    return new
