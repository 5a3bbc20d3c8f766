"""``flask --app app rules check`` and ``flask --app app cases flags CODE [--json]``."""

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from cases import store
from core.web import get_db
from rules.service import family_signals
from rules.web import get_ruleset


@click.group("rules")
def rules_group():
    """The rule set: check the rule files."""


@rules_group.command("check")
@click.option("--folder", type=click.Path(file_okay=False), help="Rule folder (default: rules/).")
@with_appcontext
def check_command(folder):
    """Validate every rule file and run every example; exit 1 naming what is wrong."""
    from rules.loader import RuleFileError, load_rules  # the rule engine: on first use

    try:
        ruleset = load_rules(folder or current_app.config["RULES_DIR"])
    except RuleFileError as error:
        raise click.ClickException(str(error)) from error
    files = {rule.path for rule in ruleset.rules}
    examples = sum(len(rule.examples) for rule in ruleset.rules)
    click.echo(
        f"{len(ruleset.rules)} rules in {len(files)} files: valid; "
        f"{examples} examples: all as expected"
    )


@click.command("flags")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print the signals as JSON.")
@with_appcontext
def flags_command(code, as_json):
    """Print the signals of family CODE."""
    db = get_db()
    family, case = store.load_family(db, code)
    if family is None:
        raise click.ClickException(f"no family with code {code!r}")
    signals = family_signals(db, get_ruleset(), family, case)
    if as_json:
        click.echo(json.dumps(signals, ensure_ascii=False, indent=2))
        return
    if not signals:
        click.echo("no signals")
    for signal in signals:
        status = "" if signal["status"] == "open" else f" [{signal['status']}]"
        click.echo(f"{signal['severity']:<8} {signal['rule']}{status}: {signal['explanation']}")
