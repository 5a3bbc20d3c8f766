"""Which rules fire for a family, remembered by what each rule reads. Pure.

The finder needs of the rules' signals only which rules fired and the partner each
names (``finder.features``: the ``partners`` block and the levers' needs), not the
explanation, evidence and fingerprint ``rules.engine.evaluate`` writes for a person.
A rule's condition reads a few facts (``Rule.facts_used``: every fact its ``when`` and
``escalate`` name), and of a fact it often reads only whether it holds a code
(``'housing' in family_problems``) or how long it is (``young_carers.length > 0``).
Families that agree on what a rule reads get the same answer, so the answer is kept per
rule by exactly that (the codes' membership, the length, or else the fact's whole
value) and the rule engine runs once per distinct combination: over 100,000 generated
cases a few thousand runs instead of 4.5 million.
"""

import re

from rules.loader import facts_named

# Per rule at most this many remembered answers: a rule whose facts differ in nearly
# every family stops being remembered (it is still answered, by the engine).
LIMIT = 50_000
# ``'code' in fact`` and ``'code' not in fact`` where the fact is read as a whole (not
# ``fact.x`` or ``fact['x']``), and ``fact.length``.
_MEMBERSHIP = re.compile(
    r"""(?<![\w'"\].)])\s*['"]([^'"]+)['"]\s+(?:not\s+)?in\s+([A-Za-z_]\w*)(?![\w.\[])"""
)
_LENGTH = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\.length(?![\w.\[(])")
# ``fact['code']``: one entry of a mapping (what is done with it is then read whole).
_ITEM = re.compile(r"""(?<![\w.])([A-Za-z_]\w*)\[\s*['"]([^'"]+)['"]\s*\]""")
_MISSING = object()


def frozen(value):
    """A fact's value as a hashable key, equal exactly when the values are equal."""
    if isinstance(value, dict):
        return ("d", tuple(sorted((key, frozen(item)) for key, item in value.items())))
    if isinstance(value, set | frozenset):
        return ("s", frozenset(frozen(item) for item in value))
    if isinstance(value, list | tuple):
        return ("l", tuple(frozen(item) for item in value))
    return (type(value).__name__, value)


def readers(rule):
    """``[(fact, codes, length, items)]``: per fact the rule reads, the codes it tests
    for membership, whether it reads the length and the entries it reads by a literal
    key; ``codes`` is None when the rule reads the fact otherwise as well (then its
    whole value counts)."""
    text = f"{rule.condition} {rule.raised_when or ''}"
    asked, lengths = {}, set()
    for code, name in _MEMBERSHIP.findall(text):
        asked.setdefault(name, []).append(code)
    lengths = set(_LENGTH.findall(text))
    items = {}
    for name, code in _ITEM.findall(text):
        items.setdefault(name, []).append(code)
    rest = _ITEM.sub(" ", _LENGTH.sub(" ", _MEMBERSHIP.sub(" ", text)))
    whole = set(facts_named(rest))
    out = []
    for name in rule.facts_used:
        if name in whole:
            out.append((name, None, False, ()))
        else:
            out.append(
                (
                    name,
                    tuple(dict.fromkeys(asked.get(name, ()))),
                    name in lengths,
                    tuple(dict.fromkeys(items.get(name, ()))),
                )
            )
    return out


def _key_function(reading):
    """``_key(reading, facts)`` as one function of ``facts``, written out for the rule (a
    lambda compiled once per rule from the fact names and codes it reads): a fit asks
    every rule for every case, and the loop over the readings cost more than the answer.
    The keys differ in form from ``_key``'s, never in what they tell apart."""
    parts = []
    for number, (name, codes, length, items) in enumerate(reading):
        value = f"v{number}"
        read = f"({value} := facts[{name!r}])"
        if codes is None:
            parts.append(f"frozen(facts[{name!r}])")
        elif items:  # an entry of a mapping: rare, the general way
            parts.append(f"_key(({(name, codes, length, items)!r},), facts)")
        elif not codes:
            parts.append(f"len(facts[{name!r}])" if length else "None")
        else:
            tests = [f"{codes[0]!r} in {read}", *(f"{code!r} in {value}" for code in codes[1:])]
            if length:
                tests.append(f"len({value})")
            parts.append(f"({', '.join(tests)},)")
    source = f"lambda facts: ({''.join(part + ', ' for part in parts)})"
    return eval(source, {"frozen": frozen, "_key": _key})  # noqa: S307 (repr'd literals only)


def _key(reading, facts):
    key = []
    for name, codes, length, items in reading:
        value = facts[name]
        if codes is None or (items and not isinstance(value, dict)):
            key.append(frozen(value))
            continue
        key.append(
            (
                tuple([code in value for code in codes]),
                len(value) if length else None,
                tuple(frozen(value.get(code, _MISSING)) for code in items) if items else (),
            )
        )
    return tuple(key)


class FiredRules:
    """``fired(facts)``: ``[{"rule", "partner"}]`` of the rules whose condition holds,
    in the rule set's order: the rules ``rules.engine.evaluate`` gives a signal for."""

    def __init__(self, ruleset, limit=LIMIT):
        self.rules = list(ruleset.rules)
        self.reading = [readers(rule) for rule in self.rules]
        self.keys = [_key_function(reading) for reading in self.reading]
        self.limit = limit
        self.known = [{} for _ in self.rules]
        self.engine_runs = 0

    def __call__(self, facts):
        fired = []
        for rule, key_of, known in zip(self.rules, self.keys, self.known, strict=True):
            key = key_of(facts)
            found = known.get(key)
            if found is None:  # a combination not seen before: the engine answers
                self.engine_runs += 1
                found = bool(rule.when.matches(facts))
                if len(known) < self.limit:
                    known[key] = found
            if found:
                fired.append({"rule": rule.id, "partner": rule.partner})
        return fired
