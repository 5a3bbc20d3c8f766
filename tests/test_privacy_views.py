"""Team, consent, export, erasure and the access overview through the test client."""

import csv
import datetime
import io
import json
import re

import pytest

from access import store as access_store
from access.policy import TEAM_FACILITATOR, TEAM_MEMBER
from accounts import store as accounts_store
from audit import store as audit_store
from cases import store as cases_store
from cases import views as cases_views
from privacy import retention, views
from privacy import store as privacy_store
from tests.conftest import LoggedIn, family_section

CODE = "test-gezin"
PAGE = f"/gezinnen/{CODE}"
OTHER = "/gezinnen/ander-gezin"

FAMILY_TABLES = {
    "persons": "SELECT count(*) FROM persons WHERE family_id = ?",
    "placements": "SELECT count(*) FROM placements WHERE person_id IN"
    " (SELECT id FROM persons WHERE family_id = ?)",
    "relations": "SELECT count(*) FROM relations WHERE family_id = ?",
    "network_members": "SELECT count(*) FROM network_members WHERE family_id = ?",
    "ties": "SELECT count(*) FROM ties WHERE member_id IN"
    " (SELECT id FROM network_members WHERE family_id = ?)",
    "solutions": "SELECT count(*) FROM solutions WHERE family_id = ?",
    "family_team": "SELECT count(*) FROM family_team WHERE family_id = ?",
    "consents": "SELECT count(*) FROM consents WHERE family_id = ?",
    "care_endings": "SELECT count(*) FROM care_endings WHERE family_id = ?",
    "families": "SELECT count(*) FROM families WHERE id = ?",
}


# Helpers -------------------------------------------------------------------------


@pytest.fixture
def login(app):
    """``login(username)``: a client of its own, so one test can act as several people."""
    return lambda username="facilitator": LoggedIn(app.test_client(), username)


def text(response):
    return response.get_data(as_text=True)


def hx(target):
    return {"HX-Request": "true", "HX-Target": target}


def assert_fragment(response, status=200):
    assert response.status_code == status, text(response)
    assert "<html" not in text(response)
    assert "HX-Target" in response.headers.get("Vary", "")


def family_id(db, code=CODE):
    return cases_store.family_row(db, code)["id"]


def uid(db, username):
    return accounts_store.get_user_by_name(db, username)["id"]


def log(db, code=CODE):
    """The family's log entries, newest first."""
    return audit_store.entries(db, family_id=family_id(db, code), limit=None)


def last_entry(db, code=CODE):
    return log(db, code)[0]


def counts(db, fid):
    return {table: db.execute(sql, [fid]).fetchone()[0] for table, sql in FAMILY_TABLES.items()}


def record(client, person_id="p1", subject="library", decision="given", note="", code=CODE):
    return client.post(
        f"/gezinnen/{code}/instemming",
        data={"person_id": person_id, "subject": subject, "decision": decision, "note": note},
        headers=hx(views.CONSENT_ID),
    )


def close_family(db, code=CODE):
    """Close the family (the database records the end of care); return its retention end."""
    db.execute("UPDATE families SET status = 'closed' WHERE code = ?", [code])
    return retention.retention_until(privacy_store.care_ended(db, family_id(db, code)))


# Every route: which URL, and what it needs ------------------------------------------


def urls(db):
    member = uid(db, "professional")
    return {
        "privacy.add_member": ("post", f"{PAGE}/team"),
        "privacy.update_member": ("post", f"{PAGE}/team/{member}"),
        "privacy.remove_member": ("post", f"{PAGE}/team/{member}/verwijderen"),
        "privacy.record_consent": ("post", f"{PAGE}/instemming"),
        "privacy.export_family": ("get", f"{PAGE}/export"),
        "privacy.erase_page": ("get", f"{PAGE}/wissen"),
        "privacy.erase": ("post", f"{PAGE}/wissen"),
        "privacy.overview_page": ("get", f"{PAGE}/inzage"),
        "privacy.overview_csv": ("get", f"{PAGE}/inzage.csv"),
    }


# Routes a team member without the facilitator's rights may not use.
FACILITATOR_ONLY = {
    "privacy.add_member",
    "privacy.update_member",
    "privacy.remove_member",
    "privacy.export_family",
    "privacy.erase_page",
    "privacy.erase",
    "privacy.overview_page",
    "privacy.overview_csv",
}
POSTED = {"user_id": "1", "team_role": "member", "person_id": "p1", "subject": "team"}


def test_every_privacy_route_is_covered_here(app, db):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("privacy.")} == set(urls(db))
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("privacy."):
            assert "code" in rule.arguments, rule  # so access.guard checks every one


def test_every_route_needs_login(app, client, db):
    html = text(client.get("/login"))
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    before = counts(db, family_id(db))
    for endpoint, (method, url) in urls(db).items():
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data=POSTED, headers={"X-CSRFToken": token})
        assert response.status_code == 302, endpoint
        assert "/login" in response.headers["Location"], endpoint
    assert counts(db, family_id(db)) == before


@pytest.mark.parametrize("username", ["buitenstaander", "projectlead"])
def test_users_off_the_team_get_403_everywhere_and_nothing_changes(login, db, username):
    client = login(username)
    before = counts(db, family_id(db))
    for endpoint, (method, url) in urls(db).items():
        response = client.get(url) if method == "get" else client.post(url, data=POSTED)
        assert response.status_code == 403, endpoint
        assert "Geen toegang" in text(response)
        assert last_entry(db)["outcome"] == "denied"
    assert counts(db, family_id(db)) == before


def test_professional_on_the_team_may_not_use_the_facilitators_routes(login, db):
    client = login("professional")
    before = counts(db, family_id(db))
    for endpoint, (method, url) in urls(db).items():
        if endpoint not in FACILITATOR_ONLY:
            continue
        response = client.get(url) if method == "get" else client.post(url, data=POSTED)
        assert response.status_code == 403, endpoint
    assert counts(db, family_id(db)) == before
    assert access_store.team_role(db, family_id(db), uid(db, "professional")) == TEAM_MEMBER


def test_facilitator_of_the_other_family_only_is_refused(login, db):
    # The professional works with test-gezin only: ander-gezin is closed to them.
    response = record(login("professional"), code="ander-gezin")
    assert response.status_code == 403


def test_unknown_family_is_403_for_others_and_404_for_an_admin(login):
    assert login("facilitator").get("/gezinnen/bestaat-niet/export").status_code == 403
    admin = login("admin")
    for url in ("export", "wissen", "inzage", "inzage.csv"):
        assert admin.get(f"/gezinnen/bestaat-niet/{url}").status_code == 404


# The section on the family page ---------------------------------------------------


def test_section_is_in_the_page_nav_and_on_the_page(login):
    assert ("team-en-privacy", "Team en privacy") in cases_views.SECTIONS
    assert cases_views.SECTIONS[-1][0] == views.SECTION_ID
    client = login("professional")
    html = text(client.get(PAGE))
    assert '<a href="#team-en-privacy">Team en privacy</a>' in html
    assert '<section id="team-en-privacy"' in html
    assert ">Team en privacy</h2>" in html
    html = family_section(client, CODE, "team-en-privacy")  # loaded when scrolled into view
    assert f'id="{views.TEAM_ID}"' in html
    assert f'id="{views.CONSENT_ID}"' in html


def test_professional_sees_the_team_read_only_and_may_record_consent(login):
    section = family_section(login("professional"), CODE, "team-en-privacy")
    assert "facilitator" in section and "professional" in section
    assert "Alleen een facilitator van dit gezin of een beheerder kan het team wijzigen." in section
    assert "/team/" not in section  # no role change or removal forms
    assert "Gebruiker toevoegen" not in section
    assert "Beslissing vastleggen" in section
    assert f"{PAGE}/export" not in section and f"{PAGE}/wissen" not in section
    assert "Exporteren, het inzageoverzicht en wissen kunnen alleen" in section


def test_facilitator_sees_forms_and_the_file_links(login, db):
    section = family_section(login("facilitator"), CODE, "team-en-privacy")
    assert "Gebruiker toevoegen" in section
    assert f'action="{PAGE}/team/{uid(db, "professional")}/verwijderen"' in section
    # Candidates: active users off the team, admins left out (they see everything).
    assert ">buitenstaander (facilitator)</option>" in section
    assert ">projectlead (projectleider)</option>" in section
    assert "admin (" not in section
    for url in (f"{PAGE}/export", f"{PAGE}/inzage", f"{PAGE}/wissen"):
        assert f'href="{url}"' in section


def test_section_explains_the_age_rules(login):
    html = family_section(login("professional"), CODE, "team-en-privacy")
    assert "van 12 tot en met 15 jaar beslissen het kind én de ouders samen" in html
    assert "Sanne" in html and "Vader" in html
    for label in ("gegevens delen met het team", "bespreken in het casusoverleg"):
        assert label in html


# Team management --------------------------------------------------------------------


def test_facilitator_adds_a_user_in_place(login, db):
    client = login("facilitator")
    response = client.post(
        f"{PAGE}/team",
        data={"user_id": uid(db, "projectlead"), "team_role": "member"},
        headers=hx(views.TEAM_ID),
    )
    assert_fragment(response)
    html = text(response)
    assert f'id="{views.TEAM_ID}"' in html
    assert "projectlead is toegevoegd als teamlid." in html
    assert access_store.team_role(db, family_id(db), uid(db, "projectlead")) == TEAM_MEMBER
    entry = last_entry(db)
    assert (entry["event"], entry["outcome"], entry["object"]) == (
        "change",
        "success",
        "team user=projectlead",
    )
    # The project lead now works with the family and sees it.
    assert login("projectlead").get(PAGE).status_code == 200


def test_admin_adds_a_facilitator(login, db):
    response = login("admin").post(
        f"{PAGE}/team",
        data={"user_id": uid(db, "buitenstaander"), "team_role": "facilitator"},
        headers=hx(views.TEAM_ID),
    )
    assert_fragment(response)
    assert access_store.team_role(db, family_id(db), uid(db, "buitenstaander")) == (
        TEAM_FACILITATOR
    )


def test_adding_without_htmx_redirects_to_the_section_with_a_message(login, db):
    client = login("facilitator")
    response = client.post(
        f"{PAGE}/team", data={"user_id": uid(db, "projectlead"), "team_role": "member"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{PAGE}#{views.TEAM_ID}")
    assert "projectlead is toegevoegd als teamlid." in text(client.get(PAGE))


@pytest.mark.parametrize(
    ("username", "role", "message"),
    [
        ("professional", "member", "professional staat al in het team."),
        ("admin", "member", "Kies een actieve gebruiker uit de lijst."),
        ("projectlead", "baas", "Kies facilitator of teamlid."),
        (None, "member", "Kies een actieve gebruiker uit de lijst."),
    ],
)
def test_adding_is_refused_with_a_dutch_message(login, db, username, role, message):
    before = access_store.team(db, family_id(db))
    response = login("facilitator").post(
        f"{PAGE}/team",
        data={"user_id": uid(db, username) if username else "", "team_role": role},
        headers=hx(views.TEAM_ID),
    )
    assert_fragment(response, 422)
    assert message in text(response)
    assert access_store.team(db, family_id(db)) == before
    assert last_entry(db)["outcome"] == "failed"


def test_refusal_without_htmx_is_a_page_with_the_message(login, db):
    response = login("facilitator").post(f"{PAGE}/team/{uid(db, 'facilitator')}/verwijderen")
    assert response.status_code == 422
    assert "<html" in text(response)
    assert "Een gezin houdt minstens één facilitator." in text(response)


def test_facilitator_changes_a_team_role(login, db):
    response = login("facilitator").post(
        f"{PAGE}/team/{uid(db, 'professional')}",
        data={"team_role": "facilitator"},
        headers=hx(views.TEAM_ID),
    )
    assert_fragment(response)
    assert "professional is nu facilitator in dit team." in text(response)
    assert access_store.team_role(db, family_id(db), uid(db, "professional")) == TEAM_FACILITATOR
    # A second facilitator means the first may now step down.
    response = login("professional").post(
        f"{PAGE}/team/{uid(db, 'facilitator')}",
        data={"team_role": "member"},
        headers=hx(views.TEAM_ID),
    )
    assert_fragment(response)
    assert access_store.team_role(db, family_id(db), uid(db, "facilitator")) == TEAM_MEMBER


def test_last_facilitator_cannot_step_down_or_be_removed(login, db):
    client = login("facilitator")
    me = uid(db, "facilitator")
    for url, data in (
        (f"{PAGE}/team/{me}", {"team_role": "member"}),
        (f"{PAGE}/team/{me}/verwijderen", {}),
    ):
        response = client.post(url, data=data, headers=hx(views.TEAM_ID))
        assert_fragment(response, 422)
        assert "Een gezin houdt minstens één facilitator." in text(response)
    assert access_store.team_role(db, family_id(db), me) == TEAM_FACILITATOR


def test_facilitator_removes_a_member_who_then_loses_access(login, db):
    response = login("facilitator").post(
        f"{PAGE}/team/{uid(db, 'professional')}/verwijderen", headers=hx(views.TEAM_ID)
    )
    assert_fragment(response)
    assert "professional is uit het team gehaald." in text(response)
    assert access_store.team_role(db, family_id(db), uid(db, "professional")) is None
    assert login("professional").get(PAGE).status_code == 403


def test_facilitator_who_leaves_the_team_is_sent_to_the_family_list(login, db):
    fid = family_id(db)
    access_store.add_member(db, fid, uid(db, "buitenstaander"), TEAM_FACILITATOR)
    client = login("facilitator")
    response = client.post(
        f"{PAGE}/team/{uid(db, 'facilitator')}/verwijderen", headers=hx(views.TEAM_ID)
    )
    assert response.status_code == 204  # htmx follows HX-Redirect
    assert response.headers["HX-Redirect"] == "/gezinnen/"
    assert "Je staat niet meer in het team van ‘Het Testgezin’." in text(client.get("/gezinnen/"))
    assert client.get(PAGE).status_code == 403


def test_changing_an_unknown_member_is_refused(login, db):
    response = login("facilitator").post(
        f"{PAGE}/team/{uid(db, 'projectlead')}",
        data={"team_role": "member"},
        headers=hx(views.TEAM_ID),
    )
    assert_fragment(response, 422)
    assert "staat niet (meer) in het team" in text(response)


# Consent ------------------------------------------------------------------------------


def test_team_member_records_consent_in_place(login, db):
    response = record(login("professional"), note="Zegt ja, mits zonder paarden.")
    assert_fragment(response)
    html = text(response)
    assert f'id="{views.CONSENT_ID}"' in html
    assert "Vastgelegd: Sanne, geanonimiseerd delen in de oplossingenbibliotheek: gegeven." in html
    assert "Zegt ja, mits zonder paarden." in html  # in the history
    (row,) = db.query("SELECT * FROM consents")
    assert (row["person_id"], row["subject"], row["decision"]) == ("p1", "library", "given")
    assert row["recorded_by"] == uid(db, "professional")
    entry = last_entry(db)
    assert (entry["event"], entry["outcome"], entry["detail"]) == ("change", "success", "given")
    assert entry["object"] == "instemming person=p1 subject=library"


def test_recording_without_htmx_redirects_to_the_consent_part(login):
    response = login("professional").post(
        f"{PAGE}/instemming",
        data={"person_id": "p2", "subject": "team", "decision": "refused"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#{views.CONSENT_ID}")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"person_id": "p3"}, "Kies wie de beslissing neemt."),  # deceased
        ({"person_id": "n1"}, "Kies wie de beslissing neemt."),  # not youth protection
        ({"subject": "reclame"}, "Kies waarvoor de instemming geldt."),
        ({"decision": "misschien"}, "Kies gegeven, geweigerd of ingetrokken."),
    ],
)
def test_invalid_consent_is_refused_and_keeps_what_was_typed(login, db, changes, message):
    data = {"person_id": "p1", "subject": "team", "decision": "given", "note": "getypt"}
    data.update(changes)
    response = login("professional").post(
        f"{PAGE}/instemming", data=data, headers=hx(views.CONSENT_ID)
    )
    assert_fragment(response, 422)
    assert message in text(response)
    assert ">getypt</textarea>" in text(response)
    assert db.execute("SELECT count(*) FROM consents").fetchone()[0] == 0


def test_guardian_can_be_recorded_by_network_id(login, db):
    response = record(login("facilitator"), person_id="n2", subject="conference")
    assert_fragment(response)
    (row,) = db.query("SELECT person_id FROM consents")
    assert row["person_id"] == "n2"


def test_history_is_kept_and_the_latest_decision_counts(login, db):
    client = login("professional")
    record(client, "p1", "library", "given")
    record(client, "p2", "library", "given")
    html = family_section(client, CODE, "team-en-privacy")
    assert "Instemming voor geanonimiseerd delen in de oplossingenbibliotheek is compleet." in html
    # Sanne's own say counts at any age from 12, so her withdrawal always blocks.
    record(client, "p1", "library", "withdrawn", note="Sanne trekt in")
    html = family_section(client, CODE, "team-en-privacy")
    assert "Geen instemming voor geanonimiseerd delen in de oplossingenbibliotheek" in html
    assert "Geschiedenis (3)" in html
    assert "Sanne trekt in" in html
    assert db.execute("SELECT count(*) FROM consents").fetchone()[0] == 3


def test_consent_is_per_family(login, db):
    record(login("facilitator"), code="ander-gezin")
    assert (
        db.execute(
            "SELECT count(*) FROM consents WHERE family_id = ?", [family_id(db, "ander-gezin")]
        ).fetchone()[0]
        == 1
    )
    assert "Geschiedenis (0)" in family_section(login("facilitator"), CODE, "team-en-privacy")


# Export -----------------------------------------------------------------------------


def test_facilitator_exports_everything_about_the_family(login, db):
    client = login("facilitator")
    client.get(PAGE)
    record(client, "p1", "team", "given", note="ja")
    record(client, "p1", "team", "withdrawn")
    login("buitenstaander").get(PAGE)  # a refused look is in the log too
    before = log(db)
    client = login("facilitator")
    response = client.get(f"{PAGE}/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search(r'filename="gezin-test-gezin-export-\d{4}-\d{2}-\d{2}\.json"', disposition)
    assert response.headers["Cache-Control"] == "no-store"
    document = json.loads(text(response))
    assert document["case"] == cases_store.load_case(db, CODE)
    assert {m["username"]: m["team_role"] for m in document["team"]} == {
        "facilitator": "facilitator",
        "professional": "member",
    }
    assert [(c["decision"], c["note"]) for c in document["consents"]] == [
        ("given", "ja"),
        ("withdrawn", None),
    ]
    assert document["conferences"] == []
    assert [e["id"] for e in document["access_log"]] == [e["id"] for e in reversed(before)]
    assert {e["family_code"] for e in document["access_log"]} == {CODE}
    assert "buitenstaander" in {e["username"] for e in document["access_log"]}
    assert document["exported_by"]["username"] == "facilitator"
    assert document["exported_at"]
    entry = last_entry(db)
    assert (entry["event"], entry["outcome"], entry["username"]) == (
        "export",
        "success",
        "facilitator",
    )


def test_admin_exports_and_a_refused_export_is_logged(login, db):
    assert login("admin").get(f"{PAGE}/export").status_code == 200
    assert last_entry(db)["event"] == "export"
    assert login("professional").get(f"{PAGE}/export").status_code == 403
    entry = last_entry(db)
    assert (entry["event"], entry["outcome"], entry["username"]) == (
        "export",
        "denied",
        "professional",
    )


# Erasure ------------------------------------------------------------------------------


def test_erase_page_explains_what_goes_and_logs_a_read(login, db):
    record(login("professional"))
    response = login("facilitator").get(f"{PAGE}/wissen")
    html = text(response)
    assert response.status_code == 200
    for line in (
        "4 personen",
        "5 relaties",
        "2 netwerkleden",
        "2 teamleden",
        "1 oplossing<",
        "1 vastgelegde instemming<",
    ):
        assert line in html
    assert "De toegangslog blijft bewaard" in html
    assert "nog niet begonnen (casus loopt)" in html
    assert "Het gezin kan worden gewist." in html
    assert "Definitief wissen" in html
    assert 'name="reden"' in html and "required" not in html.split('name="reden"')[1][:80]
    entry = last_entry(db)
    assert (entry["event"], entry["outcome"]) == ("read", "success")


def test_erase_page_lists_registered_erasers(login, monkeypatch):
    from privacy import erasure

    monkeypatch.setattr(erasure, "ERASERS", [])
    monkeypatch.setattr(erasure, "DESCRIPTIONS", {})
    erasure.register_eraser(description="de zoekindex van vergelijkbare casussen")(
        lambda db, family_id, code: None
    )
    html = text(login("facilitator").get(f"{PAGE}/wissen"))
    assert "de zoekindex van vergelijkbare casussen" in html


def test_facilitator_erases_an_active_family_completely(login, db):
    fid = family_id(db)
    other = family_id(db, "ander-gezin")
    client = login("professional")
    client.get(PAGE)
    record(client)
    other_before = counts(db, other)
    assert all(count for table, count in counts(db, fid).items() if table != "care_endings")
    logged = log(db)
    client = login("facilitator")
    response = client.post(
        f"{PAGE}/wissen", data={"reden": "Gezin vraagt om wissen", "bevestiging": CODE}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/gezinnen/")
    assert counts(db, fid) == dict.fromkeys(FAMILY_TABLES, 0)
    assert counts(db, other) == other_before
    assert cases_store.family_row(db, CODE) is None
    # The log is kept, with the erasure itself at the top.
    kept = audit_store.entries(db, family_id=fid, limit=None)
    assert [e["id"] for e in kept[1:]] == [e["id"] for e in logged]
    assert (kept[0]["event"], kept[0]["outcome"], kept[0]["family_code"]) == (
        "erase",
        "success",
        CODE,
    )
    assert kept[0]["detail"] == "reden: Gezin vraagt om wissen"
    assert "Het gezin ‘Het Testgezin’ (test-gezin) is gewist." in text(client.get("/gezinnen/"))
    assert client.get(PAGE).status_code == 403


def test_closed_family_in_retention_is_refused_for_the_facilitator(login, db):
    until = close_family(db)
    client = login("facilitator")
    html = text(client.get(f"{PAGE}/wissen"))
    assert f"De bewaartermijn loopt tot en met {retention.dutch_day(until)}" in html
    assert "Alleen een beheerder kan met een reden toch wissen." in html
    assert 'name="reden"' not in html  # no form to try
    before = counts(db, family_id(db))
    response = client.post(f"{PAGE}/wissen", data={"reden": "Een reden van genoeg tekens"})
    assert response.status_code == 409
    assert "Alleen een beheerder kan met een reden toch wissen." in text(response)
    assert counts(db, family_id(db)) == before
    entry = last_entry(db)
    assert (entry["event"], entry["outcome"]) == ("erase", "failed")


def test_admin_needs_a_reason_within_retention_and_the_log_keeps_it(login, db):
    until = close_family(db)
    client = login("admin")
    html = text(client.get(f"{PAGE}/wissen"))
    assert "Toch definitief wissen" in html
    assert re.search(r'name="reden"[^>]*required minlength="10"', html)
    before = counts(db, family_id(db))
    for reason in ("", "te kort"):
        response = client.post(f"{PAGE}/wissen", data={"reden": reason, "bevestiging": CODE})
        assert response.status_code == 409
        assert "Geef een reden van minstens 10 tekens" in text(response)
        assert counts(db, family_id(db)) == before
    fid = family_id(db)
    reason = "Rechter heeft vernietiging bevolen"
    assert counts(db, fid)["care_endings"] == 1
    response = client.post(f"{PAGE}/wissen", data={"reden": reason, "bevestiging": CODE})
    assert response.status_code == 303
    assert counts(db, fid) == dict.fromkeys(FAMILY_TABLES, 0)  # the end of care goes too
    entry = audit_store.entries(db, family_id=fid, limit=1)[0]
    assert (entry["event"], entry["outcome"], entry["username"]) == ("erase", "success", "admin")
    assert entry["detail"] == f"bewaartermijn tot {until.isoformat()}; reden: {reason}"


def test_closed_family_past_retention_may_be_erased_by_its_facilitator(login, db, monkeypatch):
    until = close_family(db)
    monkeypatch.setattr(retention, "current_day", lambda: until + datetime.timedelta(days=1))
    response = login("facilitator").post(f"{PAGE}/wissen", data={"bevestiging": CODE})
    assert response.status_code == 303
    assert cases_store.family_row(db, CODE) is None


def test_erasure_decides_again_when_it_erases(login, db, monkeypatch):
    # The page decided on a family that was still active; someone closed it since.
    from privacy import erasure

    stale = erasure.decide(db, family_id(db), is_admin=False)
    assert stale.allowed
    close_family(db)
    monkeypatch.setattr(views, "_erase_decision", lambda family, reason=None: stale)
    response = login("facilitator").post(f"{PAGE}/wissen", data={"bevestiging": CODE})
    assert response.status_code == 409
    assert "Alleen een beheerder kan met een reden toch wissen." in text(response)
    assert cases_store.family_row(db, CODE) is not None


# The access overview --------------------------------------------------------------


def look_around(login):
    """A few requests by different people, so the overview has something to show."""
    professional = login("professional")
    professional.get(PAGE)
    record(professional, "p1", "library", "given")
    login("buitenstaander").get(PAGE)
    login("admin").get(f"{PAGE}/export")


def test_overview_lists_who_looked(login, db):
    look_around(login)
    entries = log(db)
    response = login("facilitator").get(f"{PAGE}/inzage")
    html = text(response)
    assert response.status_code == 200
    assert "Wie heeft het dossier van Het Testgezin ingezien?" in html
    assert f"{len(entries)} registraties" in html
    assert html.count('<tr class="outcome-') == len(entries)
    for expected in ("professional", "buitenstaander", "beheerder", "ingezien", "geweigerd"):
        assert expected in html
    assert "geëxporteerd" in html and "gezinspagina" in html
    # Objects in the family's own words: names instead of ids, Dutch instead of codes.
    assert "instemming Sanne geanonimiseerd delen in de oplossingenbibliotheek" in html
    assert '<span class="muted">gegeven</span>' in html
    assert "website 127.0.0.1" in html
    entry = last_entry(db)
    assert (entry["event"], entry["object"]) == ("read", "inzageoverzicht")


def test_overview_csv_matches_the_log(login, db):
    look_around(login)
    entries = log(db)
    response = login("facilitator").get(f"{PAGE}/inzage.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert re.search(
        r'attachment; filename="inzage-test-gezin-\d{4}-\d{2}-\d{2}\.csv"',
        response.headers["Content-Disposition"],
    )
    body = text(response)
    assert body == audit_store.to_csv(entries)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [int(r["id"]) for r in rows] == [e["id"] for e in entries]
    assert {r["family_code"] for r in rows} == {CODE}
    entry = last_entry(db)
    assert (entry["event"], entry["outcome"]) == ("export", "success")


def test_printing_the_overview_is_logged_as_print(login, db):
    look_around(login)
    html = text(login("facilitator").get(f"{PAGE}/inzage?afdrukken=1"))
    assert "Afdrukversie" in html
    entry = last_entry(db)
    assert (entry["event"], entry["outcome"]) == ("print", "success")


def test_overview_period_filter(login, db):
    look_around(login)
    client = login("facilitator")
    html = text(client.get(f"{PAGE}/inzage?van=2000-01-01&tot=2000-12-31"))
    assert "0 registraties" in html and "Geen registraties in deze periode." in html
    assert last_entry(db)["detail"] == "van=2000-01-01 tot=2000-12-31"
    csv_body = text(client.get(f"{PAGE}/inzage.csv?van=2000-01-01&tot=2000-12-31"))
    assert csv_body.strip().count("\n") == 0  # the header only
    html = text(client.get(f"{PAGE}/inzage?van=2000-01-01"))
    assert "Geen registraties" not in html


def test_overview_refuses_a_bad_period_in_dutch(login):
    client = login("facilitator")
    response = client.get(f"{PAGE}/inzage?van=gisteren")
    assert response.status_code == 400
    assert "De datum bij ‘van’ is niet geldig" in text(response)
    response = client.get(f"{PAGE}/inzage?van=2024-05-02&tot=2024-05-01")
    assert "De begindatum ligt na de einddatum." in text(response)
    assert client.get(f"{PAGE}/inzage.csv?tot=nooit").status_code == 400


def test_overview_shows_only_this_family(login, db):
    login("facilitator").get(OTHER)
    html = text(login("facilitator").get(f"{PAGE}/inzage"))
    assert "ander-gezin" not in html
    assert "0 registraties" in html


def test_erase_without_the_typed_code_erases_nothing(app, login, db):
    client = login("facilitator")
    response = client.post(f"{PAGE}/wissen", data={"bevestiging": "iets anders"})
    assert response.status_code == 422
    assert "Dit is niet de code van dit gezin." in text(response)
    assert cases_store.family_row(db, CODE) is not None
