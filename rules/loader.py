"""Loading the rule files: YAML in ``rules/``, one theme per file, checked on load.

A rule is data a project lead can read (see ``rules/*.yaml``). Loading checks every
field, compiles each condition with the typed facts of :mod:`rules.facts` (so a
misspelled fact or a type error fails here, not during a meeting) and runs every
example. Any problem raises :class:`RuleFileError` naming the file, the rule and what
is wrong; the app refuses to start with it. Pure: no Flask.
"""

import dataclasses
import pathlib
import re

import rule_engine
import yaml

from cases import codes
from rules.facts import ACUTE, FACTS, fact_types, neutral_facts

RULES_DIR = pathlib.Path(__file__).resolve().parent
SEVERITIES = {"info": "info", "warning": "waarschuwing", "critical": "kritiek"}
RULE_KEYS = {
    "id", "version", "title", "severity", "partner", "when", "persons", "detail",
    "rationale", "source", "suggestion", "examples", "escalate", "children",
}  # fmt: skip
REQUIRED = ("id", "version", "title", "severity", "when", "rationale", "source", "suggestion")
FILE_KEYS = {"theme", "order", "rules"}
DEFAULT_ORDER = 100
ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{2,60}$")
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_CONTEXT = rule_engine.Context(type_resolver=rule_engine.type_resolver_from_dict(fact_types()))
# Evaluation: once a condition has passed the typed check above, it runs without types,
# so each fact it reads is not type-checked again at every family (a mapping of 17
# problems costs that at every look-up): the same results, several times faster.
_RUN_CONTEXT = rule_engine.Context()


class RuleFileError(ValueError):
    """A rule file that cannot be used; the message names file, rule and problem."""

    def __init__(self, path, rule_id, problem):
        self.path, self.rule_id, self.problem = _shown(path), rule_id, problem
        where = f"{self.path}: rule {rule_id}" if rule_id else self.path
        super().__init__(f"{where}: {problem}")


def _shown(path):
    """A path as the project names it (``rules/partners.yaml``) when it lies inside."""
    path = pathlib.Path(path).resolve()
    try:
        return str(path.relative_to(RULES_DIR.parent))
    except ValueError:
        return str(path)


@dataclasses.dataclass(frozen=True)
class Rule:
    id: str
    version: int
    title: str
    severity: str
    partner: str | None
    when: object  # rule_engine.Rule, returns a boolean
    escalate: object  # rule_engine.Rule: when it holds, the severity is critical; or None
    persons: object  # rule_engine.Rule returning person ids, or None
    detail: str | None
    rationale: str
    source: str
    suggestion: str
    examples: tuple
    facts_used: tuple  # the facts the condition reads, in FACTS order
    literals: tuple  # the quoted texts in the condition (codes it asks about)
    asked: dict  # fact -> the codes the condition tests it for ('x' in fact)
    theme: str
    path: str
    condition: str  # the condition as written
    raised_when: str | None = None  # the escalate condition as written (severity critical)
    # The children the signal is about when its persons are others (the relatives of a
    # child in foster care): a rule_engine.Rule returning person ids, or None.
    children: object = None


@dataclasses.dataclass(frozen=True)
class RuleSet:
    rules: tuple

    def get(self, rule_id):
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def themes(self):
        """``[(theme, [rules])]`` in file order."""
        grouped = {}
        for rule in self.rules:
            grouped.setdefault(rule.theme, []).append(rule)
        return list(grouped.items())


def facts_named(expression):
    """The facts an expression reads (names outside string literals), in FACTS order."""
    words = set(_WORDS.findall(_STRINGS.sub(" ", expression)))
    return tuple(name for name in FACTS if name in words)


_MEMBERSHIP = re.compile(r"""['"]([^'"]+)['"]\s+(?:not\s+)?in\s+([A-Za-z_][A-Za-z0-9_]*)""")
KNOWN_CODES = {
    **codes.PROBLEMS, **codes.PARTNERS, **codes.RESIDENCES, **codes.GOALS, **ACUTE,
}  # fmt: skip


def asked_codes(expression):
    """``{fact: (codes...)}`` for every ``'code' in fact`` test of an expression."""
    asked = {}
    for code, name in _MEMBERSHIP.findall(expression):
        if name in FACTS and code not in asked.setdefault(name, ()):
            asked[name] += (code,)
    return asked


def literals_in(expression):
    """The quoted texts of an expression, in order, once each."""
    found = [match[1:-1] for match in _STRINGS.findall(expression)]
    return tuple(dict.fromkeys(found))


def _compile(path, rule_id, field, text, result_type):
    if not isinstance(text, str) or not text.strip():
        raise RuleFileError(path, rule_id, f"'{field}' must be a non-empty expression")
    try:
        compiled = rule_engine.Rule(text, context=_CONTEXT)
    except rule_engine.SymbolResolutionError as error:
        hint = f" (did you mean '{error.suggestion}'?)" if error.suggestion else ""
        raise RuleFileError(
            path, rule_id, f"'{field}' uses an unknown fact '{error.symbol_name}'{hint}"
        ) from error
    except rule_engine.RuleSyntaxError as error:
        raise RuleFileError(
            path, rule_id, f"'{field}' has a syntax error: {error.message}"
        ) from error
    except rule_engine.EngineError as error:
        raise RuleFileError(
            path, rule_id, f"'{field}' has a type error: {error.message}"
        ) from error
    found = compiled.statement.expression.result_type
    if found is not rule_engine.DataType.UNDEFINED and not _fits(found, result_type):
        raise RuleFileError(
            path,
            rule_id,
            f"'{field}' must give {_type_name(result_type)}, not {_type_name(found)}",
        )
    unknown = [code for code in literals_in(text) if code not in KNOWN_CODES]
    if unknown:
        raise RuleFileError(
            path, rule_id, f"'{field}' uses an unknown code {unknown[0]!r} (see cases/codes.py)"
        )
    return rule_engine.Rule(text, context=_RUN_CONTEXT)


def _type_name(data_type):
    """``array of string`` rather than just ``array``."""
    name = data_type.name.lower()
    value = getattr(data_type, "value_type", None)
    if value is not None and value is not rule_engine.DataType.UNDEFINED:
        return f"{name} of {_type_name(value)}"
    return name


def _fits(found, wanted):
    if wanted is rule_engine.DataType.BOOLEAN:
        return found is rule_engine.DataType.BOOLEAN
    return rule_engine.DataType.is_compatible(found, wanted)


def _text(path, rule_id, raw, key, *, required=True):
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RuleFileError(path, rule_id, f"'{key}' must be a non-empty text")
    return " ".join(value.split())


def example_facts(path, rule_id, given):
    """An example's facts: the neutral facts with the example's values typed in."""
    if not isinstance(given, dict):
        raise RuleFileError(path, rule_id, "an example's 'facts' must be a mapping")
    facts = neutral_facts()
    for name, value in given.items():
        if name not in FACTS:
            raise RuleFileError(path, rule_id, f"an example uses an unknown fact '{name}'")
        facts[name] = _typed(FACTS[name].type, value, facts[name])
    return facts


def _typed(data_type, value, neutral):
    """A YAML value as the Python value family_facts would give for this type."""
    name = data_type.name
    if name == "FLOAT":
        return float(value)
    if name == "BOOLEAN":
        return bool(value)
    if name == "SET":
        return set(value or ())
    if name == "ARRAY":
        return tuple(value or ())
    if name == "MAPPING":
        merged = dict(neutral)
        for key, item in (value or {}).items():
            if isinstance(item, list):
                merged[key] = tuple(item)
            elif isinstance(item, str):
                merged[key] = item
            else:
                merged[key] = float(item)
        return merged
    return value


def _person_ids(path, rule_id, raw, key):
    """The compiled expression under ``key`` that returns person ids, or None."""
    if raw.get(key) is None:
        return None
    return _compile(
        path, rule_id, key, raw[key], rule_engine.DataType.ARRAY(rule_engine.DataType.STRING)
    )


def _examples(path, rule_id, raw, when, persons=None, escalate=None, severity=None, children=None):
    examples = raw.get("examples")
    if not isinstance(examples, list) or not examples:
        raise RuleFileError(path, rule_id, "'examples' must list at least one example")
    checked = []
    for number, example in enumerate(examples, 1):
        if not isinstance(example, dict) or not isinstance(example.get("fires"), bool):
            raise RuleFileError(path, rule_id, f"example {number} needs 'fires: true' or 'false'")
        unknown = set(example) - {"name", "facts", "fires", "severity"}
        if unknown:
            raise RuleFileError(
                path, rule_id, f"example {number} has unknown keys: {sorted(unknown)}"
            )
        facts = example_facts(path, rule_id, example.get("facts") or {})
        try:
            fired = bool(when.matches(facts))
        except rule_engine.EngineError as error:
            raise RuleFileError(
                path, rule_id, f"example {number} fails: {error.message}"
            ) from error
        name = example.get("name") or f"example {number}"
        if fired != example["fires"]:
            raise RuleFileError(
                path, rule_id, f"{name}: expected fires={example['fires']}, got fires={fired}"
            )
        if "severity" in example:
            found = severity
            if escalate is not None and escalate.matches(facts):
                found = "critical"
            if example["severity"] != found:
                raise RuleFileError(
                    path, rule_id, f"{name}: expected severity {example['severity']}, got {found}"
                )
        for key, expression in (("persons", persons), ("children", children)):
            if not fired or expression is None:
                continue
            # It runs whenever the rule fires: it must work on every firing example.
            try:
                expression.evaluate(facts)
            except (rule_engine.EngineError, LookupError, TypeError) as error:
                raise RuleFileError(
                    path, rule_id, f"{name}: '{key}' fails on this example: {error}"
                ) from error
        checked.append({"name": example.get("name") or f"voorbeeld {number}", **example})
    if {e["fires"] for e in checked} != {True, False}:
        raise RuleFileError(path, rule_id, "examples must show it firing and not firing")
    return tuple(checked)


def _rule(path, theme, raw):
    if not isinstance(raw, dict):
        raise RuleFileError(path, None, "each rule must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not ID_PATTERN.match(rule_id):
        raise RuleFileError(path, rule_id, "'id' must be lower-case letters, digits and dashes")
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise RuleFileError(path, rule_id, f"unknown keys: {', '.join(sorted(unknown))}")
    missing = [key for key in REQUIRED if key not in raw]
    if missing:
        raise RuleFileError(path, rule_id, f"missing keys: {', '.join(missing)}")
    version = raw["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise RuleFileError(path, rule_id, "'version' must be a whole number from 1")
    if raw["severity"] not in SEVERITIES:
        raise RuleFileError(path, rule_id, f"'severity' must be one of {', '.join(SEVERITIES)}")
    partner = raw.get("partner")
    if partner is not None and partner not in codes.PARTNERS:
        raise RuleFileError(path, rule_id, f"'partner' {partner!r} is not a partner code")
    when = _compile(path, rule_id, "when", raw["when"], rule_engine.DataType.BOOLEAN)
    escalate = None
    if raw.get("escalate") is not None:
        escalate = _compile(
            path, rule_id, "escalate", raw["escalate"], rule_engine.DataType.BOOLEAN
        )
    read = raw["when"] + " " + (raw.get("escalate") or "")
    persons = _person_ids(path, rule_id, raw, "persons")
    children = _person_ids(path, rule_id, raw, "children")
    return Rule(
        id=rule_id,
        version=version,
        title=_text(path, rule_id, raw, "title"),
        severity=raw["severity"],
        partner=partner,
        when=when,
        escalate=escalate,
        persons=persons,
        detail=_text(path, rule_id, raw, "detail", required=False),
        rationale=_text(path, rule_id, raw, "rationale"),
        source=_text(path, rule_id, raw, "source"),
        suggestion=_text(path, rule_id, raw, "suggestion"),
        examples=_examples(path, rule_id, raw, when, persons, escalate, raw["severity"], children),
        facts_used=facts_named(read),
        literals=literals_in(read),
        asked=asked_codes(read),
        theme=theme,
        path=str(path),
        condition=" ".join(raw["when"].split()),
        raised_when=" ".join(raw["escalate"].split()) if raw.get("escalate") else None,
        children=children,
    )


def load_file(path):
    """``(order, rules)`` of one file, checked; RuleFileError otherwise. ``order`` (optional
    in the file) places its theme among the others."""
    path = pathlib.Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise RuleFileError(path, None, f"cannot be read: {error}") from error
    except yaml.YAMLError as error:
        raise RuleFileError(path, None, f"is not valid YAML: {error}") from error
    if not isinstance(document, dict) or set(document) - FILE_KEYS or "rules" not in document:
        raise RuleFileError(path, None, "must be a mapping with 'theme' and 'rules'")
    theme = document.get("theme")
    if not isinstance(theme, str) or not theme.strip():
        raise RuleFileError(path, None, "'theme' must be a non-empty text")
    if not isinstance(document["rules"], list) or not document["rules"]:
        raise RuleFileError(path, None, "'rules' must list at least one rule")
    order = document.get("order", DEFAULT_ORDER)
    if not isinstance(order, int) or isinstance(order, bool):
        raise RuleFileError(path, None, "'order' must be a whole number")
    return order, [_rule(path, theme.strip(), raw) for raw in document["rules"]]


def load_rules(folder=RULES_DIR):
    """Every ``*.yaml`` in ``folder``, in file-name order, as one RuleSet."""
    files, seen = [], {}
    paths = sorted(pathlib.Path(folder).glob("*.yaml"))
    if not paths:
        raise RuleFileError(folder, None, "holds no rule files (*.yaml)")
    for path in paths:
        order, rules = load_file(path)
        for rule in rules:
            if rule.id in seen:
                raise RuleFileError(path, rule.id, f"the id is used before, in {seen[rule.id]}")
            seen[rule.id] = path.name
        files.append((order, path.name, rules))
    return RuleSet(
        tuple(rule for *_, rules in sorted(files, key=lambda f: f[:2]) for rule in rules)
    )
