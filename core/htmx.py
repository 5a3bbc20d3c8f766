"""The htmx layer every view uses: whether htmx asks for a fragment, the headers one URL
varies on, the family the guard already loaded, and the names of the events the pages
listen for (``static/app.js`` and the templates use the same names).

One URL answers the whole page or a fragment of it; which one is decided by the element
that asked (``HX-Target``), never by ``HX-Request`` alone, so a history restore or a
boosted link gets the page.
"""

import flask

from core.web import htmx

# Events (HX-Trigger) the pages listen for.
FAMILY_CHANGED = "family-changed"
GENOGRAM_EDITED = "genogram-edited"
SIGNALS_CHANGED = "signals-changed"


def wants_fragment(*elements):
    """True when htmx asks on behalf of one of these elements (``HX-Target``)."""
    return bool(htmx) and htmx.target in elements and not htmx.history_restore_request


def vary_on_htmx(response):
    """Mark ``response`` as depending on the htmx headers (caches keep page and fragment
    apart)."""
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


def redirect(target, *, by_htmx, status=303):
    """Send the browser to ``target``: a plain redirect, or when htmx sent the request
    (``by_htmx``, as the view decides) an empty answer with ``HX-Redirect``, so the browser
    loads the next page whole rather than htmx swapping it into the form."""
    if by_htmx:
        response = flask.make_response("", 204)
        response.headers["HX-Redirect"] = target
    else:
        response = flask.redirect(target, status)
    return vary_on_htmx(response)


def current_family():
    """The family row the access guard loaded for this request's family route (None
    outside one): a view need not look it up again to know it exists and may be seen."""
    return flask.g.get("family")
