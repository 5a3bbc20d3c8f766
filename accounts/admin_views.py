"""User administration for admins: accounts, roles, (de)activation, second factors
and which roles must use one.

Every route of this blueprint is for admins only; the check runs before each request,
so a new route cannot forget it. A row of the user table changes in place with htmx;
without JavaScript the same forms post and come back to the page.
"""

import flask
import flask_login
from markupsafe import escape

from accounts import passwords, store
from accounts.forms import ActionForm, RoleForm, RoleSettingsForm, UserForm
from accounts.roles import ADMIN, ROLES
from audit import hooks as audit_hooks
from core.web import get_db, htmx

bp = flask.Blueprint("user_admin", __name__, url_prefix="/beheer/gebruikers")

# Fields of the new-user form that the inline check answers for.
CHECKED_FIELDS = ("username", "password")
TOTP_LABELS = {
    store.TOTP_ON: "aan",
    store.TOTP_PENDING: "wordt ingesteld",
    store.TOTP_OFF: "uit",
}


@bp.before_request
def require_admin():
    """Logged out: to the login page. Logged in without the admin role: 403."""
    user = flask_login.current_user
    if not user.is_authenticated:
        return flask.current_app.login_manager.unauthorized()
    if user.role != ADMIN:
        flask.abort(403)
    return None


@bp.context_processor
def totp_labels():
    return {"totp_labels": TOTP_LABELS}


def _me():
    return flask_login.current_user.id


def _render_index(user_form=None, settings_form=None, status=200):
    db = get_db()
    required = store.totp_required_roles(db)
    if settings_form is None:
        settings_form = RoleSettingsForm(
            data={RoleSettingsForm.field_name(role): role in required for role in ROLES}
        )
    return (
        flask.render_template(
            "admin/users.html",
            users=store.overview(db),
            required=required,
            user_form=user_form or UserForm(),
            settings_form=settings_form,
            checked_fields=CHECKED_FIELDS,
            roles=ROLES,
            me=_me(),
        ),
        status,
    )


@bp.get("")
def index():
    """Every user with role, state, second factor and last login; the forms to manage them."""
    return _render_index()


@bp.post("")
def create():
    """Create a user with a first password that meets the policy."""
    form = UserForm()
    if not form.validate_on_submit():
        return _render_index(user_form=form, status=422)
    username = form.username.data.strip()
    try:
        # Each change below commits together with its log entry (or not at all).
        with get_db().atomic():
            store.create_user(
                get_db(), username, form.password.data, form.role.data, form.display_name.data
            )
            audit_hooks.log_event(
                "create", "success", object=f"user {username}", detail=f"role {form.role.data}"
            )
    except store.AccountError as error:
        getattr(form, error.field or "username").errors.append(str(error))
        return _render_index(user_form=form, status=422)
    except passwords.WeakPassword as error:
        form.password.errors.append(str(error))
        return _render_index(user_form=form, status=422)
    flask.flash(f"Gebruiker {username} is aangemaakt.", "success")
    return flask.redirect(flask.url_for("user_admin.index"))


@bp.post("/controle/<field>")
def check(field):
    """Inline check of one field of the new-user form (htmx): the message, or nothing.

    The same store functions guard :func:`create`.
    """
    if field not in CHECKED_FIELDS:
        flask.abort(404)
    values = flask.request.form
    username = values.get("username", "").strip()
    try:
        if field == "username" and username:
            store.check_username(get_db(), username)
        elif field == "password" and values.get("password"):
            store.check_new_password(values["password"], username, values.get("display_name"))
    except (store.AccountError, passwords.WeakPassword) as error:
        return str(escape(str(error)))
    return ""


def _answer(user_id, message, *, error=False):
    """htmx gets the user's row (with the message beside it); a plain post the page."""
    if htmx and not htmx.boosted:
        row = next((u for u in store.overview(get_db()) if u["id"] == user_id), None)
        if row is None:
            flask.abort(404)
        response = flask.make_response(
            flask.render_template(
                "admin/_user_row.html",
                user=row,
                required=store.totp_required_roles(get_db()),
                roles=ROLES,
                me=_me(),
                row_message=message,
                row_error=error,
            ),
            422 if error else 200,
        )
    else:
        flask.flash(message, "error" if error else "success")
        response = flask.redirect(flask.url_for("user_admin.index"))
    response.vary.add("HX-Request")
    return response


def _user_or_404(user_id):
    user = store.get_user(get_db(), user_id)
    if user is None:
        flask.abort(404)
    return user


@bp.post("/<int:user_id>/actief")
def update_active(user_id):
    """Deactivate (sessions and API tokens end at once) or reactivate a user."""
    user = _user_or_404(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flask.abort(400)
    active = flask.request.form.get("active") == "1"
    state = "reactivated" if active else "deactivated"
    try:
        with get_db().atomic():
            store.set_active(get_db(), user_id, active, by=_me())
            audit_hooks.log_event("change", "success", object=f"user {user['username']} {state}")
    except store.AccountError as error:
        return _answer(user_id, str(error), error=True)
    if active:
        return _answer(user_id, f"{user['username']} kan weer inloggen.")
    return _answer(
        user_id, f"{user['username']} is uitgezet; sessies en API-tokens zijn beëindigd."
    )


@bp.post("/<int:user_id>/afmelden")
def end_sessions(user_id):
    """Log a user out everywhere: every session ends at once (API tokens stay)."""
    user = _user_or_404(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flask.abort(400)
    try:
        ended = store.end_sessions_of(get_db(), user_id, by=_me())
    except store.AccountError as error:
        return _answer(user_id, str(error), error=True)
    audit_hooks.log_event(
        "change", "success", object=f"user {user['username']} sessions ended", detail=str(ended)
    )
    return _answer(user_id, f"{user['username']} is overal afgemeld ({ended} sessie(s) beëindigd).")


@bp.post("/<int:user_id>/rol")
def update_role(user_id):
    """Give a user another role."""
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _answer(user_id, " ".join(form.role.errors) or "Kies een rol.", error=True)
    if form.role.data == user["role"]:
        return _answer(user_id, "De rol is niet veranderd.")
    try:
        with get_db().atomic():
            ended = store.set_role(get_db(), user_id, form.role.data, by=_me())
            audit_hooks.log_event(
                "change",
                "success",
                object=f"user {user['username']} role",
                detail=f"{user['role']} -> {form.role.data}",
            )
    except store.AccountError as error:
        return _answer(user_id, str(error), error=True)
    message = f"{user['username']} is nu {ROLES[form.role.data]}."
    if ended:
        message += (
            " Die rol vereist tweestapsverificatie: de gebruiker stelt die bij het inloggen in."
        )
    return _answer(user_id, message)


@bp.post("/<int:user_id>/tweestapsverificatie-reset")
def reset_totp(user_id):
    """Remove a user's second factor (a lost phone): they set it up again when needed."""
    user = _user_or_404(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flask.abort(400)
    try:
        with get_db().atomic():
            store.reset_totp_of(get_db(), user_id, by=_me())
            audit_hooks.log_event("change", "success", object=f"user {user['username']} totp reset")
    except store.AccountError as error:
        return _answer(user_id, str(error), error=True)
    return _answer(
        user_id,
        f"Tweestapsverificatie van {user['username']} is verwijderd; sessies zijn beëindigd.",
    )


@bp.post("/tweestapsverificatie")
def update_settings():
    """Which roles must use a second factor."""
    form = RoleSettingsForm()
    if not form.validate_on_submit():
        flask.abort(400)
    db = get_db()
    wanted = {role for role in ROLES if form[RoleSettingsForm.field_name(role)].data}
    me = store.get_user(db, _me())
    if me["role"] in wanted and store.totp_state(me) != store.TOTP_ON:
        # Requiring it would end this very session; set it up first, then require it.
        field = form[RoleSettingsForm.field_name(me["role"])]
        field.errors = [
            "Stel eerst zelf tweestapsverificatie in (op je profielpagina) voordat je die"
            " verplicht maakt voor je eigen rol."
        ]
        return _render_index(settings_form=form, status=422)
    before = store.totp_required_roles(db)
    ended = []
    with db.atomic():
        for role in ROLES:
            if (role in wanted) != (role in before):
                ended += store.set_totp_required(db, role, role in wanted)
                audit_hooks.log_event(
                    "change",
                    "success",
                    object=f"role {role} require_totp",
                    detail="on" if role in wanted else "off",
                )
    message = "De instellingen voor tweestapsverificatie zijn opgeslagen."
    if ended:
        message += (
            f" {len(ended)} gebruiker(s) zonder tweestapsverificatie zijn uitgelogd en stellen"
            f" die bij de volgende keer inloggen in: {', '.join(ended)}."
        )
    flask.flash(message, "success")
    return flask.redirect(flask.url_for("user_admin.index"))
