"""Login, logout and the profile page with API tokens."""

import urllib.parse

import flask
import flask_login

from accounts import passwords, store
from accounts.forms import LoginForm, PasswordForm, TokenForm
from core.web import User, get_db

bp = flask.Blueprint("accounts", __name__)


def _safe_next(target):
    """Only follow a ``next`` that stays on this site."""
    if not target:
        return None
    parts = urllib.parse.urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as "/" and drop tabs and newlines, so "/\\evil.example"
    # and "/\t/evil.example" lead off-site.
    if any(char == "\\" or ord(char) < 32 for char in target):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The Dutch login page."""
    if flask_login.current_user.is_authenticated:
        return flask.redirect(flask.url_for("index"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        row = store.authenticate(get_db(), form.username.data, form.password.data)
        if row is not None:
            flask.session.clear()
            flask_login.login_user(User(row))
            return flask.redirect(
                _safe_next(flask.request.args.get("next")) or flask.url_for("index")
            )
        error = "Gebruikersnaam of wachtwoord klopt niet."
        status = 401
    elif form.is_submitted():
        status = 422
    return flask.render_template("accounts/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    """Log out and forget the session."""
    flask_login.logout_user()
    flask.session.clear()
    flask.flash("Je bent uitgelogd.", "info")
    return flask.redirect(flask.url_for("accounts.login"))


def _render_profile(token_form=None, password_form=None, new_token=None, status=200):
    user = flask_login.current_user
    return (
        flask.render_template(
            "accounts/profile.html",
            tokens=store.list_tokens(get_db(), user.id),
            token_form=token_form or TokenForm(),
            password_form=password_form or PasswordForm(),
            new_token=new_token,
        ),
        status,
    )


@bp.get("/profiel")
@flask_login.login_required
def profile():
    """The user's profile: API tokens and password."""
    return _render_profile()


@bp.post("/profiel/tokens")
@flask_login.login_required
def create_token():
    """Create an API token; its secret is shown once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _render_profile(token_form=form, status=422)
    token = store.create_token(get_db(), flask_login.current_user.id, form.name.data)
    return _render_profile(new_token=token)


@bp.post("/profiel/tokens/<int:token_id>/intrekken")
@flask_login.login_required
def revoke_token(token_id):
    """Revoke one of the user's own API tokens."""
    if not store.revoke_token(get_db(), flask_login.current_user.id, token_id):
        flask.abort(404)
    flask.flash("Het token is ingetrokken.", "info")
    return flask.redirect(flask.url_for("accounts.profile"))


@bp.post("/profiel/wachtwoord")
@flask_login.login_required
def change_password():
    """Change the password; every other session and every token stops working."""
    form = PasswordForm()
    user = flask_login.current_user
    if not form.validate_on_submit():
        return _render_profile(password_form=form, status=422)
    if not passwords.verify_password(user.row["password_hash"], form.current.data):
        form.current.errors.append("Je huidige wachtwoord klopt niet.")
        return _render_profile(password_form=form, status=422)
    try:
        store.change_password(get_db(), user.id, form.new.data)
    except passwords.WeakPassword as error:
        form.new.errors.append(str(error))
        return _render_profile(password_form=form, status=422)
    flask_login.login_user(User(store.get_user(get_db(), user.id)))
    flask.flash("Je wachtwoord is gewijzigd. Andere sessies en API-tokens zijn beëindigd.", "info")
    return flask.redirect(flask.url_for("accounts.profile"))
