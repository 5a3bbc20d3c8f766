"""Validation and canonical form of the case exchange format (``case/1``).

``check_case`` walks a document and names every problem by its path, the way the
contract asks (``persons[2].sex: 'man' is not one of female, male, other, unknown``);
each problem also carries a Dutch sentence for the interface. ``canonical_case``
returns the document with every documented field present and defaults filled in:
that is what the store keeps and what an export gives back, so a round trip through
the system never loses a value that was given.
"""

import datetime
import re
from dataclasses import dataclass

from cases import codes
from cases.ancestry import cycle_links
from core import text as text_checks

# Used with fullmatch: "^...$" would also accept a trailing newline.
CODE_PATTERN = re.compile(r"[a-z0-9-]{2,64}")
LOCAL_ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

MAX_TITLE = 200
MAX_NAME = 120
MAX_TEXT = 20_000
MAX_WORD = 80
# A household is a short label ("moeder", "oma Ans"): persons with the same label live
# under one roof.
MAX_HOUSEHOLD = 60
MAX_ITEMS = 500
# Family trees imported from genealogy programs (GEDCOM) are far larger than a case
# drawn by hand: a royal tree holds 3,010 people and 4,000 parent links. Persons and
# relations get room for those; every other list keeps MAX_ITEMS.
MAX_PERSONS = 10_000
MAX_RELATIONS = 40_000
# Genealogy reaches back centuries (the royal tree starts in the 900s); year 0 and BC
# years have no place in a birth year.
EARLIEST_BIRTH_YEAR = 1

# How the interface names each text field, for the Dutch message about a control character.
DUTCH_LABELS = {
    "title": "Titel",
    "region": "Regio",
    "narrative": "Verhaal",
    "child_perspective": "Perspectief van het kind",
    "name": "Naam",
    "provider": "Aanbieder",
    "summary": "Samenvatting",
    "interests": "Interesses",
    "strengths": "Krachten",
    "components": "Onderdelen",
    "household": "Huishouden",
}

CASE_FIELDS = (
    "format", "code", "title", "region", "goal", "status", "started", "narrative",
    "child_perspective", "persons", "relations", "network", "solutions", "outcome",
)  # fmt: skip
PERSON_FIELDS = (
    "id", "name", "sex", "birth_year", "deceased", "index", "problems", "interests",
    "strengths", "residence", "placements", "in_team", "household",
)  # fmt: skip
PLACEMENT_FIELDS = ("residence", "provider", "start", "end")
RELATION_FIELDS = {
    "couple": ("kind", "a", "b", "status"),
    "parent": ("kind", "parent", "child", "type"),
    "emotional": ("kind", "a", "b", "quality", "by"),
}
# The qualities of an emotional relation that may say from whom it comes (``by``).
DIRECTED_QUALITIES = ("abuse", "conflict")
MEMBER_FIELDS = ("id", "name", "partner", "in_team", "ties")
TIE_FIELDS = ("person", "strength", "stressful", "flow")
SOLUTION_FIELDS = ("title", "summary", "components", "partners", "addresses", "outcome")
OUTCOME_FIELDS = ("returned_home", "family_contact_improved", "date")


@dataclass(frozen=True)
class Issue:
    """One problem in a document: where, what (English, precise), and a Dutch sentence."""

    path: str
    message: str
    dutch: str

    def __str__(self):
        return f"{self.path}: {self.message}" if self.path else self.message


class CaseFormatError(ValueError):
    """A document breaks the contract; ``issues`` names every problem."""

    def __init__(self, issues):
        self.issues = list(issues)
        super().__init__("; ".join(str(issue) for issue in self.issues))


def _join(path, key):
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _one_of(allowed):
    return ", ".join(allowed)


def _is_unicode(value):
    """False for text with lone surrogates (JSON allows "\\ud800"): UTF-8 cannot store it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Checker:
    """Collects issues while walking one document."""

    def __init__(self):
        self.issues = []

    def add(self, path, message, dutch):
        self.issues.append(Issue(path, message, dutch))

    def object(self, value, path, fields, required=()):
        """Check that ``value`` is an object with known fields; return it or None."""
        if not isinstance(value, dict):
            self.add(path, "must be an object", "Dit moet een object zijn.")
            return None
        for key in value:
            if key not in fields:
                self.add(
                    _join(path, key),
                    f"unknown field (known: {_one_of(fields)})",
                    "Onbekend veld.",
                )
        for key in required:
            if key not in value or value[key] is None:
                self.add(_join(path, key), "is required", "Dit veld is verplicht.")
        return value

    def controls(self, value, where, key, *, multiline=False):
        """Refuse invisible control characters; True when there are none."""
        found = text_checks.control_character(value, multiline=multiline)
        if found is None:
            return True
        allowed = "only tab and line breaks are allowed" if multiline else "none is allowed here"
        self.add(
            where,
            f"contains a control character ({text_checks.describe(*found)}); {allowed}",
            f"{DUTCH_LABELS.get(key, 'Deze tekst')} bevat een onzichtbaar stuurteken; "
            "verwijder het.",
        )
        return False

    def text(self, obj, key, path, *, limit=MAX_TEXT, required=False, multiline=False):
        """``multiline``: a long free text, where tab and line breaks belong."""
        value = obj.get(key)
        where = _join(path, key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(where, "must be a string", "Dit moet tekst zijn.")
            return None
        if not _is_unicode(value):
            self.add(where, "is not valid Unicode text", "Deze tekst bevat ongeldige tekens.")
            return None
        if not self.controls(value, where, key, multiline=multiline):
            return None
        if len(value) > limit:
            self.add(
                where,
                f"is {len(value)} characters long, at most {limit} allowed",
                f"Dit is te lang: hooguit {limit} tekens.",
            )
        if required and not value.strip():
            self.add(where, "must not be empty", "Vul dit veld in.")
        return value

    def choice(self, obj, key, path, allowed):
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or value not in allowed:
            self.add(
                _join(path, key),
                f"{value!r} is not one of {_one_of(allowed)}",
                f"Kies een van: {', '.join(allowed.values())}.",
            )
            return None
        return value

    def boolean(self, obj, key, path):
        value = obj.get(key)
        if value is not None and not isinstance(value, bool):
            self.add(_join(path, key), "must be true or false", "Dit moet ja of nee zijn.")

    def date(self, obj, key, path):
        value = obj.get(key)
        if value is None:
            return None
        where = _join(path, key)
        if isinstance(value, str) and DATE_PATTERN.fullmatch(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        self.add(
            where,
            f"{value!r} is not a date in the form YYYY-MM-DD",
            "Geef een geldige datum (jjjj-mm-dd).",
        )
        return None

    def array(self, obj, key, path, *, limit=MAX_ITEMS):
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(_join(path, key), "must be a list", "Dit moet een lijst zijn.")
            return []
        if len(value) > limit:
            self.add(
                _join(path, key),
                f"has {len(value)} items, at most {limit} allowed",
                f"Hooguit {limit} items.",
            )
            return []
        return value

    def code_list(self, obj, key, path, allowed):
        where = _join(path, key)
        seen = set()
        for i, value in enumerate(self.array(obj, key, path)):
            if not isinstance(value, str) or value not in allowed:
                self.add(
                    _join(where, i),
                    f"{value!r} is not one of {_one_of(allowed)}",
                    f"Kies een van: {', '.join(allowed.values())}.",
                )
            elif value in seen:
                self.add(
                    _join(where, i),
                    f"{value!r} is listed twice",
                    f"'{allowed[value]}' staat er twee keer in.",
                )
            else:
                seen.add(value)

    def word_list(self, obj, key, path):
        where = _join(path, key)
        for i, value in enumerate(self.array(obj, key, path)):
            if not isinstance(value, str) or not value.strip():
                self.add(_join(where, i), "must be a non-empty string", "Vul een woord in.")
            elif not _is_unicode(value):
                self.add(
                    _join(where, i), "is not valid Unicode text", "Dit bevat ongeldige tekens."
                )
            elif not self.controls(value, _join(where, i), key):
                pass
            elif len(value) > MAX_WORD:
                self.add(
                    _join(where, i),
                    f"is longer than {MAX_WORD} characters",
                    f"Hooguit {MAX_WORD} tekens.",
                )

    def local_id(self, obj, path, taken, kind):
        value = obj.get("id")
        where = _join(path, "id")
        if value is None:
            return None
        if not isinstance(value, str) or not LOCAL_ID_PATTERN.fullmatch(value):
            self.add(
                where,
                f"{value!r} is not an id of 1-64 letters, digits, '_', '.' or '-'",
                "Gebruik 1-64 letters, cijfers, '_', '.' of '-'.",
            )
            return None
        if value in taken:
            self.add(
                where,
                f"{value!r} is used twice ({taken[value]} and {kind})",
                f"De id '{value}' is al in gebruik.",
            )
            return None
        taken[value] = kind
        return value


def check_case(doc):
    """Return every problem in ``doc`` as a list of :class:`Issue` (empty when valid)."""
    check = _Checker()
    if check.object(doc, "", CASE_FIELDS, ("format", "code", "title", "goal", "persons")) is None:
        return check.issues
    if "format" in doc and doc["format"] != codes.FORMAT:
        check.add(
            "format",
            f"{doc['format']!r} is not {codes.FORMAT!r}",
            f"Alleen formaat {codes.FORMAT} wordt gelezen.",
        )
    code = doc.get("code")
    if code is not None and (not isinstance(code, str) or not CODE_PATTERN.fullmatch(code)):
        check.add(
            "code",
            f"{code!r} does not match [a-z0-9-]{{2,64}}",
            "Gebruik 2-64 kleine letters, cijfers of '-'.",
        )
    check.text(doc, "title", "", limit=MAX_TITLE, required=True)
    check.text(doc, "region", "", limit=MAX_NAME)
    check.choice(doc, "goal", "", codes.GOALS)
    check.choice(doc, "status", "", codes.STATUSES)
    check.date(doc, "started", "")
    check.text(doc, "narrative", "", multiline=True)
    check.text(doc, "child_perspective", "", multiline=True)

    ids = {}
    persons = _check_persons(check, doc, ids)
    _check_relations(check, doc, persons)
    _check_network(check, doc, persons, ids)
    _check_solutions(check, doc)
    outcome = doc.get("outcome")
    if outcome is not None and check.object(outcome, "outcome", OUTCOME_FIELDS) is not None:
        check.boolean(outcome, "returned_home", "outcome")
        check.boolean(outcome, "family_contact_improved", "outcome")
        check.date(outcome, "date", "outcome")
    return check.issues


def _check_persons(check, doc, ids):
    """Check the persons; return {id: person} for those with a usable id."""
    persons = {}
    items = check.array(doc, "persons", "", limit=MAX_PERSONS)
    if "persons" in doc and isinstance(doc["persons"], list) and not doc["persons"]:
        check.add("persons", "must hold at least one person", "Voeg minstens één persoon toe.")
    this_year = datetime.date.today().year
    index_paths = []
    for i, person in enumerate(items):
        path = _join("persons", i)
        if check.object(person, path, PERSON_FIELDS, ("id",)) is None:
            continue
        pid = check.local_id(person, path, ids, path)
        check.text(person, "name", path, limit=MAX_NAME)
        check.choice(person, "sex", path, codes.SEXES)
        year = person.get("birth_year")
        if year is not None and (
            not isinstance(year, int)
            or isinstance(year, bool)
            or not EARLIEST_BIRTH_YEAR <= year <= this_year
        ):
            check.add(
                _join(path, "birth_year"),
                f"{year!r} is not a year from {EARLIEST_BIRTH_YEAR} to {this_year}",
                f"Geef een geboortejaar tussen {EARLIEST_BIRTH_YEAR} en {this_year}.",
            )
        check.boolean(person, "deceased", path)
        check.boolean(person, "index", path)
        if person.get("index") is True:
            index_paths.append(path)
        check.code_list(person, "problems", path, codes.PROBLEMS)
        check.word_list(person, "interests", path)
        check.word_list(person, "strengths", path)
        check.choice(person, "residence", path, codes.RESIDENCES)
        _check_placements(check, person, path)
        _check_lives_where_placed(check, person, path)
        check.boolean(person, "in_team", path)
        household = check.text(person, "household", path, limit=MAX_HOUSEHOLD)
        if household is not None and not household.strip():
            check.add(
                _join(path, "household"),
                "must not be empty (leave it out or null)",
                "Vul een huishouden in of laat het leeg.",
            )
        if pid is not None:
            persons[pid] = person
    if items and not index_paths:
        check.add(
            "persons",
            'no person has "index": true',
            "Geef aan om welk kind het gaat (indexkind).",
        )
    # Several index children are allowed (siblings placed together, or siblings the
    # conference is about together): the exchange format asks for at least one.
    return persons


def _check_placements(check, person, path):
    placements = check.array(person, "placements", path)
    open_at = None
    latest_start = None
    for i, placement in enumerate(placements):
        where = _join(_join(path, "placements"), i)
        if check.object(placement, where, PLACEMENT_FIELDS, ("residence", "start")) is None:
            continue
        check.choice(placement, "residence", where, codes.RESIDENCES)
        check.text(placement, "provider", where, limit=MAX_NAME)
        start = check.date(placement, "start", where)
        end = check.date(placement, "end", where)
        if start and end and end < start:
            check.add(
                _join(where, "end"),
                f"{placement['end']} is before start {placement['start']}",
                "De einddatum ligt voor de begindatum.",
            )
        if "end" not in placement or placement["end"] is None:
            if open_at is not None:
                check.add(
                    _join(where, "end"),
                    f"a second open placement ({open_at} has no end either)",
                    "Er loopt al een plaatsing; sluit die eerst af.",
                )
            open_at = where
        if start and latest_start and start < latest_start:
            check.add(
                _join(where, "start"),
                "placements must be in order of start date",
                "Zet de plaatsingen op volgorde van begindatum.",
            )
        if start:
            latest_start = max(start, latest_start or start)
    if open_at is not None and open_at != _join(_join(path, "placements"), len(placements) - 1):
        check.add(
            open_at + ".end",
            "only the last placement may be open",
            "Alleen de laatste plaatsing kan nog lopen.",
        )


def _check_lives_where_placed(check, person, path):
    """'Woont nu' and a running placement must agree (an open JeugdzorgPlus placement with
    residence 'thuis' would tell the table two things)."""
    placements = person.get("placements")
    residence = person.get("residence")
    if not isinstance(placements, list) or not isinstance(residence, str):
        return
    running = [p for p in placements if isinstance(p, dict) and p.get("end") is None]
    if len(running) != 1 or residence not in codes.RESIDENCES:
        return  # none running, or a second one: the placements' own issue
    placed = running[0].get("residence")
    if isinstance(placed, str) and placed in codes.RESIDENCES and placed != residence:
        check.add(
            _join(path, "residence"),
            f"residence {residence!r} contradicts the running placement ({placed!r} since "
            f"{running[0].get('start')})",
            f"‘Woont nu’ ({codes.RESIDENCES[residence]}) past niet bij de lopende plaatsing "
            f"({codes.RESIDENCES[placed]}): pas ‘Woont nu’ aan of geef de plaatsing een "
            "einddatum.",
        )


def _person_ref(check, obj, key, path, persons):
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or value not in persons:
        check.add(
            _join(path, key),
            f"{value!r} is not the id of a person in this case",
            "Kies een persoon uit dit gezin.",
        )
        return None
    return value


def _check_relations(check, doc, persons):
    seen = {}
    parents_of = {}
    for i, relation in enumerate(check.array(doc, "relations", "", limit=MAX_RELATIONS)):
        path = _join("relations", i)
        if not isinstance(relation, dict):
            check.add(path, "must be an object", "Dit moet een object zijn.")
            continue
        kind = relation.get("kind")
        if not isinstance(kind, str) or kind not in codes.RELATION_KINDS:
            check.add(
                _join(path, "kind"),
                f"{kind!r} is not one of {_one_of(codes.RELATION_KINDS)}",
                "Kies een soort relatie.",
            )
            continue
        fields = RELATION_FIELDS[kind]
        detail_key, allowed = {
            "couple": ("status", codes.COUPLE_STATUSES),
            "parent": ("type", codes.PARENT_TYPES),
            "emotional": ("quality", codes.EMOTIONAL_QUALITIES),
        }[kind]
        required = {"couple": fields, "parent": fields[:3], "emotional": fields[:4]}[kind]
        check.object(relation, path, fields, required)
        one = _person_ref(check, relation, fields[1], path, persons)
        two = _person_ref(check, relation, fields[2], path, persons)
        detail = check.choice(relation, detail_key, path, allowed)
        if kind == "emotional":
            _check_by(check, relation, path, detail, (one, two))
        if one is None or two is None:
            continue
        if one == two:
            check.add(path, "relates a person to themselves", "Kies twee verschillende personen.")
            continue
        key = (kind, one, two) if kind == "parent" else (kind, *sorted((one, two)))
        if key in seen:
            check.add(
                path,
                f"the same relation as {seen[key]}",
                "Deze relatie staat er al.",
            )
            continue
        seen[key] = path
        widowed = persons[one].get("deceased") or persons[two].get("deceased")
        if kind == "couple" and detail == "ended_by_death" and not widowed:
            check.add(
                _join(path, "status"),
                "'ended_by_death' but neither partner is deceased",
                "Geen van beide partners is overleden.",
            )
        if kind == "parent":
            _check_parent_link(check, path, persons, one, two, relation.get("type"))
            parents_of.setdefault(two, []).append((one, relation.get("type"), path))
    for child, links in parents_of.items():
        biological = [path for _, kind, path in links if kind in (None, "biological")]
        if len(biological) > 2:
            check.add(
                biological[2],
                f"{child!r} would have more than two biological parents",
                "Een kind heeft hooguit twee biologische ouders.",
            )
    _check_no_parent_cycle(check, parents_of)


def _check_by(check, relation, path, quality, pair):
    """``by`` of an emotional relation: only for abuse and conflict, and one of the two."""
    by = relation.get("by")
    if by is None:
        return
    where = _join(path, "by")
    if quality is not None and quality not in DIRECTED_QUALITIES:
        check.add(
            where,
            f"only allowed when quality is {' or '.join(DIRECTED_QUALITIES)}, not {quality!r}",
            "Van wie het komt, geef je alleen aan bij mishandeling of conflict.",
        )
        return
    if None in pair:
        return  # a person reference that is wrong is named already
    if not isinstance(by, str) or by not in pair:
        check.add(
            where,
            f"{by!r} is not one of the two persons of this relation ({pair[0]!r} or {pair[1]!r})",
            "Kies een van de twee personen van deze relatie.",
        )


def _check_parent_link(check, path, persons, parent, child, kind):
    parent_year = persons[parent].get("birth_year")
    child_year = persons[child].get("birth_year")
    both_known = isinstance(parent_year, int) and isinstance(child_year, int)
    if both_known and kind in (None, "biological") and parent_year >= child_year:
        check.add(
            path,
            f"parent {parent!r} (born {parent_year}) is not older than child "
            f"{child!r} (born {child_year})",
            "Een ouder moet ouder zijn dan het kind.",
        )


def _check_no_parent_cycle(check, parents_of):
    """Parenthood must not loop: nobody is their own ancestor."""
    links = {
        child: [(parent, path) for parent, _, path in parents]
        for child, parents in parents_of.items()
    }
    for trail, parent, path in cycle_links(links):
        cycle = " -> ".join([*trail, parent])
        check.add(
            path,
            f"parenthood forms a cycle ({cycle})",
            "Deze ouderrelatie maakt iemand zijn eigen voorouder.",
        )


def _check_network(check, doc, persons, ids):
    for i, member in enumerate(check.array(doc, "network", "")):
        path = _join("network", i)
        if check.object(member, path, MEMBER_FIELDS, ("id", "partner")) is None:
            continue
        check.local_id(member, path, ids, path)
        check.text(member, "name", path, limit=MAX_NAME)
        check.choice(member, "partner", path, codes.PARTNERS)
        check.boolean(member, "in_team", path)
        tied = {}
        for j, tie in enumerate(check.array(member, "ties", path)):
            where = _join(_join(path, "ties"), j)
            if check.object(tie, where, TIE_FIELDS, ("person",)) is None:
                continue
            person = _person_ref(check, tie, "person", where, persons)
            check.choice(tie, "strength", where, codes.TIE_STRENGTHS)
            check.boolean(tie, "stressful", where)
            check.choice(tie, "flow", where, codes.TIE_FLOWS)
            if person is not None and person in tied:
                check.add(
                    _join(where, "person"),
                    f"{person!r} is tied twice (also at {tied[person]})",
                    "Er is al een band met deze persoon.",
                )
            elif person is not None:
                tied[person] = where


def _check_solutions(check, doc):
    for i, solution in enumerate(check.array(doc, "solutions", "")):
        path = _join("solutions", i)
        if check.object(solution, path, SOLUTION_FIELDS, ("title",)) is None:
            continue
        check.text(solution, "title", path, limit=MAX_TITLE, required=True)
        check.text(solution, "summary", path, multiline=True)
        check.word_list(solution, "components", path)
        check.code_list(solution, "partners", path, codes.PARTNERS)
        check.code_list(solution, "addresses", path, codes.PROBLEMS)
        check.choice(solution, "outcome", path, codes.SOLUTION_OUTCOMES)


def validate_case(doc):
    """Return the problems of ``doc`` as strings (``path: message``); empty when valid."""
    return [str(issue) for issue in check_case(doc)]


def canonical_case(doc):
    """Validate ``doc`` and return it complete: every documented field, defaults filled.

    Raises :class:`CaseFormatError` when the document breaks the contract.
    """
    issues = check_case(doc)
    if issues:
        raise CaseFormatError(issues)
    outcome = doc.get("outcome") or {}
    return {
        "format": codes.FORMAT,
        "code": doc["code"],
        "title": doc["title"],
        "region": doc.get("region"),
        "goal": doc["goal"],
        "status": doc.get("status") or "active",
        "started": doc.get("started"),
        "narrative": doc.get("narrative"),
        "child_perspective": doc.get("child_perspective"),
        "persons": [_canonical_person(p) for p in doc["persons"]],
        "relations": [_canonical_relation(r) for r in doc.get("relations") or []],
        "network": [_canonical_member(m) for m in doc.get("network") or []],
        "solutions": [_canonical_solution(s) for s in doc.get("solutions") or []],
        "outcome": {key: outcome.get(key) for key in OUTCOME_FIELDS},
    }


def _canonical_person(person):
    return {
        "id": person["id"],
        "name": person.get("name"),
        "sex": person.get("sex") or "unknown",
        "birth_year": person.get("birth_year"),
        "deceased": bool(person.get("deceased")),
        "index": bool(person.get("index")),
        "problems": list(person.get("problems") or []),
        "interests": list(person.get("interests") or []),
        "strengths": list(person.get("strengths") or []),
        "residence": person.get("residence"),
        "placements": [
            {
                "residence": placement["residence"],
                "provider": placement.get("provider"),
                "start": placement["start"],
                "end": placement.get("end"),
            }
            for placement in person.get("placements") or []
        ],
        "in_team": bool(person.get("in_team")),
        "household": person.get("household"),
    }


def _canonical_relation(relation):
    kind = relation["kind"]
    if kind == "parent":
        return {
            "kind": kind,
            "parent": relation["parent"],
            "child": relation["child"],
            "type": relation.get("type") or "biological",
        }
    if kind == "couple":
        return {"kind": kind, "a": relation["a"], "b": relation["b"], "status": relation["status"]}
    found = {"kind": kind, "a": relation["a"], "b": relation["b"], "quality": relation["quality"]}
    if relation["quality"] in DIRECTED_QUALITIES:
        found["by"] = relation.get("by")  # documented for these two only: null = mutual
    return found


def _canonical_member(member):
    return {
        "id": member["id"],
        "name": member.get("name"),
        "partner": member["partner"],
        "in_team": bool(member.get("in_team")),
        "ties": [
            {
                "person": tie["person"],
                "strength": tie.get("strength") or "normal",
                "stressful": bool(tie.get("stressful")),
                "flow": tie.get("flow") or "both",
            }
            for tie in member.get("ties") or []
        ],
    }


def _canonical_solution(solution):
    return {
        "title": solution["title"],
        "summary": solution.get("summary"),
        "components": list(solution.get("components") or []),
        "partners": list(solution.get("partners") or []),
        "addresses": list(solution.get("addresses") or []),
        "outcome": solution.get("outcome") or "ongoing",
    }


def parse_cases(data):
    """Canonicalise one case or a list of cases; every problem across the lot is raised.

    In a list, paths are prefixed with the case's position (``[3].persons[0].sex``).
    Codes used twice in one list are refused too.
    """
    if isinstance(data, dict):
        return [canonical_case(data)]
    if not isinstance(data, list) or not data:
        raise CaseFormatError(
            [
                Issue(
                    "", "expected a case object or a non-empty list of them", "Geen casus gevonden."
                )
            ]
        )
    issues, cases, seen = [], [], {}
    for i, doc in enumerate(data):
        for issue in check_case(doc):
            path = f"[{i}]" + (
                "." + issue.path if issue.path and issue.path[0] != "[" else issue.path
            )
            issues.append(Issue(path, issue.message, issue.dutch))
        code = doc.get("code") if isinstance(doc, dict) else None
        if isinstance(code, str):
            if code in seen:
                issues.append(
                    Issue(
                        f"[{i}].code",
                        f"{code!r} is used twice (also at [{seen[code]}])",
                        "Dubbele code.",
                    )
                )
            seen.setdefault(code, i)
    if issues:
        raise CaseFormatError(issues)
    for doc in data:
        cases.append(canonical_case(doc))
    return cases
