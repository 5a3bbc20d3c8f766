"""How much of a family's long lists the family page shows at once (pure).

A family imported from GEDCOM may hold 10,000 persons; the page shows the first
``PAGE_SIZE`` rows of each list and a "Meer tonen" that loads the next page, so a
large family cannot make every page view slow.
"""

PAGE_SIZE = 50

# The lists that page, by the key their "Meer tonen" and the page's query use.
PERSONS = "personen"
NETWORK = "netwerk"
RELATION_LISTS = {
    "couple": "partners",
    "parent": "ouders-kinderen",
    "emotional": "emotionele-banden",
}
LIST_KEYS = (PERSONS, *RELATION_LISTS.values(), NETWORK)


def rows_shown(total, *, asked=None, keep=()):
    """How many rows from the top of a list of ``total`` rows to show.

    One page; or ``asked`` rows (where a "Meer tonen" without JavaScript leads); and at
    least up to the end of the page that holds each position in ``keep`` (rows that
    must show: an open form, a notice, the row that gets the focus).
    """
    count = PAGE_SIZE
    if isinstance(asked, int) and asked > count:
        count = asked
    for position in keep:
        if position >= count:
            count = (position // PAGE_SIZE + 1) * PAGE_SIZE
    return min(count, total)


def next_page(total, start):
    """The rows ``start`` to the end of that page, and where the page after it starts
    (None at the end): ``(start, end, next_start)``."""
    start = min(max(start, 0), total)
    end = min(start + PAGE_SIZE, total)
    return start, end, (end if end < total else None)


def relation_rows(relations):
    """``{kind: [(index in relations, relation), ...]}`` for the page's relation groups."""
    rows = {kind: [] for kind in RELATION_LISTS}
    for index, relation in enumerate(relations):
        rows.setdefault(relation["kind"], []).append((index, relation))
    return rows
