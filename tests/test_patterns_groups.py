"""Groups of similar families (k-means on the finder's blocks), described in Dutch."""

import pathlib

from cases.validation import canonical_case
from patterns import groups as g
from patterns.records import family_record
from rules.loader import load_rules
from tests.factories import make_case

ROOT = pathlib.Path(__file__).resolve().parents[1]


def features(problems, partners=(), goal="return_home", placements=0):
    return {
        "problems": list(problems),
        "residence": [],
        "goal": [f"doel:{goal}"],
        "family": [],
        "partners": list(partners),
        "numeric": {"placements": placements, "secure": 0, "informal": 0, "age": None},
        "text": ["naam"],  # free text never enters the vectors
    }


ADDICTION = features(["ouder:addiction", "ouder:debts"], ["ontbreekt:addiction_care"])
HORSES = features(["kind:trauma", "kind:running_away"], goal="family_strengthening", placements=6)


def records(kinds):
    return [{"id": i, "title": f"Gezin {i}", "features": f} for i, f in enumerate(kinds)]


def test_group_count_grows_slowly_and_stays_small():
    assert [g.group_count(n) for n in (0, 1, 2, 10, 1000, 100_000)] == [0, 1, 1, 2, 6, 6]


def test_two_kinds_of_families_fall_into_two_groups_described_by_what_they_share():
    cohort = records([ADDICTION, HORSES, ADDICTION, HORSES, ADDICTION, HORSES])
    found = g.groups(cohort, k=2)
    assert sorted(sorted(group["families"]) for group in found) == [[0, 2, 4], [1, 3, 5]]
    by_first = {group["families"][0]: group for group in found}
    addiction = by_first[0]["description"]
    assert addiction.startswith("3 gezinnen; gedeeld:")
    assert "ouder: verslaving" in addiction and "ontbreekt: verslavingszorg" in addiction
    horses = by_first[1]["description"]
    assert "kind: trauma" in horses and "doel: familieversterking" in horses
    assert "naam" not in addiction + horses


def test_clustering_is_deterministic():
    cohort = records([ADDICTION, HORSES, features(["ouder:debts"]), ADDICTION, HORSES] * 4)
    assert g.groups(cohort) == g.groups(cohort)
    sizes = [group["size"] for group in g.groups(cohort)]
    assert sizes == sorted(sizes, reverse=True)  # numbered largest first


def test_small_cohorts():
    assert g.groups([]) == []
    one = g.groups(records([ADDICTION]))
    assert one[0]["size"] == 1 and one[0]["description"].startswith("1 gezin;")


def test_a_token_below_the_shared_share_is_not_in_the_description():
    cohort = records(
        [features(["ouder:addiction"]), features(["ouder:debts"]), features(["ouder:psychiatric"])]
    )
    found = g.groups(cohort, k=1)
    assert "ouder:" not in found[0]["description"].replace("ouder: ", "")
    assert all(s["share"] >= g.SHARED for s in found[0]["shared"])


def test_token_labels_are_dutch():
    assert g.token_label("problems|ouder:psychiatric") == "ouder: psychiatrische problematiek"
    assert g.token_label("residence|nu:kinship") == "kind woont nu: netwerkpleeggezin"
    assert g.token_label("partners|team:municipality") == "in het team: gemeente of wijkteam"
    assert g.token_label("partners|signaal:x", {"x": "Titel"}) == "signaal: Titel"
    assert g.token_label("family|alleenstaande_ouder") == "één ouder"


def test_records_from_real_cases_use_the_finder_features():
    ruleset = load_rules(ROOT / "rules")
    case = canonical_case(make_case())
    rec = family_record(case, ruleset, family_id=7)
    assert rec["id"] == 7 and rec["features"]["goal"] == ["doel:return_home"]
    assert "kind:trauma" in rec["features"]["problems"]
    assert all(s["rule"] for s in rec["signals"])
