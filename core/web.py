"""Flask glue shared by the blueprints: the request's database, the htmx extension and
the create form this request posts."""

import flask
import flask_login
from flask_htmx import HTMX

from core import database, submissions

htmx = HTMX()


def get_db():
    """The database connection of this request: this thread's connection to the app's
    database (:func:`core.database.acquire`), taken on first use."""
    if "db" not in flask.g:
        flask.g.db = database.acquire(flask.current_app.config["DATABASE"])
    return flask.g.db


def close_db(_error=None):
    """teardown: give the connection back, rolled back if the request left it in a
    transaction."""
    db = flask.g.pop("db", None)
    if db is not None:
        database.release(db)


def this_form():
    """``(token, user id, scope)`` of the create form this request posts, as
    :mod:`core.submissions` takes them: its one-time token, the user, the route."""
    return (
        flask.request.form.get(submissions.FIELD),
        flask_login.current_user.id,
        flask.request.path,
    )


def once_per_form(create, *, guarded=True):
    """``submissions.once`` for this request's form (:func:`this_form`): a second
    submit of it answers with the first one's result. ``guarded=False``: no token, the
    create still in one transaction."""
    token, user_id, scope = this_form()
    return submissions.once(get_db(), token if guarded else None, user_id, scope, create)
