"""The relations between persons: partners, parents and children, emotional bonds."""

import flask

from cases import editing
from cases.forms import RelationForm
from cases.views.blocks import _relations_block
from cases.views.blueprint import bp
from cases.views.ids import RELATIONS_ID, new_relation_element, relation_element
from cases.views.responses import (
    RELATION_GROUPS,
    find_or_404,
    find_or_none,
    item_gone,
    load_or_404,
    show_form,
    show_item,
)
from cases.views.saving import REFUSED_DELETE, Change, save_change

RELATION_FIELDS = {
    "a": "first",
    "parent": "first",
    "b": "second",
    "child": "second",
    "status": "detail",
    "type": "detail",
    "quality": "detail",
    "by": "by",
}


def _kind(kind):
    if kind not in editing.RELATION_KEYS:
        flask.abort(404)
    return kind


@bp.get("/<code>/relaties")
def relations(code):
    """The relations, read-only (also answers "Annuleren" of a new relation)."""
    family, case = load_or_404(code)
    elements = [RELATIONS_ID, *(new_relation_element(kind) for kind, *_ in RELATION_GROUPS)]
    return show_item(code, family, case, elements, "cases/_relations.html", RELATIONS_ID)


@bp.get("/<code>/relaties/nieuw/<kind>")
def new_relation(code, kind):
    """The form for a new relation of one kind (partners, parent and child, emotional)."""
    family, case = load_or_404(code)
    form = RelationForm(formdata=None, data={"version": family["version"], "kind": _kind(kind)})
    return show_form(
        family,
        case,
        new_relation_element(kind),
        "cases/_relation_form.html",
        form.prepare(kind, case),
        relation=None,
        index=None,
        kind=kind,
    )


def _relation_change(form, element, apply, kind, index=None, **extra):
    """``kind`` is a function of the loaded case: an existing relation keeps its kind."""
    return Change(
        element=element,
        form_template="cases/_relation_form.html",
        form=form,
        apply=apply,
        block=_relations_block,
        fields=RELATION_FIELDS,
        fallback="second",
        prepare=lambda case: form.prepare(kind(case), case),
        context=lambda case: {
            "relation": None
            if index is None
            else find_or_none(lambda: editing.get_relation(case, index)),
            "index": index,
            "kind": kind(case),
        },
        **extra,
    )


@bp.post("/<code>/relaties")
def create_relation(code):
    """Add a relation."""
    form = RelationForm()
    kind = _kind(form.kind.data)
    return save_change(
        code,
        _relation_change(
            form,
            new_relation_element(kind),
            lambda case: editing.add_relation(case, kind, **form.values()),
            lambda case: kind,
            prefix=lambda case, new: f"relations[{len(new['relations']) - 1}]",
            focus=lambda new: relation_element(len(new["relations"]) - 1),
            once=True,
        ),
    )


@bp.get("/<code>/relaties/<int:index>")
def relation(code, index):
    """One relation, read-only."""
    family, case = load_or_404(code)
    found = find_or_404(lambda: editing.get_relation(case, index))
    element = relation_element(index)
    return show_item(
        code, family, case, [element], "cases/_relation.html", element, relation=found, index=index
    )


@bp.get("/<code>/relaties/<int:index>/wijzigen")
def edit_relation(code, index):
    """The form for one relation."""
    family, case = load_or_404(code)
    element = relation_element(index)
    found = find_or_none(lambda: editing.get_relation(case, index))
    if found is None:
        return item_gone(family, case, _relations_block(case), element)
    form = RelationForm.of(found, family["version"]).prepare(found["kind"], case)
    return show_form(
        family,
        case,
        element,
        "cases/_relation_form.html",
        form,
        relation=found,
        index=index,
        kind=found["kind"],
    )


def _stored_kind(index, form):
    """The stored relation's kind, which an edit keeps; the form's if the relation is gone."""

    def kind(case):
        stored = find_or_none(lambda: editing.get_relation(case, index))
        return stored["kind"] if stored else _kind(form.kind.data)

    return kind


@bp.post("/<code>/relaties/<int:index>")
def update_relation(code, index):
    """Save one relation (its kind stays)."""
    form = RelationForm()
    kind = _stored_kind(index, form)
    return save_change(
        code,
        _relation_change(
            form,
            relation_element(index),
            lambda case: editing.update_relation(case, index, kind(case), **form.values()),
            kind,
            index,
            prefix=lambda case, new: f"relations[{index}]",
            focus=lambda new: relation_element(index),
        ),
    )


@bp.post("/<code>/relaties/<int:index>/verwijderen")
def delete_relation(code, index):
    """Delete one relation."""
    form = RelationForm()
    kind = _stored_kind(index, form)
    return save_change(
        code,
        _relation_change(
            form,
            relation_element(index),
            lambda case: editing.remove_relation(case, index),
            kind,
            index,
            validate=False,
            refused=REFUSED_DELETE,
            # back to the add button of the deleted relation's group
            focus=lambda new: (
                new_relation_element(form.kind.data)
                if form.kind.data in editing.RELATION_KEYS
                else None
            ),
        ),
    )
