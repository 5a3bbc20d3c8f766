"""One family's page, and its "Gezin en netwerk" block as a whole."""

from cases.views import bp
from cases.views.ids import FAMILY_ID, NEW_PERSON_ID
from cases.views.responses import _load, _page, _show_item


@bp.get("/<code>")
def show(code):
    """One family: situatie, gezin en netwerk, signalen, vergelijkbare casussen, overleggen."""
    family, case = _load(code)
    return _page(family, case)


@bp.get("/<code>/gezin-en-netwerk")
def family_block(code):
    """Persons, relations and network, read-only (also what "Annuleren" of a new person
    asks for: htmx picks the add button out of it)."""
    family, case = _load(code)
    return _show_item(
        code, family, case, [FAMILY_ID, NEW_PERSON_ID], "cases/_family.html", "gezin-en-netwerk"
    )
