"""Writing a case as GEDCOM.

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

import re

from genogram.gedcom.shared import (
    INDEX_TAG,
    NO_COUPLE,
    PEDIGREE_TO_GEDCOM,
    SEX_TO_GEDCOM,
    STATUS_TAG,
    Notice,
)

_EXPORT_ID = re.compile(r"[a-z0-9_]{1,20}")
# The export's own xrefs: families F1, F2, ... and the submitter U1. A person id that
# would read as one of them gets an X1, X2, ... xref instead.
_EXPORT_RESERVED = re.compile(r"F\d+|U1")


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
