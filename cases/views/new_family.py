"""Opening a new family: facilitators and admins; the creator facilitates it."""

import datetime
import re
import unicodedata

import flask
import flask_login

from access import policy
from access import store as access_store
from audit.hooks import log_event
from cases import store
from cases.forms import NewFamilyForm
from cases.validation import CaseFormatError
from cases.views.blueprint import bp
from cases.views.ids import NEW_FAMILY_ID
from core.web import get_db


def code_for(title, taken):
    """A code from the title (``Het Verzorgpaard`` -> ``het-verzorgpaard``), made unique."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:56] or "gezin"
    if len(base) < 2:
        base = f"gezin-{base}"
    code, number = base, 2
    while taken(code):
        code, number = f"{base}-{number}", number + 1
    return code


def render_form(form, status=200, problems=()):
    return (
        flask.render_template(
            "cases/_new_family.html", form=form, new_family_id=NEW_FAMILY_ID, problems=problems
        ),
        status,
    )


@bp.post("/")
def create_family():
    """Create a family from the list page's form; go to its page."""
    user = flask_login.current_user
    if not policy.may_create_family(user.role):
        flask.abort(403)
    form = NewFamilyForm()
    if not form.validate():
        return render_form(form, 422)
    db = get_db()
    try:
        with db.atomic():
            code = code_for(form.title.data, lambda c: store.family_row(db, c) is not None)
            family_id = store.save_case(db, form.case(code, datetime.date.today()))
            access_store.add_member(db, family_id, user.id, policy.TEAM_FACILITATOR, user.id)
            # In the same transaction: the family stands only with its log entry.
            log_event("create", "success", family=store.family_row(db, code), object="family")
    except CaseFormatError as error:
        problems = []
        for issue in error.issues:
            field = NewFamilyForm.FIELD_OF_PATH.get(issue.path)
            if field:
                getattr(form, field).errors.append(issue.dutch)
            else:
                problems.append(issue.dutch)
        return render_form(form, 422, problems)
    flask.flash("Het gezin is aangemaakt. Vul nu de situatie en het gezin aan.", "success")
    target = flask.url_for("cases.show", code=code)
    if flask.request.headers.get("HX-Request") == "true":
        response = flask.make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return flask.redirect(target, 303)
