"""Write and read the access log (every function takes ``db`` first).

There is deliberately no function that changes or deletes an entry; appending goes
through the hash chain (:mod:`audit.chain`).
"""

import datetime

from audit import batch, chain
from core import csvfile
from core.clock import utc_now

EVENTS = {
    "read": "ingezien",
    "change": "gewijzigd",
    "create": "aangemaakt",
    "erase": "gewist",
    "export": "geëxporteerd",
    "print": "afgedrukt",
    "search": "gezocht",
    "login": "ingelogd",
    "logout": "uitgelogd",
}
OUTCOMES = {
    "success": "gelukt",
    "denied": "geweigerd",
    "failed": "mislukt",
    "not_found": "niet gevonden",
}
FIELDS = chain.FIELDS


def record(
    db,
    event,
    outcome,
    *,
    family_id=None,
    family_code=None,
    object=None,  # noqa: A002 (NEN 7513 calls it the object)
    user=None,
    on_behalf_of=None,
    access_point=None,
    detail=None,
):
    """Append one entry. ``user`` is a users row (or None for an anonymous attempt)."""
    if event not in EVENTS or outcome not in OUTCOMES:
        raise ValueError(f"unknown event or outcome: {event!r}, {outcome!r}")
    batch.append(
        db,
        {
            "at": utc_now("milliseconds"),
            "event": event,
            "outcome": outcome,
            "family_id": family_id,
            "family_code": family_code,
            "object": object,
            "user_id": user["id"] if user else None,
            "username": user["username"] if user else None,
            "user_role": user["role"] if user else None,
            "on_behalf_of": on_behalf_of,
            "access_point": access_point,
            "detail": detail,
        },
    )


def entries(db, *, family_id=None, user_id=None, since=None, until=None, limit=200, offset=0):
    """Log entries, newest first, filtered by family, user and period (ISO dates)."""
    where, params = [], {}
    if family_id is not None:
        where.append("family_id = :family_id")
        params["family_id"] = family_id
    if user_id is not None:
        where.append("user_id = :user_id")
        params["user_id"] = user_id
    if since:
        where.append("at >= :since")
        params["since"] = since
    if until:
        # An end date includes that whole day; the last day there is has no day after.
        day = datetime.date.fromisoformat(until)
        if day < datetime.date.max:
            where.append("at < :until")
            params["until"] = (day + datetime.timedelta(days=1)).isoformat()
    sql = f"SELECT {', '.join(FIELDS)} FROM access_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT :limit OFFSET :offset"
    params.update(limit=-1 if limit is None else limit, offset=offset)
    return list(db.query(sql, params))


def csv_rows(rows):
    """The entries as CSV rows, in the order of ``FIELDS`` (the header)."""
    return [[row.get(key) for key in FIELDS] for row in rows]


def to_csv(rows):
    """The entries as CSV text, with a header row (formulas neutralised)."""
    return csvfile.to_csv(csv_rows(rows), header=FIELDS)
