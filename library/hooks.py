"""The library's part in erasing and exporting a family (privacy.erasure, privacy.export)."""

from library import store
from privacy.erasure import register_eraser
from privacy.export import register_exporter


@register_eraser(
    description="de geanonimiseerde kopie in de oplossingenbibliotheek, de publicaties "
    "en wat het gezin uit de bibliotheek probeert"
)
def erase_from_library(db, family_id, code):
    store.erase_family(db, family_id)


@register_exporter("library")
def export_library(db, family):
    return store.export_family(db, family["id"])
