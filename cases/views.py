"""Family pages: the list with active search, and one family's page with in-place editing.

Editing follows the contact-app pattern: a read-only partial with a "Wijzigen" button
that fetches the edit form into its own place (``hx-target="this"``); saving answers
the read-only partial again. A change that shows elsewhere too (a person's name appears
in relations and ties) answers the block that holds all of it, retargeted with
``HX-Retarget``. Whether a request gets a fragment or the whole page is decided by the
element that asked (``HX-Target``), never by ``HX-Request`` alone.

Every edit form carries the family's version; the store refuses a save on a stale copy
and the user sees the current state with a Dutch explanation (409).
"""

import dataclasses
import datetime
import re
import types

import flask
import flask_login

from cases import codes, editing, store
from cases.forms import (
    MemberForm,
    PersonForm,
    PlacementForm,
    RelationForm,
    SituationForm,
    TieForm,
)
from cases.validation import CaseFormatError
from core.web import get_db, htmx

bp = flask.Blueprint("cases", __name__, url_prefix="/gezinnen")

# Element ids that the htmx requests target; kept as constants and tested.
ROWS_ID = "family-rows"
SEARCH_ID = "family-search"

# The family page: sections (id, heading) in page order.
SECTIONS = (
    ("situatie", "Situatie"),
    ("gezin-en-netwerk", "Gezin en netwerk"),
    ("signalen", "Signalen"),
    ("vergelijkbare-casussen", "Vergelijkbare casussen"),
    ("overleggen", "Overleggen"),
)
HEAD_ID = "gezin-kop"
SITUATION_ID = "situatie-gegevens"
FAMILY_ID = "gezin-en-netwerk-inhoud"
RELATIONS_ID = "relaties"
NETWORK_ID = "netwerk"
NEW_PERSON_ID = "nieuwe-persoon"
NEW_MEMBER_ID = "nieuw-netwerklid"


# Item and slot ids: slots ("nieuwe-...") never start like an item id, so a local id
# such as "nieuw" cannot clash with them.
def person_element(person_id):
    return f"persoon-{person_id}"


def placement_element(person_id, index):
    return f"plaatsing-{person_id}-{index}"


def new_placement_element(person_id):
    return f"nieuwe-plaatsing-{person_id}"


def relation_element(index):
    return f"relatie-{index}"


def new_relation_element(kind):
    return f"nieuwe-relatie-{kind}"


def member_element(member_id):
    return f"netwerklid-{member_id}"


def tie_element(member_id, person_id):
    return f"band-{member_id}-{person_id}"


def new_tie_element(member_id):
    return f"nieuwe-band-{member_id}"


def selector(element):
    """A CSS selector for an element id (local ids may hold a '.')."""
    return "#" + re.sub(r"([^A-Za-z0-9_-])", r"\\\1", element)


IDS = types.SimpleNamespace(
    head=HEAD_ID,
    situation=SITUATION_ID,
    family=FAMILY_ID,
    relations=RELATIONS_ID,
    network=NETWORK_ID,
    new_person=NEW_PERSON_ID,
    new_member=NEW_MEMBER_ID,
    person=person_element,
    placement=placement_element,
    new_placement=new_placement_element,
    relation=relation_element,
    new_relation=new_relation_element,
    member=member_element,
    tie=tie_element,
    new_tie=new_tie_element,
    selector=selector,
)

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

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
)  # fmt: skip


def nl_date(text):
    """``2019-05-01`` -> ``1 mei 2019``; anything else is shown as it is."""
    try:
        day = datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return text or ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@bp.before_request
@flask_login.login_required
def require_login():
    """Every family page needs a logged-in user."""


def _filters():
    args = flask.request.args
    filters = {
        "search": args.get("q", "").strip()[:200],
        "goal": args.get("goal") if args.get("goal") in codes.GOALS else "",
        "status": args.get("status") if args.get("status") in codes.STATUSES else "",
        "region": args.get("region", "").strip()[:120],
    }
    return filters


@bp.get("/")
def index():
    """The family list, with active search and filters (goal, region, status)."""
    filters = _filters()
    db = get_db()
    families = store.list_families(db, **filters)
    context = {"families": families, "filters": filters, "rows_id": ROWS_ID}
    # Only the search box and filters ask for the rows alone; boosted navigation and
    # history restores get the whole page.
    if htmx and htmx.target == ROWS_ID and not htmx.history_restore_request:
        response = flask.make_response(flask.render_template("cases/_rows.html", **context))
    else:
        response = flask.make_response(
            flask.render_template(
                "cases/index.html",
                regions=store.regions(db),
                search_id=SEARCH_ID,
                **context,
            )
        )
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


# Rendering -----------------------------------------------------------------------


@dataclasses.dataclass
class Block:
    """A part of the family page that is redrawn as a whole after a change."""

    element: str
    template: str
    context: dict = dataclasses.field(default_factory=dict)
    # Where the keyboard focus goes when the block comes back without an item to
    # focus (after a delete or a cancelled "add"): its add button.
    slot: str | None = None


def _situation_block(case):
    return Block(SITUATION_ID, "cases/_situation.html")


def _family_block(case):
    return Block(FAMILY_ID, "cases/_family.html", slot=NEW_PERSON_ID)


def _person_block(case, person_id):
    try:
        person = editing.get_person(case, person_id)
    except editing.NotFound:
        return _family_block(case)
    return Block(
        person_element(person_id),
        "cases/_person.html",
        {"person": person},
        slot=new_placement_element(person_id),
    )


def _relations_block(case):
    return Block(RELATIONS_ID, "cases/_relations.html")


def _network_block(case):
    return Block(NETWORK_ID, "cases/_network.html", slot=NEW_MEMBER_ID)


def _member_block(case, member_id):
    try:
        member = editing.get_member(case, member_id)
    except editing.NotFound:
        return _network_block(case)
    return Block(
        member_element(member_id),
        "cases/_member.html",
        {"member": member},
        slot=new_tie_element(member_id),
    )


def _load(code):
    """The family row and its case; 404 when there is no such family."""
    db = get_db()
    family = store.family_row(db, code)
    if family is None:
        flask.abort(404)
    return family, store.case_from_row(db, family)


def _soft(lookup):
    """The item a lookup finds, or None when it is gone (the version check decides)."""
    try:
        return lookup()
    except editing.NotFound:
        return None


def _context(family, case, **extra):
    context = {
        "case": case,
        "family": family,
        "ids": IDS,
        "names": {p["id"]: editing.display_name(case, p["id"]) for p in case["persons"]},
        "relation_groups": RELATION_GROUPS,
        "nl_date": nl_date,
        "edit": None,
        "notice": None,
        "focus": None,
    }
    context.update(extra)
    return context


def _asked_by(*elements):
    """True when htmx asks on behalf of one of these elements (``HX-Target``)."""
    return bool(htmx) and htmx.target in elements and not htmx.history_restore_request


def _vary(response):
    # One URL answers a fragment or the page depending on these headers.
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


def _page(family, case, *, status=200, **extra):
    """The whole family page, possibly with one form open (``edit``) or a notice."""
    html = flask.render_template(
        "cases/show.html", sections=SECTIONS, **_context(family, case, **extra)
    )
    return _vary(flask.make_response(html, status))


def _fragment(template, family, case, *, status=200, retarget=None, **extra):
    """One partial; ``retarget`` sends it to another element than the one that asked."""
    html = flask.render_template(template, **_context(family, case, **extra))
    response = flask.make_response(html, status)
    if retarget:
        response.headers["HX-Retarget"] = selector(retarget)
        response.headers["HX-Reswap"] = "outerHTML"
    return _vary(response)


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


def _edit_state(element, form, messages=()):
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


def _conflict(family, case, block, element, message=STALE_MESSAGE):
    """409: the family changed since the form was loaded; show the current state."""
    notice = {"element": block.element, "text": message}
    if _asked_by(element):
        return _block_response(family, case, block, status=409, notice=notice)
    return _page(family, case, status=409, notice=notice)


def _show_form(family, case, element, template, form, **context):
    """An edit form: as a fragment for the element that asked, else on the whole page."""
    edit = _edit_state(element, form)
    if _asked_by(element):
        return _fragment(template, family, case, edit=edit, **context)
    return _page(family, case, edit=edit)


def _show_item(code, family, case, elements, template, anchor, **context):
    """A read-only partial (what "Annuleren" asks for); other requests go to the page."""
    if _asked_by(*elements):
        return _fragment(template, family, case, focus=htmx.target, **context)
    return _vary(_to_page(code, anchor, status=302))


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


def _save(code, change):
    """Apply a change and store it, or say precisely why not; nothing is written then."""
    db = get_db()
    family, case = _load(code)
    form = change.form
    if change.prepare:
        change.prepare(case)

    def refuse(status, messages=()):
        edit = _edit_state(change.element, form, messages)
        context = change.context(case) if change.context else {}
        if _asked_by(change.element):
            return _fragment(
                change.form_template, family, case, status=status, edit=edit, **context
            )
        return _page(family, case, status=status, edit=edit)

    valid = form.validate() if change.validate else form.version.validate(form)
    if not valid:
        return refuse(422)
    version = form.version.data
    if version != family["version"]:
        return _conflict(family, case, change.block(case), change.element)
    try:
        new_case = change.apply(case)
    except editing.NotFound:
        flask.abort(404)  # the version is current, so the URL names nothing real
    except editing.EditError as error:
        return refuse(422, [change.refused + str(error)])
    try:
        store.save_case(db, new_case, replace=True, expected_version=version)
    except CaseFormatError as error:
        prefix = change.prefix(case, new_case) if change.prefix else None
        messages = _place_issues(
            form, error.issues, new_case, prefix, change.fields, change.fallback
        )
        return refuse(422, [change.refused + m for m in messages])
    except store.StaleVersion:
        family, case = _load(code)
        return _conflict(family, case, change.block(case), change.element)
    family, case = _load(code)
    block = change.block(case)
    focus = change.focus(case) if change.focus else block.slot
    if _asked_by(change.element):
        response = _block_response(family, case, block, focus=focus)
        if block.element == SITUATION_ID:
            # The title, goal and status also show in the page head.
            head = flask.render_template(
                "cases/_family_head.html", oob_head=True, **_context(family, case)
            )
            response.set_data(response.get_data(as_text=True) + head)
        return response
    return _to_page(code, focus or block.element)


def _item(lookup):
    """Run a lookup of an item named in the URL; a missing one is a 404."""
    try:
        return lookup()
    except editing.NotFound:
        flask.abort(404)


def _missing(family, case, block, element):
    """The item to edit is gone: htmx gets the current block with a notice, a page 404."""
    if _asked_by(element):
        return _conflict(family, case, block, element, GONE_MESSAGE)
    flask.abort(404)


# The page ------------------------------------------------------------------------


@bp.get("/<code>")
def show(code):
    """One family: situatie, gezin en netwerk, signalen, vergelijkbare casussen, overleggen."""
    family, case = _load(code)
    return _page(family, case)


# Situation -----------------------------------------------------------------------

SITUATION_FIELDS = {key: key for key in editing.SITUATION_FIELDS}


@bp.get("/<code>/situatie")
def situation(code):
    """The situation, read-only."""
    family, case = _load(code)
    return _show_item(code, family, case, [SITUATION_ID], "cases/_situation.html", "situatie")


@bp.get("/<code>/situatie/wijzigen")
def edit_situation(code):
    """The form for the situation."""
    family, case = _load(code)
    form = SituationForm.of(case, family["version"])
    return _show_form(family, case, SITUATION_ID, "cases/_situation_form.html", form)


@bp.post("/<code>/situatie")
def update_situation(code):
    """Save the situation."""
    form = SituationForm()
    return _save(
        code,
        Change(
            element=SITUATION_ID,
            form_template="cases/_situation_form.html",
            form=form,
            apply=lambda case: editing.update_situation(case, **form.values()),
            block=_situation_block,
            prefix=lambda case, new: "",
            fields=SITUATION_FIELDS,
            focus=lambda new: SITUATION_ID,
        ),
    )


# Persons -------------------------------------------------------------------------

PERSON_FIELDS = {key: key for key in editing.PERSON_FIELDS}
REFUSED_DELETE = "Verwijderen kan niet. "


@bp.get("/<code>/gezin-en-netwerk")
def family_block(code):
    """Persons, relations and network, read-only (also what "Annuleren" of a new person
    asks for: htmx picks the add button out of it)."""
    family, case = _load(code)
    return _show_item(
        code, family, case, [FAMILY_ID, NEW_PERSON_ID], "cases/_family.html", "gezin-en-netwerk"
    )


@bp.get("/<code>/personen/nieuw")
def new_person(code):
    """The form for a new person."""
    family, case = _load(code)
    form = PersonForm(formdata=None, data={"version": family["version"], "sex": "unknown"})
    return _show_form(family, case, NEW_PERSON_ID, "cases/_person_form.html", form, person=None)


@bp.post("/<code>/personen")
def create_person(code):
    """Add a person."""
    form = PersonForm()
    return _save(
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
        ),
    )


@bp.get("/<code>/personen/<person_id>")
def person(code, person_id):
    """One person, read-only (also answers "Annuleren" of a new placement)."""
    family, case = _load(code)
    found = _item(lambda: editing.get_person(case, person_id))
    return _show_item(
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
    family, case = _load(code)
    element = person_element(person_id)
    found = _soft(lambda: editing.get_person(case, person_id))
    if found is None:
        return _missing(family, case, _family_block(case), element)
    form = PersonForm.of(found, family["version"])
    return _show_form(family, case, element, "cases/_person_form.html", form, person=found)


def _person_change(form, person_id, apply, **extra):
    return Change(
        element=person_element(person_id),
        form_template="cases/_person_form.html",
        form=form,
        apply=apply,
        block=_family_block,
        context=lambda case: {"person": _soft(lambda: editing.get_person(case, person_id))},
        **extra,
    )


@bp.post("/<code>/personen/<person_id>")
def update_person(code, person_id):
    """Save one person; the whole "Gezin en netwerk" comes back (names show everywhere)."""
    form = PersonForm()
    return _save(
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
    return _save(
        code,
        _person_change(
            PersonForm(),
            person_id,
            lambda case: editing.remove_person(case, person_id),
            validate=False,
            refused=REFUSED_DELETE,
        ),
    )


# Placements ----------------------------------------------------------------------

PLACEMENT_FIELDS = {key: key for key in editing.PLACEMENT_FIELDS}


@bp.get("/<code>/personen/<person_id>/plaatsingen/nieuw")
def new_placement(code, person_id):
    """The form for a new placement of a person."""
    family, case = _load(code)
    element = new_placement_element(person_id)
    found = _soft(lambda: editing.get_person(case, person_id))
    if found is None:
        return _missing(family, case, _family_block(case), element)
    form = PlacementForm(formdata=None, data={"version": family["version"]})
    return _show_form(
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
            "person": _soft(lambda: editing.get_person(case, person_id)),
            "index": index,
        },
        **settings,
    )


@bp.post("/<code>/personen/<person_id>/plaatsingen")
def create_placement(code, person_id):
    """Add a placement to a person's history."""
    form = PlacementForm()
    return _save(
        code,
        _placement_change(
            form,
            person_id,
            new_placement_element(person_id),
            lambda case: editing.add_placement(case, person_id, **form.values()),
        ),
    )


@bp.get("/<code>/personen/<person_id>/plaatsingen/<int:index>")
def placement(code, person_id, index):
    """One placement, read-only."""
    family, case = _load(code)
    found = _item(lambda: editing.get_placement(case, person_id, index))
    element = placement_element(person_id, index)
    return _show_item(
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
    family, case = _load(code)
    element = placement_element(person_id, index)
    found = _soft(lambda: editing.get_placement(case, person_id, index))
    if found is None:
        return _missing(family, case, _person_block(case, person_id), element)
    form = PlacementForm.of(found, family["version"])
    return _show_form(
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
    return _save(
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
    return _save(
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


# Relations -----------------------------------------------------------------------

RELATION_FIELDS = {
    "a": "first",
    "parent": "first",
    "b": "second",
    "child": "second",
    "status": "detail",
    "type": "detail",
    "quality": "detail",
}


def _kind(kind):
    if kind not in editing.RELATION_KEYS:
        flask.abort(404)
    return kind


@bp.get("/<code>/relaties")
def relations(code):
    """The relations, read-only (also answers "Annuleren" of a new relation)."""
    family, case = _load(code)
    elements = [RELATIONS_ID, *(new_relation_element(kind) for kind, *_ in RELATION_GROUPS)]
    return _show_item(code, family, case, elements, "cases/_relations.html", RELATIONS_ID)


@bp.get("/<code>/relaties/nieuw/<kind>")
def new_relation(code, kind):
    """The form for a new relation of one kind (partners, parent and child, emotional)."""
    family, case = _load(code)
    form = RelationForm(formdata=None, data={"version": family["version"], "kind": _kind(kind)})
    return _show_form(
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
            "relation": None if index is None else _soft(lambda: editing.get_relation(case, index)),
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
    return _save(
        code,
        _relation_change(
            form,
            new_relation_element(kind),
            lambda case: editing.add_relation(case, kind, **form.values()),
            lambda case: kind,
            prefix=lambda case, new: f"relations[{len(new['relations']) - 1}]",
            focus=lambda new: relation_element(len(new["relations"]) - 1),
        ),
    )


@bp.get("/<code>/relaties/<int:index>")
def relation(code, index):
    """One relation, read-only."""
    family, case = _load(code)
    found = _item(lambda: editing.get_relation(case, index))
    element = relation_element(index)
    return _show_item(
        code, family, case, [element], "cases/_relation.html", element, relation=found, index=index
    )


@bp.get("/<code>/relaties/<int:index>/wijzigen")
def edit_relation(code, index):
    """The form for one relation."""
    family, case = _load(code)
    element = relation_element(index)
    found = _soft(lambda: editing.get_relation(case, index))
    if found is None:
        return _missing(family, case, _relations_block(case), element)
    form = RelationForm.of(found, family["version"]).prepare(found["kind"], case)
    return _show_form(
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
        stored = _soft(lambda: editing.get_relation(case, index))
        return stored["kind"] if stored else _kind(form.kind.data)

    return kind


@bp.post("/<code>/relaties/<int:index>")
def update_relation(code, index):
    """Save one relation (its kind stays)."""
    form = RelationForm()
    kind = _stored_kind(index, form)
    return _save(
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
    return _save(
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


# Network -------------------------------------------------------------------------

MEMBER_FIELDS = {key: key for key in editing.MEMBER_FIELDS}
TIE_FIELDS = {key: key for key in editing.TIE_FIELDS}


@bp.get("/<code>/netwerk")
def network(code):
    """The network, read-only (also answers "Annuleren" of a new member)."""
    family, case = _load(code)
    return _show_item(
        code, family, case, [NETWORK_ID, NEW_MEMBER_ID], "cases/_network.html", NETWORK_ID
    )


@bp.get("/<code>/netwerk/nieuw")
def new_member(code):
    """The form for a new network member."""
    family, case = _load(code)
    form = MemberForm(formdata=None, data={"version": family["version"]})
    return _show_form(family, case, NEW_MEMBER_ID, "cases/_member_form.html", form, member=None)


def _member_change(form, element, apply, member_id=None, **extra):
    return Change(
        element=element,
        form_template="cases/_member_form.html",
        form=form,
        apply=apply,
        fields=MEMBER_FIELDS,
        context=lambda case: {
            "member": member_id and _soft(lambda: editing.get_member(case, member_id))
        },
        **extra,
    )


@bp.post("/<code>/netwerk")
def create_member(code):
    """Add a network member."""
    form = MemberForm()
    return _save(
        code,
        _member_change(
            form,
            NEW_MEMBER_ID,
            lambda case: editing.add_member(case, **form.values()),
            block=_network_block,
            prefix=lambda case, new: f"network[{len(new['network']) - 1}]",
            focus=lambda new: member_element(new["network"][-1]["id"]),
        ),
    )


@bp.get("/<code>/netwerk/<member_id>")
def member(code, member_id):
    """One network member with their ties, read-only (also answers "Annuleren" of a new tie)."""
    family, case = _load(code)
    found = _item(lambda: editing.get_member(case, member_id))
    return _show_item(
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
    family, case = _load(code)
    element = member_element(member_id)
    found = _soft(lambda: editing.get_member(case, member_id))
    if found is None:
        return _missing(family, case, _network_block(case), element)
    form = MemberForm.of(found, family["version"])
    return _show_form(family, case, element, "cases/_member_form.html", form, member=found)


@bp.post("/<code>/netwerk/<member_id>")
def update_member(code, member_id):
    """Save one network member."""
    form = MemberForm()
    return _save(
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
    return _save(
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


# Ties ----------------------------------------------------------------------------


@bp.get("/<code>/netwerk/<member_id>/banden/nieuw")
def new_tie(code, member_id):
    """The form for a new tie of a network member with a person."""
    family, case = _load(code)
    element = new_tie_element(member_id)
    found = _soft(lambda: editing.get_member(case, member_id))
    if found is None:
        return _missing(family, case, _network_block(case), element)
    # the defaults of the exchange format, not simply the first option
    defaults = {"version": family["version"], "strength": "normal", "flow": "both"}
    form = TieForm(formdata=None, data=defaults).prepare(case)
    return _show_form(family, case, element, "cases/_tie_form.html", form, member=found, tie=None)


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
            "member": _soft(lambda: editing.get_member(case, member_id)),
            "tie": person_id and _soft(lambda: editing.get_tie(case, member_id, person_id)),
        },
        **settings,
    )


@bp.post("/<code>/netwerk/<member_id>/banden")
def create_tie(code, member_id):
    """Add a tie between a network member and a person."""
    form = TieForm()
    return _save(
        code,
        _tie_change(
            form,
            member_id,
            new_tie_element(member_id),
            lambda case: editing.add_tie(case, member_id, **form.values()),
        ),
    )


@bp.get("/<code>/netwerk/<member_id>/banden/<person_id>")
def tie(code, member_id, person_id):
    """One tie, read-only."""
    family, case = _load(code)
    found = _item(lambda: editing.get_tie(case, member_id, person_id))
    element = tie_element(member_id, person_id)
    return _show_item(
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
    family, case = _load(code)
    element = tie_element(member_id, person_id)
    found = _soft(lambda: editing.get_tie(case, member_id, person_id))
    if found is None:
        return _missing(family, case, _member_block(case, member_id), element)
    form = TieForm.of(found, family["version"]).prepare(case)
    return _show_form(
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
    return _save(
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
    return _save(
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
