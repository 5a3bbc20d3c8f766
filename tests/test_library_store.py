"""The library's stores: publications, the consent gate, search, tries, erasure."""

import json

import pytest

from actions import store as actions_store
from cases import store as cases_store
from library import catalogue, demo, publications, tries
from privacy import erasure
from privacy import store as privacy_store
from privacy.export import build_export
from tests.factories import make_case


def fake_deidentify(case):
    """A stand-in for deduce where the test is about the store, not the text."""
    return {
        "format": "library-case/1",
        "title": "Geanonimiseerde casus",
        "goal": case["goal"],
        "narrative": "[PERSOON-1] woont in [LOCATIE-1].",
        "child_perspective": None,
        "persons": [{"id": p["id"], "name": "Indexkind", "problems": p["problems"],
                     "index": p.get("index", False)}
                    for p in case["persons"]],
        "network": [{"id": m["id"], "name": m["name"], "partner": m["partner"]}
                    for m in case["network"]],
        "solutions": case["solutions"],
        "outcome": case["outcome"],
        "tags": {},
    }  # fmt: skip


def family(db, code="test-gezin"):
    return cases_store.load_family(db, code)


def give_consent(db, code="test-gezin"):
    row, case = family(db, code)
    demo.give_demo_consent(db, row, case)


def test_without_consent_nothing_is_stored(db):
    row, case = family(db)
    with pytest.raises(publications.ConsentMissing) as error:
        publications.request_publication(db, row, case, user_id=1)
    assert "instemming" in str(error.value).lower()
    assert db.execute("SELECT count(*) FROM library_publications").fetchone()[0] == 0


def test_request_then_process_publishes(db):
    give_consent(db)
    row, case = family(db)
    publication_id = publications.request_publication(db, row, case, user_id=1)
    assert publications.publication(db, publication_id)["status"] == publications.PENDING
    assert publications.process_pending(db, fake_deidentify) == {publications.PUBLISHED: 1}
    done = publications.latest_publication(db, row["id"])
    assert done["status"] == publications.PUBLISHED
    assert done["requested_by"] == 1 and done["requested_at"] and done["processed_at"]
    entries = catalogue.search(db)
    assert [e["title"] for e in entries] == ["Paardenfluisteraar en leasepaard"]
    assert entries[0]["case_title"] == "Geanonimiseerde casus"
    assert "family_id" not in entries[0]
    assert publications.process_pending(db, fake_deidentify) == {}


def test_consent_withdrawn_before_processing_fails_with_the_reason(db):
    give_consent(db)
    row, case = family(db)
    publications.request_publication(db, row, case, user_id=1)
    privacy_store.record_consent(db, row["id"], person_id="p1", subject="library",
                                 decision="withdrawn")  # fmt: skip
    assert publications.process_pending(db, fake_deidentify) == {publications.FAILED: 1}
    latest = publications.latest_publication(db, row["id"])
    assert latest["status"] == publications.FAILED
    assert "ingetrokken" in latest["failure"]
    assert catalogue.search(db) == []


def test_a_failing_deidentifier_is_recorded(db):
    give_consent(db)
    row, case = family(db)
    publications.request_publication(db, row, case, user_id=1)

    def broken(case):
        raise RuntimeError("kapot")

    assert publications.process_pending(db, broken) == {publications.FAILED: 1}
    assert "kapot" in publications.latest_publication(db, row["id"])["failure"]


def test_publishing_again_keeps_the_entry_ids(db):
    give_consent(db)
    row, case = family(db)
    publications.publish_now(db, row, case, None, fake_deidentify)
    first = catalogue.entry_ids_for_family(db, row["id"])
    publications.publish_now(db, row, case, None, fake_deidentify)
    assert catalogue.entry_ids_for_family(db, row["id"]) == first
    assert len(publications.publications(db, row["id"])) == 2


def test_real_deidentification_is_what_gets_stored(db):
    give_consent(db)
    row, case = family(db)
    assert publications.publish_now(db, row, case, None) == publications.PUBLISHED
    stored = json.loads(catalogue.library_case_for_family(db, row["id"])["document"])
    assert "Sanne" not in json.dumps(stored, ensure_ascii=False)
    assert stored["started"] == "2020"


def publish_some(db):
    for code, problems, partners, outcome, component in (
        ("test-gezin", ["trauma"], ["informal"], "worked", "leasepaard"),
        ("ander-gezin", ["debts", "housing"], ["debt_counselling"], "partly", "budgetcoach"),
        ("derde-gezin", ["trauma", "housing"], ["informal", "municipality"], "worked", "kamer"),
    ):
        if cases_store.family_row(db, code) is None:
            cases_store.save_case(db, make_case(code, title=f"Gezin {code}"))
        row, case = family(db, code)
        case["solutions"] = [{
            "title": f"Oplossing {code}", "summary": f"Samenvatting met {component}",
            "components": [component], "partners": partners, "addresses": problems,
            "outcome": outcome,
        }]  # fmt: skip
        catalogue.store_library_case(db, row["id"], fake_deidentify(case))


def test_search_by_text_and_filters(db):
    publish_some(db)
    assert [e["title"] for e in catalogue.search(db, "leasepa")] == ["Oplossing test-gezin"]
    assert [e["title"] for e in catalogue.search(db, "budgetcoach")] == ["Oplossing ander-gezin"]
    assert {e["title"] for e in catalogue.search(db, problem="trauma")} == {
        "Oplossing test-gezin", "Oplossing derde-gezin"}  # fmt: skip
    assert [e["title"] for e in catalogue.search(db, partner="municipality")] == [
        "Oplossing derde-gezin"]  # fmt: skip
    assert [e["title"] for e in catalogue.search(db, outcome="partly")] == ["Oplossing ander-gezin"]
    assert [e["title"] for e in catalogue.search(db, component="kamer")] == [
        "Oplossing derde-gezin"
    ]
    assert len(catalogue.search(db, goal="return_home")) == 2
    assert catalogue.search(db, '" OR 1=1 --; DROP TABLE x') == []
    facets = catalogue.facets(db)
    assert facets["outcome"] == ["partly", "worked"]
    assert "leasepaard" in facets["component"]


def test_try_entry_creates_an_action_and_is_listed(db):
    publish_some(db)
    entry = catalogue.search(db, "leasepaard")[0]
    row, _ = family(db, "ander-gezin")
    tries.try_entry(db, row["id"], entry, owner="Jeugdbeschermer", user_id=1)
    tried = tries.tried_for(db, row["id"])
    assert [t["entry_id"] for t in tried] == [entry["id"]]
    assert tried[0]["action_owner"] == "Jeugdbeschermer"
    action = actions_store.get_action(db, row["id"], tried[0]["action_id"])
    assert action["source"] == f"library:{entry['id']}"
    with pytest.raises(tries.TryError):
        tries.try_entry(db, row["id"], entry, owner=" ", user_id=1)
    assert len(tries.tried_for(db, row["id"])) == 1


def test_erasure_removes_the_family_from_the_library(db):
    publish_some(db)
    row, _ = family(db)
    entry = catalogue.search(db, "leasepaard")[0]
    other, _ = family(db, "ander-gezin")
    tries.try_entry(db, other["id"], entry, owner="X", user_id=1)
    erasure.erase_family(db, row["id"], "test-gezin")
    assert catalogue.search(db, "leasepaard") == []
    assert catalogue.get_entry(db, entry["id"]) is None
    # The other family keeps the record that it tried it (by title).
    assert tries.tried_for(db, other["id"])[0]["entry_title"] == "Oplossing test-gezin"
    assert any("bibliotheek" in d for d in erasure.described_erasers())


def test_export_holds_the_publications(db):
    give_consent(db)
    row, case = family(db)
    publications.publish_now(db, row, case, 1, fake_deidentify)
    user = {"id": 1, "username": "u", "display_name": "U", "role": "admin"}
    document = build_export(db, row, user)
    assert document["library"]["publications"][0]["status"] == publications.PUBLISHED
    assert document["library"]["published"]["document"]["title"].startswith("Geanonimiseerd")


def test_search_reads_query_syntax_as_words(db):
    publish_some(db)
    # No query language: quotes, stars and operators are just what was typed.
    assert [e["title"] for e in catalogue.search(db, 'leasepaard "OR" x*')] == [
        "Oplossing test-gezin"
    ]
    assert len(catalogue.search(db, "  ")) == 3


def test_a_copy_without_consent_is_withdrawn_from_the_library(db):
    give_consent(db)
    row, case = family(db)
    publications.publish_now(db, row, case, None, fake_deidentify)
    assert not publications.withdraw_if_no_consent(db, row)
    privacy_store.record_consent(db, row["id"], person_id="p1", subject="library",
                                 decision="withdrawn")  # fmt: skip
    # The withdrawal itself takes the copy out; the worker finds nothing left to do.
    assert catalogue.library_case_for_family(db, row["id"]) is None
    assert publications.process_pending(db, fake_deidentify).get("withdrawn", 0) == 0
    assert catalogue.search(db) == []
    assert catalogue.library_case_for_family(db, row["id"]) is None
    # The record of the publication act stays.
    assert publications.latest_publication(db, row["id"])["status"] == publications.PUBLISHED
