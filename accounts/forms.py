"""Account forms (Flask-WTF: CSRF and field validation, Dutch messages)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from accounts.passwords import MAX_LENGTH
from accounts.roles import ROLES
from accounts.store import DISPLAY_NAME_MAX


class LoginForm(FlaskForm):
    username = StringField(
        "Gebruikersnaam", validators=[DataRequired("Vul je gebruikersnaam in."), Length(max=64)]
    )
    password = PasswordField(
        "Wachtwoord", validators=[DataRequired("Vul je wachtwoord in."), Length(max=MAX_LENGTH)]
    )


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app ("123 456" is fine too)."""

    code = StringField(
        "Code uit je app",
        validators=[
            DataRequired("Vul de code van zes cijfers uit je app in."),
            Regexp(r"^\s*\d{3}[\s-]?\d{3}\s*$", message="Een code bestaat uit zes cijfers."),
        ],
    )


class TokenForm(FlaskForm):
    name = StringField(
        "Naam van het token",
        validators=[
            DataRequired("Geef het token een naam."),
            Length(max=80, message="Hooguit 80 tekens."),
        ],
    )


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Huidig wachtwoord", validators=[DataRequired("Vul je huidige wachtwoord in.")]
    )
    new = PasswordField(
        "Nieuw wachtwoord", validators=[DataRequired("Vul een nieuw wachtwoord in.")]
    )
    repeat = PasswordField(
        "Herhaal nieuw wachtwoord",
        validators=[EqualTo("new", "De twee nieuwe wachtwoorden verschillen.")],
    )


class RoleField(SelectField):
    """A choice of role, refused in Dutch when it is none of them."""

    def __init__(self, label="Rol", **kwargs):
        choices = [SelectChoice(value, name) for value, name in ROLES.items()]
        super().__init__(label, choices=choices, **kwargs)

    def pre_validate(self, form):
        if self.data not in ROLES:
            raise ValidationError("Kies een van de rollen.")


class UserForm(FlaskForm):
    """A new user, created by an admin. The store checks name and password in depth."""

    username = StringField(
        "Gebruikersnaam", validators=[DataRequired("Vul een gebruikersnaam in.")]
    )
    display_name = StringField(
        "Naam",
        validators=[
            Optional(),
            Length(max=DISPLAY_NAME_MAX, message=f"Hooguit {DISPLAY_NAME_MAX} tekens."),
        ],
        description="Zoals de naam in Maatwerktafel verschijnt; leeg: de gebruikersnaam.",
    )
    role = RoleField()
    password = PasswordField(
        "Eerste wachtwoord",
        validators=[DataRequired("Vul een eerste wachtwoord in.")],
        description="Geef het de gebruiker persoonlijk; die kan het wijzigen op de profielpagina.",
    )
    repeat = PasswordField(
        "Herhaal wachtwoord",
        validators=[EqualTo("password", "De twee wachtwoorden verschillen.")],
    )


class RoleForm(FlaskForm):
    role = RoleField()


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class RoleSettingsForm(FlaskForm):
    """One checkbox per role: is the second factor required for it?"""

    @classmethod
    def field_name(cls, role):
        return f"require_{role}"


for _role, _label in ROLES.items():
    setattr(RoleSettingsForm, RoleSettingsForm.field_name(_role), BooleanField(_label))
