"""The family page's sections below the first screen: the page holds a placeholder that
asks for the section when it scrolls into view, each section has a route of its own with
the page's access check and access-log entry, and ``?volledig=1`` shows them all."""

import pytest

from audit import store as audit_store
from cases.views.ids import LAZY_SECTIONS, WHOLE_PAGE_ARG
from core.web import get_db
from genogram.views import DRAWING_ID
from tests.conftest import LoggedIn

PAGE = "/gezinnen/test-gezin"
HTMX = {"HX-Request": "true"}
# What each section shows once it is there (and the page alone does not).
CONTENT = {
    "signalen": 'id="signalen-inhoud"',
    "vergelijkbare-casussen": 'id="vergelijkbare-casussen-inhoud"',
    "overleggen": 'class="conferences"',
    "team-en-privacy": 'id="gezinsteam"',
}


def text(response):
    return response.get_data(as_text=True)


def test_every_lazy_section_is_checked_here():
    assert set(CONTENT) == set(LAZY_SECTIONS)


def test_the_page_asks_for_each_section_when_it_scrolls_into_view(login):
    html = text(login().get(PAGE))
    for name, content in CONTENT.items():
        assert f'hx-get="{PAGE}/onderdeel/{name}" hx-trigger="revealed"' in html
        assert content not in html
        # the section itself (anchor and heading) is on the page, for the section links
        assert f'<section id="{name}"' in html
    assert html.count("laden...") == len(LAZY_SECTIONS) + 1  # and the drawing
    assert f'hx-get="{PAGE}/genogram" hx-trigger="revealed, ' in html
    assert "<svg" not in html.split(f'id="{DRAWING_ID}"')[1].split("</div>")[0]


def test_the_placeholders_link_to_the_whole_page_for_a_browser_without_javascript(login):
    html = text(login().get(PAGE))
    assert f'href="{PAGE}?{WHOLE_PAGE_ARG}=1#signalen"' in html


@pytest.mark.parametrize("name", sorted(CONTENT))
def test_a_section_route_answers_the_section_as_a_fragment(login, name):
    response = login().get(f"{PAGE}/onderdeel/{name}", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in text(response)
    assert CONTENT[name] in text(response)
    assert "HX-Request" in response.headers["Vary"]


def test_the_drawing_comes_from_the_genogram_route(login):
    response = login().get(f"{PAGE}/genogram", headers={**HTMX, "HX-Target": DRAWING_ID})
    assert response.status_code == 200
    assert "<html" not in text(response)
    assert f'id="{DRAWING_ID}"' in text(response) and "<svg" in text(response)


def test_the_whole_page_shows_every_section_at_once(login):
    html = text(login().get(f"{PAGE}?{WHOLE_PAGE_ARG}=1"))
    for content in CONTENT.values():
        assert content in html
    assert 'hx-trigger="revealed"' not in html
    assert "<svg" in html.split(f'id="{DRAWING_ID}"')[1]


def test_a_section_without_htmx_goes_to_the_whole_page_at_it(login):
    response = login().get(f"{PAGE}/onderdeel/overleggen")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{PAGE}?{WHOLE_PAGE_ARG}=1#overleggen")


def test_an_unknown_section_is_not_found(login):
    assert login().get(f"{PAGE}/onderdeel/geheim", headers=HTMX).status_code == 404


def test_a_section_is_refused_like_the_page_and_reveals_nothing(app):
    outsider = LoggedIn(app.test_client(), "buitenstaander")
    answers = []
    for code in ("test-gezin", "bestaat-niet"):
        assert outsider.get(f"/gezinnen/{code}").status_code == 403
        answers.append(outsider.get(f"/gezinnen/{code}/onderdeel/signalen", headers=HTMX))
    assert [answer.status_code for answer in answers] == [403, 403]
    assert text(answers[0]) == text(answers[1])


def test_a_section_read_is_logged_like_the_page(app):
    facilitator = LoggedIn(app.test_client(), "facilitator")
    assert facilitator.get(f"{PAGE}/onderdeel/team-en-privacy", headers=HTMX).status_code == 200
    with app.app_context():
        entry = audit_store.entries(get_db(), limit=1)[0]
    assert (entry["event"], entry["outcome"], entry["family_code"]) == (
        "read",
        "success",
        "test-gezin",
    )
    assert entry["object"].startswith("cases.section")
