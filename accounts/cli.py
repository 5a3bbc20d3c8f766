"""``flask --app app users ...``"""

import os

import click
from flask.cli import with_appcontext

from accounts import passwords, store
from accounts.roles import ROLES
from audit import store as audit_store
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


@users_group.command("reset-totp")
@click.argument("name")
@with_appcontext
def reset_totp(name):
    """Remove the second factor of user NAME (a lost phone, or the last admin locked out).

    Their sessions end; where their role requires a second factor, they set up a new one
    at the next login.
    """
    db = get_db()
    user = store.get_user_by_name(db, name)
    if user is None:
        raise click.ClickException(f"no user named {name}")
    store.reset_totp(db, user["id"])
    audit_store.record(
        db,
        "change",
        "success",
        object=f"user {user['username']} totp reset",
        access_point="cli",
    )
    click.echo(f"second factor of {user['username']} removed")
