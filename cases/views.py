"""Family pages: the list with active search, and one family's sections."""

import flask
import flask_login

from cases import codes, store
from core.web import get_db, htmx

bp = flask.Blueprint("cases", __name__, url_prefix="/gezinnen")

# Element ids that the htmx requests target; kept as constants and tested.
ROWS_ID = "family-rows"
SEARCH_ID = "family-search"


@bp.before_request
@flask_login.login_required
def require_login():
    """Every family page needs a logged-in user."""


def _filters():
    args = flask.request.args
    filters = {
        "search": args.get("q", "").strip()[:200],
        "goal": args.get("goal") if args.get("goal") in codes.GOALS else "",
        "status": args.get("status") if args.get("status") in codes.STATUSES else "",
        "region": args.get("region", "").strip()[:120],
    }
    return filters


@bp.get("/")
def index():
    """The family list, with active search and filters (goal, region, status)."""
    filters = _filters()
    db = get_db()
    families = store.list_families(db, **filters)
    context = {"families": families, "filters": filters, "rows_id": ROWS_ID}
    # Only the search box and filters ask for the rows alone; boosted navigation and
    # history restores get the whole page.
    if htmx and htmx.target == ROWS_ID and not htmx.history_restore_request:
        response = flask.make_response(flask.render_template("cases/_rows.html", **context))
    else:
        response = flask.make_response(
            flask.render_template(
                "cases/index.html",
                regions=store.regions(db),
                search_id=SEARCH_ID,
                **context,
            )
        )
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


@bp.get("/<code>")
def show(code):
    """One family: situatie, gezin en netwerk, signalen, vergelijkbare casussen, overleggen."""
    case = store.load_case(get_db(), code)
    if case is None:
        flask.abort(404)
    family = store.family_row(get_db(), code)
    return flask.render_template("cases/show.html", case=case, family=family)
