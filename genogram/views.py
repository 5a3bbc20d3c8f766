"""The genogram in the app: drawn on the family page and full screen, as SVG download.

Every route names the family, so the need-to-know guard checks it and the access log
records it like any other read of the family's data.
"""

import dataclasses
import functools

import flask

from cases import relatives, store
from cases.views.saving import FAMILY_CHANGED_EVENT
from core import htmx as events
from core.htmx import vary_on_htmx, wants_fragment
from core.web import get_db
from genogram import store as genogram_store
from genogram.core import core_note, dutch_number, is_large
from genogram.forms import RelativeForm
from genogram.graph import build_graph
from genogram.png import PngError, font_files, render_png
from genogram.remembering import drawn_case

bp = flask.Blueprint("genogram", __name__, url_prefix="/gezinnen")

DRAWING_ID = "genogram-tekening"
PANEL_ID = "genogram-paneel"
EDITED_EVENT = events.GENOGRAM_EDITED  # after a save in the panel: the family page's list redraws
ALL_ARG = "alle"  # ?alle=1: the whole family, however large


@dataclasses.dataclass(frozen=True)
class Drawing:
    """An SVG and whom it shows: ``shown`` of the family's ``total`` persons;
    ``all_asked`` when a large family is drawn whole on request."""

    svg: str
    shown: int
    total: int
    all_asked: bool = False

    @property
    def core(self):
        """True when only the core family is drawn."""
        return self.shown < self.total

    @property
    def note(self):
        if self.core:
            return core_note(self.shown, self.total)
        return f"Alle {dutch_number(self.total)} personen getoond."


def drawing_of(case, *, full=False, legend=False):
    """The drawing of a case: the whole family, or its core family when the family is
    large (``genogram.core``) and ``full`` is not asked for.

    A family of normal size is drawn in a few milliseconds, so pages draw it inline;
    10,000 persons take seconds, so that is an explicit choice (``?alle=1``).
    On screen the legend sits beside the drawing, so the drawing gets the whole frame;
    the downloads carry it inside. The family's stored layout memory keeps the persons
    and members where the table saw them before the last edit.
    """
    from genogram.layout import layout_genogram  # NumPy and SciPy: on first use
    from genogram.svg import render_svg

    total = len(case["persons"])
    large = is_large(case)
    memory = stored_memory(case)
    case = drawn_case(case, full=full)
    graph = build_graph(case)
    svg = render_svg(graph, layout_genogram(graph, memory), title=case["title"], legend=legend)
    return Drawing(svg, len(case["persons"]), total, all_asked=large and full)


def stored_memory(case):
    """The family's layout memory (``genogram.remembering``), so that the drawing keeps
    its bearings after an edit; None outside an app or for a case not stored."""
    if not flask.has_app_context():
        return None
    return genogram_store.memory_by_code(get_db(), case["code"])


def svg_of(case, *, legend=False, full=False):
    """The SVG of :func:`drawing_of`."""
    return drawing_of(case, full=full, legend=legend).svg


def wants_all():
    """True when the request asks for the whole family (``?alle=1``)."""
    return flask.request.args.get(ALL_ARG) == "1"


@functools.cache
def legend_svg():
    from genogram.svg import render_legend

    return render_legend()


def drawing(code, *, legend=False):
    """The case and its :class:`Drawing` (whole with ``?alle=1``); 404 for an unknown
    code (the guard already checked access)."""
    case = store.load_case(get_db(), code)
    if case is None:
        flask.abort(404)
    return case, drawing_of(case, full=wants_all(), legend=legend)


@bp.get("/<code>/genogram")
def show(code):
    """The genogram full screen; the family page asks for the drawing alone."""
    case, shown = drawing(code)
    context = {"case": case, "drawing": shown, **template_ids()}
    if wants_fragment(DRAWING_ID):
        response = flask.make_response(flask.render_template("genogram/_drawing.html", **context))
    else:
        response = flask.make_response(
            flask.render_template("genogram/show.html", notice=None, **context)
        )
    return vary_on_htmx(response)


@bp.get("/<code>/genogram.svg")
def download(code):
    """The genogram as an SVG file."""
    flask.g.audit_event = "export"
    case, shown = drawing(code, legend=True)
    return flask.Response(
        shown.svg,
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
        "all_arg": ALL_ARG,
    }


@bp.get("/<code>/genogram.png")
def download_png(code):
    """The genogram as a PNG image (rendered on the server, at twice the SVG's size)."""
    flask.g.audit_event = "export"
    case, shown = drawing(code, legend=True)
    try:
        png = render_png(shown.svg, font_files(flask.current_app.config["NODE_MODULES"]))
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
    case, shown = drawing(code, legend=True)
    return flask.render_template("genogram/print.html", case=case, drawing=shown)
