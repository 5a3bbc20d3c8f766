"""Evaluating the rule set on a family: the signals, each explained in Dutch. Pure.

A signal is a plain dict (the shape of ``flask --app app cases flags CODE --json`` and
``GET /api/cases/<code>/flags``): ``rule``, ``version``, ``severity``, ``title``,
``partner``, ``persons``, ``children`` (added 2026-12: the index children the signal is
about where the rule says so, so that with several index children it names which),
``explanation``, plus ``facts`` (the facts the condition read, as shown), ``suggestion``,
``rationale``, ``source`` and ``fingerprint``: a hash of the rule version and those facts,
so a dismissal holds until the facts it was about change.
"""

import hashlib
import json
import re

from cases import codes
from rules.facts import ACUTE, FACTS

SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def _names(ids, names):
    return [names.get(pid, pid) for pid in ids]


def _join(words):
    words = list(words)
    if not words:
        return "geen"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " en " + words[-1]


_CHOICE = re.compile(r"\{([^{}|]*)\|([^{}|]*)\}")


def agree(text, count):
    """Dutch agreement: every ``{singular|plural}`` in ``text`` becomes the form for
    ``count`` persons ("{personen} {zit|zitten} niet aan tafel")."""
    return _CHOICE.sub(lambda m: m.group(1) if count == 1 else m.group(2), text)


# Where a child lives, as the sibling card says it ("Lotte in een pleeggezin").
RESIDENCE_PHRASES = {
    "home": "thuis",
    "kinship": "in een netwerkpleeggezin",
    "foster": "in een pleeggezin",
    "family_home": "in een gezinshuis",
    "residential": "in een open groep",
    "secure": "in de gesloten jeugdzorg",
    "assisted_living": "begeleid",
    "independent": "zelfstandig",
    "other": "elders",
    "": "op een onbekende plek",
}


def where_they_live(persons, residence_of, names):
    """ "Jayden woont thuis, Lotte in een pleeggezin": who lives where, persons with the
    same place together, in the order named."""
    groups = {}
    for pid in persons:
        groups.setdefault(residence_of.get(pid) or "", []).append(names.get(pid, pid))
    parts = []
    for place, who in groups.items():
        phrase = RESIDENCE_PHRASES.get(place, place)
        if not parts:
            parts.append(f"{_join(who)} {'woont' if len(who) == 1 else 'wonen'} {phrase}")
        else:
            parts.append(f"{_join(who)} {phrase}")
    return ", ".join(parts)


# Partners as a sentence names them, with the article ("de woningcorporatie").
PARTNER_NAMES = {
    "youth_protection": "de jeugdbescherming",
    "child_protection_board": "de Raad voor de Kinderbescherming",
    "adult_mental_health": "de volwassen-GGZ",
    "youth_mental_health": "de jeugd-GGZ",
    "municipality": "de gemeente of het wijkteam",
    "housing": "de woningcorporatie",
    "debt_counselling": "de schuldhulpverlening",
    "addiction_care": "de verslavingszorg",
    "school": "de school of leerplicht",
    "gp": "de huisarts",
    "police": "de politie",
    "safe_home": "Veilig Thuis",
    "youth_care": "de jeugdzorgaanbieder",
    "family_home": "het gezinshuis",
    "disability_care": "de gehandicaptenzorg",
    "informal": "het informele netwerk",
    "other": "deze partner",
}


def _capital(text):
    return text[:1].upper() + text[1:]


def at_table_sentence(partner, involved):
    """What the card says of a partner the rule misses at the table: when it is tied to
    the family (involved) "... is betrokken, maar zit niet aan tafel: nodig die
    contactpersoon uit", otherwise "... zit niet aan tafel"."""
    name = _capital(PARTNER_NAMES.get(partner, partner))
    if involved:
        return f"{name} is betrokken, maar zit niet aan tafel: nodig die contactpersoon uit."
    return f"{name} zit niet aan tafel."


def show_value(name, value, names):
    """A fact's value as Dutch text for an explanation."""
    shows = FACTS[name].shows
    if shows == "acute":
        return _join(sorted(ACUTE.get(v, v) for v in value))
    if shows == "residences":
        return _join(
            f"{names.get(pid, pid)}: {RESIDENCE_PHRASES.get(where, where)}"
            for pid, where in value.items()
        )
    if shows == "persons":
        return _join(_names(value, names))
    if shows == "problems":
        return _join(sorted(codes.PROBLEMS.get(v, v) for v in value))
    if shows == "partners":
        return _join(sorted(codes.PARTNERS.get(v, v).split(" (")[0] for v in value))
    if shows == "number":
        return f"{value:g}"
    if shows == "yes_no":
        return "ja" if value else "nee"
    if shows == "per_person":
        return _join(f"{names.get(pid, pid)}: {count:g}" for pid, count in value.items())
    if shows == "per_problem":
        found = [
            f"{codes.PROBLEMS.get(code, code)}: {_join(_names(ids, names))}"
            for code, ids in value.items()
            if ids
        ]
        return "; ".join(found) or "geen"
    return str(value)


def _plain(value):
    """A fact's value as JSON-able data (sets sorted)."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item or item == 0}
    return value


def _used(rule, name, value):
    """A fact as the signal reports it (and its fingerprint counts it): for a set the
    rule tests for codes, only those codes and whether they are in it, so a dismissal
    does not come back when something the rule does not ask about changes."""
    asked = rule.asked.get(name)
    if asked and isinstance(value, set):
        return {code: code in value for code in asked}
    return _plain(value)


def fingerprint(rule, used):
    data = json.dumps([rule.id, rule.version, used], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


CODE_TABLES = {"problems": codes.PROBLEMS, "partners": codes.PARTNERS, "acute": ACUTE}


def _evidence(rule, name, value, names):
    """One fact as evidence. A set the condition asks about by code (``'housing' in
    family_problems``) shows just those codes, with yes or no; anything else in full."""
    fact = FACTS[name]
    table = CODE_TABLES.get(fact.shows)
    asked = rule.asked.get(name, ()) if table else ()
    if asked:
        found = ", ".join(
            f"{table.get(code, code).split(' (')[0]} {'ja' if code in value else 'nee'}"
            for code in asked
        )
        return f"{fact.label}: {found}"
    return f"{fact.label}: {show_value(name, value, names)}"


def about_children(rule, facts, persons, names):
    """ "Dit gaat over Noor.": which index child a signal is about, said only when the
    family has several index children and the rule names the children (``children``)."""
    if rule.children is None or len(facts.get("index_children", ())) < 2:
        return ""
    children = list(rule.children.evaluate(facts))
    if not children or set(children) <= set(persons):
        return ""  # the detail names them already
    return f" Dit gaat over {_join(_names(children, names))}."


def explain(rule, facts, persons, names):
    """Dutch: what the rule found (its detail, with the persons, in agreement with how
    many they are), whether the partner is involved but not at the table, then the
    facts read."""
    who = _join(_names(persons, names))
    if rule.detail:
        text = agree(rule.detail, len(persons)).replace("{personen}", who)
        if "{woonplekken}" in text:
            text = text.replace(
                "{woonplekken}", where_they_live(persons, facts.get("residence_of", {}), names)
            )
    else:
        text = rule.title + "."
    text += about_children(rule, facts, persons, names)
    if rule.partner and rule.partner != "informal" and "partners_at_table" in rule.facts_used:
        involved = rule.partner in facts.get("partners_present", ())
        text = f"{text} {at_table_sentence(rule.partner, involved)}"
    shown = "; ".join(_evidence(rule, name, facts[name], names) for name in rule.facts_used)
    return f"{text} Gegevens: {shown}." if shown else text


def severity_of(rule, facts):
    """The rule's severity, raised to critical when its ``escalate`` condition holds
    (an acute need: an eviction date, self-harm, violence at home)."""
    if rule.escalate is not None and rule.escalate.matches(facts):
        return "critical"
    return rule.severity


def signal(rule, facts, names):
    """The signal of ``rule`` for ``facts``, or None when it does not fire."""
    if not rule.when.matches(facts):
        return None
    persons = list(rule.persons.evaluate(facts)) if rule.persons else []
    children = list(rule.children.evaluate(facts)) if rule.children else []
    used = {name: _used(rule, name, facts[name]) for name in rule.facts_used}
    return {
        "rule": rule.id,
        "version": rule.version,
        "severity": severity_of(rule, facts),
        "title": rule.title,
        "partner": rule.partner,
        "persons": persons,
        # Added 2026-12 (several index children): the children the signal is about.
        "children": children,
        "explanation": explain(rule, facts, persons, names),
        "facts": used,
        "suggestion": rule.suggestion,
        "rationale": rule.rationale,
        "source": rule.source,
        "fingerprint": fingerprint(rule, {**used, "persons": persons}),
    }


def evaluate(ruleset, facts, names=None):
    """Every signal of the rule set for ``facts``, most severe first, then in file order."""
    names = names or {}
    found = []
    for position, rule in enumerate(ruleset.rules):
        fired = signal(rule, facts, names)
        if fired:
            found.append((SEVERITY_ORDER[fired["severity"]], position, fired))
    return [fired for *_, fired in sorted(found, key=lambda item: item[:2])]
