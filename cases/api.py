"""The JSON API: families in the exchange format (``case/1``)."""

import hashlib

import flask
import flask_login
from flask_wtf.csrf import CSRFError

from access import policy
from access import store as access_store
from access.policy import TEAM_FACILITATOR
from access.scope import family_scope
from accounts.login import LOGIN_REQUIRED
from accounts.roles import ADMIN
from audit.hooks import log_event
from cases import store
from cases.validation import CaseFormatError
from core import jsontext, submissions
from core.htmx import current_family
from core.web import get_db
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


def json_body(*, optional=False):
    """The request's JSON body, for every endpoint of the API that reads one.

    400 with a precise message when it is not JSON, nests deeper than
    ``jsontext.MAX_DEPTH`` levels or is not UTF-8; 413 above ``MAX_CONTENT_LENGTH``.
    ``optional``: a request without a JSON body gives None.
    """
    request = flask.request
    if optional and (not request.is_json or not request.content_length):
        return None
    if not request.is_json:
        flask.abort(400, description="the body must be JSON (Content-Type: application/json)")
    try:
        return jsontext.loads(request.get_data(cache=True))
    except jsontext.JsonError as error:
        flask.abort(400, description=f"the body is not usable JSON: {error}")


def _invalid(error):
    return _error(422, "the case breaks the exchange format", [str(i) for i in error.issues])


# Lost updates: a client changes or erases a family only by naming the version it read.
# The ETag is strong and opaque: the version, and a digest of the family's id and
# creation time, so a tag of an erased family never matches one made later with the
# same code.


def etag(family):
    """The ETag of a family row (quoted, as in the header)."""
    identity = hashlib.sha256(f"{family['id']}:{family['created_at']}".encode()).hexdigest()
    return f'"v{family["version"]}-{identity[:12]}"'


def _stale(family):
    """412, with the current ETag (header and body) to start again from."""
    if family is None:
        flask.abort(404)  # erased in the meantime
    response = flask.jsonify(
        {
            "error": "precondition failed: the family changed since the ETag you sent "
            "(If-Match); GET it again and make your change on the current version",
            "etag": etag(family),
        }
    )
    response.headers["ETag"] = etag(family)
    return response, 412


def _precondition(family):
    """None when the request's If-Match names the family's current ETag, else the answer.

    Required (428) on every change and erasure; ``If-Match: *`` is refused as well: it
    says only "whatever is there now", which is exactly the lost update to prevent.
    """
    header = flask.request.headers.get("If-Match")
    if header is None:
        return _error(
            428,
            "precondition required: send If-Match with the ETag of GET "
            f"/api/families/{family['code']}, so that a newer change is not overwritten",
        )
    if flask.request.if_match.star_tag:
        return _error(
            428,
            "precondition required: If-Match: * does not protect a newer change; "
            "send the family's ETag",
        )
    if not flask.request.if_match.contains_raw(etag(family)):
        return _stale(family)
    return None


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
    family, case = store.load_family(get_db(), code)
    if case is None:
        flask.abort(404)
    response = flask.jsonify(case)
    response.headers["ETag"] = etag(family)
    return response


@bp.post("/families")
def create():
    """Create a family (or several, from a list); 409 when a code exists.

    Admins and facilitators may create; the creator becomes the family's facilitator.
    """
    user = flask_login.current_user
    if not policy.may_create_family(user.role):
        log_event("create", "denied", object="api families")
        return _error(403, "forbidden: only facilitators and admins create families")
    data = json_body()
    db = get_db()
    key = flask.request.headers.get(submissions.HEADER)
    if key is not None and submissions.valid(key) is None:
        return _error(400, f"{submissions.HEADER} must be 16 to 64 letters, digits, - or _")
    # The same key with the same body (a retry): the families the first request made.
    body = hashlib.sha256(flask.request.get_data(cache=True)).hexdigest()
    scope = f"{flask.request.path} {body}"

    def make():
        with db.atomic():  # the families and their log entries commit together
            made = store.import_cases(db, data)
            for code in made:
                family = store.family_row(db, code)
                access_store.add_member(db, family["id"], user.id, TEAM_FACILITATOR, user.id)
                log_event("create", "success", family=family, object="family")
        return made

    try:
        codes, _ = submissions.once(db, key, user.id, scope, make)
    except CaseFormatError as error:
        log_event("create", "failed", object="api families", detail=f"{len(error.issues)} problems")
        return _invalid(error)
    except store.CaseExists as error:
        log_event("create", "failed", object="api families", detail="code exists")
        return _error(409, "case code already exists: " + ", ".join(error.codes))
    if isinstance(data, dict):
        family, case = store.load_family(get_db(), codes[0])
        if family is None:  # a retry after the family was erased
            flask.abort(404)
        response = flask.jsonify(case)
        response.status_code = 201
        response.headers["Location"] = flask.url_for("api.show", code=codes[0])
        response.headers["ETag"] = etag(family)
        return response
    return flask.jsonify({"created": codes}), 201


@bp.put("/families/<code>")
def update(code):
    """Replace a family wholly; the body's code must match the URL.

    Only with ``If-Match`` naming the current ETag (428 without, 412 when stale); the
    version is compared again inside the write's transaction.
    """
    family = store.family_row(get_db(), code)
    if family is None:
        flask.abort(404)
    refused = _precondition(family)
    if refused:
        return refused
    data = json_body()
    if not isinstance(data, dict):
        return _error(422, "the case breaks the exchange format", ["expected one case object"])
    if data.get("code") != code:
        return _error(
            422, "the case breaks the exchange format", [f"code: must be {code!r}, as in the URL"]
        )
    try:
        store.save_case(get_db(), data, expected_version=family["version"])
    except CaseFormatError as error:
        return _invalid(error)
    except store.StaleVersion:
        return _stale(store.family_row(get_db(), code))
    except store.CaseNotFound:
        flask.abort(404)
    family, case = store.load_family(get_db(), code)
    response = flask.jsonify(case)
    response.headers["ETag"] = etag(family)
    return response


@bp.delete("/families/<code>")
def delete(code):
    """Erase a family and everything derived from it.

    While the retention period runs (20 years after the recorded end of care, which
    reopening or an earlier outcome date does not move: ``privacy.retention``) only an
    admin may erase, giving a reason (``?reason=...`` or ``{"reason": ...}``), which the
    access log keeps.
    """
    family = current_family()
    if family is None:
        flask.abort(404)
    refused = _precondition(family)
    if refused:
        return refused
    body = json_body(optional=True)
    reason = flask.request.args.get("reason") or (
        body.get("reason") if isinstance(body, dict) else None
    )
    reason = reason if isinstance(reason, str) else None
    is_admin = flask_login.current_user.role == ADMIN
    flask.g.audit_detail = f"reason: {reason}" if reason else None
    db = get_db()
    try:
        with db.atomic():
            # The version the client named must still be the stored one when the
            # erasure writes; the retention rule is decided again inside it too.
            current = store.family_row(db, code)
            if current is None or current["id"] != family["id"]:
                flask.abort(404)
            if current["version"] != family["version"]:
                raise store.StaleVersion(current["version"])
            erasure.erase_family(db, family["id"], code, is_admin=is_admin, reason=reason)
    except store.StaleVersion:
        return _stale(store.family_row(db, code))
    except erasure.RetentionRunning as refused:
        return _error(409, _retention_refusal(refused.decision))
    return "", 204


def _retention_refusal(decision):
    care = decision.care
    ended = f"care first ended on {care.first}"
    if care.last != care.first:
        ended += f", last on {care.last}"
    return (
        f"retention period runs until {decision.retention_until} ({ended}; reopening the "
        "family or changing its outcome date does not shorten it): only an admin may "
        f"erase, with a reason of at least {retention.MIN_REASON_LENGTH} characters "
        "(?reason=...)"
    )
