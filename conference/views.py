"""The case conference: the list per family, the live projector screen, the report.

One screen serves the facilitator on the projector and the participants on their
laptops. The step's content is one htmx fragment (``#overleg-live``) that every screen
polls once a second with the version it shows: the server answers 204 while nothing
changed, so a poll is one indexed read. Polling rather than server-sent events: the app
runs on a few gunicorn threads, and an open event stream per laptop would hold one each;
a one-second poll meets "within two seconds" without that. Only the facilitators of the
family move through the agenda; every team member can add notes and decisions.
"""

import datetime

import flask
import flask_login
import markupsafe

from access import policy
from access.guard import requires
from actions import store as actions_store
from cases import codes
from cases import store as cases_store
from conference import agenda, model, store
from core.htmx import current_family
from core.web import get_db, htmx, once_per_form
from privacy import consent
from privacy import store as privacy_store

bp = flask.Blueprint("conference", __name__, url_prefix="/gezinnen")

LIVE_ID = "overleg-live"
POLL_SECONDS = 1
CONSENT_SUBJECT = "conference"
CONSENT_HOLDER = "consent_holder"  # the opening's checkbox per holder who consents


def _family(code):
    family, case = cases_store.load_family(get_db(), code)
    if family is None:
        flask.abort(404)
    return family, case


def _conference(family, conference_id):
    conference = store.get_conference(get_db(), family["id"], conference_id)
    if conference is None:
        flask.abort(404)
    return conference


def _today():
    return datetime.date.today()


def _may_lead(family):
    user = flask_login.current_user
    team_role = flask.g.get("team_role")
    return policy.allowed(user.role, team_role, policy.MANAGE_TEAM)


def _may_record_consent():
    """Consent is recorded by whoever may change the family (as on the privacy panel)."""
    user = flask_login.current_user
    return policy.allowed(user.role, flask.g.get("team_role"), policy.EDIT)


def _conference_consent(db, family, case):
    return consent.consent_status(
        case, privacy_store.consents(db, family["id"]), CONSENT_SUBJECT, _today()
    )


def _names(case):
    return {p["id"]: p["name"] or f"Persoon {p['id']}" for p in case["persons"]}


def _parents(case):
    """The persons who can have a personal goal: the parents of the index child."""
    from rules.facts import index_parents

    parents = set(index_parents(case))
    return [p for p in case["persons"] if p["id"] in parents]


def live_context(family, case, conference, *, errors=None, notice=None, focus=None, form=None):
    """Everything the step fragment needs."""
    db = get_db()
    goals = store.goals(db, family["id"])
    scores = store.goal_scores(db, family["id"])
    histories = {
        goal["id"]: model.goal_history(scores.get(goal["id"], []), conference) for goal in goals
    }
    conference_consent = _conference_consent(db, family, case)
    return {
        "case": case,
        "family": family,
        "conference": conference,
        "state": store.state_of(db, conference["id"]),
        "live_id": LIVE_ID,
        "poll_seconds": POLL_SECONDS,
        "steps": agenda.steps_of(conference["agenda"]),
        "all_steps": agenda.STEPS,
        "step": agenda.BY_KEY[conference["step"]],
        "step_number": agenda.position(conference["agenda"], conference["step"]),
        "may_lead": _may_lead(family),
        "participants": store.participants(db, conference["id"]),
        "notes": store.notes(db, conference["id"]),
        "note_kinds": model.NOTE_KINDS,
        "step_notes": model.STEP_NOTES,
        "decisions": store.decisions(db, conference["id"]),
        "carried": model.carry_over(
            [
                a
                for a in actions_store.actions_for(db, family["id"])
                if a["conference_id"] != conference["id"]
            ],
            datetime.date.fromisoformat(conference["held_on"]),
        ),  # fmt: skip
        "goals": goals,
        "histories": histories,
        "parents": _parents(case),
        "names": _names(case),
        "partners": codes.PARTNERS,
        "consent": conference_consent,
        "consent_sentence": model.consent_sentence(conference_consent, conference),
        "may_record_consent": _may_record_consent(),
        "consent_holder": CONSENT_HOLDER,
        "errors": errors or {},
        "notice": notice,
        "focus": focus,
        "form": form or {},
        "scale": list(model.SCALE),
    }


def _live(family, case, conference, *, status=200, **extra):
    html = flask.render_template(
        "conference/_live.html", **live_context(family, case, conference, **extra)
    )
    response = flask.make_response(html, status)
    response.vary.add("HX-Request")
    response.headers["Cache-Control"] = "no-store"
    return response


def _answer(code, family, case, conference_id, *, status=200, **extra):
    """After a change: the fresh step for htmx, else back to the screen."""
    conference = _conference(family, conference_id)
    if htmx:
        return _live(family, case, conference, status=status, **extra)
    if status != 200:
        flask.flash(" ".join((extra.get("errors") or {}).values()) or "Niet opgeslagen.", "error")
    return flask.redirect(
        flask.url_for("conference.screen", code=code, conference_id=conference_id), 303
    )


# --------------------------------------------------------------------------- list


def _actions_with_overdue(db, family_id, today):
    actions = [dict(a) for a in actions_store.actions_for(db, family_id)]
    for action in actions:
        action["overdue"] = model.is_overdue(action, today)
    return actions


def _section_context(family, case, **overrides):
    """What the conferences section needs (family page, list page, a refused form)."""
    db = get_db()
    today = _today()
    context = {
        "case": case,
        "family": family,
        "conferences": store.conferences_of(db, family["id"]),
        "actions": _actions_with_overdue(db, family["id"], today),
        "may_lead": _may_lead(family),
        "today": today.isoformat(),
        "errors": {},
        "form": {},
    }
    context.update(overrides)
    return context


def render_conferences(family, case):
    """The family page's conferences section (a template global)."""
    back = flask.url_for("cases.show", code=case["code"], _anchor="overleggen")
    html = flask.render_template(
        "conference/_section.html", **_section_context(family, case, back=back)
    )
    return markupsafe.Markup(html)  # noqa: S704 (an autoescaping template made it)


@bp.get("/<code>/overleggen")
def index(code):
    """The family's conferences and its actions across them (overdue ones stand out)."""
    family, case = _family(code)
    return flask.render_template("conference/index.html", **_section_context(family, case))


@bp.post("/<code>/overleggen")
@requires(policy.MANAGE_TEAM)
def create(code):
    """Open a new conference (its facilitator is the one who opens it)."""
    family, case = _family(code)
    form = flask.request.form
    problems = {}
    held_on = (form.get("held_on") or "").strip()
    try:
        held_on = datetime.date.fromisoformat(held_on).isoformat()
    except ValueError:
        problems["held_on"] = "Vul de datum van het overleg in als 2026-12-31."
    purpose = " ".join((form.get("purpose") or "").split()) or None
    if purpose and len(purpose) > model.MAX_NOTE:
        problems["purpose"] = f"Hooguit {model.MAX_NOTE} tekens."
    if problems:
        context = _section_context(family, case, errors=problems, form=form)
        return flask.render_template("conference/index.html", **context), 422
    user_id = flask_login.current_user.id
    # A second submit of the same form (a double click): the conference the first opened.
    conference_id, _ = once_per_form(
        lambda: store.create_conference(get_db(), family["id"], held_on, user_id, purpose=purpose)
    )
    return flask.redirect(
        flask.url_for("conference.screen", code=code, conference_id=conference_id), 303
    )


@bp.post("/<code>/acties/<int:action_id>/klaar")
def action_done(code, action_id):
    """Mark an action done (or open again)."""
    family, _ = _family(code)
    done = flask.request.form.get("done", "1") == "1"
    if not actions_store.set_done(get_db(), family["id"], action_id, done):
        flask.abort(404)
    back = flask.request.form.get("back")
    if back and back.startswith("/gezinnen/"):
        return flask.redirect(back, 303)
    return flask.redirect(flask.url_for("conference.index", code=code), 303)


# --------------------------------------------------------------------------- screen


@bp.get("/<code>/overleggen/<int:conference_id>")
def screen(code, conference_id):
    """The conference on the projector (and on every participant's laptop)."""
    family, case = _family(code)
    conference = _conference(family, conference_id)
    flask.g.audit_event = "read"
    return flask.render_template("conference/screen.html", **live_context(family, case, conference))


@bp.get("/<code>/overleggen/<int:conference_id>/stap")
def live(code, conference_id):
    """The current step; 204 when the screen asking already shows this version.

    Every laptop asks once a second, so an unchanged screen is answered from the
    version alone: the access guard read the family row and checked the right to it,
    one indexed read gives the version; the case is loaded only to send a new step.
    """
    family = current_family()
    if family is None:
        flask.abort(404)  # an admin asking for a code that does not exist
    state = store.state_of(get_db(), conference_id, family["id"])
    if state is None:
        flask.abort(404)  # no such conference, or one of another family
    if flask.request.args.get("versie") == state:
        flask.g.audit_nothing_sent = True  # a poll that discloses nothing is no access
        return "", 204
    family, case = _family(code)
    conference = _conference(family, conference_id)
    return _live(family, case, conference)


@bp.post("/<code>/overleggen/<int:conference_id>/stap")
@requires(policy.MANAGE_TEAM)
def move(code, conference_id):
    """Next, previous, or a step by number or key (only facilitators lead the agenda)."""
    family, case = _family(code)
    conference = _conference(family, conference_id)
    to = (flask.request.form.get("naar") or "").strip()
    keys = conference["agenda"]
    if to == "volgende":
        step = agenda.next_step(keys, conference["step"])
    elif to == "vorige":
        step = agenda.previous_step(keys, conference["step"])
    elif to in keys:
        step = to
    else:
        try:
            step = agenda.step_number(keys, int(to))
        except (ValueError, agenda.AgendaError):
            return _answer(
                code, family, case, conference_id, status=422,
                errors={"step": f"Kies een stap van 1 tot en met {len(keys)}."},
            )  # fmt: skip
    store.set_step(get_db(), conference_id, step)
    focus = flask.request.form.get("focus")
    return _answer(code, family, case, conference_id, focus=focus)


@bp.post("/<code>/overleggen/<int:conference_id>/agenda")
@requires(policy.MANAGE_TEAM)
def change_agenda(code, conference_id):
    """Adapt the agenda: the steps kept, in the order given."""
    family, case = _family(code)
    conference = _conference(family, conference_id)
    chosen = set(flask.request.form.getlist("stap"))
    # Kept in the agenda's own order; an order of their own may be posted as "volgorde".
    keys = flask.request.form.getlist("volgorde") or [
        key for key in agenda.DEFAULT_AGENDA if key in chosen
    ]
    try:
        store.set_agenda(get_db(), conference_id, keys, conference["step"])
    except agenda.AgendaError as error:
        return _answer(code, family, case, conference_id, status=422, errors={"agenda": str(error)})
    return _answer(code, family, case, conference_id)


# --------------------------------------------------------------------------- edits


def _edit(code, conference_id, change, *, focus=None, once=False):
    """Run ``change(db, family, case, conference)``; Dutch errors (422) and stale edits
    (409, with the current state) come back in the step fragment. ``once``: an add,
    whose form token (core.submissions) makes a second submit of the same form show the
    state after the first instead of adding again."""
    family, case = _family(code)
    conference = _conference(family, conference_id)
    if conference["status"] == "closed":
        return _answer(
            code, family, case, conference_id, status=409,
            notice="Dit overleg is afgesloten; er kan niets meer bij.",
        )  # fmt: skip
    db = get_db()
    try:
        once_per_form(lambda: change(db, family, case, conference) or {"added": True}, guarded=once)
    except model.StaleEdit as error:
        return _answer(
            code, family, case, conference_id, status=409, errors=error.problems,
            notice=error.problems["version"],
        )  # fmt: skip
    except (model.ConferenceError, agenda.AgendaError) as error:
        problems = getattr(error, "problems", {"form": str(error)})
        return _answer(
            code, family, case, conference_id, status=422, errors=problems,
            form=flask.request.form, focus=focus,
        )  # fmt: skip
    return _answer(code, family, case, conference_id, focus=focus)


@bp.post("/<code>/overleggen/<int:conference_id>/notities")
def add_note(code, conference_id):
    """A note: a worry, something that goes well, a dream, an idea..."""
    kind = flask.request.form.get("kind", "")

    def change(db, family, case, conference):
        note = model.check_note(kind, flask.request.form.get("text"))
        store.add_note(db, conference["id"], note, flask_login.current_user.id)

    return _edit(code, conference_id, change, focus=f"notitie-{kind}", once=True)


@bp.post("/<code>/overleggen/<int:conference_id>/notities/<int:note_id>")
def update_note(code, conference_id, note_id):
    """Change a note; refused (409) when someone changed it meanwhile."""

    def change(db, family, case, conference):
        current = store.get_note(db, conference["id"], note_id)
        if current is None:
            flask.abort(404)
        note = model.check_note(current["kind"], flask.request.form.get("text"))
        store.update_note(
            db, conference["id"], note_id, note["text"], flask.request.form.get("version", type=int)
        )

    return _edit(code, conference_id, change)


@bp.post("/<code>/overleggen/<int:conference_id>/notities/<int:note_id>/verwijderen")
def remove_note(code, conference_id, note_id):
    """Remove a note (on the version shown)."""

    def change(db, family, case, conference):
        if store.get_note(db, conference["id"], note_id) is None:
            flask.abort(404)
        store.remove_note(
            db, conference["id"], note_id, flask.request.form.get("version", type=int)
        )

    return _edit(code, conference_id, change)


@bp.post("/<code>/overleggen/<int:conference_id>/deelnemers")
def add_participant(code, conference_id):
    """Who is at the table: a name, a role or partner, present, in the team."""
    form = flask.request.form

    def change(db, family, case, conference):
        participant = model.check_participant(
            form.get("name"), form.get("role"), form.get("partner"),
            form.get("present", "1") == "1", bool(form.get("in_team")), codes.PARTNERS,
        )  # fmt: skip
        store.add_participant(db, conference["id"], participant)

    return _edit(code, conference_id, change, focus="deelnemer-naam", once=True)


@bp.post("/<code>/overleggen/<int:conference_id>/deelnemers/<int:participant_id>")
def participant_presence(code, conference_id, participant_id):
    """Present or not."""

    def change(db, family, case, conference):
        present = flask.request.form.get("present") == "1"
        if not store.set_presence(db, conference["id"], participant_id, present):
            flask.abort(404)

    return _edit(code, conference_id, change)


@bp.post("/<code>/overleggen/<int:conference_id>/deelnemers/<int:participant_id>/verwijderen")
def remove_participant(code, conference_id, participant_id):
    """Take someone off the list."""

    def change(db, family, case, conference):
        if not store.remove_participant(db, conference["id"], participant_id):
            flask.abort(404)

    return _edit(code, conference_id, change)


@bp.post("/<code>/overleggen/<int:conference_id>/opening")
def opening(code, conference_id):
    """Purpose of the meeting, and consent given at the table: each holder ticked is
    recorded in the family's consent register (privacy), so the opening and the report
    read the state after it."""
    form = flask.request.form

    def change(db, family, case, conference):
        purpose = " ".join((form.get("purpose") or "").split()) or None
        note = " ".join((form.get("consent_note") or "").split()) or None
        problems = {}
        if purpose and len(purpose) > model.MAX_NOTE:
            problems["purpose"] = f"Hooguit {model.MAX_NOTE} tekens."
        if note and len(note) > model.MAX_NOTE:
            problems["consent_note"] = f"Hooguit {model.MAX_NOTE} tekens."
        holders = form.getlist(CONSENT_HOLDER)
        if holders:
            missing = {h.person_id for h in _conference_consent(db, family, case).missing}
            if not _may_record_consent():
                problems[CONSENT_HOLDER] = (
                    "Alleen wie de gegevens van dit gezin mag wijzigen, legt instemming vast."
                )
            elif not set(holders) <= missing:
                problems[CONSENT_HOLDER] = "Kies wie aan tafel instemt uit de lijst."
        if problems:
            raise model.ConferenceError(problems)
        user = flask_login.current_user.id
        fields = {"purpose": purpose, "consent_note": note}
        if holders:
            fields.update(
                consent_recorded=1, consent_by=user,
                consent_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            )  # fmt: skip
        with db.atomic():  # the version check and the consents: both or neither
            store.update_fields(db, conference["id"], form.get("version", type=int), **fields)
            for person_id in dict.fromkeys(holders):
                privacy_store.record_consent(
                    db, family["id"], person_id=person_id, subject=CONSENT_SUBJECT,
                    decision=consent.GIVEN, note=model.consent_note(conference["held_on"], note),
                    recorded_by=user,
                )  # fmt: skip

    return _edit(code, conference_id, change)


@bp.post("/<code>/overleggen/<int:conference_id>/schaal")
def scale(code, conference_id):
    """The 0-10 scale of the worries step: how safe and well is it now?"""

    def change(db, family, case, conference):
        value = model.check_scale(flask.request.form.get("score"))
        store.update_fields(
            db, conference["id"], flask.request.form.get("version", type=int), worries_scale=value
        )

    return _edit(code, conference_id, change)


@bp.post("/<code>/overleggen/<int:conference_id>/doelen")
def add_goal(code, conference_id):
    """A parent's personal goal, in their own words."""
    form = flask.request.form

    def change(db, family, case, conference):
        person_id = form.get("person_id")
        if person_id not in {p["id"] for p in _parents(case)}:
            raise model.ConferenceError({"person_id": "Kies een ouder."})
        store.add_goal(
            db, family["id"], person_id, model.check_goal(form.get("goal")), conference["id"]
        )

    return _edit(code, conference_id, change, focus="doel-tekst", once=True)


@bp.post("/<code>/overleggen/<int:conference_id>/doelen/<int:goal_id>")
def score_goal(code, conference_id, goal_id):
    """Score a parent's goal in this conference (0-10)."""

    def change(db, family, case, conference):
        if goal_id not in {g["id"] for g in store.goals(db, family["id"])}:
            flask.abort(404)
        store.score_goal(
            db, goal_id, conference["id"], model.check_scale(flask.request.form.get("score"))
        )

    return _edit(code, conference_id, change)


@bp.post("/<code>/overleggen/<int:conference_id>/besluiten")
def add_decision(code, conference_id):
    """A decision: what, who, by when, who keeps the lead, when to evaluate, plan B."""

    def change(db, family, case, conference):
        decision = model.check_decision(flask.request.form)
        store.add_decision(
            db, family["id"], conference["id"], decision, flask_login.current_user.id
        )

    return _edit(code, conference_id, change, focus="besluit-wat", once=True)


@bp.post("/<code>/overleggen/<int:conference_id>/afsluiten")
@requires(policy.MANAGE_TEAM)
def close(code, conference_id):
    """Close the conference with a summary and the next date."""
    form = flask.request.form

    def change(db, family, case, conference):
        closing = model.check_closing(form.get("summary"), form.get("next_date"))
        store.close(db, conference["id"], form.get("version", type=int), **closing)

    return _edit(code, conference_id, change)


# --------------------------------------------------------------------------- report


def report_context(family, case, conference):
    from genogram.views import drawing_of
    from rules.loader import SEVERITIES
    from rules.service import family_signals
    from rules.store import DISMISS_REASONS
    from rules.web import get_ruleset

    context = live_context(family, case, conference)
    drawing = drawing_of(case, legend=True)  # a large family: its core family
    context["svg"] = drawing.svg
    context["genogram_note"] = drawing.note if drawing.core else None
    context["signals"] = family_signals(get_db(), get_ruleset(), family, case)
    context["present"] = [p for p in context["participants"] if p["present"]]
    context["absent"] = [p for p in context["participants"] if not p["present"]]
    context["tried"] = tried_solutions(family)
    context["severities"] = SEVERITIES
    context["reasons"] = DISMISS_REASONS
    return context


def tried_solutions(family):
    """Solutions from the library the family tries ("we proberen dit")."""
    from library import tries as library_tries

    return library_tries.tried_for(get_db(), family["id"])


@bp.get("/<code>/overleggen/<int:conference_id>/verslag")
def report(code, conference_id):
    """The report (verslag): print-ready on A4."""
    family, case = _family(code)
    conference = _conference(family, conference_id)
    flask.g.audit_event = "print" if flask.request.args.get("afdrukken") else "read"
    return flask.render_template(
        "conference/report.html",
        printing=bool(flask.request.args.get("afdrukken")),
        **report_context(family, case, conference),
    )


@bp.get("/<code>/overleggen/<int:conference_id>/verslag.pdf")
def report_pdf(code, conference_id):
    """The report as a PDF (WeasyPrint, from the same page and the print stylesheet)."""
    from conference.pdf import html_to_pdf

    family, case = _family(code)
    conference = _conference(family, conference_id)
    flask.g.audit_event = "export"
    html = flask.render_template(
        "conference/report_pdf.html",
        **report_context(family, case, conference),
    )  # fmt: skip
    pdf = html_to_pdf(html, flask.current_app.static_folder)
    name = f"verslag-{family['code']}-{conference['held_on']}.pdf"
    return flask.Response(
        pdf, mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip
