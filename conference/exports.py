"""What the conferences keep about a family, in its privacy export.

Erasure needs no eraser: the conference tables cascade from the family row.
"""

from conference import store
from privacy.export import register_exporter


@register_exporter("conferences")
def export_conferences(db, family):
    """The family's conferences with who was there, what was said and decided."""
    found = []
    for row in store.conferences_of(db, family["id"]):
        conference = dict(row)
        conference["participants"] = [dict(p) for p in store.participants(db, row["id"])]
        conference["notes"] = [
            {key: note[key] for key in ("id", "kind", "text", "author", "created_at")}
            for kind_notes in store.notes(db, row["id"]).values()
            for note in kind_notes
        ]
        conference["decisions"] = [dict(d) for d in store.decisions(db, row["id"])]
        found.append(conference)
    return found


@register_exporter("parent_goals")
def export_goals(db, family):
    """Parents' personal goals with their scores over the conferences."""
    scores = store.goal_scores(db, family["id"])
    return [dict(goal, scores=scores.get(goal["id"], [])) for goal in store.goals(db, family["id"])]
