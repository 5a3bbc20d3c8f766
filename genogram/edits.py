"""Random single edits of a case, the kinds a table makes while the family is on the
screen: the layout memory's tests and benchmark replay them (seeded). Pure: takes a
canonical case and returns a changed copy."""

import copy

from cases import codes, editing

EDITS = ("relative", "member", "remove_leaf", "couple_status", "child")


def _parents(case, pid):
    """The biological parents of ``pid``."""
    return [
        r["parent"]
        for r in case["relations"]
        if r["kind"] == "parent" and r["child"] == pid and r["type"] == "biological"
    ]


def _new_person(case, sex, birth_year):
    """A new person as the family forms add one (``cases.editing``); their id."""
    pid = editing.new_id(case, editing.PERSON_PREFIX)
    added = editing.add_person(case, name=f"Nieuw {pid}", sex=sex, birth_year=birth_year)
    case["persons"] = added["persons"]
    return pid


_LATEST_YEAR = 2024  # a child of a young parent is not born in the future


def _year(case, pid, offset):
    year = next(p["birth_year"] for p in case["persons"] if p["id"] == pid)
    return None if year is None else min(max(1, year + offset), _LATEST_YEAR)


def _parent(parent, child):
    return {"kind": "parent", "parent": parent, "child": child, "type": "biological"}


def add_relative(case, rng):
    """A parent, partner, sibling or child of a random person."""
    pid = rng.choice(case["persons"])["id"]
    parents = _parents(case, pid)
    kinds = ["partner", "child"] + (["parent"] if len(parents) < 2 else [])
    kinds += ["sibling"] if parents else []
    kind = rng.choice(kinds)
    sex = rng.choice(["female", "male"])
    if kind == "parent":
        new = _new_person(case, sex, _year(case, pid, -28))
        case["relations"].append(_parent(new, pid))
    elif kind == "sibling":
        new = _new_person(case, sex, _year(case, pid, rng.choice([-2, 2])))
        case["relations"] += [_parent(p, new) for p in parents]
    elif kind == "partner":
        new = _new_person(case, sex, _year(case, pid, 1))
        case["relations"].append({"kind": "couple", "a": pid, "b": new, "status": "married"})
    else:
        new = _new_person(case, sex, _year(case, pid, 27))
        case["relations"].append(_parent(pid, new))
    return f"{kind} of {pid}"


def add_member(case, rng):
    """A network member tied to a random person."""
    person = rng.choice(case["persons"])["id"]
    mid = editing.new_id(case, editing.MEMBER_PREFIX)
    partner = rng.choice(["informal", *sorted(codes.PARTNERS)[:3]])
    added = editing.add_member(case, name=f"Netwerk {mid}", partner=partner)
    case["network"] = editing.add_tie(added, mid, person=person)["network"]
    return f"member tied to {person}"


def remove_leaf(case, rng):
    """A person without children (not the index child), with their relations and ties."""
    parents = {r["parent"] for r in case["relations"] if r["kind"] == "parent"}
    leaves = [p["id"] for p in case["persons"] if p["id"] not in parents and not p["index"]]
    if not leaves:
        return add_relative(case, rng)
    pid = rng.choice(leaves)
    case.update(editing.remove_person(case, pid))
    return f"removed {pid}"


def change_couple_status(case, rng):
    """Another status for a random couple."""
    couples = [r for r in case["relations"] if r["kind"] == "couple"]
    if not couples:
        return add_relative(case, rng)
    couple = rng.choice(couples)
    deceased = {p["id"] for p in case["persons"] if p["deceased"]}
    statuses = set(codes.COUPLE_STATUSES) - {couple["status"]}
    if not deceased & {couple["a"], couple["b"]}:
        statuses.discard("ended_by_death")
    couple["status"] = rng.choice(sorted(statuses))
    return f"status of {couple['a']}+{couple['b']}"


def add_child(case, rng):
    """A child of a random couple."""
    couples = [r for r in case["relations"] if r["kind"] == "couple"]
    if not couples:
        return add_relative(case, rng)
    couple = rng.choice(couples)
    years = [_year(case, couple[k], 30) for k in ("a", "b")]
    new = _new_person(case, rng.choice(["female", "male"]), max(years, key=lambda y: y or 0))
    case["relations"] += [_parent(couple["a"], new), _parent(couple["b"], new)]
    return f"child of {couple['a']}+{couple['b']}"


_BY_KIND = {
    "relative": add_relative,
    "member": add_member,
    "remove_leaf": remove_leaf,
    "couple_status": change_couple_status,
    "child": add_child,
}


def random_edit(case, rng):
    """``(edited copy, what was done)``: one edit of a random kind (``EDITS``)."""
    edited = copy.deepcopy(case)
    what = _BY_KIND[rng.choice(EDITS)](edited, rng)
    return edited, what
