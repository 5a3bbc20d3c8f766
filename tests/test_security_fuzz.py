"""Property tests over HTTP: random form data at every form route, random JSON at the
API's import and replace. Never a 500; a refusal (4xx) writes nothing at all; whatever
was stored still reads back as a valid case.

The form routes come from the URL map (every POST rule), so a new form is fuzzed the
moment it exists. Each route gets a fresh app; examples run one after another on it, and
each example is checked against the state just before it.
"""

import html.parser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import api, store
from cases.validation import validate_case
from core.web import get_db
from tests import url_map
from tests.conftest import LoggedIn, make_app
from tests.factories import make_case
from tests.url_map import ids, is_api, url_for_rule

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,  # no example database: the suite runs with -p no:cacheprovider
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORM_ROUTES = [
    item
    for item in url_map.rules()
    if item[1] == "POST" and not is_api(item[2]) and item[0] not in ("static",)
]
LOGIN_ENDPOINTS = {"accounts.login", "accounts.login_code", "accounts.login_enrol"}

# Every field name the app's forms read, so random data reaches past "missing field".
FIELDS = [
    "version", "title", "region", "goal", "status", "started", "narrative",
    "child_perspective", "name", "sex", "birth_year", "deceased", "index", "problems",
    "interests", "strengths", "residence", "provider", "start", "end", "kind", "first",
    "second", "detail", "partner", "in_team", "person", "strength", "stressful", "flow",
    "child_name", "child_sex", "child_birth_year", "username", "password", "display_name",
    "role", "repeat", "current", "new", "code", "active", "require_admin",
    "require_facilitator", "require_professional", "require_project_lead", "user_id",
    "team_role", "reden", "person_id", "subject", "decision", "note",
]  # fmt: skip
CURRENT_VERSION = object()  # replaced by the family's version when the request is sent

# Lone surrogates cannot be sent in a form (UTF-8 cannot encode them).
unicode_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
values = st.one_of(
    unicode_text,
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "1",
            "-1",
            "2008",
            "99999999999999999999",
            "1e309",
            "NaN",
            "y",
            "on",
            "true",
            "p1",
            "p2",
            "n1",
            "female",
            "active",
            "closed",
            "return_home",
            "couple",
            "parent",
            "informal",
            "strong",
            "to",
            "member",
            "facilitator",
            "admin",
            "2020-02-30",
            "2020-01-01",
            "\x00",
            "'; DROP TABLE families;--",
        ]
    ),  # fmt: skip
    st.integers().map(str),
    st.builds(
        lambda char, n: char * n, st.sampled_from(["x", "é", "€"]), st.integers(1000, 70_000)
    ),
    st.just(CURRENT_VERSION),
)
form_data = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), unicode_text.filter(bool)),
    st.one_of(values, st.lists(values, min_size=1, max_size=3)),
    max_size=12,
)
htmx_headers = st.one_of(
    st.just({}),
    st.builds(
        lambda target: {"HX-Request": "true", "HX-Target": target},
        st.one_of(
            st.sampled_from(
                [
                    "situatie-gegevens",
                    "persoon-p1",
                    "nieuwe-persoon",
                    "netwerklid-n1",
                    "relatie-0",
                    "new-family",
                    "family-rows",
                    "team",
                    "",
                ]
            ),  # fmt: skip
            # What a header can carry: no line breaks, Latin-1.
            st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=40),
        ),
    ),
)


class _Forms(html.parser.HTMLParser):
    """The forms of a page: action -> {field: value} as the browser would post them."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or attrs.get("hx-post")
            self._form = self.forms.setdefault(action, {}) if action else None
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("name") != "csrf_token":
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self._form[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self._form[self._textarea] = ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@pytest.fixture(scope="module")
def valid_forms(tmp_path_factory):
    """What each form route's own form posts when left as it is, by URL: found by
    rendering every GET page (as the facilitator and the admin) of a fresh app."""
    app = make_app(tmp_path_factory.mktemp("forms") / "test.db")
    parser = _Forms()
    for name in ("facilitator", "admin"):
        user = LoggedIn(app.test_client(), name)
        for endpoint, method, rule in url_map.rules():
            if method == "GET" and not is_api(rule) and endpoint not in url_map.PUBLIC:
                response = user.get(url_for_rule(rule))
                if response.mimetype == "text/html":
                    parser.feed(response.get_data(as_text=True))
    return {
        action: {key: CURRENT_VERSION if key == "version" else value for key, value in form.items()}
        for action, form in parser.forms.items()
    }


@st.composite
def near_valid(draw, base):
    """The route's own form with a few fields replaced, some left out, some added."""
    keys = sorted(base)
    replaced = draw(st.dictionaries(st.sampled_from(keys), values, max_size=3))
    dropped = draw(st.sets(st.sampled_from(keys), max_size=2))
    extra = draw(st.dictionaries(unicode_text.filter(bool), values, max_size=2))
    kept = {key: value for key, value in base.items() if key not in dropped}
    return {**kept, **replaced, **extra}


def snapshot(app):
    """Every table but the access log, and each family's case and version."""
    with app.app_context():
        db = get_db()
        families = {
            row["code"]: (row["version"], store.load_case(db, row["code"]))
            for row in db.query("SELECT code, version FROM families")
        }
        return url_map.dump(db), families


def assert_stored_cases_valid(families):
    for code, (_version, case) in families.items():
        assert validate_case(case) == [], code


def client_for(app, endpoint):
    """Login forms are posted logged out; admin pages by the admin; the rest by the
    facilitator of test-gezin. All with the CSRF header, as htmx sends it."""
    if endpoint in LOGIN_ENDPOINTS:
        client = app.test_client()
        html = client.get("/login").get_data(as_text=True)
        start = html.index('name="csrf-token" content="') + len('name="csrf-token" content="')
        return client, html[start : html.index('"', start)]
    user = LoggedIn(
        app.test_client(), "admin" if url_map.is_admin_only(endpoint) else "facilitator"
    )
    return user.client, user.token


def resolve(data, version):
    def one(value):
        return str(version) if value is CURRENT_VERSION else value

    return {
        key: [one(v) for v in value] if isinstance(value, list) else one(value)
        for key, value in data.items()
    }


def test_every_form_route_is_fuzzed(valid_forms):
    endpoints = {endpoint for endpoint, _m, _r in FORM_ROUTES}
    assert {"cases.create_family", "cases.update_situation", "user_admin.create"} <= endpoints
    assert {"accounts.change_password", "accounts.login"} <= endpoints
    assert len(FORM_ROUTES) >= 35
    # The crawl found the forms of the family page, the list and the account pages.
    for url in (
        "/gezinnen/",
        "/gezinnen/test-gezin/situatie",
        "/gezinnen/test-gezin/personen/p1",
        "/gezinnen/test-gezin/netwerk/n1/banden/p1",
        "/profiel/wachtwoord",
        "/beheer/gebruikers",
    ):
        assert url in valid_forms, url
    assert valid_forms["/gezinnen/test-gezin/personen/p1"]["name"] == "Sanne"


@pytest.mark.parametrize(("endpoint", "method", "rule"), FORM_ROUTES, ids=ids(FORM_ROUTES))
def test_random_form_data_is_never_a_500_and_a_refusal_writes_nothing(
    app, valid_forms, endpoint, method, rule
):
    client, token = client_for(app, endpoint)
    url = url_for_rule(rule)
    base = valid_forms.get(url)
    if base is None and url.endswith("/verwijderen"):
        base = {"version": CURRENT_VERSION}  # a delete button posts only the version
    # Half random fields, half the route's own form slightly changed (which gets past
    # "missing field" and reaches the store), where the app shows such a form.
    strategy = st.one_of(form_data, near_valid(base)) if base else form_data

    @SETTINGS
    @given(data=strategy, headers=htmx_headers)
    def post_random_form(data, headers):
        before, families = snapshot(app)
        version = families.get("test-gezin", (1, None))[0]
        response = client.post(
            url, data=resolve(data, version), headers={**headers, "X-CSRFToken": token}
        )
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
        after, families_after = snapshot(app)
        if 400 <= response.status_code < 500:
            assert families_after == families, "a refused request changed a case"
            assert after == before, "a refused request wrote something"
        assert_stored_cases_valid(families_after)

    post_random_form()


# Random JSON at the API

KNOWN = [
    "format", "case/1", "code", "test-gezin", "nieuw-gezin", "title", "goal", "return_home",
    "persons", "id", "p1", "p2", "index", "sex", "female", "birth_year", "relations", "kind",
    "parent", "child", "network", "solutions", "status", "active", "started", "2020-01-01",
]  # fmt: skip
json_text = st.one_of(st.sampled_from(KNOWN), st.text(max_size=12))
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), json_text
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(json_text, children, max_size=6)
    ),
    max_leaves=25,
)


def _mutated_case(code):
    """A valid case with one field replaced by random JSON: it gets past the first checks."""
    return st.builds(
        lambda key, value: {**make_case(code), key: value},
        st.sampled_from(list(make_case())),
        json_values,
    )


api_bodies = st.one_of(
    json_values,
    _mutated_case("nieuw-gezin"),
    _mutated_case("test-gezin"),
    st.lists(_mutated_case("nieuw-gezin"), max_size=3),
)


@pytest.mark.parametrize(
    ("method", "url"),
    [("POST", "/api/families"), ("PUT", "/api/families/test-gezin")],
)
def test_random_json_at_the_api_is_never_a_500_and_never_a_partial_write(app, method, url):
    user = LoggedIn(app.test_client(), "facilitator")

    @SETTINGS
    @given(body=api_bodies)
    def send_random_json(body):
        before, families = snapshot(app)
        headers = {"X-CSRFToken": user.token}
        if method == "PUT":  # naming the current version, so the body itself is judged
            with app.app_context():
                headers["If-Match"] = api.etag(store.family_row(get_db(), "test-gezin"))
        response = user.open(url, method=method, json=body, headers=headers)
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
        assert response.is_json
        after, families_after = snapshot(app)
        if response.status_code >= 400:
            assert response.get_json()["error"]
            assert after == before and families_after == families
        else:
            assert response.status_code in (200, 201)
            created = set(families_after) - set(families)
            with app.app_context():
                db = get_db()
                for code in created:
                    # A family created through the API always has its creator as facilitator.
                    family = store.family_row(db, code)
                    rows = list(
                        db.query(
                            "SELECT team_role FROM family_team WHERE family_id = ?", [family["id"]]
                        )
                    )
                    assert [r["team_role"] for r in rows] == ["facilitator"]
        assert_stored_cases_valid(families_after)
        # Start every example from the same two families.
        with app.app_context():
            db = get_db()
            for code in set(families_after) - {"test-gezin", "ander-gezin"}:
                store.delete_case(db, code)
            if "test-gezin" in families_after:
                store.save_case(db, make_case(), replace=True)

    send_random_json()
