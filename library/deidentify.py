"""De-identification of case text for the solution library. Pure: no Flask, no database.

`deduce <https://github.com/vmenger/deduce>`_ (Dutch clinical de-identification) finds
names, places, dates, institutions, phone numbers, e-mail addresses and the like. It
loads slowly (seconds, and about a minute and a half the very first time, when it builds
its lookup cache) and holds about a gigabyte: the one instance is built lazily on first
use, only in the processes that publish (the ``library process`` worker, the CLI), never
at app start-up and never in a web request.

What deduce cannot know, the case itself tells: the names of its persons and of the
people in its network. Those are replaced first (as annotations of our own), so a child
called Floor or Jet is found even where deduce takes the name for a word. Every name,
place and institution found anywhere in the case is then replaced everywhere in it, and
the numbering is shared by all texts of one case: ``[PERSOON-1]`` in the narrative is the
same person as ``[PERSOON-1]`` in a solution's summary.
"""

import datetime
import re
import threading
from dataclasses import dataclass

# deduce's tags (after its own merging) -> the tags the library shows.
TAGS = {
    "persoon": "PERSOON",
    "patient": "PERSOON",
    "locatie": "LOCATIE",
    "ziekenhuis": "INSTELLING",
    "zorginstelling": "INSTELLING",
    "instelling": "INSTELLING",
    "datum": "DATUM",
    "leeftijd": "LEEFTIJD",
    "telefoonnummer": "TELEFOONNUMMER",
    "emailadres": "EMAIL",
    "url": "URL",
    "bsn": "BSN",
    "id": "ID",
}
# Found once, replaced everywhere in the case (dates and numbers are replaced where found).
SPREAD_TAGS = ("PERSOON", "LOCATIE", "INSTELLING")
TAG_PATTERN = re.compile(r"\[(?:PERSOON|LOCATIE|INSTELLING|DATUM|LEEFTIJD|TELEFOONNUMMER|"
                         r"EMAIL|URL|BSN|ID)-\d+\]")  # fmt: skip

# Names that are role words already: replacing "Vader" by a tag would only lose meaning.
ROLE_WORDS = {
    "vader", "moeder", "papa", "mama", "pa", "ma", "opa", "oma", "broer", "zus", "zusje",
    "broertje", "oom", "tante", "neef", "nicht", "kind", "baby", "stiefvader",
    "stiefmoeder", "pleegvader", "pleegmoeder", "pleegouders", "pleegouder", "ouders",
    "grootvader", "grootmoeder", "buurman", "buurvrouw", "buren", "vriend", "vriendin",
    "meneer", "mevrouw", "juf", "meester", "wela", "welo", "en", "van", "de", "het", "der",
    "den", "uit", "bij", "op", "aan", "in", "een", "met",
}  # fmt: skip
ROLE_WORDS_BY_SEX = {
    "parent": {"female": "Moeder", "male": "Vader"},
    "child": {"female": "Dochter", "male": "Zoon"},
    "sibling": {"female": "Zus", "male": "Broer"},
    "grandparent": {"female": "Oma", "male": "Opa"},
    "stepparent": {"female": "Stiefmoeder", "male": "Stiefvader"},
    "fosterparent": {"female": "Pleegmoeder", "male": "Pleegvader"},
    "partner": {"female": "Partner", "male": "Partner"},
}
ROLE_FALLBACK = {
    "parent": "Ouder",
    "child": "Kind",
    "sibling": "Broer of zus",
    "grandparent": "Grootouder",
    "stepparent": "Stiefouder",
    "fosterparent": "Pleegouder",
    "partner": "Partner",
}
MIN_NAME_LENGTH = 2

_deduce = None
_deduce_lock = threading.Lock()


class DeidentificationUnavailable(RuntimeError):
    """deduce is not installed (or failed to load)."""


def get_deduce():
    """The one deduce.Deduce() of this process, built on first use (slow, large)."""
    global _deduce
    if _deduce is None:
        with _deduce_lock:
            if _deduce is None:
                try:
                    import deduce
                except ImportError as error:  # pragma: no cover - it is a pinned dependency
                    raise DeidentificationUnavailable("deduce is not installed") from error
                _deduce = deduce.Deduce()
    return _deduce


def is_loaded():
    """Whether this process has built deduce already (tests check it stays out of requests)."""
    return _deduce is not None


@dataclass
class Span:
    start: int
    end: int
    tag: str
    text: str


class Pseudonymizer:
    """Replaces what identifies someone in the texts of one case, with shared numbering.

    ``known`` maps a name to its tag (``PERSOON``, ``INSTELLING``); it is seeded with the
    case's own names and grows with what deduce finds, so a name found in one text is
    replaced in every text of the case.
    """

    def __init__(self, known_names=(), known_institutions=(), deidentifier=None):
        self._deduce = deidentifier
        self.known = {}
        self.numbers = {}  # (tag, key) -> number
        for name in known_names:
            self.add_known(name, "PERSOON")
        for name in known_institutions:
            self.add_known(name, "INSTELLING")

    def add_known(self, text, tag):
        text = " ".join((text or "").split())
        if len(text) < MIN_NAME_LENGTH or text.lower() in ROLE_WORDS or TAG_PATTERN.search(text):
            return
        self.known.setdefault(text, tag)
        self.number(tag, text)

    def number(self, tag, text):
        key = (tag, _key(text))
        if key not in self.numbers:
            self.numbers[key] = 1 + sum(1 for t, _ in self.numbers if t == tag)
        return self.numbers[key]

    def _deduce_spans(self, text):
        deidentifier = self._deduce or get_deduce()
        document = deidentifier.deidentify(text)
        spans = []
        for annotation in document.annotations:
            tag = TAGS.get(annotation.tag.split("+")[0], annotation.tag.upper())
            surface = text[annotation.start_char : annotation.end_char]
            spans.append(Span(annotation.start_char, annotation.end_char, tag, surface))
        return spans

    def learn(self, text):
        """First pass: run deduce over ``text`` and remember the names it found."""
        if not (text or "").strip():
            return
        for span in self._deduce_spans(text):
            if span.tag in SPREAD_TAGS:
                self.add_known(span.text, span.tag)

    def _known_spans(self, text):
        spans = []
        for name, tag in self.known.items():
            # Also the possessive ("Marijes vriendin", "Sanne's fiets"): the name is
            # replaced and the ending kept, "[PERSOON-1]s vriendin".
            pattern = r"(?<!\w)" + re.escape(name) + r"(?=(?:['’]?s)?(?!\w))"
            for match in re.finditer(pattern, text):
                spans.append(Span(match.start(), match.end(), tag, match.group()))
        return spans

    def replace(self, text, use_deduce=True):
        """Second pass: ``text`` with every known name and everything deduce finds tagged."""
        if text is None or not text.strip():
            return text
        spans = self._known_spans(text)
        if use_deduce:
            spans += self._deduce_spans(text)
        out, position = [], 0
        for span in _without_overlaps(spans):
            number = self.number(span.tag, span.text)
            out.append(text[position : span.start])
            out.append(f"[{span.tag}-{number}]")
            position = span.end
        out.append(text[position:])
        return "".join(out)


def _key(text):
    return " ".join(text.split()).casefold()


def _without_overlaps(spans):
    """Longest first where spans overlap (a full name beats the first name in it)."""
    chosen = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def deidentify_text(text, names=(), institutions=(), deidentifier=None):
    """``text`` with names, places, dates, institutions and numbers replaced by tags.

    ``names`` are the known names of the case's persons and network (replaced first,
    whatever deduce thinks of them); ``institutions`` known institution names.
    """
    pseudonymizer = Pseudonymizer(names, institutions, deidentifier)
    pseudonymizer.learn(text)
    return pseudonymizer.replace(text)


# The case --------------------------------------------------------------------------


def _year(value):
    """An ISO date coarsened to its year (as text), or None."""
    if not value:
        return None
    try:
        return str(datetime.date.fromisoformat(str(value)).year)
    except ValueError:
        match = re.match(r"\d{4}", str(value))
        return match.group() if match else None


# Capitalised words in network names that are no one's name.
NOT_NAMES = {"thuis", "kinderbescherming", "marokkaanse", "turkse", "surinaamse",
             "antilliaanse", "nederlandse", "poolse", "syrische", "eritrese"}  # fmt: skip
PERSONAL_PARTNERS = ("informal", "other")


def _names_in(text):
    """The names in an informal network member's name: capitalised words after the
    first, not role words, acronyms or compounds ("Tante Birgit (vrouw van Hein)" ->
    Birgit, Hein; "Meneer Cor (buurman)" -> Cor)."""
    words = re.findall(r"[^\W\d_][\w'-]*", text or "")[1:]
    return [
        w
        for w in words
        if w[0].isupper()
        and not any(c.isupper() for c in w[1:])
        and "-" not in w
        and w.lower() not in ROLE_WORDS
        and w.lower() not in NOT_NAMES
    ]


def looks_like_a_name(provider):
    """Is a placement provider a proper name ("De Koppeling") rather than a kind of
    place ("Open groep", "Netwerkpleeggezin uit de kerk")? Several words, a later one
    capitalised."""
    words = (provider or "").split()
    return len(words) >= 2 and any(w[:1].isupper() for w in words[1:])


def person_roles(case):
    """A Dutch role word per person id, seen from the index children (every one of them
    is "Indexkind"; a person related to several takes the role seen from the first)."""
    persons = {p["id"]: p for p in case.get("persons", [])}
    index = [p["id"] for p in case.get("persons", []) if p.get("index")]
    parents_of, children_of = {}, {}
    kinds = {}
    for relation in case.get("relations", []):
        if relation.get("kind") == "parent":
            parents_of.setdefault(relation["child"], []).append(relation["parent"])
            children_of.setdefault(relation["parent"], []).append(relation["child"])
            kinds[(relation["parent"], relation["child"])] = relation.get("type")
    roles = dict.fromkeys(index, "Indexkind")
    for child in index:
        for parent in parents_of.get(child, []):
            kind = kinds.get((parent, child))
            role = {"step": "stepparent", "foster": "fosterparent"}.get(kind, "parent")
            roles.setdefault(parent, role)
            for grandparent in parents_of.get(parent, []):
                roles.setdefault(grandparent, "grandparent")
            for sibling in children_of.get(parent, []):
                roles.setdefault(sibling, "sibling")
        for grandchild in children_of.get(child, []):
            roles.setdefault(grandchild, "child")
        for relation in case.get("relations", []):
            if relation.get("kind") == "couple" and child in (relation["a"], relation["b"]):
                other = relation["b"] if relation["a"] == child else relation["a"]
                roles.setdefault(other, "partner")
    words = {}
    for person_id, person in persons.items():
        role = roles.get(person_id)
        if role is None:
            words[person_id] = "Familielid"
        elif role == "Indexkind":
            words[person_id] = role
        else:
            by_sex = ROLE_WORDS_BY_SEX[role].get(person.get("sex"))
            words[person_id] = by_sex or ROLE_FALLBACK[role]
    return words


def deidentify_case(case, deidentifier=None):
    """A de-identified copy of a canonical case (``case/1``) for the library.

    Kept: the structured codes (problems, partners, residences, goal, outcome, relation
    kinds, components and the solutions' outcomes), birth years, interests and
    strengths. Replaced: person names by a role word seen from the index child, the
    names in the network, the title, narrative, child's perspective, the solutions'
    titles and summaries and the placement providers by de-identified text; every exact
    date coarsened to its year. The family code is dropped. ``tags`` in the result says
    which role each ``[PERSOON-n]`` of a case person stands for.
    """
    persons = case.get("persons", [])
    network = case.get("network", [])
    person_names = [p.get("name") or "" for p in persons]
    member_names = [
        name
        for m in network
        if m.get("partner") in PERSONAL_PARTNERS
        for name in _names_in(m.get("name"))
    ]
    person_names = [n for n in person_names if n]
    providers = [
        pl.get("provider")
        for p in persons
        for pl in p.get("placements", [])
        if looks_like_a_name(pl.get("provider"))
        and not any(n in pl.get("provider").split() for n in person_names)
    ]
    pseudonymizer = Pseudonymizer(person_names + member_names, providers, deidentifier)

    # Not the title: in title case deduce takes words for names ("Twee Kanten van de
    # Zaal"); the title gets the names learned from the other texts.
    texts = [case.get("narrative"), case.get("child_perspective")]
    texts += [m.get("name") for m in network]
    texts += [pl.get("provider") for p in persons for pl in p.get("placements", [])]
    for solution in case.get("solutions", []):
        texts += [solution.get("title"), solution.get("summary")]
    for text in texts:
        pseudonymizer.learn(text)
    replace = pseudonymizer.replace

    roles = person_roles(case)
    tags = {}
    for person in persons:
        name = " ".join((person.get("name") or "").split())
        number = pseudonymizer.numbers.get(("PERSOON", _key(name))) if name else None
        if number:
            tags[f"PERSOON-{number}"] = roles[person["id"]]
    copy = {
        "format": "library-case/1",
        "title": pseudonymizer.replace(case.get("title"), use_deduce=False),
        "region": case.get("region"),
        "goal": case.get("goal"),
        "status": case.get("status"),
        "started": _year(case.get("started")),
        "narrative": replace(case.get("narrative")),
        "child_perspective": replace(case.get("child_perspective")),
        "persons": [
            {
                "id": p["id"],
                "name": roles[p["id"]],
                "sex": p.get("sex"),
                "birth_year": p.get("birth_year"),
                "deceased": p.get("deceased", False),
                "index": p.get("index", False),
                "problems": list(p.get("problems", [])),
                "interests": [replace(i) for i in p.get("interests", [])],
                "strengths": [replace(s) for s in p.get("strengths", [])],
                "residence": p.get("residence"),
                "placements": [
                    {
                        "residence": pl.get("residence"),
                        "provider": replace(pl.get("provider")),
                        "start": _year(pl.get("start")),
                        "end": _year(pl.get("end")),
                    }
                    for pl in p.get("placements", [])
                ],
            }
            for p in persons
        ],
        "relations": [dict(r) for r in case.get("relations", [])],
        "network": [
            {
                "id": m["id"],
                "name": replace(m.get("name")),
                "partner": m.get("partner"),
                "in_team": m.get("in_team", False),
                "ties": [dict(t) for t in m.get("ties", [])],
            }
            for m in network
        ],
        "solutions": [
            {
                "title": replace(s.get("title")),
                "summary": replace(s.get("summary")),
                "components": list(s.get("components", [])),
                "partners": list(s.get("partners", [])),
                "addresses": list(s.get("addresses", [])),
                "outcome": s.get("outcome"),
            }
            for s in case.get("solutions", [])
        ],
        "outcome": {
            "returned_home": (case.get("outcome") or {}).get("returned_home"),
            "family_contact_improved": (case.get("outcome") or {}).get("family_contact_improved"),
            "date": _year((case.get("outcome") or {}).get("date")),
        },
        "tags": tags,
    }
    return copy
