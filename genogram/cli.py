"""``flask --app app genogram ...``: the genogram's commands.

GEDCOM import and export live here; further genogram commands (drawing) are added to
``genogram_group`` the same way, each a small function that parses its options, calls
pure code and reports.
"""

import click
from flask.cli import with_appcontext

from cases import codes, store
from cases.validation import CaseFormatError
from core.web import get_db
from genogram import gedcom
from genogram.graph import build_graph


@click.group("genogram")
def genogram_group():
    """Genograms: GEDCOM import and export, drawing."""


@genogram_group.command("import-gedcom")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--code", required=True, help="Code of the new case ([a-z0-9-]{2,64}).")
@click.option("--title", required=True, help="Title of the new case (a pseudonym).")
@click.option(
    "--goal",
    type=click.Choice(list(codes.GOALS)),
    default=gedcom.DEFAULT_GOAL,
    show_default=True,
    help="Goal of the case.",
)
@click.option("--index", "index_xref", help="Xref of the index person (e.g. I12).")
@click.option("--replace", is_flag=True, help="Overwrite the case if its code exists already.")
@with_appcontext
def import_gedcom_command(path, code, title, goal, index_xref, replace):
    """Import the GEDCOM 5.5/5.5.1 file PATH as a new case. All or nothing."""
    refused = f"{path}: refused, nothing was stored"
    try:
        result = gedcom.read_gedcom(path, code=code, title=title, goal=goal, index=index_xref)
    except gedcom.GedcomError as error:
        raise click.ClickException(f"{refused}: {error}") from error
    try:
        store.import_cases(get_db(), result.case, replace=replace)
    except CaseFormatError as error:
        lines = "\n".join(f"  {issue}" for issue in error.issues)
        raise click.ClickException(f"{refused} ({len(error.issues)} problems):\n{lines}") from error
    except store.CaseExists as error:
        raise click.ClickException(
            f"{refused}: case code already exists: {', '.join(error.codes)} "
            "(use --replace to overwrite)"
        ) from error
    case = result.case
    kinds = [relation["kind"] for relation in case["relations"]]
    index = [person["id"] for person in case["persons"] if person.get("index")]
    click.echo(
        f"imported {code}: {len(case['persons'])} persons, {kinds.count('couple')} couples, "
        f"{kinds.count('parent')} parent links; "
        + (f"index person {index[0]}" if len(index) == 1 else f"index persons {', '.join(index)}")
    )
    for warning in result.warnings:
        click.echo(f"warning: {warning}")


@genogram_group.command("export-gedcom")
@click.argument("code")
@with_appcontext
def export_gedcom_command(code):
    """Print case CODE as GEDCOM 5.5.1 (UTF-8)."""
    case = store.load_case(get_db(), code)
    if case is None:
        raise click.ClickException(f"no case with code {code!r}")
    click.echo(gedcom.write_gedcom(case), nl=False)
    for notice in gedcom.not_exported(case):
        click.echo(f"note: {notice}", err=True)


@genogram_group.command("svg")
@click.argument("code")
@with_appcontext
def svg_command(code):
    """Print the genogram and ecomap of case CODE as SVG."""
    case = store.load_case(get_db(), code)
    if case is None:
        raise click.ClickException(f"no case with code {code!r}")
    graph = build_graph(case)
    from genogram.layout import layout_genogram  # NumPy and SciPy: on first use
    from genogram.svg import render_svg

    click.echo(render_svg(graph, layout_genogram(graph)), nl=False)
