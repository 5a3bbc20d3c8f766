"""``GET /api/patterns/outcomes``: the outcome table as JSON.

The route joins the JSON API's blueprint (``/api``), so it gets the same token
authentication and JSON errors as ``/api/families``. Project leads and admins only,
as the dashboard (``patterns.views``).
"""

import flask
import flask_login

from cases.api import bp
from core.web import get_db
from patterns import outcomes as o
from patterns import store
from patterns.views import may_see, request_filters
from rules.web import get_ruleset


@bp.get("/patterns/outcomes")
def patterns_outcomes():
    """Per goal: families, successes, rate (and per child); filters as on /patronen."""
    if not may_see(flask_login.current_user):
        return flask.jsonify({"error": "forbidden"}), 403
    filters, error = request_filters()
    if error:
        return flask.jsonify({"error": error}), 400
    records = o.select(store.load_cohort(get_db(), get_ruleset()), filters)
    return flask.jsonify(o.outcomes_document(records, filters))
