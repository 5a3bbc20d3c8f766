"""The login page tries again by itself when too many log in at once (a 503 with
Retry-After), and answers everything else as the plain form does."""

import urllib.parse

import pytest
from playwright.sync_api import expect

from accounts import passwords
from tests.browser.conftest import DUTCH_SCREEN, PASSWORD
from tests.test_accounts_login_retry import post_during_restore
from tests.test_accounts_views import post_login

WAITING = "Er loggen nu veel mensen tegelijk in. We proberen het over"
WAITING_FOR_RESTORE = "Er wordt onderhoud gedaan. We proberen het over"
GAVE_UP = "Inloggen lukt nu niet. Probeer het over een paar minuten opnieuw."


@pytest.fixture
def busy_body(client, monkeypatch):
    """The page the server sends a login while the hashing queue is full."""
    monkeypatch.setattr(
        passwords, "_wanting", [passwords.HASHING_AT_ONCE + passwords.HASHING_WAITING]
    )
    response = post_login(client)
    assert response.status_code == 503
    return response.get_data(as_text=True)


@pytest.fixture
def restore_body(app, client):
    """What the server sends the login form (htmx) while a restore runs."""
    response = post_during_restore(app, client)
    assert response.status_code == 503
    return response.get_data(as_text=True)


def answer_busy(page, body, times):
    """The first ``times`` POSTs of the login form get the busy page with
    ``Retry-After: 1``; later ones reach the server. Returns the list of POSTs seen."""
    posts = []

    def handle(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.post_data)
        if len(posts) <= times:
            route.fulfill(
                status=503,
                headers={"Retry-After": "1", "Content-Type": "text/html; charset=utf-8"},
                body=body,
            )
        else:
            route.continue_()

    page.route(lambda url: urllib.parse.urlsplit(url).path == "/login", handle)
    return posts


def type_login(page, password=PASSWORD):
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill("b-facilitator")
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


@pytest.mark.parametrize(
    ("body", "waiting"), [("busy_body", WAITING), ("restore_body", WAITING_FOR_RESTORE)]
)
def test_login_after_a_busy_answer_goes_on_without_typing_again(page, request, body, waiting):
    posts = answer_busy(page, request.getfixturevalue(body), times=1)
    type_login(page)
    expect(page.locator("#login-wait")).to_contain_text(waiting)
    expect(page.get_by_role("status")).to_contain_text(waiting)
    page.wait_for_url("**/gezinnen/**")
    expect(page.get_by_role("link", name="Profiel")).to_be_visible()
    assert len(posts) == 2
    assert posts[0] == posts[1]  # the same fields and CSRF token, sent again


def test_login_busy_every_time_ends_with_try_later(page, busy_body):
    posts = answer_busy(page, busy_body, times=100)
    type_login(page)
    expect(page.locator("#login-wait")).to_have_text(GAVE_UP, timeout=15_000)
    expect(page.get_by_role("status")).to_have_text(GAVE_UP)
    expect(page.get_by_label("Gebruikersnaam")).to_have_value("b-facilitator")
    expect(page.get_by_label("Wachtwoord")).to_have_value(PASSWORD)
    assert len(posts) == 4  # the first try and three more
    page.wait_for_timeout(1_500)
    assert len(posts) == 4


def test_login_wrong_password_is_the_plain_page_with_focus_on_the_name(page, server):
    type_login(page, password="not the password")
    expect(page.get_by_role("alert")).to_have_text("Gebruikersnaam of wachtwoord klopt niet.")
    expect(page.get_by_label("Gebruikersnaam")).to_be_focused()
    expect(page.get_by_label("Gebruikersnaam")).to_have_value("b-facilitator")
    expect(page.get_by_label("Wachtwoord")).to_have_value("")
    expect(page).to_have_title("Inloggen · Maatwerktafel")


def test_login_without_javascript_is_the_plain_form(browser, server):
    context = browser.new_context(base_url=server, java_script_enabled=False, **DUTCH_SCREEN)
    page = context.new_page()
    try:
        type_login(page)
        page.wait_for_url("**/gezinnen/**")
        expect(page.get_by_role("link", name="Profiel")).to_be_visible()
    finally:
        context.close()
