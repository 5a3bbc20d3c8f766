"""The finder in the app: the library index kept current, the family page section, the
CLI and the JSON API."""

import copy
import json
import re

import pytest

from cases import store as cases_store
from cases.validation import canonical_case
from finder import web as finder_web
from finder import weights as finder_weights
from finder.estimator import SOLUTION_REASONS
from finder.index import LibraryIndex
from library import catalogue as library_catalogue
from tests.conftest import family_section
from tests.factories import make_case

# What a result holds (CLI and API alike): the case, why, its solutions, and the one that
# fits this family best with the levers it builds on.
RESULT_KEYS = {
    "code",
    "title",
    "score",
    "situation_score",
    "reasons",
    "solutions",
    "outcome",
    "solution",
    "levers",
}


def horse_case(code="paarden-gezin", title="Het Paardengezin"):
    """A closed case whose solution worked: horses as the way in."""
    case = make_case(code, title=title, status="closed")
    case["narrative"] = "Meisje praat met niemand behalve bij de paarden op de manege."
    case["solutions"][0]["outcome"] = "worked"
    return case


def money_case(code="schulden-gezin", title="Het Schuldengezin"):
    case = make_case(code, title=title, status="closed")
    case["narrative"] = "Vader heeft grote schulden; de deurwaarder staat voor de deur."
    case["child_perspective"] = "Ik wil dat het thuis rustig wordt."
    for person in case["persons"]:
        person["problems"] = ["debts"] if person["id"] == "p2" else []
        person["interests"] = ["voetbal"] if person["id"] == "p1" else []
    case["network"] = [case["network"][1]]
    case["solutions"] = [{
        "title": "Schuldsanering en urgentie", "summary": "Wsnp en een urgentieverklaring.",
        "components": ["schuldsanering"], "partners": ["debt_counselling", "municipality"],
        "addresses": ["debts"], "outcome": "not_worked",
    }]  # fmt: skip
    return case


def publish(db, document):
    """Store a case in the library as the publication worker would (de-identification
    is tested in the library's own tests)."""
    family_id = cases_store.save_case(db, document)
    copy_ = copy.deepcopy(canonical_case(document))
    return library_catalogue.store_library_case(db, family_id, copy_), {"id": family_id}


@pytest.fixture
def library(db):
    horse_id, _ = publish(db, horse_case())
    money_id, money_family = publish(db, money_case())
    return {"horse": f"bibliotheek-{horse_id}", "money": f"bibliotheek-{money_id}",
            "money_family": money_family}  # fmt: skip


def test_family_page_shows_similar_library_cases_with_reasons_and_solutions(login, library):
    html = family_section(login("facilitator"), "test-gezin", "vergelijkbare-casussen")
    section = html.split('id="vergelijkbare-casussen-inhoud"')[1].split('id="overleggen"')[0]
    assert "Het Paardengezin" in section and "Waarom vergelijkbaar:" in section
    assert "Paardenfluisteraar en leasepaard" in section
    assert "We proberen dit" in section and "Bekijk in de bibliotheek" in section
    assert section.index("Het Paardengezin") < section.index("Het Schuldengezin")


def test_only_solutions_that_worked(login, library):
    html = (
        login("facilitator")
        .get("/gezinnen/test-gezin/vergelijkbaar?werkte=1", headers={"HX-Request": "true"})
        .get_data(as_text=True)
    )
    assert "Het Paardengezin" in html and "Het Schuldengezin" not in html


def test_api_similar_for_a_stored_family(login, library):
    response = login("facilitator").get("/api/cases/test-gezin/similar?k=5")
    results = response.get_json()
    assert response.status_code == 200
    assert [r["code"] for r in results][:1] == [library["horse"]]
    for result in results:
        assert {"code", "title", "score", "reasons", "solutions"} <= set(result)
    assert all(r["code"] != "test-gezin" for r in results)


def test_api_similar_checks_k(login, library):
    client = login("facilitator")
    assert client.get("/api/cases/test-gezin/similar?k=0").status_code == 400
    assert (
        client.get("/api/cases/test-gezin/similar?k=veel").get_json()["error"]
        == "k must be a whole number"
    )


def test_api_similar_for_a_posted_case_and_an_invalid_one(login, library):
    client = login("facilitator")
    query = money_case("vraag", "Een vraag")
    query["status"], query["solutions"] = "active", []
    response = client.post("/api/similar?k=1", json=query)
    assert response.status_code == 200
    assert [r["code"] for r in response.get_json()] == [library["money"]]
    bad = client.post("/api/similar", json={"format": "case/1"})
    assert bad.status_code == 422 and bad.get_json()["problems"]
    assert client.post("/api/similar", data="geen json").status_code == 400


def test_api_similar_needs_a_login(client, library):
    assert client.get("/api/cases/test-gezin/similar").status_code == 401
    assert client.post("/api/similar", json={}).status_code in (400, 401)


def test_an_erased_library_case_is_never_served(login, db, library):
    client = login("facilitator")
    first = [r["code"] for r in client.get("/api/cases/test-gezin/similar").get_json()]
    assert library["money"] in first
    db.execute("DELETE FROM families WHERE id = ?", [library["money_family"]["id"]])
    after = [r["code"] for r in client.get("/api/cases/test-gezin/similar").get_json()]
    assert library["money"] not in after and library["horse"] in after


def test_a_family_never_finds_its_own_publication(db, library):
    index = LibraryIndex()
    family, case = cases_store.load_family(db, "paarden-gezin")
    codes = [r["code"] for r in index.similar(db, case, k=10, family_id=family["id"])]
    assert library["horse"] not in codes


def test_index_follows_a_republished_case_and_is_saved_and_loaded(db, library, tmp_path):
    path = tmp_path / "index.joblib"
    index = LibraryIndex(path)
    family, case = cases_store.load_family(db, "test-gezin")
    assert index.similar(db, case, k=1)[0]["code"] == library["horse"]
    assert path.is_file()
    fresh = LibraryIndex(path)
    assert fresh.similar(db, case, k=1)[0]["code"] == library["horse"]
    # The horse family is published again with other text: the index takes the change.
    changed = horse_case()
    changed["solutions"][0]["title"] = "Iets heel anders"
    horse_family = cases_store.family_row(db, "paarden-gezin")
    library_catalogue.store_library_case(db, horse_family["id"], canonical_case(changed))
    db.execute("UPDATE library_cases SET published_at = '2099-01-01T00:00:00+00:00'")
    titles = [s["title"] for r in fresh.similar(db, case, k=5) for s in r["solutions"]]
    assert "Iets heel anders" in titles


def test_cli_similar_by_code_and_by_file(runner, library, tmp_path):
    by_code = runner.invoke(args=["cases", "similar", "test-gezin", "-k", "2", "--json"])
    assert by_code.exit_code == 0, by_code.output
    results = json.loads(by_code.output)
    assert results[0]["code"] == library["horse"]
    assert {"code", "title", "score", "reasons", "solutions"} <= set(results[0])
    path = tmp_path / "vraag.json"
    query = money_case("vraag", "Een vraag")
    query["status"], query["solutions"] = "active", []
    path.write_text(json.dumps(query), encoding="utf-8")
    by_file = runner.invoke(args=["cases", "similar", "--file", str(path), "-k", "1", "--json"])
    assert by_file.exit_code == 0, by_file.output
    assert json.loads(by_file.output)[0]["code"] == library["money"]
    plain = runner.invoke(args=["cases", "similar", "test-gezin", "-k", "1"])
    assert "1. Het Paardengezin" in plain.output


def test_cli_similar_says_what_is_wrong(runner, library, tmp_path):
    assert "give either CODE or --file" in runner.invoke(args=["cases", "similar"]).output
    unknown = runner.invoke(args=["cases", "similar", "bestaat-niet"])
    assert unknown.exit_code == 1 and "no family with code 'bestaat-niet'" in unknown.output
    broken = tmp_path / "kapot.json"
    broken.write_text("{", encoding="utf-8")
    bad = runner.invoke(args=["cases", "similar", "--file", str(broken)])
    assert bad.exit_code == 1 and "not valid JSON" in bad.output
    broken.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    deep = runner.invoke(args=["cases", "similar", "--file", str(broken)])
    assert deep.exit_code == 1 and isinstance(deep.exception, SystemExit), repr(deep.exception)
    assert "nested 100000 levels deep, at most 64 allowed" in deep.output
    invalid = tmp_path / "ongeldig.json"
    invalid.write_text(json.dumps({"format": "case/1"}), encoding="utf-8")
    assert (
        "not a valid case"
        in runner.invoke(args=["cases", "similar", "--file", str(invalid)]).output
    )


def test_similarity_is_shown_as_a_share_of_the_best_possible_score(login, library):
    html = family_section(login("facilitator"), "test-gezin", "vergelijkbare-casussen")
    shares = [int(v) for v in re.findall(r"(\d+)% gelijk", html)]
    assert shares and all(0 <= share <= 100 for share in shares)


def test_a_saved_index_with_other_weights_is_fitted_again(db, library, tmp_path, monkeypatch):
    path = tmp_path / "index.joblib"
    family, case = cases_store.load_family(db, "test-gezin")
    LibraryIndex(path).similar(db, case, k=1)
    # An upgrade changes the weights: the saved index must not be served as it is.
    monkeypatch.setitem(finder_weights.WEIGHTS, "text", 7.5)
    fresh = LibraryIndex(path)
    fresh.similar(db, case, k=1)
    assert fresh.finder.weights_["text"] == 7.5
    # Unchanged settings: the saved index is loaded, not fitted again.
    again = LibraryIndex(path)
    monkeypatch.setattr(again, "_fit", lambda *a: pytest.fail("fitted again"))
    again.similar(db, case, k=1)


TAGGED_TITLE = "De Map en het [PERSOON-5]"


@pytest.fixture
def tagged(db):
    """A library case whose title deduce took for a name, as the library stores it."""
    document = horse_case("map-gezin", TAGGED_TITLE)
    document["solutions"][0]["title"] = "Samen met [PERSOON-2] naar de manege"
    document["solutions"][0]["summary"] = "[PERSOON-2] rijdt mee; [PERSOON-9] belt."
    family_id = cases_store.save_case(db, document)
    copy_ = copy.deepcopy(canonical_case(document))
    copy_["tags"] = {"PERSOON-2": "Moeder"}
    return library_catalogue.store_library_case(db, family_id, copy_)


def assert_readable(result, case_id):
    assert result["code"] == f"bibliotheek-{case_id}"
    assert result["title"] == "De Map en het persoon 5"
    solution = result["solutions"][0]
    assert solution["title"] == "Samen met moeder naar de manege"
    assert solution["summary"] == "Moeder rijdt mee; persoon 9 belt."
    assert set(result) == RESULT_KEYS
    assert {"title", "summary", "components", "outcome"} <= set(solution)
    assert solution["entry_id"]  # the link still found: the index kept the stored title
    assert "[PERSOON" not in json.dumps(result)


def test_api_similar_shows_library_text_readable_as_the_pages_do(login, tagged):
    client = login("facilitator")
    stored = client.get("/api/cases/test-gezin/similar?k=1").get_json()
    assert_readable(stored[0], tagged)
    query = horse_case("vraag", "Een vraag")
    query["status"], query["solutions"] = "active", []
    posted = client.post("/api/similar?k=1", json=query).get_json()
    assert_readable(posted[0], tagged)
    # The page reads the same words (marked there, the tag in the tooltip).
    page = family_section(client, "test-gezin", "vergelijkbare-casussen")
    assert "Geanonimiseerd ([PERSOON-5])" in page and ">persoon 5</span>" in page


def test_cli_similar_shows_library_text_readable(runner, tagged):
    as_json = runner.invoke(args=["cases", "similar", "test-gezin", "-k", "1", "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert_readable(json.loads(as_json.output)[0], tagged)
    plain = runner.invoke(args=["cases", "similar", "test-gezin", "-k", "1"])
    assert "1. De Map en het persoon 5 (" in plain.output and "[PERSOON" not in plain.output


def test_the_index_keeps_the_tagged_text(db, tagged):
    """Only the answer is readable: the index and its solution titles (the link to the
    library entries) keep the stored text."""
    family, case = cases_store.load_family(db, "test-gezin")
    index = LibraryIndex()
    assert index.similar(db, case, k=1)[0]["title"] == TAGGED_TITLE


# --------------------------------------------------------------- what could work here


def _section(html):
    return html.split('id="vergelijkbare-casussen-inhoud"')[1].split('id="overleggen"')[0]


def _results(html):
    """The result items of the similar-cases markup, in order."""
    return html.split('<li class="similar-case">')[1:]


def test_fit_reason_count_takes_only_the_leading_lever_and_need_reasons():
    lever = "hefboom: haar liefde voor paarden (daar: paarden)"
    wish = "hefboom: haar eigen wens 'bij mijn vader wonen' (daar: wonen naast de ouder)"
    assert finder_web.fit_reason_count([lever, "beide: kind met trauma"]) == 1
    assert finder_web.fit_reason_count(["drager: oom (hier: oom; daar: oom)", lever]) == 2
    need = "antwoord op: de woning in gevaar (daar: de woning behouden)"
    missing = "brengt in wat ontbreekt: gemeente of wijkteam"
    # At most the estimator's number of solution reasons, however many follow.
    assert finder_web.fit_reason_count([need, missing, wish]) == SOLUTION_REASONS
    # Likeness reasons, also one naming an interest, and a lever word after them.
    assert finder_web.fit_reason_count(["beide: kind met trauma", lever]) == 0
    assert finder_web.fit_reason_count(["interesse paarden", "in het gezin: paarden"]) == 0
    assert finder_web.fit_reason_count(["beide noemen: hefboom, paarden"]) == 0
    assert finder_web.fit_reason_count([]) == 0


def test_lever_marks_are_short_and_at_most_two():
    levers = [
        {"kind": "passion", "label": "paarden", "here": "paarden"},
        {"kind": "wish", "label": "wonen bij een ouder", "here": "bij mijn vader wonen"},
        {"kind": "carrier", "label": "een trainer, coach of leermeester", "here": "coach"},
    ]
    assert finder_web.lever_marks(levers) == ["hefboom: paarden", "wens van het kind"]
    carrier = levers[2]
    need = {"kind": "arrangement", "label": "de woning behouden", "here": "de woning in gevaar"}
    assert finder_web.lever_marks([carrier, need]) == [
        "drager: trainer, coach of leermeester",
        "antwoord op: de woning in gevaar",
    ]
    assert finder_web.lever_marks([levers[0], levers[0]]) == ["hefboom: paarden"]
    assert finder_web.lever_marks([]) == []


def test_family_page_leads_with_the_solution_that_fits_and_why(login, library):
    """A girl who loves horses: the horse case's solution leads, with the horses as
    the reason it could work here, before why the case is alike."""
    html = family_section(login("facilitator"), "test-gezin", "vergelijkbare-casussen")
    first = _results(_section(html))[0]
    order = [
        "<h3>Paardenfluisteraar en leasepaard</h3>",
        "Past hier: hefboom: paarden",
        "Waarom dit hier kan werken:",
        "hefboom: haar liefde voor paarden",
        "We proberen dit",
        "Uit de casus <strong>Het Paardengezin</strong>",
        "Waarom vergelijkbaar:",
    ]
    positions = [first.index(text) for text in order]
    assert positions == sorted(positions)
    likeness = first.split("Waarom vergelijkbaar:")[1]
    assert "hefboom" not in likeness and "beide: kind met trauma" in likeness


def test_no_fit_line_when_no_solution_fits(login, db):
    """A debt solution answers nothing in a family without money or housing trouble:
    the case is still shown as alike, without a claim that it could work here."""
    client = login("facilitator")
    publish(db, money_case())
    quiet = make_case()
    quiet["child_perspective"] = "Ik wil naar school."
    for person in quiet["persons"]:
        person["problems"] = ["trauma"] if person["id"] == "p1" else []
        person["interests"] = []
    cases_store.save_case(db, quiet, replace=True)
    response = client.get("/gezinnen/test-gezin/vergelijkbaar", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<h3>Het Schuldengezin</h3>" in html
    assert "Waarom vergelijkbaar:" in html and "Schuldsanering en urgentie" in html
    assert "Waarom dit hier kan werken" not in html and "Past hier" not in html


def test_the_best_solution_leads_and_the_others_follow_with_their_links(login, db):
    horse = horse_case()
    horse["solutions"].append({
        "title": "Gezinsgesprekken thuis", "summary": "Wekelijks met vader aan tafel.",
        "components": ["gezinsgesprek"], "partners": ["youth_care"], "addresses": [],
        "outcome": "partly",
    })  # fmt: skip
    publish(db, horse)
    html = family_section(login("facilitator"), "test-gezin", "vergelijkbare-casussen")
    first = _results(_section(html))[0]
    best = first.index("<h3>Paardenfluisteraar en leasepaard</h3>")
    assert best < first.index("Ook geprobeerd in deze casus:") < first.index("Gezinsgesprekken")
    assert first.count("We proberen dit") == 2 and first.count("Bekijk in de bibliotheek") == 2
    assert first.count("Paardenfluisteraar en leasepaard</") == 1


def test_percentage_alike_is_the_situations_likeness(login, library):
    client = login("facilitator")
    results = client.get("/api/cases/test-gezin/similar").get_json()
    html = family_section(client, "test-gezin", "vergelijkbare-casussen")
    shown = [int(v) for v in re.findall(r"(\d+)% gelijk", _section(html))]
    assert shown == [round(r["situation_score"] * 100) for r in results]
    assert shown[0] == 100 and "meest op dit gezin lijkt" in _section(html)
