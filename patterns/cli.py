"""``flask --app app patterns outcomes``: the outcome table on the command line."""

import json

import click
from flask.cli import with_appcontext

from cases.cli import read_json
from cases.validation import CaseFormatError, canonical_case
from core.web import get_db
from patterns import outcomes as o
from patterns import store
from patterns.records import family_record
from rules.web import get_ruleset


@click.group("patterns")
def patterns_group():
    """Patterns across the cohort."""


def _cases_from_file(path):
    data = read_json(path)
    documents = data if isinstance(data, list) else [data]
    cases = []
    for position, document in enumerate(documents):
        try:
            cases.append(canonical_case(document))
        except CaseFormatError as error:
            where = f"[{position}] " if isinstance(data, list) else ""
            raise click.ClickException(
                "\n".join(f"{where}{issue}" for issue in error.issues)
            ) from error
    return cases


@patterns_group.command("outcomes")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--region", default=None)
@click.option("--goal", default=None, help="return_home, family_strengthening, ...")
@click.option("--start", default=None, help="started on or after (YYYY-MM-DD)")
@click.option("--end", default=None, help="started on or before (YYYY-MM-DD)")
@click.option(
    "--status",
    type=click.Choice(["active", "closed", "all"]),
    default=None,
    help="active families (default for the database), closed ones, or all",
)
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="cases in the exchange format (case/1) to count instead of the database",
)
@with_appcontext
def outcomes_command(as_json, region, goal, start, end, status, path):
    """Per goal: families, successes, rate; per child likewise."""
    try:
        filters = o.check_filters(region, start, end, goal)
    except o.FilterError as error:
        raise click.BadParameter(str(error)) from error
    ruleset = get_ruleset()
    if path:
        records = [family_record(case, ruleset) for case in _cases_from_file(path)]
        status = status or "all"
    else:
        records = store.load_cohort(get_db(), ruleset)
        status = status or "active"
    filters["status"] = "" if status == "all" else status
    records = o.select(records, filters)
    document = o.outcomes_document(records, filters)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    click.echo(f"{len(records)} gezinnen")
    for goal_row in document["outcomes"]:
        child = goal_row["per_child"]
        click.echo(
            f"{goal_row['label']}: "
            f"{o.count_text(goal_row['successes'], goal_row['families'], 'gezinnen')}; "
            f"per kind {o.count_text(child['successes'], child['children'], 'kinderen')}"
        )
