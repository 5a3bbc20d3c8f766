"""Flask glue shared by the blueprints: the request's database and the htmx extension."""

import flask
from flask_htmx import HTMX

from core import database

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
