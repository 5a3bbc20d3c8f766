"""The family list, with active search and filters."""

import flask
import flask_login

from access import policy
from access.scope import family_scope
from audit.hooks import log_event
from cases import codes, store
from cases.forms import NewFamilyForm
from cases.views.blueprint import bp
from cases.views.ids import NEW_FAMILY_ID, ROWS_ID, SEARCH_ID
from core.htmx import vary_on_htmx, wants_fragment
from core.web import get_db

LIST_LIMIT = 500  # rows on the page; a search or filter finds the rest


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
    user = flask_login.current_user
    scope = family_scope(db, user.id, user.role)
    # One more than is shown tells whether the list is cut off.
    families = store.list_families(db, **filters, **scope, limit=LIST_LIMIT + 1)
    more = len(families) > LIST_LIMIT
    families = families[:LIST_LIMIT]
    searched = {key: value for key, value in filters.items() if value}
    log_event(
        "search",
        "success",
        object="family list",
        detail=" ".join(f"{key}={value!r}" for key, value in sorted(searched.items())) or None,
    )
    context = {
        "families": families,
        "more": more,
        "filters": filters,
        "rows_id": ROWS_ID,
        "pseudonymised": scope["pseudonymised"],
    }
    # Only the search box and filters ask for the rows alone; boosted navigation and
    # history restores get the whole page.
    if wants_fragment(ROWS_ID):
        response = flask.make_response(flask.render_template("cases/_rows.html", **context))
    else:
        new_family_form = None
        if policy.may_create_family(user.role):
            new_family_form = NewFamilyForm()
            new_family_form.known_regions = store.regions(db)
        response = flask.make_response(
            flask.render_template(
                "cases/index.html",
                regions=store.regions(db),
                search_id=SEARCH_ID,
                new_family_form=new_family_form,
                new_family_id=NEW_FAMILY_ID,
                **context,
            )
        )
    return vary_on_htmx(response)
