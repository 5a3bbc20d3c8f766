"""The family page's lists as last rendered, per family version.

The first screen of the family page is mostly the rows of persons, relations and the
network (about 60% of its time). They change only when the case does, and every save
raises the family's version, so the rendered rows are kept per (database, family,
version, day, rows asked) and a changed case is never served stale. Kept a few minutes
at most (and for a few dozen families): an erased family's names leave memory soon.
"""

import datetime
import threading

import cachetools
import flask
from markupsafe import Markup

KEPT_FAMILIES = 64
KEPT_SECONDS = 300

_rows = cachetools.TTLCache(maxsize=KEPT_FAMILIES, ttl=KEPT_SECONDS)
_lock = threading.Lock()


def family_rows(family, context):
    """``cases/_family.html`` rendered with ``context`` (no form open, no notice), from
    what an earlier request of the same family version rendered when there is one."""
    key = (
        flask.current_app.config["DATABASE"],
        family["id"],
        family["version"],
        datetime.date.today(),  # ages and "now" in the rows
        tuple(sorted(context["shown"].items())),  # rows per list ("Meer tonen")
    )
    with _lock:
        html = _rows.get(key)
    if html is None:
        # An autoescaped template rendered it: safe to insert as it is.
        html = Markup(flask.render_template("cases/_family.html", **context))  # noqa: S704
        with _lock:
            _rows[key] = html
    return html


def forget():
    """Drop every kept rendering (tests; an erased family's rows in this process)."""
    with _lock:
        _rows.clear()
