"""Template helpers: Dutch labels for codes, ages, role names."""

import datetime

import markupsafe

from accounts.roles import ROLES
from cases import codes
from library.display import readable, segments

CODE_TABLES = {
    "goal": codes.GOALS,
    "status": codes.STATUSES,
    "sex": codes.SEXES,
    "problem": codes.PROBLEMS,
    "partner": codes.PARTNERS,
    "residence": codes.RESIDENCES,
    "relation": codes.RELATION_KINDS,
    "couple": codes.COUPLE_STATUSES,
    "parent": codes.PARENT_TYPES,
    "emotional": codes.EMOTIONAL_QUALITIES,
    "strength": codes.TIE_STRENGTHS,
    "flow": codes.TIE_FLOWS,
    "outcome": codes.SOLUTION_OUTCOMES,
}


def label(code, table):
    """The Dutch label of ``code`` in one of the code tables; the code itself if unknown."""
    if code is None:
        return ""
    return CODE_TABLES[table].get(code, code)


def age(birth_year, today=None):
    """Age in whole years as far as a birth year tells (this year's birthday may be ahead)."""
    if not isinstance(birth_year, int):
        return None
    return (today or datetime.date.today()).year - birth_year


def register(app):
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["deidentified"] = deidentified
    app.jinja_env.filters["deidentified_text"] = readable
    app.jinja_env.globals["age"] = age
    app.jinja_env.globals["codes"] = codes
    app.jinja_env.globals["role_label"] = lambda role: ROLES.get(role, role)


def deidentified(text, tags=None):
    """Library text with its tags shown as marked words (see ``library.display``)."""
    parts = []
    for part, tag in segments(text or "", tags):
        if tag is None:
            parts.append(markupsafe.escape(part))
        else:
            parts.append(
                markupsafe.Markup(
                    '<span class="redacted" title="Geanonimiseerd ([{}])">{}</span>'
                ).format(tag, part)
            )
    return markupsafe.Markup("").join(parts)
