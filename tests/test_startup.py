"""Starting the app: the heavy libraries load on first use, not in create_app(), and the
rule files are still checked before a new or changed folder is used."""

import json
import pathlib
import shutil
import subprocess
import sys

import pytest

from app import ROOT, create_app
from rules import web as rules_web
from rules.loader import RULES_DIR, RuleFileError

# What create_app() must not import: each costs 0.1-1 s of every start.
HEAVY = ("sklearn", "scipy", "weasyprint", "deduce", "rule_engine", "networkx")

STARTED = """
import json, sys
import app
app.create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": sys.argv[1]})
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in sys.argv[2:])))
"""


def started_modules(tmp_path):
    """The heavy modules present after ``create_app()`` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", STARTED, str(tmp_path / "app.db"), *HEAVY],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_create_app_imports_no_heavy_library(tmp_path):
    # The first start of a new checkout checks the rule files (and imports the rule
    # engine for it); from then on the check is known to have passed.
    started_modules(tmp_path)
    assert started_modules(tmp_path) == []


def app_with_rules(tmp_path, folder):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE": str(tmp_path / "app.db"),
            "RULES_DIR": str(folder),
        }
    )


def test_rules_that_passed_are_compiled_on_first_use(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder, ignore=shutil.ignore_patterns("*.py", "data"))
    app_with_rules(tmp_path, folder)
    app = app_with_rules(tmp_path, folder)
    assert app.extensions[rules_web.EXTENSION]["ruleset"] is None
    with app.app_context():
        ruleset = rules_web.get_ruleset()
    assert ruleset.get("no-informal-network") is not None


def test_a_changed_rule_folder_is_checked_again_at_start(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder, ignore=shutil.ignore_patterns("*.py", "data"))
    app_with_rules(tmp_path, folder)
    network = folder / "network.yaml"
    network.write_text(
        network.read_text().replace("informal_network_size", "informal_netwrk_size", 1)
    )
    with pytest.raises(RuleFileError, match="unknown fact 'informal_netwrk_size'"):
        app_with_rules(tmp_path, folder)


def test_the_checked_folders_are_kept_in_the_instance_folder(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder, ignore=shutil.ignore_patterns("*.py", "data"))
    app = app_with_rules(tmp_path, folder)
    kept = pathlib.Path(app.instance_path, rules_web.CHECKED_FILE).read_text().split()
    assert rules_web.folder_digest(folder) in kept
    assert len(kept) <= rules_web.KEPT_DIGESTS
