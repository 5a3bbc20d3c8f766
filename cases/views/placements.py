"""A person's placements (where they lived and with which provider), in date order."""

from cases import editing
from cases.forms import PlacementForm
from cases.views.blocks import _family_block, _person_block
from cases.views.blueprint import bp
from cases.views.ids import new_placement_element, placement_element
from cases.views.responses import (
    find_or_404,
    find_or_none,
    item_gone,
    load_or_404,
    show_form,
    show_item,
)
from cases.views.saving import REFUSED_DELETE, Change, save_change

PLACEMENT_FIELDS = {key: key for key in editing.PLACEMENT_FIELDS}


@bp.get("/<code>/personen/<person_id>/plaatsingen/nieuw")
def new_placement(code, person_id):
    """The form for a new placement of a person."""
    family, case = load_or_404(code)
    element = new_placement_element(person_id)
    found = find_or_none(lambda: editing.get_person(case, person_id))
    if found is None:
        return item_gone(family, case, _family_block(case), element)
    form = PlacementForm(formdata=None, data={"version": family["version"]})
    return show_form(
        family, case, element, "cases/_placement_form.html", form, person=found, index=None
    )


def _placement_change(form, person_id, element, apply, index=None, **overrides):
    def where(new):
        return editing.placement_position(new, person_id, form.values())

    settings = {
        "prefix": lambda case, new: (
            f"persons[{editing.person_position(new, person_id)}].placements[{where(new)}]"
        ),
        "focus": lambda new: placement_element(person_id, where(new)),
        **overrides,
    }
    return Change(
        element=element,
        form_template="cases/_placement_form.html",
        form=form,
        apply=apply,
        block=lambda case: _person_block(case, person_id),
        fields=PLACEMENT_FIELDS,
        context=lambda case: {
            "person": find_or_none(lambda: editing.get_person(case, person_id)),
            "index": index,
        },
        **settings,
    )


@bp.post("/<code>/personen/<person_id>/plaatsingen")
def create_placement(code, person_id):
    """Add a placement to a person's history."""
    form = PlacementForm()
    return save_change(
        code,
        _placement_change(
            form,
            person_id,
            new_placement_element(person_id),
            lambda case: editing.add_placement(case, person_id, **form.values()),
            once=True,
        ),
    )


@bp.get("/<code>/personen/<person_id>/plaatsingen/<int:index>")
def placement(code, person_id, index):
    """One placement, read-only."""
    family, case = load_or_404(code)
    found = find_or_404(lambda: editing.get_placement(case, person_id, index))
    element = placement_element(person_id, index)
    return show_item(
        code,
        family,
        case,
        [element],
        "cases/_placement.html",
        element,
        person=editing.get_person(case, person_id),
        placement=found,
        index=index,
    )


@bp.get("/<code>/personen/<person_id>/plaatsingen/<int:index>/wijzigen")
def edit_placement(code, person_id, index):
    """The form for one placement."""
    family, case = load_or_404(code)
    element = placement_element(person_id, index)
    found = find_or_none(lambda: editing.get_placement(case, person_id, index))
    if found is None:
        return item_gone(family, case, _person_block(case, person_id), element)
    form = PlacementForm.of(found, family["version"])
    return show_form(
        family,
        case,
        element,
        "cases/_placement_form.html",
        form,
        person=editing.get_person(case, person_id),
        index=index,
    )


@bp.post("/<code>/personen/<person_id>/plaatsingen/<int:index>")
def update_placement(code, person_id, index):
    """Save one placement; the person's history comes back in date order."""
    form = PlacementForm()
    return save_change(
        code,
        _placement_change(
            form,
            person_id,
            placement_element(person_id, index),
            lambda case: editing.update_placement(case, person_id, index, **form.values()),
            index=index,
        ),
    )


@bp.post("/<code>/personen/<person_id>/plaatsingen/<int:index>/verwijderen")
def delete_placement(code, person_id, index):
    """Delete one placement."""
    return save_change(
        code,
        _placement_change(
            PlacementForm(),
            person_id,
            placement_element(person_id, index),
            lambda case: editing.remove_placement(case, person_id, index),
            index=index,
            prefix=None,
            focus=None,  # the add button of the person's placements
            validate=False,
            refused=REFUSED_DELETE,
        ),
    )
