"""The rows of the guided new-family flow: one form is one person or network member.

Each row carries a token of its own, so a second submit of the same row (Enter pressed
twice, a double click) adds nobody a second time (``core.submissions``).
"""

import secrets

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from cases import building, codes
from cases.forms import EMPTY_CHOICE, PICK_CHOICE, WholeNumberField, person_choices
from cases.validation import MAX_NAME

NAME_HINT = "Tip: ‘Sanne v 1988’ vult naam, geslacht en geboortejaar in één keer."


class RowForm(FlaskForm):
    class Meta:
        csrf = False  # checked app-wide by CSRFProtect before the view runs

    token = HiddenField(default=lambda: secrets.token_urlsafe(18))
    name = StringField(
        "Naam",
        validators=[
            InputRequired("Vul een naam in."),
            Length(max=MAX_NAME, message=f"Hooguit {MAX_NAME} tekens."),
        ],
    )


class PersonRowForm(RowForm):
    """A parent, child or family member."""

    sex = SelectField("Geslacht", choices=codes.SEXES, default="unknown", validate_choice=False)
    birth_year = WholeNumberField(
        "Geboortejaar", message="Vul een geboortejaar in cijfers in, bijvoorbeeld 2008."
    )
    index = BooleanField("Indexkind")
    link = SelectField("Is", validate_choice=False)

    def prepare(self, case):
        self.link.choices = {**PICK_CHOICE, **building.link_choices(case)}
        return self

    def values(self, *, child=False):
        extra = {"index": bool(self.index.data)} if child else {}
        return building.person_values(self.name.data, self.sex.data, self.birth_year.data, **extra)


class MemberRowForm(RowForm):
    """A network member with a tie to one person."""

    partner = SelectField(
        "Soort",
        choices=codes.PARTNERS,
        default=building.MEMBER_PARTNER,
        validate_choice=False,
    )
    person = SelectField("Band met", validate_choice=False)

    def prepare(self, case):
        choices = person_choices(case)
        choices.pop("", None)
        self.person.choices = choices
        if not self.person.data:
            self.person.data = building.default_tie(case)
        return self


class ResidenceForm(FlaskForm):
    class Meta:
        csrf = False

    person = HiddenField()
    residence = SelectField(
        "Woont nu", choices={**EMPTY_CHOICE, **codes.RESIDENCES}, validate_choice=False
    )
