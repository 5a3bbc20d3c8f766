"""The family's own overview of who looked at its file: pure helpers, no Flask, no db.

The log keeps UTC; a family reads Dutch time, and a period "van 1 mei tot 3 mei" means
whole Dutch days, so the period is turned into UTC bounds here.
"""

import datetime
from dataclasses import dataclass

from core.dates import LOCAL, MONTHS
from privacy.consent import DECISIONS, SUBJECTS

# What the parts of the app are called for a family reading its log (endpoint -> Dutch).
OBJECTS = {
    "cases.show": "gezinspagina",
    "cases.situation": "situatie",
    "cases.edit_situation": "situatie (formulier)",
    "cases.update_situation": "situatie",
    "cases.family_block": "gezin en netwerk",
    "cases.new_person": "nieuwe persoon (formulier)",
    "cases.create_person": "nieuwe persoon",
    "cases.person": "persoon",
    "cases.edit_person": "persoon (formulier)",
    "cases.update_person": "persoon",
    "cases.delete_person": "persoon verwijderd",
    "cases.relations": "relaties",
    "cases.relation": "relatie",
    "cases.network": "netwerk",
    "cases.member": "netwerklid",
    "cases.tie": "band in het netwerk",
    "api.show": "gezin (API)",
    "api.update": "gezin (API)",
    "api.delete": "gezin (API)",
    "privacy.add_member": "team",
    "privacy.update_member": "team",
    "privacy.remove_member": "team",
    "privacy.record_consent": "instemming",
    "privacy.export_family": "volledige export",
    "privacy.erase_page": "wissen (uitleg)",
    "privacy.erase": "wissen",
    "privacy.overview_page": "inzageoverzicht",
    "privacy.overview_csv": "inzageoverzicht (CSV)",
    # objects the privacy views name themselves
    "team": "team",
    "instemming": "instemming",
    "inzageoverzicht": "inzageoverzicht",
}
KEYWORDS = (
    ("placement", "plaatsing"),
    ("relation", "relatie"),
    ("tie", "band in het netwerk"),
    ("member", "netwerklid"),
    ("person", "persoon"),
    ("situation", "situatie"),
)


# Codes that the privacy views put in an entry's object or detail, in Dutch.
WORDS = {**SUBJECTS, **DECISIONS}


class PeriodError(ValueError):
    """A period that cannot be used; the message is Dutch."""


@dataclass(frozen=True)
class Period:
    start: datetime.date | None = None
    end: datetime.date | None = None

    def bounds(self):
        """(since, until) as UTC ISO timestamps: ``since <= at < until``; None is open."""
        since = _utc_midnight(self.start) if self.start else None
        until = _utc_midnight(self.end + datetime.timedelta(days=1)) if self.end else None
        return since, until

    def contains(self, at):
        since, until = self.bounds()
        return (since is None or at >= since) and (until is None or at < until)


def _utc_midnight(day):
    local = datetime.datetime.combine(day, datetime.time(), tzinfo=LOCAL)
    return local.astimezone(datetime.UTC).isoformat(timespec="milliseconds")


def parse_period(start, end):
    """A :class:`Period` from the form's ``van`` and ``tot`` (ISO dates, may be empty)."""
    days = []
    for text, name in ((start, "van"), (end, "tot")):
        text = (text or "").strip()
        if not text:
            days.append(None)
            continue
        try:
            days.append(datetime.date.fromisoformat(text))
        except ValueError:
            raise PeriodError(
                f"De datum bij ‘{name}’ is niet geldig: gebruik bijvoorbeeld 2024-05-31."
            ) from None
    if days[0] and days[1] and days[0] > days[1]:
        raise PeriodError("De begindatum ligt na de einddatum.")
    return Period(*days)


def local_time(at):
    """A log timestamp (UTC ISO) as Dutch date and time: ``3 mei 2024, 14:05:09``."""
    try:
        moment = datetime.datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return at or ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    moment = moment.astimezone(LOCAL)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M:%S}"


def describe_object(object_text, names=None):
    """A log entry's object in words a family understands, with its details kept.

    ``names`` maps the ids of the case (``p1``, ``n2``) to the names the family knows.
    """
    names = names or {}
    if not object_text:
        return ""
    endpoint, _, rest = object_text.partition(" ")
    label = OBJECTS.get(endpoint)
    if label is None and "." in endpoint:
        view = endpoint.split(".", 1)[1]
        label = next((dutch for word, dutch in KEYWORDS if word in view), None)
    if label is None:
        return object_text
    values = (part.partition("=")[2] or part for part in rest.split())
    details = " ".join(names.get(value) or WORDS.get(value, value) for value in values)
    return f"{label} {details}".strip()


def describe_detail(detail):
    """An entry's detail; a bare code the privacy views logged is said in Dutch."""
    return WORDS.get(detail, detail) if detail else ""


def access_point_parts(access_point):
    """(channel, address, browser) of a log entry's access point."""
    parts = (access_point or "").split(" ", 2)
    parts += [""] * (3 - len(parts))
    channel = {"web": "website", "api": "API"}.get(parts[0], parts[0])
    return channel, parts[1], parts[2]
