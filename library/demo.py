"""The demo library: the closed demo cases under data/demo/library, published.

Their consents are synthetic: every holder that privacy.consent requires is recorded as
having given consent for the library (note "demo: synthetische instemming"), only for
these invented families, so that the demo shows a full library. Real families are only
published with consent that was really recorded.
"""

import datetime
import pathlib

import click
from flask import current_app

from cases import store as cases_store
from library import publications
from privacy import store as privacy_store
from privacy.consent import current_decisions, required_holders

DEMO_NOTE = "demo: synthetische instemming"


def demo_codes(root):
    import json

    return [
        json.loads(path.read_text(encoding="utf-8"))["code"]
        for path in sorted(pathlib.Path(root).glob("library/*.json"))
    ]


def unpublished(db, codes):
    """Those of ``codes`` (the demo library's) whose family is not published now."""
    marks = ",".join("?" * len(codes))
    published = {
        row["code"]
        for row in db.query(
            "SELECT f.code FROM families f JOIN library_publications p ON p.family_id = f.id"
            f" WHERE f.code IN ({marks}) AND p.status = ? AND p.id = (SELECT max(id)"
            " FROM library_publications WHERE family_id = f.id)",
            [*codes, publications.PUBLISHED],
        )
    }
    return [code for code in codes if code not in published]


def give_demo_consent(db, family, case, today=None):
    """Record synthetic library consent for every required holder who has none yet."""
    holders, _explanations, _problems = required_holders(case, today or datetime.date.today())
    current = current_decisions(privacy_store.consents(db, family["id"]), "library")
    for holder in holders:
        entry = current.get(holder.person_id)
        if entry is None or entry["decision"] != "given":
            privacy_store.record_consent(
                db, family["id"], person_id=holder.person_id, subject="library",
                decision="given", note=DEMO_NOTE,
            )  # fmt: skip


def publish_demo(db, root=None, deidentify_case=None):
    """Publish every demo library case (in this process: deduce loads once)."""
    root = root or current_app.config["DEMO_DATA"]
    published = 0
    for code in demo_codes(root):
        family, case = cases_store.load_family(db, code)
        if family is None:
            continue
        give_demo_consent(db, family, case)
        if (
            publications.publish_now(db, family, case, None, deidentify_case)
            == publications.PUBLISHED
        ):
            published += 1
    click.echo(f"demo library: {published} closed cases published (synthetic consent)")
    return published
