"""Who lives under one roof: the households a genogram outlines. Pure: no Flask, no database.

``households(graph, this_year)`` reads the graph of :mod:`genogram.graph`:

- Where any person has a ``household`` label, the labels alone say who lives together
  (the case format's contract); nothing is guessed beside them.
- Where no one has a label, only what is certain is inferred: the homes of the index
  child's parents who live at home ("thuis": the parent, a partner living together with
  that parent, and the parent's minor children at home whose parents at home all live
  there), and the foster homes of placed children (their foster parents, a partner
  living with them, their own minor children at home, and the children placed there;
  labelled with the running placement's provider). Never from ``residence: home`` alone
  for adults: a grandmother and her 44-year-old daughter both "thuis" may live streets
  apart.
- In both cases a child in a placement who is in no household yet gets one of its own,
  labelled with the provider ("De Koppeling"), so the table sees where each child lives;
  children placed at the same provider on the same day share it.

Households of one are drawn only when a label or a placement names them; a deceased
person is in none.
"""

import datetime
from dataclasses import dataclass

from cases import codes
from genogram.graph import person_node

TOGETHER = ("married", "cohabiting")  # couple statuses that share a home
HOME_LABEL = "thuis"
# Where a child lives in youth care; assisted living only counts with a running placement
# (an adult's "begeleid wonen" is their own home, not a placement).
PLACED = ("kinship", "foster", "family_home", "residential", "secure")
PLACED_BY_PLACEMENT = (*PLACED, "assisted_living")
FOSTER_HOMES = ("kinship", "foster", "family_home")
ADULT_AGE = 18


@dataclass(frozen=True)
class Household:
    """Persons (graph nodes, in case order) under one roof, and how the drawing names it.

    ``source``: ``"label"`` (the case's ``household``), ``"home"`` (the index child's
    parents' home, inferred), ``"foster"`` (a foster home, inferred), ``"placement"``
    (a residential placement of a child, from the running placement).
    """

    label: str
    members: tuple
    source: str


def running_placement(person):
    """The placement without an end, or None."""
    return next((p for p in reversed(person.get("placements") or []) if not p.get("end")), None)


def placed_residence(person, this_year=None):
    """The residence code of a child's youth-care placement now, or None."""
    running = running_placement(person)
    residence = person.get("residence")
    if running and running.get("residence") in PLACED_BY_PLACEMENT and residence != "home":
        return running["residence"]
    if residence in PLACED and _minor(person, _this_year(this_year)) is not False:
        return residence
    return None


def households(graph, this_year=None):
    """The households of ``graph`` (see the module docstring), in case order."""
    year = _this_year(this_year)
    people = {
        n: d for n, d in graph.nodes(data=True) if d["kind"] == "person" and not d.get("deceased")
    }
    if any(_label(d) for d in people.values()):
        found = _labelled(people)
    else:
        found = _inferred(graph, people, year)
    housed = {p for h in found for p in h.members}
    found += _placements(people, housed)
    order = {n: d["order"] for n, d in people.items()}
    return sorted(found, key=lambda h: order[h.members[0]])


def _this_year(this_year):
    return this_year or datetime.date.today().year


def _label(data):
    return (data.get("household") or "").strip()


def _minor(data, year):
    """True, False, or None when the birth year is unknown."""
    born = data.get("birth_year")
    if not isinstance(born, int) or isinstance(born, bool):
        return None
    return year - born < ADULT_AGE


def _labelled(people):
    groups = {}
    for node, data in people.items():
        label = _label(data)
        if label:
            groups.setdefault(label.casefold(), (label, []))[1].append(node)
    return [
        Household(label, _in_order(people, members), "label") for label, members in groups.values()
    ]


def _in_order(people, nodes):
    return tuple(sorted(nodes, key=lambda n: people[n]["order"]))


# --------------------------------------------------------------------------- inference


def _parent_types(graph, child):
    """``{parent node: relation type}`` of a person's parents."""
    found = {}
    for source, _, edge in graph.in_edges(child, data=True):
        if edge["kind"] == "child":
            for parent, kind in (edge.get("types") or {}).items():
                found[person_node(parent)] = kind
        elif edge["kind"] == "parent_link":
            found[source] = edge.get("type") or "biological"
    return found


def _partners_together(graph, person):
    """Partners in a couple that lives together (married or cohabiting)."""
    found = []
    for _, union, edge in graph.out_edges(person, data=True):
        data = graph.nodes[union]
        if edge["kind"] == "partner" and data.get("status") in TOGETHER:
            found += [person_node(p) for p in data["partners"] if person_node(p) != person]
    return found


def _children(graph, parent):
    found = []
    for _, target, edge in graph.out_edges(parent, data=True):
        if edge["kind"] == "partner":
            found += [t for _, t, e in graph.out_edges(target, data=True) if e["kind"] == "child"]
        elif edge["kind"] == "parent_link":
            found.append(target)
    return found


def _founds_a_home(graph, person):
    """A person with a partner or a child of their own heads a household of their own."""
    return any(
        e["kind"] in ("partner", "parent_link") for _, _, e in graph.out_edges(person, data=True)
    )


def _at_home(data):
    return data.get("residence") == "home"


def _home_of(graph, people, adults, year, *, index=None):
    """``adults`` with their partners living together with them, and the minor children
    at home whose parents at home (foster parents aside) all live in this home."""
    home = set()
    todo = [a for a in adults if a in people]
    while todo:
        person = todo.pop()
        if person in home:
            continue
        home.add(person)
        todo += [
            p for p in _partners_together(graph, person) if p in people and _lives_with(people[p])
        ]
    for adult in list(home):
        for child in _children(graph, adult):
            data = people.get(child)
            if data is None or child in home or not _at_home(data) or _founds_a_home(graph, child):
                continue
            if child != index and _minor(data, year) is False:
                continue  # an adult's "thuis" may be a home of their own
            parents_home = {
                p
                for p, kind in _parent_types(graph, child).items()
                if kind != "foster" and p in people and _at_home(people[p])
            }
            if parents_home <= home:
                home.add(child)
    return home


def _lives_with(data):
    """A partner living together with someone: at home, or with no residence recorded."""
    return data.get("residence") in (None, "home")


def _inferred(graph, people, year):
    found, housed = [], set()
    for index in (n for n, d in people.items() if d.get("index")):
        parents = [
            p
            for p, kind in _parent_types(graph, index).items()
            if kind != "foster" and p in people and _at_home(people[p])
        ]
        for parent in parents:
            if parent in housed:
                continue
            home = _home_of(graph, people, [parent], year, index=index)
            housed |= home
            if len(home) > 1:
                found.append(Household(HOME_LABEL, _in_order(people, home), "home"))
    for child, data in people.items():
        residence = placed_residence(data)
        if residence not in FOSTER_HOMES or child in housed:
            continue
        fosterers = [
            p for p, kind in _parent_types(graph, child).items() if kind == "foster" and p in people
        ]
        if not fosterers or housed & set(fosterers):
            continue
        home = _home_of(graph, people, fosterers, year)
        placed = [
            c
            for f in fosterers
            for c in _children(graph, f)
            if c in people and placed_residence(people[c]) in FOSTER_HOMES
        ]
        home |= set(placed) | {child}
        housed |= home
        found.append(Household(_placement_label(data), _in_order(people, home), "foster"))
    return found


def _placement_label(data):
    running = running_placement(data) or {}
    provider = (running.get("provider") or "").strip()
    residence = placed_residence(data)
    return provider or codes.RESIDENCES.get(residence, residence or "")


def _placements(people, housed):
    """A household per residential placement of a child not housed yet: children placed
    at the same provider, in the same kind of care, from the same day share one."""
    groups = {}
    for node, data in people.items():
        residence = placed_residence(data)
        if node in housed or residence is None:
            continue
        running = running_placement(data) or {}
        provider = (running.get("provider") or "").strip().casefold()
        # Without a provider and a start day, nothing says two children share a place.
        key = (residence, provider, running.get("start")) if provider else (node,)
        groups.setdefault(key, (_placement_label(data), []))[1].append(node)
    return [
        Household(label, _in_order(people, members), "placement")
        for label, members in groups.values()
    ]
