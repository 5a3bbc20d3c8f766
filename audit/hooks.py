"""Write the access log from the request cycle.

Every request that names a family is logged after it is answered: the event follows
from what the route needed (read, change, export, erase) unless the view names it
(``g.audit_event``), the outcome from the status. Views add what a log reader needs to
know with ``g.audit_object`` and ``g.audit_detail``; routes without a family (the list's
search, login) log through :func:`log_event`.
"""

import flask
import flask_login

from access import policy
from audit import store
from core.web import get_db

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


def log_family_request(response):
    """after_request: one log entry for every request that names a family."""
    args = flask.request.view_args or {}
    if "code" not in args or flask.request.method == "OPTIONS":
        return response
    family = flask.g.get("family") or {}
    action = flask.g.get("family_action", policy.READ)
    store.record(
        get_db(),
        flask.g.get("audit_event") or EVENT_FOR_ACTION[action],
        flask.g.get("audit_outcome") or outcome_for(response.status_code),
        family_id=family.get("id"),
        family_code=args["code"],
        object=flask.g.get("audit_object") or _object_of_request(),
        user=_user_row(),
        on_behalf_of=_on_behalf_of(),
        access_point=access_point(),
        detail=flask.g.get("audit_detail"),
    )
    return response
