"""The JSON API: families in the exchange format (``case/1``)."""

import flask
import flask_login
from flask_wtf.csrf import CSRFError

from access import policy
from access import store as access_store
from access.policy import TEAM_FACILITATOR
from access.scope import family_scope
from accounts.roles import ADMIN
from audit.hooks import log_event
from cases import store
from cases.validation import CaseFormatError
from core.web import LOGIN_REQUIRED, get_db
from privacy import erasure, retention

bp = flask.Blueprint("api", __name__, url_prefix="/api")


def _error(status, message, problems=None):
    body = {"error": message}
    if problems is not None:
        body["problems"] = problems
    return flask.jsonify(body), status


@bp.before_request
def require_user():
    # An API answers 401 in JSON rather than redirecting to the login page.
    if not flask_login.current_user.is_authenticated:
        return _error(401, LOGIN_REQUIRED)
    return None


@bp.errorhandler(CSRFError)
def csrf_refused(error):
    flask.g.audit_outcome = "denied"
    # The app checks CSRF before this blueprint checks the user: a caller with neither a
    # session nor a token must hear that it is not logged in, not that a form token is missing.
    if not flask_login.current_user.is_authenticated:
        return _error(401, LOGIN_REQUIRED)
    return _error(400, error.description)


@bp.errorhandler(404)
def not_found(_exception):
    return _error(404, "not found")


@bp.errorhandler(405)
def not_allowed(_exception):
    return _error(405, "method not allowed")


@bp.errorhandler(413)
def too_large(_exception):
    return _error(413, "request body too large")


@bp.errorhandler(400)
def bad_request(error):
    return _error(400, getattr(error, "description", "bad request"))


def _json_body():
    data = flask.request.get_json(silent=True)
    if data is None:
        flask.abort(400, description="the body must be JSON (Content-Type: application/json)")
    return data


def _invalid(error):
    return _error(422, "the case breaks the exchange format", [str(i) for i in error.issues])


@bp.get("/families")
def index():
    """List the families the user may see: code, title, goal, status, region, started."""
    args = flask.request.args
    user = flask_login.current_user
    rows = store.list_families(
        get_db(),
        search=args.get("q"),
        goal=args.get("goal"),
        region=args.get("region"),
        status=args.get("status"),
        limit=None,
        **family_scope(get_db(), user.id, user.role),
    )
    filters = {key: value for key, value in args.items() if value}
    log_event("search", "success", object="api family list", detail=_describe(filters))
    fields = ("code", "title", "goal", "status", "region", "started")
    return flask.jsonify([{key: row[key] for key in fields} for row in rows])


def _describe(filters):
    return " ".join(f"{key}={value!r}" for key, value in sorted(filters.items()))[:500] or None


@bp.get("/families/<code>")
def show(code):
    """One family in the exchange format."""
    case = store.load_case(get_db(), code)
    if case is None:
        flask.abort(404)
    return flask.jsonify(case)


@bp.post("/families")
def create():
    """Create a family (or several, from a list); 409 when a code exists.

    Admins and facilitators may create; the creator becomes the family's facilitator.
    """
    user = flask_login.current_user
    if not policy.may_create_family(user.role):
        log_event("create", "denied", object="api families")
        return _error(403, "forbidden: only facilitators and admins create families")
    data = _json_body()
    db = get_db()
    try:
        with db.atomic():  # the families and their log entries commit together
            codes = store.import_cases(db, data)
            for code in codes:
                family = store.family_row(db, code)
                access_store.add_member(db, family["id"], user.id, TEAM_FACILITATOR, user.id)
                log_event("create", "success", family=family, object="family")
    except CaseFormatError as error:
        log_event("create", "failed", object="api families", detail=f"{len(error.issues)} problems")
        return _invalid(error)
    except store.CaseExists as error:
        log_event("create", "failed", object="api families", detail="code exists")
        return _error(409, "case code already exists: " + ", ".join(error.codes))
    if isinstance(data, dict):
        response = flask.jsonify(store.load_case(get_db(), codes[0]))
        response.status_code = 201
        response.headers["Location"] = flask.url_for("api.show", code=codes[0])
        return response
    return flask.jsonify({"created": codes}), 201


@bp.put("/families/<code>")
def update(code):
    """Replace a family wholly; the body's code must match the URL."""
    data = _json_body()
    if not isinstance(data, dict):
        return _error(422, "the case breaks the exchange format", ["expected one case object"])
    if data.get("code") != code:
        return _error(
            422, "the case breaks the exchange format", [f"code: must be {code!r}, as in the URL"]
        )
    if store.family_row(get_db(), code) is None:
        flask.abort(404)
    try:
        store.save_case(get_db(), data, replace=True)
    except CaseFormatError as error:
        return _invalid(error)
    return flask.jsonify(store.load_case(get_db(), code))


@bp.delete("/families/<code>")
def delete(code):
    """Erase a family and everything derived from it.

    While the retention period runs (20 years after care ended) only an admin may erase,
    giving a reason (``?reason=...`` or ``{"reason": ...}``), which the access log keeps.
    """
    family = flask.g.get("family")
    if family is None:
        flask.abort(404)
    body = flask.request.get_json(silent=True)
    reason = flask.request.args.get("reason") or (
        body.get("reason") if isinstance(body, dict) else None
    )
    user = flask_login.current_user
    decision = retention.decide_erasure(
        status=family["status"],
        outcome_date=family["outcome_date"],
        closed_at=family["closed_at"],
        is_admin=user.role == ADMIN,
        reason=reason if isinstance(reason, str) else None,
    )
    flask.g.audit_detail = f"reason: {reason}" if reason else None
    if not decision.allowed:
        return _error(
            409,
            f"retention period runs until {decision.retention_until}: only an admin may "
            f"erase, with a reason of at least {retention.MIN_REASON_LENGTH} characters "
            "(?reason=...)",
        )
    erasure.erase_family(get_db(), family["id"], code)
    return "", 204
