"""Erase a family completely: its rows and everything derived from it elsewhere.

The database cascades from the family row to persons, relations, network, solutions,
team and consents. What other domains keep outside those tables (the finder's index,
de-identified library text) registers an eraser here, so erasure reaches it too.
The access log is kept: it is the record that the erasure happened.
"""

ERASERS = []
DESCRIPTIONS = {}


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


def erase_family(db, family_id, code):
    """Delete the family and run every registered eraser, in one transaction."""
    with db.atomic():
        for eraser in ERASERS:
            eraser(db, family_id, code)
        db.execute("DELETE FROM families WHERE id = ?", [family_id])
