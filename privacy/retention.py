"""Retention of youth-care files: kept at least 20 years after care ends (Jeugdwet 7.3.8).

Pure: recorded ends of care in, decisions out.

Which day counts as the end of care. The period must follow from what happened, not
from fields anyone on the team may edit: a facilitator could reopen a closed case, or
move its outcome date back to 1990, and so make a file erasable that the law says must
be kept. So the end of care is *recorded*, apart from the case, in privacy's own
``care_endings`` table (see ``privacy/migrations.py``), by database triggers on the
families table: every path that saves a family (web forms, API, ``cases import``, demo,
GEDCOM) records it in the same transaction, and none can forget it. A recorded end is
never changed or removed while the family exists; only erasing the family removes it.

The rule, as a privacy officer would want it (when in doubt keep longer: erasure cannot
be undone, a period that is too long can be ended early by an admin with a reason):

- Each time a case becomes closed (created closed, or active -> closed), an end of care
  is recorded: the later of the outcome date given then and the day the app saw the
  closing. A typed date is a claim; the day the app saw it closed is a fact. So an
  outcome date in the past never starts the period earlier than the closing itself.
- While the case stays closed, an outcome date moved later than every recorded end is
  recorded as a later end (care went on longer); moved earlier, it changes nothing.
- Reopening records nothing and removes nothing: the period keeps running from the end
  already recorded, and only an admin with a reason may erase inside it.
- The period runs 20 years from the *latest* recorded end. A case closed again after a
  reopening had later care, and the law counts from the end of care; recorded ends only
  ever get added, so the period can grow but never shrink.
- Families that were closed before this record existed got one from the latest day the
  old data shows (outcome date, closing day, last change): the longest reading.
- A family that was never closed has no period yet (care is still running): as before.
"""

import datetime
from dataclasses import dataclass

from core.dates import nl_date

RETENTION_YEARS = 20
MIN_REASON_LENGTH = 10


@dataclass(frozen=True)
class CareEnded:
    """The recorded ends of a family's care: the first and the latest."""

    first: datetime.date
    last: datetime.date


@dataclass(frozen=True)
class ErasureDecision:
    allowed: bool
    retention_until: datetime.date | None
    message: str  # Dutch, for the user
    overridden: bool = False
    care: CareEnded | None = None


def current_day():
    """Today, as the decision sees it (one place, so tests can move the clock)."""
    return datetime.date.today()


def dutch_day(day):
    """``2044-01-15`` -> ``15 januari 2044`` (the app's one Dutch date format)."""
    return nl_date(day)


def care_ended(days):
    """:class:`CareEnded` from the recorded days (ISO text or dates), or None when none."""
    parsed = [datetime.date.fromisoformat(str(day)[:10]) for day in days if day]
    return CareEnded(min(parsed), max(parsed)) if parsed else None


def add_years(day, years):
    if day.year + years > datetime.MAXYEAR:  # an outcome date typed as 9999-12-31
        return datetime.date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def retention_until(care):
    """The last day of the retention period, or None while care has never ended."""
    return None if care is None else add_years(care.last, RETENTION_YEARS)


def describe(care):
    """The period in one Dutch sentence, for the erase page and its refusals."""
    until = retention_until(care)
    sentence = (
        f"De bewaartermijn loopt tot en met {dutch_day(until)}: de hulp eindigde voor het"
        f" eerst op {dutch_day(care.first)}"
    )
    if care.last != care.first:
        sentence += f" en het laatst op {dutch_day(care.last)}"
    return sentence + "."


def decide_erasure(*, care, is_admin, reason, today=None):
    """May the family be erased now? An admin with a reason may override retention.

    ``care`` is the family's :class:`CareEnded` (None: care never ended). What the case
    says today (status, outcome date) plays no part: see the module docstring.
    """
    today = today or current_day()
    until = retention_until(care)
    if until is None or today > until:
        return ErasureDecision(True, until, "Het gezin kan worden gewist.", care=care)
    running = describe(care)
    if not is_admin:
        return ErasureDecision(
            False,
            until,
            running + " Alleen een beheerder kan met een reden toch wissen.",
            care=care,
        )
    if not reason or len(reason.strip()) < MIN_REASON_LENGTH:
        return ErasureDecision(
            False,
            until,
            running + f" Geef een reden van minstens {MIN_REASON_LENGTH} tekens om toch te wissen.",
            care=care,
        )
    return ErasureDecision(True, until, running + " Gewist met reden.", overridden=True, care=care)
