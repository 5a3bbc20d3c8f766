"""``flask --app app rules check`` and ``flask --app app cases flags CODE [--json]``."""

import json

from rules.loader import RULES_DIR, load_rules

MINIMUM_KEYS = {"rule", "severity", "title", "partner", "persons", "explanation"}


def test_rules_check_passes_with_the_summary_line(runner):
    ruleset = load_rules()
    examples = sum(len(rule.examples) for rule in ruleset.rules)
    files = len(list(RULES_DIR.glob("*.yaml")))
    result = runner.invoke(args=["rules", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"{len(ruleset.rules)} rules in {files} files: valid; {examples} examples: all as expected"
    )


def test_rules_check_of_another_good_folder(runner, tmp_path):
    (tmp_path / "een.yaml").write_text(
        (RULES_DIR / "placements.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = runner.invoke(args=["rules", "check", "--folder", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "6 rules in 1 files: valid; 14 examples: all as expected" in result.output


def test_rules_check_of_a_bad_folder_exits_1_naming_the_problem(runner, tmp_path):
    text = (RULES_DIR / "network.yaml").read_text(encoding="utf-8")
    (tmp_path / "network.yaml").write_text(
        text.replace("informal_network_size == 0", "informal_netwrk_size == 0"), encoding="utf-8"
    )
    result = runner.invoke(args=["rules", "check", "--folder", str(tmp_path)])
    assert result.exit_code == 1
    assert "network.yaml: rule no-informal-network:" in result.output
    assert "unknown fact 'informal_netwrk_size'" in result.output
    assert "did you mean 'informal_network_size'?" in result.output


def test_rules_check_of_an_empty_folder_exits_1(runner, tmp_path):
    result = runner.invoke(args=["rules", "check", "--folder", str(tmp_path)])
    assert result.exit_code == 1
    assert "holds no rule files" in result.output


def test_cases_flags_json_prints_the_signals(runner):
    result = runner.invoke(args=["cases", "flags", "test-gezin", "--json"])
    assert result.exit_code == 0, result.output
    signals = json.loads(result.output)
    assert isinstance(signals, list) and signals
    for signal in signals:
        assert set(signal) >= MINIMUM_KEYS
        assert signal["severity"] in {"critical", "warning", "info"}
        assert signal["partner"] is None or isinstance(signal["partner"], str)
        assert isinstance(signal["persons"], list)
        assert signal["status"] == "open"
    by_rule = {signal["rule"]: signal for signal in signals}
    adult = by_rule["missing-adult-mental-health"]
    assert adult["partner"] == "adult_mental_health"
    assert adult["persons"] == ["p2"]
    assert adult["explanation"].startswith("Vader heeft psychische problemen")
    assert all(isinstance(signal["fingerprint"], str) for signal in signals)


def test_cases_flags_plain_text(runner):
    result = runner.invoke(args=["cases", "flags", "test-gezin"])
    assert result.exit_code == 0, result.output
    assert "warning  missing-adult-mental-health: Vader heeft psychische" in result.output


def test_cases_flags_unknown_code_exits_1(runner):
    result = runner.invoke(args=["cases", "flags", "geen-gezin", "--json"])
    assert result.exit_code == 1
    assert "no family with code 'geen-gezin'" in result.output
