"""Erase a family completely: its rows and everything derived from it elsewhere.

The database cascades from the family row to persons, relations, network, solutions,
team, consents and the recorded ends of care. What other domains keep outside those
tables (the finder's index, de-identified library text) registers an eraser here, so
erasure reaches it too. The access log is kept: it is the record that the erasure
happened.

Whether a family may be erased now is decided here, once, for every path (the erase
page, the API's DELETE): :func:`erase_family` decides again inside its own write
transaction, so a family closed by someone else a moment earlier is not erased on a
decision taken before.
"""

from core import submissions
from privacy import retention
from privacy import store as privacy_store

ERASERS = []
DESCRIPTIONS = {}


class RetentionRunning(Exception):
    """The retention period forbids this erasure; ``decision`` says why (in Dutch)."""

    def __init__(self, decision):
        self.decision = decision
        super().__init__(decision.message)


def register_eraser(function=None, *, description=None):
    """Register ``function(db, family_id, code)``, which removes what its domain derived
    from a family. ``description`` says in Dutch what that is, for the erase page::

        @register_eraser(description="de zoekindex van vergelijkbare casussen")
        def erase_from_index(db, family_id, code): ...
    """

    def register(function):
        ERASERS.append(function)
        DESCRIPTIONS[function] = description or function.__qualname__
        return function

    return register if function is None else register(function)


def described_erasers():
    """What each registered eraser removes, in Dutch, for the page that asks to confirm."""
    return [DESCRIPTIONS.get(function, function.__qualname__) for function in ERASERS]


def decide(db, family_id, *, is_admin, reason=None):
    """May this family be erased now, by this user, with this reason?"""
    return retention.decide_erasure(
        care=privacy_store.care_ended(db, family_id), is_admin=is_admin, reason=reason
    )


def erase_family(db, family_id, code, *, is_admin=False, reason=None):
    """Delete the family and run every registered eraser, in one transaction.

    Raises :class:`RetentionRunning` (and erases nothing) while the retention period
    forbids it; returns the decision otherwise.
    """
    with db.atomic():
        decision = decide(db, family_id, is_admin=is_admin, reason=reason)
        if not decision.allowed:
            raise RetentionRunning(decision)
        for eraser in ERASERS:
            eraser(db, family_id, code)
        db.execute("DELETE FROM families WHERE id = ?", [family_id])
    return decision


@register_eraser(description="de bewijzen van verstuurde formulieren (tegen dubbel opslaan)")
def erase_form_submissions(db, family_id, code):
    submissions.forget(db, f"/gezinnen/{code}/", code)
