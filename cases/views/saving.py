"""Saving an edit made through a form, or saying precisely why it was refused."""

import dataclasses
import re

import flask

from cases import editing, store
from cases.index_children import index_names
from cases.validation import CaseFormatError
from cases.views.ids import SITUATION_ID
from cases.views.responses import (
    _block_response,
    _conflict,
    _to_page,
    family_context,
    load_or_404,
    show_form,
)
from core import htmx as events
from core import submissions
from core.htmx import wants_fragment
from core.web import get_db, this_form

REFUSED_DELETE = "Verwijderen kan niet. "


def _field_of(path, prefix, fields, fallback):
    """The form field an issue path belongs to, or None when it lies elsewhere."""
    if prefix == "":
        return fields.get(path)
    if path == prefix:
        return fallback
    if not path.startswith(prefix + "."):
        return None
    key = re.match(r"[A-Za-z_]*", path[len(prefix) + 1 :]).group()
    return fields.get(key)


def _place_issues(form, issues, case, prefix, fields, fallback=None):
    """Put each issue beside its field; return the others as Dutch sentences saying where."""
    messages = []
    for issue in issues:
        name = _field_of(issue.path, prefix, fields, fallback) if prefix is not None else None
        if name is not None:
            field = getattr(form, name)
            if issue.dutch not in field.errors:
                field.errors = [*field.errors, issue.dutch]
            continue
        message = f"{editing.describe(case, issue.path)}: {issue.dutch}"
        if message not in messages:
            messages.append(message)
    return messages


@dataclasses.dataclass
class Change:
    """One edit through a form: what it does, what it redraws, how issues map back.

    The callables get the case as loaded for this request (``apply``, ``block``,
    ``context``, ``prepare``) or, for ``prefix`` and ``focus``, the case as it would be
    after the change.
    """

    element: str  # the item or slot holding the form; the element htmx targets
    form_template: str
    form: object
    apply: object  # case -> new case
    block: object  # case -> Block redrawn after the change (or on a conflict)
    prefix: object = None  # (case, new case) -> issue path of the edited object
    fields: dict = dataclasses.field(default_factory=dict)  # format key -> form field
    fallback: str | None = None  # form field for issues about the object as a whole
    focus: object = None  # new case -> element whose button gets the focus afterwards
    context: object = None  # case -> extra template context for the form
    prepare: object = None  # case -> None: choices of the form that depend on the case
    validate: bool = True  # a delete only needs the version
    refused: str = ""  # put before messages of a refused delete
    # Elsewhere than the family page (the genogram's side panel): the whole page for a
    # request without htmx, (family, case, status=, **extra) -> response, and where a
    # saved change goes then, new case -> URL; more events for htmx to announce.
    page: object = None
    done: object = None
    events: tuple = ()
    # A create: its form's token (core.submissions) makes a second submit of the same
    # form answer with what the first one made instead of adding it again.
    once: bool = False
    # What ``apply`` notes about the record it made (its id, for ``block`` and ``done``):
    # kept with a create's result, so a repeated submit answers about the same record.
    memo: dict | None = None


FAMILY_CHANGED_EVENT = events.FAMILY_CHANGED


def save_change(code, change):
    """Apply a change and store it, or say precisely why not; nothing is written then."""
    db = get_db()
    family, case = load_or_404(code)
    form = change.form
    if change.prepare:
        change.prepare(case)

    def refuse(status, messages=()):
        context = change.context(case) if change.context else {}
        return show_form(
            family,
            case,
            change.element,
            change.form_template,
            form,
            status=status,
            messages=messages,
            page=change.page,
            **context,
        )

    token, user_id, scope = this_form()
    token = submissions.valid(token) if change.once else None
    if token:
        made, result = submissions.earlier(db, token, user_id, scope)
        if made:  # the same form again (a double click): what the first submit made
            _recall(change, result)
            return _saved(code, change, case, result["focus"], replayed=True)

    valid = form.validate() if change.validate else form.version.validate(form)
    if not valid:
        return refuse(422)
    version = form.version.data
    if version != family["version"]:
        return _conflict(family, case, change.block(case), change.element, page=change.page)
    try:
        new_case = change.apply(case)
    except editing.NotFound:
        flask.abort(404)  # the version is current, so the URL names nothing real
    except editing.EditError as error:
        return refuse(422, [change.refused + str(error)])

    def save():
        store.save_case(db, new_case, replace=True, expected_version=version)
        if not token:
            return {"focus": None}  # found in the case the answer loads anyway
        # What a repeated submit shows again, kept with the change in its transaction.
        _, saved = store.load_family(db, code)
        focus = change.focus(saved) if change.focus else change.block(saved).slot
        return {"focus": focus, "memo": change.memo}

    try:
        result, first = submissions.once(db, token, user_id, scope, save)
    except CaseFormatError as error:
        prefix = change.prefix(case, new_case) if change.prefix else None
        messages = _place_issues(
            form, error.issues, new_case, prefix, change.fields, change.fallback
        )
        return refuse(422, [change.refused + m for m in messages])
    except store.StaleVersion:
        family, case = load_or_404(code)
        return _conflict(family, case, change.block(case), change.element, page=change.page)
    if not first:
        _recall(change, result)
    return _saved(code, change, case, result["focus"], replayed=not first)


def _recall(change, result):
    if change.memo is not None:
        change.memo.update(result.get("memo") or {})


def _saved(code, change, case_before, focus, *, replayed=False):
    """The answer to a saved change (or to a repeated submit of a create that was saved):
    the block redrawn with the new state, the focus where the change put it."""
    index_before = index_names(case_before)
    family, case = load_or_404(code)
    block = change.block(case)
    if focus is None:
        focus = change.focus(case) if change.focus else block.slot
    if wants_fragment(change.element):
        response = _block_response(family, case, block, focus=focus)
        if block.element == SITUATION_ID or index_names(case) != index_before or replayed:
            # The title, goal, status and the index children also show in the page head.
            head = flask.render_template(
                "cases/_family_head.html", oob_head=True, **family_context(family, case)
            )
            response.set_data(response.get_data(as_text=True) + head)
        # Whatever shows the family (the genogram) redraws itself on this event.
        response.headers["HX-Trigger"] = ", ".join((FAMILY_CHANGED_EVENT, *change.events))
        return response
    if change.done:
        return flask.redirect(change.done(case), 303)
    return _to_page(code, focus or block.element)
