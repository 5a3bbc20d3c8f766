"""Signals on the family page (cards to accept or dismiss) and the rule catalogue."""

import flask

bp = flask.Blueprint("rules", __name__)
