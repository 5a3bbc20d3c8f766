"""The genogram's side panel: click a person or member in the drawing to edit it, or to
add a parent, partner, child, sibling or network member next to them.

The panel saves through the family page's machinery (:func:`cases.views.saving._save`):
the same forms, validation, version check and Dutch messages, so an edit in the panel
and one in the list below behave alike. After a save the drawing redraws itself on the
``family-changed`` event and the list on ``genogram-edited``. Without htmx every URL
here is a page of its own: the full-screen genogram with the panel open.
"""

import flask

from cases import editing, relatives
from cases.forms import MemberForm, PersonForm
from cases.views.blocks import Block
from cases.views.responses import edit_state, family_context, find_or_none, load_or_404, show_form
from cases.views.saving import REFUSED_DELETE, Change, save_change
from core.htmx import vary_on_htmx, wants_fragment
from genogram.forms import NetworkRelativeForm, RelativeForm
from genogram.views import EDITED_EVENT, PANEL_ID, bp, drawing_of, template_ids, wants_all

PANEL_TEMPLATE = "genogram/_panel.html"

PERSON_FIELDS = {key: key for key in editing.PERSON_FIELDS}
MEMBER_FIELDS = {key: key for key in editing.MEMBER_FIELDS}
RELATIVE_FIELDS = {
    **{key: key for key in ("name", "sex", "birth_year", "deceased", "residence")},
    "type": "link",
    "status": "link",
}
NETWORK_RELATIVE_FIELDS = {
    **MEMBER_FIELDS,
    **{key: key for key in ("strength", "flow", "stressful")},
}


def _kind(kind):
    if kind not in relatives.RELATIVES:
        flask.abort(404)
    return kind


def _panel_page(family, case, *, status=200, **extra):
    """The full-screen genogram with the panel open: the answer without htmx."""
    html = flask.render_template(
        "genogram/show.html",
        drawing=drawing_of(case, full=wants_all()),
        **_panel_context(family, case, extra),
    )
    return vary_on_htmx(flask.make_response(html, status))


def _panel_context(family, case, extra):
    """The template context of the panel; ``extra`` may repeat the template ids."""
    panel = {"selected": None, "member": None, "relative": None, **template_ids(), **extra}
    return family_context(family, case, **panel)


def _panel(family, case, *, status=200, **extra):
    """The panel alone for htmx, the page around it otherwise."""
    if wants_fragment(PANEL_ID):
        html = flask.render_template(PANEL_TEMPLATE, **_panel_context(family, case, extra))
        return vary_on_htmx(flask.make_response(html, status))
    return _panel_page(family, case, status=status, **extra)


def _person_panel_block(person_id):
    """The panel showing one person (or, once they are gone, the empty panel)."""

    def block(case):
        person = find_or_none(lambda: editing.get_person(case, person_id))
        return Block(PANEL_ID, PANEL_TEMPLATE, {**template_ids(), "selected": person})

    return block


def _member_panel_block(member_id):
    def block(case):
        member = find_or_none(lambda: editing.get_member(case, member_id))
        return Block(PANEL_ID, PANEL_TEMPLATE, {**template_ids(), "member": member})

    return block


def _panel_url(code, person_id=None, member_id=None):
    if member_id:
        return flask.url_for("genogram.panel_member", code=code, member_id=member_id)
    if person_id:
        return flask.url_for("genogram.panel_person", code=code, person_id=person_id)
    return flask.url_for("genogram.show", code=code)


def _change(code, form, apply, block, **extra):
    return Change(
        element=PANEL_ID,
        form_template=PANEL_TEMPLATE,
        form=form,
        apply=apply,
        block=block,
        page=_panel_page,
        events=(EDITED_EVENT,),
        **extra,
    )


@bp.get("/<code>/genogram/paneel")
def panel_close(code):
    """The empty panel (what "Sluiten" and "Annuleren" ask for)."""
    family, case = load_or_404(code)
    return _panel(family, case)


# --------------------------------------------------------------------------- persons


@bp.get("/<code>/genogram/personen/<person_id>")
def panel_person(code, person_id):
    """One person in the panel: their form and the buttons to add relatives."""
    family, case = load_or_404(code)
    person = find_or_none(lambda: editing.get_person(case, person_id))
    if person is None:
        flask.abort(404)
    form = PersonForm.of(person, family["version"])
    return _panel(family, case, selected=person, edit=edit_state(PANEL_ID, form))


@bp.post("/<code>/genogram/personen/<person_id>")
def panel_save_person(code, person_id):
    """Save the person edited in the panel."""
    form = PersonForm()
    return save_change(
        code,
        _change(
            code,
            form,
            lambda case: editing.update_person(case, person_id, **form.values()),
            _person_panel_block(person_id),
            prefix=lambda case, new: f"persons[{editing.person_position(new, person_id)}]",
            fields=PERSON_FIELDS,
            context=lambda case: {
                **template_ids(),
                "selected": find_or_none(lambda: editing.get_person(case, person_id)),
            },
            done=lambda case: _panel_url(code, person_id),
        ),
    )


@bp.post("/<code>/genogram/personen/<person_id>/verwijderen")
def panel_delete_person(code, person_id):
    """Delete the person selected, with their relations and ties; the panel empties."""
    return save_change(
        code,
        _change(
            code,
            PersonForm(),
            lambda case: editing.remove_person(case, person_id),
            _person_panel_block(person_id),
            validate=False,
            refused=REFUSED_DELETE,
            context=lambda case: {
                **template_ids(),
                "selected": find_or_none(lambda: editing.get_person(case, person_id)),
            },
            done=lambda case: _panel_url(code),
        ),
    )


# --------------------------------------------------------------------------- relatives


def _relative_form(kind, case, person_id, version):
    if kind == "netwerklid":
        return NetworkRelativeForm.new(version)
    return RelativeForm.new(kind, case, person_id, version)


@bp.get("/<code>/genogram/personen/<person_id>/nieuw/<relative>")
def panel_new_relative(code, person_id, relative):
    """The form for a new relative of the person selected."""
    family, case = load_or_404(code)
    person = find_or_none(lambda: editing.get_person(case, person_id))
    if person is None:
        flask.abort(404)
    kind = _kind(relative)
    form = _relative_form(kind, case, person_id, family["version"])
    return show_form(
        family,
        case,
        PANEL_ID,
        PANEL_TEMPLATE,
        form,
        page=_panel_page,
        selected=person,
        relative=kind,
        **template_ids(),
    )


def _add(kind, case, person_id, form):
    """Apply the new relative to ``case``: (new case, id of the new person or member)."""
    if kind == "netwerklid":
        return relatives.add_network_member(
            case, person_id, form.member_values(), form.tie_values()
        )
    values = form.person_values()
    if kind == "ouder":
        return relatives.add_parent(case, person_id, values, form.link.data)
    if kind == "partner":
        return relatives.add_partner(case, person_id, values, form.link.data)
    if kind == "kind":
        return relatives.add_child(case, person_id, values, form.link.data, form.parents.data)
    return relatives.add_sibling(case, person_id, values, form.parents.data)


@bp.post("/<code>/genogram/personen/<person_id>/nieuw/<relative>")
def panel_create_relative(code, person_id, relative):
    """Add the relative: person (or member) and links in one save; the panel then shows
    the newcomer, so their details can follow at once."""
    kind = _kind(relative)
    network = kind == "netwerklid"
    form = NetworkRelativeForm() if network else RelativeForm()
    added = {}

    def apply(case):
        new, added["id"] = _add(kind, case, person_id, form)
        return new

    def block(case):
        # Before the save (a stale version) nothing is added yet: the person selected.
        if "id" not in added:
            return _person_panel_block(person_id)(case)
        if network:
            return _member_panel_block(added["id"])(case)
        return _person_panel_block(added["id"])(case)

    def prefix(case, new):
        if network:
            return f"network[{len(new['network']) - 1}]"
        return f"persons[{len(new['persons']) - 1}]"

    def context(case):
        return {
            **template_ids(),
            "selected": find_or_none(lambda: editing.get_person(case, person_id)),
            "relative": kind,
        }

    def prepare(case):
        if not network:
            form.prepare(kind, case, person_id)

    def done(case):
        if network:
            return _panel_url(code, member_id=added["id"])
        return _panel_url(code, person_id=added["id"])

    return save_change(
        code,
        _change(
            code,
            form,
            apply,
            block,
            prefix=prefix,
            fields=NETWORK_RELATIVE_FIELDS if network else RELATIVE_FIELDS,
            context=context,
            prepare=prepare,
            done=done,
            once=True,
            memo=added,
        ),
    )


# --------------------------------------------------------------------------- members


@bp.get("/<code>/genogram/netwerk/<member_id>")
def panel_member(code, member_id):
    """One network member in the panel: their form and their ties."""
    family, case = load_or_404(code)
    member = find_or_none(lambda: editing.get_member(case, member_id))
    if member is None:
        flask.abort(404)
    form = MemberForm.of(member, family["version"])
    return _panel(family, case, member=member, edit=edit_state(PANEL_ID, form))


def _member_context(member_id):
    return lambda case: {
        **template_ids(),
        "member": find_or_none(lambda: editing.get_member(case, member_id)),
    }


@bp.post("/<code>/genogram/netwerk/<member_id>")
def panel_save_member(code, member_id):
    """Save the network member edited in the panel."""
    form = MemberForm()
    return save_change(
        code,
        _change(
            code,
            form,
            lambda case: editing.update_member(case, member_id, **form.values()),
            _member_panel_block(member_id),
            prefix=lambda case, new: f"network[{editing.member_position(new, member_id)}]",
            fields=MEMBER_FIELDS,
            context=_member_context(member_id),
            done=lambda case: _panel_url(code, member_id=member_id),
        ),
    )


@bp.post("/<code>/genogram/netwerk/<member_id>/verwijderen")
def panel_delete_member(code, member_id):
    """Delete the network member selected, with their ties."""
    return save_change(
        code,
        _change(
            code,
            MemberForm(),
            lambda case: editing.remove_member(case, member_id),
            _member_panel_block(member_id),
            validate=False,
            refused=REFUSED_DELETE,
            context=_member_context(member_id),
            done=lambda case: _panel_url(code),
        ),
    )
