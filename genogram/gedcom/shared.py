"""What reading, building and writing GEDCOM share: our own tags, the value maps,
the error and the notices."""

from dataclasses import dataclass

# Our own tags (GEDCOM allows user tags that start with "_"): what 5.5.1 cannot say.
STATUS_TAG = "_MTW_STATUS"
INDEX_TAG = "_MTW_INDEX"
NO_COUPLE = "none"

SEX_FROM_GEDCOM = {"M": "male", "F": "female", "X": "other"}
SEX_TO_GEDCOM = {"male": "M", "female": "F", "other": "X", "unknown": "U"}
PEDIGREE_TYPES = {
    None: "biological",
    "": "biological",
    "birth": "biological",
    "adopted": "adoptive",
    "foster": "foster",
    "guardian": "foster",
    "step": "step",
}
PEDIGREE_TO_GEDCOM = {"adoptive": "adopted", "foster": "foster", "step": "step"}


class GedcomError(ValueError):
    """The file cannot be read as GEDCOM; nothing of it may be stored.

    ``str(error)`` is English (for the command line), ``dutch`` for the interface.
    """

    def __init__(self, message, dutch):
        super().__init__(message)
        self.dutch = dutch


@dataclass(frozen=True)
class Notice:
    """Something the import left out or changed: ``code`` says what kind, for counting."""

    code: str
    message: str
    dutch: str

    def __str__(self):
        return self.message


def bare(xref):
    return xref.strip("@")
