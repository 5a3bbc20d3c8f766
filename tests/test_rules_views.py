"""Signal cards on the family page: accept, dismiss, team persons; the rule catalogue."""

import re

import pytest

from cases import store as cases_store
from tests.conftest import LoggedIn, family_section

CODE = "test-gezin"
PAGE = f"/gezinnen/{CODE}"
HTMX = {"HX-Request": "true", "HX-Target": "signalen-inhoud"}
RULE = "missing-adult-mental-health"


def fingerprint(html, rule):
    card = html.split(f'id="signaal-{rule}"')[1]
    return re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', card).group(1)


def open_cards(html):
    part = (
        html.split('aria-label="Open signalen"')[1].split("</ol>")[0]
        if "Open signalen" in html
        else ""
    )
    return set(re.findall(r'id="signaal-([a-z0-9-]+)"', part))


def rows(db, sql, *args):
    return list(db.query(sql, list(args)))


@pytest.fixture
def facilitator(login):
    return login("facilitator")


def test_family_page_shows_a_card_per_signal_with_explanation_and_suggestion(facilitator):
    html = family_section(facilitator, CODE, "signalen")
    assert {RULE, "missing-municipality-housing"} <= open_cards(html)
    # No one of the family is at the table yet and there was no conference: too early.
    assert "parents-not-in-team" not in open_cards(html)
    card = html.split(f'id="signaal-{RULE}"')[1].split("</li>")[0]
    assert "Volwassen-GGZ zit niet aan tafel bij psychische problemen van een ouder" in card
    assert "Vader heeft psychische problemen. De volwassen-GGZ zit niet aan tafel." in card
    assert "psychiatrische problematiek ja" in card and "volwassen-GGZ nee" in card
    assert "Voorstel:" in card and "Bron:" in card
    assert 'data-highlight-persons="p2"' in card
    assert "We pakken dit op" in card and "Afwijzen" in card


def test_signals_redraw_themselves_after_an_edit(facilitator):
    response = facilitator.get(f"{PAGE}/signalen", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'data-refresh-on="family-changed"' in html and 'hx-trigger="refresh"' in html


def test_accepting_makes_an_action_with_an_owner_and_records_who_and_when(facilitator, db):
    html = family_section(facilitator, CODE, "signalen")
    response = facilitator.post(
        f"{PAGE}/signalen/{RULE}/oppakken",
        data={"fingerprint": fingerprint(html, RULE), "title": "GGZ uitnodigen",
              "owner": "Jeugdbeschermer", "due": "2026-12-15"},
        headers=HTMX,
    )  # fmt: skip
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "signals-changed"
    assert RULE not in open_cards(body)
    assert "Opgepakt" in body
    assert "GGZ uitnodigen (door Jeugdbeschermer, uiterlijk 15 december 2026)" in body
    action = rows(db, "SELECT * FROM actions")[0]
    assert (action["title"], action["owner"], action["due"], action["source"]) == (
        "GGZ uitnodigen", "Jeugdbeschermer", "2026-12-15", f"rule:{RULE}",
    )  # fmt: skip
    decision = rows(db, "SELECT * FROM signal_decisions")[0]
    assert decision["decision"] == "accepted" and decision["action_id"] == action["id"]
    assert decision["decided_by"] is not None and decision["decided_at"]


def test_accepting_without_an_owner_is_refused_and_keeps_what_was_typed(facilitator, db):
    html = family_section(facilitator, CODE, "signalen")
    response = facilitator.post(
        f"{PAGE}/signalen/{RULE}/oppakken",
        data={"fingerprint": fingerprint(html, RULE), "title": "Bel de GGZ", "owner": " "},
        headers=HTMX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul in wie dit oppakt." in body and 'value="Bel de GGZ"' in body
    assert rows(db, "SELECT * FROM actions") == []
    assert rows(db, "SELECT * FROM signal_decisions") == []


def test_a_decision_on_facts_that_changed_is_refused(facilitator, db):
    response = facilitator.post(
        f"{PAGE}/signalen/{RULE}/afwijzen",
        data={"fingerprint": "0000000000000000", "reason": "not_applicable"},
        headers=HTMX,
    )
    assert response.status_code == 409
    assert "intussen veranderd" in response.get_data(as_text=True)
    assert rows(db, "SELECT * FROM signal_decisions") == []


def dismiss(client, rule=RULE, **data):
    html = family_section(client, CODE, "signalen")
    return client.post(
        f"{PAGE}/signalen/{rule}/afwijzen",
        data={"fingerprint": fingerprint(html, rule), **data},
        headers=HTMX,
    )


def add_member(db, partner):
    family, case = cases_store.load_family(db, "test-gezin")
    case["network"].append(
        {"id": "n9", "name": "Nieuw", "partner": partner, "in_team": False,
         "ties": [{"person": "p1", "strength": "normal", "stressful": False, "flow": "to"}]}
    )  # fmt: skip
    cases_store.save_case(db, case, replace=True, expected_version=family["version"])


def test_a_dismissed_signal_stays_quiet_until_its_facts_change(facilitator, db):
    response = dismiss(facilitator, reason="family_declines", note="Vader wil eerst zelf bellen")
    assert response.status_code == 200
    assert RULE not in open_cards(response.get_data(as_text=True))
    assert "Afgewezen" in response.get_data(as_text=True)
    # Another edit that this rule does not read: still quiet.
    family, case = cases_store.load_family(db, "test-gezin")
    case["persons"][0]["interests"] = ["paarden", "tekenen"]
    cases_store.save_case(db, case, replace=True, expected_version=family["version"])
    assert RULE not in open_cards(family_section(facilitator, CODE, "signalen"))
    # A partner the rule does not ask about joins: still quiet.
    add_member(db, "school")
    assert RULE not in open_cards(family_section(facilitator, CODE, "signalen"))
    # The mother (no longer recorded as deceased) has psychiatric problems too: back.
    family, case = cases_store.load_family(db, "test-gezin")
    case["persons"][2]["deceased"] = False
    case["persons"][2]["problems"] = ["psychiatric"]
    case["relations"][0]["status"] = "divorced"
    cases_store.save_case(db, case, replace=True, expected_version=family["version"])
    assert RULE in open_cards(family_section(facilitator, CODE, "signalen"))


def test_dismissing_needs_a_reason_and_a_note_for_other(facilitator, db):
    assert dismiss(facilitator).status_code == 422
    response = dismiss(facilitator, reason="other", note="")
    assert response.status_code == 422
    assert "Schrijf bij &#39;anders&#39; kort waarom." in response.get_data(as_text=True)
    assert rows(db, "SELECT * FROM signal_decisions") == []


def test_unknown_rule_is_not_found(facilitator):
    response = facilitator.post(
        f"{PAGE}/signalen/bestaat-niet/afwijzen", data={"reason": "other"}, headers=HTMX
    )
    assert response.status_code == 404


def case_of(db):
    return cases_store.load_case(db, "test-gezin")


def test_parents_in_the_team_quiet_that_signal(facilitator, db):
    response = facilitator.post(f"{PAGE}/team-gezinsleden", data={"person": ["p2"]}, headers=HTMX)
    assert response.status_code == 200
    assert "parents-not-in-team" not in open_cards(response.get_data(as_text=True))
    refused = facilitator.post(f"{PAGE}/team-gezinsleden", data={"person": ["p3"]}, headers=HTMX)
    assert refused.status_code == 422  # p3 is deceased: not a living family member
    family, _ = cases_store.load_family(db, "test-gezin")
    # in_team is part of the case now: the choice is saved into it (a new version)
    assert [p["id"] for p in case_of(db)["persons"] if p["in_team"]] == ["p2"]


def test_without_htmx_a_decision_goes_back_to_the_signals(facilitator):
    html = family_section(facilitator, CODE, "signalen")
    response = facilitator.post(
        f"{PAGE}/signalen/{RULE}/afwijzen",
        data={"fingerprint": fingerprint(html, RULE), "reason": "later"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{PAGE}#signalen")


def test_catalogue_shows_every_rule_with_counts_and_no_family(app, facilitator):
    dismiss(facilitator, reason="not_applicable")
    html = LoggedIn(app.test_client(), "project_lead").get("/regels").get_data(as_text=True)
    assert "Ontbrekende partners" in html and "Plaatsingscarrousel bij het indexkind" in html
    rule = html.split(f'id="regel-{RULE}"')[1].split("</article>")[0]
    assert "afgewezen <strong>1</strong> keer" in rule
    assert "niet van toepassing op dit gezin: 1" in rule
    assert "Gaat af als:" in rule and "parent_problems" in rule
    housing = html.split('id="regel-missing-housing-corporation"')[1].split("</article>")[0]
    assert "Kritiek bij acute nood:" in housing and "acute_needs" in housing
    assert "Veiligheid" in html and "Situaties in het gezin" in html
    for name in ("Sanne", "Vader", "Het Testgezin"):
        assert name not in html


def test_catalogue_needs_a_login(client):
    assert client.get("/regels").status_code == 302


def test_export_holds_decisions_actions_and_team_persons(facilitator):
    dismiss(facilitator, reason="later")
    facilitator.post(f"{PAGE}/team-gezinsleden", data={"person": ["p2"]}, headers=HTMX)
    document = facilitator.get(f"{PAGE}/export").get_json()
    assert document["signal_decisions"]["team_persons"] == ["p2"]
    assert document["signal_decisions"]["decisions"][0]["rule_id"] == RULE
    assert document["actions"] == []
