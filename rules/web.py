"""The rule set of the running app: loaded (and checked) once when the app starts."""

import flask

from rules.loader import load_rules

EXTENSION = "maatwerktafel_rules"


def init_app(app):
    """Load the rule files; a bad file raises RuleFileError and the app does not start."""
    app.extensions[EXTENSION] = load_rules(app.config["RULES_DIR"])


def get_ruleset():
    return flask.current_app.extensions[EXTENSION]
