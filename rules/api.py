"""``GET /api/cases/<code>/flags``: the family's signals as JSON.

The route joins the JSON API's blueprint (``/api``), so it gets the same token
authentication, JSON errors and need-to-know guard as ``/api/families``.
"""

import flask

from cases import store
from cases.api import bp
from core.web import get_db
from rules.service import family_signals
from rules.web import get_ruleset


@bp.get("/cases/<code>/flags")
def flags(code):
    """The signals of a family: rule, severity, title, partner, persons, explanation, ..."""
    db = get_db()
    family, case = store.load_family(db, code)
    if family is None:
        flask.abort(404)
    return flask.jsonify(family_signals(db, get_ruleset(), family, case))
