"""Reading a GEDCOM file: ged4py parses it, this module takes the records the case needs
(see genogram.gedcom.build for what comes across) and counts the rest."""

import codecs
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
from genogram.gedcom.build import CaseBuilder
from genogram.gedcom.shared import (
    INDEX_TAG,
    NO_COUPLE,
    SEX_FROM_GEDCOM,
    STATUS_TAG,
    GedcomError,
    Notice,
    bare,
)

DEFAULT_GOAL = "family_strengthening"
# Record tags whose content comes across; everything else is named in one notice.
_READ_TAGS = {"HEAD", "TRLR", "SUBM", "INDI", "FAM"}
_READ_INDI_TAGS = {"NAME", "SEX", "BIRT", "DEAT", "FAMC", "FAMS", "ADOP", INDEX_TAG}
_READ_FAM_TAGS = {"HUSB", "WIFE", "CHIL", "MARR", "DIV", "ANUL", "EVEN", "_SEPR", STATUS_TAG}
_SEPARATION = re.compile(r"separat|scheiding|getrennt", re.IGNORECASE)
_YEAR_IN_PHRASE = re.compile(r"(?<!\d)(\d{3,4})(?!\d)")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


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
    builder = CaseBuilder(indis, fams, notices)
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
            unmarked.append(bare(record.xref_id or "?"))
    # GIVN lists the given names with commas (GEDCOM's name pieces); a word that begins
    # with a hyphen is the tail of a double surname the slashes missed. ANSEL writes
    # accents as combining marks: compose them, so "é" is one character.
    words = [
        unicodedata.normalize("NFC", w)
        for w in raw.replace("@@", "@").replace(",", " ").split()
        if w.lower() not in surnames and not w.startswith("-")
    ]
    return words, surnames


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
