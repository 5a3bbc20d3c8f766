"""Forms of the signal cards: accept with an action, dismiss with a reason."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import HiddenInput

from actions.store import MAX_OWNER, MAX_TITLE
from cases.forms import IsoDateField
from rules.store import DISMISS_REASONS


class SignalForm(FlaskForm):
    class Meta:
        csrf = False  # checked app-wide by CSRFProtect before the view runs

    # The facts the card showed: a decision about other facts is refused (409).
    fingerprint = HiddenField()


class AcceptForm(SignalForm):
    title = StringField(
        "Wat gaan we doen",
        validators=[
            InputRequired("Vul in wat er moet gebeuren."),
            Length(max=MAX_TITLE, message=f"Hooguit {MAX_TITLE} tekens."),
        ],
    )
    owner = StringField(
        "Wie pakt het op",
        validators=[
            InputRequired("Vul in wie dit oppakt."),
            Length(max=MAX_OWNER, message=f"Hooguit {MAX_OWNER} tekens."),
        ],
    )
    due = IsoDateField("Uiterlijk")


class DismissForm(SignalForm):
    reason = RadioField(
        "Reden",
        choices=dict(DISMISS_REASONS),
        validators=[InputRequired("Kies een reden.")],
    )
    note = TextAreaField("Toelichting", validators=[Length(max=500, message="Hooguit 500 tekens.")])


class TextHintForm(FlaskForm):
    """Record a problem the text speaks of on one person (the choices are the living
    persons of the family, set by the view)."""

    class Meta:
        csrf = False  # checked app-wide by CSRFProtect before the view runs

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    person = SelectField("Bij wie", validators=[InputRequired("Kies een persoon.")])
