"""Dates as a Dutch reader reads them: ``4 december 2026``. One format everywhere a person
reads a date (pages, report, PDF); machine-readable values (``datetime`` attributes, CSV,
the JSON API, form fields) stay ISO. Babel is not a dependency: twelve month names are."""

import datetime

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    LOCAL = ZoneInfo("Europe/Amsterdam")
except (ImportError, ZoneInfoNotFoundError):  # pragma: no cover (no tz database)
    LOCAL = datetime.UTC

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
)  # fmt: skip


def as_date(value):
    """A date from a ``date``, a ``datetime`` or an ISO text; a timestamp with a time zone
    (the log's UTC) counts by its day in the Netherlands. None when there is none."""
    if isinstance(value, str) and len(value.strip()) > 10:
        try:
            value = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(LOCAL).date() if value.tzinfo else value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        return None


def nl_date(value):
    """``2019-05-01`` (or a date, or a timestamp) -> ``1 mei 2019``; anything that is not a
    date is shown as it is, nothing as the empty text."""
    day = as_date(value) if value not in (None, "") else None
    if day is None:
        return "" if value is None else str(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def nl_datetime(value):
    """A log timestamp (UTC ISO) -> ``5 december 2026 12:31`` in Dutch time; a plain date
    as :func:`nl_date`; anything else as it is."""
    if isinstance(value, str) and len(value.strip()) > 10:
        try:
            value = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    if not isinstance(value, datetime.datetime):
        return nl_date(value)
    local = value.astimezone(LOCAL) if value.tzinfo else value
    return f"{nl_date(local.date())} {local:%H:%M}"
