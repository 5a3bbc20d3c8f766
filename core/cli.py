"""``flask --app app db ...``"""

import click
from flask import current_app
from flask.cli import with_appcontext

from core import backup as backups
from core import maintenance, plugins
from core.database import init_db
from core.web import get_db


def _migrate():
    init_db(get_db(), plugins.of(current_app, "migrations"))


@click.group("db")
def db_group():
    """Manage the database."""


@db_group.command("init")
@with_appcontext
def init():
    """Create or upgrade the database; safe to run again."""
    _migrate()
    click.echo("database ready")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path):
    """Write a consistent online backup of the database to PATH (a new file)."""
    try:
        counts = backups.backup(current_app.config["DATABASE"], path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup written to {path}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path, yes):
    """Replace the database's content with the backup at PATH (online).

    While it runs the app is in maintenance: writes, and reads that would have to be
    logged, get 503 "Onderhoud: probeer het zo weer." (a flag file beside the database,
    seen by every worker; a flag left by a restore that died is ignored). Nothing the
    app acknowledged is lost, and the access log is carried over whole.
    """
    try:
        counts = backups.check_backup(path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    if not yes:
        click.confirm(
            f"Replace everything in {current_app.config['DATABASE']} with {path}?", abort=True
        )
    database = current_app.config["DATABASE"]
    try:
        with maintenance.maintenance(database) as state:
            flag = maintenance.flag_path(database)
            click.echo(f"maintenance since {state['started']}: writes answer 503 ({flag})")
            backups.restore(path, database, carry=plugins.of(current_app, "restore_carry"))
            _migrate()  # a backup from an older version gets the newer migrations
    except maintenance.RestoreRunning as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored from {path}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
