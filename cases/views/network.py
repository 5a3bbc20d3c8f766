"""The family's network: the members around it, added, shown, edited and deleted."""

from cases import editing
from cases.forms import MemberForm
from cases.views.blocks import _member_block, _network_block
from cases.views.blueprint import bp
from cases.views.ids import NETWORK_ID, NEW_MEMBER_ID, member_element, new_tie_element
from cases.views.responses import (
    find_or_404,
    find_or_none,
    item_gone,
    load_or_404,
    show_form,
    show_item,
)
from cases.views.saving import REFUSED_DELETE, Change, save_change

MEMBER_FIELDS = {key: key for key in editing.MEMBER_FIELDS}


@bp.get("/<code>/netwerk")
def network(code):
    """The network, read-only (also answers "Annuleren" of a new member)."""
    family, case = load_or_404(code)
    return show_item(
        code, family, case, [NETWORK_ID, NEW_MEMBER_ID], "cases/_network.html", NETWORK_ID
    )


@bp.get("/<code>/netwerk/nieuw")
def new_member(code):
    """The form for a new network member."""
    family, case = load_or_404(code)
    form = MemberForm(formdata=None, data={"version": family["version"]})
    return show_form(family, case, NEW_MEMBER_ID, "cases/_member_form.html", form, member=None)


def _member_change(form, element, apply, member_id=None, **extra):
    return Change(
        element=element,
        form_template="cases/_member_form.html",
        form=form,
        apply=apply,
        fields=MEMBER_FIELDS,
        context=lambda case: {
            "member": member_id and find_or_none(lambda: editing.get_member(case, member_id))
        },
        **extra,
    )


@bp.post("/<code>/netwerk")
def create_member(code):
    """Add a network member."""
    form = MemberForm()
    return save_change(
        code,
        _member_change(
            form,
            NEW_MEMBER_ID,
            lambda case: editing.add_member(case, **form.values()),
            block=_network_block,
            prefix=lambda case, new: f"network[{len(new['network']) - 1}]",
            focus=lambda new: member_element(new["network"][-1]["id"]),
            once=True,
        ),
    )


@bp.get("/<code>/netwerk/<member_id>")
def member(code, member_id):
    """One network member with their ties, read-only (also answers "Annuleren" of a new tie)."""
    family, case = load_or_404(code)
    found = find_or_404(lambda: editing.get_member(case, member_id))
    return show_item(
        code,
        family,
        case,
        [member_element(member_id), new_tie_element(member_id)],
        "cases/_member.html",
        member_element(member_id),
        member=found,
    )


@bp.get("/<code>/netwerk/<member_id>/wijzigen")
def edit_member(code, member_id):
    """The form for one network member."""
    family, case = load_or_404(code)
    element = member_element(member_id)
    found = find_or_none(lambda: editing.get_member(case, member_id))
    if found is None:
        return item_gone(family, case, _network_block(case), element)
    form = MemberForm.of(found, family["version"])
    return show_form(family, case, element, "cases/_member_form.html", form, member=found)


@bp.post("/<code>/netwerk/<member_id>")
def update_member(code, member_id):
    """Save one network member."""
    form = MemberForm()
    return save_change(
        code,
        _member_change(
            form,
            member_element(member_id),
            lambda case: editing.update_member(case, member_id, **form.values()),
            member_id,
            block=lambda case: _member_block(case, member_id),
            prefix=lambda case, new: f"network[{editing.member_position(new, member_id)}]",
            focus=lambda new: member_element(member_id),
        ),
    )


@bp.post("/<code>/netwerk/<member_id>/verwijderen")
def delete_member(code, member_id):
    """Delete a network member with their ties."""
    return save_change(
        code,
        _member_change(
            MemberForm(),
            member_element(member_id),
            lambda case: editing.remove_member(case, member_id),
            member_id,
            block=_network_block,
            validate=False,
            refused=REFUSED_DELETE,
        ),
    )
