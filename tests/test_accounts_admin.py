"""The admin's user page: who may see it, creating users, (de)activating, roles,
resetting a second factor and the roles that require one."""

import re

import pyotp
import pytest

from accounts import store, totp
from accounts.roles import ROLES
from audit import store as audit_store
from core import dates
from core.web import get_db
from tests.conftest import HTMX, PASSWORD, TOTP_KEY, LoggedIn
from tests.test_accounts_views import api_status, is_logged_in, new_token, post_login

INDEX = "/beheer/gebruikers"
STRONG = "paars fietsrek onder de regenboog"
NON_ADMIN_ROLES = [role for role in ROLES if role != "admin"]


def user(app, username):
    with app.app_context():
        return store.get_user_by_name(get_db(), username)


def changes(app):
    with app.app_context():
        return [
            (row["event"], row["object"], row["detail"])
            for row in audit_store.entries(get_db())
            if row["event"] in ("change", "create")
        ]


def new_user(client, **changes):
    data = {"username": "nieuwe", "display_name": "Nieuwe Collega", "role": "professional",
            "password": STRONG, "repeat": STRONG, **changes}  # fmt: skip
    return client.post(INDEX, data=data)


def url(app, username, action):
    return f"{INDEX}/{user(app, username)['id']}/{action}"


# Who may see it


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_admin_page_is_403_for_every_other_role(app, login, role):
    client = login(role)
    response = client.get(INDEX)
    assert response.status_code == 403
    assert "Geen toegang" in response.get_data(as_text=True)
    for path in (INDEX, url(app, "facilitator", "actief"), url(app, "facilitator", "rol"),
                 url(app, "facilitator", "tweestapsverificatie-reset"),
                 url(app, "facilitator", "afmelden"),
                 f"{INDEX}/tweestapsverificatie", f"{INDEX}/controle/username"):  # fmt: skip
        assert client.post(path, data={"active": "0", "role": "admin"}).status_code == 403
    assert user(app, "facilitator")["active"] and user(app, "facilitator")["role"] == "facilitator"


def test_admin_page_logged_out_goes_to_login(client):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fbeheer%2Fgebruikers"


def test_admin_change_logged_out_is_refused(app, client):
    assert client.post(url(app, "facilitator", "actief"), data={"active": "0"}).status_code == 400
    assert user(app, "facilitator")["active"]


def test_admin_page_lists_every_user(app, login):
    html = login("admin").get(INDEX).get_data(as_text=True)
    assert "<h1>Gebruikers beheren</h1>" in html
    for username in ("facilitator", "professional", "projectlead", "admin"):
        assert f"<strong>{username}</strong>" in html
    assert "projectleider" in html and "nooit" in html
    # The last login in the Dutch format, the ISO timestamp kept in the datetime attribute.
    months = "|".join(dates.MONTHS)
    dutch = rf"\d{{1,2}} ({months}) \d{{4}} \d\d:\d\d"
    shown = re.search(rf'<time datetime="(\d{{4}}-[^"]+)">({dutch})</time>', html)
    assert shown and dates.nl_datetime(shown.group(1)) == shown.group(2)
    assert "password_hash" not in html and "$argon2" not in html


def test_nav_shows_beheer_only_to_admins(login, app):
    assert ">Beheer</a>" in login("admin").get("/profiel").get_data(as_text=True)
    other = LoggedIn(app.test_client(), "facilitator")
    assert ">Beheer</a>" not in other.get("/profiel").get_data(as_text=True)


# Creating users


def test_create_user_works_and_they_can_log_in(app, login):
    client = login("admin")
    response = new_user(client)
    assert response.status_code == 302
    assert "Gebruiker nieuwe is aangemaakt." in client.get(INDEX).get_data(as_text=True)
    created = user(app, "nieuwe")
    assert (created["display_name"], created["role"]) == ("Nieuwe Collega", "professional")
    assert post_login(app.test_client(), "nieuwe", STRONG).status_code == 302
    assert ("create", "user nieuwe", "role professional") in changes(app)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "kort", "repeat": "kort"}, "password", "minstens 12 tekens"),
        ({"password": "Wachtwoord123!", "repeat": "Wachtwoord123!"}, "password",
         "te makkelijk te raden"),
        ({"username": "jvermeulen", "display_name": "Jolanda Vermeulen",
          "password": "jolandavermeulen", "repeat": "jolandavermeulen"}, "password",
         "te makkelijk te raden"),
        ({"repeat": "iets anders"}, "repeat", "De twee wachtwoorden verschillen."),
        ({"username": "facilitator"}, "username", "De gebruiker &#39;facilitator&#39; bestaat al."),
        ({"username": "jan jansen"}, "username", "Een gebruikersnaam heeft 2-64"),
        ({"username": ""}, "username", "Vul een gebruikersnaam in."),
        ({"role": "baas"}, "role", "Kies een van de rollen."),
    ],
)  # fmt: skip
def test_create_user_errors_stand_beside_their_field(app, login, changes, field, message):
    response = new_user(login("admin"), **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = html[html.index(f'id="{field}-error"') :]
    assert message in error[: error.index("</p>")]
    if changes.get("username") != "facilitator":
        assert user(app, changes.get("username", "nieuwe")) is None
    assert STRONG not in html  # a password is never sent back


def test_create_user_without_csrf_is_refused(app, login):
    response = login("admin").client.post(INDEX, data={"username": "nieuwe"})
    assert response.status_code == 400
    assert user(app, "nieuwe") is None


# The inline check while typing


def check(client, field, **values):
    return client.post(f"{INDEX}/controle/{field}", data=values, headers=HTMX)


def test_check_username_taken_free_and_malformed(login):
    client = login("admin")
    assert "bestaat al" in check(client, "username", username="Facilitator").get_data(as_text=True)
    assert check(client, "username", username="nieuwe").get_data(as_text=True) == ""
    assert "2-64" in check(client, "username", username="a<b>").get_data(as_text=True)


def test_check_password_uses_the_names_typed_so_far(login):
    client = login("admin")
    weak = check(client, "password", username="jvermeulen", display_name="Jolanda Vermeulen",
                 password="jolandavermeulen")  # fmt: skip
    assert "te makkelijk te raden" in weak.get_data(as_text=True)
    ok = check(client, "password", username="bert", password="jolandavermeulen")
    assert ok.get_data(as_text=True) == ""
    assert check(client, "password", username="bert", password="").get_data(as_text=True) == ""


def test_check_answers_escaped_text_not_markup(login):
    body = check(login("admin"), "username", username="<b>x</b>").get_data(as_text=True)
    assert "<b>" not in body and "<html" not in body


def test_check_unknown_field_is_404(login):
    assert check(login("admin"), "role", role="admin").status_code == 404


def test_page_wires_the_inline_check(login):
    html = login("admin").get(INDEX).get_data(as_text=True)
    assert f'hx-post="{INDEX}/controle/username"' in html
    assert f'hx-post="{INDEX}/controle/password"' in html
    assert 'hx-target="next .error"' in html


# Deactivating and reactivating


def test_deactivate_ends_the_users_live_session_and_tokens(app, login):
    victim = LoggedIn(app.test_client(), "facilitator")
    token = new_token(app)
    assert is_logged_in(victim) and api_status(app, token) == 200
    response = login("admin").post(url(app, "facilitator", "actief"), data={"active": "0"})
    assert response.status_code == 302
    assert not is_logged_in(victim)
    assert api_status(app, token) == 401
    assert post_login(app.test_client()).status_code == 401
    assert ("change", "user facilitator deactivated", None) in changes(app)


def test_deactivate_with_htmx_answers_the_row(app, login):
    response = login("admin").post(
        url(app, "facilitator", "actief"), data={"active": "0"}, headers=HTMX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith("<tr") and "<html" not in html
    assert "uitgezet" in html and "Weer aanzetten" in html
    assert "HX-Request" in response.headers["Vary"]


def test_reactivate_lets_them_log_in_again(app, login):
    client = login("admin")
    client.post(url(app, "facilitator", "actief"), data={"active": "0"})
    client.post(url(app, "facilitator", "actief"), data={"active": "1"})
    assert user(app, "facilitator")["active"]
    assert post_login(app.test_client()).status_code == 302


def test_deactivate_oneself_is_refused_beside_the_row(app, login):
    response = login("admin").post(url(app, "admin", "actief"), data={"active": "0"}, headers=HTMX)
    assert response.status_code == 422
    assert "Je kunt je eigen account niet uitzetten." in response.get_data(as_text=True)
    assert user(app, "admin")["active"]


def test_deactivate_unknown_user_is_404(login):
    assert login("admin").post(f"{INDEX}/999/actief", data={"active": "0"}).status_code == 404


# Logging a user out everywhere


def test_log_out_everywhere_with_htmx_answers_the_row(app, login):
    victim = LoggedIn(app.test_client(), "facilitator")
    token = new_token(app)
    response = login("admin").post(url(app, "facilitator", "afmelden"), headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith("<tr") and "<html" not in html
    assert "facilitator is overal afgemeld (1 sessie(s) beëindigd)." in html
    assert not is_logged_in(victim)
    assert api_status(app, token) == 200  # API tokens are revoked one by one, or by deactivation
    assert ("change", "user facilitator sessions ended", "1") in changes(app)


def test_log_out_everywhere_is_offered_for_others_only(app, login):
    html = login("admin").get(INDEX).get_data(as_text=True)
    assert url(app, "facilitator", "afmelden") in html
    assert url(app, "admin", "afmelden") not in html


def test_log_out_everywhere_oneself_is_refused_beside_the_row(app, login):
    client = login("admin")
    response = client.post(url(app, "admin", "afmelden"), headers=HTMX)
    assert response.status_code == 422
    assert "Je eigen sessies beëindig je op je profielpagina." in response.get_data(as_text=True)
    assert is_logged_in(client)


def test_log_out_everywhere_unknown_user_is_404(login):
    assert login("admin").post(f"{INDEX}/999/afmelden").status_code == 404


# Roles


def test_change_role_with_htmx(app, login):
    response = login("admin").post(
        url(app, "professional", "rol"), data={"role": "project_lead"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "professional is nu projectleider." in response.get_data(as_text=True)
    assert user(app, "professional")["role"] == "project_lead"
    assert ("change", "user professional role", "professional -> project_lead") in changes(app)


def test_change_role_without_htmx_comes_back_to_the_page(app, login):
    client = login("admin")
    response = client.post(url(app, "professional", "rol"), data={"role": "facilitator"})
    assert response.status_code == 302 and response.headers["Location"] == INDEX
    assert "professional is nu facilitator." in client.get(INDEX).get_data(as_text=True)


def test_change_role_unknown_or_own_is_refused(app, login):
    client = login("admin")
    response = client.post(url(app, "professional", "rol"), data={"role": "baas"}, headers=HTMX)
    assert response.status_code == 422 and "Kies een van de rollen." in response.get_data(
        as_text=True
    )
    response = client.post(url(app, "admin", "rol"), data={"role": "facilitator"}, headers=HTMX)
    assert response.status_code == 422
    assert user(app, "admin")["role"] == "admin"


def test_change_role_takes_effect_in_the_live_session(app, login):
    demoted = LoggedIn(app.test_client(), "facilitator")
    login("admin").post(url(app, "facilitator", "rol"), data={"role": "admin"})
    assert demoted.get(INDEX).status_code == 200


# Resetting a second factor


def test_reset_second_factor_for_a_lost_phone(app, login, monkeypatch):
    monkeypatch.setattr(totp, "clock", lambda: 1_800_000_015.0)
    with app.app_context():
        db = get_db()
        facilitator = user(app, "facilitator")["id"]
        secret = store.begin_totp(db, facilitator, TOTP_KEY)
        store.confirm_totp(db, facilitator, pyotp.TOTP(secret).at(1_800_000_015), TOTP_KEY)
    admin = login("admin")
    assert "aan" in admin.get(INDEX).get_data(as_text=True)
    response = admin.post(url(app, "facilitator", "tweestapsverificatie-reset"), headers=HTMX)
    assert response.status_code == 200
    assert "Tweestapsverificatie van facilitator is verwijderd" in response.get_data(as_text=True)
    assert store.totp_state(user(app, "facilitator")) == store.TOTP_OFF
    assert post_login(app.test_client()).headers["Location"] == "/"  # password alone again
    assert ("change", "user facilitator totp reset", None) in changes(app)


def test_reset_own_second_factor_is_refused(app, login):
    response = login("admin").post(url(app, "admin", "tweestapsverificatie-reset"), headers=HTMX)
    assert response.status_code == 422
    assert "profielpagina" in response.get_data(as_text=True)


# Roles that require a second factor


def test_settings_require_second_factor_per_role(app, login):
    client = login("admin")
    live = LoggedIn(app.test_client(), "professional")
    response = client.post(f"{INDEX}/tweestapsverificatie", data={"require_professional": "y"})
    assert response.status_code == 302
    html = client.get(INDEX).get_data(as_text=True)
    assert "1 gebruiker(s) zonder tweestapsverificatie zijn uitgelogd" in html
    assert 'checked id="require_professional"' in html
    assert 'checked id="require_facilitator"' not in html
    with app.app_context():
        assert store.totp_required_roles(get_db()) == {"professional"}
    assert not is_logged_in(live)
    assert ("change", "role professional require_totp", "on") in changes(app)
    client.post(f"{INDEX}/tweestapsverificatie", data={})
    with app.app_context():
        assert store.totp_required_roles(get_db()) == set()


def test_settings_own_role_needs_own_second_factor_first(app, login):
    client = login("admin")
    response = client.post(f"{INDEX}/tweestapsverificatie", data={"require_admin": "y"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = html[html.index('id="require_admin-error"') :]
    assert "Stel eerst zelf tweestapsverificatie in" in error[: error.index("</p>")]
    assert is_logged_in(client)
    with app.app_context():
        assert store.totp_required_roles(get_db()) == set()


def test_settings_page_shows_the_label(login):
    html = login("admin").get(INDEX).get_data(as_text=True)
    assert "2FA verplicht voor facilitator" in html
    assert '<h2 id="totp-settings-heading">Tweestapsverificatie verplicht</h2>' in html


def test_settings_without_csrf_is_refused(app, login):
    response = login("admin").client.post(
        f"{INDEX}/tweestapsverificatie", data={"require_professional": "y"}
    )
    assert response.status_code == 400


def test_admin_password_in_conftest_still_logs_in(app):
    # The fixtures' shared password must meet the policy they are created with.
    assert post_login(app.test_client(), "admin", PASSWORD).status_code == 302


# The command line, for when no admin can log in


def test_cli_reset_totp_removes_the_second_factor(app, runner):
    with app.app_context():
        db = get_db()
        store.begin_totp(db, user(app, "admin")["id"], TOTP_KEY)
        epoch = user(app, "admin")["auth_epoch"]
    result = runner.invoke(args=["users", "reset-totp", "Admin"])
    assert result.exit_code == 0, result.output
    assert "second factor of admin removed" in result.output
    assert store.totp_state(user(app, "admin")) == store.TOTP_OFF
    assert user(app, "admin")["auth_epoch"] == epoch + 1
    assert ("change", "user admin totp reset", None) in changes(app)


def test_cli_reset_totp_unknown_user(runner):
    result = runner.invoke(args=["users", "reset-totp", "niemand"])
    assert result.exit_code != 0 and "no user named niemand" in result.output
