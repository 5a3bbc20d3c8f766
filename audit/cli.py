"""``flask --app app audit ...``"""

import click
from flask.cli import with_appcontext

from audit import chain
from core.web import get_db


@click.group("audit")
def audit_group():
    """The access log."""


@audit_group.command("verify")
@click.pass_context
@with_appcontext
def verify(context):
    """Check the access log's hash chain: every entry unchanged, none missing between.

    Prints every changed entry, gap and broken link and exits 1; otherwise prints the
    number of entries and the last hash and exits 0. A chain cannot show that its
    newest entries were removed: note the printed head (count and last hash) and compare
    it with the next run's.
    """
    db = get_db()
    problems = chain.verify(db.conn)
    count, _, last = chain.head(db.conn)
    if problems:
        for problem in problems:
            click.echo(problem)
        click.echo(f"access log: {count} entries, {len(problems)} problem(s) found")
        context.exit(1)
    click.echo(f"access log: {count} entries, chain intact (last hash {last or '-'})")
