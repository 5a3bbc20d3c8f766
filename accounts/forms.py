"""Account forms (Flask-WTF: CSRF and field validation, Dutch messages)."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField(
        "Gebruikersnaam", validators=[DataRequired("Vul je gebruikersnaam in."), Length(max=64)]
    )
    password = PasswordField(
        "Wachtwoord", validators=[DataRequired("Vul je wachtwoord in."), Length(max=256)]
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
