"""The login form as static/login.js sends it (htmx): what the server answers, and the
markup the script works with. The retrying itself is tested in a real browser
(tests/browser/test_login_retry.py)."""

import os
import re

import pytest

from accounts import passwords, store
from accounts.views import LOGIN_IDS
from core import maintenance
from core.web import get_db
from tests.conftest import PASSWORD
from tests.test_accounts_views import csrf_from, is_logged_in, post_login
from tests.test_maintenance import hold_flag

FROM_THE_FORM = {"HX-Request": "true", "HX-Trigger": LOGIN_IDS["form"], "HX-Target": "main"}


def post_from_form(client, username="facilitator", password=PASSWORD, query=""):
    """The login as htmx sends it for the login form."""
    token = csrf_from(client.get("/login" + query).get_data(as_text=True))
    return client.post(
        "/login" + query,
        data={"username": username, "password": password, "csrf_token": token},
        headers=FROM_THE_FORM,
    )


def element(html, element_id):
    """The opening tag of the element with this id."""
    return re.search(rf'<[a-z]+[^>]*\bid="{element_id}"[^>]*>', html).group(0)


@pytest.fixture
def busy(monkeypatch):
    """Every hashing slot and queue place taken: a login is told to try again soon."""
    monkeypatch.setattr(
        passwords, "_wanting", [passwords.HASHING_AT_ONCE + passwords.HASHING_WAITING]
    )


def test_login_form_names_what_the_script_needs(client):
    html = client.get("/login?next=/profiel").get_data(as_text=True)
    form = element(html, LOGIN_IDS["form"])
    assert 'method="post"' in form and 'action="/login?next=/profiel"' in form
    assert 'hx-post="/login?next=/profiel"' in form
    assert 'hx-target="#main"' in form and 'hx-select="#main"' in form
    assert f'data-retry-line="{LOGIN_IDS["wait"]}"' in form
    assert f'data-retry-status="{LOGIN_IDS["status"]}"' in form
    assert "hidden" in element(html, LOGIN_IDS["wait"])
    assert 'role="status"' in element(html, LOGIN_IDS["status"])
    assert 'id="main"' in html
    assert '<script src="/static/login.js" defer></script>' in html


def test_login_script_is_served(client):
    response = client.get("/static/login.js")
    assert response.status_code == 200
    assert "Retry-After" in response.get_data(as_text=True)


def test_login_from_the_form_while_busy_is_503_with_retry_after(client, db, busy):
    response = post_from_form(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(passwords.RETRY_AFTER_SECONDS)
    # The script knows the busy answer by the login form in it.
    assert f'id="{LOGIN_IDS["form"]}"' in html
    assert "Er loggen nu veel mensen tegelijk in" in html
    assert PASSWORD not in html  # the password stays in the browser's field
    assert not is_logged_in(client)


def post_during_restore(app, client):
    """The answer to the form sent by htmx while a restore runs."""
    token = csrf_from(client.get("/login").get_data(as_text=True))
    hold_flag(app, os.getppid())  # a live process that is not this one
    try:
        return client.post(
            "/login",
            data={"username": "facilitator", "password": PASSWORD, "csrf_token": token},
            headers=FROM_THE_FORM,
        )
    finally:
        maintenance.flag_path(app.config["DATABASE"]).unlink()


def test_login_from_the_form_during_a_restore_is_503_with_retry_after(app, client):
    response = post_during_restore(app, client)
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    # No login form in it: the script says "onderhoud", not "veel mensen".
    assert f'id="{LOGIN_IDS["form"]}"' not in html and "Onderhoud" in html


def test_login_from_the_form_goes_on_by_hx_redirect(client):
    response = post_from_form(client, query="?next=/profiel")
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/profiel"
    assert "Location" not in response.headers
    assert "HX-Trigger" in response.headers["Vary"]
    assert is_logged_in(client)


def test_login_from_the_form_to_the_second_step_by_hx_redirect(app, client):
    with app.app_context():
        store.set_totp_required(get_db(), "facilitator", True)
    response = post_from_form(client)
    assert response.headers["HX-Redirect"] == "/login/tweestapsverificatie"
    assert not is_logged_in(client)


def test_login_from_the_form_when_logged_in_goes_on_by_hx_redirect(login):
    client = login()
    response = client.post("/login", headers=FROM_THE_FORM)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/"


def test_login_plain_form_still_redirects(client):
    response = post_login(client)
    assert response.status_code == 302 and "HX-Redirect" not in response.headers


def test_login_from_the_form_wrong_password_is_the_plain_page(client):
    response = post_from_form(client, password="fout wachtwoord van lengte")
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert html.startswith("<!doctype html>") and 'id="main"' in html
    assert "Gebruikersnaam of wachtwoord klopt niet." in html
    assert 'value="facilitator"' in html
    assert "fout wachtwoord van lengte" not in html
