"""``flask --app app library ...``: process pending publications, publish from the shell."""

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from cases import store as cases_store
from core.web import get_db
from library import catalogue, publications, worker


@click.group("library")
def library_group():
    """The solution library."""


@library_group.command("process")
@with_appcontext
def process_command():
    """De-identify and store every pending publication now."""
    started = time.perf_counter()
    counts = worker.run(get_db(), current_app.config["DATABASE"])
    names = {
        **publications.STATUSES,
        publications.WITHDRAWN: "teruggetrokken (geen instemming meer)",
    }
    done = ", ".join(f"{n} {names[s]}" for s, n in sorted(counts.items())) or "niets"
    click.echo(f"library: {done} ({time.perf_counter() - started:.1f} s)")


@library_group.command("publish")
@click.argument("code")
@with_appcontext
def publish_command(code):
    """Publish one family to the library now (complete consent needed)."""
    db = get_db()
    family, case = cases_store.load_family(db, code)
    if family is None:
        raise click.ClickException(f"no case with code {code!r}")
    try:
        status = publications.publish_now(db, family, case, None)
    except publications.ConsentMissing as error:
        raise click.ClickException(str(error)) from error
    latest = publications.latest_publication(db, family["id"])
    if status != publications.PUBLISHED:
        raise click.ClickException(latest["failure"] or "publishing failed")
    entries = catalogue.entry_ids_for_family(db, family["id"])
    click.echo(f"{code}: published, {len(entries)} solution(s) in the library")
