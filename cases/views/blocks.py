"""Blocks: parts of the family page that are redrawn as a whole after a change."""

import dataclasses

from cases import editing
from cases.views.ids import (
    FAMILY_ID,
    NETWORK_ID,
    NEW_MEMBER_ID,
    NEW_PERSON_ID,
    RELATIONS_ID,
    SITUATION_ID,
    member_element,
    new_placement_element,
    new_tie_element,
    person_element,
)


@dataclasses.dataclass
class Block:
    """A part of the family page that is redrawn as a whole after a change."""

    element: str
    template: str
    context: dict = dataclasses.field(default_factory=dict)
    # Where the keyboard focus goes when the block comes back without an item to
    # focus (after a delete or a cancelled "add"): its add button.
    slot: str | None = None


def _situation_block(case):
    return Block(SITUATION_ID, "cases/_situation.html")


def _family_block(case):
    return Block(FAMILY_ID, "cases/_family.html", slot=NEW_PERSON_ID)


def _person_block(case, person_id):
    try:
        person = editing.get_person(case, person_id)
    except editing.NotFound:
        return _family_block(case)
    return Block(
        person_element(person_id),
        "cases/_person.html",
        {"person": person},
        slot=new_placement_element(person_id),
    )


def _relations_block(case):
    return Block(RELATIONS_ID, "cases/_relations.html")


def _network_block(case):
    return Block(NETWORK_ID, "cases/_network.html", slot=NEW_MEMBER_ID)


def _member_block(case, member_id):
    try:
        member = editing.get_member(case, member_id)
    except editing.NotFound:
        return _network_block(case)
    return Block(
        member_element(member_id),
        "cases/_member.html",
        {"member": member},
        slot=new_tie_element(member_id),
    )
