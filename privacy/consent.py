"""Who must consent (instemming) for a family, and whether they did. Pure: no Flask, no db.

The rules follow the WGBO (art. 7:450) and the Jeugdwet (art. 7.3.4): for a child under 12
the parents decide; from 12 to 15 the child and the parents both; from 16 the child alone.
The parents are the living legal parents (a ``biological`` or ``adoptive`` parent
relation to the child); when the parents must decide and none is alive, the guardian
(voogd) decides: a network member of partner ``youth_protection``, recorded under that
member's id.

Only the birth year is known, so a child's age is one of two values. The rules lean to
asking more people, never fewer: the child is asked as soon as it may be 12 (the year
difference is 12), and the parents as long as it may still be 15 (the year difference
is at most 16). With no birth year both are asked.

Every parent is asked, not just one: the law speaks of "the parents who exercise
authority", and custody (gezag) is not recorded here, so each legal parent counts.
A refusal or withdrawal by anyone who must consent blocks, whatever the others said.
"""

import datetime
from dataclasses import dataclass, field

from core.text import control_character

SUBJECTS = {
    "team": "gegevens delen met het team",
    "conference": "bespreken in het casusoverleg",
    "library": "geanonimiseerd delen in de oplossingenbibliotheek",
}
DECISIONS = {"given": "gegeven", "refused": "geweigerd", "withdrawn": "ingetrokken"}
GIVEN = "given"

CHILD = "child"
PARENT = "parent"
GUARDIAN = "guardian"
HOLDER_ROLES = {CHILD: "kind", PARENT: "ouder", GUARDIAN: "voogd"}

LEGAL_PARENT_TYPES = ("biological", "adoptive")
GUARDIAN_PARTNER = "youth_protection"

OWN_SAY_FROM_AGE = 12  # from this age the child has its own say
ALONE_FROM_AGE = 16  # from this age the child decides alone
NOTE_MAX = 1000

RULES_EXPLAINED = (
    "Instemming volgt de WGBO en de Jeugdwet: tot 12 jaar beslissen de ouders; van 12 tot "
    "en met 15 jaar beslissen het kind én de ouders samen; vanaf 16 jaar beslist het kind "
    "zelf. Ouders zijn de levende juridische ouders (biologisch of adoptief); elke ouder "
    "wordt gevraagd. Is er geen levende juridische ouder, dan beslist de voogd: de "
    "jeugdbeschermer in het netwerk. Alleen het geboortejaar is bekend, dus we rekenen "
    "voorzichtig: het kind wordt zelf gevraagd zodra het 12 kan zijn, en de ouders zolang "
    "het nog 15 kan zijn. Een weigering of intrekking van iemand die moet instemmen, weegt "
    "altijd zwaarder dan de instemming van anderen."
)


class ConsentError(ValueError):
    """A consent decision that cannot be recorded; the message is Dutch, for the user."""


@dataclass(frozen=True)
class Holder:
    """Someone whose consent is needed: a person of the case, or the guardian."""

    person_id: str
    name: str
    role: str  # CHILD, PARENT or GUARDIAN

    @property
    def role_label(self):
        return HOLDER_ROLES[self.role]


@dataclass(frozen=True)
class HolderDecision:
    holder: Holder
    decision: dict | None  # the holder's latest consents entry on the subject, or None

    @property
    def value(self):
        return self.decision["decision"] if self.decision else None


@dataclass(frozen=True)
class ConsentStatus:
    """Who must consent on ``subject``, who did, who did not, and what follows."""

    subject: str
    required: list
    decisions: list  # HolderDecision per required holder, in the order of ``required``
    given: list
    missing: list  # required holders without a current "given" (none, refused, withdrawn)
    refused: list  # of those, the ones whose current decision is refused or withdrawn
    allowed: bool
    explanations: list = field(default_factory=list)  # Dutch, why these holders
    message: str = ""  # Dutch, the outcome in one sentence

    @property
    def subject_label(self):
        return SUBJECTS[self.subject]


def year_difference(birth_year, today):
    return today.year - birth_year


def possible_ages(birth_year, today):
    """The two ages a child born in ``birth_year`` can have today (low, high); None if unknown."""
    if not isinstance(birth_year, int):
        return None
    high = max(year_difference(birth_year, today), 0)
    return max(high - 1, 0), high


def who_decides(birth_year, today):
    """(child asked, parents asked, Dutch reason) for an index child born in ``birth_year``."""
    ages = possible_ages(birth_year, today)
    if ages is None:
        return True, True, "het geboortejaar is onbekend, dus het kind én de ouders worden gevraagd"
    low, high = ages
    said = f"is nu {_ages_text(low, high)}"
    child = high >= OWN_SAY_FROM_AGE
    parents = low < ALONE_FROM_AGE
    if child and parents:
        if low < OWN_SAY_FROM_AGE:
            why = "kan al 12 zijn, dus het kind wordt zelf ook gevraagd, samen met de ouders"
        elif high >= ALONE_FROM_AGE:
            why = "kan nog 15 zijn, dus de ouders worden ook gevraagd, samen met het kind"
        else:
            why = "van 12 tot en met 15 jaar beslissen het kind én de ouders samen"
        return True, True, f"{said}: {why}"
    if child:
        return True, False, f"{said}: vanaf 16 jaar beslist het kind zelf"
    return False, True, f"{said}: onder de 12 jaar beslissen de ouders"


def _ages_text(low, high):
    if high == 0:
        return "jonger dan 1 jaar"
    if low == high:
        return f"{high} jaar"
    return f"{low} of {high} jaar"


def _name(item, fallback):
    return (item.get("name") or "").strip() or fallback


def index_children(case):
    return [person for person in case.get("persons", []) if person.get("index")]


def legal_parents(case, child_id):
    """The living legal parents of ``child_id``: biological or adoptive, not deceased."""
    persons = {person["id"]: person for person in case.get("persons", [])}
    parents = []
    for relation in case.get("relations", []):
        if (
            relation.get("kind") == "parent"
            and relation.get("child") == child_id
            and relation.get("type") in LEGAL_PARENT_TYPES
        ):
            parent = persons.get(relation.get("parent"))
            if parent and not parent.get("deceased") and parent not in parents:
                parents.append(parent)
    return parents


def guardians(case):
    """Network members who can act as voogd: the youth protection (gecertificeerde instelling)."""
    return [m for m in case.get("network", []) if m.get("partner") == GUARDIAN_PARTNER]


def required_holders(case, today):
    """(holders, Dutch explanations, problems) for every index child of the case.

    A problem is a seat that cannot be filled (no parent and no guardian): consent can
    then not be complete until the case records one.
    """
    holders, explanations, problems = [], [], []

    def add(holder):
        if all(h.person_id != holder.person_id for h in holders):
            holders.append(holder)

    children = index_children(case)
    if not children:
        problems.append("Er is geen indexkind vastgelegd: leg eerst vast om wie het gaat.")
    for child in children:
        child_name = _name(child, child["id"])
        child_asked, parents_asked, reason = who_decides(child.get("birth_year"), today)
        explanations.append(f"{child_name} {reason}.")
        if child_asked:
            add(Holder(child["id"], child_name, CHILD))
        if not parents_asked:
            continue
        parents = legal_parents(case, child["id"])
        for parent in parents:
            add(Holder(parent["id"], _name(parent, parent["id"]), PARENT))
        if parents:
            continue
        found = guardians(case)
        if found:
            explanations.append(
                f"{child_name} heeft geen levende juridische ouder: de voogd "
                "(jeugdbescherming) beslist in plaats van de ouders."
            )
            for member in found:
                add(Holder(member["id"], _name(member, "Jeugdbescherming"), GUARDIAN))
        else:
            problems.append(
                f"{child_name} heeft geen levende juridische ouder en er is geen voogd "
                "(jeugdbescherming) in het netwerk vastgelegd: leg eerst de voogd vast."
            )
    return holders, explanations, problems


def _order(entry):
    return (entry.get("recorded_at") or "", entry.get("id") or 0)


def current_decisions(consents, subject):
    """The latest entry per person on ``subject``: history is kept, the newest counts."""
    current = {}
    for entry in sorted((c for c in consents if c["subject"] == subject), key=_order):
        current[entry["person_id"]] = entry
    return current


def consent_status(case, consents, subject, today=None):
    """Who must consent on ``subject``, and whether everyone needed has (see module doc)."""
    if subject not in SUBJECTS:
        raise ValueError(f"unknown consent subject {subject!r}")
    today = today or datetime.date.today()
    holders, explanations, problems = required_holders(case, today)
    current = current_decisions(consents, subject)
    decisions = [HolderDecision(h, current.get(h.person_id)) for h in holders]
    given = [d.holder for d in decisions if d.value == GIVEN]
    missing = [d.holder for d in decisions if d.value != GIVEN]
    refused = [d.holder for d in decisions if d.value in ("refused", "withdrawn")]
    allowed = bool(holders) and not missing and not problems
    label = SUBJECTS[subject]
    if allowed:
        message = f"Instemming voor {label} is compleet."
    elif refused:
        message = f"Geen instemming voor {label}: {_list(refused, 'geweigerd of ingetrokken')}."
    elif problems:
        message = f"Geen instemming voor {label}: " + " ".join(problems)
    else:
        message = f"Nog geen instemming voor {label}: {_list(missing, 'nog niet gegeven')}."
    return ConsentStatus(
        subject=subject,
        required=holders,
        decisions=decisions,
        given=given,
        missing=missing,
        refused=refused,
        allowed=allowed,
        explanations=explanations + problems,
        message=message,
    )


def _list(holders, what):
    names = [f"{h.name} ({h.role_label})" for h in holders]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
    return f"{what} door {joined}"


def publication_allowed(case, consents, today=None):
    """May the case go to the solution library? Only with complete consent on ``library``.

    The library must call this before it takes a case in: without it, never.
    """
    return consent_status(case, consents, "library", today).allowed


def holder_choices(case):
    """Who can record a decision: living persons and possible guardians, as (id, label)."""
    choices = []
    for person in case.get("persons", []):
        if person.get("deceased"):
            continue
        label = _name(person, person["id"])
        if person.get("index"):
            label += " (indexkind)"
        choices.append((person["id"], label))
    for member in guardians(case):
        choices.append((member["id"], f"{_name(member, 'Jeugdbescherming')} (voogd)"))
    return choices


def validate_decision(case, *, person_id, subject, decision, note):
    """The decision as it will be stored, or :class:`ConsentError` with a Dutch message."""
    ids = {choice for choice, _ in holder_choices(case)}
    person_id = (person_id or "").strip()
    if person_id not in ids:
        raise ConsentError("Kies wie de beslissing neemt.")
    if subject not in SUBJECTS:
        raise ConsentError("Kies waarvoor de instemming geldt.")
    if decision not in DECISIONS:
        raise ConsentError("Kies gegeven, geweigerd of ingetrokken.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ConsentError(f"Een toelichting heeft hooguit {NOTE_MAX} tekens.")
    if control_character(note, multiline=True):
        raise ConsentError("De toelichting bevat een onzichtbaar stuurteken; verwijder het.")
    return {"person_id": person_id, "subject": subject, "decision": decision, "note": note or None}
