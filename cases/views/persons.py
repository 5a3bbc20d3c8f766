"""The persons of a family: add, show, edit and delete one."""

from cases import editing
from cases.forms import PersonForm
from cases.views.blocks import _family_block
from cases.views.blueprint import bp
from cases.views.ids import NEW_PERSON_ID, new_placement_element, person_element
from cases.views.responses import (
    find_or_404,
    find_or_none,
    item_gone,
    load_or_404,
    show_form,
    show_item,
)
from cases.views.saving import REFUSED_DELETE, Change, save_change

PERSON_FIELDS = {key: key for key in editing.PERSON_FIELDS}


@bp.get("/<code>/personen/nieuw")
def new_person(code):
    """The form for a new person."""
    family, case = load_or_404(code)
    form = PersonForm(formdata=None, data={"version": family["version"], "sex": "unknown"})
    return show_form(family, case, NEW_PERSON_ID, "cases/_person_form.html", form, person=None)


@bp.post("/<code>/personen")
def create_person(code):
    """Add a person."""
    form = PersonForm()
    return save_change(
        code,
        Change(
            element=NEW_PERSON_ID,
            form_template="cases/_person_form.html",
            form=form,
            apply=lambda case: editing.add_person(case, **form.values()),
            block=_family_block,
            prefix=lambda case, new: f"persons[{len(new['persons']) - 1}]",
            fields=PERSON_FIELDS,
            focus=lambda new: person_element(new["persons"][-1]["id"]),
            context=lambda case: {"person": None},
            once=True,
        ),
    )


@bp.get("/<code>/personen/<person_id>")
def person(code, person_id):
    """One person, read-only (also answers "Annuleren" of a new placement)."""
    family, case = load_or_404(code)
    found = find_or_404(lambda: editing.get_person(case, person_id))
    return show_item(
        code,
        family,
        case,
        [person_element(person_id), new_placement_element(person_id)],
        "cases/_person.html",
        person_element(person_id),
        person=found,
    )


@bp.get("/<code>/personen/<person_id>/wijzigen")
def edit_person(code, person_id):
    """The form for one person."""
    family, case = load_or_404(code)
    element = person_element(person_id)
    found = find_or_none(lambda: editing.get_person(case, person_id))
    if found is None:
        return item_gone(family, case, _family_block(case), element)
    form = PersonForm.of(found, family["version"])
    return show_form(family, case, element, "cases/_person_form.html", form, person=found)


def _person_change(form, person_id, apply, **extra):
    return Change(
        element=person_element(person_id),
        form_template="cases/_person_form.html",
        form=form,
        apply=apply,
        block=_family_block,
        context=lambda case: {"person": find_or_none(lambda: editing.get_person(case, person_id))},
        **extra,
    )


@bp.post("/<code>/personen/<person_id>")
def update_person(code, person_id):
    """Save one person; the whole "Gezin en netwerk" comes back (names show everywhere)."""
    form = PersonForm()
    return save_change(
        code,
        _person_change(
            form,
            person_id,
            lambda case: editing.update_person(case, person_id, **form.values()),
            prefix=lambda case, new: f"persons[{editing.person_position(new, person_id)}]",
            fields=PERSON_FIELDS,
            focus=lambda new: person_element(person_id),
        ),
    )


@bp.post("/<code>/personen/<person_id>/verwijderen")
def delete_person(code, person_id):
    """Delete a person with their relations and network ties."""
    return save_change(
        code,
        _person_change(
            PersonForm(),
            person_id,
            lambda case: editing.remove_person(case, person_id),
            validate=False,
            refused=REFUSED_DELETE,
        ),
    )
