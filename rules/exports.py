"""What the rules and actions keep about a family, in its privacy export.

Erasure needs no eraser here: these tables cascade from the family row.
"""

from actions import store as actions_store
from privacy.export import register_exporter
from rules import store, text_hint_store


@register_exporter("signal_decisions")
def export_decisions(db, family):
    return {
        "team_persons": sorted(store.participants(db, family["id"])),
        "decisions": store.decisions(db, family["id"]),
        "text_hints_set_aside": text_hint_store.dismissals(db, family["id"]),
    }


@register_exporter("actions")
def export_actions(db, family):
    return [
        {key: row[key] for key in ("id", "title", "owner", "due", "status", "source",
                                   "created_by_username", "created_at", "done_at")}
        for row in actions_store.actions_for(db, family["id"])
    ]  # fmt: skip
