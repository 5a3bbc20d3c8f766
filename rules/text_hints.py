"""Problems the text of a case speaks of that no person has recorded. Pure.

The narrative and the child's perspective are read with the finder's Dutch analyzer
(``finder.analyzer``: its tokenizer, its phrase and compound matching, its
``dutch_porter`` stems); the words per problem are data (``data/text_hints.yaml``). A word
with a negation near it in the same clause ("geen schulden", "blowt niet meer") never
counts. The result is a suggestion for the team ("de tekst noemt 'huurachterstand';
vastleggen als probleem?"), never a signal: only the team decides that it is true.
"""

import dataclasses
import functools
import pathlib
import re

import yaml

from cases import codes
from finder.analyzer import Thesaurus, stem, tokenize

# Not beside the rule files: every *.yaml in rules/ is a rule file.
HINTS_FILE = pathlib.Path(__file__).resolve().parent / "data" / "text_hints.yaml"
# Clause ends: a negation in one clause says nothing about the next.
CLAUSE_END = re.compile(r"[.,;:!?()\n\u2013\u2014]+|\s-\s")
TEXT_FIELDS = ("narrative", "child_perspective")


class HintFileError(ValueError):
    """The hint file breaks its own format; the message names what."""


@dataclasses.dataclass(frozen=True)
class Hint:
    """One text hint: ``problem`` (code), the ``phrase`` the text used, where it was
    (``narrative`` or ``child_perspective``) and the person the form proposes."""

    problem: str
    phrase: str
    field: str
    person: str | None

    @property
    def label(self):
        return codes.PROBLEMS[self.problem]


class HintSet:
    """The words of every problem, ready to match (see the module docstring)."""

    def __init__(self, data):
        if not isinstance(data, dict) or not isinstance(data.get("hints"), list):
            raise HintFileError("expected a mapping with a list 'hints'")
        self.negations = frozenset(str(w).lower() for w in data.get("negations") or ())
        self.breaks = frozenset(str(w).lower() for w in data.get("clause_breaks") or ())
        self.before = int(data.get("window_before", 3))
        self.after = int(data.get("window_after", 2))
        self.who = {}
        self.unless = {}
        entries = {}
        self.stems = {}  # one-word variants by stem: inflections ("ontruimd", "ontruiming")
        for i, hint in enumerate(data["hints"]):
            problem = hint.get("problem")
            if problem not in codes.PROBLEMS:
                raise HintFileError(f"hints[{i}].problem: {problem!r} is not a problem code")
            if hint.get("who", "child") not in ("child", "parent"):
                raise HintFileError(f"hints[{i}].who: 'child' or 'parent'")
            words = [str(w).lower().strip() for w in hint.get("words") or ()]
            if not words:
                raise HintFileError(f"hints[{i}].words: at least one word")
            self.who[problem] = hint.get("who", "child")
            self.unless[problem] = frozenset(str(w).lower() for w in hint.get("unless") or ())
            variants = []
            for word in words:
                exact = word.startswith("=")
                word = word.lstrip("=")
                variants.append(word)
                if word.endswith("*"):
                    variants.append(word[:-1])  # the word itself, not only longer ones
                elif not exact and len(tokenize(word)) == 1:
                    self.stems[stem(word)] = problem
            # The canonical term is a key no text contains (the thesaurus adds it too).
            entries[f"hint-{problem}"] = variants
        self.thesaurus = Thesaurus(entries)

    @classmethod
    def from_file(cls, path=HINTS_FILE):
        return cls(yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8")) or {})

    def _problem_of(self, term, surface):
        if term.startswith("hint-"):
            return term[len("hint-") :]
        return self.stems.get(stem(surface)) if " " not in surface else None

    def mentions(self, text):
        """``[(problem, phrase)]`` the text speaks of, negated mentions left out, in
        text order (a problem may come more than once)."""
        found = []
        for clause in CLAUSE_END.split(text or ""):
            words = tokenize(clause)
            # Clause-breaking words ("maar") end a clause as well.
            parts, current = [], []
            for word in words:
                if word in self.breaks:
                    parts.append(current)
                    current = []
                else:
                    current.append(word)
            parts.append(current)
            for part in parts:
                found.extend(self._in_clause(part))
        return found

    def _in_clause(self, words):
        terms = self.thesaurus.apply(words)
        out = []
        for i, (term, surface) in enumerate(terms):
            problem = self._problem_of(term, surface)
            if problem is None:
                continue
            near = terms[max(0, i - self.before) : i] + terms[i + 1 : i + 1 + self.after]
            if any(s in self.negations or s in self.unless[problem] for _, s in near):
                continue
            out.append((problem, surface))
        return out


@functools.cache
def default_hints():
    return HintSet.from_file()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _child_named_near(children, text, phrase):
    """The first of several ``children`` whose name is in the sentence that speaks of
    ``phrase`` ("Sem snijdt zichzelf" is about Sem), else None."""
    phrase = phrase.lower()
    for sentence in _SENTENCE_END.split(text or ""):
        lowered = sentence.lower()
        if phrase not in lowered:
            continue
        words = set(re.findall(r"\w+", lowered))
        for child in children:
            name = (child.get("name") or "").lower().split()
            if name and name[0] in words:
                return child["id"]
    return None


def _proposed_person(case, who, text="", phrase=""):
    """The person a hint proposes: the index child (with several, the one the sentence
    names) or, for a parent's problem, a living parent of that child."""
    living = [p for p in case["persons"] if not p.get("deceased")]
    children = [p for p in living if p.get("index")]
    index = (len(children) > 1 and _child_named_near(children, text, phrase)) or (
        children[0]["id"] if children else living[0]["id"] if living else None
    )
    if who == "parent":
        parents = [
            r["parent"]
            for r in case.get("relations", [])
            if r.get("kind") == "parent" and r.get("child") == index
        ]
        alive = {p["id"] for p in living}
        for parent in parents:
            if parent in alive:
                return parent
    return index


def find_hints(case, hints=None, *, dismissed=()):
    """The hints of a canonical case: one per problem that the text speaks of, that no
    living person has recorded and that the team did not set aside (``dismissed``:
    problem codes). In the order of the problem list."""
    hints = hints or default_hints()
    recorded = {
        code for p in case["persons"] if not p.get("deceased") for code in p.get("problems") or ()
    }
    first = {}
    for field in TEXT_FIELDS:
        for problem, phrase in hints.mentions(case.get(field)):
            if problem in recorded or problem in dismissed or problem in first:
                continue
            first[problem] = Hint(
                problem,
                phrase,
                field,
                _proposed_person(case, hints.who[problem], case.get(field), phrase),
            )
    return [first[code] for code in codes.PROBLEMS if code in first]
