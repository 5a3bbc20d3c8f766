"""The rule set of the running app: checked when the app starts, compiled on first use.

Compiling the rules imports the rule engine, which builds its parser on import (about
0.4 s), and checks every condition and example (about 0.1 s more). A rule folder whose
content, together with the code that checks it, passed that check before is not checked
again at start: the digests of the folders that passed are kept in the instance folder
(``rules-checked``), and such a folder is compiled when the app first needs its rules. A
new or changed folder is checked at start as before, so a bad rule file still stops the
app (``RuleFileError`` from ``create_app``).
"""

import functools
import hashlib
import importlib.util
import os
import pathlib
import threading

import flask

from core import gate

EXTENSION = "maatwerktafel_rules"
CHECKED_FILE = "rules-checked"
KEPT_DIGESTS = 20
# The code that decides whether a rule file is good; a change in it checks again.
_CHECKING_CODE = ("rules/loader.py", "rules/facts.py", "rules/engine.py", "cases/codes.py")
_ROOT = pathlib.Path(__file__).resolve().parent.parent
_compile_lock = threading.Lock()


def init_app(app):
    """Check the rule files unless this folder passed before; a bad file raises
    RuleFileError and the app does not start."""
    folder = app.config["RULES_DIR"]
    digest = folder_digest(folder)
    checked_file = pathlib.Path(app.instance_path) / CHECKED_FILE
    app.extensions[EXTENSION] = {"folder": folder, "digest": digest, "ruleset": None}
    if digest not in _read_lines(checked_file):
        app.extensions[EXTENSION]["ruleset"] = _compiled(folder, digest)
        _remember(checked_file, digest)


def get_ruleset():
    """The app's RuleSet, compiled on the first call (the rule engine is imported then)."""
    state = flask.current_app.extensions[EXTENSION]
    if state["ruleset"] is None:
        with gate.waiting_for(_compile_lock):
            if state["ruleset"] is None:
                state["ruleset"] = _compiled(state["folder"], state["digest"])
    return state["ruleset"]


def folder_digest(folder):
    """A digest of the rule files and of the code that checks them (and the rule
    engine's own package file, which names its version)."""
    digest = hashlib.sha256()
    engine = importlib.util.find_spec("rule_engine").origin
    code = [_ROOT / name for name in _CHECKING_CODE] + [pathlib.Path(engine)]
    for path in [*code, *sorted(pathlib.Path(folder).glob("*.yaml"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def _compiled(folder, digest):
    """The folder's RuleSet; one per content in a process (a RuleSet never changes)."""
    from rules.loader import load_rules

    return load_rules(folder)


def _remember(checked_file, digest):
    """Keep ``digest`` among the folders that passed; a read-only instance folder only
    means the rules are checked at every start, as before."""
    kept = [line for line in _read_lines(checked_file) if line != digest][-KEPT_DIGESTS + 1 :]
    try:
        checked_file.parent.mkdir(parents=True, exist_ok=True)
        partial = checked_file.with_name(f"{CHECKED_FILE}.{os.getpid()}")
        partial.write_text("\n".join([*kept, digest]) + "\n")
        os.replace(partial, checked_file)
    except OSError:
        pass


def _read_lines(checked_file):
    try:
        return checked_file.read_text().split()
    except OSError:
        return []
