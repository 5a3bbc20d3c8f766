"""The family page's sections below the first screen, each loaded when it is scrolled
into view (htmx ``revealed``) from a route of its own that answers the same partial the
page includes when it shows every section at once (``?volledig=1``, and every page that
answers a form: an open form or a notice shows the page as a whole).

The first screen (head, situation, the family lists) comes with the page; the drawing
and these sections cost most of a page (the drawing, the rules, the finder) and most
visitors read them after scrolling, or never. The section route is a family route like
the page: the same need-to-know guard and the same access-log entry.
"""

import flask

from cases.views.blueprint import bp
from cases.views.ids import LAZY_SECTIONS, WHOLE_PAGE_ARG
from cases.views.responses import family_context, load_or_404
from core.htmx import vary_on_htmx
from core.web import htmx


@bp.get("/<code>/onderdeel/<name>")
def section(code, name):
    """One section of the family page, for htmx when it scrolls into view; without
    htmx, the whole page at that section."""
    template = LAZY_SECTIONS.get(name)
    if template is None:
        flask.abort(404)
    family, case = load_or_404(code)
    if not htmx or htmx.history_restore_request:
        url = flask.url_for("cases.show", code=code, _anchor=name, **{WHOLE_PAGE_ARG: 1})
        return vary_on_htmx(flask.redirect(url))
    html = flask.render_template(template, **family_context(family, case))
    return vary_on_htmx(flask.make_response(html))
