"""Invisible control characters: refused wherever text comes in, never breaking the SVG.

A NUL in a name used to be stored; after it the genogram's PNG was a 500 and its SVG
not well-formed XML. Now every text field of the case refuses control characters (long
free texts keep tab and line breaks), naming the field, and nothing is stored.
"""

import json
import pathlib
import re
import xml.etree.ElementTree as ET  # noqa: S405 (our own SVG)

import pytest

from actions import store as actions_store
from cases import api, store, views
from cases.validation import canonical_case, validate_case
from conference import model as conference_model
from core import text
from core.web import get_db
from genogram.views import svg_of
from patterns import store as patterns_store
from tests import url_map
from tests.factories import make_case

DEMO = pathlib.Path(__file__).resolve().parents[1] / "data" / "demo"
DUTCH_NAME = "Naam bevat een onzichtbaar stuurteken; verwijder het."


def dump(app):
    with app.app_context():
        return url_map.dump(get_db())


def with_text(path, value):
    """The test case with ``value`` at ``path`` (``persons[1].name``, ``narrative``)."""
    case = make_case()
    target = case
    parts = re.findall(r"[a-z_]+|\[\d+\]", path)
    for part in parts[:-1]:
        target = target[int(part[1:-1])] if part.startswith("[") else target[part]
    last = parts[-1]
    if last.startswith("["):
        target[int(last[1:-1])] = value
    else:
        target[last] = value
    return case


# Every text field of the exchange format, one line or long.
ONE_LINE = [
    "title",
    "region",
    "persons[1].name",
    "persons[0].placements[0].provider",
    "persons[0].interests[0]",
    "network[0].name",
    "solutions[0].title",
    "solutions[0].components[1]",
]
LONG = ["narrative", "child_perspective", "solutions[0].summary"]


@pytest.mark.parametrize("path", ONE_LINE + LONG)
@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x7f", "\x85", "\x9b", "\ufffe", "\x0c"])
def test_a_control_character_in_any_text_field_is_refused_by_path(path, control):
    problems = validate_case(with_text(path, "Va" + control + "der"))
    assert problems == [
        f"{path}: contains a control character (U+{ord(control):04X} at character 3); "
        + ("only tab and line breaks are allowed" if path in LONG else "none is allowed here")
    ]


@pytest.mark.parametrize("path", ONE_LINE)
@pytest.mark.parametrize("control", ["\t", "\n", "\r"])
def test_a_one_line_field_refuses_tab_and_line_breaks(path, control):
    assert validate_case(with_text(path, "Va" + control + "der"))


@pytest.mark.parametrize("path", LONG)
def test_a_long_text_keeps_tab_and_line_breaks(path):
    value = "Eerste regel\r\nTweede\tregel\nDerde"  # a textarea sends CR LF
    assert validate_case(with_text(path, value)) == []
    assert repr(value) in repr(canonical_case(with_text(path, value)))


def test_letters_of_every_script_and_emoji_are_no_control_characters():
    assert validate_case(with_text("persons[1].name", "Zoë Ağaoğlu 李 Ωмега 👨‍👩‍👧")) == []


# The API, the form, the command line: refused, named, nothing stored


def test_api_refuses_a_nul_in_a_name_naming_the_field(app, login):
    client = login()
    before = dump(app)
    bad = with_text("persons[1].name", "Va\x00der")
    bad["code"] = "nul-gezin"
    response = client.post("/api/families", json=bad)
    assert response.status_code == 422
    assert response.get_json()["problems"] == [
        "persons[1].name: contains a control character (U+0000 at character 3); "
        "none is allowed here"
    ]
    with app.app_context():
        etag = api.etag(store.family_row(get_db(), "test-gezin"))
    response = client.put(
        "/api/families/test-gezin",
        json=with_text("persons[1].name", "Va\x00der"),
        headers={"If-Match": etag},
    )
    assert response.status_code == 422
    assert response.get_json()["problems"][0].startswith("persons[1].name: ")
    assert dump(app) == before


def test_person_form_refuses_a_nul_in_a_name_in_dutch_beside_the_field(app, login):
    with app.app_context():
        family = store.family_row(get_db(), "test-gezin")
    client = login()
    before = dump(app)
    element = views.person_element("p2")
    response = client.post(
        "/gezinnen/test-gezin/personen/p2",
        data={"version": str(family["version"]), "name": "Va\x00der", "sex": "male"},
        headers={"HX-Request": "true", "HX-Target": element},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<p class="error" id="{element}-name-error">{DUTCH_NAME}</p>' in html
    assert dump(app) == before


def test_new_family_form_refuses_a_nul_in_the_childs_name(app, login):
    client = login()
    before = dump(app)
    response = client.post(
        "/gezinnen/",
        data={
            "title": "Het Zeilschip",
            "goal": "return_home",
            "child_name": "No\x00or",
            "child_sex": "female",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert re.search(rf'id="[^"]*-child_name-error">{DUTCH_NAME}<', response.get_data(as_text=True))
    assert dump(app) == before


def test_import_refuses_a_nul_naming_the_path(app, runner, tmp_path):
    path = tmp_path / "nul.json"
    path.write_text(json.dumps(with_text("network[0].name", "a\x00")), encoding="utf-8")
    before = dump(app)
    result = runner.invoke(args=["cases", "import", "--replace", str(path)])
    assert result.exit_code == 1
    assert "network[0].name: contains a control character (U+0000" in result.output
    assert dump(app) == before


# Other texts that reach the report, the PDF or the projector


def test_conference_texts_refuse_control_characters():
    with pytest.raises(conference_model.ConferenceError) as refused:
        conference_model.check_note("idea", "Paard\x00rijden")
    assert "onzichtbaar stuurteken" in refused.value.problems["text"]
    with pytest.raises(conference_model.ConferenceError) as refused:
        conference_model.check_participant("Oma\x07", None, None, True, False, {})
    assert "onzichtbaar stuurteken" in refused.value.problems["name"]
    assert conference_model.check_note("idea", "Paard\trijden\n")["text"] == "Paard rijden"


def test_action_and_lesson_texts_refuse_control_characters():
    assert (
        "onzichtbaar" in actions_store.check_action("Bel\x00len", "Jeugdbeschermer", None)["title"]
    )
    assert (
        "onzichtbaar" in actions_store.check_action("Bellen", "Jeugd\x1bbeschermer", None)["owner"]
    )
    problems, *_ = patterns_store.check_learned("Les\x00", [], [], set(), set())
    assert "onzichtbaar" in problems["text"]


# The drawing is always well-formed XML


@pytest.mark.parametrize("path", sorted(DEMO.glob("*/*.json")), ids=lambda p: p.stem)
def test_the_svg_of_every_demo_family_is_well_formed_xml(path):
    case = canonical_case(json.loads(path.read_text(encoding="utf-8")))
    ET.fromstring(svg_of(case, legend=True))  # noqa: S314


def test_a_nul_stored_before_the_check_still_draws_svg_and_png(app, login):
    # Data from before validation refused control characters, put in behind its back.
    with app.app_context():
        get_db().execute("UPDATE persons SET name = 'Va' || char(0) || 'der' WHERE local_id = 'p2'")
    client = login()
    svg = client.get("/gezinnen/test-gezin/genogram.svg")
    assert svg.status_code == 200
    root = ET.fromstring(svg.get_data())  # noqa: S314
    assert "Vader" in "".join(root.itertext())
    assert client.get("/gezinnen/test-gezin/genogram.png").status_code == 200


def test_xml_safe_keeps_tab_and_line_breaks_and_drops_what_xml_cannot_hold():
    assert text.xml_safe("a\tb\nc\rd\x00e\x1ff\ufffeg\ud800h") == "a\tb\nc\rdefgh"
