"""``flask --app app users ...``"""

import os

import click
from flask.cli import with_appcontext

from accounts import passwords, store
from accounts.roles import ROLES
from core.web import get_db


@click.group("users")
def users_group():
    """Manage user accounts."""


@users_group.command("create")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(list(ROLES)), help="The user's role.")
@click.option("--display-name", help="Name shown in the interface (default: NAME).")
@click.option(
    "--password-env",
    metavar="VAR",
    help="Read the password from this environment variable instead of a prompt.",
)
@with_appcontext
def create(name, role, display_name, password_env):
    """Create user NAME with a role; the password comes from a prompt or --password-env."""
    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            raise click.ClickException(f"environment variable {password_env} is not set")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        store.create_user(get_db(), name, password, role, display_name)
    except (store.AccountError, passwords.WeakPassword) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"created user {name} ({role})")


@users_group.command("list")
@with_appcontext
def list_users():
    """List the user accounts."""
    for user in store.list_users(get_db()):
        state = "" if user["active"] else " (inactive)"
        click.echo(f"{user['username']}\t{user['role']}{state}")
