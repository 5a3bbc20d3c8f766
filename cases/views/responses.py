"""Answering the family page's requests: the whole page, or the fragment htmx asked for.

With ``cases.views.saving`` this is the public editing layer the family views and the
genogram's side panel share: ``load_or_404``, ``find_or_none``/``find_or_404`` (an item
named in the URL), ``family_context``, ``edit_state``, ``show_form``, ``show_item``,
``item_gone``, ``whole_page`` here; ``save_change`` and ``Change`` there.
"""

import flask

from cases import editing, paging, store
from cases.views import rendered
from cases.views.ids import (
    IDS,
    LAZY_SECTIONS,
    SECTIONS,
    WHOLE_PAGE_ARG,
    member_element,
    new_placement_element,
    new_tie_element,
    person_element,
    placement_element,
    relation_element,
    selector,
    tie_element,
)
from core.htmx import vary_on_htmx, wants_fragment
from core.web import get_db, htmx

# Relations are shown grouped by kind: (kind, heading, add-button text).
RELATION_GROUPS = (
    ("couple", "Partners", "Partnerrelatie toevoegen"),
    ("parent", "Ouders en kinderen", "Ouder-kindrelatie toevoegen"),
    ("emotional", "Emotionele banden", "Emotionele band toevoegen"),
)

STALE_MESSAGE = (
    "Iemand anders heeft dit gezin intussen gewijzigd. Je wijziging is niet opgeslagen; "
    "hieronder staat de huidige stand. Breng je wijziging zo nodig opnieuw aan."
)
GONE_MESSAGE = (
    "Iemand anders heeft dit gezin intussen gewijzigd: dit onderdeel bestaat niet meer. "
    "Hieronder staat de huidige stand."
)


def load_or_404(code):
    """The family row and its case; 404 when there is no such family."""
    family, case = store.load_family(get_db(), code)
    if family is None:
        flask.abort(404)
    return family, case


def find_or_none(lookup):
    """The item a lookup finds, or None when it is gone (the version check decides)."""
    try:
        return lookup()
    except editing.NotFound:
        return None


def find_or_404(lookup):
    """Run a lookup of an item named in the URL; a missing one is a 404."""
    try:
        return lookup()
    except editing.NotFound:
        flask.abort(404)


def _names(case):
    """``{person id: display name}`` (as ``editing.display_name``, in one pass)."""
    return {p["id"]: p.get("name") or f"Persoon {p['id']}" for p in case["persons"]}


def _kept_rows(case, relation_rows, elements):
    """``{list key: [row positions]}`` of the rows holding one of ``elements``."""
    kept = {}
    if not elements:
        return kept
    for position, person in enumerate(case["persons"]):
        pid = person["id"]
        own = {person_element(pid), new_placement_element(pid)}
        own.update(placement_element(pid, i) for i in range(len(person["placements"])))
        if own & elements:
            kept.setdefault(paging.PERSONS, []).append(position)
    for kind, key in paging.RELATION_LISTS.items():
        for position, (index, _) in enumerate(relation_rows[kind]):
            if relation_element(index) in elements:
                kept.setdefault(key, []).append(position)
    for position, member in enumerate(case["network"]):
        mid = member["id"]
        own = {member_element(mid), new_tie_element(mid)}
        own.update(tie_element(mid, tie["person"]) for tie in member["ties"])
        if own & elements:
            kept.setdefault(paging.NETWORK, []).append(position)
    return kept


def _shown(case, relation_rows, asked, elements):
    """How many rows of each long list the page shows (``cases.paging``)."""
    totals = {paging.PERSONS: len(case["persons"]), paging.NETWORK: len(case["network"])}
    for kind, key in paging.RELATION_LISTS.items():
        totals[key] = len(relation_rows[kind])
    kept = _kept_rows(case, relation_rows, elements)
    return {
        key: paging.rows_shown(total, asked=asked.get(key), keep=kept.get(key, ()))
        for key, total in totals.items()
    }


def family_context(family, case, *, asked=None, **extra):
    """The family templates' context; ``asked``: rows per list the URL asks for."""
    context = {
        "case": case,
        "family": family,
        "ids": IDS,
        "names": _names(case),
        "relation_groups": RELATION_GROUPS,
        "relation_lists": paging.RELATION_LISTS,
        "page_size": paging.PAGE_SIZE,
        "edit": None,
        "notice": None,
        "focus": None,
    }
    context.update(extra)
    relation_rows = paging.relation_rows(case["relations"])
    # Rows that must show however far down they are: an open form, a notice, the focus.
    elements = {
        element
        for element in (
            (context["edit"] or {}).get("element"),
            (context["notice"] or {}).get("element"),
            context["focus"],
        )
        if element
    }
    context["relation_rows"] = relation_rows
    context["shown"] = _shown(case, relation_rows, asked or {}, elements)
    return context


def _asked_rows():
    """Rows per list that the page's URL asks for (a "Meer tonen" without JavaScript)."""
    return {key: flask.request.args.get(key, type=int) for key in paging.LIST_KEYS}


def whole_page(family, case, *, status=200, **extra):
    """The whole family page, possibly with one form open (``edit``) or a notice.

    A plain view loads the drawing and the sections below the first screen when they
    scroll into view (``cases.views.sections``); a page that answers a form, or asked
    with ``?volledig=1``, shows them all at once, as without JavaScript.
    """
    all_sections = status != 200 or bool(extra) or flask.request.args.get(WHOLE_PAGE_ARG) == "1"
    context = family_context(family, case, asked=_asked_rows(), **extra)
    # Without a form open or a notice the lists are the same for every reader of this
    # version of the family: rendered once (cases.views.rendered).
    rows = None if extra or status != 200 else rendered.family_rows(family, context)
    html = flask.render_template(
        "cases/show.html",
        sections=SECTIONS,
        lazy_sections=LAZY_SECTIONS,
        all_sections=all_sections,
        family_rows=rows,
        **context,
    )
    return vary_on_htmx(flask.make_response(html, status))


def _fragment(template, family, case, *, status=200, retarget=None, **extra):
    """One partial; ``retarget`` sends it to another element than the one that asked."""
    html = flask.render_template(template, **family_context(family, case, **extra))
    response = flask.make_response(html, status)
    if retarget:
        response.headers["HX-Retarget"] = selector(retarget)
        response.headers["HX-Reswap"] = "outerHTML"
    return vary_on_htmx(response)


def _block_response(family, case, block, *, status=200, focus=None, notice=None):
    """Answer an htmx request with a block, sent to the block wherever it was asked from."""
    asked = htmx.target if htmx else None
    return _fragment(
        block.template,
        family,
        case,
        status=status,
        retarget=None if asked == block.element else block.element,
        focus=focus,
        notice=notice,
        **block.context,
    )


def _to_page(code, element, status=303):
    return flask.redirect(flask.url_for("cases.show", code=code, _anchor=element), status)


def edit_state(element, form, messages=()):
    """What a form template needs: the form, messages above it, and where focus goes."""
    invalid = [field.name for field in form if field.errors and field.name != "version"]
    if invalid:
        focus = invalid[0]
    elif messages or form.version.errors:
        focus = "messages"
    else:
        focus = next(
            (f.name for f in form if f.name not in ("version", "kind") and f.type != "HiddenField"),
            None,
        )
    return {"element": element, "form": form, "messages": list(messages), "focus": focus}


def _conflict(family, case, block, element, message=STALE_MESSAGE, *, page=None):
    """409: the family changed since the form was loaded; show the current state."""
    notice = {"element": block.element, "text": message}
    if wants_fragment(element):
        return _block_response(family, case, block, status=409, notice=notice)
    if page:
        return page(family, case, status=409, notice=notice, **block.context)
    return whole_page(family, case, status=409, notice=notice)


def show_form(
    family, case, element, template, form, *, status=200, messages=(), page=None, **context
):
    """An edit form: as a fragment for the element that asked, else on the whole page
    (the family page unless ``page`` draws another).

    A refused save shows it again with its status (422) and ``messages`` above it.
    """
    edit = edit_state(element, form, messages)
    if wants_fragment(element):
        return _fragment(template, family, case, status=status, edit=edit, **context)
    if page:
        return page(family, case, status=status, edit=edit, **context)
    return whole_page(family, case, status=status, edit=edit)


def show_item(code, family, case, elements, template, anchor, **context):
    """A read-only partial (what "Annuleren" asks for); other requests go to the page."""
    if wants_fragment(*elements):
        return _fragment(template, family, case, focus=htmx.target, **context)
    return vary_on_htmx(_to_page(code, anchor, status=302))


def item_gone(family, case, block, element):
    """The item to edit is gone: htmx gets the current block with a notice, a page 404."""
    if wants_fragment(element):
        return _conflict(family, case, block, element, GONE_MESSAGE)
    flask.abort(404)
