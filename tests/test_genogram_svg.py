"""The genogram SVG: parseable, complete (every person, member, relation and tie once),
in the notation's symbols, safe (escaped text, no styles or scripts), and the CLI."""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own output only
from collections import Counter
from pathlib import Path

import pytest

from cases import store as cases_store
from cases.validation import canonical_case
from genogram.graph import build_graph, member_node, person_node
from genogram.layout import SYMBOL, layout_genogram
from genogram.svg import render_svg

DEMO = sorted(Path(__file__).resolve().parent.parent.glob("data/demo/*/*.json"))
SVG = "{http://www.w3.org/2000/svg}"


def load(path):
    return canonical_case(json.loads(Path(path).read_text(encoding="utf-8")))


def draw(case, **options):
    graph = build_graph(case)
    layout = layout_genogram(graph)
    text = render_svg(graph, layout, **options)
    return text, ET.fromstring(text), layout  # noqa: S314


def with_attribute(root, name):
    return [el for el in root.iter() if name in el.attrib]


@pytest.fixture(params=DEMO, ids=lambda p: p.stem, scope="module")
def drawn(request):
    case = load(request.param)
    text, root, layout = draw(case)
    return case, text, root, layout


def test_svg_demo_families_exist():
    assert len(DEMO) >= 10


def test_svg_persons_once_with_their_attributes(drawn):
    case, _, root, layout = drawn
    groups = {g.get("data-person-id"): g for g in with_attribute(root, "data-person-id")}
    assert len(groups) == len(with_attribute(root, "data-person-id")) == len(case["persons"])
    shape = {"male": "rect", "female": "circle", "other": "polygon", "unknown": "polygon"}
    for person in case["persons"]:
        g = groups[person["id"]]
        assert g.tag == SVG + "g"
        assert g.get("data-sex") == person["sex"]
        assert g.get("data-index") == ("true" if person["index"] else "false")
        assert g.get("data-deceased") == ("true" if person["deceased"] else "false")
        x, y = layout.positions[person_node(person["id"])]
        assert (float(g.get("data-x")), float(g.get("data-y"))) == (x, y)
        tags = {child.tag.removeprefix(SVG) for child in g}
        assert shape[person["sex"]] in tags
        assert not ({"rect", "circle", "polygon"} - {shape[person["sex"]]}) & tags
        outlines = [c for c in g if c.tag == SVG + shape[person["sex"]]]
        assert len(outlines) == (2 if person["index"] else 1)
        crosses = [c for c in g if c.tag == SVG + "line"]
        assert len(crosses) == (2 if person["deceased"] else 0)


def test_svg_members_once_with_their_attributes(drawn):
    case, _, root, layout = drawn
    groups = {g.get("data-member-id"): g for g in with_attribute(root, "data-member-id")}
    assert len(groups) == len(with_attribute(root, "data-member-id")) == len(case["network"])
    for member in case["network"]:
        g = groups[member["id"]]
        assert g.get("data-partner") == member["partner"]
        x, y = layout.positions[member_node(member["id"])]
        assert (float(g.get("data-x")), float(g.get("data-y"))) == (x, y)


def test_svg_person_symbols_do_not_overlap(drawn):
    _, _, root, _ = drawn
    centres = [
        (float(g.get("data-x")), float(g.get("data-y")))
        for g in with_attribute(root, "data-person-id")
    ]
    for i, (x, y) in enumerate(centres):
        for x2, y2 in centres[i + 1 :]:
            assert abs(x - x2) >= SYMBOL or abs(y - y2) >= SYMBOL


def test_svg_every_relation_and_tie_drawn_once(drawn):
    case, _, root, _ = drawn
    drawn_relations = Counter(
        el.get("data-relation") for el in with_attribute(root, "data-relation")
    )
    descent = Counter()
    for el in with_attribute(root, "data-child"):
        for parent in el.get("data-parents").split():
            descent[(parent, el.get("data-child"))] += 1
    for index, relation in enumerate(case["relations"]):
        if relation["kind"] == "parent":
            assert descent[(relation["parent"], relation["child"])] == 1, relation
        else:
            assert drawn_relations[str(index)] == 1, relation
    parents = [r for r in case["relations"] if r["kind"] == "parent"]
    assert sum(descent.values()) == len(parents)
    assert sum(drawn_relations.values()) == len(case["relations"]) - len(parents)
    # By index too: every relation of the data is named by exactly one element.
    indices = Counter(drawn_relations)
    for el in with_attribute(root, "data-relations"):
        indices.update(el.get("data-relations").split())
    assert indices == Counter(str(i) for i in range(len(case["relations"])))
    ties = Counter(el.get("data-tie") for el in with_attribute(root, "data-tie"))
    expected = Counter(
        f"{member['id']}->{tie['person']}" for member in case["network"] for tie in member["ties"]
    )
    assert ties == expected


def test_svg_no_styles_no_scripts_accessible(drawn):
    _, text, root, _ = drawn
    assert "style=" not in text
    assert "<style" not in text
    assert "<script" not in text.lower()
    assert "href" not in text
    assert root.get("role") == "img"
    assert root.find(SVG + "title") is not None
    assert root.find(SVG + "desc") is not None
    assert root.get("viewBox") and root.get("width") and root.get("height")
    sizes = [float(el.get("font-size")) for el in root.iter(SVG + "text")]
    assert sizes and min(sizes) >= 14


def test_svg_legend_in_dutch_and_optional():
    case = load(DEMO[0])
    text, root, _ = draw(case)
    assert "Legenda" in text and "indexkind" in text
    assert "Legenda" not in draw(case, legend=False)[0]


def test_svg_text_is_escaped():
    case = load(DEMO[0])
    case["persons"][0]["name"] = '<script>alert("x")</script> & Co'
    case["network"].append(
        {"id": "nx", "name": "<b>Buur</b>", "partner": "informal", "in_team": False, "ties": []}
    )
    text, root, _ = draw(case, title="<script>titel</script>")
    assert "<script" not in text
    assert "&lt;script&gt;" in text
    names = [el.text for el in root.iter(SVG + "text")]
    assert '<script>alert("x")</script> & Co' in names
    assert "<b>Buur</b>" in names


def test_svg_residence_and_age_shown():
    case = load(next(p for p in DEMO if p.stem == "verzorgpaard"))
    text, _, _ = draw(case)
    assert "gesloten" in text  # Sanne lives in secure care
    assert "thuis" in text


def test_svg_cli_prints_the_drawing(runner, db):
    demo = next(p for p in DEMO if p.stem == "verzorgpaard")
    cases_store.import_cases(db, json.loads(demo.read_text(encoding="utf-8")))
    result = runner.invoke(args=["genogram", "svg", "verzorgpaard"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("<svg")
    ET.fromstring(result.output)  # noqa: S314


def test_svg_cli_unknown_code(runner):
    result = runner.invoke(args=["genogram", "svg", "bestaat-niet"])
    assert result.exit_code != 0
    assert "no case with code 'bestaat-niet'" in result.output


def test_svg_text_readable_in_every_renderer(drawn):
    """The white halo is a stroked copy under each label, not a stroke on the label with
    paint-order (WeasyPrint ignores paint-order: the PDF's names were painted over)."""
    _, text, root, _ = drawn
    assert "paint-order" not in text
    tag = "{http://www.w3.org/2000/svg}text"
    labels = [el for el in root.iter(tag) if el.get("aria-hidden") != "true"]
    halos = [el for el in root.iter(tag) if el.get("aria-hidden") == "true"]
    assert labels and not [el for el in labels if el.get("stroke")]
    # Every halo lies under the same words, drawn after it.
    assert sorted("".join(h.itertext()) for h in halos) == sorted(
        "".join(el.itertext()) for el in labels
    )
