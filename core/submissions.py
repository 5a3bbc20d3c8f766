"""Idempotent creates: a form submitted twice (a double click, a retry after a timeout)
makes one record.

Every create form carries a fresh random token (``{{ form_token() }}`` in a template).
The first submit with it claims the token and stores what it made (``result``, JSON) in
``form_submissions``, in the same transaction as the record itself: either both commit
or neither does, so a refused submit leaves the token free for the corrected form. A
second submit with the same token gets the first one's result back instead of creating
again. A concurrent second submit waits for the write lock (``BEGIN IMMEDIATE``), then
finds the claim and answers with its result too. Tokens are scoped to the user and to
what was submitted (the route), and kept for a day; older ones are pruned on each claim.

The API's equivalent is the ``Idempotency-Key`` header: the same mechanism, another
source of the token. Nothing here imports Flask or a domain.
"""

import datetime
import json
import re
import secrets
import sqlite3

from markupsafe import Markup
from sqlite_utils.migrations import Migrations

from core.clock import utc_now

FIELD = "form_token"
HEADER = "Idempotency-Key"
KEEP = datetime.timedelta(days=1)
_VALID = re.compile(r"[A-Za-z0-9_-]{16,64}")

migrations = Migrations("core")


@migrations()
def create_form_submissions(db):
    db.executescript(
        """
        CREATE TABLE form_submissions (
            token TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            scope TEXT NOT NULL,
            created_at TEXT NOT NULL,
            result TEXT,
            PRIMARY KEY (user_id, scope, token)
        ) WITHOUT ROWID;
        CREATE INDEX form_submissions_created ON form_submissions(created_at);
        """
    )


def new_token():
    return secrets.token_urlsafe(18)


def token_field():
    """The hidden input a create form carries (a Jinja global, ``form_token()``)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, new_token())


def valid(token):
    """``token`` when it has the shape of one, else None (then the submit is not guarded)."""
    return token if isinstance(token, str) and _VALID.fullmatch(token) else None


class Replayed(Exception):  # noqa: N818 (it carries the earlier result, not an error)
    """Raised inside :func:`once` when another submit with the token got there first."""

    def __init__(self, result):
        self.result = result
        super().__init__("this form was submitted already")


def earlier(db, token, user_id, scope):
    """``(True, result)`` when a submit with ``token`` made its record (``result`` decoded
    from JSON), else ``(False, None)`` (also for a missing or malformed token)."""
    token = valid(token)
    if token is None or user_id is None:
        return False, None
    rows = list(
        db.query(
            "SELECT result FROM form_submissions WHERE user_id = ? AND scope = ? AND token = ?",
            [user_id, scope, token],
        )
    )
    if not rows or rows[0]["result"] is None:
        return False, None
    return True, json.loads(rows[0]["result"])


def claim(db, token, user_id, scope, now=None):
    """Take ``token`` inside the creating transaction; False when a submit with it has.

    Prunes tokens older than :data:`KEEP` on the way (an indexed range delete)."""
    now = now or utc_now()
    before = (datetime.datetime.fromisoformat(now) - KEEP).isoformat(timespec="seconds")
    db.execute("DELETE FROM form_submissions WHERE created_at < ?", [before])
    try:
        db.execute(
            "INSERT INTO form_submissions (token, user_id, scope, created_at) VALUES (?, ?, ?, ?)",
            [token, user_id, scope, now],
        )
    except sqlite3.IntegrityError:
        return False
    return True


def record(db, token, user_id, scope, result):
    db.execute(
        "UPDATE form_submissions SET result = ? WHERE user_id = ? AND scope = ? AND token = ?",
        [json.dumps(result, ensure_ascii=False), user_id, scope, token],
    )


def once(db, token, user_id, scope, create):
    """Run ``create()`` (it returns the JSON-able result) at most once for ``token``.

    Returns ``(result, first)``: ``first`` is False when an earlier submit with the token
    made the record, and ``result`` is then that submit's result. Without a valid token
    it simply creates, in a transaction all the same. What ``create`` raises rolls the
    claim back with the record.
    """
    token = valid(token)
    if token is None or user_id is None:
        with db.atomic():  # unguarded, but still all or nothing
            return create(), True
    made, result = earlier(db, token, user_id, scope)
    if made:
        return result, False
    try:
        with db.atomic():
            if not claim(db, token, user_id, scope):
                # The other submit committed while this one waited for the lock.
                raise Replayed(earlier(db, token, user_id, scope)[1])
            result = create()
            record(db, token, user_id, scope, result)
    except Replayed as replayed:
        return replayed.result, False
    return result, True


def forget(db, path, value):
    """Remove the tokens of forms posted under ``path`` and those whose result names
    ``value`` (an erased family: its URL and its code)."""
    db.execute(
        "DELETE FROM form_submissions WHERE instr(scope, ?) > 0 OR instr(result, ?) > 0",
        [path, json.dumps(value, ensure_ascii=False)],
    )
