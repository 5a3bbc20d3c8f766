"""The projector's pager through the test client: the conference screen loads it, its
`?` help names the paging keys, and the lists it pages are marked in the step."""

import pytest

PAGE = "/gezinnen/test-gezin"
LIVE = {"HX-Request": "true", "HX-Target": "overleg-live"}


@pytest.fixture
def conference(login):
    """A facilitator's client and the URL of a conference just started."""
    client = login("facilitator")
    response = client.post(f"{PAGE}/overleggen", data={"held_on": "2026-12-05"})
    assert response.status_code == 303
    return client, response.headers["Location"]


def test_the_screen_loads_the_pager_and_its_help_names_the_keys(conference):
    client, url = conference
    html = client.get(url).get_data(as_text=True)
    assert "conference-pager.js" in html and "conference-pager.css" in html
    help_box = html[html.index('id="sneltoetsen"') :]
    assert "<kbd>↓</kbd> of <kbd>J</kbd></dt><dd>volgend item in de stap" in help_box
    assert "<kbd>↑</kbd> of <kbd>K</kbd></dt><dd>vorig item in de stap" in help_box


def test_the_decisions_list_is_paged_on_the_projector(conference):
    client, url = conference
    for title in ("Logeerweekend bij oma", "Paardenfluisteraar"):
        response = client.post(
            f"{url}/besluiten", data={"title": title, "owner": "Jeugdbeschermer"}, headers=LIVE
        )
        assert response.status_code == 200
    html = client.post(f"{url}/stap", data={"naar": "decisions"}, headers=LIVE).get_data(
        as_text=True
    )
    assert "<html" not in html
    assert '<ol class="decisions" data-pager="Besluit">' in html
    assert html.count("Jeugdbeschermer") == 2
