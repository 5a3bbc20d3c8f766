"""One family's page, its "Gezin en netwerk" block as a whole, and the next rows of its
long lists ("Meer tonen")."""

import flask

from cases import paging
from cases.views.blueprint import bp
from cases.views.ids import (
    FAMILY_ID,
    NEW_PERSON_ID,
    member_element,
    more_element,
    person_element,
    relation_element,
)
from cases.views.responses import family_context, load_or_404, show_item, whole_page
from core.htmx import vary_on_htmx, wants_fragment


@bp.get("/<code>")
def show(code):
    """One family: situatie, gezin en netwerk, signalen, vergelijkbare casussen, overleggen."""
    family, case = load_or_404(code)
    return whole_page(family, case)


@bp.get("/<code>/gezin-en-netwerk")
def family_block(code):
    """Persons, relations and network, read-only (also what "Annuleren" of a new person
    asks for: htmx picks the add button out of it)."""
    family, case = load_or_404(code)
    return show_item(
        code, family, case, [FAMILY_ID, NEW_PERSON_ID], "cases/_family.html", "gezin-en-netwerk"
    )


def _list_rows(case, key):
    """The rows of one long list and the element id of each, or None for an unknown key."""
    if key == paging.PERSONS:
        return case["persons"], lambda person: person_element(person["id"])
    if key == paging.NETWORK:
        return case["network"], lambda member: member_element(member["id"])
    for kind, relation_key in paging.RELATION_LISTS.items():
        if key == relation_key:
            rows = paging.relation_rows(case["relations"])[kind]
            return rows, lambda row: relation_element(row[0])
    return None


@bp.get("/<code>/meer/<key>")
def more_rows(code, key):
    """The next page of a long list (persons, a kind of relation, network) from row
    ``vanaf``, for its "Meer tonen"; without htmx, the page showing those rows."""
    family, case = load_or_404(code)
    found = _list_rows(case, key)
    if found is None:
        flask.abort(404)
    rows, element_of = found
    start, end, next_start = paging.next_page(
        len(rows), flask.request.args.get("vanaf", 0, type=int)
    )
    if not wants_fragment(more_element(key)):
        anchor = element_of(rows[start]) if start < len(rows) else FAMILY_ID
        return vary_on_htmx(
            flask.redirect(flask.url_for("cases.show", code=code, _anchor=anchor, **{key: end}))
        )
    html = flask.render_template(
        "cases/_more_rows.html",
        key=key,
        rows=rows[start:end],
        next_start=next_start,
        total=len(rows),
        next_anchor=element_of(rows[next_start]) if next_start is not None else None,
        **family_context(family, case),
    )
    return vary_on_htmx(flask.make_response(html))
