"""Dutch singular and plural for the counts on the patterns pages: "1 kind", "2 kinderen".
Pure."""

# The plural the pages write -> its singular. A noun missing here is a KeyError, so a
# new count cannot slip back to "1 kinderen" unnoticed.
SINGULAR = {
    "gezinnen": "gezin",
    "kinderen": "kind",
    "plaatsingen": "plaatsing",
    "verplaatsingen": "verplaatsing",
    "doelen": "doel",
    "acties": "actie",
    "partners": "partner",
    "oplossingen": "oplossing",
    "regels": "regel",
}


def noun(count, many):
    """The noun for ``count``: ``noun(1, "kinderen")`` -> ``"kind"``."""
    singular = SINGULAR[many]
    return singular if count == 1 else many


def amount(count, many):
    """The count with its noun: ``amount(1, "kinderen")`` -> ``"1 kind"``."""
    return f"{count} {noun(count, many)}"
