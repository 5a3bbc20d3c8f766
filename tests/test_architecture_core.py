"""The house's floor plan: ``core`` at the bottom importing no domain, ``create_app`` a
short list. Checked on the source with ``ast`` (an import inside a function counts)."""

import ast
import inspect
import pathlib

import app
import domains

ROOT = pathlib.Path(__file__).resolve().parents[1]


def imported_packages(path):
    """The top-level package of every import in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_core_imports_no_domain():
    domain_packages = {*domains.DOMAINS, "domains", "app"}
    offenders = {
        path.relative_to(ROOT).as_posix(): sorted(imported_packages(path) & domain_packages)
        for path in sorted((ROOT / "core").glob("*.py"))
        if imported_packages(path) & domain_packages
    }
    assert offenders == {}


def test_every_domain_plugs_itself_in():
    for name in domains.DOMAINS:
        package = __import__(name)
        assert callable(getattr(package, "init_app", None)), name


def test_create_app_is_a_short_list():
    lines = inspect.getsource(app.create_app).splitlines()
    assert len(lines) < 40
