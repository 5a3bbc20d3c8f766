"""What a conference holds and the checks on it. Pure: no Flask, no database.

Notes are the short texts the meeting produces, by kind (the child's three houses, the
three columns, ideas). Decisions are actions with more to them (who keeps the lead, when
to evaluate, what if it goes differently). Every editable thing carries a version: an
edit made on an older version is refused (:class:`StaleEdit`), never silently applied.
"""

import datetime

from core.dates import nl_date
from core.text import control_character

NOTE_KINDS = {
    "child_worry": "Zorgen van het kind",
    "child_good": "Goede dingen",
    "child_dream": "Dromen",
    "worry": "Zorgen",
    "going_well": "Wat goed gaat",
    "needs": "Wat moet er gebeuren",
    "idea": "Ideeën",
}
STEP_NOTES = {
    "child": ("child_worry", "child_good", "child_dream"),
    "worries": ("worry", "going_well", "needs"),
    "ideas": ("idea",),
}
MAX_NOTE = 500
CONTROL_MESSAGE = "Deze tekst bevat een onzichtbaar stuurteken; verwijder het."
MAX_NAME = 120
MAX_TEXT = 2000
SCALE = range(0, 11)


class ConferenceError(ValueError):
    """Input that cannot be stored; ``problems`` maps a field to a Dutch message."""

    def __init__(self, problems):
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


class StaleEdit(ConferenceError):
    """The thing was changed by someone else since it was loaded."""

    def __init__(self, current=None):
        self.current = current
        super().__init__(
            {"version": "Iemand anders heeft dit intussen gewijzigd. Je wijziging is niet "
             "opgeslagen; hieronder staat de huidige tekst."}
        )  # fmt: skip


def _text(value, limit, field, message, problems, *, required=True):
    value = " ".join((value or "").split())
    if control_character(value):
        problems[field] = CONTROL_MESSAGE
    elif required and not value:
        problems[field] = message
    elif len(value) > limit:
        problems[field] = f"Hooguit {limit} tekens."
    return value


def _date(value, field, problems, *, required=False):
    value = (value or "").strip()
    if not value:
        if required:
            problems[field] = "Vul een datum in."
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        problems[field] = "Vul een datum in als 2026-12-31."
        return None


def check_note(kind, text):
    problems = {}
    if kind not in NOTE_KINDS:
        problems["kind"] = "Kies wat voor notitie dit is."
    text = _text(text, MAX_NOTE, "text", "Typ eerst iets.", problems)
    if problems:
        raise ConferenceError(problems)
    return {"kind": kind, "text": text}


def check_scale(value):
    """A 0-10 scale value from a form (text), or ConferenceError."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number not in SCALE:
        raise ConferenceError({"score": "Kies een cijfer van 0 tot en met 10."})
    return number


def check_participant(name, role, partner, present, in_team, partners):
    problems = {}
    name = _text(name, MAX_NAME, "name", "Vul een naam in.", problems)
    role = _text(role, MAX_NAME, "role", "", problems, required=False) or None
    partner = (partner or "").strip() or None
    if partner and partner not in partners:
        problems["partner"] = "Kies een partner uit de lijst."
    if problems:
        raise ConferenceError(problems)
    return {"name": name, "role": role, "partner": partner,
            "present": bool(present), "in_team": bool(in_team)}  # fmt: skip


def check_decision(values):
    """What, who, by when, who keeps the lead, when to evaluate, what if it goes
    differently: the decision as stored, or ConferenceError per field."""
    problems = {}
    decision = {
        "title": _text(values.get("title"), 300, "title", "Vul in wat er gebeurt.", problems),
        "owner": _text(values.get("owner"), MAX_NAME, "owner", "Vul in wie het doet.", problems),
        "due": _date(values.get("due"), "due", problems),
        "lead": _text(values.get("lead"), MAX_NAME, "lead", "", problems, required=False)
        or None,
        "evaluate_on": _date(values.get("evaluate_on"), "evaluate_on", problems),
        "fallback": _text(values.get("fallback"), MAX_NOTE, "fallback", "", problems,
                          required=False) or None,
    }  # fmt: skip
    if problems:
        raise ConferenceError(problems)
    return decision


def check_goal(text):
    problems = {}
    text = _text(text, MAX_NOTE, "goal", "Vul het doel in, in de woorden van de ouder.", problems)
    if problems:
        raise ConferenceError(problems)
    return text


def check_closing(summary, next_date):
    problems = {}
    summary = _text(summary, MAX_TEXT, "summary", "", problems, required=False) or None
    next_date = _date(next_date, "next_date", problems)
    if problems:
        raise ConferenceError(problems)
    return {"summary": summary, "next_date": next_date}


def check_version(current, expected):
    """Refuse an edit made on another version than the current one."""
    try:
        expected = int(expected)
    except (TypeError, ValueError):
        expected = None
    if expected != current:
        raise StaleEdit()


def is_overdue(action, today):
    """An open action whose due date has passed."""
    return bool(action["status"] == "open" and action["due"] and action["due"] < today.isoformat())


def carry_over(actions, today):
    """The open actions a conference opens with, oldest due first, marked overdue."""
    still_open = [dict(a) for a in actions if a["status"] == "open"]
    for action in still_open:
        action["overdue"] = is_overdue(action, today)
    return sorted(still_open, key=lambda a: (a["due"] is None, a["due"] or "", a["id"]))


def goal_history(scores, conference):
    """One goal's scores seen from ``conference``: ``(earlier, current, change)``.

    ``earlier`` is ``[(held_on, score)]`` of the conferences held before this one, oldest
    first; this conference's own score is ``current`` (None while not scored), never part
    of the history; ``change`` is current minus the first earlier score (None without
    both). Scores of later conferences are not this conference's history either.
    """
    here = (conference["held_on"], conference["id"])
    earlier = [
        (s["held_on"], s["score"])
        for s in sorted(scores, key=lambda s: (s["held_on"], s["conference_id"]))
        if (s["held_on"], s["conference_id"]) < here
    ]
    current = next((s["score"] for s in scores if s["conference_id"] == conference["id"]), None)
    change = current - earlier[0][1] if earlier and current is not None else None
    return earlier, current, change


def consent_sentence(status, conference):
    """What the opening and the report say about consent: one sentence, true after
    consent was recorded at the table.

    ``status`` is the consent register's state for the conference (privacy.consent):
    recording consent at the table writes to that register, so it is the one truth, and
    the conference only adds when and that it happened at the table.
    """
    if status.allowed and conference.get("consent_at"):
        return (
            f"{status.message[:-1]} (aan tafel vastgelegd op {nl_date(conference['consent_at'])})."
        )
    return status.message


def consent_note(held_on, note):
    """The register's note for consent given at the table of the conference held on
    ``held_on``, with the facilitator's own note after it."""
    text = f"Aan tafel gegeven in het overleg van {nl_date(held_on)}."
    return f"{text} {note}" if note else text
