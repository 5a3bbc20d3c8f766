"""Signals on the family page (cards to accept or dismiss) and the rule catalogue.

The cards redraw themselves after every saved edit of the family (``family-changed``),
since an edit can make a signal fire or go quiet. Deciding on a card checks that the
card still shows the current facts (its fingerprint); otherwise it is refused with 409
and the current cards, as with a stale edit form.
"""

import copy

import flask
import flask_login
import markupsafe

from cases import codes, store
from cases.validation import CaseFormatError
from core import htmx as events
from core import submissions
from core.web import get_db, htmx, once_per_form, this_form
from genogram.core import core_persons, dutch_number, is_large
from rules import store as rules_store
from rules import text_hint_store
from rules.engine import show_value
from rules.facts import FACTS
from rules.forms import AcceptForm, DismissForm, TextHintForm
from rules.service import family_signals, fired_across_families
from rules.text_hints import find_hints
from rules.web import get_ruleset

bp = flask.Blueprint("rules", __name__)

SIGNALS_ID = "signalen-inhoud"
STALE = (
    "De gegevens van dit gezin zijn intussen veranderd: dit signaal ziet er nu anders uit "
    "(of geldt niet meer). Er is niets vastgelegd; hieronder staat de huidige stand."
)


# A card names at most this many persons (a large family's signal may concern
# thousands); the genogram highlights them all.
NAMED_AT_MOST = 25


def card_id(rule_id):
    return f"signaal-{rule_id}"


def _names(case):
    return {p["id"]: p["name"] or f"Persoon {p['id']}" for p in case["persons"]}


def signals_context(family, case, *, edit=None, notice=None):
    """What ``rules/_signals.html`` needs (also called from the family page template)."""
    db = get_db()
    signals = family_signals(db, get_ruleset(), family, case)
    for signal in signals:
        signal["accept_form"] = AcceptForm(
            formdata=None,
            data={"fingerprint": signal["fingerprint"], "title": signal["suggestion"],
                  "owner": flask_login.current_user.display_name},
        )  # fmt: skip
        signal["dismiss_form"] = DismissForm(
            formdata=None, data={"fingerprint": signal["fingerprint"]}
        )
        if edit and edit["rule"] == signal["rule"]:
            signal[f"{edit['which']}_form"] = edit["form"]
    participants = rules_store.participants(db, family["id"])
    living, living_note = _choosable(case, participants)
    from rules.loader import SEVERITIES  # the rule engine, loaded by get_ruleset() above

    return {
        **_text_hints_context(db, family, case, living),
        "case": case,
        "family": family,
        "signals_id": SIGNALS_ID,
        "signals": signals,
        "open_signals": [s for s in signals if s["status"] == "open"],
        "handled_signals": [s for s in signals if s["status"] != "open"],
        "severities": SEVERITIES,
        "names": _names(case),
        "card_id": card_id,
        "edit": edit,
        "notice": notice,
        "named_at_most": NAMED_AT_MOST,
        "living": living,
        "living_note": living_note,
        "participants": participants,
        "reasons": rules_store.DISMISS_REASONS,
        "partner_label": lambda code: codes.PARTNERS.get(code, code),
    }


def text_hint_id(problem):
    return f"teksthint-{problem}"


def _text_hints(db, family, case):
    return find_hints(case, dismissed=text_hint_store.dismissed(db, family["id"]))


def _text_hints_context(db, family, case, living):
    """The quiet suggestions above the cards: what the text speaks of and nobody
    recorded, each with a form that records it on a person (proposed by the hint)."""
    hints = []
    choices = [(p["id"], p["name"] or f"Persoon {p['id']}") for p in living]
    for hint in _text_hints(db, family, case):
        form = TextHintForm(
            formdata=None, data={"version": family["version"], "person": hint.person}
        )
        form.person.choices = choices
        hints.append({"hint": hint, "form": form, "id": text_hint_id(hint.problem)})
    return {"text_hints": hints, "text_hint_id": text_hint_id}


def _choosable(case, participants):
    """The living persons the team checklist offers, and a note when that is not all:
    in a large family the core family and whoever already takes part (every one of
    them stays checked, so saving the list keeps them)."""
    living = [p for p in case["persons"] if not p["deceased"]]
    if not is_large(case):
        return living, None
    core = set(core_persons(case, also=participants))
    offered = [p for p in living if p["id"] in core]
    note = (
        f"Alleen het kerngezin en wie al meedoet staan hier: {dutch_number(len(offered))} "
        f"van {dutch_number(len(living))} levende personen."
    )
    return offered, note


def render_signals(family, case):
    """The cards as markup, for the family page (a template global)."""
    html = flask.render_template("rules/_signals.html", **signals_context(family, case))
    return markupsafe.Markup(html)  # noqa: S704 (an autoescaping template made it)


def _block(family, case, *, status=200, **extra):
    html = flask.render_template("rules/_signals.html", **signals_context(family, case, **extra))
    response = flask.make_response(html, status)
    response.vary.add("HX-Request")
    return response


def _load(code):
    family, case = store.load_family(get_db(), code)
    if family is None:
        flask.abort(404)
    return family, case


def _answer(code, family, case, *, status=200, **extra):
    """The cards for htmx; without it, back to the family page at its signals."""
    if htmx and not htmx.history_restore_request:
        response = _block(family, case, status=status, **extra)
        if status == 200:
            response.headers["HX-Trigger"] = events.SIGNALS_CHANGED
        return response
    if status != 200:
        flask.flash(extra.get("notice") or "Niet vastgelegd: controleer het formulier.", "error")
    return flask.redirect(flask.url_for("cases.show", code=code, _anchor="signalen"), 303)


@bp.get("/gezinnen/<code>/signalen")
def signals_block(code):
    """The signal cards of a family (what the family page redraws)."""
    family, case = _load(code)
    if htmx:
        return _block(family, case)
    return flask.redirect(flask.url_for("cases.show", code=code, _anchor="signalen"))


def _current(family, case, rule_id, fingerprint):
    """The open signal of ``rule_id`` with the fingerprint the card showed, or None."""
    for signal in family_signals(get_db(), get_ruleset(), family, case):
        if signal["rule"] == rule_id and signal["fingerprint"] == fingerprint:
            return signal if signal["status"] == "open" else None
    return None


def _decide(code, rule_id, form, which, record):
    family, case = _load(code)
    if get_ruleset().get(rule_id) is None:
        flask.abort(404)
    # The same form again (a double click): the signals as the first submit left them.
    if submissions.earlier(get_db(), *this_form())[0]:
        return _answer(code, family, case)
    signal = _current(family, case, rule_id, form.fingerprint.data)
    if signal is None:
        return _answer(code, family, case, status=409, notice={"text": STALE, "rule": None})
    if not form.validate():
        return _answer(
            code, family, case, status=422, edit={"rule": rule_id, "which": which, "form": form}
        )
    try:
        once_per_form(lambda: record(get_db(), family["id"], signal) or which)
    except rules_store.DecisionError as error:
        form.form_errors.append(str(error))
        return _answer(
            code, family, case, status=422, edit={"rule": rule_id, "which": which, "form": form}
        )
    return _answer(code, family, case)


@bp.post("/gezinnen/<code>/signalen/<rule_id>/oppakken")
def accept(code, rule_id):
    """We pakken dit op: an action with an owner, and the decision recorded."""
    form = AcceptForm()
    return _decide(
        code,
        rule_id,
        form,
        "accept",
        lambda db, family_id, signal: rules_store.accept(
            db,
            family_id,
            signal,
            title=form.title.data,
            owner=form.owner.data,
            due=form.due.iso(),
            user_id=flask_login.current_user.id,
        ),
    )


@bp.post("/gezinnen/<code>/signalen/<rule_id>/afwijzen")
def dismiss(code, rule_id):
    """Dismiss with a reason: quiet for this family and rule version until facts change."""
    form = DismissForm()
    return _decide(
        code,
        rule_id,
        form,
        "dismiss",
        lambda db, family_id, signal: rules_store.dismiss(
            db,
            family_id,
            signal,
            reason=form.reason.data,
            note=form.note.data,
            user_id=flask_login.current_user.id,
        ),
    )


@bp.post("/gezinnen/<code>/team-gezinsleden")
def participants(code):
    """Who of the family takes part in the team (parents as equal members)."""
    family, case = _load(code)
    chosen = flask.request.form.getlist("person")
    living = {p["id"] for p in case["persons"] if not p["deceased"]}
    unknown = [pid for pid in chosen if pid not in living]
    if unknown:
        notice = {"text": "Kies alleen personen van dit gezin.", "rule": None}
        return _answer(code, family, case, status=422, notice=notice)
    rules_store.set_participants(get_db(), family["id"], chosen)
    family, case = _load(code)  # in_team is part of the case: a new version
    response = _answer(code, family, case)
    if response.status_code == 200 and "HX-Trigger" in response.headers:
        # The case changed: the family page's forms and drawing fetch the new version.
        response.headers["HX-Trigger"] = f"{events.SIGNALS_CHANGED}, {events.FAMILY_CHANGED}"
    return response


STALE_HINT = (
    "De gegevens van dit gezin zijn intussen veranderd: er is niets vastgelegd. "
    "Hieronder staat de huidige stand."
)
GONE_HINT = "Deze suggestie geldt niet meer (al vastgelegd of de tekst is veranderd)."


def _hint_answer(code, family, case, *, status=200, notice=None):
    response = _answer(code, family, case, status=status, notice=notice)
    if status == 200 and htmx and not htmx.history_restore_request:
        # The persons, the genogram and the other cards show the new problem too.
        response.headers["HX-Trigger"] = ", ".join(
            (events.FAMILY_CHANGED, events.GENOGRAM_EDITED, events.SIGNALS_CHANGED)
        )
    return response


@bp.post("/gezinnen/<code>/signalen/tekst/<problem>/vastleggen")
def record_text_hint(code, problem):
    """Record a problem the text speaks of on the chosen person (a versioned save)."""
    if problem not in codes.PROBLEMS:
        flask.abort(404)
    db = get_db()
    family, case = _load(code)
    form = TextHintForm()
    living = [p for p in case["persons"] if not p["deceased"]]
    form.person.choices = [(p["id"], p["name"] or p["id"]) for p in living]
    if form.version.data is not None and form.version.data != family["version"]:
        return _answer(code, family, case, status=409, notice={"text": STALE_HINT, "rule": None})
    if not any(h.problem == problem for h in _text_hints(db, family, case)):
        return _answer(code, family, case, status=409, notice={"text": GONE_HINT, "rule": None})
    if not form.validate():
        notice = {"text": "Kies een persoon van dit gezin.", "rule": None}
        return _answer(code, family, case, status=422, notice=notice)
    new_case = copy.deepcopy(case)
    person = next(p for p in new_case["persons"] if p["id"] == form.person.data)
    person["problems"] = [*(person.get("problems") or []), problem]
    try:
        store.save_case(db, new_case, replace=True, expected_version=form.version.data)
    except store.StaleVersion:
        family, case = _load(code)
        return _answer(code, family, case, status=409, notice={"text": STALE_HINT, "rule": None})
    except CaseFormatError as error:
        notice = {"text": "Niet vastgelegd: " + "; ".join(map(str, error.issues)), "rule": None}
        return _answer(code, family, case, status=422, notice=notice)
    family, case = _load(code)
    return _hint_answer(code, family, case)


@bp.post("/gezinnen/<code>/signalen/tekst/<problem>/niet-van-toepassing")
def dismiss_text_hint(code, problem):
    """Set a text hint aside for this family: it does not come back."""
    if problem not in codes.PROBLEMS:
        flask.abort(404)
    family, case = _load(code)
    text_hint_store.dismiss(get_db(), family["id"], problem, flask_login.current_user.id)
    return _answer(code, family, case)


@bp.get("/regels")
@flask_login.login_required
def catalogue():
    """Every rule with its rationale and examples, and how it fares across the cohort."""
    from rules.loader import SEVERITIES  # the rule engine: imported on first use

    db = get_db()
    ruleset = get_ruleset()
    fired, active = _fired_across_active_families(db, ruleset)
    return flask.render_template(
        "rules/catalogue.html",
        ruleset=ruleset,
        fired=fired,
        active=active,
        counts=rules_store.decision_counts(db),
        reasons=rules_store.dismissal_reasons(db),
        reason_labels=rules_store.DISMISS_REASONS,
        severities=SEVERITIES,
        partner_label=lambda code: codes.PARTNERS.get(code, code),
        fact_label=lambda name: FACTS[name].label,
        example_text=_example_text,
    )


def _fired_across_active_families(db, ruleset):
    """``{rule id: number of active families it fires for}`` and how many are active.
    Counts only: the catalogue names no family."""
    families = store.list_families(db, status="active", limit=None)
    return fired_across_families(db, ruleset, families), len(families)


def _example_text(example):
    """An example's facts in Dutch (the facts it sets)."""
    given = example.get("facts") or {}
    parts = []
    for name, value in given.items():
        shown = value
        if FACTS[name].shows in ("problems", "partners", "persons") and isinstance(value, list):
            shown = show_value(name, value, {})
        elif FACTS[name].shows in ("per_problem", "per_person"):
            shown = ", ".join(f"{k}: {v}" for k, v in (value or {}).items()) or "geen"
        elif FACTS[name].shows == "yes_no":
            shown = "ja" if value else "nee"
        parts.append(f"{FACTS[name].label}: {shown}")
    return "; ".join(parts) or "niets bijzonders"
