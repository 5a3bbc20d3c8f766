"""The cohort dashboard (``/patronen``) for project leads and admins.

Who sees it: project leads and admins. Both may see every family in pseudonymised
form (``access.policy.list_scope``): the dashboard shows counts, codes and case titles,
never person names or the families' own texts. Facilitators and professionals get 403:
their view is their own families (a cohort page with case titles would show them
families they are not on the team of); the rule catalogue (``/regels``) gives everyone
the counts of how rules fare.

Filters (region, period on ``started``, goal, status) work as a plain GET form and,
with htmx, replace the dashboard's content in place (``HX-Target`` decides). Every
table has its CSV at ``/patronen/<table>.csv`` with the same filters: plain comma CSV,
or with ``?voor=excel`` semicolons and a byte order mark for Excel with a Dutch locale.
"""

import datetime

import flask
import flask_login

from accounts.roles import ADMIN, PROJECT_LEAD
from audit.hooks import log_event
from cases import codes
from core import csvfile
from core.htmx import vary_on_htmx, wants_fragment
from core.web import get_db, htmx, once_per_form
from patterns import outcomes as o
from patterns import store, tables
from rules.web import get_ruleset

bp = flask.Blueprint("patterns", __name__, url_prefix="/patronen")

ROLES = (PROJECT_LEAD, ADMIN)
CONTENT_ID = "patronen-inhoud"
LEARNED_ID = "wat-we-leren"
# ``?voor=excel`` on a CSV link: semicolons and a byte order mark, what Excel with a
# Dutch locale opens in columns (the first link, as most users here have that).
EXCEL = "excel"
STATUSES = {"active": "lopend", "closed": "afgesloten", "": "alle"}


def may_see(user):
    return user.is_authenticated and user.role in ROLES


@bp.before_request
@flask_login.login_required
def require_project_lead():
    """Project leads and admins only (see the module docstring)."""
    if not may_see(flask_login.current_user):
        flask.abort(403)


def rule_titles():
    return {rule.id: rule.title for rule in get_ruleset().rules}


def request_filters():
    """The filters of the request, checked: ``(filters, error or None)``. A bad one is
    left out and named, so the page still shows the rest."""
    args = flask.request.args
    status = args.get("status", "active")
    status = status if status in STATUSES else "active"
    try:
        filters = o.check_filters(
            args.get("region"), args.get("start"), args.get("end"), args.get("goal")
        )
        error = None
    except o.FilterError as problem:
        filters = {"region": None, "start": None, "end": None, "goal": None}
        error = str(problem)
    filters["status"] = status
    return filters, error


def cohort(filters):
    return o.select(store.load_cohort(get_db(), get_ruleset()), filters)


def _query(filters):
    return {k: v for k, v in filters.items() if v or (k == "status" and v == "")}


def _context(filters, error, *, learned_form=None, learned_problems=None):
    records = cohort(filters)
    db = get_db()
    dashboard = tables.dashboard(records, datetime.date.today(), rule_titles=rule_titles())
    return {
        "content_id": CONTENT_ID,
        "EXCEL": EXCEL,
        "learned_id": LEARNED_ID,
        "filters": filters,
        "filter_error": error,
        "query": _query(filters),
        "records": records,
        "tables": dashboard,
        "sections": tables.SECTIONS,
        "regions": store.regions(db),
        "goals": codes.GOALS,
        "statuses": STATUSES,
        "learned": store.learned_patterns(db),
        "learned_form": learned_form or {"text": "", "families": [], "entries": []},
        "learned_problems": learned_problems or {},
        "families": [{"id": r["id"], "title": r["title"]} for r in records],
        "entries": store.library_entries(db),
    }


@bp.get("")
def index():
    """The dashboard: outcomes, signals, problems, solutions, groups, what we learn."""
    filters, error = request_filters()
    context = _context(filters, error)
    log_event("search", "success", object="patronen", detail=_describe(filters))
    if wants_fragment(CONTENT_ID):
        response = flask.make_response(flask.render_template("patterns/_dashboard.html", **context))
    else:
        response = flask.make_response(flask.render_template("patterns/index.html", **context))
    return vary_on_htmx(response)


def _describe(filters):
    return " ".join(f"{k}={v!r}" for k, v in sorted(filters.items()) if v) or None


@bp.get("/<table>.csv")
def export(table):
    """One table of the dashboard as CSV, with the page's filters (``?voor=excel``: for
    Excel with a Dutch locale)."""
    if table not in tables.TABLE_NAMES:
        flask.abort(404)
    filters, _error = request_filters()
    records = cohort(filters)
    found = tables.dashboard(
        records, datetime.date.today(), rule_titles=rule_titles(), only=[table]
    )[table]
    excel = flask.request.args.get("voor") == EXCEL
    log_event("export", "success", object=f"patronen {table}", detail=_describe(filters))
    return csvfile.csv_response(
        f"patronen-{table}{'-excel' if excel else ''}.csv",
        found["rows"],
        header=found["headers"],
        dutch_excel=excel,
    )


@bp.post("/wat-we-leren")
def create_learned():
    """Write down a learned pattern, linked to families and library solutions."""
    form = flask.request.form
    filters, error = request_filters()
    db = get_db()
    all_families = store.load_family_ids(db)
    entries = {row["id"] for row in store.library_entries(db)}
    values = {
        "text": form.get("text", ""),
        "families": form.getlist("families"),
        "entries": form.getlist("entries"),
    }

    def add():
        with db.atomic():  # the pattern and its log entry commit together
            store.add_learned(
                db, values["text"], values["families"], values["entries"],
                flask_login.current_user.id, known_families=all_families, known_entries=entries,
            )  # fmt: skip
            log_event("create", "success", object="wat we leren")

    try:  # a second submit of the same form (a double click) writes it down once
        once_per_form(add)
    except store.LearnedPatternError as problem:
        return _learned_answer(filters, error, 422, values, problem.problems)
    return _learned_answer(filters, error, 200 if htmx else 303, None, None)


def _learned_answer(filters, error, status, values, problems):
    if htmx and not htmx.history_restore_request:
        context = _context(filters, error, learned_form=values, learned_problems=problems)
        response = flask.make_response(
            flask.render_template("patterns/_learned.html", **context), status
        )
        response.vary.add("HX-Request")
        return response
    if status == 422:
        context = _context(filters, error, learned_form=values, learned_problems=problems)
        return flask.render_template("patterns/index.html", **context), 422
    return flask.redirect(flask.url_for("patterns.index", _anchor=LEARNED_ID), 303)
