"""The Dutch analyzer of the similar-case finder: stems, stop words, thesaurus."""

import Stemmer

from finder.analyzer import (
    Thesaurus,
    analyze,
    analyze_pairs,
    load_stopwords,
    stem,
    tokenize,
)


def test_analyzer_stems_with_dutch_porter():
    assert stem("paarden") == "paard"
    assert stem("begeleid") == "begeleid"
    assert analyze("begeleid") == ["begeleid"]
    assert analyze("kinderen") == ["kinder"]


def test_analyzer_newer_dutch_stemmer_would_merge_words():
    # Why dutch_porter: the newer "dutch" algorithm turns these into other words.
    newer = Stemmer.Stemmer("dutch")
    assert newer.stemWords(["paarden", "begeleid"]) == ["paar", "beleid"]
    assert analyze("begeleid") != analyze("beleid")


def test_analyzer_drops_stop_words():
    assert analyze("de en het van een niet met") == []
    assert analyze("Eén keer, twee jaren") == []


def test_analyzer_stop_word_file_has_snowball_list():
    words = load_stopwords()
    assert {"de", "het", "een", "zijn", "niet", "andere", "geweest"} <= words
    assert "paard" not in words


def test_analyzer_tokenises_letters_with_accents():
    assert tokenize("Café-bezoek, 12 keer; coördinator!") == [
        "café",
        "bezoek",
        "keer",
        "coördinator",
    ]
    assert tokenize(None) == []


def test_analyzer_thesaurus_maps_before_stemming():
    assert analyze("manege") == ["paard", "dier"]
    assert analyze("pony") == ["paard", "dier"]
    assert analyze("paardrijden") == ["paard", "dier"]
    assert analyze("oma") == ["grootouder", "familie"]
    assert analyze("opa") == ["grootouder", "familie"]
    assert analyze("deurwaarder") == ["schuld"]
    # A compound's parts follow the whole word (tests/test_finder_compounds.py).
    assert analyze("huurachterstand")[0] == "schuld"


def test_analyzer_thesaurus_matches_phrases_and_compounds():
    assert analyze_pairs("bij oom en tante")[0] == ("familielid", "oom en tante")
    assert analyze("paardenstal")[0] == "paard"
    assert analyze("ze helpt op de stal")[-2:] == ["paard", "dier"]


def test_analyzer_stal_as_verb_is_no_stable():
    assert "paard" not in analyze("hij stal een scooter")


def test_analyzer_drops_named_words():
    assert analyze("Kim rijdt paard", drop={"kim"}) == ["rijdt", "paard", "dier"]


def test_thesaurus_rules_on_a_small_file():
    thesaurus = Thesaurus(
        {"_broader": {"kat": "dier"}, "kat": ["poes", "kater*"], "hulp": ["steun van buren"]}
    )
    assert thesaurus.word("poes") == "kat"
    assert thesaurus.word("katertje") == "kat"
    assert thesaurus.word("kater") == "kater"  # a prefix needs more letters
    assert thesaurus.apply(["veel", "steun", "van", "buren"]) == [
        ("veel", "veel"),
        ("hulp", "steun van buren"),
    ]
    assert thesaurus.broader == {"kat": "dier"}
