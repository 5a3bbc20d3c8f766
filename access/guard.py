"""The server-side need-to-know check for every route that names a family.

It runs before every request, for every blueprint: any route with a ``<code>`` in its
URL is checked here, so a new route cannot forget it. What a route needs is READ for
GET and EDIT for other methods (ERASE for DELETE), unless the view says otherwise with
:func:`requires`. A refusal is a plain 403 that looks the same whether or not the family
exists, so it reveals nothing.
"""

import flask
import flask_login

from access import policy
from access import store as access_store
from accounts.login import LOGIN_REQUIRED
from cases import store as cases_store
from core.web import get_db

ACTION_ATTRIBUTE = "required_family_action"
API_PREFIX = "/api/"


def requires(action):
    """Mark a view as needing ``action`` (see access.policy) on its family."""
    if action not in policy.ACTIONS:
        raise ValueError(f"unknown action {action!r}")

    def mark(view):
        setattr(view, ACTION_ATTRIBUTE, action)
        return view

    return mark


def action_for(view, method):
    """The action a request needs: the view's mark, else by HTTP method."""
    explicit = getattr(view, ACTION_ATTRIBUTE, None)
    if explicit:
        return explicit
    if method in ("GET", "HEAD", "OPTIONS"):
        return policy.READ
    if method == "DELETE":
        return policy.ERASE
    return policy.EDIT


def _refuse(status):
    flask.g.family_denied = True
    if flask.request.path.startswith(API_PREFIX):
        message = LOGIN_REQUIRED if status == 401 else "forbidden"
        return flask.jsonify({"error": message}), status
    if status == 401:
        return flask.current_app.login_manager.unauthorized()
    flask.abort(403)


def guard_family_routes():
    """before_request: check the user's right on the family named in the URL."""
    args = flask.request.view_args or {}
    if "code" not in args:
        return None
    user = flask_login.current_user
    if not user.is_authenticated:
        return _refuse(401)
    db = get_db()
    family = cases_store.family_row(db, args["code"])
    view = flask.current_app.view_functions.get(flask.request.endpoint)
    action = action_for(view, flask.request.method)
    flask.g.family_action = action
    if family is None:
        # Only an admin may learn that a code does not exist; everyone else gets
        # the same 403 as for a family they may not see.
        return None if user.role == policy.ADMIN else _refuse(403)
    team_role = access_store.team_role(db, family["id"], user.id)
    flask.g.family = family
    flask.g.team_role = team_role
    if not policy.allowed(user.role, team_role, action):
        return _refuse(403)
    return None
