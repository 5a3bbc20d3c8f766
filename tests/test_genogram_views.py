"""The genogram on the family page, full screen and as a download."""

import xml.etree.ElementTree as ET

from genogram.views import DRAWING_ID
from tests.conftest import family_section

PAGE = "/gezinnen/test-gezin"


def test_family_page_shows_the_drawing_and_redraws_on_change(login):
    client = login("facilitator")
    html = client.get(PAGE).get_data(as_text=True)
    # on the page: the drawing's place, which asks for it when revealed and after a change
    assert f'id="{DRAWING_ID}"' in html
    assert 'hx-trigger="revealed, family-changed from:body"' in html
    drawing = family_section(client, "test-gezin", "genogram")
    assert 'hx-trigger="family-changed from:body"' in drawing
    assert 'data-person-id="p1"' in drawing


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


def last_log_entry(db):
    return next(db.query("SELECT event, outcome FROM access_log ORDER BY id DESC LIMIT 1"))


def test_png_download_is_an_image_twice_the_drawing_and_logged_as_export(login, db):
    import struct

    from genogram.png import svg_size

    client = login("facilitator")
    svg = client.get(f"{PAGE}/genogram.svg").get_data(as_text=True)
    response = client.get(f"{PAGE}/genogram.png")
    png = response.get_data()
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "attachment" in response.headers["Content-Disposition"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    svg_width, svg_height = svg_size(svg)
    assert abs(width - 2 * svg_width) <= 2 and abs(height - 2 * svg_height) <= 2
    assert (last_log_entry(db)["event"], last_log_entry(db)["outcome"]) == ("export", "success")


def test_print_version_has_the_legend_opens_the_print_dialog_and_is_logged(login, db):
    response = login("facilitator").get(f"{PAGE}/genogram/afdrukken")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "data-print-on-load" in html and 'data-legend="true"' in html
    assert 'data-person-id="p1"' in html
    assert last_log_entry(db)["event"] == "print"


def test_on_screen_the_legend_sits_beside_the_drawing(login):
    html = login("facilitator").get(f"{PAGE}/genogram").get_data(as_text=True)
    drawing = html.split(f'id="{DRAWING_ID}"')[1].split("</svg>")[0]
    assert 'data-legend="true"' not in drawing
    assert "<summary>Legenda</summary>" in html and "Legenda van het genogram" in html
    for label in ("Inzoomen", "Uitzoomen", "Passend", "Download PNG", "Afdrukken"):
        assert label in html


def test_downloads_carry_the_legend(login):
    svg = login("facilitator").get(f"{PAGE}/genogram.svg").get_data(as_text=True)
    assert 'data-legend="true"' in svg


def test_png_scale_keeps_huge_drawings_within_the_pixel_budget():
    from genogram.png import MAX_PIXELS, SCALE, scale_for

    assert scale_for(1000, 800) == SCALE
    zoom = scale_for(60_000, 9_000)
    assert zoom < 1 and 60_000 * 9_000 * zoom**2 <= MAX_PIXELS * 1.0001


def test_png_without_its_fonts_is_a_clear_server_error_not_a_broken_image(login, app, tmp_path):
    app.config["NODE_MODULES"] = str(tmp_path)
    response = login("facilitator").get(f"{PAGE}/genogram.png")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
