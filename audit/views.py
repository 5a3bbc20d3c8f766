"""The access log for admins: view, filter (family, user, period) and export as CSV."""

import datetime

import flask
import flask_login

from accounts import store as accounts_store
from accounts.roles import ADMIN
from audit import store
from audit.hooks import log_event
from cases import store as cases_store
from core import csvfile
from core.web import get_db

bp = flask.Blueprint("audit", __name__, url_prefix="/beheer/toegangslog")

PAGE_SIZE = 100
# The query parameters the page understands; only these go back into its links.
FILTER_ARGS = ("gezin", "gebruiker", "van", "tot")
# Beyond this the page number is nonsense (and too large for SQLite's integers).
MAX_PAGE = 1_000_000


@bp.before_request
@flask_login.login_required
def require_admin():
    """Only admins read the whole log."""
    if flask_login.current_user.role != ADMIN:
        flask.abort(403)


def _date(text):
    try:
        return datetime.date.fromisoformat(text).isoformat() if text else None
    except ValueError:
        return None


def _filters():
    """The filters from the query string; unusable values give a Dutch message, not an error."""
    args = flask.request.args
    db = get_db()
    problems = []
    filters = {"family_id": None, "user_id": None, "since": None, "until": None}
    code = args.get("gezin", "").strip()
    if code:
        family = cases_store.family_row(db, code)
        if family is None:
            # An erased family's entries stay findable by the code they were logged with.
            rows = list(
                db.query("SELECT family_id FROM access_log WHERE family_code = ? LIMIT 1", [code])
            )
            if rows and rows[0]["family_id"] is not None:
                filters["family_id"] = rows[0]["family_id"]
            else:
                problems.append(f"Geen gezin met code ‘{code}’ in het log.")
                filters["family_id"] = -1
        else:
            filters["family_id"] = family["id"]
    username = args.get("gebruiker", "").strip()
    if username:
        user = accounts_store.get_user_by_name(db, username)
        if user is None:
            problems.append(f"Geen gebruiker ‘{username}’.")
            filters["user_id"] = -1
        else:
            filters["user_id"] = user["id"]
    for key, name, label in (("since", "van", "Van"), ("until", "tot", "Tot en met")):
        value = args.get(name, "").strip()
        filters[key] = _date(value)
        if value and filters[key] is None:
            problems.append(f"{label}: geef een datum als jjjj-mm-dd.")
    return filters, problems


def _describe():
    given = {k: v for k, v in flask.request.args.items() if v and k != "pagina"}
    return " ".join(f"{k}={v!r}" for k, v in sorted(given.items()))[:500] or None


@bp.get("/")
def index():
    """The log, newest first, filtered."""
    filters, problems = _filters()
    page = min(MAX_PAGE, max(1, flask.request.args.get("pagina", 1, type=int) or 1))
    rows = store.entries(get_db(), limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE, **filters)
    log_event("read", "success", object="access log", detail=_describe())
    return flask.render_template(
        "audit/index.html",
        rows=rows[:PAGE_SIZE],
        has_next=len(rows) > PAGE_SIZE,
        page=page,
        problems=problems,
        # Not request.args itself: its keys become url_for arguments in the template,
        # and a parameter called "endpoint" or "_external" must not reach that.
        args={key: flask.request.args[key] for key in FILTER_ARGS if key in flask.request.args},
        events=store.EVENTS,
        outcomes=store.OUTCOMES,
    )


@bp.get("/export.csv")
def export():
    """The filtered log as CSV."""
    filters, problems = _filters()
    if problems:
        return flask.Response(" ".join(problems), status=422, mimetype="text/plain")
    rows = store.entries(get_db(), limit=None, **filters)
    log_event("export", "success", object="access log", detail=_describe())
    stamp = datetime.date.today().isoformat()
    return csvfile.csv_response(
        f"toegangslog-{stamp}.csv", store.csv_rows(rows), header=store.FIELDS
    )
