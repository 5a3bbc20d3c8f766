"""The situation of a family: title, region, goal, status, story."""

from cases import editing, store
from cases.forms import SituationForm
from cases.views.blocks import _situation_block
from cases.views.blueprint import bp
from cases.views.ids import SITUATION_ID
from cases.views.responses import load_or_404, show_form, show_item
from cases.views.saving import Change, save_change
from core.web import get_db

SITUATION_FIELDS = {key: key for key in editing.SITUATION_FIELDS}


@bp.get("/<code>/situatie")
def situation(code):
    """The situation, read-only."""
    family, case = load_or_404(code)
    return show_item(code, family, case, [SITUATION_ID], "cases/_situation.html", "situatie")


@bp.get("/<code>/situatie/wijzigen")
def edit_situation(code):
    """The form for the situation."""
    family, case = load_or_404(code)
    form = SituationForm.of(case, family["version"])
    form.known_regions = store.regions(get_db())
    return show_form(family, case, SITUATION_ID, "cases/_situation_form.html", form)


@bp.post("/<code>/situatie")
def update_situation(code):
    """Save the situation."""
    form = SituationForm()
    form.known_regions = store.regions(get_db())
    return save_change(
        code,
        Change(
            element=SITUATION_ID,
            form_template="cases/_situation_form.html",
            form=form,
            apply=lambda case: editing.update_situation(case, **form.values()),
            block=_situation_block,
            prefix=lambda case, new: "",
            fields=SITUATION_FIELDS,
            focus=lambda new: SITUATION_ID,
        ),
    )
