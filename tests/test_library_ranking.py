"""The library's search: Dutch words, the code labels, partial matches and their ranking,
the components by one key per spelling, and the index built once per library version."""

import json
import pathlib

import pytest

from cases import store as cases_store
from core import database
from library import catalogue, ranking
from tests.conftest import make_app

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_library(tmp_path_factory):
    """The 44 demo library cases stored as library cases (their text as written: the
    ranking is what is tested here, not the de-identification)."""
    app = make_app(tmp_path_factory.mktemp("library") / "library.db")
    db = database.connect(app.config["DATABASE"])
    for path in sorted((ROOT / "data" / "demo" / "library").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        family_id = cases_store.save_case(db, document)
        catalogue.store_library_case(db, family_id, document)
    yield db
    db.close()


# The queries: each finds what the filter of its problem finds, and ranks it first.
@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("psychiatrisch", "psychiatric"),
        ("psychiatrische", "psychiatric"),
        ("huisvestingsprobleem", "housing"),
        ("dakloosheid", "housing"),
        ("schoolverzuim", "school"),
        ("huiselijk geweld", "domestic_violence"),
        ("Huiselijk  Geweld", "domestic_violence"),
    ],
)
def test_search_finds_what_the_problem_filter_finds_first(demo_library, query, problem):
    wanted = {e["id"] for e in catalogue.search(demo_library, problem=problem)}
    assert len(wanted) >= 4
    found = [e["id"] for e in catalogue.search(demo_library, query)]
    assert set(found[: len(wanted)]) == wanted


def test_search_matching_some_words_is_enough(demo_library):
    found = catalogue.search(demo_library, "paard school")
    assert found
    # No solution has both: those with a horse come first, each saying what it lacks.
    assert "paard" in found[0]["title"].lower() + found[0]["summary"].lower()
    assert found[0]["missing"] == ["school"]
    assert {e["missing"][0] for e in found} == {"paard", "school"}


def test_search_matches_the_partner_and_outcome_labels(demo_library):
    wanted = {e["id"] for e in catalogue.search(demo_library, partner="debt_counselling")}
    found = [e["id"] for e in catalogue.search(demo_library, "schuldhulpverlening")]
    assert wanted <= set(found)
    partly = {e["id"] for e in catalogue.search(demo_library, outcome="partly")}
    assert partly <= {e["id"] for e in catalogue.search(demo_library, "werkte deels")}


def test_search_while_typing_matches_the_word_begun(demo_library):
    titles = [e["title"] for e in catalogue.search(demo_library, "leasepa")]
    assert titles and "leasepaard" in titles[0].lower() + " ".join(
        catalogue.search(demo_library, "leasepa")[0]["components"]
    )


def test_search_of_nothing_known_finds_nothing(demo_library):
    assert catalogue.search(demo_library, "zzzzqqq") == []
    assert catalogue.search(demo_library, '" OR 1=1 --; "zzzzqqq"*') == []


def test_search_page_counts_all_and_gives_a_slice(demo_library):
    everything = catalogue.search(demo_library, limit=None)
    entries, total = catalogue.search_page(demo_library, start=20, stop=40)
    assert total == len(everything) > 40
    assert [e["id"] for e in entries] == [e["id"] for e in everything[20:40]]


def test_the_index_is_built_once_per_library_version(demo_library):
    first = catalogue.search_index(demo_library)
    assert catalogue.search_index(demo_library) is first
    case = dict(json.loads((ROOT / "data/demo/library/lib-a01.json").read_text("utf-8")))
    family = cases_store.family_row(demo_library, case["code"])
    case["solutions"] = [*case["solutions"], {"title": "Een nieuwe oplossing met ezels"}]
    catalogue.store_library_case(demo_library, family["id"], case)
    second = catalogue.search_index(demo_library)
    assert second is not first
    assert [e["title"] for e in catalogue.search(demo_library, "ezels")] == [
        "Een nieuwe oplossing met ezels"
    ]


def test_components_are_one_per_spelling(demo_library):
    index = catalogue.search_index(demo_library)
    assert index.component_names[ranking.component_key("bbl")] == "BBL"
    names = list(index.component_names.values())
    assert "bbl" not in names
    key = ranking.component_key("Eigen Kracht-conferentie")
    assert index.component_names[key] == "eigen-kracht-conferentie"  # the most used
    assert index.component_counts[key] == 3
    # The filter finds every spelling.
    assert len(catalogue.search(demo_library, component="bbl")) == len(
        catalogue.search(demo_library, component="BBL")
    )
    assert len(catalogue.search(demo_library, component="BBL")) >= 2


def test_the_component_choices_are_the_most_used(demo_library):
    choices = catalogue.component_choices(demo_library)
    assert len(choices) == catalogue.COMMON_COMPONENTS
    index = catalogue.search_index(demo_library)
    least_shown = min(uses for _key, _name, uses in choices)
    assert all(uses <= least_shown for k, uses in index.component_counts.items()
               if k not in {key for key, _name, _uses in choices})  # fmt: skip
    # A rarer one that was chosen is listed too.
    rare = ranking.component_key("pipowagen")
    assert rare in {
        k for k, _n, _u in catalogue.component_choices(demo_library, chosen="Pipowagen")
    }


# The ranking on made-up entries -------------------------------------------------------


def entry(id, title="", summary="", text="", labels="", **filters):
    fields = {"title": title, "labels": labels, "summary": summary, "text": text}
    return ranking.Entry(id=id, fields=fields, **filters)


def ranked(entries, query):
    return [hit.id for hit in ranking.SearchIndex(entries).rank(query)]


def test_more_words_matched_rank_first():
    entries = [
        entry(1, summary="een paard op de boerderij"),
        entry(2, summary="een paard bij school", text="en de moestuin"),
        entry(3, summary="de school"),
        entry(4, summary="iets anders"),
    ]
    assert ranked(entries, "paard school")[0] == 2
    assert set(ranked(entries, "paard school")) == {1, 2, 3}


def test_the_title_outranks_the_summary_and_the_rest():
    entries = [
        entry(1, text="kamertraining"),
        entry(2, summary="kamertraining"),
        entry(3, title="Kamertraining"),
        entry(4, title="iets anders"),
    ]
    assert ranked(entries, "kamertraining") == [3, 2, 1]


def test_a_rarer_word_outranks_a_common_one():
    entries = [entry(i, summary="begeleiding thuis") for i in range(1, 6)]
    entries += [entry(6, summary="begeleiding"), entry(7, summary="budgetcoach")]
    assert ranked(entries, "begeleiding budgetcoach")[0] == 7


def test_a_word_stems_the_dutch_way():
    entries = [entry(1, summary="twee paarden"), entry(2, summary="huiselijk geweld")]
    assert ranked(entries, "paard") == [1]
    assert ranked(entries, "geweld") == [2]  # the newer "dutch" stemmer makes it "wel"


def test_the_filters_select_before_the_words():
    entries = [
        entry(1, summary="paard", problems=("trauma",), outcome="worked"),
        entry(2, summary="paard", problems=("debts",), outcome="partly"),
    ]
    index = ranking.SearchIndex(entries)
    assert [hit.id for hit in index.search("paard", problem="debts")] == [2]
    assert [hit.id for hit in index.search(None, outcome="worked")] == [1]
    assert [hit.id for hit in index.search("  ")] == [1, 2]


@pytest.mark.parametrize(
    ("one", "other"),
    [("BBL", "bbl"), ("Eigen Kracht-conferentie", "eigen-kracht-conferentie"),
     ("psycho-educatie", "Psycho educatie"), ("leasepaard", "leasepaarden")],
)  # fmt: skip
def test_component_key_joins_spellings(one, other):
    assert ranking.component_key(one) == ranking.component_key(other)


def test_component_key_keeps_different_things_apart():
    assert ranking.component_key("eigen kamer") != ranking.component_key("kamertraining")


def test_the_common_spelling_is_the_most_used_then_capitals():
    assert ranking.common_spelling({"bbl": 1, "BBL": 1}) == "BBL"
    assert ranking.common_spelling({"buddy": 3, "Buddy": 1}) == "buddy"
