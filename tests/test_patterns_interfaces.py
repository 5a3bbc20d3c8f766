"""``flask --app app patterns outcomes`` and ``GET /api/patterns/outcomes``: the shapes,
and Simba's published figures (12 families aiming home, 11 returned: 11 of 12, 92%)."""

import json

import pytest

from accounts import store as accounts_store
from cases import store as cases_store
from tests.factories import make_case

GOAL_KEYS = {
    "goal",
    "label",
    "measure",
    "measure_label",
    "families",
    "successes",
    "rate",
    "percent",
    "pending",
    "per_child",
}
CHILD_KEYS = {"children", "successes", "rate", "percent", "pending"}


def simba_cases():
    return [
        make_case(
            f"simba-{i:02d}",
            title=f"Simba {i}",
            region="Simba",
            status="closed",
            outcome={"returned_home": i < 11, "family_contact_improved": None, "date": None},
        )
        for i in range(12)
    ]


def check_shape(document):
    assert set(document) == {"cohort", "outcomes"}
    assert set(document["cohort"]) == {"families", "filters"}
    assert [g["goal"] for g in document["outcomes"]] == ["return_home", "family_strengthening"]
    for goal in document["outcomes"]:
        assert set(goal) == GOAL_KEYS
        assert set(goal["per_child"]) == CHILD_KEYS


def return_home(document):
    return document["outcomes"][0]


# CLI


def test_cli_json_has_per_goal_families_successes_rate_and_per_child(runner):
    result = runner.invoke(args=["patterns", "outcomes", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    check_shape(document)
    assert document["cohort"]["families"] == 2  # the active test families
    home = return_home(document)
    assert (home["families"], home["successes"], home["pending"]) == (1, 0, 1)


def test_cli_counts_simba_from_a_file_eleven_of_twelve(runner, tmp_path):
    path = tmp_path / "simba.json"
    path.write_text(json.dumps(simba_cases()), encoding="utf-8")
    result = runner.invoke(args=["patterns", "outcomes", "--json", "--file", str(path)])
    assert result.exit_code == 0, result.output
    home = return_home(json.loads(result.output))
    assert (home["families"], home["successes"], home["percent"]) == (12, 11, "92%")
    assert home["rate"] == pytest.approx(11 / 12)
    assert home["per_child"]["children"] == 12
    text = runner.invoke(args=["patterns", "outcomes", "--file", str(path)]).output
    assert "terug naar huis: 11 van 12 gezinnen, 92%" in text
    assert "familieversterking: 0 gezinnen, –" in text


def test_cli_counts_simba_from_the_database_with_filters(runner, app):
    with app.app_context():
        from core.web import get_db

        cases_store.import_cases(get_db(), simba_cases())
    args = ["patterns", "outcomes", "--json", "--region", "Simba", "--status", "closed"]
    home = return_home(json.loads(runner.invoke(args=args).output))
    assert (home["families"], home["successes"], home["percent"]) == (12, 11, "92%")
    # Closed families are not in the default (active) cohort.
    args = ["patterns", "outcomes", "--json", "--region", "Simba"]
    assert return_home(json.loads(runner.invoke(args=args).output))["families"] == 0


def test_cli_refuses_a_bad_file_and_a_bad_filter(runner, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([make_case(goal="naar_huis")]), encoding="utf-8")
    result = runner.invoke(args=["patterns", "outcomes", "--file", str(path)])
    assert result.exit_code != 0 and "[0] goal" in result.output
    result = runner.invoke(args=["patterns", "outcomes", "--start", "31-12-2025"])
    assert result.exit_code != 0 and "vul een datum in" in result.output


# API


def test_api_outcomes_for_the_project_lead(login, db):
    cases_store.import_cases(db, simba_cases())
    response = login("project_lead").get("/api/patterns/outcomes?region=Simba&status=closed")
    assert response.status_code == 200
    document = response.get_json()
    check_shape(document)
    assert document["cohort"]["filters"]["region"] == "Simba"
    home = return_home(document)
    assert (home["families"], home["successes"], home["percent"]) == (12, 11, "92%")


def test_api_with_a_bearer_token(app, client, db):
    user = db.execute("SELECT id FROM users WHERE username = 'projectlead'").fetchone()[0]
    secret = accounts_store.create_token(db, user, "dashboard")
    response = client.get("/api/patterns/outcomes", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.get_json()["cohort"]["families"] == 2


def test_api_refusals_are_json(login, client):
    assert client.get("/api/patterns/outcomes").status_code == 401
    response = login("facilitator").get("/api/patterns/outcomes")
    assert response.status_code == 403 and response.get_json() == {"error": "forbidden"}


def test_api_bad_filter_is_400(login):
    response = login("admin").get("/api/patterns/outcomes?end=2025-02-30")
    assert response.status_code == 400 and "Gestart tot en met" in response.get_json()["error"]
