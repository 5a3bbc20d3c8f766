"""Property tests: whatever JSON arrives, the import stores a valid case or refuses it cleanly.

Either the case is stored (and reads back as its canonical form) or ``CaseFormatError``
names at least one problem and nothing is written; no other exception, ever.
"""

import contextlib
import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import store
from cases.validation import CaseFormatError, canonical_case, validate_case
from tests.factories import make_case

TABLES = ("families", "persons", "placements", "relations", "network_members", "ties", "solutions")
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Words the validator knows, so random documents reach past the first checks.
KNOWN = [
    "format", "case/1", "code", "title", "goal", "return_home", "persons", "id", "p1", "p2",
    "index", "sex", "female", "birth_year", "relations", "kind", "parent", "child", "couple",
    "a", "b", "status", "network", "partner", "informal", "ties", "person", "solutions",
    "outcome", "placements", "residence", "start", "end", "2020-02-30", "2020-01-01",
]  # fmt: skip
texts = st.one_of(
    st.sampled_from(KNOWN),
    st.text(max_size=12),
    st.text(st.characters(codec=None, categories=["Cs"]), min_size=1, max_size=2),  # surrogates
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), texts)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=5),
    max_leaves=25,
)


@pytest.fixture
def db(empty_db):
    store.import_cases(empty_db, make_case("al-aanwezig"))  # something a refusal must not touch
    return empty_db


def counts(db):
    return {table: db.table(table).count for table in TABLES}


def _paths(value, prefix=()):
    """Every place in a document: dict keys and list positions, nested."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


BASE_PATHS = list(_paths(make_case()))


def _mutate(doc, path, action, value):
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if action == "drop":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value


def check_import(db, data, before):
    """The property itself, for one document (or list of them)."""
    try:
        codes = store.import_cases(db, data)
    except CaseFormatError as error:
        assert error.issues, "a refusal must name at least one problem"
        assert all(str(issue) for issue in error.issues)
        assert counts(db) == before, "a refused document wrote something"
        return False
    except store.CaseExists as error:
        assert error.codes == ["al-aanwezig"]
        assert counts(db) == before
        return False
    docs = data if isinstance(data, list) else [data]
    for code, doc in zip(codes, docs, strict=True):
        assert store.load_case(db, code) == canonical_case(doc)
        assert validate_case(doc) == []
        store.delete_case(db, code)
    assert counts(db) == before, "deleting the stored case left rows behind"
    return True


@SETTINGS
@given(data=json_values)
def test_import_random_json_is_stored_or_refused_cleanly(db, data):
    check_import(db, copy.deepcopy(data), counts(db))


@SETTINGS
@given(data=st.lists(json_values, min_size=1, max_size=3))
def test_import_random_list_is_stored_or_refused_cleanly(db, data):
    check_import(db, data, counts(db))


@SETTINGS
@given(
    path=st.sampled_from(BASE_PATHS),
    action=st.sampled_from(["drop", "set"]),
    value=json_values,
)
def test_import_mutated_case_is_stored_or_refused_cleanly(db, path, action, value):
    doc = make_case("gemuteerd")
    _mutate(doc, path, action, value)
    check_import(db, doc, counts(db))


@SETTINGS
@given(
    mutations=st.lists(
        st.tuples(st.sampled_from(BASE_PATHS), st.sampled_from(["drop", "set"]), json_values),
        min_size=1,
        max_size=4,
    ),
    position=st.integers(min_value=0, max_value=2),
)
def test_import_list_with_mutated_case_is_all_or_nothing(db, mutations, position):
    docs = [make_case("lijst-een"), make_case("lijst-twee"), make_case("lijst-drie")]
    for path, action, value in mutations:
        # An earlier mutation may have removed or replaced this place.
        with contextlib.suppress(KeyError, IndexError, TypeError):
            _mutate(docs[position], path, action, value)
    before = counts(db)
    if not check_import(db, docs, before):
        for code in ("lijst-een", "lijst-twee", "lijst-drie"):
            assert store.load_case(db, code) is None
