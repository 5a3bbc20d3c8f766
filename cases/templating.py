"""Template helpers of the cases domain: the Dutch label of every code."""

from cases import codes
from cases.index_children import index_children, index_names

CODE_TABLES = {
    "goal": codes.GOALS,
    "status": codes.STATUSES,
    "sex": codes.SEXES,
    "problem": codes.PROBLEMS,
    "partner": codes.PARTNERS,
    "residence": codes.RESIDENCES,
    "relation": codes.RELATION_KINDS,
    "couple": codes.COUPLE_STATUSES,
    "parent": codes.PARENT_TYPES,
    "emotional": codes.EMOTIONAL_QUALITIES,
    "strength": codes.TIE_STRENGTHS,
    "flow": codes.TIE_FLOWS,
    "outcome": codes.SOLUTION_OUTCOMES,
}


def label(code, table):
    """The Dutch label of ``code`` in one of the code tables; the code itself if unknown."""
    if code is None:
        return ""
    return CODE_TABLES[table].get(code, code)


def register(app):
    app.jinja_env.filters["label"] = label
    app.jinja_env.globals["codes"] = codes
    app.jinja_env.globals["index_children"] = index_children
    app.jinja_env.globals["index_names"] = index_names
