"""The genogram in the app: drawn on the family page and full screen, as SVG download.

Every route names the family, so the need-to-know guard checks it and the access log
records it like any other read of the family's data.
"""

import flask

from cases import store
from cases.views.saving import FAMILY_CHANGED_EVENT
from core.web import get_db, htmx
from genogram.graph import build_graph
from genogram.layout import layout_genogram
from genogram.svg import render_svg

bp = flask.Blueprint("genogram", __name__, url_prefix="/gezinnen")

DRAWING_ID = "genogram-tekening"


def svg_of(case):
    """The SVG of a case (drawn in a few milliseconds, so pages draw it inline)."""
    graph = build_graph(case)
    return render_svg(graph, layout_genogram(graph), title=case["title"])


def drawing(code):
    """The case and its SVG; 404 for an unknown code (the guard already checked access)."""
    case = store.load_case(get_db(), code)
    if case is None:
        flask.abort(404)
    return case, svg_of(case)


@bp.get("/<code>/genogram")
def show(code):
    """The genogram full screen; the family page asks for the drawing alone."""
    case, svg = drawing(code)
    if htmx and htmx.target == DRAWING_ID:
        response = flask.make_response(
            flask.render_template("genogram/_drawing.html", case=case, svg=svg, **template_ids())
        )
    else:
        response = flask.make_response(
            flask.render_template("genogram/show.html", case=case, svg=svg, **template_ids())
        )
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


@bp.get("/<code>/genogram.svg")
def download(code):
    """The genogram as an SVG file."""
    flask.g.audit_event = "export"
    case, svg = drawing(code)
    return flask.Response(
        svg,
        mimetype="image/svg+xml",
        headers={"Content-Disposition": f'attachment; filename="genogram-{case["code"]}.svg"'},
    )


def template_ids():
    return {"drawing_id": DRAWING_ID, "changed_event": FAMILY_CHANGED_EVENT}
