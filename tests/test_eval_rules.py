"""The expert cases and the ``make eval-rules`` harness (bench/eval_rules.py)."""

import importlib.util
import io
import json
import pathlib

import pytest

from bench import eval_rules
from cases.validation import validate_case

EXPERT = pathlib.Path(__file__).parent / "data" / "expert"
SCORE_PY = eval_rules.PUBLIC_SET / "score.py"


def _case():
    """A father with debts and no network at all; a boy with school trouble."""
    return {
        "format": "case/1",
        "code": "mwt-eval-een",
        "title": "Een Geval",
        "goal": "return_home",
        "narrative": "Vader heeft schulden.",
        "child_perspective": "Ik wil naar huis.",
        "persons": [
            {
                "id": "p1",
                "name": "Bo",
                "sex": "male",
                "birth_year": 2014,
                "index": True,
                "residence": "home",
            },
            {
                "id": "p2",
                "name": "Karel",
                "sex": "male",
                "birth_year": 1980,
                "problems": ["debts"],
                "residence": "home",
                "in_team": True,
            },
        ],  # fmt: skip
        "relations": [{"kind": "parent", "parent": "p2", "child": "p1", "type": "biological"}],
    }


# Hand-checked: debts without debt counselling must raise that partner by the rule of the
# first rule set (2 hits); no rule has the prefix "nonexistent-" (concept missed); the
# `never` entry names a rule that must fire here (1 false alarm). Whatever the rule set
# becomes, these stay true.
EXPECTED = {
    "mwt-eval-een": {
        "partners": ["debt_counselling"],
        "rules": ["missing-debt-counselling"],
        "concepts": [{"what": "x", "persons_any": ["p1"], "rule_prefix": "nonexistent-"}],
        "never": [{"rule": "missing-debt-counselling", "persons_any": ["p2"]}],
        "useful": ["lib-a06"],
    }
}


def test_eval_rules_one_case_scores_as_hand_checked(tmp_path):
    (tmp_path / "expected.json").write_text(json.dumps(EXPECTED))
    (tmp_path / "een.json").write_text(json.dumps(_case()))
    out = io.StringIO()
    results = eval_rules.evaluate([("een", tmp_path)], finder=False, out=out)
    rows, totals = results["een"]
    row = rows["mwt-eval-een"]
    assert (row["hit"], row["must"]) == (2, 3)
    assert row["partners"] == (1, 1) and row["rules"] == (1, 1) and row["concepts"] == (0, 1)
    assert [a["rule"] for a in row["false_alarms"]] == ["missing-debt-counselling"]
    assert row["false_alarms"][0]["persons"] == ["p2"]
    assert totals == {"recall": 2 / 3, "hit": 2, "must": 3, "false_alarms": 1}
    text = out.getvalue()
    assert "FALSE   mwt-eval-een: missing-debt-counselling ['p2']" in text
    assert "MISS    mwt-eval-een: concept (nonexistent-*) persons ['p1']" in text
    assert "recall 0.67 (2/3), false alarms 1" in text


def test_eval_rules_main_exits_zero_on_a_missing_set(tmp_path, capsys):
    assert eval_rules.main(["--no-finder", "--set", str(tmp_path / "absent")]) == 0
    assert "not present" in capsys.readouterr().out


def test_eval_rules_concepts_match_one_to_one():
    flags = [{"rule": "new-rule", "persons": ["p1", "p2"]}, {"rule": "parent-without-support",
             "persons": ["p1"]}]  # fmt: skip
    concepts = [{"what": "a", "persons_any": ["p1"]}, {"what": "b", "persons_any": ["p2"]}]
    hits, missed = eval_rules.match_concepts(concepts, flags)
    assert hits == 1 and len(missed) == 1  # one signal meets one concept; catalogued never


@pytest.mark.skipif(not SCORE_PY.is_file(), reason="public expert set not present")
def test_eval_rules_scores_like_the_public_score_py():
    spec = importlib.util.spec_from_file_location("expert_score", SCORE_PY)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    assert score.CATALOGUED == eval_rules.CATALOGUED
    expected = json.loads((EXPERT / "expected.json").read_text())
    flags = [
        {"rule": "new-kinship", "partner": None, "persons": ["p4", "p1"]},
        {"rule": "missing-addiction-care", "partner": "addiction_care", "persons": ["p2"]},
        {"rule": "no-informal-network", "partner": None, "persons": []},
        {"rule": "parent-without-support", "partner": None, "persons": ["p3", "p4"]},
    ]
    similar = [{"code": "bibliotheek-23"}, {"code": "bibliotheek-8"}, {"code": "bibliotheek-1"}]
    top3 = [score.library_code(s["code"]) for s in similar]
    for exp in expected.values():
        theirs = score.score_case(exp, flags, similar)
        ours = eval_rules.score_case(exp, flags, top3)
        assert (ours["hit"], ours["must"]) == (theirs["hit"], theirs["must"])
        assert [f"{a}/{b}" for a, b in (ours["partners"], ours["rules"], ours["concepts"])] == [
            theirs["partners"], theirs["rules"], theirs["concepts"]]  # fmt: skip
        assert len(ours["false_alarms"]) == len(theirs["false_alarms"])
        assert ours["useful@3"] == theirs["useful@3"]


def test_expert_cases_are_valid_and_expected():
    expected = json.loads((EXPERT / "expected.json").read_text())
    files = sorted(p for p in EXPERT.glob("*.json") if p.name != "expected.json")
    assert len(files) >= 12
    codes = set()
    for path in files:
        doc = json.loads(path.read_text())
        assert doc["code"].startswith("mwt-expert-") and path.stem == doc["code"]
        # Valid as it is, or (on a build without the fields of 2026-12) without them.
        accepted, _note = eval_rules.accepted(doc)
        assert validate_case(accepted) == []
        codes.add(doc["code"])
        for person in doc["persons"]:
            assert set(person) - {"in_team", "household"} <= {
                "id", "name", "sex", "birth_year", "deceased", "index", "problems",
                "interests", "strengths", "residence", "placements"}  # fmt: skip
        ids = {p["id"] for p in doc["persons"]}
        for relation in doc.get("relations", []):
            if "by" in relation:
                assert relation["quality"] in ("abuse", "conflict")
                assert relation["by"] in (relation["a"], relation["b"])
        exp = expected[doc["code"]]
        for concept in exp["concepts"]:
            assert set(concept["persons_any"]) <= ids
        for never in exp["never"]:
            assert set(never.get("persons_any") or []) <= ids
        assert 2 <= len(exp["useful"]) <= 6
        assert all((eval_rules.LIBRARY / f"{code}.json").is_file() for code in exp["useful"])
    assert codes == set(expected)
