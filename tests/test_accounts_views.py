"""Login, logout and the profile page (API tokens, password) through the test client."""

import re

import pytest

from accounts import store
from core.web import get_db
from tests.conftest import PASSWORD, LoggedIn

NEW_PASSWORD = "een heel ander wachtwoord"


def csrf_from(html):
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def post_login(client, username="facilitator", password=PASSWORD, query=""):
    token = csrf_from(client.get("/login" + query).get_data(as_text=True))
    return client.post(
        "/login" + query, data={"username": username, "password": password, "csrf_token": token}
    )


def user_id(app, username="facilitator"):
    with app.app_context():
        return store.get_user_by_name(get_db(), username)["id"]


def new_token(app, username="facilitator", name="script"):
    with app.app_context():
        return store.create_token(get_db(), user_id(app, username), name)


def token_ids(app, username="facilitator"):
    with app.app_context():
        return [row["id"] for row in store.list_tokens(get_db(), user_id(app, username))]


def api_status(app, token):
    response = app.test_client().get("/api/families", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def is_logged_in(client):
    return client.get("/profiel").status_code == 200


# Logging in


def test_login_page_is_dutch(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="nl">' in html
    for text in ("<h1>Inloggen</h1>", "Gebruikersnaam", "Wachtwoord", 'type="submit">Inloggen'):
        assert text in html


def test_login_wrong_password_is_401_with_dutch_message(client):
    response = post_login(client, password="fout wachtwoord van lengte")
    assert response.status_code == 401
    assert "Gebruikersnaam of wachtwoord klopt niet." in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_login_unknown_user_gets_the_same_answer(client):
    response = post_login(client, username="niemand")
    assert response.status_code == 401
    assert "Gebruikersnaam of wachtwoord klopt niet." in response.get_data(as_text=True)


def test_login_empty_fields_are_named_in_dutch(client):
    response = post_login(client, username="", password="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul je gebruikersnaam in." in html and "Vul je wachtwoord in." in html


def test_login_without_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "facilitator", "password": PASSWORD})
    assert response.status_code == 400
    assert not is_logged_in(client)


def test_login_works_and_goes_to_the_start_page(client):
    response = post_login(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_logged_in(client)
    assert "facilitator" in client.get("/profiel").get_data(as_text=True)


def test_login_username_is_case_insensitive(client):
    assert post_login(client, username="Facilitator").status_code == 302


def test_login_inactive_user_is_refused(app, client):
    with app.app_context():
        get_db().execute("UPDATE users SET active = 0 WHERE username = 'facilitator'")
    assert post_login(client).status_code == 401


def test_login_page_when_logged_in_redirects(login):
    client = login()
    assert client.get("/login").status_code == 302


def test_login_records_the_time(app, client):
    post_login(client)
    with app.app_context():
        assert store.get_user_by_name(get_db(), "facilitator")["last_login_at"] is not None


def test_login_next_local_path_is_followed(client):
    response = post_login(client, query="?next=/profiel")
    assert response.headers["Location"] == "/profiel"


def test_login_next_local_path_with_query_is_followed(client):
    response = post_login(client, query="?next=/gezinnen/%3Fq%3Dx")
    assert response.headers["Location"] == "/gezinnen/?q=x"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "https://evil.example/profiel",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "profiel",
    ],
)
def test_login_next_off_site_is_ignored(client, target):
    from urllib.parse import quote

    response = post_login(client, query="?next=" + quote(target, safe=""))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_required_page_sends_to_login_with_next(client):
    response = client.get("/profiel")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


# Logging out


def test_logout_get_is_not_allowed(login):
    client = login()
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)


def test_logout_without_csrf_is_refused(login):
    client = login()
    assert client.client.post("/logout").status_code == 400
    assert is_logged_in(client)


def test_logout_with_csrf_ends_the_session(login):
    client = login()
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "Je bent uitgelogd." in client.get("/login").get_data(as_text=True)
    assert not is_logged_in(client)


# API tokens on the profile page


def test_profile_lists_tokens_without_their_secret(app, login):
    client = login()
    token = new_token(app, name="Rapportage-script")
    html = client.get("/profiel").get_data(as_text=True)
    assert "Rapportage-script" in html
    assert f"…{token[-4:]}" in html
    assert token not in html


def test_profile_without_tokens_says_so(login):
    assert "Je hebt nog geen API-tokens." in login().get("/profiel").get_data(as_text=True)


def test_profile_lists_only_own_tokens(app, login):
    new_token(app, "admin", name="Van de beheerder")
    assert "Van de beheerder" not in login().get("/profiel").get_data(as_text=True)


def test_token_create_shows_it_once(app, login):
    client = login()
    response = client.post("/profiel/tokens", data={"name": "Koppeling"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    token = re.search(r'<code id="new-token">([^<]+)</code>', html).group(1)
    assert token.startswith("mwt_")
    assert "maar één keer getoond" in html
    assert api_status(app, token) == 200
    again = client.get("/profiel").get_data(as_text=True)
    assert "Koppeling" in again and token not in again


def test_token_create_without_name_is_refused_in_dutch(app, login):
    response = login().post("/profiel/tokens", data={"name": " "})
    assert response.status_code == 422
    assert "Geef het token een naam." in response.get_data(as_text=True)
    assert token_ids(app) == []


def test_token_create_without_csrf_is_refused(app, login):
    response = login().client.post("/profiel/tokens", data={"name": "x"})
    assert response.status_code == 400
    assert token_ids(app) == []


def test_token_revoke_works_and_the_token_stops(app, login):
    client = login()
    token = new_token(app)
    other = new_token(app, name="blijft")
    first_id = token_ids(app)[-1]
    response = client.post(f"/profiel/tokens/{first_id}/intrekken")
    assert response.status_code == 302
    assert "Het token is ingetrokken." in client.get("/profiel").get_data(as_text=True)
    assert api_status(app, token) == 401
    assert api_status(app, other) == 200


def test_token_revoke_of_another_users_token_is_404(app, login):
    others = new_token(app, "admin")
    (others_id,) = token_ids(app, "admin")
    response = login("facilitator").post(f"/profiel/tokens/{others_id}/intrekken")
    assert response.status_code == 404
    assert token_ids(app, "admin") == [others_id]
    assert api_status(app, others) == 200


def test_token_revoke_unknown_id_is_404(login):
    assert login().post("/profiel/tokens/9999/intrekken").status_code == 404


def test_token_revoke_without_csrf_is_refused(app, login):
    token = new_token(app)
    (token_id,) = token_ids(app)
    assert login().client.post(f"/profiel/tokens/{token_id}/intrekken").status_code == 400
    assert api_status(app, token) == 200


# Changing the password


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, repeat=None):
    return client.post(
        "/profiel/wachtwoord",
        data={"current": current, "new": new, "repeat": new if repeat is None else repeat},
    )


def test_password_change_ends_other_sessions_and_tokens(app):
    this = LoggedIn(app.test_client(), "facilitator")
    other = LoggedIn(app.test_client(), "facilitator")
    token = new_token(app)
    assert is_logged_in(other)
    response = change_password(this)
    assert response.status_code == 302
    assert "Je wachtwoord is gewijzigd." in this.get("/profiel").get_data(as_text=True)
    assert is_logged_in(this)
    response = other.get("/profiel")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert api_status(app, token) == 401
    assert token_ids(app) == []


def test_password_change_new_password_logs_in_old_does_not(app, login):
    change_password(login())
    assert post_login(app.test_client()).status_code == 401
    assert post_login(app.test_client(), password=NEW_PASSWORD).status_code == 302


def test_password_change_wrong_current_is_refused(app):
    this = LoggedIn(app.test_client(), "facilitator")
    other = LoggedIn(app.test_client(), "facilitator")
    response = change_password(this, current="niet mijn wachtwoord")
    assert response.status_code == 422
    assert "Je huidige wachtwoord klopt niet." in response.get_data(as_text=True)
    assert is_logged_in(other)
    assert post_login(app.test_client()).status_code == 302


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("kort", "Een wachtwoord heeft minstens 12 tekens."),
        ("abababababababab", "Dit wachtwoord is te eenvoudig"),
    ],
)
def test_password_change_weak_password_is_refused_in_dutch(app, login, new, message):
    response = change_password(login(), new=new)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert post_login(app.test_client()).status_code == 302


def test_password_change_repeat_mismatch_is_refused(app, login):
    response = change_password(login(), repeat="iets heel anders dan dat")
    assert response.status_code == 422
    assert "De twee nieuwe wachtwoorden verschillen." in response.get_data(as_text=True)
    assert post_login(app.test_client()).status_code == 302


def test_password_change_without_csrf_is_refused(app, login):
    client = login()
    response = client.client.post(
        "/profiel/wachtwoord",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert post_login(app.test_client()).status_code == 302
