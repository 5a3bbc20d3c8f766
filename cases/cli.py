"""``flask --app app cases ...`` and ``flask --app app demo load|ensure``."""

import json
import pathlib
import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

from access import store as access_store
from access.policy import TEAM_FACILITATOR, TEAM_MEMBER
from accounts import store as accounts_store
from accounts.roles import ROLES
from cases import store
from cases.validation import CaseFormatError
from core import jsontext
from core.web import get_db


@click.group("cases")
def cases_group():
    """Import, export and list family cases (exchange format case/1)."""


def read_json(path):
    """The JSON in file ``path``; a one-line message naming the file when it is unusable
    (unreadable, not UTF-8, not JSON, nested too deeply), never a traceback."""
    try:
        text = pathlib.Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path}: cannot read: {error}") from error
    try:
        return jsontext.loads(text)
    except jsontext.JsonError as error:
        raise click.ClickException(f"{path}: {error}") from error


def _import(db, path, replace):
    try:
        return store.import_cases(db, read_json(path), replace=replace)
    except CaseFormatError as error:
        lines = "\n".join(f"  {issue}" for issue in error.issues)
        raise click.ClickException(
            f"{path}: refused, nothing was stored ({len(error.issues)} problems):\n{lines}"
        ) from error
    except store.CaseExists as error:
        raise click.ClickException(
            f"{path}: refused, nothing was stored: case code already exists: "
            f"{', '.join(error.codes)} (use --replace to overwrite)"
        ) from error


@cases_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Overwrite cases whose code exists already.")
@with_appcontext
def import_command(path, replace):
    """Import PATH: one case or a list of cases. All or nothing."""
    codes = _import(get_db(), path, replace)
    click.echo(f"imported {len(codes)} case(s): {', '.join(codes)}")


@cases_group.command("export")
@click.argument("code")
@with_appcontext
def export_command(code):
    """Print case CODE as JSON (exchange format case/1)."""
    case = store.load_case(get_db(), code)
    if case is None:
        raise click.ClickException(f"no case with code {code!r}")
    click.echo(json.dumps(case, ensure_ascii=False, indent=2))


@cases_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
@click.option("--goal", help="Only this goal code.")
@click.option("--region", help="Only this region.")
@click.option("--status", help="Only this status code.")
@with_appcontext
def list_command(as_json, goal, region, status):
    """List the stored cases."""
    rows = store.list_families(get_db(), goal=goal, region=region, status=status, limit=None)
    fields = ("code", "title", "goal", "status", "region", "started")
    if as_json:
        click.echo(
            json.dumps(
                [{key: row[key] for key in fields} for row in rows], ensure_ascii=False, indent=2
            )
        )
        return
    for row in rows:
        click.echo("\t".join(str(row[key] or "") for key in fields))


@click.group("demo")
def demo_group():
    """Demo data for trying the app locally."""


@demo_group.command("load")
@with_appcontext
def load_command():
    """Load (or refresh) the demo cases and create one demo user per role."""
    db = get_db()
    root = pathlib.Path(current_app.config["DEMO_DATA"])
    files = sorted(root.glob("*/*.json"))
    if not files:
        raise click.ClickException(f"no demo cases under {root}")
    documents = [read_json(path) for path in files]
    try:
        codes = store.import_cases(db, documents, replace=True)
    except CaseFormatError as error:
        lines = "\n".join(
            f"  {files[int(i.path[1:].split(']')[0])].name}: {i}" for i in error.issues
        )
        raise click.ClickException(f"demo data refused:\n{lines}") from error
    click.echo(f"loaded {len(codes)} demo cases")
    _demo_users(db, demo_users_file(current_app.config["DATABASE"]))
    cohort = [
        doc["code"]
        for path, doc in zip(files, documents, strict=True)
        if path.parent.name == "cohort"
    ]
    _demo_teams(db, cohort)
    from library import demo as library_demo

    library_demo.publish_demo(db, root)


@demo_group.command("ensure")
@with_appcontext
@click.pass_context
def ensure_command(context):
    """Load the demo data unless this database has it all already (``make run``): a
    restart keeps what was changed in the app and starts in a second; ``demo load``
    refreshes."""
    db = get_db()
    root = pathlib.Path(current_app.config["DEMO_DATA"])
    missing = _missing_demo(db, root)
    if missing:
        click.echo(f"demo data incomplete ({missing}): loading it")
        context.invoke(load_command)
        return
    click.echo("demo data present (`flask --app app demo load` refreshes it)")
    password_file = demo_users_file(current_app.config["DATABASE"])
    if password_file.exists():
        _show_demo_users(password_file.read_text().splitlines())


def _missing_demo(db, root):
    """What of the demo the database lacks, in words; "" when nothing."""
    from library import demo as library_demo

    paths = sorted(root.glob("*/*.json"))
    codes = [read_json(path).get("code") for path in paths]
    if not codes:
        raise click.ClickException(f"no demo cases under {root}")
    stored = {row["code"] for row in db.query("SELECT code FROM families")}
    absent = [code for code in codes if code not in stored]
    if absent:
        return f"{len(absent)} of {len(codes)} demo cases absent"
    if any(accounts_store.get_user_by_name(db, _demo_name(role)) is None for role in ROLES):
        return "a demo user absent"
    pairs = zip(paths, codes, strict=True)
    unpublished = library_demo.unpublished(
        db, [code for path, code in pairs if path.parent.name == "library"]
    )
    if unpublished:
        return f"{len(unpublished)} demo library cases not published"
    return ""


def _demo_name(role):
    """The demo user of a role: ``project_lead`` is ``projectlead``."""
    return role.replace("_", "")


def demo_users_file(database):
    """Where the demo passwords are kept: beside the database they belong to, so a
    throwaway database (tests, trials) never overwrites those of ``make run``."""
    return pathlib.Path(database).resolve().with_name("demo-users.txt")


# The demo professional works with these cohort families; the facilitator facilitates
# the whole cohort. Earlier (library) cases belong to other teams: need-to-know.
DEMO_PROFESSIONAL_FAMILIES = ("verzorgpaard", "cnt-weekritme", "cnt-lege-stoel")


def _demo_teams(db, cohort):
    facilitator = accounts_store.get_user_by_name(db, "facilitator")
    professional = accounts_store.get_user_by_name(db, "professional")
    for code in cohort:
        family = store.family_row(db, code)
        access_store.add_member(db, family["id"], facilitator["id"], TEAM_FACILITATOR)
        if code in DEMO_PROFESSIONAL_FAMILIES:
            access_store.add_member(db, family["id"], professional["id"], TEAM_MEMBER)
    click.echo(
        "demo teams: facilitator facilitates the cohort; professional works with "
        + ", ".join(DEMO_PROFESSIONAL_FAMILIES)
    )


def _demo_users(db, password_file):
    """One user per role. Passwords are random, kept in the instance folder for local use."""
    known = {}
    if password_file.exists():
        for line in password_file.read_text().splitlines():
            name, _, password = line.partition(" ")
            known[name] = password
    lines = []
    for role in ROLES:
        name = _demo_name(role)
        if accounts_store.get_user_by_name(db, name) is None:
            password = secrets.token_urlsafe(12)
            accounts_store.create_user(db, name, password, role, display_name=f"Demo {ROLES[role]}")
            known[name] = password
        lines.append(f"{name} {known.get(name, '(existing user, password unknown)')}")
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text("\n".join(lines) + "\n")
    password_file.chmod(0o600)
    _show_demo_users(lines)


def _show_demo_users(lines):
    """The lines of the demo password file (``name password``), as ``make run`` shows
    them."""
    click.echo("demo users (local use only):")
    for line in lines:
        name, _, password = line.partition(" ")
        click.echo(f"  {name:<14} {password}")
