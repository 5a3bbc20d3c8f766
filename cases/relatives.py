"""Adding a relative next to someone in the genogram: a new person with their links.

What the genogram's "add a parent, partner, child, sibling or network member" buttons
do, as pure functions in the style of :mod:`cases.editing`: each takes a case and
returns ``(new case, new id)``, and makes the person or member and the relations in one
go, so a refused save leaves neither half behind.
"""

from cases import editing

# URL slugs of the kinds of relative, in the order the buttons show them.
RELATIVES = {
    "ouder": "Ouder",
    "partner": "Partner",
    "kind": "Kind",
    "broer-zus": "Broer of zus",
    "netwerklid": "Netwerklid",
}
BOTH_PARENTS = "alle"  # the sibling choice "under the same parents"
NO_OTHER_PARENT = ""  # the child choice "no other parent known"


def parents_of(case, person_id):
    """``[(parent id, type)]`` of a person, in the order the relations list them."""
    return [
        (r["parent"], r["type"])
        for r in case["relations"]
        if r["kind"] == "parent" and r["child"] == person_id
    ]


def partners_of(case, person_id):
    """The persons someone has a couple relation with, most recent relation last."""
    partners = []
    for relation in case["relations"]:
        if relation["kind"] != "couple" or person_id not in (relation["a"], relation["b"]):
            continue
        other = relation["b"] if relation["a"] == person_id else relation["a"]
        if other in partners:
            partners.remove(other)
        partners.append(other)
    return partners


def co_parents_of(case, person_id):
    """Possible other parents of a new child: partners, then co-parents of children."""
    choices = partners_of(case, person_id)
    children = {
        r["child"] for r in case["relations"] if r["kind"] == "parent" and r["parent"] == person_id
    }
    for relation in case["relations"]:
        if relation["kind"] == "parent" and relation["child"] in children:
            other = relation["parent"]
            if other != person_id and other not in choices:
                choices.append(other)
    return choices


def default_co_parent(case, person_id):
    """The other parent a new child most likely has: the latest partner, if any."""
    partners = partners_of(case, person_id)
    if partners:
        return partners[-1]
    return next(iter(co_parents_of(case, person_id)), NO_OTHER_PARENT)


def _with_person(case, values):
    new = editing.add_person(case, **values)
    return new, new["persons"][-1]["id"]


def _relation(kind, first, second, detail):
    return editing.make_relation(kind, first, second, detail)


def add_parent(case, child_id, values, parent_type):
    """A new parent of ``child_id``."""
    editing.get_person(case, child_id)
    new, parent_id = _with_person(case, values)
    new["relations"].append(_relation("parent", parent_id, child_id, parent_type))
    return new, parent_id


def add_partner(case, person_id, values, status):
    """A new partner of ``person_id``; ``status`` is the couple status."""
    editing.get_person(case, person_id)
    new, partner_id = _with_person(case, values)
    new["relations"].append(_relation("couple", person_id, partner_id, status))
    return new, partner_id


def add_child(case, parent_id, values, parent_type, other_parent=NO_OTHER_PARENT):
    """A new child of ``parent_id`` and, when given, of ``other_parent`` too."""
    editing.get_person(case, parent_id)
    if other_parent:
        if other_parent == parent_id:
            raise editing.EditError("Kies als andere ouder iemand anders.")
        editing.get_person(case, other_parent)
    new, child_id = _with_person(case, values)
    for parent in (parent_id, other_parent):
        if parent:
            new["relations"].append(_relation("parent", parent, child_id, parent_type))
    return new, child_id


def add_sibling(case, person_id, values, parents=BOTH_PARENTS):
    """A new brother or sister: a child of the same parents (or of one of them, for a
    half-sibling), with the same kind of parenthood as ``person_id`` has."""
    editing.get_person(case, person_id)
    known = parents_of(case, person_id)
    if not known:
        name = editing.display_name(case, person_id)
        raise editing.EditError(
            f"{name} heeft nog geen ouders in het genogram. Voeg eerst een ouder toe; "
            "dan komt de broer of zus onder dezelfde ouders te staan."
        )
    if parents != BOTH_PARENTS:
        known = [(parent, kind) for parent, kind in known if parent == parents]
        if not known:
            raise editing.EditError("Kies een van de ouders, of beide ouders.")
    new, sibling_id = _with_person(case, values)
    for parent, kind in known:
        new["relations"].append(_relation("parent", parent, sibling_id, kind))
    return new, sibling_id


def add_network_member(case, person_id, member, tie):
    """A new network member with a tie to ``person_id``.

    ``member`` holds name, partner and in_team; ``tie`` strength, stressful and flow.
    """
    editing.get_person(case, person_id)
    new = editing.add_member(case, **member)
    member_id = new["network"][-1]["id"]
    new = editing.add_tie(new, member_id, person=person_id, **tie)
    return new, member_id


def relative_label(kind):
    """The Dutch name of a kind of relative (``"broer-zus"`` -> ``"broer of zus"``)."""
    return RELATIVES[kind].lower()


def sibling_choices(case, person_id):
    """The "Ouders" choices for a new sibling: both parents, or one of them."""
    known = parents_of(case, person_id)
    names = [editing.display_name(case, parent) for parent, _ in known]
    choices = {}
    if len(known) > 1:
        choices[BOTH_PARENTS] = "dezelfde ouders (" + " en ".join(names) + ")"
    elif known:
        choices[BOTH_PARENTS] = f"dezelfde ouder ({names[0]})"
    for (parent, _), name in zip(known, names, strict=True):
        if len(known) > 1:
            choices[parent] = f"alleen {name} (halfbroer of halfzus)"
    return choices


def co_parent_choices(case, person_id):
    """The "Andere ouder" choices for a new child."""
    choices = {other: editing.display_name(case, other) for other in co_parents_of(case, person_id)}
    choices[NO_OTHER_PARENT] = "geen andere ouder bekend"
    return choices
