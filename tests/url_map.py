"""Every route of the app, from its URL map, with sample arguments: for the security tests.

The tests that use this enumerate the URL map instead of listing routes, so a new route
is checked the moment it exists. A new URL argument has no sample yet: building its URL
fails with a message that says so, and someone has to decide what it should be.
"""

import re
import tempfile

from app import create_app

# Endpoints anyone may reach without logging in; everything else needs a session (or,
# under /api, a token). Keep this list short and say why for each.
PUBLIC = {
    "accounts.login": "the login page itself",
    "accounts.login_code": "second login step: needs a pending login, not a session",
    "accounts.login_enrol": "second-factor enrolment during the login, same",
    "static": "CSS and JavaScript, no data",
    "assets.vendor": "htmx and panzoom from node_modules, no data",
}

# Blueprints only admins may use at all.
ADMIN_BLUEPRINTS = ("user_admin", "audit")

# A value for every URL argument in use. A route with another argument makes
# url_for_rule() fail until a sample is added here.
SAMPLES = {
    "code": "test-gezin",
    "person_id": "p1",
    "member_id": "n1",
    "index": 0,
    "kind": "couple",
    "relative": "kind",
    "step": "kinderen",
    "rule_id": "missing-adult-mental-health",
    "conference_id": 1,
    "note_id": 1,
    "participant_id": 1,
    "goal_id": 1,
    "action_id": 1,
    "user_id": 1,
    "token_id": 1,
    "session_id": 1,
    "field": "username",
    "filename": "style.css",
    "name": "htmx.min.js",
    "entry_id": 1,
    "table": "outcomes",
    "key": "personen",
    "problem": "debts",
}

# Methods that change something (and so need a CSRF token).
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# The names in tests/factories.py's case, which must never leak to whoever may not see it.
TEST_FAMILY_TITLE = "Het Testgezin"
PERSON_NAMES = (
    "Sanne",
    "Vader",
    "Moeder",
    "Opa",
    "Paardenfluisteraar",
    "Jeugdbeschermer",
)


def _url_map_app():
    # Only the URL map is needed: an app on a throwaway database.
    directory = tempfile.mkdtemp(prefix="url-map-")
    return create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": f"{directory}/map.db"})


_APP = _url_map_app()


def action_for(endpoint, method):
    """What the access guard asks of the user for this endpoint and method."""
    from access import guard

    return guard.action_for(_APP.view_functions[endpoint], method)


def rules(app=None):
    """(endpoint, method, rule) for every rule and method, sorted; HEAD/OPTIONS aside."""
    url_map = (app or _APP).url_map
    found = []
    for rule in url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule))
    return sorted(found, key=lambda item: (item[2].rule, item[1]))


def protected(app=None):
    """The rules that need a login: all but the public allow-list."""
    return [item for item in rules(app) if item[0] not in PUBLIC]


def ids(items):
    return [f"{method} {endpoint}" for endpoint, method, _rule in items]


def url_for_rule(rule, **overrides):
    """The URL of ``rule`` with sample arguments (``overrides`` replace samples)."""
    missing = sorted(set(rule.arguments) - set(SAMPLES) - set(overrides))
    if missing:
        raise AssertionError(
            f"route {rule.rule} ({rule.endpoint}) has URL argument(s) {missing} without a "
            "sample value: add one to SAMPLES in tests/url_map.py, and decide what the "
            "security tests should expect of this route"
        )
    values = {name: overrides.get(name, SAMPLES[name]) for name in rule.arguments}
    _domain, path = rule.build(values, append_unknown=False)
    return path


def names_family(rule):
    return "code" in rule.arguments


def is_api(rule):
    return rule.rule.startswith("/api/")


def is_admin_only(endpoint):
    return endpoint.split(".")[0] in ADMIN_BLUEPRINTS


CSRF_VALUE = re.compile(r'(name="csrf[-_]token" (?:content|value)=")[^"]*"')


def without_csrf_tokens(html):
    """The HTML with CSRF tokens blanked (they carry a timestamp)."""
    return CSRF_VALUE.sub(r'\1"', html)


# Written by refusals and reads by design: the access log, the failed logins that the
# lock-out counts, and the sessions' last activity (noted once a minute).
NOT_DATA = ("access_log", "login_failures", "user_sessions")


def dump(db, skip=NOT_DATA):
    """Every row of every table but ``skip``, as text: to show that nothing changed."""
    lines = []
    for line in db.conn.iterdump():
        if any(line.startswith(f'INSERT INTO "{table}"') for table in skip):
            continue
        lines.append(line)
    return "\n".join(lines)
