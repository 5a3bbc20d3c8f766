"""Dutch compound words split into the known words they are made of. Pure: no Flask.

Dutch writes compounds as one word: "ontruimingsvonnis" is "ontruiming" + "s" +
"vonnis", "schuldhulpverlening" is "schuld" + "hulpverlening". The finder's analyzer
adds the parts as extra words beside the whole word (``finder.analyzer``), so a case
about an "ontruimingsvonnis" meets a case about an "ontruiming".

A split is accepted only when every part is a *known* word (the list
``compound_parts_nl.txt``, plus the finder's thesaurus) of at least ``MIN_PART``
letters, not a stop word; between two parts may stand one linking morpheme (``LINKS``:
"s", "e", "en", "er"). The last part may be plural ("pleeg" + "gezinnen": gezin) or
have the ``dutch_porter`` stem of a known word, and is given as that known word; the
others are written as in the list.
Of the possible splits the one with the fewest parts wins, then the one with the fewest
linking letters. A part that is itself a compound is split again, and its parts are
parts of the whole word too ("schuldhulpverlening": schuld, hulpverlening, hulp,
verlening).

What keeps false splits out: short words are never parts ("be" + "scherming"), the list
holds words that stand on their own in youth-care texts, not every letter sequence that
is a Dutch word ("ver" + "slaving", "vers" + "laving"), and a line ``!word`` in the list
marks a word that is never split.
"""

import functools
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
PARTS_FILE = HERE / "compound_parts_nl.txt"
LINKS = ("", "s", "e", "en", "er")  # between two parts, shortest first
MIN_PART = 4
PLURALS = ("en", "s")  # a last part may be plural: gezinnen, regels
UNVOICED = {"z": "s", "v": "f"}  # huizen -> huis, brieven -> brief


def load_parts(path=PARTS_FILE):
    """``(parts, never)``: the known words of ``path`` and the words never split."""
    parts, never = set(), set()
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if not line or line.startswith("#"):
            continue
        if line.startswith("!"):
            never.add(line[1:].strip())
        else:
            parts.add(line)
    return frozenset(parts), frozenset(never)


class Decompounder:
    """Splits words into known parts; see the module docstring for the rules.

    ``parts``: the known words; ``stem``: a function giving a word's stem (for an
    inflected last part); ``stop``: words that are never a part; ``never``: words that
    are never split; ``min_part``: the shortest part.
    """

    def __init__(self, parts, *, stem, stop=(), never=(), min_part=MIN_PART):
        self.stem = stem
        self.min_part = min_part
        self.never = frozenset(never)
        self.parts = frozenset(p for p in parts if len(p) >= min_part and p not in stop)
        # stem -> the shortest known word of that stem (a head's known form)
        self.head_stems = {}
        for part in sorted(self.parts, key=lambda p: (len(p), p)):
            self.head_stems.setdefault(stem(part), part)

    def _head(self, word):
        """The known word ``word`` is a form of, as a last part, or None: the word
        itself, or without a plural ending ("gezinnen": gezin, "regels": regel, "huizen":
        huis), or a word of the same stem ("scholen": school)."""
        if word in self.parts:
            return word
        if len(word) < self.min_part:
            return None
        forms = [word]
        for ending in PLURALS:
            base = word.removesuffix(ending)
            if base != word and len(base) >= self.min_part:
                if base[-1] == base[-2] and base[-1] not in "aeiou":
                    base = base[:-1]  # gezinn -> gezin
                forms += [base, base[:-1] + UNVOICED.get(base[-1], base[-1])]
        known = [form for form in forms if form in self.parts]
        if known:  # a written form before a stem: "regelingen" is regeling, not regels
            return known[0]
        return next(filter(None, (self.head_stems.get(self.stem(f)) for f in forms)), None)

    @functools.lru_cache(maxsize=65536)  # noqa: B019 (one decompounder per word list)
    def split(self, word):
        """The top-level parts of ``word`` as known words (linking letters left out, a
        plural last part as its known form), or ``()`` when it is no compound of known
        words."""
        if word in self.never or len(word) < 2 * self.min_part:
            return ()
        best = self._best(word, 0, whole=False)
        return best[2] if best else ()

    def _best(self, word, start, *, whole=True):
        """``(n_parts, link_letters, parts)`` of the best split of ``word[start:]``, or
        None; ``whole``: the remainder may be one part (a known head)."""
        found = []
        rest = word[start:]
        head = self._head(rest) if whole else None
        if head:
            found.append((1, 0, (head,)))
        for end in range(start + self.min_part, len(word) - self.min_part + 1):
            part = word[start:end]
            if part not in self.parts:
                continue
            for link in LINKS:
                after = end + len(link)
                if not word.startswith(link, end) or len(word) - after < self.min_part:
                    continue
                tail = self._best(word, after)
                if tail:
                    found.append((tail[0] + 1, tail[1] + len(link), (part, *tail[2])))
        return min(found, default=None)

    def parts_of(self, word):
        """Every known word ``word`` is made of, at every level, in order of appearance:
        ``schuldhulpverlening`` -> ``schuld, hulpverlening, hulp, verlening``."""
        out = []
        for part in self.split(word):
            out.append(part)
            out.extend(self.parts_of(part))
        return out
