"""The layout memory kept in step with every save of a case, and read by the drawings.

Every path that saves a case (the family page's forms, the genogram panel, the API,
imports) goes through ``cases.store``, which runs :func:`remember_layout` inside the
save's transaction: the new case is laid out with the family's stored memory (or,
without one yet, with the memory of the old case's drawing, as it was on the screen)
and its memory replaces the stored one. Reads only read the memory.
"""

from cases import store as cases_store
from genogram import store
from genogram.core import core_case, core_persons, is_large
from genogram.graph import build_graph


def drawn_case(case, *, full=False):
    """What a drawing shows of ``case``: its core family when large (``genogram.core``)
    and ``full`` is not asked for, else the whole case."""
    return core_case(case, core_persons(case)) if is_large(case) and not full else case


def drawn_layout(case, memory=None):
    """The layout of the default drawing of ``case`` (with ``memory``)."""
    from genogram.layout import layout_genogram  # NumPy and SciPy: on first use

    return layout_genogram(build_graph(drawn_case(case)), memory)


@cases_store.on_case_written
def remember_layout(db, family_id, case, previous):
    """Store the memory of the saved case's drawing, laid out with the one before."""
    from genogram.layout.memory import memory_of

    memory = store.memory_of_family(db, family_id)
    if memory is None and previous is not None:
        memory = memory_of(drawn_layout(cases_store.case_from_row(db, previous)))
    store.save_memory(db, family_id, memory_of(drawn_layout(case, memory)))
