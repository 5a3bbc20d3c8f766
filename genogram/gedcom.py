"""GEDCOM 5.5/5.5.1 family trees in and out of the case exchange format (``case/1``).

Pure: no Flask, no database. ``read_gedcom`` turns a file written by a genealogy
program into a new case plus a list of :class:`Notice` for what it had to leave out;
``write_gedcom`` writes a case as GEDCOM 5.5.1. Parsing is ged4py's (encodings
UTF-8, UTF-16, ANSEL, ASCII and the illegal-but-common ANSI/CP1252, dates of every
GEDCOM form); this module only maps records.

Import, what comes across:

- INDI -> person. ``id`` from the xref (``@I1@`` -> ``i1``); ``name`` the given names
  only: a case holds first names or pseudonyms, never surnames, so the surname (the
  part between slashes, SURN, a married or maiden name) is dropped, a name without a
  marked surname keeps its first word only, and a middle name that is the surname of
  a parent or partner goes too (John Fitzgerald, son of Rose Fitzgerald, is John; the
  first given name always stays); ``sex`` M/F -> male/female, X ->
  other (the common extension), anything else unknown; ``birth_year`` the year of the
  first BIRT DATE that has one, whatever its form (ABT, BEF, AFT, BET .. AND .., FROM
  .. TO ..: the first year named; a dual year 1731/32 -> 1732; Hebrew and French
  republican dates converted), dropped when before year 1 or in the future;
  ``deceased`` when there is a DEAT record (not ``DEAT N``).
- FAM with HUSB and WIFE -> a couple. Status: ``divorced`` with DIV (or ANUL; PAF's
  ``DIV N``, "not divorced", does not count),
  ``separated`` with a separation event (``EVEN`` of TYPE separation, ``_SEPR``),
  ``married`` with MARR, else ``cohabiting``: a family record without a marriage is
  a partnership whose marriage the file does not show, and the contract has no
  "unknown" status; a genogram draws it as an unmarried couple. Our own export adds
  ``_MTW_STATUS`` for what GEDCOM cannot say (``ended_by_death``; ``none`` for
  parents who are no couple), which wins when present. A FAM with one spouse has no
  couple relation, only parent links.
- Each CHIL of a FAM (and each FAMC of an INDI) -> parent links from HUSB and WIFE.
  Type ``biological``; ``adoptive`` when the child's FAMC has PEDI adopted or an ADOP
  event names the family (ADOP HUSB or WIFE: only that parent adopted, the other is
  biological); ``foster`` for PEDI foster or guardian; ``step`` for PEDI step (an
  extension some programs write). Other pedigrees (sealing, other) are dropped.
- Whatever the contract refuses is dropped with a notice: a second couple record for
  the same pair, a person linked to themselves, the same parent link twice, a third
  biological parent (the links of the child's first families are kept), a link that
  would make someone their own ancestor, and birth years that make a biological parent
  not older than the child (the birth year is dropped, not the link: the tree's shape
  is what a genogram is for; of the two, the year of whoever is in most conflicts
  goes, the child's on a tie).
- The case: format case/1, status active, the given code, title and goal (default
  ``family_strengthening``: a family tree is the start of mobilising the family).
- The index person: the ``index`` xref when given; else the person an export of ours
  marked (``_MTW_INDEX``); else the youngest living person with a parent in the file
  (latest birth year; without any birth years the first such person); else the first
  individual.

Not imported: places, dates other than the birth year, notes, sources, media, titles,
occupations and every other record; one notice says so.

Export (GEDCOM 5.5.1, UTF-8): HEAD (SOUR Maatwerktafel, GEDC VERS 5.5.1 FORM
LINEAGE-LINKED, CHAR UTF-8, SUBM), per person an INDI (NAME ``given //`` with GIVN,
SEX, BIRT DATE year, DEAT Y), per couple a FAM (MARR for married, divorced and
ended_by_death, DIV for divorced, a separation EVEN for separated), parents of a
child grouped into FAMs by link type (PEDI adopted with an ADOP event, foster, step on
the FAMC), TRLR. Emotional relations, the network, problems, placements and
everything else of a case have no GEDCOM form and are left out
(:func:`not_exported` names them). ``read_gedcom(write_gedcom(case))`` gives back the
persons (ids too, when they are lower-case letters, digits and ``_``), sexes, birth
years, deaths, the index, couples with their status and parent links with their type.
"""

import codecs
import datetime
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import convertdate.gregorian
from ged4py.calendar import CalendarType
from ged4py.date import DateValue, DateValueTypes
from ged4py.parser import CodecError, GedcomReader, IntegrityError, ParserError, guess_codec

from cases import codes
from cases.ancestry import cycle_links
from cases.validation import EARLIEST_BIRTH_YEAR, LOCAL_ID_PATTERN, MAX_NAME

DEFAULT_GOAL = "family_strengthening"

# Our own tags (GEDCOM allows user tags that start with "_"): what 5.5.1 cannot say.
STATUS_TAG = "_MTW_STATUS"
INDEX_TAG = "_MTW_INDEX"
NO_COUPLE = "none"

SEX_FROM_GEDCOM = {"M": "male", "F": "female", "X": "other"}
SEX_TO_GEDCOM = {"male": "M", "female": "F", "other": "X", "unknown": "U"}
PEDIGREE_TYPES = {
    None: "biological",
    "": "biological",
    "birth": "biological",
    "adopted": "adoptive",
    "foster": "foster",
    "guardian": "foster",
    "step": "step",
}
PEDIGREE_TO_GEDCOM = {"adoptive": "adopted", "foster": "foster", "step": "step"}
# Record tags whose content comes across; everything else is named in one notice.
_READ_TAGS = {"HEAD", "TRLR", "SUBM", "INDI", "FAM"}
_READ_INDI_TAGS = {"NAME", "SEX", "BIRT", "DEAT", "FAMC", "FAMS", "ADOP", INDEX_TAG}
_READ_FAM_TAGS = {"HUSB", "WIFE", "CHIL", "MARR", "DIV", "ANUL", "EVEN", "_SEPR", STATUS_TAG}
_SEPARATION = re.compile(r"separat|scheiding|getrennt", re.IGNORECASE)
_XREF_CHARS = re.compile(r"[^A-Za-z0-9_.-]")
_EXPORT_ID = re.compile(r"[a-z0-9_]{1,20}")
# The export's own xrefs: families F1, F2, ... and the submitter U1. A person id that
# would read as one of them gets an X1, X2, ... xref instead.
_EXPORT_RESERVED = re.compile(r"F\d+|U1")
_YEAR_IN_PHRASE = re.compile(r"(?<!\d)(\d{3,4})(?!\d)")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class GedcomError(ValueError):
    """The file cannot be read as GEDCOM; nothing of it may be stored.

    ``str(error)`` is English (for the command line), ``dutch`` for the interface.
    """

    def __init__(self, message, dutch):
        super().__init__(message)
        self.dutch = dutch


@dataclass(frozen=True)
class Notice:
    """Something the import left out or changed: ``code`` says what kind, for counting."""

    code: str
    message: str
    dutch: str

    def __str__(self):
        return self.message


class GedcomImport(NamedTuple):
    """What :func:`read_gedcom` returns: the case document and the notices."""

    case: dict
    warnings: list


@dataclass
class _Indi:
    xref: str
    given: list  # given-name words, own surnames taken out
    surnames: set  # own surname words, lower case
    sex: str
    birth_year: int | None
    deceased: bool
    famc: list  # [(family xref, PEDI value or None)]
    adoptions: dict  # {family xref: "HUSB" | "WIFE" | "BOTH"}
    marked_index: bool


@dataclass
class _Fam:
    xref: str
    husbands: list
    wives: list
    children: list
    married: bool
    divorced: bool
    separated: bool
    own_status: str | None


# Reading the file


def read_gedcom(source, *, code, title, goal=DEFAULT_GOAL, index=None):
    """Read a GEDCOM file (a path, or a binary file) as a new case.

    Returns ``GedcomImport(case, warnings)``: ``case`` in the exchange format (status
    active, the given code, title and goal), ``warnings`` a list of :class:`Notice`.
    ``index`` is the xref of the index person (``@I12@``, ``I12`` or ``i12``).
    Raises :class:`GedcomError` when the file cannot be parsed. The case is not
    validated here: the store does that (a code clash or a bad code is its to refuse).
    """
    notices = []
    indis, fams, skipped = _parse(_read_bytes(source), notices)
    if not indis:
        raise GedcomError(
            "no individuals (INDI records) in the file",
            "Het bestand bevat geen personen (INDI-records).",
        )
    builder = _CaseBuilder(indis, fams, notices)
    persons, relations = builder.build()
    index_id = builder.choose_index(index)
    for person in persons:
        if person["id"] == index_id:
            person["index"] = True
    _not_imported_notice(skipped, notices)
    case = {
        "format": codes.FORMAT,
        "code": code,
        "title": title,
        "goal": goal,
        "status": "active",
        "persons": persons,
        "relations": relations,
    }
    return GedcomImport(case, notices)


def _read_bytes(source):
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as file:
                return file.read()
        except OSError as error:
            raise GedcomError(
                f"cannot read the file: {error.strerror or error}",
                "Het bestand kan niet gelezen worden.",
            ) from error
    data = source.read()
    if not isinstance(data, bytes):
        raise TypeError("read_gedcom needs a path or a file opened in binary mode")
    return data


def _parse(data, notices):
    """Parse with ged4py; return ([_Indi], [_Fam], {skipped tag: count})."""
    data = _without_blank_lines(_utf16_as_utf8(data))
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    if not body.strip():
        raise GedcomError("the file is empty", "Het bestand is leeg.")
    if body.split(b"\n", 1)[0].split()[:2] != [b"0", b"HEAD"]:
        raise GedcomError(
            "not a GEDCOM file: it does not begin with a '0 HEAD' line",
            "Dit is geen GEDCOM-bestand: het begint niet met '0 HEAD'.",
        )
    indis, fams, skipped = [], [], {}
    unmarked = []
    last_tag = None
    try:
        codec, _ = guess_codec(io.BytesIO(data), warn=False)
        _encoding_notice(data, codec, notices)
        with GedcomReader(io.BytesIO(data), encoding=codec) as reader:
            for record in reader.records0():
                last_tag = record.tag
                if record.tag == "INDI":
                    indis.append(_read_indi(record, len(indis), skipped, data, unmarked))
                elif record.tag == "FAM":
                    fams.append(_read_fam(record, len(fams), skipped))
                elif record.tag not in _READ_TAGS:
                    skipped[record.tag] = skipped.get(record.tag, 0) + 1
    except UnicodeDecodeError as error:
        raise GedcomError(
            f"the text is not valid {error.encoding} (as the file declares) at byte {error.start}",
            "De tekens in het bestand passen niet bij de tekenset die het opgeeft.",
        ) from error
    except CodecError as error:
        raise GedcomError(
            f"unknown character set: {error}", "Het bestand gebruikt een onbekende tekenset."
        ) from error
    except (ParserError, IntegrityError, ValueError, LookupError, OSError) as error:
        raise GedcomError(
            f"not valid GEDCOM: {error}", "Het bestand is geen geldig GEDCOM."
        ) from error
    if last_tag != "TRLR":
        raise GedcomError(
            "the file is incomplete: it does not end with a '0 TRLR' line",
            "Het bestand is onvolledig: de afsluitende regel '0 TRLR' ontbreekt.",
        )
    if unmarked:
        examples = ", ".join(unmarked[:5]) + (", ..." if len(unmarked) > 5 else "")
        notices.append(
            Notice(
                "surname_unmarked",
                f"{len(unmarked)} names have no surname between slashes; only their first "
                f"word was kept ({examples})",
                f"{len(unmarked)} namen hebben geen achternaam tussen schuine strepen; "
                f"alleen het eerste woord is overgenomen ({examples}).",
            )
        )
    return indis, fams, skipped


def _without_blank_lines(data):
    """One line ending, no blank lines, no DOS end-of-file mark (Ctrl-Z).

    ged4py refuses a whole file for one empty line, and old programs (PAF) end theirs
    with Ctrl-Z. Every encoding left here keeps ASCII as ASCII, so bytes can be split.
    """
    lines = re.split(rb"\r\n|\r|\n", data)
    return b"\n".join(line for line in lines if line.strip(b" \t\x1a")) + b"\n"


def _utf16_as_utf8(data):
    """ged4py reads lines as bytes; UTF-16 (GEDCOM's UNICODE) is re-encoded first."""
    if not data.startswith(_UTF16_BOMS):
        return data
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as error:
        raise GedcomError(
            f"the text is not valid UTF-16 at byte {error.start}",
            "De tekens in het bestand zijn geen geldig UTF-16.",
        ) from error
    text = re.sub(r"(?m)^(\s*1\s+CHAR\s+).*$", r"\1UTF-8", text, count=1)
    return codecs.BOM_UTF8 + text.encode("utf-8")


def _encoding_notice(data, codec, notices):
    match = re.search(rb"(?m)^\s*1\s+CHAR\s+([^\r\n]+)", data[:4096])
    declared = match.group(1).decode("ascii", "replace").strip() if match else None
    known = {"UTF-8", "ANSEL", "ASCII", "UNICODE"}
    if declared is not None and declared.upper() not in known:
        notices.append(
            Notice(
                "encoding",
                f"the file declares character set {declared!r}, which GEDCOM does not "
                f"define; it was read as {codec}",
                f"Het bestand noemt tekenset '{declared}', die GEDCOM niet kent; "
                f"gelezen als {codec}.",
            )
        )


def _count_skipped(record, known, skipped, prefix):
    for sub in record.sub_records:
        if sub.tag not in known:
            key = f"{prefix}.{sub.tag}"
            skipped[key] = skipped.get(key, 0) + 1


def _read_indi(record, position, skipped, data, unmarked):
    _count_skipped(record, _READ_INDI_TAGS, skipped, "INDI")
    famc = [
        (sub.value, _lower(sub.sub_tag_value("PEDI", follow=False)))
        for sub in record.sub_tags("FAMC", follow=False)
        if isinstance(sub.value, str)
    ]
    adoptions = {}
    for event in record.sub_tags("ADOP", follow=False):
        family = event.sub_tag("FAMC", follow=False)
        if family is not None and isinstance(family.value, str):
            who = (family.sub_tag_value("ADOP", follow=False) or "BOTH").strip().upper()
            adoptions.setdefault(family.value, who if who in ("HUSB", "WIFE") else "BOTH")
    sex = (record.sub_tag_value("SEX", follow=False) or "").strip()[:1].upper()
    given, surnames = _given_name(record, data, unmarked)
    return _Indi(
        xref=record.xref_id or f"@INDI-{position + 1}@",
        given=given,
        surnames=surnames,
        sex=SEX_FROM_GEDCOM.get(sex, "unknown"),
        birth_year=_birth_year(record),
        deceased=_happened(record, "DEAT"),
        famc=famc,
        adoptions=adoptions,
        marked_index=record.sub_tag(INDEX_TAG, follow=False) is not None,
    )


def _read_fam(record, position, skipped):
    _count_skipped(record, _READ_FAM_TAGS, skipped, "FAM")

    def pointers(tag):
        return [sub.value for sub in record.sub_tags(tag, follow=False) if _is_pointer(sub.value)]

    separated = record.sub_tag("_SEPR", follow=False) is not None or any(
        _SEPARATION.search(event.sub_tag_value("TYPE", follow=False) or "")
        for event in record.sub_tags("EVEN", follow=False)
    )
    own = (record.sub_tag_value(STATUS_TAG, follow=False) or "").strip()
    return _Fam(
        xref=record.xref_id or f"@FAM-{position + 1}@",
        husbands=pointers("HUSB"),
        wives=pointers("WIFE"),
        children=pointers("CHIL"),
        married=_happened(record, "MARR"),
        divorced=_happened(record, "DIV") or _happened(record, "ANUL"),
        separated=separated,
        own_status=own if own in codes.COUPLE_STATUSES or own == NO_COUPLE else None,
    )


def _happened(record, tag):
    """An event is there, and not denied: PAF writes ``1 DIV N`` for "not divorced"."""
    return any(
        (event.value or "").strip().upper() != "N" for event in record.sub_tags(tag, follow=False)
    )


def _is_pointer(value):
    return isinstance(value, str) and len(value) > 2 and value[0] == value[-1] == "@"


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else None


def _given_name(record, data, unmarked):
    """The given names of an INDI as words, with every surname it records taken out;
    and those surnames (lower case), for the names of its relatives.

    GIVN when there is one; else the NAME outside its slashes (the surname). A NAME
    without slashes may still hold a surname at its end: then only its first word is
    kept, and its xref goes on ``unmarked`` for the notice.
    """
    names = record.sub_tags("NAME", follow=False)
    if not names:
        return [], set()
    primary = next((n for n in names if n.sub_tag("TYPE", follow=False) is None), names[0])
    parts = primary.value if isinstance(primary.value, tuple) else ("", "", "")
    raw = primary.sub_tag_value("GIVN", follow=False)
    surnames = set()
    for name in names:
        if isinstance(name.value, tuple):
            surnames.update(w for part in name.value[1::2] for w in part.lower().split())
        for tag in ("SURN", "_MARNM", "_MARN"):
            surnames.update((name.sub_tag_value(tag, follow=False) or "").lower().split())
    if not raw:
        raw = parts[0] or parts[2]
        if len(raw.split()) > 1 and b"/" not in _line_at(data, primary.offset):
            raw = raw.split()[0]
            unmarked.append(_bare(record.xref_id or "?"))
    # GIVN lists the given names with commas (GEDCOM's name pieces); a word that begins
    # with a hyphen is the tail of a double surname the slashes missed. ANSEL writes
    # accents as combining marks: compose them, so "é" is one character.
    words = [
        unicodedata.normalize("NFC", w)
        for w in raw.replace("@@", "@").replace(",", " ").split()
        if w.lower() not in surnames and not w.startswith("-")
    ]
    return words, surnames


def _join_name(words):
    name = " ".join(words)
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME].rsplit(" ", 1)[0]
    return name or None


def _line_at(data, offset):
    """The line of the file at ``offset`` (ged4py keeps a NAME only in its split form)."""
    end = data.find(b"\n", offset)
    return data[offset : end if end != -1 else len(data)]


def _birth_year(record):
    for event in record.sub_tags("BIRT", follow=False):
        date = event.sub_tag("DATE", follow=False)
        if date is not None:
            year = _year(date.value)
            if year is not None:
                return year
    return None


def _year(value):
    """The (first) Gregorian year a GEDCOM date value names, or None."""
    if not isinstance(value, DateValue):
        return None  # a DATE whose value ged4py took for a pointer
    if value.kind is DateValueTypes.PHRASE:
        years = set(_YEAR_IN_PHRASE.findall(value.phrase or ""))
        return int(years.pop()) if len(years) == 1 else None
    two_dates = value.kind in (DateValueTypes.RANGE, DateValueTypes.PERIOD)
    date = value.date1 if two_dates else value.date
    if date.bc:
        return -date.year
    if date.calendar is CalendarType.GREGORIAN:
        return date.dual_year if date.dual_year is not None else date.year
    if date.calendar is CalendarType.JULIAN:
        return date.year
    year, _, _ = convertdate.gregorian.from_jd(date.key()[0])
    return year


# Building the case


class _CaseBuilder:
    def __init__(self, indis, fams, notices):
        self.indis = indis
        self.fams = {}
        for fam in fams:
            self.fams.setdefault(fam.xref, fam)
        self.fam_order = list(self.fams)
        self.child_in = {}  # child xref -> the families listing it as CHIL, in file order
        for xref in self.fam_order:
            for child in self.fams[xref].children:
                self.child_in.setdefault(child, []).append(xref)
        self.notices = notices
        self.ids = {}
        self.pids = []  # the person id of each INDI, in file order
        self.missing = set()
        self.persons = {}
        self.parents = {}  # child id -> [(parent id, type)]

    def note(self, code, message, dutch):
        self.notices.append(Notice(code, message, dutch))

    def label(self, person_id):
        person = self.persons[person_id]
        return f"{person['_xref']} ({person['name']})" if person["name"] else person["_xref"]

    def build(self):
        taken = set()
        names = self._names()
        for indi in self.indis:
            pid = _local_id(indi.xref, taken)
            if indi.xref in self.ids:
                self.note(
                    "duplicate_xref",
                    f"{_bare(indi.xref)} is used by two individuals; the second is "
                    f"imported as {pid} without family links",
                    f"{_bare(indi.xref)} staat bij twee personen; de tweede is overgenomen "
                    f"als {pid}, zonder familiebanden.",
                )
            self.ids.setdefault(indi.xref, pid)
            self.pids.append(pid)
            person = {
                "id": pid,
                "name": names[id(indi)],
                "sex": indi.sex,
                "_xref": _bare(indi.xref),
            }
            if indi.birth_year is not None:
                if EARLIEST_BIRTH_YEAR <= indi.birth_year <= datetime.date.today().year:
                    person["birth_year"] = indi.birth_year
                else:
                    self.note(
                        "birth_year_dropped",
                        f"{_bare(indi.xref)}: birth year {indi.birth_year} left out "
                        f"(only years from {EARLIEST_BIRTH_YEAR} to this year)",
                        f"{_bare(indi.xref)}: geboortejaar {indi.birth_year} weggelaten "
                        f"(alleen jaren vanaf {EARLIEST_BIRTH_YEAR} tot en met dit jaar).",
                    )
            if indi.deceased:
                person["deceased"] = True
            self.persons[pid] = person
        relations = self._couples() + self._parent_links()
        self._fix_birth_years()
        persons = list(self.persons.values())
        for person in persons:
            person.pop("_xref")
        return persons, relations

    def _names(self):
        """{id(indi): name}: given names, less middle names that are family surnames.

        A middle name may be the surname of a parent or partner (John Fitzgerald, son
        of Rose Fitzgerald): it names the family as a surname does, so it goes. The
        first given name always stays.
        """
        first = {}
        for indi in self.indis:
            first.setdefault(indi.xref, indi)
        famc = {}
        for indi in self.indis:
            for xref, _ in indi.famc:
                famc.setdefault(xref, {})[id(indi)] = indi
        family = {}
        for fam in self.fams.values():
            spouses = [first[x] for x in fam.husbands[:1] + fam.wives[:1] if x in first]
            children = {id(first[x]): first[x] for x in fam.children if x in first}
            children.update(famc.get(fam.xref, {}))
            for child in children.values():
                for parent in spouses:
                    family.setdefault(id(child), set()).update(parent.surnames)
            for one in spouses:
                for other in spouses:
                    if other is not one:
                        family.setdefault(id(one), set()).update(other.surnames)
        names, dropped = {}, 0
        for indi in self.indis:
            words = indi.given[:1] + [
                w for w in indi.given[1:] if w.lower() not in family.get(id(indi), ())
            ]
            dropped += len(indi.given) - len(words)
            names[id(indi)] = _join_name(words)
        if dropped:
            self.note(
                "family_surname",
                f"{dropped} middle names that are the surname of a parent or partner were left out",
                f"{dropped} tweede namen die de achternaam van een ouder of partner zijn, "
                "zijn weggelaten.",
            )
        return names

    def _person(self, xref, where):
        pid = self.ids.get(xref)
        if pid is None and (where, xref) not in self.missing:
            self.missing.add((where, xref))
            self.note(
                "missing_person",
                f"{where}: {xref} is not an individual in the file; left out",
                f"{where}: {xref} staat niet als persoon in het bestand; weggelaten.",
            )
        return pid

    def _couples(self):
        relations, seen = [], {}
        for xref in self.fam_order:
            fam = self.fams[xref]
            where = _bare(xref)
            for role, extra in (("HUSB", fam.husbands[1:]), ("WIFE", fam.wives[1:])):
                for spouse in extra:
                    self.note(
                        "extra_spouse",
                        f"{where}: a second {role} ({spouse}) left out",
                        f"{where}: een tweede partner ({spouse}) weggelaten.",
                    )
            for child in fam.children:
                self._person(child, where)
            spouses = [self._person(p, where) for p in (fam.husbands[:1] + fam.wives[:1])]
            spouses = [p for p in spouses if p is not None]
            if len(spouses) < 2 or fam.own_status == NO_COUPLE:
                continue
            a, b = spouses
            if a == b:
                self.note(
                    "couple_dropped",
                    f"{where}: {self.label(a)} is both spouses; no couple",
                    f"{where}: {self.label(a)} is beide partners; geen paar gemaakt.",
                )
                continue
            pair = frozenset((a, b))
            if pair in seen:
                self.note(
                    "couple_dropped",
                    f"{where}: {self.label(a)} and {self.label(b)} are a couple in "
                    f"{seen[pair]} already; this family kept as parents only",
                    f"{where}: {self.label(a)} en {self.label(b)} zijn al een paar in "
                    f"{seen[pair]}; dit gezin alleen als ouders overgenomen.",
                )
                continue
            seen[pair] = where
            relations.append({"kind": "couple", "a": a, "b": b, "status": self._status(fam, a, b)})
        return relations

    def _status(self, fam, a, b):
        status = fam.own_status
        if status == "ended_by_death" and not (
            self.persons[a].get("deceased") or self.persons[b].get("deceased")
        ):
            self.note(
                "status_changed",
                f"{_bare(fam.xref)}: marked ended by death, but neither partner has died; "
                "imported as married",
                f"{_bare(fam.xref)}: 'beëindigd door overlijden', maar geen van beiden is "
                "overleden; als getrouwd overgenomen.",
            )
            status = "married"
        if status:
            return status
        if fam.divorced:
            return "divorced"
        if fam.separated:
            return "separated"
        return "married" if fam.married else "cohabiting"

    def _families_of(self, indi):
        """The families ``indi`` is a child of: its own FAMC order first, then file order."""
        order = [xref for xref, _ in indi.famc if xref in self.fams]
        order += self.child_in.get(indi.xref, [])
        return list(dict.fromkeys(order))

    def _parent_links(self):
        links = []  # (parent, child, type, family xref)
        for indi, child in zip(self.indis, self.pids, strict=True):
            if self.ids[indi.xref] != child:
                continue  # a second INDI with the same xref: its links are the first's
            pedigrees = dict(reversed(indi.famc))  # the first FAMC of a family counts
            for xref in self._families_of(indi):
                links += self._links_from(indi, child, self.fams[xref], pedigrees.get(xref))
        links = self._without_cycles(links)
        return [
            {"kind": "parent", "parent": parent, "child": child, "type": kind}
            for parent, child, kind, _ in links
        ]

    def _links_from(self, indi, child, fam, pedigree):
        where = _bare(fam.xref)
        if pedigree not in PEDIGREE_TYPES and fam.xref not in indi.adoptions:
            self.note(
                "parent_dropped",
                f"{where}: child {self.label(child)} has pedigree {pedigree!r}, which a "
                "case cannot hold; its links to this family left out",
                f"{where}: kind {self.label(child)} heeft afstamming '{pedigree}', die een "
                "casus niet kent; de ouderlinks van dit gezin weggelaten.",
            )
            return []
        links = []
        for role, xrefs in (("HUSB", fam.husbands[:1]), ("WIFE", fam.wives[:1])):
            for xref in xrefs:
                parent = self._person(xref, where)
                if parent is None:
                    continue
                kind = PEDIGREE_TYPES.get(pedigree, "biological")
                adopted_by = indi.adoptions.get(fam.xref)
                if adopted_by is not None:
                    kind = "adoptive" if adopted_by in ("BOTH", role) else "biological"
                if self._accept(parent, child, kind, where):
                    links.append((parent, child, kind, fam.xref))
        return links

    def _accept(self, parent, child, kind, where):
        existing = self.parents.setdefault(child, [])
        reason = None
        if parent == child:
            reason = ("is listed as their own parent", "staat als eigen ouder")
        elif any(p == parent for p, _ in existing):
            reason = (
                "is linked to this parent already",
                "is al aan deze ouder gekoppeld",
            )
        elif kind == "biological" and sum(k == "biological" for _, k in existing) >= 2:
            reason = (
                "has two biological parents already",
                "heeft al twee biologische ouders",
            )
        if reason:
            self.note(
                "parent_dropped",
                f"{where}: link {self.label(parent)} -> {self.label(child)} left out: "
                f"the child {reason[0]}",
                f"{where}: ouderlink {self.label(parent)} -> {self.label(child)} "
                f"weggelaten: het kind {reason[1]}.",
            )
            return False
        existing.append((parent, kind))
        return True

    def _without_cycles(self, links):
        """Drop the links a depth-first walk finds closing a loop of parenthood.

        Removing every back edge of one walk leaves no cycle; the walk follows file
        order, so the links dropped are the same on every import.
        """
        parents_of = {}
        for i, (parent, child, _, _) in enumerate(links):
            parents_of.setdefault(child, []).append((parent, i))
        dropped = {i for _, _, i in cycle_links(parents_of)}
        for i in sorted(dropped):
            parent, child, _, fam = links[i]
            self.note(
                "parent_dropped",
                f"{_bare(fam)}: link {self.label(parent)} -> {self.label(child)} left out: "
                "it would make someone their own ancestor",
                f"{_bare(fam)}: ouderlink {self.label(parent)} -> {self.label(child)} "
                "weggelaten: iemand zou zijn eigen voorouder worden.",
            )
            self.parents[child] = [(p, k) for p, k in self.parents[child] if p != parent]
        return [link for i, link in enumerate(links) if i not in dropped]

    def _fix_birth_years(self):
        """A biological parent must be older than the child: drop years until it holds."""
        conflicts = set()
        for child, links in self.parents.items():
            for parent, kind in links:
                if kind == "biological" and self._not_older(parent, child):
                    conflicts.add((parent, child))
        order = {pid: i for i, pid in enumerate(self.persons)}
        while conflicts:
            count = {}
            for parent, child in conflicts:
                count[parent] = count.get(parent, 0) + 1
                count[child] = count.get(child, 0) + 1
            as_child = {child for _, child in conflicts}
            drop = min(count, key=lambda p: (-count[p], p not in as_child, order[p]))
            involved = sorted(
                (pair for pair in conflicts if drop in pair), key=lambda pc: order[pc[0]]
            )
            year = self.persons[drop].pop("birth_year")
            english, dutch = [], []
            for parent, child in involved:
                other = parent if child == drop else child
                born = self.persons[other]["birth_year"]
                if child == drop:
                    english.append(f"parent {self.label(other)}, born {born}")
                    dutch.append(f"ouder {self.label(other)}, geboren {born}")
                else:
                    english.append(f"child {self.label(other)}, born {born}")
                    dutch.append(f"kind {self.label(other)}, geboren {born}")
            self.note(
                "birth_year_dropped",
                f"birth year {year} of {self.label(drop)} left out: a biological parent "
                f"must be older than the child ({'; '.join(english)})",
                f"geboortejaar {year} van {self.label(drop)} weggelaten: een biologische "
                f"ouder moet ouder zijn dan het kind ({'; '.join(dutch)}).",
            )
            conflicts = {(p, c) for p, c in conflicts if drop not in (p, c)}

    def _not_older(self, parent, child):
        parent_year = self.persons[parent].get("birth_year")
        child_year = self.persons[child].get("birth_year")
        return parent_year is not None and child_year is not None and parent_year >= child_year

    def choose_index(self, wanted):
        if wanted:
            exact = _bare(wanted.strip())
            key = exact.lower()
            for matches in (
                lambda indi: _bare(indi.xref) == exact,
                lambda indi: _bare(indi.xref).lower() == key or self.ids[indi.xref] == key,
            ):
                for indi in self.indis:
                    if matches(indi):
                        return self.ids[indi.xref]
            raise GedcomError(
                f"no individual {wanted!r} in the file (give an INDI xref such as I1)",
                f"Het bestand heeft geen persoon '{wanted}'.",
            )
        for indi in self.indis:
            if indi.marked_index:
                return self.ids[indi.xref]
        with_parents = [
            pid
            for pid, person in self.persons.items()
            if self.parents.get(pid) and not person.get("deceased")
        ]
        dated = [pid for pid in with_parents if self.persons[pid].get("birth_year")]
        if dated:
            return max(dated, key=lambda pid: self.persons[pid]["birth_year"])
        if with_parents:
            return with_parents[0]
        return next(iter(self.persons))


def _bare(xref):
    return xref.strip("@")


def _local_id(xref, taken):
    """``@I1@`` -> ``i1``: lower case, only characters a case id may hold, unique."""
    base = _XREF_CHARS.sub("_", _bare(xref).lower())[:60] or "p"
    pid, n = base, 1
    while pid in taken or not LOCAL_ID_PATTERN.fullmatch(pid):
        n += 1
        pid = f"{base}-{n}"
    taken.add(pid)
    return pid


def _not_imported_notice(skipped, notices):
    if not skipped:
        return
    top = sorted(skipped.items(), key=lambda item: (-item[1], item[0]))
    listed = ", ".join(f"{tag} ({count})" for tag, count in top[:8])
    more = f" and {len(top) - 8} more" if len(top) > 8 else ""
    meer = f" en nog {len(top) - 8}" if len(top) > 8 else ""
    notices.append(
        Notice(
            "not_imported",
            "only given names, sex, birth year, death, couples and parent links are "
            f"imported; left out: surnames and {listed}{more}",
            "alleen voornamen, geslacht, geboortejaar, overlijden, paren en ouderlinks "
            f"zijn overgenomen; weggelaten: achternamen en {listed}{meer}.",
        )
    )


# Writing a case


def write_gedcom(case):
    """The case (exchange format) as GEDCOM 5.5.1 text, UTF-8 ready.

    See the module docstring for what is written; :func:`not_exported` names what a
    case holds that GEDCOM cannot.
    """
    persons = case["persons"]
    by_id = {person["id"]: person for person in persons}
    xrefs = _export_xrefs(persons)
    families = _Families(by_id)
    for relation in case.get("relations") or []:
        if relation["kind"] == "couple":
            families.couple(relation["a"], relation["b"], relation["status"])
    links = {}
    for relation in case.get("relations") or []:
        if relation["kind"] == "parent":
            kind = relation.get("type") or "biological"
            by_type = links.setdefault(relation["child"], {})
            by_type.setdefault(kind, []).append(relation["parent"])
    famc, fams = {}, {}
    for person in persons:
        for kind, parents in links.get(person["id"], {}).items():
            for start in range(0, len(parents), 2):
                fam = families.of_parents(parents[start : start + 2])
                fam["children"].append(person["id"])
                famc.setdefault(person["id"], []).append((fam, kind))
    for fam in families.all:
        for spouse in fam["spouses"]:
            fams.setdefault(spouse, []).append(fam)

    lines = [
        "0 HEAD",
        "1 SOUR Maatwerktafel",
        "2 NAME Maatwerktafel",
        "1 SUBM @U1@",
        "1 GEDC",
        "2 VERS 5.5.1",
        "2 FORM LINEAGE-LINKED",
        "1 CHAR UTF-8",
        "0 @U1@ SUBM",
        "1 NAME Maatwerktafel",
    ]
    for person in persons:
        pid = person["id"]
        lines.append(f"0 @{xrefs[pid]}@ INDI")
        name = _export_text(person.get("name"))
        if name:
            lines += [f"1 NAME {name.replace('/', '-')} //", f"2 GIVN {name}"]
        lines.append(f"1 SEX {SEX_TO_GEDCOM.get(person.get('sex') or 'unknown', 'U')}")
        if person.get("birth_year") is not None:
            lines += ["1 BIRT", f"2 DATE {person['birth_year']}"]
        if person.get("deceased"):
            lines.append("1 DEAT Y")
        for fam, kind in famc.get(pid, []):
            if kind == "adoptive":
                role = "BOTH" if len(fam["spouses"]) == 2 else fam["roles"][0]
                lines += ["1 ADOP", f"2 FAMC @{fam['xref']}@", f"3 ADOP {role}"]
        lines += [f"1 FAMS @{fam['xref']}@" for fam in fams.get(pid, [])]
        for fam, kind in famc.get(pid, []):
            lines.append(f"1 FAMC @{fam['xref']}@")
            if kind in PEDIGREE_TO_GEDCOM:
                lines.append(f"2 PEDI {PEDIGREE_TO_GEDCOM[kind]}")
        if person.get("index"):
            lines.append(f"1 {INDEX_TAG} Y")
    for fam in families.all:
        lines.append(f"0 @{fam['xref']}@ FAM")
        for spouse, role in zip(fam["spouses"], fam["roles"], strict=True):
            lines.append(f"1 {role} @{xrefs[spouse]}@")
        lines += _status_lines(fam["status"])
        lines += [f"1 CHIL @{xrefs[child]}@" for child in fam["children"]]
    lines.append("0 TRLR")
    return "\n".join(lines) + "\n"


def _status_lines(status):
    if status is None:
        return []
    return {
        "married": ["1 MARR Y"],
        "divorced": ["1 MARR Y", "1 DIV Y"],
        "ended_by_death": ["1 MARR Y", f"1 {STATUS_TAG} ended_by_death"],
        "separated": ["1 EVEN", "2 TYPE Separation"],
        "cohabiting": [],
        NO_COUPLE: [f"1 {STATUS_TAG} {NO_COUPLE}"],
    }[status]


class _Families:
    """The FAM records of an export: one per couple, one per other set of parents."""

    def __init__(self, persons):
        self.persons = persons
        self.all = []
        self.by_spouses = {}

    def _add(self, spouses, status):
        spouses = self._ordered(spouses)
        fam = {
            "xref": f"F{len(self.all) + 1}",
            "spouses": [p for p, _ in spouses],
            "roles": [r for _, r in spouses],
            "status": status,
            "children": [],
        }
        self.all.append(fam)
        self.by_spouses[frozenset(fam["spouses"])] = fam
        return fam

    def _ordered(self, spouses):
        """HUSB and WIFE by sex where it tells; otherwise in the case's order."""
        if len(spouses) == 1:
            sex = self.persons[spouses[0]].get("sex")
            return [(spouses[0], "WIFE" if sex == "female" else "HUSB")]
        a, b = spouses
        sex_a, sex_b = self.persons[a].get("sex"), self.persons[b].get("sex")
        if (sex_a == "female" and sex_b != "female") or (sex_b == "male" and sex_a != "male"):
            a, b = b, a
        return [(a, "HUSB"), (b, "WIFE")]

    def couple(self, a, b, status):
        self._add([a, b], status)

    def of_parents(self, parents):
        fam = self.by_spouses.get(frozenset(parents))
        if fam is None:
            fam = self._add(parents, NO_COUPLE if len(parents) == 2 else None)
        return fam


def _export_xrefs(persons):
    """Xrefs that read back as the same ids where an id allows (``p1`` -> ``@P1@``)."""
    xrefs, taken = {}, set()
    for person in persons:
        xref = person["id"].upper()
        if _EXPORT_ID.fullmatch(person["id"]) and not _EXPORT_RESERVED.fullmatch(xref):
            xrefs[person["id"]] = xref
            taken.add(xref)
    n = 0
    for person in persons:
        if person["id"] not in xrefs:
            n += 1
            while f"X{n}" in taken:
                n += 1
            xrefs[person["id"]] = f"X{n}"
            taken.add(f"X{n}")
    return xrefs


def _export_text(value):
    """One GEDCOM line value: no line breaks, '@' doubled as the standard asks."""
    if not value:
        return None
    return " ".join(value.split()).replace("@", "@@") or None


def not_exported(case):
    """What a case holds that GEDCOM cannot: a list of :class:`Notice`, maybe empty."""
    found = []
    relations = case.get("relations") or []
    emotional = sum(r["kind"] == "emotional" for r in relations)
    if emotional:
        found.append(("emotional relations", "emotionele relaties", emotional))
    for key, english, dutch in (
        ("network", "network members", "netwerkleden"),
        ("solutions", "solutions", "oplossingen"),
    ):
        if case.get(key):
            found.append((english, dutch, len(case[key])))
    persons = case.get("persons") or []
    for key, english, dutch in (
        ("problems", "problems", "problematiek"),
        ("placements", "placements", "plaatsingen"),
        ("interests", "interests", "interesses"),
        ("strengths", "strengths", "krachten"),
        ("residence", "residences", "verblijfplaatsen"),
    ):
        count = sum(1 for person in persons if person.get(key))
        if count:
            found.append((f"{english} ({count} persons)", f"{dutch} ({count} personen)", 0))
    if not found:
        return []
    english = ", ".join(e if not n else f"{n} {e}" for e, _, n in found)
    dutch = ", ".join(d if not n else f"{n} {d}" for _, d, n in found)
    return [
        Notice(
            "not_exported",
            f"GEDCOM has no place for these, left out: {english}",
            f"GEDCOM kent deze niet, weggelaten: {dutch}.",
        )
    ]
