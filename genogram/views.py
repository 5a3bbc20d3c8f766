"""The genogram in the app: drawn on the family page and full screen, as SVG download.

Every route names the family, so the need-to-know guard checks it and the access log
records it like any other read of the family's data.
"""

import functools

import flask

from cases import relatives, store
from cases.views.saving import FAMILY_CHANGED_EVENT
from core.web import get_db, htmx
from genogram.forms import RelativeForm
from genogram.graph import build_graph
from genogram.layout import layout_genogram
from genogram.png import PngError, font_files, render_png
from genogram.svg import render_legend, render_svg

bp = flask.Blueprint("genogram", __name__, url_prefix="/gezinnen")

DRAWING_ID = "genogram-tekening"
PANEL_ID = "genogram-paneel"
EDITED_EVENT = "genogram-edited"  # after a save in the panel: the family page's list redraws


def svg_of(case, *, legend=False):
    """The SVG of a case (drawn in a few milliseconds, so pages draw it inline).

    On screen the legend sits beside the drawing, so the drawing gets the whole frame;
    the downloads carry it inside.
    """
    graph = build_graph(case)
    return render_svg(graph, layout_genogram(graph), title=case["title"], legend=legend)


@functools.cache
def legend_svg():
    return render_legend()


def drawing(code, *, legend=False):
    """The case and its SVG; 404 for an unknown code (the guard already checked access)."""
    case = store.load_case(get_db(), code)
    if case is None:
        flask.abort(404)
    return case, svg_of(case, legend=legend)


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
            flask.render_template(
                "genogram/show.html", case=case, svg=svg, notice=None, **template_ids()
            )
        )
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


@bp.get("/<code>/genogram.svg")
def download(code):
    """The genogram as an SVG file."""
    flask.g.audit_event = "export"
    case, svg = drawing(code, legend=True)
    return flask.Response(
        svg,
        mimetype="image/svg+xml",
        headers={"Content-Disposition": f'attachment; filename="genogram-{case["code"]}.svg"'},
    )


def template_ids():
    """What the drawing and panel templates need: element ids, events, relatives."""
    return {
        "drawing_id": DRAWING_ID,
        "changed_event": FAMILY_CHANGED_EVENT,
        "panel_id": PANEL_ID,
        "relatives": relatives.RELATIVES,
        "relative_label": relatives.relative_label,
        "link_fields": RelativeForm.link_fields,
        "legend_svg": legend_svg,
    }


@bp.get("/<code>/genogram.png")
def download_png(code):
    """The genogram as a PNG image (rendered on the server, at twice the SVG's size)."""
    flask.g.audit_event = "export"
    case, svg = drawing(code, legend=True)
    try:
        png = render_png(svg, font_files(flask.current_app.config["NODE_MODULES"]))
    except PngError as error:
        flask.current_app.logger.error("genogram PNG of %s failed: %s", code, error)
        flask.abort(500)
    return flask.Response(
        png,
        mimetype="image/png",
        headers={"Content-Disposition": f'attachment; filename="genogram-{case["code"]}.png"'},
    )


@bp.get("/<code>/genogram/afdrukken")
def print_version(code):
    """The drawing with its legend alone on a page that opens the print dialog (A4
    landscape, by the stylesheet); logged as a print."""
    flask.g.audit_event = "print"
    case, svg = drawing(code, legend=True)
    return flask.render_template("genogram/print.html", case=case, svg=svg)
