"""Forms of the family page (Flask-WTF): field parsing and required fields, in Dutch.

The forms only turn what was typed into values (numbers, dates, true/false, lists);
whether the resulting case is valid is decided by ``cases.validation`` when the store
saves it. CSRF is checked for every POST by the app-wide ``CSRFProtect`` before any
view runs, so the forms do not check it a second time.
"""

import datetime
import secrets

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import HiddenInput, TextInput

from cases import building, codes, editing, regions
from cases.validation import MAX_HOUSEHOLD, MAX_NAME, MAX_TEXT, MAX_TITLE

EMPTY_CHOICE = {"": "— onbekend —"}
PICK_CHOICE = {"": "— kies —"}


class WholeNumberField(IntegerField):
    """A whole number typed as text; empty means "not known"."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, message="Vul een heel getal in.", **kw):
        super().__init__(label, validators, **kw)
        self.message = message

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if text:
            try:
                self.data = int(text)
            except ValueError as error:
                raise ValueError(self.message) from error


class IsoDateField(DateField):
    """A date (the browser's date picker sends jjjj-mm-dd); empty means "not known"."""

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if text:
            try:
                self.data = datetime.date.fromisoformat(text)
            except ValueError as error:
                raise ValueError("Geef een geldige datum (jjjj-mm-dd).") from error

    def iso(self):
        return self.data.isoformat() if self.data else None


class VersionField(IntegerField):
    """The family's version when the form was loaded, to refuse edits on a stale copy."""

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = int(text) if text.isdigit() else None


def _version_required(form, field):
    if field.data is None:
        raise ValidationError("Dit formulier is onvolledig; laad de pagina opnieuw.")


class EditForm(FlaskForm):
    """Every edit form carries the version it was loaded with."""

    class Meta:
        csrf = False  # checked app-wide by CSRFProtect before the view runs

    version = VersionField(validators=[_version_required])

    def optional(self, name):
        """The field's value, with an empty text or choice meaning "not given"."""
        value = getattr(self, name).data
        if isinstance(value, str):
            value = value.strip()
        return value or None


def _choices(table, *, empty=None):
    """Choices as WTForms' shorthand dict (value -> label), optionally an empty one first."""
    return {**(empty or {}), **table}


class RegionCheck:
    """A region typed close to one in use is asked about ("Bedoel je ‘Oost’?") until it
    is confirmed as new; only case or spacing apart, it is the known one. The view sets
    ``known_regions`` before validating."""

    known_regions = ()
    new_region = HiddenField(default="")

    def validate_region(self, field):
        region, meant = regions.settle(field.data, self.known_regions)
        field.data = region or ""
        if meant and self.new_region.data != "1":
            raise ValidationError(
                f"Bedoel je ‘{meant}’? Kies die, of bevestig ‘{region}’ als nieuwe regio."
            )

    @property
    def region_in_doubt(self):
        return any(e.startswith("Bedoel je") for e in self.region.errors)


class SituationForm(RegionCheck, EditForm):
    title = StringField(
        "Titel",
        validators=[
            InputRequired("Geef de casus een titel."),
            Length(max=MAX_TITLE, message=f"Hooguit {MAX_TITLE} tekens."),
        ],
    )
    region = StringField(
        "Regio", validators=[Length(max=MAX_NAME, message=f"Hooguit {MAX_NAME} tekens.")]
    )
    goal = SelectField("Doel", choices=_choices(codes.GOALS), validate_choice=False)
    status = SelectField("Status", choices=_choices(codes.STATUSES), validate_choice=False)
    started = IsoDateField("Gestart op")
    narrative = TextAreaField(
        "Verhaal", validators=[Length(max=MAX_TEXT, message=f"Hooguit {MAX_TEXT} tekens.")]
    )
    child_perspective = TextAreaField(
        "Perspectief van het kind",
        validators=[Length(max=MAX_TEXT, message=f"Hooguit {MAX_TEXT} tekens.")],
    )

    def values(self):
        """The situation as keyword arguments for ``editing.update_situation``."""
        return {
            "title": self.title.data.strip(),
            "region": self.optional("region"),
            "goal": self.goal.data,
            "status": self.status.data,
            "started": self.started.iso(),
            "narrative": self.optional("narrative"),
            "child_perspective": self.optional("child_perspective"),
        }

    @classmethod
    def of(cls, case, version):
        return cls(
            formdata=None,
            data={
                "version": version,
                **{key: case[key] for key in editing.SITUATION_FIELDS if key != "started"},
                "started": _date(case["started"]),
            },
        )


class PersonForm(EditForm):
    name = StringField(
        "Naam (voornaam of pseudoniem)",
        validators=[Length(max=MAX_NAME, message=f"Hooguit {MAX_NAME} tekens.")],
    )
    sex = SelectField(
        "Geslacht", choices=_choices(codes.SEXES), validate_choice=False, default="unknown"
    )
    birth_year = WholeNumberField(
        "Geboortejaar", message="Vul een geboortejaar in cijfers in, bijvoorbeeld 2008."
    )
    deceased = BooleanField("Overleden")
    index = BooleanField("Indexkind (om dit kind gaat het)")
    problems = SelectMultipleField(
        "Problematiek", choices=_choices(codes.PROBLEMS), validate_choice=False
    )
    interests = StringField("Interesses")
    strengths = StringField("Krachten")
    residence = SelectField(
        "Woont nu",
        choices=_choices(codes.RESIDENCES, empty=EMPTY_CHOICE),
        validate_choice=False,
    )
    in_team = BooleanField("Zit aan tafel (in het team)")
    household = StringField(
        "Huishouden",
        validators=[Length(max=MAX_HOUSEHOLD, message=f"Hooguit {MAX_HOUSEHOLD} tekens.")],
    )

    def values(self):
        """The person as keyword arguments for ``editing.add_person``/``update_person``."""
        return {
            "name": self.optional("name"),
            "sex": self.sex.data,
            "birth_year": self.birth_year.data,
            "deceased": self.deceased.data,
            "index": self.index.data,
            "problems": list(self.problems.data or []),
            "interests": editing.split_words(self.interests.data),
            "strengths": editing.split_words(self.strengths.data),
            "residence": self.optional("residence"),
            "in_team": self.in_team.data,
            "household": self.optional("household"),
        }

    @classmethod
    def of(cls, person, version):
        return cls(
            formdata=None,
            data={
                "version": version,
                **{key: person[key] for key in editing.PERSON_FIELDS},
                "interests": ", ".join(person["interests"]),
                "strengths": ", ".join(person["strengths"]),
                "residence": person["residence"] or "",
                "household": person["household"] or "",
            },
        )


class PlacementForm(EditForm):
    residence = SelectField(
        "Verblijf",
        choices=_choices(codes.RESIDENCES, empty=PICK_CHOICE),
        validate_choice=False,
        validators=[InputRequired("Kies waar het kind verbleef.")],
    )
    provider = StringField(
        "Aanbieder of plek",
        validators=[Length(max=MAX_NAME, message=f"Hooguit {MAX_NAME} tekens.")],
    )
    start = IsoDateField("Begonnen op", validators=[InputRequired("Vul de begindatum in.")])
    end = IsoDateField("Geëindigd op")

    def values(self):
        return {
            "residence": self.residence.data,
            "provider": self.optional("provider"),
            "start": self.start.iso(),
            "end": self.end.iso(),
        }

    @classmethod
    def of(cls, placement, version):
        return cls(
            formdata=None,
            data={
                "version": version,
                "residence": placement["residence"],
                "provider": placement["provider"],
                "start": _date(placement["start"]),
                "end": _date(placement["end"]),
            },
        )


# What the two persons and the detail of a relation are called, per kind.
RELATION_LABELS = {
    "couple": ("Partner", "Andere partner", "Status"),
    "parent": ("Ouder", "Kind", "Soort ouderschap"),
    "emotional": ("Persoon", "Andere persoon", "Kwaliteit van de band"),
}
RELATION_DETAILS = {
    "couple": codes.COUPLE_STATUSES,
    "parent": codes.PARENT_TYPES,
    "emotional": codes.EMOTIONAL_QUALITIES,
}


BY_CHOICES = [
    ("", "van beide kanten of onbekend"),
    ("first", "van de eerste persoon"),
    ("second", "van de andere persoon"),
]


class RelationForm(EditForm):
    kind = HiddenField()
    first = SelectField(validate_choice=False, validators=[InputRequired("Kies een persoon.")])
    second = SelectField(validate_choice=False, validators=[InputRequired("Kies een persoon.")])
    detail = SelectField(validate_choice=False, validators=[InputRequired("Maak een keuze.")])
    # Emotional abuse or conflict: from whom it comes ("first", "second"; empty: mutual).
    by = SelectField(
        "Van wie (bij mishandeling of conflict)",
        choices=BY_CHOICES,
        validate_choice=False,
    )

    def prepare(self, kind, case):
        """Labels and choices for this kind of relation and the persons of this case."""
        first, second, detail = RELATION_LABELS[kind]
        self.first.label.text, self.second.label.text = first, second
        self.detail.label.text = detail
        self.first.choices = self.second.choices = person_choices(case)
        self.detail.choices = _choices(RELATION_DETAILS[kind], empty=PICK_CHOICE)
        return self

    def values(self):
        values = {
            "first": self.first.data,
            "second": self.second.data,
            "detail": self.detail.data,
        }
        if self.kind.data == "emotional":
            values["by"] = self.by.data if self.by.data in ("first", "second") else None
        return values

    @classmethod
    def of(cls, relation, version):
        first, second = editing.relation_persons(relation)
        by = relation.get("by")
        return cls(
            formdata=None,
            data={
                "version": version,
                "kind": relation["kind"],
                "first": first,
                "second": second,
                "detail": editing.relation_detail(relation),
                "by": "first" if by and by == first else "second" if by and by == second else "",
            },
        )


class MemberForm(EditForm):
    name = StringField(
        "Naam", validators=[Length(max=MAX_NAME, message=f"Hooguit {MAX_NAME} tekens.")]
    )
    partner = SelectField(
        "Soort partner",
        choices=_choices(codes.PARTNERS, empty=PICK_CHOICE),
        validate_choice=False,
        validators=[InputRequired("Kies wat voor partner dit is.")],
    )
    in_team = BooleanField("Zit in het team rond het gezin")

    def values(self):
        return {
            "name": self.optional("name"),
            "partner": self.partner.data,
            "in_team": self.in_team.data,
        }

    @classmethod
    def of(cls, member, version):
        return cls(
            formdata=None,
            data={"version": version, **{key: member[key] for key in editing.MEMBER_FIELDS}},
        )


class TieForm(EditForm):
    person = SelectField(
        "Band met", validate_choice=False, validators=[InputRequired("Kies een persoon.")]
    )
    strength = SelectField("Sterkte", choices=_choices(codes.TIE_STRENGTHS), validate_choice=False)
    flow = SelectField("Steun gaat", choices=_choices(codes.TIE_FLOWS), validate_choice=False)
    stressful = BooleanField("Belastend (de band geeft spanning)")

    def prepare(self, case):
        self.person.choices = person_choices(case)
        return self

    def values(self):
        return {
            "person": self.person.data,
            "strength": self.strength.data,
            "stressful": self.stressful.data,
            "flow": self.flow.data,
        }

    @classmethod
    def of(cls, tie, version):
        return cls(
            formdata=None,
            data={"version": version, **{key: tie[key] for key in editing.TIE_FIELDS}},
        )


def person_choices(case):
    """The persons of a case for a select list: name, with birth year to tell apart."""
    choices = dict(PICK_CHOICE)
    for person in case["persons"]:
        label = editing.display_name(case, person["id"])
        if person["birth_year"]:
            label += f" ({person['birth_year']})"
        choices[person["id"]] = label
    return choices


def _date(text):
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


class NewFamilyForm(RegionCheck, FlaskForm):
    """A new family: what the list needs, and the child it is about."""

    class Meta:
        csrf = False  # checked app-wide by CSRFProtect before the view runs

    title = StringField(
        "Titel van de casus",
        validators=[InputRequired("Geef de casus een titel."), Length(max=MAX_TITLE)],
        description="Een schuilnaam, zoals ‘Het Verzorgpaard’: geen echte namen.",
    )
    # Every missing field is named at once, the goal with the others.
    goal = SelectField(
        "Doel",
        choices=_choices(codes.GOALS, empty=PICK_CHOICE),
        validators=[InputRequired("Kies het doel van de casus.")],
    )
    region = StringField("Regio", validators=[Length(max=MAX_NAME)])
    child_name = StringField(
        "Naam van het kind",
        validators=[InputRequired("Vul een (voor)naam of schuilnaam in."), Length(max=MAX_NAME)],
    )
    child_sex = SelectField("Geslacht", choices=_choices(codes.SEXES), default="unknown")
    # One form, one family: a second submit of the same form (a double click) finds the
    # family the first one made (cases.store.family_of_token).
    token = HiddenField(default=lambda: secrets.token_urlsafe(18))
    # Set by "Toch aanmaken" after the warning that the title is taken.
    same_title = HiddenField(default="")
    child_birth_year = WholeNumberField(
        "Geboortejaar", message="Vul een jaartal in, bijvoorbeeld 2012."
    )

    def case(self, code, today):
        """The new case in the exchange format."""
        return {
            "format": codes.FORMAT,
            "code": code,
            "title": self.title.data.strip(),
            "goal": self.goal.data or None,
            "region": (self.region.data or "").strip() or None,
            "status": "active",
            "started": today.isoformat(),
            "persons": [
                {
                    "id": "p1",
                    # "Noor v 2011" in the name field: name, sex and birth year at once.
                    **building.person_values(
                        self.child_name.data.strip(),
                        self.child_sex.data or "unknown",
                        self.child_birth_year.data,
                    ),
                    "index": True,
                }
            ],
        }

    # Where validation issues of the new case belong on this form.
    FIELD_OF_PATH = {
        "title": "title",
        "goal": "goal",
        "region": "region",
        "persons[0].name": "child_name",
        "persons[0].sex": "child_sex",
        "persons[0].birth_year": "child_birth_year",
    }
