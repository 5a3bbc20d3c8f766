"""Everything the system holds about one family, as one JSON document (AVG art. 15 and 20).

The document has a fixed frame: ``case`` (the exchange format), ``team``, ``consents``
(the whole history), ``access_log`` (every entry about the family), ``exported_at`` and
``exported_by``. Other domains add their own key by registering an exporter, just as
they register an eraser in :mod:`privacy.erasure`::

    @register_exporter("conferences")
    def export_conferences(db, family):
        return [...]

``conferences`` is reserved already and exported as ``[]`` until that domain exists, so
the document's shape does not change when it arrives.
"""

import datetime

from access import store as access_store
from audit import store as audit_store
from cases import store as cases_store
from privacy import store

FORMAT = "family-export/1"

# Keys that later domains fill in; exported empty until they register.
RESERVED = {"conferences": list}
FRAME = ("format", "case", "team", "consents", "access_log", "exported_at", "exported_by")

EXPORTERS = {}


def register_exporter(key):
    """Register ``function(db, family_row) -> JSON value`` as the export's ``key``."""
    if key in FRAME or key in EXPORTERS:
        raise ValueError(f"export key {key!r} is taken")

    def register(function):
        EXPORTERS[key] = function
        return function

    return register


def _team(db, family_id):
    return [
        {
            "user_id": row["id"],
            "username": row["username"],
            "display_name": row["display_name"],
            "role": row["role"],
            "team_role": row["team_role"],
            "added_at": row["added_at"],
        }
        for row in access_store.team(db, family_id)
    ]


def _consents(db, family_id):
    return [
        {
            "id": row["id"],
            "person_id": row["person_id"],
            "subject": row["subject"],
            "decision": row["decision"],
            "note": row["note"],
            "recorded_at": row["recorded_at"],
            "recorded_by": row["recorded_by_username"],
        }
        for row in store.consents(db, family_id)
    ]


@register_exporter("care_endings")
def _care_endings(db, family):
    # What the retention period runs from (privacy/retention.py), so the family sees it.
    return store.care_endings(db, family["id"])


def build_export(db, family, user, now=None):
    """The export document of a family row, made by ``user`` (a users row or similar)."""
    now = now or datetime.datetime.now(datetime.UTC)
    document = {
        "format": FORMAT,
        "case": cases_store.case_from_row(db, family),
        "team": _team(db, family["id"]),
        "consents": _consents(db, family["id"]),
    }
    for key, empty in RESERVED.items():
        document[key] = empty()
    for key, exporter in EXPORTERS.items():
        document[key] = exporter(db, family)
    # Last, so it holds what the other parts' reading may have logged.
    document["access_log"] = audit_store.entries(db, family_id=family["id"], limit=None)[::-1]
    document["exported_at"] = now.isoformat(timespec="seconds")
    document["exported_by"] = {
        "id": user["id"],
        "username": user["username"],
        "display_name": user["display_name"],
        "role": user["role"],
    }
    return document


def filename(code, now=None):
    """The download's name: the family code and the day."""
    day = (now or datetime.datetime.now(datetime.UTC)).date().isoformat()
    return f"gezin-{code}-export-{day}.json"
