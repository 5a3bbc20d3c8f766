"""The library's part in erasing and exporting a family (privacy.erasure, privacy.export)."""

from library import store
from privacy.erasure import register_eraser
from privacy.export import register_exporter
from privacy.store import on_consent_recorded


@register_eraser(
    description="de geanonimiseerde kopie in de oplossingenbibliotheek, de publicaties "
    "en wat het gezin uit de bibliotheek probeert"
)
def erase_from_library(db, family_id, code):
    store.erase_family(db, family_id)


@register_exporter("library")
def export_library(db, family):
    return store.export_family(db, family["id"])


@on_consent_recorded
def withdraw_without_consent(db, family_id):
    """A refused or withdrawn library consent takes the copy out of the library at once
    (the finder's index follows before its next answer)."""
    family = store.family_by_id(db, family_id)
    if family is not None:
        store.withdraw_if_no_consent(db, family)
