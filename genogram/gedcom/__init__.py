"""GEDCOM 5.5/5.5.1 family trees in and out of the case exchange format (``case/1``).

Pure: no Flask, no database. ``read_gedcom`` turns a file written by a genealogy
program into a new case plus a list of :class:`Notice` for what it had to leave out;
``write_gedcom`` writes a case as GEDCOM 5.5.1. Parsing is ged4py's (encodings
UTF-8, UTF-16, ANSEL, ASCII and the illegal-but-common ANSI/CP1252, dates of every
GEDCOM form); this package only maps records.

Three steps, a module each: ``read`` parses the file into records, ``build`` maps the
records to a case (what comes across, what is left out with a notice), ``write``
writes a case; ``shared`` holds the tags, value maps and notices they share.
"""

from genogram.gedcom.read import DEFAULT_GOAL, GedcomImport, read_gedcom
from genogram.gedcom.shared import (
    INDEX_TAG,
    NO_COUPLE,
    PEDIGREE_TO_GEDCOM,
    PEDIGREE_TYPES,
    SEX_FROM_GEDCOM,
    SEX_TO_GEDCOM,
    STATUS_TAG,
    GedcomError,
    Notice,
)
from genogram.gedcom.write import not_exported, write_gedcom

__all__ = [
    "DEFAULT_GOAL",
    "INDEX_TAG",
    "NO_COUPLE",
    "PEDIGREE_TO_GEDCOM",
    "PEDIGREE_TYPES",
    "SEX_FROM_GEDCOM",
    "SEX_TO_GEDCOM",
    "STATUS_TAG",
    "GedcomError",
    "GedcomImport",
    "Notice",
    "not_exported",
    "read_gedcom",
    "write_gedcom",
]
