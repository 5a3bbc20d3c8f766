"""Search and filters over the library's entries, in memory. Pure: no Flask, no database.

The words go through the finder's Dutch analyzer (``finder.analyzer``: the domain
thesaurus, compound parts, ``dutch_porter`` stems), so "psychiatrisch" meets
"psychiatrische problematiek" and "dakloosheid" meets "huisvestingsprobleem of
dakloosheid". The newer Snowball ``dutch`` stemmer is not used: it stems "geweld" to
"wel" and "paarden" to "paar".

Ranking, best first: the entries that match more of the query's words, then the higher
score, a word's score being its rarity (idf) times where it stands (``FIELDS``: the
title over the labels of the codes and the components, over the summary, over the rest
of the case). A word also matches the words it begins (while typing, "leasepa" finds
"leasepaard"), for less. Its thesaurus broader term or compound parts ("paard": dier;
"schoolverzuim": school) add to the score but do not count as matching the word. An
entry matching none of the words is left out; matching some is enough.
"""

import bisect
import functools
import math
import re
from dataclasses import dataclass, field

from finder import analyzer

# Where a word stands, and what it weighs there.
FIELDS = {"title": 3.0, "labels": 2.0, "summary": 1.5, "text": 1.0}
# A query word's own stem counts fully; its thesaurus broader term or compound part, or a
# longer word it begins, counts for this much.
RELATED = 0.5
PREFIX = 0.6
MIN_PREFIX = 3
MAX_PREFIX_STEMS = 50
MAX_WORDS = 20


@functools.lru_cache(maxsize=100_000)
def stems_of(text):
    """The stems of one field's text. Cached by the text itself, so the index of the next
    library version analyses only the entries that are new or changed."""
    return frozenset(analyzer.analyze(text))


def component_key(value):
    """One key for the spellings of a component: "BBL", "bbl" and "B.B.L." are one, so
    are "Eigen Kracht-conferentie" and "eigen-kracht-conferentie"."""
    letters = re.sub(r"[\W_]+", "", (value or "").casefold())
    return analyzer.stem(letters) if letters else ""


def common_spelling(spellings):
    """The spelling to show for a component: the most used, then the one with the most
    capitals (an abbreviation or a name: "BBL"), then alphabetical."""
    return min(
        spellings.items(),
        key=lambda item: (-item[1], -sum(c.isupper() for c in item[0]), item[0]),
    )[0]


@dataclass
class Entry:
    """What the index knows of one entry: its text by field, and its filter values."""

    id: int
    fields: dict
    problems: tuple = ()
    partners: tuple = ()
    components: tuple = ()  # as written
    outcome: str | None = None
    goal: str | None = None
    component_keys: frozenset = field(init=False)

    def __post_init__(self):
        self.component_keys = frozenset(filter(None, map(component_key, self.components)))


@dataclass
class Hit:
    """A ranked entry: how many query words it matched and which it did not."""

    id: int
    matched: int
    score: float
    missing: tuple = ()


class SearchIndex:
    """An inverted index of the entries' stems, built once per library version.

    ``entries``: :class:`Entry` objects in the order to show without a query (newest
    first).
    """

    def __init__(self, entries):
        self.entries = list(entries)
        self.order = {entry.id: i for i, entry in enumerate(self.entries)}
        postings = {}
        for entry in self.entries:
            weights = {}
            for name, text in entry.fields.items():
                for stem in stems_of(text):
                    # The best place a word stands, and a little for each other place.
                    best, places = weights.get(stem, (0.0, 0))
                    weights[stem] = (max(best, FIELDS[name]), places + 1)
            for stem, (best, places) in weights.items():
                postings.setdefault(stem, {})[entry.id] = best + 0.25 * (places - 1)
        self.postings = postings
        self.vocabulary = sorted(postings)
        n = max(len(self.entries), 1)
        self.idf = {stem: math.log(1 + n / len(ids)) for stem, ids in postings.items()}
        spellings = {}
        for entry in self.entries:
            for value in entry.components:
                key = component_key(value)
                if key:
                    spellings.setdefault(key, {}).setdefault(value, 0)
                    spellings[key][value] += 1
        self.component_names = {key: common_spelling(s) for key, s in spellings.items()}
        self.component_counts = {key: sum(s.values()) for key, s in spellings.items()}

    def _begun(self, word):
        """The indexed stems that ``word`` (as typed, or its stem) begins."""
        found = set()
        for prefix in {word, analyzer.stem(word)}:
            if len(prefix) < MIN_PREFIX:
                continue
            i = bisect.bisect_left(self.vocabulary, prefix)
            for stem in self.vocabulary[i : i + MAX_PREFIX_STEMS]:
                if not stem.startswith(prefix):
                    break
                found.add(stem)
        return found

    def query_words(self, text):
        """``[(surface, {stem: weight})]``: each query word (or thesaurus phrase) with the
        stems that count for it."""
        words = {}
        for stem, surface in analyzer.analyze_pairs(" ".join(analyzer.tokenize(text)[:MAX_WORDS])):
            stems = words.setdefault(surface, {})
            stems[stem] = max(stems.get(stem, 0.0), RELATED if stems else 1.0)
        for surface, stems in words.items():
            if " " not in surface:
                for stem in self._begun(surface):
                    stems.setdefault(stem, PREFIX)
        return list(words.items())

    def rank(self, text, ids=None):
        """The :class:`Hit` of every entry (of ``ids``, when given) matching a word of
        ``text``, best first."""
        words = self.query_words(text)
        hits = {}
        for number, (_surface, stems) in enumerate(words):
            best = {}
            for stem, weight in stems.items():
                idf = self.idf.get(stem, 0.0)
                for entry_id, place in self.postings.get(stem, {}).items():
                    if ids is None or entry_id in ids:
                        score, own = best.get(entry_id, (0.0, False))
                        best[entry_id] = (
                            max(score, weight * idf * place),
                            own or weight > RELATED,
                        )
            for entry_id, (score, own) in best.items():
                hit = hits.setdefault(entry_id, [0, 0.0, set()])
                hit[1] += score
                if own:  # a broader term or a compound part alone is no match of the word
                    hit[0] += 1
                    hit[2].add(number)
        ranked = [
            Hit(
                entry_id,
                matched,
                score,
                tuple(s for i, (s, _) in enumerate(words) if i not in numbers),
            )
            for entry_id, (matched, score, numbers) in hits.items()
        ]
        ranked.sort(key=lambda h: (-h.matched, -h.score, self.order[h.id]))
        return ranked

    def select(self, *, problem=None, partner=None, component=None, outcome=None, goal=None):
        """The ids of the entries with these filter values (a component by its key), in
        the order without a query."""
        key = component_key(component) if component else None
        return [
            entry.id
            for entry in self.entries
            if (not problem or problem in entry.problems)
            and (not partner or partner in entry.partners)
            and (not key or key in entry.component_keys)
            and (not outcome or entry.outcome == outcome)
            and (not goal or entry.goal == goal)
        ]

    def search(self, text=None, **filters):
        """``[Hit]`` of the entries that pass the filters and match ``text`` (all of them,
        newest first, without text)."""
        ids = self.select(**filters)
        if not (text or "").strip():
            return [Hit(entry_id, 0, 0.0) for entry_id in ids]
        return self.rank(text, set(ids))

    def common_components(self, n):
        """The keys of the ``n`` most used components, most used first."""
        return sorted(
            self.component_counts,
            key=lambda k: (-self.component_counts[k], self.component_names[k].casefold()),
        )[:n]

    def facets(self):
        """The values in use per filter (components by key)."""
        found = {"problem": set(), "partner": set(), "outcome": set(), "goal": set()}
        for entry in self.entries:
            found["problem"].update(entry.problems)
            found["partner"].update(entry.partners)
            found["outcome"].update(filter(None, [entry.outcome]))
            found["goal"].update(filter(None, [entry.goal]))
        facets = {key: sorted(values) for key, values in found.items()}
        facets["component"] = sorted(
            self.component_names, key=lambda k: self.component_names[k].casefold()
        )
        return facets
