"""The one CSV writer of the app: every CSV download goes through ``csv_response``.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula: text a user typed, such as
``=HYPERLINK("https://...")`` as a family's title, would run when a project lead opens
the export. Such a text cell gets a leading apostrophe (OWASP's advice), which the
spreadsheet shows as text. Real numbers (int and float values) and text that is
exactly a plain number ("-3", "92%") stay as they are.

Every text cell is quoted as well, and a formula start right after a comma,
semicolon, tab or line break inside a cell gets an apostrophe too: Excel with a Dutch
locale opens a comma-separated file by splitting it on semicolons and line breaks,
quotes or not, so ``x;=1+1`` in one cell would there become a formula of its own.
"""

import csv
import io
import re

import flask

# The ASCII starts of a formula, and their full-width forms, which some spreadsheets
# in East Asian locales convert to ASCII when a file is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A separator (or line break) inside a cell, then (perhaps behind a quote) a formula start.
EMBEDDED_START = re.compile('([,;\t\r\n]"?)(?=[-=+@\uff1d\uff0b\uff0d\uff20])')
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?%?")
BOM = "\ufeff"


def neutralise(value):
    """The value as it may go into a cell: text that a spreadsheet would run as a
    formula gets a leading apostrophe; everything else is returned unchanged."""
    if not isinstance(value, str) or PLAIN_NUMBER.fullmatch(value):
        return value
    value = EMBEDDED_START.sub(r"\1'", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(rows, *, header=None, dutch_excel=False):
    """Rows (sequences of cells) as CSV text, with ``header`` as the first row.

    ``dutch_excel`` writes what Excel with a Dutch locale opens by double-click:
    semicolons between cells and a byte order mark that tells it the file is UTF-8.
    """
    out = io.StringIO()
    if dutch_excel:
        out.write(BOM)
    writer = csv.writer(
        out,
        delimiter=";" if dutch_excel else ",",
        quoting=csv.QUOTE_NONNUMERIC,
        lineterminator="\r\n",
    )
    if header is not None:
        writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def csv_response(filename, rows, *, header=None, dutch_excel=False):
    """A download of ``rows`` as ``filename`` (the name is the app's, never the user's)."""
    response = flask.Response(
        to_csv(rows, header=header, dutch_excel=dutch_excel), mimetype="text/csv"
    )
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
