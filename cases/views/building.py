"""The guided new-family flow, "Gezin opbouwen": parents, children, who lives where,
family and network, one row per person, with the genogram growing beside it.

Every row is one save through the same validation and store as the family page and the
genogram's side panel (``cases.store.save_case``, with the layout memory kept by its
``on_case_written`` hook), in one transaction with the row's token: a second submit of
the same row adds nobody, a refused row changes nothing and says why in Dutch. The
links are made by :mod:`cases.building`.
"""

import flask
import flask_login

from cases import building, codes, editing, store
from cases.build_forms import NAME_HINT, MemberRowForm, PersonRowForm, ResidenceForm
from cases.validation import CaseFormatError
from cases.views.blueprint import bp
from cases.views.responses import load_or_404
from cases.views.saving import FAMILY_CHANGED_EVENT
from core import submissions
from core.htmx import vary_on_htmx, wants_fragment
from core.web import get_db

BUILD_ID = "gezin-opbouwen"

PARENTS, CHILDREN, RESIDENCES, FAMILY, NETWORK = (
    "ouders", "kinderen", "wonen", "familie", "netwerk",
)  # fmt: skip
# The steps in their order: (step, heading).
STEPS = (
    (PARENTS, "Ouders"),
    (CHILDREN, "Kinderen"),
    (RESIDENCES, "Wie woont waar"),
    (FAMILY, "Familie"),
    (NETWORK, "Netwerk en banden"),
)
ROW_STEPS = (PARENTS, CHILDREN, FAMILY, NETWORK)
ALL_AT_HOME = "thuis"  # the residence form's "everyone else lives at home"


def field_id(step, name="name"):
    """The id of a field of a step's row (``ouders-name``), or of a residence select."""
    return f"{step}-{name}"


def residence_id(person_id):
    return field_id(RESIDENCES, person_id)


def _forms(case, refused=None):
    """A fresh row form per step (new tokens), or the refused one kept as typed."""
    forms = {}
    for step in ROW_STEPS:
        if refused and refused[0] == step:
            forms[step] = refused[1]
            continue
        form = MemberRowForm(formdata=None) if step == NETWORK else PersonRowForm(formdata=None)
        forms[step] = form.prepare(case)
    return forms


def _next_field(case, step):
    """Where Enter in an empty name field of ``step`` goes: the next step's first field."""
    order = [s for s, _ in STEPS]
    following = order[order.index(step) + 1 :] if step in order else []
    for later in following:
        if later == RESIDENCES:
            if case["persons"]:
                return residence_id(case["persons"][0]["id"])
            continue
        return field_id(later)
    return None


def _context(family, case, *, focus, refused=None, messages=None):
    parents = building.flow_parents(case)
    children = building.flow_children(case)
    own = set(parents) | set(children)
    return {
        "family": family,
        "case": case,
        "build_id": BUILD_ID,
        "steps": STEPS,
        "step_ids": {
            "parents": PARENTS,
            "children": CHILDREN,
            "residences": RESIDENCES,
            "family": FAMILY,
            "network": NETWORK,
        },  # fmt: skip
        "forms": _forms(case, refused),
        "residence_form": ResidenceForm(formdata=None),
        "all_at_home": ALL_AT_HOME,
        "field_id": field_id,
        "residence_id": residence_id,
        "next_field": lambda step: _next_field(case, step),
        "focus": focus,
        "messages": messages or {},
        "name_hint": NAME_HINT,
        "persons_by_id": {p["id"]: p for p in case["persons"]},
        "sex_labels": codes.SEXES,
        "parents": parents,
        "children": children,
        "others": [p["id"] for p in case["persons"] if p["id"] not in own],
        "display_name": lambda pid: editing.display_name(case, pid),
    }


def _answer(code, context, status=200, *, changed=False):
    """The flow's part alone for htmx, the whole page otherwise."""
    if wants_fragment(BUILD_ID):
        response = flask.make_response(
            flask.render_template("cases/_build.html", **context), status
        )
        if changed:
            # The genogram beside the form redraws itself on this event.
            response.headers["HX-Trigger"] = FAMILY_CHANGED_EVENT
        return vary_on_htmx(response)
    if status == 200 and changed:
        return flask.redirect(flask.url_for("cases.build", code=code, focus=context["focus"]), 303)
    html = flask.render_template("cases/build.html", **context)
    return vary_on_htmx(flask.make_response(html, status))


@bp.get("/<code>/opbouwen")
def build(code):
    """The guided flow for a family: its rows, filled so far, and its genogram."""
    family, case = load_or_404(code)
    focus = flask.request.args.get("focus") or field_id(PARENTS)
    return _answer(code, _context(family, case, focus=focus))


def _after(case, step):
    """The field that gets the focus after a row of ``step`` was added: the same step's
    next row, except after the second parent (then the children)."""
    if step == PARENTS and len(building.flow_parents(case)) >= 2:
        return field_id(CHILDREN)
    return field_id(step)


def _apply_row(step, form, case):
    """The case with the row of ``step`` added."""
    if step == NETWORK:
        person = form.person.data
        if person not in {p["id"] for p in case["persons"]}:
            raise editing.EditError("Kies met wie dit netwerklid een band heeft.")
        return building.add_member(case, form.name.data.strip(), person, form.partner.data)[0]
    if step == PARENTS:
        return building.add_parent(case, form.values())[0]
    if step == CHILDREN:
        return building.add_child(case, form.values(child=True))[0]
    return building.add_relative(case, form.values(), form.link.data)[0]


def _messages(error):
    """The Dutch messages of a refused change."""
    if isinstance(error, CaseFormatError):
        return [issue.dutch for issue in error.issues]
    return [str(error)]


@bp.post("/<code>/opbouwen/<step>")
def build_add(code, step):
    """Add the row of one step (a parent, child, family member or network member)."""
    if step not in ROW_STEPS:
        flask.abort(404)
    db = get_db()
    family, case = load_or_404(code)
    form = (MemberRowForm() if step == NETWORK else PersonRowForm()).prepare(case)

    def refuse(messages=()):
        family_now, case_now = load_or_404(code)
        context = _context(
            family_now,
            case_now,
            focus=field_id(step),
            refused=(step, form),
            messages={step: list(messages)},
        )
        return _answer(code, context, 422)

    if not form.validate():
        return refuse()

    def add():
        family, case = store.load_family(db, code)
        store.save_case(
            db, _apply_row(step, form, case), replace=True, expected_version=family["version"]
        )
        return True

    try:
        # The row's token among every create form's, under the family's URL so erasing
        # the family forgets it: the same row again (Enter twice) adds nobody.
        _, added = submissions.once(
            db, form.token.data, flask_login.current_user.id, flask.request.path, add
        )
    except (editing.EditError, CaseFormatError) as error:
        return refuse(_messages(error))
    family, case = load_or_404(code)
    context = _context(family, case, focus=_after(case, step))
    return _answer(code, context, changed=added)


@bp.post("/<code>/opbouwen/wonen")
def build_residence(code):
    """Where one person lives now, or: everyone not known yet lives at home."""
    db = get_db()
    form = ResidenceForm()
    # A select saves itself on change and hears back only in its own message line, so
    # that nothing is redrawn under a user already choosing the next one.
    inline = wants_fragment(residence_id(form.person.data or "") + "-error")
    everyone = flask.request.form.get("alle") == ALL_AT_HOME
    residence = (form.residence.data or "").strip() or None
    try:
        with db.atomic():
            family, case = store.load_family(db, code)
            if family is None:
                flask.abort(404)
            if everyone:
                new_case = building.others_at_home(case)
            else:
                if form.person.data not in {p["id"] for p in case["persons"]}:
                    raise editing.EditError("Deze persoon bestaat niet (meer) in dit gezin.")
                new_case = building.set_residence(case, form.person.data, residence)
            changed = new_case != case
            if changed:
                store.save_case(db, new_case, replace=True, expected_version=family["version"])
    except (editing.EditError, CaseFormatError) as error:
        messages = _messages(error)
        if inline:
            return vary_on_htmx(flask.make_response(" ".join(messages), 422))
        family, case = load_or_404(code)
        context = _context(
            family, case, focus=field_id(RESIDENCES), messages={RESIDENCES: messages}
        )
        return _answer(code, context, 422)
    if inline:
        response = vary_on_htmx(flask.make_response("", 200))
        if changed:
            response.headers["HX-Trigger"] = FAMILY_CHANGED_EVENT
        return response
    family, case = load_or_404(code)
    focus = field_id(FAMILY) if everyone else residence_id(form.person.data)
    return _answer(code, _context(family, case, focus=focus), changed=changed)
