"""``flask --app app team ...``: who works with which family."""

import click
from flask.cli import with_appcontext

from access import store
from access.policy import TEAM_ROLES
from accounts import store as accounts_store
from cases import store as cases_store
from core.web import get_db


@click.group("team")
def team_group():
    """Manage family teams (need-to-know access)."""


def _family_and_user(db, code, username):
    family = cases_store.family_row(db, code)
    if family is None:
        raise click.ClickException(f"no case with code {code!r}")
    user = accounts_store.get_user_by_name(db, username)
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return family, user


@team_group.command("add")
@click.argument("code")
@click.argument("username")
@click.option("--role", type=click.Choice(list(TEAM_ROLES)), default="member", show_default=True)
@with_appcontext
def add_command(code, username, role):
    """Put USERNAME on the team of family CODE."""
    db = get_db()
    family, user = _family_and_user(db, code, username)
    store.add_member(db, family["id"], user["id"], role)
    click.echo(f"{username} is {role} of {code}")


@team_group.command("remove")
@click.argument("code")
@click.argument("username")
@with_appcontext
def remove_command(code, username):
    """Take USERNAME off the team of family CODE."""
    db = get_db()
    family, user = _family_and_user(db, code, username)
    try:
        removed = store.remove_member(db, family["id"], user["id"])
    except store.TeamError as error:
        raise click.ClickException(str(error)) from error
    if not removed:
        raise click.ClickException(f"{username} is not on the team of {code}")
    click.echo(f"{username} removed from {code}")


@team_group.command("list")
@click.argument("code")
@with_appcontext
def list_command(code):
    """List the team of family CODE."""
    db = get_db()
    family = cases_store.family_row(db, code)
    if family is None:
        raise click.ClickException(f"no case with code {code!r}")
    for member in store.team(db, family["id"]):
        click.echo(f"{member['username']}\t{member['team_role']}\t{member['role']}")
