"""Maatwerktafel: decision support for youth-care case conferences.

``create_app`` builds the Flask app; ``flask --app app`` exposes the command line. The
app is the floor (``core``) and the domains that plug into it (``domains.DOMAINS``,
each with ``init_app``); see docs/architecture.md.
"""

import pathlib

import flask

import core
import domains
from core import config

ROOT = pathlib.Path(__file__).resolve().parent


def create_app(test_config=None):
    """Create and configure the app."""
    app = flask.Flask(__name__, instance_relative_config=True)
    config.configure(app, ROOT, test_config)
    core.init_app(app)
    domains.init_app(app)
    core.finish(app)
    return app
