"""The core family of a large case: who a drawing shows by default.

A GEDCOM import can bring thousands of persons; laying them all out takes seconds and
the drawing says nothing at a meeting. Above ``CORE_LIMIT`` persons the app draws the
core family around the index child(ren), and the whole family only on request.

Pure: takes a canonical case, returns ids or a smaller case. No Flask, no database.
"""

CORE_LIMIT = 60  # persons; a family of this size or smaller is always drawn whole


def dutch_number(n):
    """``10000`` -> ``10.000`` (a point between thousands, as Dutch writes it)."""
    return f"{n:,}".replace(",", ".")


def core_note(shown, total):
    """The line above a drawing of the core family."""
    return f"Kerngezin getoond: {dutch_number(shown)} van {dutch_number(total)} personen."


def is_large(case):
    """True when the drawing shows the core family by default."""
    return len(case["persons"]) > CORE_LIMIT


def _links(relations):
    parents, children, partners = {}, {}, {}
    for relation in relations:
        if relation["kind"] == "parent":
            parents.setdefault(relation["child"], set()).add(relation["parent"])
            children.setdefault(relation["parent"], set()).add(relation["child"])
        elif relation["kind"] == "couple":
            partners.setdefault(relation["a"], set()).add(relation["b"])
            partners.setdefault(relation["b"], set()).add(relation["a"])
    return parents, children, partners


def core_persons(case, *, also=()):
    """The ids of the core family, in case order.

    The index child(ren) (the first person when none is marked), their parents of any
    kind and those parents' partners, their (half-)siblings, grandparents and the
    parents' siblings, their own partners and children, every person marked ``in_team``,
    and ``also`` (ids the caller adds, e.g. who sits at the table).
    """
    persons = case["persons"]
    parents, children, partners = _links(case["relations"])

    def of(lookup, ids):
        return {found for pid in ids for found in lookup.get(pid, ())}

    index = {p["id"] for p in persons if p.get("index")} or {persons[0]["id"]}
    mothers_fathers = of(parents, index)
    grandparents = of(parents, mothers_fathers)
    chosen = (
        index
        | mothers_fathers
        | of(partners, mothers_fathers)
        | of(children, mothers_fathers)  # siblings and half-siblings
        | grandparents
        | of(children, grandparents)  # the parents' siblings
        | of(partners, index)
        | of(children, index)
        | {p["id"] for p in persons if p.get("in_team")}
    )
    known = {p["id"] for p in persons}
    chosen |= set(also) & known
    return [p["id"] for p in persons if p["id"] in chosen]


def _relation_persons(relation):
    if relation["kind"] == "parent":
        return relation["parent"], relation["child"]
    return relation["a"], relation["b"]


def core_case(case, ids):
    """The case cut down to the persons ``ids``: their relations among themselves, and
    the network members tied to them (with those ties only), in the team, or tied to no
    one yet. Other fields stay as they are.
    """
    keep = set(ids)
    network = []
    for member in case["network"]:
        ties = [tie for tie in member["ties"] if tie["person"] in keep]
        if ties or member.get("in_team") or not member["ties"]:
            network.append({**member, "ties": ties})
    return {
        **case,
        "persons": [p for p in case["persons"] if p["id"] in keep],
        "relations": [
            r for r in case["relations"] if all(pid in keep for pid in _relation_persons(r))
        ],
        "network": network,
    }
