"""Dutch compounds in the finder: the decompounder and what the analyzer makes of it."""

import pytest

from cases.validation import canonical_case
from finder import CaseFinder, index
from finder.analyzer import analyze, analyze_pairs, decompounder, stem, stopwords
from finder.compounds import PARTS_FILE, Decompounder, load_parts
from rules.loader import load_rules
from tests.factories import make_case

RULES = load_rules()


def small(*parts, never=()):
    return Decompounder(parts, stem=stem, stop=stopwords(), never=never)


def meet(a, b):
    """The analyzer tokens two words share."""
    return set(analyze(a)) & set(analyze(b))


# ---- the splitting rules, on a small word list


def test_decompounder_strips_dutch_linking_morphemes():
    words = small("ontruiming", "vonnis", "paard", "meisje", "kind", "rechter", "zorg")
    assert words.split("ontruimingsvonnis") == ("ontruiming", "vonnis")  # s
    assert words.split("paardenmeisje") == ("paard", "meisje")  # en
    assert words.split("kinderrechter") == ("kind", "rechter")  # er
    assert words.split("paardezorg") == ("paard", "zorg")  # e
    assert words.split("paardxzorg") == ()


def test_decompounder_gives_a_plural_head_as_its_known_word():
    words = small("pleeg", "gezin", "huis", "regel", "regeling", "muziek", "school", "thuis")
    assert words.split("pleeggezinnen") == ("pleeg", "gezin")
    assert words.split("thuisregelingen") == ("thuis", "regeling")  # not "regel"
    assert words.split("thuisregels") == ("thuis", "regel")
    assert words.split("muziekscholen") == ("muziek", "school")
    # Only the last part may be inflected.
    assert words.split("gezinnenhuis") == ()


def test_decompounder_prefers_fewest_parts_and_splits_parts_again():
    words = small("schuld", "hulp", "verlening", "hulpverlening")
    assert words.split("schuldhulpverlening") == ("schuld", "hulpverlening")
    assert words.parts_of("schuldhulpverlening") == [
        "schuld",
        "hulpverlening",
        "hulp",
        "verlening",
    ]


def test_decompounder_never_uses_short_words_or_stop_words_as_parts():
    words = small("be", "scherming", "over", "leg", "voor", "beeld")
    assert words.split("bescherming") == ()  # "be" is too short
    assert words.split("overleg") == ()  # stop word, and "leg" is short
    assert words.split("voorbeeld") == ()  # "voor" is a stop word


def test_decompounder_keeps_listed_words_whole():
    words = small("vers", "laving", never={"verslaving"})
    assert words.split("verslaving") == ()
    assert small("vers", "laving").split("verslaving") == ("vers", "laving")


def test_parts_file_reads_words_and_never_lines(tmp_path):
    path = tmp_path / "parts.txt"
    path.write_text("# a comment\nZorg\n\n!Verslaving\nhulp\n", encoding="utf-8")
    assert load_parts(path) == (frozenset({"zorg", "hulp"}), frozenset({"verslaving"}))


# ---- the shipped word list: the compounds of the issue, and no false splits


@pytest.mark.parametrize(
    ("compound", "word"),
    [
        ("ontruimingsvonnis", "ontruiming"),
        ("schuldhulpverlening", "schulden"),
        ("schuldhulpverlening", "hulpverlening"),
        ("pleeggezinnen", "gezin"),
        ("jeugdzorgplus", "jeugdzorg"),
        ("huurachterstand", "huurwoning"),
        ("zorgboerderij", "zorg"),
        ("paardenmeisje", "meisje"),
        ("judoclub", "judo"),  # judo is sport in the thesaurus
        ("muziekschool", "muziek"),
        ("beschermingsbewind", "bewind"),
    ],
)
def test_analyzer_compound_meets_its_part(compound, word):
    assert meet(compound, word)


def test_analyzer_compound_parts_go_through_the_thesaurus():
    # ontruiming is an eviction (uithuiszetting), schuld is debts (schulden).
    assert analyze("ontruimingsvonnis") == ["ontruimingsvonnis", "uithuiszet", "vonnis"]
    assert analyze("schuldhulpverlening")[:2] == ["schuldhulp", "schuld"]
    assert analyze("pleeggezinnen") == ["pleeggezin", "gezin"]
    assert analyze("jeugdzorgplus")[0] == "geslot"  # gesloten jeugdzorg


@pytest.mark.parametrize(
    "word",
    [
        "verslaving",  # no "ver" + "slaving", no "vers" + "laving"
        "bescherming",  # no "be" + "scherming"
        "kinderen",
        "achttien",  # no "acht" + "tien"
        "allemaal",
        "terugkeer",
        "trekkers",  # no "trek" + "kers"
        "voorbeeld",
        "ondersteuning",
        "ziekenhuis",
        "buitenland",
    ],
)
def test_shipped_list_leaves_simple_words_whole(word):
    assert decompounder().split(word) == ()
    assert len(analyze(word)) == 1


def test_shipped_list_splits_beschermingsbewind_at_the_real_seam():
    assert decompounder().split("beschermingsbewind") == ("bescherming", "bewind")
    assert "scherm" not in analyze("beschermingsbewind")


def test_shipped_list_holds_only_usable_parts():
    parts, never = load_parts()
    assert parts and all(len(p) >= 4 and p.isalpha() for p in parts)
    assert not parts & stopwords()
    assert "verslaving" in never


# ---- explanations and the index


def test_parts_keep_the_compound_as_their_surface():
    pairs = analyze_pairs("Er ligt een ontruimingsvonnis.")
    assert pairs == [
        ("ligt", "ligt"),
        ("ontruimingsvonnis", "ontruimingsvonnis"),
        ("uithuiszet", "ontruimingsvonnis"),
        ("vonnis", "ontruimingsvonnis"),
    ]


def library_case(code, narrative):
    return canonical_case(make_case(code, narrative=narrative, child_perspective=""))


def test_finder_meets_a_compound_and_names_the_word_the_case_contains():
    finder = CaseFinder(ruleset=RULES, max_reasons=100).fit(
        [
            # Equal scores go by code: the verhuizing would come first.
            library_case("a-verhuizing", "De verhuizing van de woning is gepland."),
            library_case("b-ontruiming", "De ontruiming van de woning is gepland."),
        ]
    )
    query = library_case("vraag", "Het gezin kreeg een ontruimingsvonnis.")
    results = finder.kneighbors(query, n_neighbors=2)
    assert [r["code"] for r in results] == ["b-ontruiming", "a-verhuizing"]
    assert results[0]["score"] > results[1]["score"]
    words = [r for r in results[0]["reasons"] if r.startswith("beide noemen")]
    assert words == ["beide noemen: ontruimingsvonnis"]


def test_index_is_refitted_when_the_parts_list_changes(tmp_path, monkeypatch):
    before = index.settings_digest(RULES)
    changed = tmp_path / "parts.txt"
    changed.write_text(PARTS_FILE.read_text(encoding="utf-8") + "vonnis\n", encoding="utf-8")
    monkeypatch.setattr(index, "PARTS_FILE", changed)
    assert index.settings_digest(RULES) != before
