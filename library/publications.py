"""Publishing to the solution library (``db`` first).

Publishing is two steps. A request (:func:`request_publication`) checks consent and
stores a pending publication; the worker (:func:`process_pending`, run by
``flask --app app library process`` in a process of its own) de-identifies the case
and stores the copy (``library.catalogue``). Consent is checked again there: it may
have been withdrawn since, and a copy whose consent is gone is taken out.
"""

import datetime

from cases import store as cases_store
from core.clock import utc_now as _now
from library.catalogue import library_case_for_family, one_row, store_library_case
from privacy import store as privacy_store
from privacy.consent import consent_status, publication_allowed

PENDING = "pending"

PROCESSING = "processing"

PUBLISHED = "published"

FAILED = "failed"

STATUSES = {
    PENDING: "wacht op verwerking",
    PROCESSING: "wordt geanonimiseerd",
    PUBLISHED: "gepubliceerd",
    FAILED: "mislukt",
}

WITHDRAWN = "withdrawn"  # not a publication status: a copy taken out for lack of consent

# A worker that died mid-way leaves its publication "processing"; after this long the
# next worker takes it up again.
STALE_AFTER = datetime.timedelta(minutes=15)


class ConsentMissing(Exception):
    """No complete consent for publication; the message is Dutch, for the user."""


def family_by_id(db, family_id):
    return one_row(db, "SELECT * FROM families WHERE id = ?", [family_id])


def consent_for(db, family, case, today=None):
    """The family's consent status on publication in the library (privacy.consent)."""
    return consent_status(case, privacy_store.consents(db, family["id"]), "library", today)


def check_consent(db, family, case, today=None):
    """Raise :class:`ConsentMissing` unless privacy.consent.publication_allowed says yes."""
    consents = privacy_store.consents(db, family["id"])
    if not publication_allowed(case, consents, today):
        status = consent_status(case, consents, "library", today)
        raise ConsentMissing(
            "Niet gepubliceerd: " + status.message + " Leg de instemming vast onder "
            "'Team en privacy' en probeer het daarna opnieuw."
        )


def request_publication(db, family, case, user_id, today=None):
    """Check consent and store a pending publication; return its id (ConsentMissing)."""
    check_consent(db, family, case, today)
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO library_publications (family_id, status, requested_by, requested_at)"
            " VALUES (?, ?, ?, ?)",
            [family["id"], PENDING, user_id, _now()],
        )
    return cursor.lastrowid


def publication(db, publication_id):
    return one_row(db, "SELECT * FROM library_publications WHERE id = ?", [publication_id])


def latest_publication(db, family_id):
    """The family's latest publication act, with who asked for it; None if never."""
    return one_row(
        db,
        "SELECT p.*, u.username AS requested_by_username, u.display_name AS requested_by_name"
        " FROM library_publications p LEFT JOIN users u ON u.id = p.requested_by"
        " WHERE p.family_id = ? ORDER BY p.id DESC LIMIT 1",
        [family_id],
    )


def publications(db, family_id):
    return list(
        db.query(
            "SELECT p.*, u.username AS requested_by_username"
            " FROM library_publications p LEFT JOIN users u ON u.id = p.requested_by"
            " WHERE p.family_id = ? ORDER BY p.id",
            [family_id],
        )
    )


def pending_count(db):
    return next(
        db.query(
            "SELECT count(*) AS n FROM library_publications WHERE status = ?"
            " OR (status = ? AND started_at < ?)",
            [PENDING, PROCESSING, _stale_before()],
        )
    )["n"]


def _stale_before():
    return (datetime.datetime.now(datetime.UTC) - STALE_AFTER).isoformat(timespec="seconds")


def claim_next(db):
    """Take the oldest pending publication (or a stale one) for processing; None if none."""
    with db.atomic():
        row = one_row(
            db,
            "SELECT * FROM library_publications WHERE status = ?"
            " OR (status = ? AND started_at < ?) ORDER BY id LIMIT 1",
            [PENDING, PROCESSING, _stale_before()],
        )
        if row is None:
            return None
        db.execute(
            "UPDATE library_publications SET status = ?, started_at = ? WHERE id = ?",
            [PROCESSING, _now(), row["id"]],
        )
    return publication(db, row["id"])


def _finish(db, publication_id, status, failure=None):
    db.execute(
        "UPDATE library_publications SET status = ?, processed_at = ?, failure = ? WHERE id = ?",
        [status, _now(), failure, publication_id],
    )


def process_publication(db, row, deidentify_case, today=None):
    """De-identify and store the case of one claimed publication; return its status."""
    family = family_by_id(db, row["family_id"])
    if family is None:  # erased meanwhile (the cascade normally removes the row too)
        return FAILED
    case = cases_store.case_from_row(db, family)
    try:
        check_consent(db, family, case, today)
    except ConsentMissing as error:
        _finish(db, row["id"], FAILED, str(error))
        return FAILED
    try:
        document = deidentify_case(case)
    except Exception as error:  # noqa: BLE001 - the reason is stored for the facilitator
        _finish(db, row["id"], FAILED, f"Anonimiseren mislukt: {type(error).__name__}: {error}")
        return FAILED
    with db.atomic():
        store_library_case(db, family["id"], document, publication=row)
        _finish(db, row["id"], PUBLISHED)
    return PUBLISHED


def withdraw_if_no_consent(db, family, today=None):
    """Take the family's copy out of the library when its consent is no longer complete
    (refused or withdrawn since it was published); return whether it did."""
    if library_case_for_family(db, family["id"]) is None:
        return False
    case = cases_store.case_from_row(db, family)
    if publication_allowed(case, privacy_store.consents(db, family["id"]), today):
        return False
    with db.atomic():
        db.execute(
            "DELETE FROM library_entries WHERE case_id IN"
            " (SELECT id FROM library_cases WHERE family_id = ?)",
            [family["id"]],
        )
        db.execute("DELETE FROM library_cases WHERE family_id = ?", [family["id"]])
    return True


def withdraw_all_without_consent(db, today=None):
    """:func:`withdraw_if_no_consent` for every published family; the number withdrawn."""
    withdrawn = 0
    for row in list(db.query("SELECT family_id FROM library_cases")):
        family = family_by_id(db, row["family_id"])
        if family is not None and withdraw_if_no_consent(db, family, today):
            withdrawn += 1
    return withdrawn


def process_pending(db, deidentify_case=None, today=None):
    """Process every pending publication; return ``{status: count}``. First it takes
    out of the library every copy whose consent is no longer complete."""
    if deidentify_case is None:
        from library.deidentify import deidentify_case
    counts = {}
    withdrawn = withdraw_all_without_consent(db, today)
    if withdrawn:
        counts["withdrawn"] = withdrawn
    while (row := claim_next(db)) is not None:
        status = process_publication(db, row, deidentify_case, today)
        counts[status] = counts.get(status, 0) + 1
    return counts


def publish_now(db, family, case, user_id, deidentify_case=None, today=None):
    """Publish one family synchronously (the CLI): same consent gate; return the status."""
    if deidentify_case is None:
        from library.deidentify import deidentify_case
    publication_id = request_publication(db, family, case, user_id, today)
    with db.atomic():
        db.execute(
            "UPDATE library_publications SET status = ?, started_at = ? WHERE id = ?",
            [PROCESSING, _now(), publication_id],
        )
    return process_publication(db, publication(db, publication_id), deidentify_case, today)
