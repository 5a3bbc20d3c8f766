"""The app's domains, in the order they plug in: the one list ``create_app`` reads.

Each domain package has ``init_app(app)``, which registers its blueprints, command-line
groups, template filters and globals, request hooks (with their stage,
``core.plugins``), exporters and erasers. The order is that of the tables: a domain's
migrations may refer to the tables of the domains before it.
"""

import functools
import importlib
import importlib.util

from core import database, plugins

DOMAINS = (
    "accounts",
    "cases",
    "access",
    "audit",
    "privacy",
    "actions",
    "rules",
    "conference",
    "library",
    "finder",
    "genogram",
    "patterns",
)


@functools.cache
def _with_tables():
    """The domains that have a migrations module (looked up once, not per app)."""
    return tuple(name for name in DOMAINS if importlib.util.find_spec(f"{name}.migrations"))


def migration_sets():
    """The floor's tables, then every domain's, in the order their tables depend on each
    other."""
    from core import submissions

    domains = [importlib.import_module(f"{name}.migrations").migrations for name in _with_tables()]
    return [submissions.migrations, *domains]


def init_db(db):
    """Create or upgrade every domain's tables (outside an app: scripts and tests)."""
    database.init_db(db, migration_sets())


def init_app(app):
    plugins.add(app, "migrations", *migration_sets())
    for name in DOMAINS:
        importlib.import_module(name).init_app(app)
