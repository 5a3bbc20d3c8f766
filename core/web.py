"""Flask glue shared by the blueprints: the request's database and the htmx extension."""

import flask
from flask_htmx import HTMX

from core import database

htmx = HTMX()


def get_db():
    """The database connection of this request, opened on first use."""
    if "db" not in flask.g:
        flask.g.db = database.connect(flask.current_app.config["DATABASE"])
    return flask.g.db


def close_db(_error=None):
    db = flask.g.pop("db", None)
    if db is not None:
        db.close()
