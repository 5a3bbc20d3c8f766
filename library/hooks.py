"""The library's part in erasing and exporting a family (privacy.erasure, privacy.export)."""

import json

from library import catalogue, publications, tries
from privacy.erasure import register_eraser
from privacy.export import register_exporter
from privacy.store import on_consent_recorded


@register_eraser(
    description="de geanonimiseerde kopie in de oplossingenbibliotheek, de publicaties "
    "en wat het gezin uit de bibliotheek probeert"
)
def erase_from_library(db, family_id, code):
    erase_family(db, family_id)


@register_exporter("library")
def export_library(db, family):
    return export_family(db, family["id"])


@on_consent_recorded
def withdraw_without_consent(db, family_id):
    """A refused or withdrawn library consent takes the copy out of the library at once
    (the finder's index follows before its next answer)."""
    family = publications.family_by_id(db, family_id)
    if family is not None:
        publications.withdraw_if_no_consent(db, family)


def erase_family(db, family_id):
    """Remove what the library holds of the family: its copy, entries, publications, tries."""
    db.execute(
        "DELETE FROM library_entries WHERE case_id IN"
        " (SELECT id FROM library_cases WHERE family_id = ?)",
        [family_id],
    )
    db.execute("DELETE FROM library_cases WHERE family_id = ?", [family_id])
    db.execute("DELETE FROM library_publications WHERE family_id = ?", [family_id])
    db.execute("DELETE FROM library_tried WHERE family_id = ?", [family_id])


def export_family(db, family_id):
    """The family's publications, its de-identified copy and what it tried, as JSON."""
    library_case = catalogue.library_case_for_family(db, family_id)
    return {
        "publications": [
            {
                "id": row["id"],
                "status": row["status"],
                "requested_by": row["requested_by_username"],
                "requested_at": row["requested_at"],
                "processed_at": row["processed_at"],
                "failure": row["failure"],
            }
            for row in publications.publications(db, family_id)
        ],
        "published": None
        if library_case is None
        else {
            "published_at": library_case["published_at"],
            "entries": catalogue.entry_ids_for_family(db, family_id),
            "document": json.loads(library_case["document"]),
        },
        "tried": [
            {
                "entry_id": row["entry_id"],
                "entry_title": row["entry_title"],
                "action_id": row["action_id"],
                "tried_by": row["tried_by_username"],
                "tried_at": row["tried_at"],
            }
            for row in tries.tried_for(db, family_id)
        ],
    }
