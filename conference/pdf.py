"""The report as PDF with WeasyPrint, from the same HTML as the print page.

WeasyPrint would fetch whatever a page links to; here it may only read the app's own
stylesheet (and the data: URIs inside the page). Anything else is refused, so a text in
the report can never make the server read a file or call a URL.
"""

import pathlib

import weasyprint

STYLESHEET = "style.css"


class PdfError(RuntimeError):
    """The PDF could not be made."""


def _fetcher_for(static_folder):
    allowed = (pathlib.Path(static_folder) / STYLESHEET).resolve()

    def fetch(url, *args, **kwargs):
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
        raise PdfError(f"the report may not load {url!r}")

    return fetch, allowed


def html_to_pdf(html, static_folder):
    """PDF bytes of ``html`` with the app's stylesheet (its print rules apply)."""
    fetch, stylesheet = _fetcher_for(static_folder)
    document = weasyprint.HTML(string=html, url_fetcher=fetch, base_url=None)
    css = weasyprint.CSS(filename=str(stylesheet))
    return document.write_pdf(stylesheets=[css])
