"""One Dutch date format everywhere a person reads: no ISO date in the text of a page;
machine-readable values stay in ``<time datetime>`` attributes and form fields."""

import re

import pytest

from core.dates import nl_datetime
from tests.conftest import LoggedIn

ISO = re.compile(r"\d{4}-\d\d-\d\d")


def visible_text(html):
    """What a person reads: the page without scripts, styles and tags (attributes gone)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]*>", " ", html)


def times(html):
    return re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', html)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("admin", "/beheer/gebruikers"),
        ("admin", "/beheer/toegangslog/"),
        ("facilitator", "/profiel"),
        ("facilitator", "/gezinnen/test-gezin/inzage?afdrukken=1&van=2026-01-01&tot=2026-12-31"),
    ],
)
def test_a_page_shows_no_iso_date(app, role, url):
    client = LoggedIn(app.test_client(), role)
    client.get("/gezinnen/test-gezin")  # something for the access log to show
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    assert ISO.findall(visible_text(html)) == [], url
    for iso, shown in times(html):
        assert ISO.match(iso) and shown.strip(), (iso, shown)


def test_the_profile_shows_when_each_session_began_in_dutch_time(app):
    html = LoggedIn(app.test_client(), "facilitator").get("/profiel").get_data(as_text=True)
    sessions = html.split('id="sessions-heading"')[1].split("</table>")[0]
    shown = times(sessions)
    assert len(shown) == 2  # began and last seen, of the one session
    assert all(nl_datetime(iso) == text for iso, text in shown)
