"""The finder's index over the solution library, kept current. No Flask; db first.

The index holds the library's published cases: de-identified copies, so what a result
shows never identifies another family. Each indexed case gets the code
``bibliotheek-<library case id>``. :class:`LibraryIndex` compares the library with what
it indexed (id and publication time of every published case) before each query and
applies the difference with ``CaseFinder.add``/``remove``; so a case that was erased or
withdrawn is never served, also by another process than the one that erased it. A full
refit happens at start, when the difference is large, and when asked; the fitted index
is saved beside the database and loaded when it still matches: the same library and the
same settings (weights, word lists, rule versions), so new weights after an upgrade
are never served from an index fitted with the old ones.
"""

import hashlib
import json
import pathlib
import threading

from cases.validation import canonical_case
from core import gate
from finder import levers, weights
from finder.analyzer import STOPWORDS_FILE, THESAURUS_FILE
from finder.compounds import PARTS_FILE
from finder.levers import LEVERS_FILE
from library import catalogue as library_catalogue

PREFIX = "bibliotheek-"
REFIT_SHARE = 0.25  # refit when more than this share of the index changed
BATCH = 500  # library documents read at a time while a fit streams the library in


def code_for(case_id):
    return f"{PREFIX}{case_id}"


def case_id_of(code):
    return int(code[len(PREFIX) :]) if code.startswith(PREFIX) else None


def published(db):
    """``{code: (published_at, family_id)}`` of every published library case."""
    return {
        code_for(case_id): mark for case_id, mark in library_catalogue.published_marks(db).items()
    }


def _date(value):
    """A de-identified date (the year only) as a date of case/1: the first of July."""
    if isinstance(value, str) and len(value) == 4 and value.isdigit():
        return f"{value}-07-01"
    return value


def as_case(document, code):
    """A library copy (``library-case/1``: tags, dates to the year) as a case/1 document
    the finder can read; nothing is added that the copy did not hold."""
    case = {key: value for key, value in document.items() if key != "tags"}
    case["format"] = "case/1"
    case["code"] = code
    case["started"] = _date(case.get("started"))
    for person in case.get("persons", []):
        for placement in person.get("placements", []):
            placement["start"] = _date(placement.get("start"))
            placement["end"] = _date(placement.get("end"))
    if isinstance(case.get("outcome"), dict):
        case["outcome"]["date"] = _date(case["outcome"].get("date"))
    return canonical_case(case)


def load_cases(db, codes):
    """The published copies of these codes as canonical cases with their index code."""
    return list(stream_cases(db, codes))


def stream_cases(db, codes, batch=BATCH):
    """The same cases, by library case id, read ``batch`` documents at a time: a fit
    that reads them never holds the whole library (nor its JSON) at once."""
    ids = sorted(case_id_of(code) for code in codes)
    for start in range(0, len(ids), batch):
        for case_id, document in library_catalogue.published_documents(
            db, ids[start : start + batch]
        ):
            yield as_case(document, code_for(case_id))


def settings_digest(ruleset):
    """What a fitted index depends on besides the cases: the weights and scales, the
    word lists, the levers' vocabulary and settings, and the rules that name missing
    partners."""
    parts = [
        json.dumps([weights.WEIGHTS, weights.NUMERIC_SCALES, weights.SUBLINEAR], sort_keys=True),
        STOPWORDS_FILE.read_text(encoding="utf-8"),
        THESAURUS_FILE.read_text(encoding="utf-8"),
        PARTS_FILE.read_text(encoding="utf-8"),
        LEVERS_FILE.read_text(encoding="utf-8"),
        json.dumps(levers.FITTED_SETTINGS, sort_keys=True),
        json.dumps(sorted((r.id, r.version) for r in ruleset.rules)),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _case_finder():
    """A new CaseFinder; scikit-learn is imported here, at the first fit, not at start."""
    from finder.estimator import CaseFinder

    return CaseFinder()


class LibraryIndex:
    """A CaseFinder over the library, synchronised with the database on every query."""

    def __init__(self, path=None, finder_factory=None):
        self.path = pathlib.Path(path) if path else None
        self.finder_factory = finder_factory  # None: CaseFinder, imported on first fit
        self.finder = None
        self.state = {}  # code -> (published_at, family_id) as indexed
        self.lock = threading.Lock()

    def _fit(self, db, current):
        finder = None
        if current:  # the library's cases streamed into the fit (``stream_cases``)
            finder = (self.finder_factory or _case_finder)().fit(stream_cases(db, current))
        self.finder = finder if finder is not None and len(finder) else None
        self.state = dict(current)
        self._save()

    def _save(self):
        if self.path and self.finder is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            saved = {
                "state": self.state,
                "settings": settings_digest(self.finder.ruleset_),
                "finder": self.finder,
            }
            import joblib

            joblib.dump(saved, self.path)

    def _load(self, current):
        if not (self.path and self.path.is_file()):
            return False
        import joblib

        try:
            saved = joblib.load(self.path)
        except Exception:  # noqa: BLE001 (a damaged or old index file is rebuilt)
            return False
        if saved.get("state") != current:
            return False
        # An unpickled finder loads the current rules again (see CaseFinder.__setstate__).
        if saved.get("settings") != settings_digest(saved["finder"].ruleset_):
            return False
        self.finder, self.state = saved["finder"], saved["state"]
        return True

    def sync(self, db):
        """Bring the index in line with the library; returns the finder (or None)."""
        current = published(db)
        with gate.waiting_for(self.lock):  # an index fit may take a while
            if self.finder is None and not self.state:
                if not self._load(current):
                    self._fit(db, current)
                return self.finder
            if current == self.state:
                return self.finder
            gone = [code for code in self.state if code not in current]
            changed = [c for c, mark in current.items() if self.state.get(c) != mark]
            if self.finder is None or len(gone) + len(changed) > REFIT_SHARE * max(len(current), 1):
                self._fit(db, current)
                return self.finder
            for code in gone:
                self.finder.remove(code)
            for case in load_cases(db, changed):
                self.finder.add(case)
            self.state = dict(current)
            self._save()
            return self.finder

    def rebuild(self, db):
        with gate.waiting_for(self.lock):  # an index fit may take a while
            self._fit(db, published(db))
        return self.finder

    def similar(self, db, case, *, k=5, family_id=None, worked_only=False):
        """The library cases most like ``case``; never the family's own publication."""
        finder = self.sync(db)
        if finder is None:
            return []
        own = [code for code, (_, fid) in self.state.items() if family_id and fid == family_id]
        results = finder.kneighbors(case, n_neighbors=k, exclude=own, worked_only=worked_only)
        for result in results:
            result["library_case"] = case_id_of(result["code"])
        return results
