"""Template helpers every domain's templates use: ages, Dutch dates. Domains add their own filters
and globals in their ``init_app`` (codes' labels in ``cases``, de-identified library text
in ``library``, role names in ``accounts``)."""

import datetime

from core import htmx, submissions
from core.dates import nl_date, nl_datetime


def age(birth_year, today=None):
    """Age in whole years as far as a birth year tells (this year's birthday may be ahead)."""
    if not isinstance(birth_year, int):
        return None
    return (today or datetime.date.today()).year - birth_year


def register(app):
    app.jinja_env.globals["age"] = age
    # Every date a person reads: ``{{ value|nl_date }}`` -> "4 december 2026".
    app.jinja_env.filters["nl_date"] = nl_date
    app.jinja_env.filters["nl_datetime"] = nl_datetime  # the same with the time (logs)
    # A create form's one-time token: a second submit of it makes nothing new.
    app.jinja_env.globals["form_token"] = submissions.token_field
    # The htmx event names, for templates (``data-refresh-on``) and, through the body's
    # ``data-events``, for static/app.js: one list, in core.htmx.
    app.jinja_env.globals["events"] = {
        "family_changed": htmx.FAMILY_CHANGED,
        "genogram_edited": htmx.GENOGRAM_EDITED,
        "signals_changed": htmx.SIGNALS_CHANGED,
    }
