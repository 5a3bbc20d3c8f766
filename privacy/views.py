"""The family's rights on the web: team, consent, export, erasure and the access overview.

The "Team en privacy" section of the family page is drawn by ``privacy/_section.html``,
which gets its data from the ``privacy_panel`` template global, so the family page does
not need to know what is in it. The team and consent parts are htmx widgets that replace
themselves (``hx-target="this"``); their POST answers the same partial when the widget
asked (``HX-Target``), and otherwise redirects to the page (or shows a refusal page).

Every route names a family, so access.guard checks it first and audit.hooks logs it;
the views only say which action they need (``@requires``) and what the log should call
the request when the HTTP method would mislead (viewing the erase page is a read).
"""

import datetime
import json

import flask
import flask_login

from access import policy
from access import store as access_store
from access.guard import requires
from accounts.roles import ADMIN, ROLES
from audit import store as audit_store
from cases import store as cases_store
from core import csvfile
from core.htmx import current_family, vary_on_htmx, wants_fragment
from core.htmx import redirect as htmx_redirect
from core.web import get_db, once_per_form
from genogram.core import core_persons, is_large
from privacy import consent, erasure, export, overview, retention
from privacy import store as privacy_store

bp = flask.Blueprint("privacy", __name__, url_prefix="/gezinnen")

# Element ids, shared by templates and tests.
SECTION_ID = "team-en-privacy"
TEAM_ID = "gezinsteam"
CONSENT_ID = "instemming"
IDS = {"section": SECTION_ID, "team": TEAM_ID, "consent": CONSENT_ID}

OVERVIEW_ROWS_MAX = 1000  # on the page; the CSV has every entry of the period

ERASED_MESSAGE = "Het gezin ‘{title}’ ({code}) is gewist. De toegangslog blijft bewaard."
REMOVED_SELF_MESSAGE = "Je staat niet meer in het team van ‘{title}’."
ERASE_CONFIRM = (
    "Dit gezin en alles wat erbij hoort definitief wissen? Dit kan niet ongedaan worden."
)


@bp.before_request
@flask_login.login_required
def require_login():
    """Every privacy page needs a logged-in user (the guard checks the family)."""


# Helpers ---------------------------------------------------------------------------


def _family():
    """The family the guard found; only an admin gets this far for an unknown code."""
    family = current_family()
    if family is None:
        flask.abort(404)
    return family


def _user():
    return flask_login.current_user


def _may(family, action):
    user = _user()
    team_role = access_store.team_role(get_db(), family["id"], user.id)
    return policy.allowed(user.role, team_role, action)


def _names(case):
    """Names of everyone a consent can be recorded for, by their id in the case."""
    names = {p["id"]: p.get("name") or p["id"] for p in case["persons"]}
    for member in case["network"]:
        names[member["id"]] = member.get("name") or member["id"]
    return names


def privacy_panel(family, case=None, **state):
    """Everything the "Team en privacy" section shows, for the current user.

    ``state`` carries a widget's notice or error and the consent form's typed values.
    The rights are looked up afresh: a change in this request may have altered them.
    """
    db = get_db()
    case = case or cases_store.case_from_row(db, family)
    may_manage = _may(family, policy.MANAGE_TEAM)
    history = privacy_store.consents(db, family["id"])
    today = datetime.date.today()
    panel = {
        "ids": IDS,
        "code": family["code"],
        "title": family["title"],
        "team": access_store.team(db, family["id"]),
        "candidates": privacy_store.team_candidates(db, family["id"]) if may_manage else [],
        "team_roles": policy.TEAM_ROLES,
        "role_labels": ROLES,
        "may_manage": may_manage,
        "may_edit": _may(family, policy.EDIT),
        "may_export": _may(family, policy.EXPORT),
        "may_erase": _may(family, policy.ERASE),
        "me": _user().id,
        "statuses": [
            consent.consent_status(case, history, subject, today) for subject in consent.SUBJECTS
        ],
        "history": history[::-1],
        "choices": _holder_choices(case, history),
        "names": _names(case),
        "subjects": consent.SUBJECTS,
        "decisions": consent.DECISIONS,
        "rules": consent.RULES_EXPLAINED,
        "local_time": overview.local_time,
        "team_notice": None,
        "team_error": None,
        "consent_notice": None,
        "consent_error": None,
        "consent_form": {},
    }
    panel.update(state)
    return panel


def _holder_choices(case, history):
    """Whom the consent form offers. In a large family (``genogram.core``) not all of
    its thousands: the core family, whoever decided before, and the guardians."""
    choices = consent.holder_choices(case)
    if not is_large(case):
        return choices
    keep = set(core_persons(case)) | {entry["person_id"] for entry in history}
    keep |= {member["id"] for member in case["network"]}
    return [(value, label) for value, label in choices if value in keep]


@bp.app_template_global("privacy_panel")
def _privacy_panel_global(family, case=None):
    return privacy_panel(family, case)


def _widget(element, template, family, *, status=200, notice=None, error=None, **state):
    """Answer a widget's POST: its partial for htmx, else back to the page (or a refusal)."""
    key = "team" if element == TEAM_ID else "consent"
    if wants_fragment(element):
        state.update({f"{key}_notice": notice, f"{key}_error": error})
        html = flask.render_template(template, panel=privacy_panel(family, **state))
        return vary_on_htmx(flask.make_response(html, status))
    if error:
        html = flask.render_template(
            "privacy/refused.html", family=family, message=error, anchor=SECTION_ID
        )
        return vary_on_htmx(flask.make_response(html, status))
    flask.flash(notice, "success")
    return vary_on_htmx(
        flask.redirect(flask.url_for("cases.show", code=family["code"], _anchor=element), 303)
    )


def _form_int(name):
    value = flask.request.form.get(name, "")
    return int(value) if value.isdigit() else None


# Team ------------------------------------------------------------------------------


def _team_change(family, change, notice):
    try:
        change()
    except access_store.TeamError as error:
        return _widget(TEAM_ID, "privacy/_team.html", family, status=422, error=str(error))
    return _widget(TEAM_ID, "privacy/_team.html", family, notice=notice)


def _member_name(user_id):
    rows = list(get_db().query("SELECT username, display_name FROM users WHERE id = ?", [user_id]))
    if rows:
        flask.g.audit_object = f"team user={rows[0]['username']}"
        return rows[0]["display_name"]
    return "Deze gebruiker"


@bp.post("/<code>/team")
@requires(policy.MANAGE_TEAM)
def add_member(code):
    """Put an active user on the family's team as facilitator or teamlid."""
    family = _family()
    user_id = _form_int("user_id")
    role = flask.request.form.get("team_role", "")
    name = _member_name(user_id) if user_id else None
    flask.g.audit_detail = f"toevoegen als {policy.TEAM_ROLES.get(role, role)}"[:200]
    return _team_change(
        family,
        lambda: privacy_store.add_to_team(get_db(), family["id"], user_id, role, by=_user().id),
        f"{name} is toegevoegd als {policy.TEAM_ROLES.get(role)}.",
    )


@bp.post("/<code>/team/<int:user_id>")
@requires(policy.MANAGE_TEAM)
def update_member(code, user_id):
    """Change a team member's role (the last facilitator stays facilitator)."""
    family = _family()
    role = flask.request.form.get("team_role", "")
    name = _member_name(user_id)
    flask.g.audit_detail = f"rol wordt {policy.TEAM_ROLES.get(role, role)}"[:200]
    return _team_change(
        family,
        lambda: privacy_store.change_team_role(
            get_db(), family["id"], user_id, role, by=_user().id
        ),
        f"{name} is nu {policy.TEAM_ROLES.get(role)} in dit team.",
    )


@bp.post("/<code>/team/<int:user_id>/verwijderen")
@requires(policy.MANAGE_TEAM)
def remove_member(code, user_id):
    """Take a member off the team (never the last facilitator)."""
    family = _family()
    name = _member_name(user_id)
    flask.g.audit_detail = "uit het team gehaald"
    response = _team_change(
        family,
        lambda: privacy_store.remove_from_team(get_db(), family["id"], user_id),
        f"{name} is uit het team gehaald.",
    )
    user = _user()
    if response.status_code < 400 and user_id == user.id and not _may(family, policy.READ):
        # Whoever took themselves off the team may no longer see this family.
        flask.flash(REMOVED_SELF_MESSAGE.format(title=family["title"]), "info")
        target = flask.url_for("cases.index")
        return htmx_redirect(target, by_htmx=wants_fragment(TEAM_ID))
    return response


# Consent ---------------------------------------------------------------------------


@bp.post("/<code>/instemming")
@requires(policy.EDIT)
def record_consent(code):
    """Record one consent decision of a person on a subject (history is kept)."""
    family = _family()
    db = get_db()
    case = cases_store.case_from_row(db, family)
    form = flask.request.form
    typed = {key: form.get(key, "") for key in ("person_id", "subject", "decision", "note")}
    try:
        values = consent.validate_decision(case, **typed)
    except consent.ConsentError as error:
        return _widget(
            CONSENT_ID,
            "privacy/_consent.html",
            family,
            status=422,
            error=str(error),
            consent_form=typed,
        )
    # Named before the write: the log entry is written in the same transaction.
    flask.g.audit_object = f"instemming person={values['person_id']} subject={values['subject']}"
    flask.g.audit_detail = values["decision"]
    name = _names(case).get(values["person_id"], values["person_id"])
    notice = (
        f"Vastgelegd: {name}, {consent.SUBJECTS[values['subject']]}: "
        f"{consent.DECISIONS[values['decision']]}."
    )
    # A second submit of the same form (a double click) records the decision once.
    once_per_form(
        lambda: privacy_store.record_consent(db, family["id"], **values, recorded_by=_user().id)
    )
    return _widget(CONSENT_ID, "privacy/_consent.html", family, notice=notice)


# Export ----------------------------------------------------------------------------


@bp.get("/<code>/export")
@requires(policy.EXPORT)
def export_family(code):
    """Download everything about the family as one JSON file (logged as "export")."""
    family = _family()
    now = datetime.datetime.now(datetime.UTC)
    document = export.build_export(get_db(), family, _user().row, now)
    response = flask.Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{export.filename(family["code"], now)}"'
    )
    return response


# Erasure ---------------------------------------------------------------------------


def _erase_decision(family, reason=None):
    return erasure.decide(get_db(), family["id"], is_admin=_user().role == ADMIN, reason=reason)


def _erase_page(family, *, status=200, error=None, reason="", confirm_error=None):
    is_admin = _user().role == ADMIN
    decision = _erase_decision(family)
    html = flask.render_template(
        "privacy/erase.html",
        family=family,
        decision=decision,
        # What the form asks: nothing extra, a required reason (admin while retention
        # runs), or no form at all (anyone else while retention runs).
        can_erase=decision.allowed or is_admin,
        reason_required=not decision.allowed and is_admin,
        min_reason=retention.MIN_REASON_LENGTH,
        footprint=privacy_store.footprint(get_db(), family["id"]),
        erasers=erasure.described_erasers(),
        error=error,
        confirm_error=confirm_error,
        reason=reason,
        confirm=ERASE_CONFIRM,
        dutch_day=retention.dutch_day,
        may_export=_may(family, policy.EXPORT),
    )
    return flask.make_response(html, status)


@bp.get("/<code>/wissen")
@requires(policy.ERASE)
def erase_page(code):
    """Explain what erasing the family removes and whether retention allows it now."""
    family = _family()
    flask.g.audit_event = "read"  # looking at the page erases nothing
    return _erase_page(family)


@bp.post("/<code>/wissen")
@requires(policy.ERASE)
def erase(code):
    """Erase the family completely; the access log keeps the record (and the reason)."""
    family = _family()
    reason = flask.request.form.get("reden", "").strip()[:1000]
    decision = _erase_decision(family, reason or None)
    details = []
    if decision.retention_until:
        details.append(f"bewaartermijn tot {decision.retention_until.isoformat()}")
    if reason:
        details.append(f"reden: {reason}")
    flask.g.audit_detail = "; ".join(details) or None
    if not decision.allowed:
        return _erase_page(family, status=409, error=decision.message, reason=reason)
    if flask.request.form.get("bevestiging", "").strip() != family["code"]:
        return _erase_page(
            family,
            status=422,
            error="Typ de code van het gezin om het wissen te bevestigen.",
            reason=reason,
            confirm_error="Dit is niet de code van dit gezin.",
        )
    try:
        erasure.erase_family(
            get_db(),
            family["id"],
            family["code"],
            is_admin=_user().role == ADMIN,
            reason=reason or None,
        )
    except erasure.RetentionRunning as refused:  # closed by someone else just now
        return _erase_page(family, status=409, error=refused.decision.message, reason=reason)
    flask.flash(ERASED_MESSAGE.format(title=family["title"], code=family["code"]), "success")
    return flask.redirect(flask.url_for("cases.index"), 303)


# The family's overview of who looked -------------------------------------------------


def _overview_rows(family):
    """(period, error, entries) for the request's ``van`` and ``tot``, newest first."""
    args = flask.request.args
    try:
        period = overview.parse_period(args.get("van"), args.get("tot"))
        error = None
    except overview.PeriodError as refused:
        period, error = overview.Period(), str(refused)
    since, _until = period.bounds()
    rows = audit_store.entries(get_db(), family_id=family["id"], since=since, limit=None)
    return period, error, [row for row in rows if period.contains(row["at"])]


def _period_detail(period):
    parts = []
    if period.start:
        parts.append(f"van={period.start.isoformat()}")
    if period.end:
        parts.append(f"tot={period.end.isoformat()}")
    return " ".join(parts) or None


def _display_rows(family, rows):
    db = get_db()
    case_names = _names(cases_store.case_from_row(db, family))
    ids = sorted({row["user_id"] for row in rows if row["user_id"] is not None})
    names = {}
    if ids:
        marks = ", ".join("?" for _ in ids)
        names = {
            row["id"]: row["display_name"]
            for row in db.query(f"SELECT id, display_name FROM users WHERE id IN ({marks})", ids)
        }
    shown = []
    for row in rows:
        channel, address, agent = overview.access_point_parts(row["access_point"])
        shown.append(
            {
                "id": row["id"],
                "when": overview.local_time(row["at"]),
                "at": row["at"],
                "who": names.get(row["user_id"]) or row["username"] or "onbekend (niet ingelogd)",
                "role": ROLES.get(row["user_role"], row["user_role"] or ""),
                "on_behalf_of": row["on_behalf_of"],
                "event": audit_store.EVENTS.get(row["event"], row["event"]),
                "outcome": audit_store.OUTCOMES.get(row["outcome"], row["outcome"]),
                "outcome_code": row["outcome"],
                "object": overview.describe_object(row["object"], case_names),
                "detail": overview.describe_detail(row["detail"]),
                "channel": channel,
                "address": address,
                "agent": agent,
            }
        )
    return shown


@bp.get("/<code>/inzage")
@requires(policy.EXPORT)
def overview_page(code):
    """Who looked at this family's file, when, what and from where (printable)."""
    family = _family()
    period, error, rows = _overview_rows(family)
    printing = flask.request.args.get("afdrukken") == "1"
    flask.g.audit_event = "print" if printing else "read"
    flask.g.audit_object = "inzageoverzicht"
    flask.g.audit_detail = _period_detail(period)
    filters = {key: value for key, value in (("van", period.start), ("tot", period.end)) if value}
    html = flask.render_template(
        "privacy/overview.html",
        family=family,
        period=period,
        filters={key: value.isoformat() for key, value in filters.items()},
        error=error,
        rows=_display_rows(family, rows[:OVERVIEW_ROWS_MAX]),
        total=len(rows),
        limit=OVERVIEW_ROWS_MAX,
        printing=printing,
        printed_at=overview.local_time(
            datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        ),
    )
    return flask.make_response(html, 400 if error else 200)


@bp.get("/<code>/inzage.csv")
@requires(policy.EXPORT)
def overview_csv(code):
    """The same overview as CSV: every entry of the period, every field of the log."""
    family = _family()
    period, error, rows = _overview_rows(family)
    if error:
        flask.abort(400, description=error)
    flask.g.audit_object = "inzageoverzicht csv"
    flask.g.audit_detail = _period_detail(period)
    day = datetime.date.today().isoformat()
    return csvfile.csv_response(
        f"inzage-{family['code']}-{day}.csv",
        audit_store.csv_rows(rows),
        header=audit_store.FIELDS,
    )
