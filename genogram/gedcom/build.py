"""Building a case from the records of a GEDCOM file.

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
"""

import datetime
import re

from cases.ancestry import cycle_links
from cases.validation import EARLIEST_BIRTH_YEAR, LOCAL_ID_PATTERN, MAX_NAME
from genogram.gedcom.shared import NO_COUPLE, PEDIGREE_TYPES, GedcomError, Notice, bare

_XREF_CHARS = re.compile(r"[^A-Za-z0-9_.-]")


class CaseBuilder:
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
                    f"{bare(indi.xref)} is used by two individuals; the second is "
                    f"imported as {pid} without family links",
                    f"{bare(indi.xref)} staat bij twee personen; de tweede is overgenomen "
                    f"als {pid}, zonder familiebanden.",
                )
            self.ids.setdefault(indi.xref, pid)
            self.pids.append(pid)
            person = {
                "id": pid,
                "name": names[id(indi)],
                "sex": indi.sex,
                "_xref": bare(indi.xref),
            }
            if indi.birth_year is not None:
                if EARLIEST_BIRTH_YEAR <= indi.birth_year <= datetime.date.today().year:
                    person["birth_year"] = indi.birth_year
                else:
                    self.note(
                        "birth_year_dropped",
                        f"{bare(indi.xref)}: birth year {indi.birth_year} left out "
                        f"(only years from {EARLIEST_BIRTH_YEAR} to this year)",
                        f"{bare(indi.xref)}: geboortejaar {indi.birth_year} weggelaten "
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
            where = bare(xref)
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
                f"{bare(fam.xref)}: marked ended by death, but neither partner has died; "
                "imported as married",
                f"{bare(fam.xref)}: 'beëindigd door overlijden', maar geen van beiden is "
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
        where = bare(fam.xref)
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
                f"{bare(fam)}: link {self.label(parent)} -> {self.label(child)} left out: "
                "it would make someone their own ancestor",
                f"{bare(fam)}: ouderlink {self.label(parent)} -> {self.label(child)} "
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
            exact = bare(wanted.strip())
            key = exact.lower()
            for matches in (
                lambda indi: bare(indi.xref) == exact,
                lambda indi: bare(indi.xref).lower() == key or self.ids[indi.xref] == key,
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


def _join_name(words):
    name = " ".join(words)
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME].rsplit(" ", 1)[0]
    return name or None


def _local_id(xref, taken):
    """``@I1@`` -> ``i1``: lower case, only characters a case id may hold, unique."""
    base = _XREF_CHARS.sub("_", bare(xref).lower())[:60] or "p"
    pid, n = base, 1
    while pid in taken or not LOCAL_ID_PATTERN.fullmatch(pid):
        n += 1
        pid = f"{base}-{n}"
    taken.add(pid)
    return pid
