"""A library consent that is refused or withdrawn takes the copy out at once."""

from cases import store as cases_store
from cases.validation import canonical_case
from library import catalogue as library_catalogue
from privacy import store as privacy_store
from tests.factories import make_case


def test_withdrawing_library_consent_removes_the_copy_at_once(db, login):
    family = cases_store.family_row(db, "test-gezin")
    for person in ("p1", "p2"):
        privacy_store.record_consent(
            db, family["id"], person_id=person, subject="library", decision="given"
        )
    library_catalogue.store_library_case(db, family["id"], canonical_case(make_case()))
    assert library_catalogue.library_case_for_family(db, family["id"]) is not None
    # Consent on another subject changes nothing in the library.
    privacy_store.record_consent(db, family["id"], person_id="p1", subject="team", decision="given")
    assert library_catalogue.library_case_for_family(db, family["id"]) is not None
    response = login("facilitator").post(
        "/gezinnen/test-gezin/instemming",
        data={"person_id": "p1", "subject": "library", "decision": "withdrawn", "note": ""},
    )
    assert response.status_code < 400
    assert library_catalogue.library_case_for_family(db, family["id"]) is None
    assert list(db.query("SELECT * FROM library_entries")) == []
