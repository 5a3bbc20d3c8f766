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
from core import submissions
from core.htmx import redirect as htmx_redirect
from core.web import get_db

TITLE_TAKEN = (
    "Er is al een gezin met deze titel. Kies een andere schuilnaam, of maak het gezin "
    "toch aan met ‘Toch aanmaken’."
)


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


def render_form(form, status=200, problems=(), *, same_title=False):
    return (
        flask.render_template(
            "cases/_new_family.html",
            form=form,
            new_family_id=NEW_FAMILY_ID,
            problems=problems,
            same_title=same_title,
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
    db = get_db()
    form.known_regions = store.regions(db)
    if not form.validate():
        return render_form(form, 422)
    token = submissions.valid(form.token.data)
    made = token and store.family_of_token(db, token, user.id)
    if made:  # the same form again (a double click): the family it made
        return to_build(made)
    if form.same_title.data != "1" and store.title_taken(db, form.title.data):
        made = token and store.family_of_token(db, token, user.id)
        if made:  # the first submit of this form finished meanwhile: that title is its own
            return to_build(made)
        form.title.errors.append(TITLE_TAKEN)
        return render_form(form, 422, same_title=True)
    try:
        code, first = submissions.once(
            db, token, user.id, store.NEW_FAMILY_SCOPE, lambda: create(db, form, user)
        )
    except CaseFormatError as error:
        problems = []
        for issue in error.issues:
            field = NewFamilyForm.FIELD_OF_PATH.get(issue.path)
            if field:
                getattr(form, field).errors.append(issue.dutch)
            else:
                problems.append(issue.dutch)
        return render_form(form, 422, problems)
    if not first:  # another submit of this form made it meanwhile
        return to_build(code)
    flask.flash("Het gezin is aangemaakt. Bouw het nu op: ouders, kinderen en netwerk.", "success")
    return to_build(code)


def create(db, form, user):
    """The family of ``form``, its creator as facilitator and the log entry; its code."""
    code = code_for(form.title.data, lambda c: store.family_row(db, c) is not None)
    family_id = store.save_case(db, form.case(code, datetime.date.today()))
    access_store.add_member(db, family_id, user.id, policy.TEAM_FACILITATOR, user.id)
    # In the same transaction: the family stands only with its log entry.
    log_event("create", "success", family=store.family_row(db, code), object="family")
    return code


def to_build(code):
    """Go on to the family's guided flow, "Gezin opbouwen" (htmx: by HX-Redirect)."""
    return to_family(code, endpoint="cases.build")


def to_family(code, endpoint="cases.show"):
    """Go to the family's page (htmx: by HX-Redirect)."""
    target = flask.url_for(endpoint, code=code)
    return htmx_redirect(target, by_htmx=flask.request.headers.get("HX-Request") == "true")
