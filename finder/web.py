"""The finder in the app: one library index per process, the similar cases of a family
(on its page and in the conference), the CLI and the JSON API."""

import json
import pathlib

import click
import flask
import flask_login
import markupsafe
from flask.cli import with_appcontext

from cases import codes
from cases import store as cases_store
from cases.api import bp as api_bp
from cases.api import json_body
from cases.cli import read_json
from cases.validation import CaseFormatError, canonical_case, parse_cases
from core.web import get_db, htmx
from finder.index import LibraryIndex, as_case, code_for
from library import catalogue as library_catalogue
from library.display import readable

EXTENSION = "maatwerktafel_finder"
SIMILAR_ID = "vergelijkbare-casussen-inhoud"
DEFAULT_K = 5
SIMILAR_SOLUTIONS = 5  # on a library entry's page
MAX_K = 50

bp = flask.Blueprint("finder", __name__, url_prefix="/gezinnen")


def init_app(app):
    """The index object; it fits (or loads from disk) on first use, not at start-up."""
    database = pathlib.Path(app.config["DATABASE"])
    path = app.config.get("FINDER_INDEX") or database.with_name(database.stem + "-finder.joblib")
    app.extensions[EXTENSION] = LibraryIndex(path)


def get_index():
    return flask.current_app.extensions[EXTENSION]


# The leading words of the reasons that say why a case's best solution could work here
# (the estimator puts them first); the other reasons say why the case is alike.
FIT_REASON_KINDS = ("hefboom", "drager", "antwoord op", "brengt in wat ontbreekt")
# How a lever reads in the "past hier" mark: short, by its kind.
LEVER_MARKS = {
    "passion": "hefboom: {label}",
    "wish": "wens van het kind",
    "carrier": "drager: {label}",
    "arrangement": "antwoord op: {here}",
}
MAX_MARKS = 2


def fit_reason_count(reasons):
    """How many of the leading ``reasons`` say why the solution could work here:
    those whose kind (the words before the colon) is one of ``FIT_REASON_KINDS``, at
    most ``SOLUTION_REASONS``."""
    from finder.estimator import SOLUTION_REASONS  # scikit-learn: on first use

    count = 0
    for reason in reasons[:SOLUTION_REASONS]:
        kind, colon, _ = reason.partition(":")
        if not colon or kind.strip() not in FIT_REASON_KINDS:
            break
        count += 1
    return count


def lever_marks(levers):
    """The levers of a best solution as short Dutch marks ("hefboom: paarden", "wens
    van het kind"), each once, in the estimator's order (passion, wish, carrier, then
    the needs answered), at most ``MAX_MARKS``: the reasons say the rest."""
    marks = []
    for lever in levers:
        template = LEVER_MARKS.get(lever.get("kind"))
        if not template:
            continue
        # "drager: een trainer, coach of leermeester" reads as a mark without "een".
        mark = template.format_map({**lever, "label": _without_article(lever.get("label"))})
        if mark not in marks:
            marks.append(mark)
    return marks[:MAX_MARKS]


def _without_article(value):
    if isinstance(value, str) and value.startswith("een "):
        return value[len("een ") :]
    return value


def _best_and_others(result):
    """The best-fitting solution as listed (with its entry id) and the case's others."""
    best = result["solution"]
    if best is None:
        return None, result["solutions"]
    key = (best.get("title"), best.get("summary"))
    for number, solution in enumerate(result["solutions"]):
        if (solution.get("title"), solution.get("summary")) == key:
            others = result["solutions"][:number] + result["solutions"][number + 1 :]
            return {**solution, "fit": best.get("fit")}, others
    return best, result["solutions"]


def similar_for(family, case, *, k=DEFAULT_K, worked_only=False):
    """The library cases most like ``case``, with what the page shows of them."""
    db = get_db()
    results = get_index().similar(
        db, case, k=k, family_id=family["id"] if family else None, worked_only=worked_only
    )
    for result in results:
        entries = library_catalogue.entry_ids_by_title(db, result["library_case"])
        result["tags"] = library_catalogue.tags_of(db, result["library_case"])
        for solution in result["solutions"]:
            solution["entry_id"] = entries.get(solution.get("title"))
        # For the page only (the API and CLI give ``solution`` and ``reasons`` as the
        # index does): what could work here and why, then why the case is alike.
        result["best"], result["other_solutions"] = _best_and_others(result)
        split = fit_reason_count(result["reasons"]) if result["solution"] else 0
        result["fit_reasons"] = result["reasons"][:split]
        result["likeness_reasons"] = result["reasons"][split:]
        result["fit_marks"] = lever_marks(result["levers"]) if result["best"] else []
    return results


def similar_solutions(document, case_id, k=SIMILAR_SOLUTIONS):
    """For the library's entry page: the solutions of the library cases most like the
    (de-identified) case ``document`` of library case ``case_id``, as the finder ranks
    them for a family in that situation: ``[{"entry_id", "title", "outcome",
    "case_title", "tags", "reasons"}]``, at most one per case, never from the case
    itself."""
    try:
        case = as_case(document, code_for(case_id))
    except CaseFormatError:  # a copy the finder cannot read as a case has no neighbours
        return []
    found = []
    for result in similar_for(None, case, k=k):
        best = result["best"]
        if best is None or best.get("entry_id") is None:
            continue
        found.append(
            {
                "entry_id": best["entry_id"],
                "title": best.get("title"),
                "outcome": best.get("outcome"),
                "case_title": result["title"],
                "tags": result["tags"],
                "reasons": result["fit_reasons"] or result["reasons"][:1],
            }
        )
    return found


def render_similar(family, case, worked_only=False):
    """The similar cases as markup (a template global: family page and conference)."""
    html = flask.render_template(
        "finder/_similar.html",
        case=case,
        owner=flask_login.current_user.display_name,
        similar_id=SIMILAR_ID,
        results=similar_for(family, case, worked_only=worked_only),
        worked_only=worked_only,
        library=_library_links(),
    )
    return markupsafe.Markup(html)  # noqa: S704 (an autoescaping template made it)


def _library_links():
    """Which library routes exist (the library may be installed without its pages)."""
    functions = flask.current_app.view_functions
    return {name: name in functions for name in ("library.show", "library.try_solution")}


@bp.get("/<code>/vergelijkbaar")
def similar(code):
    """The similar cases of a family; ``werkte=1`` keeps solutions that worked."""
    family, case = cases_store.load_family(get_db(), code)
    if family is None:
        flask.abort(404)
    worked_only = flask.request.args.get("werkte") == "1"
    if htmx:
        response = flask.make_response(render_similar(family, case, worked_only))
        response.vary.add("HX-Request")
        return response
    anchor = "vergelijkbare-casussen"
    return flask.redirect(flask.url_for("cases.show", code=code, _anchor=anchor))


# --------------------------------------------------------------------------- API


def _k():
    k = flask.request.args.get("k", DEFAULT_K)
    try:
        k = int(k)
    except (TypeError, ValueError):
        flask.abort(flask.make_response(flask.jsonify({"error": "k must be a whole number"}), 400))
    if not 1 <= k <= MAX_K:
        flask.abort(
            flask.make_response(flask.jsonify({"error": f"k must be from 1 to {MAX_K}"}), 400)
        )
    return k


def _worked_only():
    return flask.request.args.get("worked_only") in ("1", "true")


def _readable(text, tags):
    """Library text as the pages read it ("het [PERSOON-5]" reads "het persoon 5", a
    tag with a role its role), without markup; what is not text stays as it is."""
    return readable(text, tags) if isinstance(text, str) else text


def _readable_solution(solution, tags):
    if solution is None:
        return None
    return {
        **solution,
        "title": _readable(solution.get("title"), tags),
        "summary": _readable(solution.get("summary"), tags),
    }


def _public(results):
    """Results as the API and CLI give them: the library's text readable as on its
    pages (copies; the index keeps the tagged text). ``solution`` is the solution that
    fits this family best, ``levers`` what it builds on that the family has."""
    return [
        {
            "code": r["code"],
            "title": _readable(r["title"], r.get("tags")),
            "score": r["score"],
            "situation_score": r["situation_score"],
            "reasons": [_readable(reason, r.get("tags")) for reason in r["reasons"]],
            "solutions": [_readable_solution(s, r.get("tags")) for s in r["solutions"]],
            "outcome": r["outcome"],
            "solution": _readable_solution(r["solution"], r.get("tags")),
            "levers": [
                {**lever, "there": _readable(lever["there"], r.get("tags"))}
                for lever in r["levers"]
            ],
        }
        for r in results
    ]


@api_bp.get("/cases/<code>/similar")
def api_similar(code):
    """The library cases most like a stored family (``?k=5``, ``&worked_only=1``)."""
    family, case = cases_store.load_family(get_db(), code)
    if family is None:
        flask.abort(404)
    results = similar_for(family, case, k=_k(), worked_only=_worked_only())
    return flask.jsonify(_public(results))


@api_bp.post("/similar")
def api_similar_case():
    """The library cases most like a case in the exchange format (not stored)."""
    if not flask_login.current_user.is_authenticated:
        flask.abort(401)
    document = json_body()
    if not isinstance(document, dict):
        return flask.jsonify({"error": "send one case in the case/1 format as JSON"}), 400
    try:
        case = canonical_case(document)
    except CaseFormatError as error:
        problems = [{"path": i.path, "message": i.message} for i in error.issues]
        return flask.jsonify({"error": "invalid case", "problems": problems}), 422
    results = similar_for(None, case, k=_k(), worked_only=_worked_only())
    return flask.jsonify(_public(results))


# --------------------------------------------------------------------------- CLI


@click.command("similar")
@click.argument("code", required=False)
@click.option("--file", "path", type=click.Path(dir_okay=False), help="A case/1 JSON file.")
@click.option("-k", "k", default=DEFAULT_K, show_default=True, type=click.IntRange(1, MAX_K))
@click.option("--worked-only", is_flag=True, help="Only solutions that worked.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@with_appcontext
def similar_command(code, path, k, worked_only, as_json):
    """The library cases most like family CODE, or like the case in --file."""
    if bool(code) == bool(path):
        raise click.UsageError("give either CODE or --file CASE.json")
    family = None
    if path:
        try:
            documents = parse_cases(read_json(path))
        except CaseFormatError as error:
            lines = "\n".join(f"  {issue}" for issue in error.issues)
            raise click.ClickException(f"{path}: not a valid case:\n{lines}") from error
        if len(documents) != 1:
            raise click.ClickException(f"{path}: holds {len(documents)} cases; give one")
        case = documents[0]
    else:
        family, case = cases_store.load_family(get_db(), code)
        if family is None:
            raise click.ClickException(f"no family with code {code!r}")
    results = _public(similar_for(family, case, k=k, worked_only=worked_only))
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return
    if not results:
        click.echo("no similar cases in the library")
    for rank, result in enumerate(results, 1):
        click.echo(f"{rank}. {result['title']} ({result['code']}, score {result['score']})")
        if result["solution"]:
            solution = result["solution"]
            outcome = codes.SOLUTION_OUTCOMES.get(solution.get("outcome"), solution.get("outcome"))
            click.echo(f"   oplossing: {solution['title']} ({outcome})")
        for reason in result["reasons"]:
            click.echo(f"   - {reason}")
