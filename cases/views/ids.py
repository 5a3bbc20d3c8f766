"""Element ids of the family list and page: constants, so templates and tests agree."""

import re
import types

# Element ids that the htmx requests target; kept as constants and tested.
ROWS_ID = "family-rows"
NEW_FAMILY_ID = "new-family"
SEARCH_ID = "family-search"

# The family page: sections (id, heading) in page order.
SECTIONS = (
    ("situatie", "Situatie"),
    ("gezin-en-netwerk", "Gezin en netwerk"),
    ("signalen", "Signalen"),
    ("vergelijkbare-casussen", "Vergelijkbare casussen"),
    ("overleggen", "Overleggen"),
    ("team-en-privacy", "Team en privacy"),
)
# The sections below the first screen, loaded when scrolled into view
# (cases.views.sections): section id -> the partial with its content.
LAZY_SECTIONS = {
    "signalen": "cases/_section_signals.html",
    "vergelijkbare-casussen": "cases/_section_similar.html",
    "overleggen": "cases/_section_conferences.html",
    "team-en-privacy": "cases/_section_privacy.html",
}
WHOLE_PAGE_ARG = "volledig"  # ?volledig=1: the page with every section at once
HEAD_ID = "gezin-kop"
SITUATION_ID = "situatie-gegevens"
FAMILY_ID = "gezin-en-netwerk-inhoud"
RELATIONS_ID = "relaties"
NETWORK_ID = "netwerk"
NEW_PERSON_ID = "nieuwe-persoon"
NEW_MEMBER_ID = "nieuw-netwerklid"


# Item and slot ids: slots ("nieuwe-...") never start like an item id, so a local id
# such as "nieuw" cannot clash with them.
def person_element(person_id):
    return f"persoon-{person_id}"


def placement_element(person_id, index):
    return f"plaatsing-{person_id}-{index}"


def new_placement_element(person_id):
    return f"nieuwe-plaatsing-{person_id}"


def relation_element(index):
    return f"relatie-{index}"


def new_relation_element(kind):
    return f"nieuwe-relatie-{kind}"


def member_element(member_id):
    return f"netwerklid-{member_id}"


def tie_element(member_id, person_id):
    return f"band-{member_id}-{person_id}"


def new_tie_element(member_id):
    return f"nieuwe-band-{member_id}"


def more_element(list_key):
    """The "Meer tonen" at the end of a long list (``cases.paging``)."""
    return f"meer-{list_key}"


def selector(element):
    """A CSS selector for an element id (local ids may hold a '.')."""
    return "#" + re.sub(r"([^A-Za-z0-9_-])", r"\\\1", element)


IDS = types.SimpleNamespace(
    head=HEAD_ID,
    situation=SITUATION_ID,
    family=FAMILY_ID,
    relations=RELATIONS_ID,
    network=NETWORK_ID,
    new_person=NEW_PERSON_ID,
    new_member=NEW_MEMBER_ID,
    person=person_element,
    placement=placement_element,
    new_placement=new_placement_element,
    relation=relation_element,
    new_relation=new_relation_element,
    member=member_element,
    tie=tie_element,
    new_tie=new_tie_element,
    more=more_element,
    selector=selector,
)
