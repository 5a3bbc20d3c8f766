"""Write the access log from the request cycle.

Every request that names a family is logged after it is answered: the event follows
from what the route needed (read, change, export, erase) unless the view names it
(``g.audit_event``), the outcome from the status. Views add what a log reader needs to
know with ``g.audit_object`` and ``g.audit_detail``; routes without a family (the list's
search, login) log through :func:`log_event`.

A change must not stand without its entry. So for a request that may change a family
(any method but GET, HEAD, OPTIONS) the entry is written inside the write transaction,
just before it commits (``Database.before_commit``), with the outcome "success": if the
entry cannot be written, the change rolls back; if the app fails after the commit, the
entry is there. A request that commits several transactions has its entry in the first;
should a later one fail, the answer's status makes after_request add a "failed" entry, so
the log shows both the part that stood and the failure. A view that sets
``g.audit_event``, ``g.audit_object`` or ``g.audit_detail`` does so before it writes.
Routes without a family that change data call :func:`log_event` inside their own
transaction, for the same reason.

A poll that discloses nothing (the live conference screen's 204) sets
``g.audit_nothing_sent``: no data, no access, no entry.
"""

import flask
import flask_login

from access import policy
from audit import store
from core import errors
from core.maintenance import UnderMaintenance
from core.web import get_db

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

EVENT_FOR_ACTION = {
    policy.READ: "read",
    policy.EDIT: "change",
    policy.MANAGE_TEAM: "change",
    policy.EXPORT: "export",
    policy.ERASE: "erase",
}


def outcome_for(status):
    if status < 400:
        return "success"
    if status in (401, 403, 429):
        return "denied"
    if status == 404:
        return "not_found"
    return "failed"


def access_point():
    """Where the request came from: channel, address and browser or client."""
    request = flask.request
    channel = "api" if request.path.startswith("/api/") else "web"
    agent = (request.user_agent.string or "-")[:120]
    return f"{channel} {request.remote_addr or '-'} {agent}"


def _user_row():
    user = flask_login.current_user
    return user.row if user and user.is_authenticated else None


def _on_behalf_of():
    token = flask.g.get("token_name")
    return f"API-token '{token}'" if token else None


def log_event(event, outcome, *, family=None, object=None, detail=None, user=None):  # noqa: A002
    """Log one event of the current request (for routes without a family in the URL)."""
    store.record(
        get_db(),
        event,
        outcome,
        family_id=family["id"] if family else None,
        family_code=family["code"] if family else None,
        object=object,
        user=user or _user_row(),
        on_behalf_of=_on_behalf_of(),
        access_point=access_point(),
        detail=detail,
    )


def _object_of_request():
    args = {k: v for k, v in (flask.request.view_args or {}).items() if k != "code"}
    described = " ".join(f"{key}={value}" for key, value in sorted(args.items()))
    return f"{flask.request.endpoint} {described}".strip()


def _family_entry(outcome):
    args = flask.request.view_args or {}
    family = flask.g.get("family") or {}
    action = flask.g.get("family_action", policy.READ)
    return dict(
        family_id=family.get("id"),
        family_code=args["code"],
        object=flask.g.get("audit_object") or _object_of_request(),
        user=_user_row(),
        on_behalf_of=_on_behalf_of(),
        access_point=access_point(),
        detail=flask.g.get("audit_detail"),
        event=flask.g.get("audit_event") or EVENT_FOR_ACTION[action],
        outcome=flask.g.get("audit_outcome") or outcome,
    )


def sent_nothing():
    """Whether the view answered without disclosing anything (``g.audit_nothing_sent``)."""
    return bool(flask.g.get("audit_nothing_sent"))


def _names_a_family():
    return "code" in (flask.request.view_args or {}) and flask.request.method != "OPTIONS"


def _write_change_entry(db):
    """before_commit: the request's entry, in the transaction that makes its change."""
    if flask.g.get("audit_entry_written"):
        return
    entry = _family_entry("success")
    store.record(db, entry.pop("event"), entry.pop("outcome"), **entry)
    flask.g.audit_entry_written = True


def arm_change_entry():
    """before_request (the last one): a change commits only together with its entry."""
    if flask.request.method in SAFE_METHODS or not _names_a_family():
        return
    get_db().before_commit.append(_write_change_entry)
    flask.g.audit_armed = True


def log_family_request(response):
    """after_request: one log entry for every request that names a family.

    During a restore the entry cannot be written; then the answer is the 503 instead:
    nothing is shown that the log does not record.
    """
    if flask.g.pop("audit_armed", False):
        get_db().before_commit.remove(_write_change_entry)
    if not _names_a_family() or sent_nothing():
        return response
    if flask.g.get("audit_entry_written") and response.status_code < 400:
        return response  # written with the change
    entry = _family_entry(outcome_for(response.status_code))
    try:
        store.record(get_db(), entry.pop("event"), entry.pop("outcome"), **entry)
    except UnderMaintenance:
        return errors.maintenance_response()
    return response
