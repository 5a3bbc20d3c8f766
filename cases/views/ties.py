"""A network member's ties with the family's persons."""

from cases import editing
from cases.forms import TieForm
from cases.views.blocks import _member_block, _network_block
from cases.views.blueprint import bp
from cases.views.ids import new_tie_element, tie_element
from cases.views.responses import (
    find_or_404,
    find_or_none,
    item_gone,
    load_or_404,
    show_form,
    show_item,
)
from cases.views.saving import REFUSED_DELETE, Change, save_change

TIE_FIELDS = {key: key for key in editing.TIE_FIELDS}


@bp.get("/<code>/netwerk/<member_id>/banden/nieuw")
def new_tie(code, member_id):
    """The form for a new tie of a network member with a person."""
    family, case = load_or_404(code)
    element = new_tie_element(member_id)
    found = find_or_none(lambda: editing.get_member(case, member_id))
    if found is None:
        return item_gone(family, case, _network_block(case), element)
    # the defaults of the exchange format, not simply the first option
    defaults = {"version": family["version"], "strength": "normal", "flow": "both"}
    form = TieForm(formdata=None, data=defaults).prepare(case)
    return show_form(family, case, element, "cases/_tie_form.html", form, member=found, tie=None)


def _tie_change(form, member_id, element, apply, person_id=None, **overrides):
    """``person_id`` names the tie being changed; None for a new one."""

    def prefix(case, new):
        member_at = editing.member_position(new, member_id)
        if person_id is None:
            tie_at = len(new["network"][member_at]["ties"]) - 1
        else:  # an edit keeps the tie in its place, even when its person changes
            tie_at = editing.tie_position(case, member_id, person_id)
        return f"network[{member_at}].ties[{tie_at}]"

    settings = {"focus": lambda new: tie_element(member_id, form.person.data), **overrides}
    return Change(
        element=element,
        form_template="cases/_tie_form.html",
        form=form,
        apply=apply,
        block=lambda case: _member_block(case, member_id),
        prefix=prefix,
        fields=TIE_FIELDS,
        fallback="person",
        prepare=form.prepare,
        context=lambda case: {
            "member": find_or_none(lambda: editing.get_member(case, member_id)),
            "tie": person_id and find_or_none(lambda: editing.get_tie(case, member_id, person_id)),
        },
        **settings,
    )


@bp.post("/<code>/netwerk/<member_id>/banden")
def create_tie(code, member_id):
    """Add a tie between a network member and a person."""
    form = TieForm()
    return save_change(
        code,
        _tie_change(
            form,
            member_id,
            new_tie_element(member_id),
            lambda case: editing.add_tie(case, member_id, **form.values()),
            once=True,
        ),
    )


@bp.get("/<code>/netwerk/<member_id>/banden/<person_id>")
def tie(code, member_id, person_id):
    """One tie, read-only."""
    family, case = load_or_404(code)
    found = find_or_404(lambda: editing.get_tie(case, member_id, person_id))
    element = tie_element(member_id, person_id)
    return show_item(
        code,
        family,
        case,
        [element],
        "cases/_tie.html",
        element,
        member=editing.get_member(case, member_id),
        tie=found,
    )


@bp.get("/<code>/netwerk/<member_id>/banden/<person_id>/wijzigen")
def edit_tie(code, member_id, person_id):
    """The form for one tie."""
    family, case = load_or_404(code)
    element = tie_element(member_id, person_id)
    found = find_or_none(lambda: editing.get_tie(case, member_id, person_id))
    if found is None:
        return item_gone(family, case, _member_block(case, member_id), element)
    form = TieForm.of(found, family["version"]).prepare(case)
    return show_form(
        family,
        case,
        element,
        "cases/_tie_form.html",
        form,
        member=editing.get_member(case, member_id),
        tie=found,
    )


@bp.post("/<code>/netwerk/<member_id>/banden/<person_id>")
def update_tie(code, member_id, person_id):
    """Save one tie."""
    form = TieForm()
    return save_change(
        code,
        _tie_change(
            form,
            member_id,
            tie_element(member_id, person_id),
            lambda case: editing.update_tie(case, member_id, person_id, **form.values()),
            person_id,
        ),
    )


@bp.post("/<code>/netwerk/<member_id>/banden/<person_id>/verwijderen")
def delete_tie(code, member_id, person_id):
    """Delete one tie."""
    return save_change(
        code,
        _tie_change(
            TieForm(),
            member_id,
            tie_element(member_id, person_id),
            lambda case: editing.remove_tie(case, member_id, person_id),
            person_id,
            focus=None,
            validate=False,
            refused=REFUSED_DELETE,
        ),
    )
