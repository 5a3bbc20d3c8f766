"""Forms of the genogram's side panel: a new relative next to the person selected.

The person's own fields are those of the family page's :class:`cases.forms.PersonForm`
(one definition, so both say the same in Dutch); a relative adds how it is linked.
"""

from wtforms import SelectField

from cases import codes, relatives
from cases.forms import EditForm, MemberForm, PersonForm, TieForm, _choices


class RelativeForm(EditForm):
    """A new parent, partner, child or sibling: who, and how they are linked."""

    name = PersonForm.name
    sex = PersonForm.sex
    birth_year = PersonForm.birth_year
    deceased = PersonForm.deceased
    residence = PersonForm.residence
    # Parent and child: the kind of parenthood; partner: the couple's status.
    link = SelectField(validate_choice=False)
    # Child: the other parent; sibling: both parents or one of them.
    parents = SelectField(validate_choice=False)

    def prepare(self, kind, case, person_id):
        """Labels and choices for ``kind`` of relative of ``person_id`` in ``case``."""
        if kind == "partner":
            self.link.label.text = "Relatie"
            self.link.choices = _choices(codes.COUPLE_STATUSES)
        else:
            self.link.label.text = "Soort ouderschap"
            self.link.choices = _choices(codes.PARENT_TYPES)
        if kind == "kind":
            self.parents.label.text = "Andere ouder"
            self.parents.choices = relatives.co_parent_choices(case, person_id)
        elif kind == "broer-zus":
            self.parents.label.text = "Ouders"
            self.parents.choices = relatives.sibling_choices(case, person_id)
        return self

    def person_values(self):
        return {
            "name": self.optional("name"),
            "sex": self.sex.data,
            "birth_year": self.birth_year.data,
            "deceased": self.deceased.data,
            "residence": self.optional("residence"),
        }

    @classmethod
    def new(cls, kind, case, person_id, version):
        data = {"version": version, "sex": "unknown", "residence": ""}
        if kind == "partner":
            data["link"] = next(iter(codes.COUPLE_STATUSES))
        else:
            data["link"] = "biological"
        if kind == "kind":
            data["parents"] = relatives.default_co_parent(case, person_id)
        elif kind == "broer-zus":
            data["parents"] = relatives.BOTH_PARENTS
        return cls(formdata=None, data=data).prepare(kind, case, person_id)

    @staticmethod
    def link_fields(kind):
        """Which of ``link`` and ``parents`` the form for ``kind`` shows."""
        return {
            "ouder": ("link",),
            "partner": ("link",),
            "kind": ("link", "parents"),
            "broer-zus": ("parents",),
        }[kind]


class NetworkRelativeForm(EditForm):
    """A new network member with a tie to the person selected."""

    name = MemberForm.name
    partner = MemberForm.partner
    in_team = MemberForm.in_team
    strength = TieForm.strength
    flow = TieForm.flow
    stressful = TieForm.stressful

    def member_values(self):
        return {
            "name": self.optional("name"),
            "partner": self.partner.data,
            "in_team": self.in_team.data,
        }

    def tie_values(self):
        return {
            "strength": self.strength.data,
            "stressful": self.stressful.data,
            "flow": self.flow.data,
        }

    @classmethod
    def new(cls, version):
        return cls(formdata=None, data={"version": version, "strength": "normal", "flow": "to"})
