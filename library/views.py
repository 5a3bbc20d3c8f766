"""The solution library: browse and search, a page per solution, publish, "we proberen dit".

The library pages show de-identified text only, so every logged-in role may read them;
they never show a family code or name. The routes under ``/gezinnen/<code>/`` act for
one family and pass the access guard like every family route.
"""

import flask
import flask_login
import markupsafe

from access import guard, policy
from access import store as access_store
from actions import store as actions_store
from audit.hooks import log_event
from cases import codes
from cases import store as cases_store
from core.htmx import vary_on_htmx, wants_fragment
from core.web import get_db, htmx, once_per_form
from finder.web import similar_solutions
from library import catalogue, publications, ranking, tries, worker
from library.display import readable

bp = flask.Blueprint("library", __name__)

RESULTS_ID = "bibliotheek-resultaten"
SEARCH_ID = "bibliotheek-zoeken"
PUBLISH_ID = "bibliotheek-publiceren"
TRY_ID = "bibliotheek-proberen"
MORE_ID = "bibliotheek-meer"
FILTERS = ("problem", "partner", "component", "outcome", "goal")
MAX_SEARCH = 200
MAX_PAGE = 100


def labels():
    """Dutch labels for the codes the library shows (template helpers)."""
    return {
        "problem": lambda code: codes.PROBLEMS.get(code, code),
        "partner": lambda code: codes.PARTNERS.get(code, code),
        "outcome": lambda code: codes.SOLUTION_OUTCOMES.get(code, code or "onbekend"),
        "goal": lambda code: codes.GOALS.get(code, code or "onbekend"),
        "residence": lambda code: codes.RESIDENCES.get(code, code or "onbekend"),
        "component": lambda value: value,
    }


def _filters(db):
    """The search text and the filters, each only if it is a value in use (a component
    in any spelling, kept as its key), and the page (``pagina``)."""
    args = flask.request.args
    in_use = catalogue.facets(db)
    chosen = {"q": args.get("q", "").strip()[:MAX_SEARCH]}
    for key in FILTERS:
        value = args.get(key, "")[:MAX_SEARCH]
        if key == "component":
            value = ranking.component_key(value)
        chosen[key] = value if value in in_use[key] else ""
    try:
        page = min(max(int(args.get("pagina", 1)), 1), MAX_PAGE)
    except ValueError:
        page = 1
    return chosen, page, in_use


def _options(db, filters, in_use):
    """``{filter: [(value, Dutch text)]}`` for the filter lists: every problem, partner,
    outcome and goal in use; of the components the most used (and the chosen one)."""
    label = labels()
    options = {
        key: [(value, label[key](value)) for value in in_use[key]]
        for key in FILTERS
        if key != "component"
    }
    options["component"] = [
        (key, name)
        for key, name, _uses in catalogue.component_choices(db, chosen=filters["component"])
    ]
    return options


def _conference_family(db, code):
    """The family a "we proberen dit" would be for (``?gezin=``), if the user may edit it."""
    if not code:
        return None
    family = cases_store.family_row(db, code[:64])
    if family is None:
        return None
    user = flask_login.current_user
    team_role = access_store.team_role(db, family["id"], user.id)
    if not policy.allowed(user.role, team_role, policy.EDIT):
        return None
    return family


def _own_families(db):
    """Active families the user may add an action to, for the "voor welk gezin" choice."""
    user = flask_login.current_user
    if user.role == policy.ADMIN:
        rows = cases_store.list_families(db, status="active")
    else:
        ids = access_store.family_ids_of(db, user.id)
        rows = cases_store.list_families(db, status="active", only_ids=ids)
    return [{"code": row["code"], "title": row["title"]} for row in rows]


@bp.get("/bibliotheek/")
@flask_login.login_required
def index():
    """Browse and search the library: active search, filters, a page at a time."""
    db = get_db()
    filters, page, in_use = _filters(db)
    search = {key: value for key, value in filters.items() if key != "q"}
    more = wants_fragment(MORE_ID)
    # The page shows every page up to the asked one (a reload keeps what "Meer tonen"
    # showed); "Meer tonen" itself asks for the next page only.
    start = (page - 1) * catalogue.PAGE_SIZE if more else 0
    stop = page * catalogue.PAGE_SIZE
    entries, found = catalogue.search_page(db, filters["q"], start=start, stop=stop, **search)
    log_event(
        "search",
        "success",
        object="solution library",
        detail=" ".join(f"{k}={v!r}" for k, v in sorted(filters.items()) if v) or None,
    )
    gezin = flask.request.args.get("gezin", "")
    gezin = gezin if _conference_family(db, gezin) else ""
    asked = {key: value for key, value in filters.items() if value}
    if gezin:
        asked["gezin"] = gezin
    shown = min(stop, found)
    context = {
        "entries": entries,
        "filters": filters,
        "results_id": RESULTS_ID,
        "more_id": MORE_ID,
        "found": found,
        "shown": shown,
        "more_url": flask.url_for("library.index", **asked, pagina=page + 1)
        if shown < found
        else None,
        "total": catalogue.count_entries(db),
        "gezin": gezin,
        "label": labels(),
    }
    if more:
        template = "library/_entries.html"
    elif wants_fragment(RESULTS_ID):
        template = "library/_results.html"
    else:
        template = "library/index.html"
        context["options"] = _options(db, filters, in_use)
    html = flask.render_template(
        template, search_id=SEARCH_ID, filter_names=FILTER_NAMES, **context
    )
    return vary_on_htmx(flask.make_response(html))


FILTER_NAMES = {
    "problem": ("Probleem", "Alle problemen"),
    "partner": ("Partner", "Alle partners"),
    "component": ("Onderdeel", "Alle onderdelen"),
    "outcome": ("Hoe het werkte", "Alle uitkomsten"),
    "goal": ("Doel", "Alle doelen"),
}


def _entry_or_404(db, entry_id):
    entry = catalogue.get_entry(db, entry_id)
    if entry is None:
        flask.abort(404)
    return entry


def _try_context(db, entry, family, *, errors=None, done=None, form=None):
    user = flask_login.current_user
    return {
        "entry": entry,
        "try_family": family,
        "try_id": TRY_ID,
        "own_families": [] if family else _own_families(db),
        "errors": errors or {},
        "done": done,
        "form": form
        or {
            "owner": user.display_name,
            "title": f"Proberen: {readable(entry['title'], entry.get('tags'))}",
        },
        "tried": tries.tried_for(db, family["id"]) if family else [],
    }


@bp.get("/bibliotheek/<int:entry_id>")
@flask_login.login_required
def show(entry_id):
    """One solution: what was done, with whom, for what, how it worked, and where else."""
    db = get_db()
    entry = _entry_or_404(db, entry_id)
    family = _conference_family(db, flask.request.args.get("gezin", ""))
    log_event("read", "success", object=f"library entry {entry_id}")
    gezin = family["code"] if family else ""
    return _show_page(db, entry, gezin, _try_context(db, entry, family))


def _show_page(db, entry, gezin, context, status=200):
    html = flask.render_template(
        "library/show.html",
        siblings=catalogue.siblings(db, entry),
        # The finder ranks what could transfer from a situation like this one.
        similar=similar_solutions(entry["document"], entry["case_id"]),
        tags=entry["tags"],
        label=labels(),
        gezin=gezin,
        **context,
    )
    return vary_on_htmx(flask.make_response(html, status))


# Publishing (family page) ---------------------------------------------------------


def publish_context(family, case, *, notice=None):
    """What ``library/_publish.html`` needs: the family row and its case (and a notice)."""
    db = get_db()
    latest = publications.latest_publication(db, family["id"])
    return {
        "family": family,
        "publish_id": PUBLISH_ID,
        "publication": latest,
        "statuses": publications.STATUSES,
        "consent": publications.consent_for(db, family, case),
        "library_case": catalogue.library_case_for_family(db, family["id"]),
        "entry_ids": catalogue.entry_ids_for_family(db, family["id"]),
        "tried": tries.tried_for(db, family["id"]),
        "may_publish": _may(family, policy.EXPORT),
        "notice": notice,
        "busy": latest is not None
        and latest["status"] in (publications.PENDING, publications.PROCESSING),
    }


def _may(family, action):
    user = flask_login.current_user
    team_role = access_store.team_role(get_db(), family["id"], user.id)
    return policy.allowed(user.role, team_role, action)


def render_publish(family, case):
    """The publish control as markup, for the family page (a template global)."""
    html = flask.render_template("library/_publish.html", **publish_context(family, case))
    return markupsafe.Markup(html)  # noqa: S704 (an autoescaping template made it)


def _load(code):
    family, case = cases_store.load_family(get_db(), code)
    if family is None:
        flask.abort(404)
    return family, case


def _publish_answer(family, case, *, status=200, notice=None):
    if htmx and not htmx.history_restore_request:
        html = flask.render_template(
            "library/_publish.html", **publish_context(family, case, notice=notice)
        )
        return vary_on_htmx(flask.make_response(html, status))
    if status == 200:
        flask.flash(notice["text"] if notice else "Vastgelegd.", "success")
        return flask.redirect(flask.url_for("cases.show", code=family["code"]), 303)
    html = flask.render_template(
        "library/publish.html", **publish_context(family, case, notice=notice)
    )
    return vary_on_htmx(flask.make_response(html, status))


@bp.get("/gezinnen/<code>/bibliotheek")
def publish_block(code):
    """The publish control of a family (what it redraws while a publication is pending);
    without htmx, a page of its own."""
    family, case = _load(code)
    if htmx and not htmx.history_restore_request:
        return _publish_answer(family, case)
    html = flask.render_template("library/publish.html", **publish_context(family, case))
    return vary_on_htmx(flask.make_response(html))


@bp.post("/gezinnen/<code>/bibliotheek/publiceren")
@guard.requires(policy.EXPORT)
def publish(code):
    """Publish the family's case to the library: with complete consent only, processed
    in a separate process (de-identification is slow)."""
    family, case = _load(code)
    db = get_db()
    try:
        publications.request_publication(db, family, case, flask_login.current_user.id)
    except publications.ConsentMissing as error:
        return _publish_answer(family, case, status=422, notice={"text": str(error)})
    app = flask.current_app
    if app.config.get("LIBRARY_BACKGROUND", not app.testing):
        worker.start(app.config["DATABASE"], app.config.get("LIBRARY_WORKER_LOG"))
    notice = {
        "text": "De publicatie is aangevraagd: de tekst wordt nu geanonimiseerd en "
        "verschijnt daarna in de bibliotheek."
    }
    return _publish_answer(family, case, notice=notice)


# We proberen dit ------------------------------------------------------------------


@bp.post("/gezinnen/<code>/bibliotheek/<int:entry_id>/proberen")
def try_solution(code, entry_id):
    """We proberen dit: link the solution to the family with an action and its owner."""
    db = get_db()
    family, _case = _load(code)
    entry = _entry_or_404(db, entry_id)
    form = {
        "owner": flask.request.form.get("owner", ""),
        "title": flask.request.form.get("title", ""),
        "due": flask.request.form.get("due", ""),
    }
    errors = actions_store.check_action(
        form["title"] or entry["title"], form["owner"], form["due"] or None
    )
    status = 200
    done = None
    if errors:
        status = 422
    else:
        # A second submit of the same form (a double click) adds no second try.
        once_per_form(
            lambda: tries.try_entry(
                db,
                family["id"],
                entry,
                owner=form["owner"],
                title=form["title"],
                due=form["due"] or None,
                user_id=flask_login.current_user.id,
            ),
        )
        done = (
            f"Vastgelegd: {family['title']} probeert '{entry['title']}', met een actie "
            f"voor {form['owner'].strip()}."
        )
    context = _try_context(db, entry, family, errors=errors, done=done, form=form)
    if htmx and not htmx.history_restore_request:
        return vary_on_htmx(
            flask.make_response(flask.render_template("library/_try.html", **context), status)
        )
    if status == 200:
        flask.flash(done, "success")
        return flask.redirect(flask.url_for("library.show", entry_id=entry_id, gezin=code), 303)
    return _show_page(db, entry, code, context, status)
