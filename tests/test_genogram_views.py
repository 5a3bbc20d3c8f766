"""The genogram on the family page, full screen and as a download."""

import xml.etree.ElementTree as ET

from genogram.views import DRAWING_ID

PAGE = "/gezinnen/test-gezin"


def test_family_page_shows_the_drawing_and_redraws_on_change(login):
    html = login("facilitator").get(PAGE).get_data(as_text=True)
    assert f'id="{DRAWING_ID}"' in html
    assert 'hx-trigger="family-changed from:body"' in html
    assert 'data-person-id="p1"' in html


def test_drawing_fragment_is_the_svg_without_a_page(login):
    response = login("facilitator").get(
        f"{PAGE}/genogram", headers={"HX-Request": "true", "HX-Target": DRAWING_ID}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'data-person-id="p1"' in html and 'data-index="true"' in html


def test_full_screen_page_shows_the_drawing_and_a_way_back(login):
    response = login("facilitator").get(f"{PAGE}/genogram")
    html = response.get_data(as_text=True)
    assert "<html" in html and "Terug naar het gezin" in html
    assert 'data-person-id="p2"' in html


def test_svg_download_is_a_valid_svg_file_and_logged_as_export(login, db):
    response = login("facilitator").get(f"{PAGE}/genogram.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "attachment" in response.headers["Content-Disposition"]
    root = ET.fromstring(response.get_data(as_text=True))  # noqa: S314 (our own output)
    assert root.tag.endswith("svg")
    entry = next(db.query("SELECT event, outcome FROM access_log ORDER BY id DESC LIMIT 1"))
    assert (entry["event"], entry["outcome"]) == ("export", "success")


def test_saving_a_person_tells_the_drawing_to_redraw(login):
    client = login("facilitator")
    form = client.get(
        f"{PAGE}/personen/p4/wijzigen", headers={"HX-Request": "true", "HX-Target": "persoon-p4"}
    ).get_data(as_text=True)
    version = form.split('name="version"')[1].split('value="')[1].split('"')[0]
    response = client.post(
        f"{PAGE}/personen/p4",
        data={"version": version, "name": "Opa Ton", "sex": "male", "birth_year": "1948"},
        headers={"HX-Request": "true", "HX-Target": "persoon-p4"},
    )
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "family-changed"


def test_outsider_gets_no_drawing(login):
    client = login("buitenstaander")
    for url in (f"{PAGE}/genogram", f"{PAGE}/genogram.svg"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Sanne" not in response.get_data(as_text=True)
