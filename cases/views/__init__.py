"""Family pages: the list with active search, and one family's page with in-place editing.

Editing follows the contact-app pattern: a read-only partial with a "Wijzigen" button
that fetches the edit form into its own place (``hx-target="this"``); saving answers
the read-only partial again. A change that shows elsewhere too (a person's name appears
in relations and ties) answers the block that holds all of it, retargeted with
``HX-Retarget``. Whether a request gets a fragment or the whole page is decided by the
element that asked (``HX-Target``), never by ``HX-Request`` alone.

Every edit form carries the family's version; the store refuses a save on a stale copy
and the user sees the current state with a Dutch explanation (409).

The routes live in one module per part of the page; each registers on ``bp``
(``cases.views.blueprint``) when imported below.
"""

from cases.views import (
    building,
    family_list,
    family_page,
    network,
    new_family,
    persons,
    placements,
    relations,
    sections,
    situation,
    ties,
)
from cases.views.blueprint import bp
from cases.views.ids import (  # noqa: E402
    FAMILY_ID,
    HEAD_ID,
    IDS,
    NETWORK_ID,
    NEW_FAMILY_ID,
    NEW_MEMBER_ID,
    NEW_PERSON_ID,
    RELATIONS_ID,
    ROWS_ID,
    SEARCH_ID,
    SECTIONS,
    SITUATION_ID,
    member_element,
    more_element,
    new_placement_element,
    new_relation_element,
    new_tie_element,
    person_element,
    placement_element,
    relation_element,
    selector,
    tie_element,
)

__all__ = [
    "bp",
    "require_login",
    # route modules
    "building",
    "family_list",
    "family_page",
    "network",
    "new_family",
    "persons",
    "placements",
    "relations",
    "sections",
    "situation",
    "ties",
    # element ids, kept importable as cases.views.<NAME> for templates and tests
    "FAMILY_ID",
    "HEAD_ID",
    "IDS",
    "NETWORK_ID",
    "NEW_FAMILY_ID",
    "NEW_MEMBER_ID",
    "NEW_PERSON_ID",
    "RELATIONS_ID",
    "ROWS_ID",
    "SEARCH_ID",
    "SECTIONS",
    "SITUATION_ID",
    "member_element",
    "more_element",
    "new_placement_element",
    "new_relation_element",
    "new_tie_element",
    "person_element",
    "placement_element",
    "relation_element",
    "selector",
    "tie_element",
]
