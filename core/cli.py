"""``flask --app app db ...``"""

import click
from flask.cli import with_appcontext

from core.database import init_db
from core.web import get_db


@click.group("db")
def db_group():
    """Manage the database."""


@db_group.command("init")
@with_appcontext
def init():
    """Create or upgrade the database; safe to run again."""
    init_db(get_db())
    click.echo("database ready")
