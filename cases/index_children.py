"""The index children of a case: the children the conference is about. Pure: no Flask.

The exchange format asks for at least one person with ``"index": true`` and allows
several (siblings placed together, or siblings the conference is about together), so
code that speaks of "the index child" asks this module for all of them.
"""


def index_children(case):
    """The persons of a canonical case marked ``index``, in the case's order."""
    return [p for p in case.get("persons", []) if p.get("index")]


def dutch_list(words):
    """ "Noor", "Noor en Sem", "Noor, Sem en Liv": words joined the Dutch way."""
    words = [w for w in words if w]
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " en " + words[-1]


def index_names(case, unnamed="(zonder naam)"):
    """ "Noor en Sem": the names of the index children, for a sentence."""
    return dutch_list([(p.get("name") or "").strip() or unnamed for p in index_children(case)])
