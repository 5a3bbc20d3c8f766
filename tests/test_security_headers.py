"""Security headers on every kind of response, and no inline script or style anywhere.

Every GET route of the URL map is rendered for the admin and the facilitator (as a page
and, for the family page's parts, as the htmx fragment), plus the API, the error pages
and the static files; each response is checked for the headers, and each HTML body for
inline script, inline style and inline event handlers, which the CSP would block.
"""

import re

import pytest

from app import create_app
from tests import url_map
from tests.conftest import LoggedIn, make_app
from tests.test_cases_views import FRAGMENTS
from tests.url_map import ids, names_family, url_for_rule

GETS = [item for item in url_map.rules() if item[1] == "GET"]
QUIET = {"static", "assets.vendor"}  # may be cached: no family data in them
HX_FRAGMENTS = [item for item in GETS if item[0] in FRAGMENTS]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    # Only GET requests in this module: one app serves it.
    return make_app(tmp_path_factory.mktemp("headers") / "test.db")


@pytest.fixture(scope="module")
def users(app):
    return {name: LoggedIn(app.test_client(), name) for name in ("admin", "facilitator")}


def csp(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    policy = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def assert_security_headers(response, *, cacheable=False, https=False):
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert not any("'unsafe-inline'" in s or "'unsafe-eval'" in s for s in policy.values())
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    if https:
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    else:
        assert "Strict-Transport-Security" not in response.headers
    if not cacheable:
        assert response.headers["Cache-Control"] == "no-store"


INLINE = [
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on handler"),
    (re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I), "javascript: URL"),
]


def assert_no_inline_code(html, where):
    for pattern, what in INLINE:
        match = pattern.search(html)
        assert match is None, (
            f"{what} in {where}: ...{html[max(0, match.start() - 80) : match.end() + 80]}..."
        )


@pytest.mark.parametrize(
    "html",
    [
        "<script>x()</script>",
        '<script type="module">x()</script>',
        "<style>p{}</style>",
        '<p style="color:red">',
        '<img src=x onerror="x()">',
        '<button hx-on:click="x()">',
        '<a href="javascript:x()">',
    ],
)
def test_the_inline_code_scan_finds_each_kind(html):
    with pytest.raises(AssertionError):
        assert_no_inline_code(html, "sample")
    assert_no_inline_code('<script src="/static/app.js" defer></script><p class="x">', "ok")


def is_html(response):
    return response.mimetype == "text/html"


# Every GET route, as page


@pytest.mark.parametrize(("endpoint", "method", "rule"), GETS, ids=ids(GETS))
@pytest.mark.parametrize("role", ["admin", "facilitator"])
def test_every_get_route_has_the_headers_and_no_inline_code(users, role, endpoint, method, rule):
    response = users[role].get(url_for_rule(rule))
    assert response.status_code < 500
    assert_security_headers(response, cacheable=endpoint in QUIET)
    if is_html(response):
        assert_no_inline_code(response.get_data(as_text=True), f"{endpoint} as {role}")


@pytest.mark.parametrize(("endpoint", "method", "rule"), HX_FRAGMENTS, ids=ids(HX_FRAGMENTS))
def test_every_fragment_has_the_headers_and_no_inline_code(users, endpoint, method, rule):
    element, _shows_form = FRAGMENTS[endpoint]
    response = users["facilitator"].get(
        url_for_rule(rule), headers={"HX-Request": "true", "HX-Target": element}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html  # it is the fragment
    assert_security_headers(response)
    assert_no_inline_code(html, f"fragment {endpoint}")


def test_list_rows_fragment_and_edit_form_with_errors(users):
    rows = users["facilitator"].get(
        "/gezinnen/?q=test", headers={"HX-Request": "true", "HX-Target": "family-rows"}
    )
    assert_security_headers(rows)
    assert_no_inline_code(rows.get_data(as_text=True), "family rows")
    # A refused save shows the form with its error messages: also without inline code.
    refused = users["facilitator"].post(
        "/gezinnen/test-gezin/situatie",
        data={"version": "1", "title": ""},
        headers={"HX-Request": "true", "HX-Target": "situatie-gegevens"},
    )
    assert refused.status_code == 422
    assert_security_headers(refused)
    assert_no_inline_code(refused.get_data(as_text=True), "situation form with errors")


def test_login_page_when_logged_out(app):
    response = app.test_client().get("/login")
    assert_security_headers(response)
    assert_no_inline_code(response.get_data(as_text=True), "login page")


def test_every_family_page_route_was_rendered():
    rendered = {endpoint for endpoint, _m, rule in GETS if names_family(rule)}
    assert {"cases.show", "cases.edit_situation", "privacy.overview_page"} <= rendered


# API


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/families", 200),
        ("/api/families/test-gezin", 200),
        ("/api/families/bestaat-niet", 404),
        ("/api/nergens", 404),
    ],
)
def test_api_responses_have_the_headers(users, url, status):
    response = users["admin"].get(url)
    assert response.status_code == status
    assert response.is_json
    assert_security_headers(response)


def test_api_refusals_have_the_headers(app, users):
    logged_out = app.test_client().get("/api/families/test-gezin")
    assert logged_out.status_code == 401
    assert_security_headers(logged_out)
    outsider = LoggedIn(app.test_client(), "buitenstaander")
    forbidden = outsider.get("/api/families/test-gezin")
    assert forbidden.status_code == 403
    assert_security_headers(forbidden)
    wrong_method = users["admin"].patch("/api/families/test-gezin", json={})
    assert wrong_method.status_code == 405
    assert_security_headers(wrong_method)


# Error pages


def test_error_pages_have_the_headers_and_no_inline_code(app, users):
    outsider = LoggedIn(app.test_client(), "buitenstaander")
    responses = {
        404: users["admin"].get("/bestaat-niet"),
        403: outsider.get("/gezinnen/test-gezin"),
        405: users["admin"].put("/gezinnen/"),
        400: users["admin"].client.post("/gezinnen/test-gezin/situatie", data={}),
        "403 fragment": outsider.get(
            "/gezinnen/test-gezin/situatie", headers={"HX-Request": "true", "HX-Target": "x"}
        ),
    }
    for expected, response in responses.items():
        assert str(response.status_code) == str(expected).split()[0]
        assert_security_headers(response)
        assert_no_inline_code(response.get_data(as_text=True), f"error page {expected}")


def test_unexpected_error_page_has_the_headers(tmp_path):
    # Outside testing the app answers an unexpected exception with its own 500 page.
    app = create_app(
        {"SECRET_KEY": "x", "DATABASE": str(tmp_path / "db.sqlite"), "SESSION_COOKIE_SECURE": False}
    )

    @app.get("/kapot")
    def broken():
        raise RuntimeError("boom with a secret detail")

    response = app.test_client().get("/kapot")
    assert response.status_code == 500
    assert_security_headers(response)
    html = response.get_data(as_text=True)
    assert "secret detail" not in html and "Traceback" not in html
    assert_no_inline_code(html, "500 page")


# Static files and HTTPS


def test_static_files_have_the_headers_but_may_be_cached(app):
    client = app.test_client()
    for url in ("/static/style.css", "/static/app.js", "/vendor/htmx.min.js"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, cacheable=True)
        assert response.headers.get("Cache-Control") != "no-store"


def test_hsts_only_over_https(app, users):
    https = {"base_url": "https://localhost"}
    client = app.test_client()
    assert_security_headers(client.get("/login", **https), https=True)
    assert_security_headers(client.get("/api/families", **https), https=True)
    assert_security_headers(client.get("/nergens", **https), https=True)
    assert_security_headers(users["admin"].get("/gezinnen/test-gezin", **https), https=True)
    # Over plain HTTP the header would mean nothing and is left out.
    assert_security_headers(client.get("/login"))


def test_pages_with_family_data_are_never_stored(users):
    for url in (
        "/gezinnen/",
        "/gezinnen/test-gezin",
        "/gezinnen/test-gezin/personen/p1/wijzigen",
        "/api/families/test-gezin",
        "/beheer/toegangslog/export.csv",
    ):
        response = users["admin"].get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
