"""``GET /api/cases/<code>/flags``: the signals of a family as JSON, behind the API's guard."""

import json

from tests.conftest import LoggedIn
from tests.test_cases_api import bearer, new_token

URL = "/api/cases/test-gezin/flags"
MINIMUM_KEYS = {"rule", "severity", "title", "partner", "persons", "explanation"}


def assert_signals(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.is_json
    signals = response.get_json()
    assert isinstance(signals, list) and signals
    for signal in signals:
        assert set(signal) >= MINIMUM_KEYS
        assert signal["partner"] is None or isinstance(signal["partner"], str)
    return signals


def test_flags_for_the_facilitator(login):
    signals = assert_signals(login("facilitator").get(URL))
    rules = [signal["rule"] for signal in signals]
    assert "missing-adult-mental-health" in rules
    assert all(signal["status"] == "open" for signal in signals)


def test_flags_for_a_team_member(login):
    assert_signals(login("professional").get(URL))


def test_api_and_cli_give_the_same_signals(login, runner):
    from_api = assert_signals(login("facilitator").get(URL))
    result = runner.invoke(args=["cases", "flags", "test-gezin", "--json"])
    assert json.loads(result.output) == from_api


def test_flags_logged_out_is_401_json(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.is_json
    assert "authentication required" in response.get_json()["error"]


def test_flags_for_an_outsider_is_403(app):
    outsider = LoggedIn(app.test_client(), "buitenstaander")
    response = outsider.get(URL)
    assert response.status_code == 403
    assert response.is_json


def test_flags_of_an_unknown_code_is_403_for_others_and_404_for_admin(app, login):
    assert login("facilitator").get("/api/cases/geen-gezin/flags").status_code == 403
    admin = LoggedIn(app.test_client(), "admin")
    response = admin.get("/api/cases/geen-gezin/flags")
    assert response.status_code == 404
    assert response.is_json


def test_flags_with_a_bearer_token(app, client):
    signals = assert_signals(client.get(URL, headers=bearer(new_token(app))))
    assert "missing-adult-mental-health" in [signal["rule"] for signal in signals]


def test_flags_with_a_wrong_token_is_401(client):
    assert client.get(URL, headers=bearer("mwt_wrong")).status_code == 401


def test_flags_with_the_token_of_an_outsider_is_403(app, client):
    assert client.get(URL, headers=bearer(new_token(app, "buitenstaander"))).status_code == 403
