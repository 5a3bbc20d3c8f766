"""Dutch text analysis for the similar-case finder. Pure: no Flask, no database.

The steps, in order:

1. lower-case and split into words of letters (accents included; digits and
   punctuation separate words: "pony's" is "pony" and "s");
2. the domain thesaurus (``thesaurus.yaml``): a phrase or word becomes its canonical
   term ("manege" -> "paard", "oma" -> "grootouder", "deurwaarder" -> "schulden"),
   longest phrase first; a variant ending in ``*`` matches words starting with it
   (Dutch compounds), the longest such prefix winning; exact variants win over prefixes;
   a term with a broader term (``_broader``: paard -> dier) gives both;
3. Dutch stop words (``stopwords_nl.txt``: the Snowball list and a few additions) and
   words of one letter are dropped, and so are words whose stem is a stop word ("één"
   stems to "een"), as are any extra words the caller names (the
   persons' own names, so that two families called Kim are not alike for that);
4. a word that is a compound of known words (``finder.compounds``: "ontruimingsvonnis"
   is "ontruiming" + "vonnis") also gives its parts, each through the thesaurus and the
   stop words like a word of its own, beside the whole word ("ontruimingsvonnis" gives
   the stem of "ontruimingsvonnis", "uithuiszetting" and "vonnis"); a part whose term
   the whole word already gave is not repeated;
5. Snowball ``dutch_porter`` stemming through PyStemmer ("paarden" -> "paard",
   "begeleiding" -> "begeleid"; the newer ``dutch`` algorithm turns "paarden" into
   "paar" and "begeleid" into "beleid", which is why it is not used).

:func:`analyze` gives the stems; :func:`analyze_pairs` gives ``(stem, surface)``
pairs, the surface being the word as written (or the thesaurus phrase), for
explanations. The surface of a compound's part is the whole compound as written: a
reason then names "ontruimingsvonnis", a word the case contains, never "ontruiming" when
the case does not say that as such. The word lists are read once, on first use;
:func:`reload` reads them again.
"""

import functools
import pathlib
import re

import Stemmer
import yaml

from finder.compounds import Decompounder, load_parts

HERE = pathlib.Path(__file__).resolve().parent
STOPWORDS_FILE = HERE / "stopwords_nl.txt"
THESAURUS_FILE = HERE / "thesaurus.yaml"
ALGORITHM = "dutch_porter"

WORD = re.compile(r"[^\W\d_]+")
WORDS_REMEMBERED = 65536  # per word lists, the pairs of this many words


def tokenize(text):
    """Lower-cased words of letters in ``text`` (None and "" give [])."""
    return WORD.findall((text or "").lower())


@functools.lru_cache(maxsize=16)
def words_of(text):
    """:func:`tokenize` as a tuple, the last texts remembered: a case's narrative is
    read by the analyzer and by the lever matchers (``finder.levers``)."""
    return tuple(tokenize(text))


def load_stopwords(path=STOPWORDS_FILE):
    """The stop words of ``path``: one a line, ``#`` starts a comment line."""
    words = set()
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


class Thesaurus:
    """Canonical terms for words and phrases; see the module docstring for the rules."""

    def __init__(self, entries):
        entries = dict(entries)
        self.broader = {
            str(k).strip().lower(): str(v).strip().lower()
            for k, v in (entries.pop("_broader", None) or {}).items()
        }
        self.words = {}
        self.prefixes = {}
        self.phrases = {}
        for canonical, variants in entries.items():
            canonical = str(canonical).strip().lower()
            for variant in [canonical, *(variants or [])]:
                variant = str(variant).strip().lower()
                if variant.endswith("*"):
                    self.prefixes[variant[:-1]] = canonical
                    continue
                words = tuple(tokenize(variant))
                if len(words) > 1:
                    self.phrases[words] = canonical
                elif words:
                    self.words[words[0]] = canonical
        self.longest = max((len(p) for p in self.phrases), default=1)
        self._prefix_order = sorted(self.prefixes, key=len, reverse=True)

    @classmethod
    def from_file(cls, path=THESAURUS_FILE):
        data = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping of canonical term to variants")
        return cls(data)

    def word(self, word):
        """The canonical term of one word, or the word itself (remembered: the prefix
        scan is the slow part of reading a text)."""
        cache = self.__dict__.setdefault("_cache", {})
        if word not in cache:
            cache[word] = self._word(word)
        return cache[word]

    def _word(self, word):
        if word in self.words:
            return self.words[word]
        for prefix in self._prefix_order:
            if word.startswith(prefix) and len(word) > len(prefix):
                return self.prefixes[prefix]
        return word

    def part(self, part):
        """The canonical term of a compound's part: as :meth:`word`, and a part that is
        a prefix variant itself ("pleeg" of "pleeg*") gives that prefix's term."""
        if part in self.words:
            return self.words[part]
        return self.prefixes.get(part) or self.word(part)

    def known(self):
        """Every single word the thesaurus names (terms, variants, prefixes): words a
        compound may be made of."""
        return {*self.words, *self.words.values(), *self.prefixes}

    @functools.cached_property
    def phrase_starts(self):
        """The first words of the phrases: only there can a phrase begin."""
        return frozenset(self.phrase_seconds)

    @functools.cached_property
    def phrase_seconds(self):
        """``{first word: second words}`` of the phrases: most words that can start one
        ("de", "op") are followed by a word that none continues with."""
        seconds = {}
        for phrase in self.phrases:
            seconds.setdefault(phrase[0], set()).add(phrase[1])
        return seconds

    def apply(self, words):
        """``[(term, surface)]`` for a list of words, phrases replaced longest first."""
        known = self.__dict__.setdefault("_cache", {})  # what ``word`` remembers
        out = []
        for term, surface in self.walk(words):
            if term is None:
                term = known.get(surface)
                term = self.word(surface) if term is None else term
            out.append((term, surface))
        return out

    def walk(self, words):
        """``(term, surface)`` of each phrase (longest first) and ``(None, word)`` of each
        other word, in order: what :meth:`apply` and the readers built on it share."""
        i, count, starts = 0, len(words), self.phrase_starts
        while i < count:
            current = words[i]
            if current in starts:
                phrase = self.phrase_at(words, i)
                if phrase:
                    yield phrase[0], phrase[1]
                    i += phrase[2]
                    continue
            yield None, current
            i += 1

    def phrase_at(self, words, i):
        """``(term, surface, length)`` of the longest phrase starting at ``words[i]``, or
        None."""
        if i + 1 >= len(words) or words[i + 1] not in self.phrase_seconds.get(words[i], ()):
            return None
        for size in range(min(self.longest, len(words) - i), 1, -1):
            phrase = tuple(words[i : i + size])
            if phrase in self.phrases:
                return self.phrases[phrase], " ".join(phrase), size
        return None


@functools.cache
def stopwords():
    return load_stopwords()


@functools.cache
def thesaurus():
    return Thesaurus.from_file()


@functools.cache
def _stemmer():
    return Stemmer.Stemmer(ALGORITHM)


@functools.lru_cache(maxsize=65536)
def stem(word):
    """The ``dutch_porter`` stem of one lower-case word."""
    return _stemmer().stemWord(word)


@functools.cache
def decompounder():
    """The decompounder over ``compound_parts_nl.txt`` and the thesaurus' words."""
    parts, never = load_parts()
    return Decompounder(parts | thesaurus().known(), stem=stem, stop=stopwords(), never=never)


def reload():
    """Read the stop-word list, the thesaurus and the compound parts again (after
    editing them)."""
    stopwords.cache_clear()
    thesaurus.cache_clear()
    decompounder.cache_clear()
    stem.cache_clear()
    _remembered_pairs.cache_clear()
    _word_stems.cache_clear()
    _word_pairs.cache_clear()


def _term_stems(term, stop):
    """The stems a thesaurus term gives: its own and its broader term's (none for a
    stop word)."""
    if term in stop or len(term) < 2:
        return []
    stemmed = stem(term)
    if stemmed in stop:  # "één" stems to "een"; "werden" to "werd"
        return []
    wider = thesaurus().broader.get(term)
    return [stemmed, stem(wider)] if wider else [stemmed]


def analyze_pairs(text, *, drop=()):
    """``[(stem, surface)]`` of ``text``; words in ``drop`` (lower-case) are left out."""
    stop, terms, parts = stopwords(), thesaurus(), decompounder()
    words = [w for w in tokenize(text) if w not in drop]
    # What ``terms.apply`` gives, in one pass: a word's pairs are remembered whole.
    known = _word_pairs(stop, terms, parts)
    pairs = []
    for term, surface in terms.walk(words):
        if term is not None:  # a thesaurus phrase: its term's stems
            pairs.extend((stemmed, surface) for stemmed in _term_stems(term, stop))
            continue
        found = known.get(surface)
        if found is None:  # a word: its parts too
            stems = _word_stems(terms.word(surface), surface, stop, terms, parts)
            found = tuple((stemmed, surface) for stemmed in stems)
            if len(known) >= WORDS_REMEMBERED:
                known.clear()
            known[surface] = found
        pairs += found
    return pairs


@functools.lru_cache(maxsize=4)
def _word_pairs(stop, terms, parts):
    """``{word: ((stem, word), ...)}`` of the words read so far, per word lists."""
    return {}


@functools.lru_cache(maxsize=65536)
def _word_stems(term, surface, stop, terms, parts):
    """The stems of one word (``term``: its thesaurus term) and of its compound parts,
    remembered per word lists (``stop``, ``terms``, ``parts``): a text repeats words."""
    stems = _term_stems(term, stop)
    for part in parts.parts_of(surface):
        stems += [s for s in _term_stems(terms.part(part), stop) if s not in stems]
    return tuple(stems)


def analyze(text, *, drop=()):
    """The stems of ``text`` after thesaurus and stop words, in text order."""
    return [s for s, _ in analyze_pairs(text, drop=drop)]


def remembered_pairs(text, drop=frozenset()):
    """``analyze_pairs`` as a tuple, the last texts remembered (``drop`` a frozenset):
    the finder reads a query's text for its features and again for its reasons, and
    the same interests in many cases. Remembered per word lists in use (a bench that
    swaps the decompounder gets its own answers)."""
    return _remembered_pairs(text, drop, stopwords(), thesaurus(), decompounder())


@functools.lru_cache(maxsize=1024)
def _remembered_pairs(text, drop, *word_lists):
    return tuple(analyze_pairs(text, drop=drop))
