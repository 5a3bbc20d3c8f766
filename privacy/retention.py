"""Retention of youth-care files: kept at least 20 years after care ends (Jeugdwet 7.3.8).

Pure: dates and statuses in, decisions out. Care ends when a case is closed; the end is
the outcome's date, or else the day the case was closed in Maatwerktafel. While a case
is active the retention period has not started yet; from its closing it runs 20 years,
and during that time a family may only be erased by an admin who gives a reason.
"""

import datetime
from dataclasses import dataclass

RETENTION_YEARS = 20
MIN_REASON_LENGTH = 10


@dataclass(frozen=True)
class ErasureDecision:
    allowed: bool
    retention_until: datetime.date | None
    message: str  # Dutch, for the user
    overridden: bool = False


def care_ended_on(status, outcome_date, closed_at):
    """The day care ended, or None while the case is active."""
    if status != "closed":
        return None
    for value in (outcome_date, closed_at):
        if value:
            return datetime.date.fromisoformat(str(value)[:10])
    return None


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def retention_until(status, outcome_date, closed_at):
    """The last day of the retention period, or None when it has not started."""
    ended = care_ended_on(status, outcome_date, closed_at)
    return None if ended is None else add_years(ended, RETENTION_YEARS)


def decide_erasure(*, status, outcome_date, closed_at, is_admin, reason, today=None):
    """May the family be erased now? An admin with a reason may override retention."""
    today = today or datetime.date.today()
    until = retention_until(status, outcome_date, closed_at)
    if until is None or today > until:
        return ErasureDecision(True, until, "Het gezin kan worden gewist.")
    running = f"De bewaartermijn loopt tot en met {until.isoformat()}."
    if not is_admin:
        return ErasureDecision(
            False, until, running + " Alleen een beheerder kan met een reden toch wissen."
        )
    if not reason or len(reason.strip()) < MIN_REASON_LENGTH:
        return ErasureDecision(
            False,
            until,
            running + f" Geef een reden van minstens {MIN_REASON_LENGTH} tekens om toch te wissen.",
        )
    return ErasureDecision(True, until, running + " Gewist met reden.", overridden=True)
