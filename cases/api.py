"""The JSON API: families in the exchange format (``case/1``)."""

import flask
import flask_login
from flask_wtf.csrf import CSRFError

from cases import store
from cases.validation import CaseFormatError
from core.web import get_db

bp = flask.Blueprint("api", __name__, url_prefix="/api")

LOGIN_REQUIRED = "authentication required: log in or send 'Authorization: Bearer <token>'"


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
    """List families: code, title, goal, status, region, started."""
    args = flask.request.args
    rows = store.list_families(
        get_db(),
        search=args.get("q"),
        goal=args.get("goal"),
        region=args.get("region"),
        status=args.get("status"),
        limit=None,
    )
    fields = ("code", "title", "goal", "status", "region", "started")
    return flask.jsonify([{key: row[key] for key in fields} for row in rows])


@bp.get("/families/<code>")
def show(code):
    """One family in the exchange format."""
    case = store.load_case(get_db(), code)
    if case is None:
        flask.abort(404)
    return flask.jsonify(case)


@bp.post("/families")
def create():
    """Create a family (or several, from a list); 409 when a code exists."""
    data = _json_body()
    try:
        codes = store.import_cases(get_db(), data)
    except CaseFormatError as error:
        return _invalid(error)
    except store.CaseExists as error:
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
    """Delete a family and everything under it."""
    if not store.delete_case(get_db(), code):
        flask.abort(404)
    return "", 204
