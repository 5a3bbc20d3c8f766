"""GEDCOM import and export: real files from genealogy programs, the mapping rule by
rule, broken input, the round trip of every demo family, and the command line."""

import functools
import io
import json
import pathlib
import re

import pytest

from cases import store
from cases.validation import MAX_NAME, canonical_case, check_case
from core.web import get_db
from genogram.gedcom import GedcomError, read_gedcom, write_gedcom
from genogram.graph import build_graph, persons

ROOT = pathlib.Path(__file__).resolve().parents[1]
SAMPLES = ROOT / ".." / "shared" / "gedcom"
DEMO_FILES = sorted((ROOT / "data" / "demo").glob("*/*.json"))
# Individuals per sample, as the samples' README gives them.
SAMPLE_SIZES = {"shakespeare": 31, "kennedy": 208, "royal92": 3010, "pres2020": 2322}


@functools.cache
def imported(name):
    """The sample read once per test run (royal92 takes about a second)."""
    return read_gedcom(SAMPLES / f"{name}.ged", code=name, title=name.title())


def ged(*records, head="1 GEDC\n2 VERS 5.5.1\n2 FORM LINEAGE-LINKED\n1 CHAR UTF-8"):
    """A GEDCOM file (bytes) around the given level-0 records."""
    body = "\n".join(r.strip("\n") for r in records)
    return f"0 HEAD\n{head}\n{body}\n0 TRLR\n".encode()


def read(data, **options):
    options.setdefault("code", "gedcom-test")
    options.setdefault("title", "Test")
    return read_gedcom(io.BytesIO(data), **options)


def person(case, pid):
    return next(p for p in case["persons"] if p["id"] == pid)


def relations(case, kind):
    return [r for r in case["relations"] if r["kind"] == kind]


def codes_of(warnings):
    return [w.code for w in warnings]


# A direct reading of a sample, independent of ged4py and of the module under test.


def raw_records(path):
    """{tag: [(xref, [(level, tag, value)])]} for the level-0 records of a file."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    records = {}
    current = None
    for line in text.splitlines():
        match = re.match(r"\s*(\d+)\s+(?:(@[^@]+@)\s+)?(\S+)(?: (.*))?$", line)
        if not match:
            continue
        level, xref, tag, value = int(match[1]), match[2], match[3], match[4] or ""
        if level == 0:
            current = (xref, [])
            records.setdefault(tag, []).append(current)
        elif current is not None:
            current[1].append((level, tag, value.strip()))
    return records


def direct_counts(path):
    records = raw_records(path)
    pairs, divorced, married, links = set(), 0, 0, set()
    for _, lines in records.get("FAM", []):
        top = [(tag, value) for level, tag, value in lines if level == 1]
        husbands = [v for t, v in top if t == "HUSB"]
        wives = [v for t, v in top if t == "WIFE"]
        happened = {t for t, v in top if v.upper() != "N"}
        if husbands and wives:
            pairs.add(frozenset((husbands[0], wives[0])))
            if happened & {"DIV", "ANUL"}:
                divorced += 1
            elif "MARR" in happened:
                married += 1
        for child in (v for t, v in top if t == "CHIL"):
            links.update((parent, child) for parent in husbands[:1] + wives[:1])
    return {
        "persons": len(records.get("INDI", [])),
        "couples": len(pairs),
        "divorced": divorced,
        "married": married,
        "parent_links": len(links),
    }


def surnames_by_person(path):
    """{person id: surname words} from NAME slashes and SURN lines."""
    found = {}
    for xref, lines in raw_records(path)["INDI"]:
        words = set()
        for _, tag, value in lines:
            if tag == "NAME" and value.count("/") >= 2:
                words.update(value.split("/")[1].lower().split())
            elif tag == "SURN":
                words.update(value.lower().split())
        found[xref.strip("@").lower()] = words
    return found


# The real files


@pytest.mark.parametrize("name", list(SAMPLE_SIZES))
def test_sample_imports_as_a_valid_case(name):
    case, _ = imported(name)
    assert check_case(case) == []
    assert len(case["persons"]) == SAMPLE_SIZES[name]
    assert case["format"] == "case/1" and case["status"] == "active"
    assert case["code"] == name and case["title"] == name.title()
    assert sum(bool(p.get("index")) for p in case["persons"]) == 1


@pytest.mark.parametrize("name", list(SAMPLE_SIZES))
def test_sample_counts_match_a_direct_count_of_the_file(name):
    case, warnings = imported(name)
    expected = direct_counts(SAMPLES / f"{name}.ged")
    couples = relations(case, "couple")
    dropped_links = codes_of(warnings).count("parent_dropped")
    assert len(case["persons"]) == expected["persons"]
    assert len(couples) == expected["couples"]
    assert sum(c["status"] == "divorced" for c in couples) == expected["divorced"]
    assert sum(c["status"] == "married" for c in couples) == expected["married"]
    assert len(relations(case, "parent")) + dropped_links == expected["parent_links"]
    assert dropped_links == 0


def test_sample_royal92_has_its_documented_families_and_divorces():
    records = raw_records(SAMPLES / "royal92.ged")
    assert len(records["FAM"]) == 1422
    case, _ = imported("royal92")
    assert sum(c["status"] == "divorced" for c in relations(case, "couple")) == 74
    years = [p["birth_year"] for p in case["persons"] if p.get("birth_year")]
    assert min(years) < 1000


@pytest.mark.parametrize("name", list(SAMPLE_SIZES))
def test_sample_names_hold_no_surnames(name):
    case, _ = imported(name)
    surnames = surnames_by_person(SAMPLES / f"{name}.ged")
    for p in case["persons"]:
        words = set((p["name"] or "").lower().split())
        assert not words & surnames[p["id"]], (p["id"], p["name"])
        assert "/" not in (p["name"] or "") and len(p["name"] or "") <= MAX_NAME


def test_sample_kennedy_names_keep_given_names_but_not_the_family_name():
    case, warnings = imported("kennedy")
    # 1 NAME Robert Francis /Kennedy/ III, 2 GIVN Robert, Francis
    assert person(case, "i88")["name"] == "Robert Francis"
    # 1 NAME Christopher Kennedy /Lawford/: his mother is a Kennedy
    assert person(case, "i128")["name"] == "Christopher"
    assert not [p["name"] for p in case["persons"] if "Kennedy" in (p["name"] or "")]
    assert "family_surname" in codes_of(warnings)


def test_sample_dropped_birth_years_are_named_in_warnings():
    case, warnings = imported("royal92")
    dropped = [w for w in warnings if w.code == "birth_year_dropped"]
    assert dropped and all("left out" in str(w) and "geboortejaar" in w.dutch for w in dropped)
    assert "birth_year" not in person(case, "i169")  # born 1931, "parent" born 1980


@pytest.mark.parametrize("name", list(SAMPLE_SIZES))
def test_sample_draws_as_a_genogram_graph(name):
    case, _ = imported(name)
    graph = build_graph(canonical_case(case))
    assert len(persons(graph)) == SAMPLE_SIZES[name]


def test_sample_index_is_the_youngest_living_person_with_parents():
    case, _ = imported("pres2020")
    index = next(p for p in case["persons"] if p.get("index"))
    assert (index["name"], index["birth_year"]) == ("Barron", 2006)


def test_sample_without_a_living_child_takes_the_first_individual():
    case, _ = imported("shakespeare")
    assert case["persons"][0]["index"] is True and case["persons"][0]["name"] == "William"


# Names, sex, years, death


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        ("1 NAME John /Smith/", "John"),
        ("1 NAME /Smith/ John", "John"),
        ("1 NAME John Paul /Smith/ Jr.", "John Paul"),
        ("1 NAME Robert Francis /Kennedy/ III\n2 GIVN Robert, Francis", "Robert Francis"),
        ("1 NAME /Smith/", None),
        ("1 NAME John Smith Miller", "John"),
        ("1 NAME Marian -Scott /Montagu-Douglas-/", "Marian"),
        ("1 NAME Mary /Smith/\n2 GIVN Mary Smith\n2 SURN Smith", "Mary"),
        ("1 NAME Anna /Jansen/\n1 NAME Anna /de Vries/\n2 TYPE married", "Anna"),
        ("1 SEX F", None),
    ],
)
def test_name_keeps_given_names_only(lines, name):
    case, _ = read(ged(f"0 @I1@ INDI\n{lines}"))
    assert case["persons"][0]["name"] == name


def test_name_middle_names_that_are_a_parents_or_partners_surname_are_left_out():
    records = [
        "0 @I1@ INDI\n1 NAME Joseph /Kennedy/",
        "0 @I2@ INDI\n1 NAME Rose /Fitzgerald/",
        "0 @I3@ INDI\n1 NAME John Fitzgerald /Kennedy/\n1 FAMC @F1@",
        "0 @I4@ INDI\n1 NAME Fitzgerald Kennedy /Smith/",
        "0 @F1@ FAM\n1 HUSB @I1@\n1 WIFE @I2@",
        "0 @F2@ FAM\n1 HUSB @I4@\n1 WIFE @I5@",
        "0 @I5@ INDI\n1 NAME Ann Smith Jones /Doe/",
    ]
    case, warnings = read(ged(*records))
    names = [p["name"] for p in case["persons"]]
    # The first given name always stays; I5's partner I4 is a Smith.
    assert names == ["Joseph", "Rose", "John", "Fitzgerald Kennedy", "Ann Jones"]
    assert codes_of(warnings) == ["family_surname"] and str(warnings[0]).startswith("2 ")


def test_name_without_slashes_is_cut_to_its_first_word_with_a_warning():
    case, warnings = read(ged("0 @I1@ INDI\n1 NAME John Smith", "0 @I2@ INDI\n1 NAME Mary"))
    assert [p["name"] for p in case["persons"]] == ["John", "Mary"]
    assert codes_of(warnings) == ["surname_unmarked"] and "I1" in str(warnings[0])


def test_name_too_long_is_cut_at_a_word():
    case, _ = read(ged("0 @I1@ INDI\n1 NAME " + "Anna " * 40 + "/X/"))
    name = case["persons"][0]["name"]
    assert len(name) <= MAX_NAME and name.endswith("Anna")


@pytest.mark.parametrize(
    ("value", "sex"),
    [("M", "male"), ("F", "female"), ("X", "other"), ("U", "unknown"), ("", "unknown")],
)
def test_sex_maps_to_the_case_codes(value, sex):
    case, _ = read(ged(f"0 @I1@ INDI\n1 SEX {value}".rstrip()))
    assert case["persons"][0]["sex"] == sex


@pytest.mark.parametrize(
    ("date", "year"),
    [
        ("23 APR 1564", 1564),
        ("ABT 1850", 1850),
        ("BEF 23 APR 1564", 1564),
        ("AFT 1850", 1850),
        ("EST 1850", 1850),
        ("BET 1850 AND 1860", 1850),
        ("FROM 1850 TO 1860", 1850),
        ("11 FEB 1731/32", 1732),
        ("INT 1850 (about then)", 1850),
        ("(spring 1850)", 1850),
        ("@#DJULIAN@ 1550", 1550),
        ("950", 950),
        ("10 JAN", None),
        ("(unknown)", None),
    ],
)
def test_birth_year_is_read_from_any_date_form(date, year):
    case, warnings = read(ged(f"0 @I1@ INDI\n1 BIRT\n2 DATE {date}"))
    assert case["persons"][0].get("birth_year") == year
    assert check_case(case) == []


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # convertdate's Hebrew calendar
def test_birth_year_of_another_calendar_is_converted():
    case, _ = read(ged("0 @I1@ INDI\n1 BIRT\n2 DATE @#DHEBREW@ 5780"))
    assert case["persons"][0]["birth_year"] in (2019, 2020)


@pytest.mark.parametrize("date", ["44 B.C.", "2999"])
def test_birth_year_out_of_range_is_dropped_with_a_warning(date):
    case, warnings = read(ged(f"0 @I1@ INDI\n1 BIRT\n2 DATE {date}"))
    assert "birth_year" not in case["persons"][0]
    assert codes_of(warnings) == ["birth_year_dropped"]


def test_birth_year_from_the_first_birth_with_a_year():
    case, _ = read(ged("0 @I1@ INDI\n1 BIRT\n2 PLAC X\n1 BIRT\n2 DATE 1900"))
    assert case["persons"][0]["birth_year"] == 1900


@pytest.mark.parametrize(
    ("lines", "deceased"),
    [("1 DEAT Y", True), ("1 DEAT", True), ("1 DEAT\n2 DATE 1900", True), ("1 DEAT N", False),
     ("1 BURI", False)],
)  # fmt: skip
def test_deceased_when_a_death_is_recorded(lines, deceased):
    case, _ = read(ged(f"0 @I1@ INDI\n{lines}"))
    assert bool(case["persons"][0].get("deceased")) is deceased


def test_person_ids_come_from_the_xrefs():
    case, _ = read(ged("0 @I1@ INDI", "0 @P-7@ INDI", "0 @i1@ INDI", "0 @A:B@ INDI"))
    assert [p["id"] for p in case["persons"]] == ["i1", "p-7", "i1-2", "a_b"]
    assert check_case(case) == []


# Couples


def family(*lines):
    return "0 @F1@ FAM\n1 HUSB @I1@\n1 WIFE @I2@\n" + "\n".join(lines)


SPOUSES = ("0 @I1@ INDI\n1 SEX M", "0 @I2@ INDI\n1 SEX F")


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        ([], "cohabiting"),
        (["1 MARR"], "married"),
        (["1 MARR Y"], "married"),
        (["1 MARR\n2 DATE 1900", "1 DIV Y"], "divorced"),
        (["1 MARR", "1 DIV N"], "married"),
        (["1 ANUL"], "divorced"),
        (["1 MARR", "1 EVEN\n2 TYPE Separation"], "separated"),
        (["1 _SEPR"], "separated"),
        (["1 ENGA"], "cohabiting"),
    ],
)
def test_couple_status_follows_the_family_events(lines, status):
    case, _ = read(ged(*SPOUSES, family(*lines)))
    assert relations(case, "couple") == [{"kind": "couple", "a": "i1", "b": "i2", "status": status}]


def test_couple_ended_by_death_needs_a_deceased_partner():
    marked = family("1 MARR", "1 _MTW_STATUS ended_by_death")
    case, warnings = read(ged(*SPOUSES, marked))
    assert relations(case, "couple")[0]["status"] == "married"
    assert codes_of(warnings) == ["status_changed"]
    case, warnings = read(ged(SPOUSES[0], SPOUSES[1] + "\n1 DEAT Y", marked))
    assert relations(case, "couple")[0]["status"] == "ended_by_death" and warnings == []


def test_family_with_one_spouse_has_no_couple_but_parent_links():
    case, _ = read(ged("0 @I1@ INDI", "0 @I3@ INDI", "0 @F1@ FAM\n1 WIFE @I1@\n1 CHIL @I3@"))
    assert relations(case, "couple") == []
    assert relations(case, "parent") == [
        {"kind": "parent", "parent": "i1", "child": "i3", "type": "biological"}
    ]


def test_second_family_of_the_same_couple_is_kept_as_parents_only():
    second = "0 @F2@ FAM\n1 HUSB @I1@\n1 WIFE @I2@\n1 MARR\n1 CHIL @I3@"
    case, warnings = read(ged(*SPOUSES, "0 @I3@ INDI", family("1 DIV"), second))
    assert [c["status"] for c in relations(case, "couple")] == ["divorced"]
    assert len(relations(case, "parent")) == 2
    assert codes_of(warnings) == ["couple_dropped"] and "F2" in str(warnings[0])
    assert check_case(case) == []


def test_pointer_to_a_missing_individual_is_left_out_with_a_warning():
    case, warnings = read(ged(SPOUSES[0], family("1 CHIL @I9@")))
    assert case["relations"] == []
    assert codes_of(warnings) == ["missing_person", "missing_person"]


# Parent links


CHILD = "0 @I3@ INDI\n1 FAMC @F1@"


@pytest.mark.parametrize(
    ("child", "types"),
    [
        (CHILD, ["biological", "biological"]),
        (CHILD + "\n2 PEDI birth", ["biological", "biological"]),
        (CHILD + "\n2 PEDI adopted", ["adoptive", "adoptive"]),
        (CHILD + "\n2 PEDI Foster", ["foster", "foster"]),
        (CHILD + "\n2 PEDI guardian", ["foster", "foster"]),
        (CHILD + "\n2 PEDI step", ["step", "step"]),
        (CHILD + "\n1 ADOP\n2 FAMC @F1@", ["adoptive", "adoptive"]),
        (CHILD + "\n1 ADOP\n2 FAMC @F1@\n3 ADOP BOTH", ["adoptive", "adoptive"]),
        (CHILD + "\n1 ADOP\n2 FAMC @F1@\n3 ADOP HUSB", ["adoptive", "biological"]),
        (CHILD + "\n2 PEDI adopted\n1 ADOP\n2 FAMC @F1@\n3 ADOP WIFE", ["biological", "adoptive"]),
    ],
)
def test_parent_link_type_follows_pedigree_and_adoption(child, types):
    case, warnings = read(ged(*SPOUSES, child, family("1 CHIL @I3@")))
    links = relations(case, "parent")
    assert [(r["parent"], r["child"]) for r in links] == [("i1", "i3"), ("i2", "i3")]
    assert [r["type"] for r in links] == types
    assert warnings == [] and check_case(case) == []


def test_parent_links_with_an_unknown_pedigree_are_dropped():
    case, warnings = read(ged(*SPOUSES, CHILD + "\n2 PEDI sealing", family("1 CHIL @I3@")))
    assert relations(case, "parent") == []
    assert codes_of(warnings) == ["parent_dropped"] and "sealing" in str(warnings[0])


def test_parent_link_from_famc_alone_counts():
    case, _ = read(ged(*SPOUSES, CHILD, family()))
    assert len(relations(case, "parent")) == 2


def test_child_listed_twice_in_a_family_is_linked_once():
    case, warnings = read(ged(*SPOUSES, CHILD, family("1 CHIL @I3@", "1 CHIL @I3@")))
    assert len(relations(case, "parent")) == 2 and warnings == []


def test_same_parent_through_a_second_family_is_linked_once():
    other = "0 @F2@ FAM\n1 HUSB @I1@\n1 CHIL @I3@\n1 MARR"
    case, warnings = read(ged(*SPOUSES, CHILD, family("1 CHIL @I3@"), other))
    assert len(relations(case, "parent")) == 2
    assert codes_of(warnings) == ["parent_dropped"] and "linked to this parent" in str(warnings[0])


def test_third_biological_parent_is_dropped_and_the_first_family_kept():
    other = "0 @F2@ FAM\n1 HUSB @I4@\n1 CHIL @I3@"
    child = "0 @I3@ INDI\n1 FAMC @F1@\n1 FAMC @F2@"
    case, warnings = read(ged(*SPOUSES, child, "0 @I4@ INDI", family("1 CHIL @I3@"), other))
    assert {r["parent"] for r in relations(case, "parent")} == {"i1", "i2"}
    assert codes_of(warnings) == ["parent_dropped"]
    assert "I4" in str(warnings[0]) and "two biological parents" in str(warnings[0])
    assert check_case(case) == []


def test_second_family_as_adoptive_parents_is_kept():
    other = "0 @F2@ FAM\n1 HUSB @I4@\n1 WIFE @I5@\n1 CHIL @I3@"
    child = "0 @I3@ INDI\n1 FAMC @F1@\n1 FAMC @F2@\n2 PEDI adopted"
    case, warnings = read(
        ged(*SPOUSES, child, "0 @I4@ INDI", "0 @I5@ INDI", family("1 CHIL @I3@"), other)
    )
    types = {r["parent"]: r["type"] for r in relations(case, "parent")}
    assert types == {"i1": "biological", "i2": "biological", "i4": "adoptive", "i5": "adoptive"}
    assert warnings == [] and check_case(case) == []


def test_parenthood_cycle_is_broken_with_a_warning():
    records = [
        "0 @I1@ INDI",
        "0 @I2@ INDI",
        "0 @I3@ INDI",
        "0 @F1@ FAM\n1 HUSB @I1@\n1 CHIL @I2@",
        "0 @F2@ FAM\n1 HUSB @I2@\n1 CHIL @I3@",
        "0 @F3@ FAM\n1 HUSB @I3@\n1 CHIL @I1@",
    ]
    case, warnings = read(ged(*records))
    assert len(relations(case, "parent")) == 2
    assert codes_of(warnings) == ["parent_dropped"] and "own ancestor" in str(warnings[0])
    assert check_case(case) == []


def test_self_parent_is_dropped():
    case, warnings = read(ged("0 @I1@ INDI", "0 @F1@ FAM\n1 HUSB @I1@\n1 CHIL @I1@"))
    assert case["relations"] == [] and codes_of(warnings) == ["parent_dropped"]


def test_parent_not_older_than_child_loses_the_birth_year_not_the_link():
    father = "0 @I1@ INDI\n1 BIRT\n2 DATE 1990"
    mother = "0 @I2@ INDI\n1 BIRT\n2 DATE 1960"
    child = "0 @I3@ INDI\n1 BIRT\n2 DATE 1985\n1 FAMC @F1@"
    case, warnings = read(ged(father, mother, child, family("1 CHIL @I3@")))
    assert "birth_year" not in person(case, "i3")
    assert person(case, "i1")["birth_year"] == 1990 and person(case, "i2")["birth_year"] == 1960
    assert len(relations(case, "parent")) == 2
    assert codes_of(warnings) == ["birth_year_dropped"]
    assert "birth year 1985 of I3" in str(warnings[0]) and "I1" in str(warnings[0])
    assert check_case(case) == []


def test_parent_in_conflict_with_several_children_loses_their_own_year():
    father = "0 @I1@ INDI\n1 BIRT\n2 DATE 1990"
    kids = [f"0 @I{i}@ INDI\n1 BIRT\n2 DATE 198{i}" for i in (3, 4, 5)]
    fam = "0 @F1@ FAM\n1 HUSB @I1@\n1 CHIL @I3@\n1 CHIL @I4@\n1 CHIL @I5@"
    case, warnings = read(ged(father, *kids, fam))
    assert "birth_year" not in person(case, "i1")
    assert [person(case, f"i{i}")["birth_year"] for i in (3, 4, 5)] == [1983, 1984, 1985]
    assert codes_of(warnings) == ["birth_year_dropped"]


# The index person


def three_generations():
    return ged(
        "0 @I1@ INDI\n1 BIRT\n2 DATE 1950",
        "0 @I2@ INDI\n1 BIRT\n2 DATE 1975\n1 FAMC @F1@",
        "0 @I3@ INDI\n1 BIRT\n2 DATE 2010\n1 FAMC @F2@",
        "0 @I4@ INDI\n1 BIRT\n2 DATE 2012\n1 FAMC @F2@\n1 DEAT",
        "0 @I5@ INDI\n1 BIRT\n2 DATE 2015",
        "0 @F1@ FAM\n1 HUSB @I1@\n1 CHIL @I2@",
        "0 @F2@ FAM\n1 WIFE @I2@\n1 CHIL @I3@\n1 CHIL @I4@",
    )


def index_of(case):
    return [p["id"] for p in case["persons"] if p.get("index")]


def test_index_is_the_youngest_living_person_with_parents():
    case, _ = read(three_generations())
    assert index_of(case) == ["i3"]  # i4 is younger but deceased, i5 has no parents


@pytest.mark.parametrize("given", ["I2", "@I2@", "i2", " I2 "])
def test_index_option_picks_the_person(given):
    case, _ = read(three_generations(), index=given)
    assert index_of(case) == ["i2"]


def test_index_option_naming_nobody_is_an_error():
    with pytest.raises(GedcomError, match="no individual 'I99'"):
        read(three_generations(), index="I99")


def test_index_without_birth_years_is_the_first_living_child():
    data = ged("0 @I1@ INDI", "0 @I2@ INDI", "0 @I3@ INDI", "0 @F1@ FAM\n1 HUSB @I1@\n1 CHIL @I3@")
    assert index_of(read(data)[0]) == ["i3"]


def test_index_without_any_child_is_the_first_individual():
    assert index_of(read(ged("0 @I7@ INDI", "0 @I8@ INDI"))[0]) == ["i7"]


# Encodings


def test_encoding_ansel_accents_are_read():
    # ANSEL puts the combining acute (0xE2) before its letter.
    case, warnings = read(b"0 HEAD\n1 CHAR ANSEL\n0 @I1@ INDI\n1 NAME Ren\xe2e /X/\n0 TRLR\n")
    assert case["persons"][0]["name"] == "René" and warnings == []


def test_encoding_ansi_is_read_as_cp1252_with_a_warning():
    data = "0 HEAD\n1 CHAR ANSI\n0 @I1@ INDI\n1 NAME Zoë /X/\n0 TRLR\n".encode("cp1252")
    case, warnings = read(data)
    assert case["persons"][0]["name"] == "Zoë"
    assert codes_of(warnings) == ["encoding"] and "cp1252" in str(warnings[0])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_encoding_with_a_byte_order_mark_is_read(encoding):
    text = "0 HEAD\n1 CHAR UTF-8\n0 @I1@ INDI\n1 NAME Zoë /X/\n0 TRLR\n"
    if encoding == "utf-16":
        text = text.replace("UTF-8", "UNICODE")
    case, _ = read(text.encode(encoding))
    assert case["persons"][0]["name"] == "Zoë"


def test_encoding_royal92_declares_ansel_and_reads_as_ascii():
    assert b"1 CHAR ANSEL" in (SAMPLES / "royal92.ged").read_bytes()[:200]
    case, warnings = imported("royal92")
    assert person(case, "i1")["name"] == "Victoria"
    assert "encoding" not in codes_of(warnings)


def test_blank_lines_line_endings_and_a_dos_end_mark_are_read():
    data = b"\r\n0 HEAD\r\n1 CHAR ASCII\r\n\r\n0 @I1@ INDI\r1 NAME Ann /X/\n  \n0 TRLR\r\n\x1a"
    case, _ = read(data)
    assert case["persons"][0]["name"] == "Ann"


# Broken files


BROKEN = {
    "empty": b"",
    "blank": b"\n\n  \n",
    "bom only": b"\xef\xbb\xbf",
    "binary garbage": bytes(range(256)) * 8,
    "zip": b"PK\x03\x04" + bytes(200),
    "not gedcom": b"name,year\nAnna,1990\n",
    "bad line": b"0 HEAD\n1 CHAR UTF-8\n0 @I1@ INDI\nthis is not gedcom\n0 TRLR\n",
    "bad nesting": b"0 HEAD\n1 CHAR UTF-8\n0 @I1@ INDI\n3 NAME Anna\n0 TRLR\n",
    "bad utf-8": b"0 HEAD\n1 CHAR UTF-8\n0 @I1@ INDI\n1 NAME Zo\xeb /X/\n0 TRLR\n",
    "unknown charset": b"0 HEAD\n1 CHAR KLINGON\n0 @I1@ INDI\n0 TRLR\n",
    "no individuals": b"0 HEAD\n1 CHAR UTF-8\n0 TRLR\n",
    "header only": b"0 HEAD\n1 CHAR UTF-8\n",
}


def truncated_sample():
    data = (SAMPLES / "shakespeare.ged").read_bytes()
    return data[: len(data) // 2]


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_file_gives_a_clear_error(name):
    with pytest.raises(GedcomError) as raised:
        read(BROKEN[name])
    assert str(raised.value) and raised.value.dutch


def test_truncated_file_gives_a_clear_error():
    with pytest.raises(GedcomError, match="incomplete.*0 TRLR"):
        read(truncated_sample())


def test_missing_file_gives_a_clear_error(tmp_path):
    with pytest.raises(GedcomError, match="cannot read the file"):
        read_gedcom(tmp_path / "nope.ged", code="x1", title="X")


def test_read_takes_a_path_string_or_a_binary_file():
    path = SAMPLES / "shakespeare.ged"
    from_path = read_gedcom(str(path), code="s1", title="S")
    with path.open("rb") as file:
        from_file = read_gedcom(file, code="s1", title="S")
    assert from_path == from_file


# Export and the round trip


def summary(case):
    """What a GEDCOM round trip keeps, comparable."""
    people = [
        (
            p["id"],
            p.get("name"),
            p.get("sex") or "unknown",
            p.get("birth_year"),
            bool(p.get("deceased")),
            bool(p.get("index")),
        )
        for p in case["persons"]
    ]
    couples = {(frozenset((r["a"], r["b"])), r["status"]) for r in relations(case, "couple")}
    links = {
        (r["parent"], r["child"], r.get("type") or "biological") for r in relations(case, "parent")
    }
    return people, couples, links


def round_trip(case):
    text = write_gedcom(case)
    return read(text.encode("utf-8"), code=case["code"], title=case["title"], goal=case["goal"])


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.stem)
def test_round_trip_keeps_every_demo_family(path):
    case = canonical_case(json.loads(path.read_text(encoding="utf-8")))
    back, warnings = round_trip(case)
    assert check_case(back) == []
    assert summary(back) == summary(case)
    assert set(codes_of(warnings)) <= {"not_imported"}


def test_round_trip_covers_every_status_and_type():
    statuses = {
        s for path in DEMO_FILES for s in re.findall(r'"status": "(\w+)"', path.read_text())
    }
    types = {t for path in DEMO_FILES for t in re.findall(r'"type": "(\w+)"', path.read_text())}
    assert statuses >= {"married", "cohabiting", "separated", "divorced", "ended_by_death"}
    assert types == {"biological", "adoptive", "foster", "step"}


def test_round_trip_of_parents_who_are_no_couple_and_of_odd_values():
    people = [
        {"id": "kind", "name": "Kim", "sex": "other", "birth_year": 2010, "index": True},
        {"id": "Moeder.1", "name": "An/na @ home", "sex": "female", "birth_year": 1980},
        {"id": "vader", "name": None, "birth_year": 950},
        {"id": "x1", "name": "Pleeg", "sex": "male"},
        {"id": "pleeg-2", "name": "Pleeg", "sex": "male"},
    ]
    case = canonical_case(
        {
            "format": "case/1",
            "code": "rond",
            "title": "Rond",
            "goal": "return_home",
            "persons": people,
            "relations": [
                {"kind": "parent", "parent": "Moeder.1", "child": "kind"},
                {"kind": "parent", "parent": "vader", "child": "kind"},
                {"kind": "parent", "parent": "x1", "child": "kind", "type": "foster"},
                {"kind": "parent", "parent": "pleeg-2", "child": "kind", "type": "foster"},
                {"kind": "couple", "a": "x1", "b": "pleeg-2", "status": "cohabiting"},
            ],
        }
    )
    text = write_gedcom(case)
    assert "@X1@" in text and "@X2@" in text and "@X3@" in text  # x1 keeps its own id
    back, _ = read(text.encode("utf-8"))
    by_position = {a["id"]: b["id"] for a, b in zip(case["persons"], back["persons"], strict=True)}
    assert by_position == {"kind": "kind", "Moeder.1": "x2", "vader": "vader", "x1": "x1",
                           "pleeg-2": "x3"}  # fmt: skip
    assert person(back, "x2")["name"] == "An/na @ home"
    assert person(back, "kind")["sex"] == "other"
    assert person(back, "vader").get("name") is None
    renamed = {
        (by_position[r["parent"]], by_position[r["child"]], r["type"])
        for r in relations(case, "parent")
    }
    assert {(r["parent"], r["child"], r["type"]) for r in relations(back, "parent")} == renamed
    assert [(r["a"], r["b"], r["status"]) for r in relations(back, "couple")] == [
        ("x1", "x3", "cohabiting")
    ]


def test_export_xrefs_of_persons_never_clash_with_families_or_the_submitter():
    ids = ["f1", "u1", "x1", "f", "p1"]
    case = canonical_case(
        {
            "format": "case/1",
            "code": "botsing",
            "title": "Botsing",
            "goal": "return_home",
            "persons": [{"id": pid, "index": pid == "p1"} for pid in ids],
            "relations": [{"kind": "couple", "a": "f1", "b": "u1", "status": "married"}],
        }
    )
    text = write_gedcom(case)
    xrefs = re.findall(r"(?m)^0 (@\w+@)", text)
    assert len(xrefs) == len(set(xrefs)) == len(ids) + 2  # persons, one FAM, the SUBM
    back, _ = read(text.encode("utf-8"))
    assert [p["id"] for p in back["persons"]] == ["x2", "x3", "x1", "f", "p1"]
    assert relations(back, "couple") == [
        {"kind": "couple", "a": "x2", "b": "x3", "status": "married"}
    ]


def test_export_is_gedcom_551():
    case = canonical_case(json.loads(DEMO_FILES[0].read_text(encoding="utf-8")))
    text = write_gedcom(case)
    lines = text.splitlines()
    assert lines[:2] == ["0 HEAD", "1 SOUR Maatwerktafel"]
    for line in ("1 GEDC", "2 VERS 5.5.1", "2 FORM LINEAGE-LINKED", "1 CHAR UTF-8"):
        assert line in lines[:10]
    assert lines[-1] == "0 TRLR" and text.endswith("\n")
    assert all(re.fullmatch(r"\d (@\w+@ )?\w+( .*)?", line) for line in lines)
    assert all(len(line) <= 255 for line in lines)


def test_export_writes_the_documented_lines():
    case = canonical_case(
        {
            "format": "case/1",
            "code": "lijnen",
            "title": "Lijnen",
            "goal": "return_home",
            "persons": [
                {"id": "p1", "name": "Sanne", "sex": "female", "birth_year": 2008, "index": True},
                {"id": "p2", "name": "Henk", "sex": "male", "birth_year": 1975},
                {"id": "p3", "name": "Ria", "sex": "female", "deceased": True},
            ],
            "relations": [
                {"kind": "couple", "a": "p3", "b": "p2", "status": "divorced"},
                {"kind": "parent", "parent": "p2", "child": "p1", "type": "adoptive"},
                {"kind": "parent", "parent": "p3", "child": "p1", "type": "adoptive"},
            ],
        }
    )
    text = write_gedcom(case)
    for block in (
        "0 @P1@ INDI\n1 NAME Sanne //\n2 GIVN Sanne\n1 SEX F\n1 BIRT\n2 DATE 2008\n",
        "1 FAMC @F1@\n2 PEDI adopted\n",
        "1 ADOP\n2 FAMC @F1@\n3 ADOP BOTH\n",
        "0 @P3@ INDI\n1 NAME Ria //\n2 GIVN Ria\n1 SEX F\n1 DEAT Y\n",
        "0 @F1@ FAM\n1 HUSB @P2@\n1 WIFE @P3@\n1 MARR Y\n1 DIV Y\n1 CHIL @P1@\n",
    ):
        assert block in text


# The command line


def db_dump(app):
    with app.app_context():
        return "\n".join(get_db().conn.iterdump())


def load(app, code):
    with app.app_context():
        return store.load_case(get_db(), code)


def test_cli_import_stores_the_case_and_reports(app, runner):
    result = runner.invoke(
        args=["genogram", "import-gedcom", str(SAMPLES / "kennedy.ged"), "--code", "kennedy",
              "--title", "De Familie K", "--goal", "return_home"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "imported kennedy: 208 persons, 71 couples, 254 parent links" in result.output
    assert "warning: birth year 1858 of I83" in result.output
    case = load(app, "kennedy")
    assert len(case["persons"]) == 208 and case["title"] == "De Familie K"
    assert case["goal"] == "return_home" and case["status"] == "active"


def test_cli_import_royal92_stores_all_persons(app, runner):
    args = ["genogram", "import-gedcom", str(SAMPLES / "royal92.ged")]
    result = runner.invoke(args=[*args, "--code", "royals", "--title", "De Royals"])
    assert result.exit_code == 0, result.output
    case = load(app, "royals")
    assert len(case["persons"]) == 3010
    assert summary(case) == summary(imported("royal92")[0])
    assert case["goal"] == "family_strengthening"


def test_cli_import_index_option(app, runner):
    args = ["genogram", "import-gedcom", str(SAMPLES / "shakespeare.ged"), "--code", "bard"]
    result = runner.invoke(args=[*args, "--title", "Bard", "--index", "I0003"])
    assert result.exit_code == 0, result.output
    assert "index person i0003" in result.output
    assert index_of(load(app, "bard")) == ["i0003"]


@pytest.mark.parametrize("name", [*BROKEN, "truncated"])
def test_cli_import_broken_file_stores_nothing(app, runner, tmp_path, name):
    path = tmp_path / "broken.ged"
    path.write_bytes(truncated_sample() if name == "truncated" else BROKEN[name])
    before = db_dump(app)
    result = runner.invoke(
        args=["genogram", "import-gedcom", str(path), "--code", "kapot", "--title", "Kapot"]
    )
    assert result.exit_code != 0
    assert "refused, nothing was stored" in result.output
    assert "Traceback" not in result.output
    assert db_dump(app) == before


def test_cli_import_unknown_index_stores_nothing(app, runner):
    before = db_dump(app)
    args = ["genogram", "import-gedcom", str(SAMPLES / "shakespeare.ged"), "--code", "bard"]
    result = runner.invoke(args=[*args, "--title", "Bard", "--index", "I9999"])
    assert result.exit_code != 0 and "no individual 'I9999'" in result.output
    assert db_dump(app) == before


def test_cli_import_code_clash_stores_nothing_and_replace_overwrites(app, runner):
    args = ["genogram", "import-gedcom", str(SAMPLES / "shakespeare.ged"), "--code", "test-gezin"]
    before = db_dump(app)
    result = runner.invoke(args=[*args, "--title", "Bard"])
    assert result.exit_code != 0
    assert "already exists: test-gezin" in result.output and "--replace" in result.output
    assert db_dump(app) == before
    result = runner.invoke(args=[*args, "--title", "Bard", "--replace"])
    assert result.exit_code == 0, result.output
    assert len(load(app, "test-gezin")["persons"]) == 31


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (["--code", "Geen Code", "--title", "X"], "code: 'Geen Code' does not match"),
        (["--code", "leeg", "--title", "  "], "title: must not be empty"),
    ],
)
def test_cli_import_contract_problem_stores_nothing(app, runner, options, problem):
    before = db_dump(app)
    args = ["genogram", "import-gedcom", str(SAMPLES / "shakespeare.ged"), *options]
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert problem in result.output and "nothing was stored" in result.output
    assert db_dump(app) == before


def test_cli_import_unknown_goal_is_refused(runner):
    args = ["genogram", "import-gedcom", str(SAMPLES / "shakespeare.ged"), "--code", "bard"]
    result = runner.invoke(args=[*args, "--title", "Bard", "--goal", "weg"])
    assert result.exit_code != 0 and "'weg' is not one of" in result.output


def test_cli_export_prints_gedcom_that_imports_back(app, runner, tmp_path):
    result = runner.invoke(args=["genogram", "export-gedcom", "test-gezin"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("0 HEAD\n") and result.stdout.endswith("0 TRLR\n")
    assert "note: GEDCOM has no place for these" in result.stderr
    path = tmp_path / "export.ged"
    path.write_text(result.stdout, encoding="utf-8")
    args = ["genogram", "import-gedcom", str(path), "--code", "terug", "--title", "Terug"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert summary(load(app, "terug")) == summary(load(app, "test-gezin"))


def test_cli_export_unknown_code_is_an_error(runner):
    result = runner.invoke(args=["genogram", "export-gedcom", "bestaat-niet"])
    assert result.exit_code != 0 and "no case with code 'bestaat-niet'" in result.output


def test_cli_genogram_group_lists_its_commands(runner):
    result = runner.invoke(args=["genogram", "--help"])
    assert result.exit_code == 0
    assert "import-gedcom" in result.output and "export-gedcom" in result.output
