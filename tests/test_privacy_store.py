"""Consent history, team changes, footprint, export and erasure registries, on a real db."""

import sqlite3

import pytest

import domains
from access import store as access_store
from access.policy import TEAM_FACILITATOR, TEAM_MEMBER
from accounts import store as accounts_store
from audit import store as audit_store
from cases import store as cases_store
from privacy import erasure, export
from privacy import store as privacy_store
from privacy.migrations import migrations as privacy_migrations


def family_id(db, code="test-gezin"):
    return cases_store.family_row(db, code)["id"]


def user_id(db, username):
    return accounts_store.get_user_by_name(db, username)["id"]


# Schema ------------------------------------------------------------------------------


def test_privacy_migrations_run_after_the_tables_they_refer_to():
    sets = domains.migration_sets()
    assert privacy_migrations in sets
    names = [m.name for m in sets]
    assert names.index("privacy") > names.index("cases")
    assert names.index("privacy") > names.index("accounts")


def test_consents_table_has_the_agreed_columns(db):
    columns = {c.name for c in db.table("consents").columns}
    assert columns == {
        "id",
        "family_id",
        "person_id",
        "subject",
        "decision",
        "note",
        "recorded_at",
        "recorded_by",
    }


def test_consents_refuse_an_unknown_decision_in_the_database_itself(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO consents (family_id, person_id, subject, decision, recorded_at)"
            " VALUES (?, 'p1', 'team', 'maybe', '2024-01-01')",
            [family_id(db)],
        )


def test_init_db_twice_changes_nothing(db):
    domains.init_db(db)
    domains.init_db(db)
    assert "consents" in db.table_names()


# Consent -----------------------------------------------------------------------------


def test_record_consent_appends_and_keeps_history(db):
    fid = family_id(db)
    by = user_id(db, "professional")
    privacy_store.record_consent(
        db, fid, person_id="p1", subject="library", decision="given", recorded_by=by
    )
    privacy_store.record_consent(
        db, fid, person_id="p1", subject="library", decision="withdrawn", note="Toch niet"
    )
    rows = privacy_store.consents(db, fid)
    assert [(r["decision"], r["note"]) for r in rows] == [
        ("given", None),
        ("withdrawn", "Toch niet"),
    ]
    assert rows[0]["recorded_by_username"] == "professional"
    assert rows[1]["recorded_by"] is None
    assert privacy_store.consents(db, family_id(db, "ander-gezin")) == []


def test_record_consent_refuses_unknown_codes(db):
    with pytest.raises(ValueError):
        privacy_store.record_consent(
            db, family_id(db), person_id="p1", subject="reclame", decision="given"
        )


def test_deleting_the_recording_user_keeps_the_consent(db):
    fid = family_id(db)
    by = user_id(db, "buitenstaander")
    privacy_store.record_consent(
        db, fid, person_id="p2", subject="team", decision="given", recorded_by=by
    )
    db.execute("DELETE FROM users WHERE id = ?", [by])
    (row,) = privacy_store.consents(db, fid)
    assert row["recorded_by"] is None and row["decision"] == "given"


# Team --------------------------------------------------------------------------------


def test_team_candidates_are_active_non_admins_off_the_team(db):
    fid = family_id(db)
    db.execute("UPDATE users SET active = 0 WHERE username = 'projectlead'")
    names = [u["username"] for u in privacy_store.team_candidates(db, fid)]
    assert names == ["buitenstaander"]
    db.execute("UPDATE users SET active = 1 WHERE username = 'projectlead'")
    names = [u["username"] for u in privacy_store.team_candidates(db, fid)]
    assert names == ["buitenstaander", "projectlead"]


def test_add_to_team_puts_a_candidate_on_it(db):
    fid = family_id(db)
    uid = user_id(db, "projectlead")
    privacy_store.add_to_team(db, fid, uid, TEAM_MEMBER, by=user_id(db, "facilitator"))
    assert access_store.team_role(db, fid, uid) == TEAM_MEMBER


@pytest.mark.parametrize(
    ("username", "role", "message"),
    [
        ("professional", TEAM_MEMBER, "professional staat al in het team."),
        ("admin", TEAM_MEMBER, "Kies een actieve gebruiker uit de lijst."),
        (None, TEAM_MEMBER, "Kies een actieve gebruiker uit de lijst."),
        ("projectlead", "boss", "Kies facilitator of teamlid."),
    ],
)
def test_add_to_team_refuses_with_a_dutch_message(db, username, role, message):
    fid = family_id(db)
    uid = user_id(db, username) if username else 9999
    with pytest.raises(access_store.TeamError, match=message):
        privacy_store.add_to_team(db, fid, uid, role)


def test_add_to_team_refuses_an_inactive_user(db):
    db.execute("UPDATE users SET active = 0 WHERE username = 'projectlead'")
    with pytest.raises(access_store.TeamError, match="actieve gebruiker"):
        privacy_store.add_to_team(db, family_id(db), user_id(db, "projectlead"), TEAM_MEMBER)


def test_change_team_role_keeps_one_facilitator(db):
    fid = family_id(db)
    facilitator, professional = user_id(db, "facilitator"), user_id(db, "professional")
    with pytest.raises(access_store.TeamError, match="minstens één facilitator"):
        privacy_store.change_team_role(db, fid, facilitator, TEAM_MEMBER)
    assert access_store.team_role(db, fid, facilitator) == TEAM_FACILITATOR
    privacy_store.change_team_role(db, fid, professional, TEAM_FACILITATOR)
    privacy_store.change_team_role(db, fid, facilitator, TEAM_MEMBER)
    assert access_store.team_role(db, fid, facilitator) == TEAM_MEMBER
    assert access_store.team_role(db, fid, professional) == TEAM_FACILITATOR


def test_change_team_role_of_someone_off_the_team_is_refused(db):
    with pytest.raises(access_store.TeamError, match="niet \\(meer\\) in het team"):
        privacy_store.change_team_role(
            db, family_id(db), user_id(db, "projectlead"), TEAM_FACILITATOR
        )


def test_remove_from_team_refuses_the_last_facilitator_and_strangers(db):
    fid = family_id(db)
    with pytest.raises(access_store.TeamError, match="minstens één facilitator"):
        privacy_store.remove_from_team(db, fid, user_id(db, "facilitator"))
    with pytest.raises(access_store.TeamError, match="niet \\(meer\\) in het team"):
        privacy_store.remove_from_team(db, fid, user_id(db, "projectlead"))
    privacy_store.remove_from_team(db, fid, user_id(db, "professional"))
    assert access_store.team_role(db, fid, user_id(db, "professional")) is None


# Footprint, export and erasure registries ---------------------------------------------


def test_footprint_counts_every_table_of_the_family(db):
    fid = family_id(db)
    privacy_store.record_consent(db, fid, person_id="p1", subject="team", decision="given")
    counts = {table: count for table, _label, count in privacy_store.footprint(db, fid)}
    assert counts == {
        "persons": 4,
        "placements": 2,
        "relations": 5,
        "network_members": 2,
        "ties": 2,
        "solutions": 1,
        "family_team": 2,
        "consents": 1,
        "care_endings": 0,
    }


def test_build_export_has_the_frame_and_the_family_only(db):
    fid = family_id(db)
    family = cases_store.family_row(db, "test-gezin")
    privacy_store.record_consent(db, fid, person_id="p1", subject="team", decision="given")
    audit_store.record(db, "read", "success", family_id=fid, family_code="test-gezin")
    other = family_id(db, "ander-gezin")
    audit_store.record(db, "read", "success", family_id=other, family_code="ander-gezin")
    user = accounts_store.get_user_by_name(db, "admin")
    document = export.build_export(db, family, user)
    assert list(document) == [
        "format",
        "case",
        "team",
        "consents",
        "conferences",
        # what later domains register (signals, actions, library, goals)
        *[key for key in export.EXPORTERS if key not in export.RESERVED],
        "access_log",
        "exported_at",
        "exported_by",
    ]
    assert {"signal_decisions", "actions"} <= set(export.EXPORTERS)
    assert document["case"] == cases_store.load_case(db, "test-gezin")
    assert document["conferences"] == []
    assert [e["family_id"] for e in document["access_log"]] == [fid]
    assert document["exported_by"]["username"] == "admin"
    assert "password_hash" not in str(document)


def test_registered_exporter_fills_its_key(db, monkeypatch):
    monkeypatch.setattr(export, "EXPORTERS", {})
    export.register_exporter("conferences")(lambda db, family: [{"code": family["code"]}])
    export.register_exporter("library")(lambda db, family: {"published": False})
    family = cases_store.family_row(db, "test-gezin")
    document = export.build_export(db, family, accounts_store.get_user_by_name(db, "admin"))
    assert document["conferences"] == [{"code": "test-gezin"}]
    assert document["library"] == {"published": False}
    with pytest.raises(ValueError):
        export.register_exporter("case")
    with pytest.raises(ValueError):
        export.register_exporter("library")


def test_export_filename_names_the_family():
    assert export.filename("test-gezin").startswith("gezin-test-gezin-export-")
    assert export.filename("test-gezin").endswith(".json")


def test_registered_erasers_are_described_and_run(db, monkeypatch):
    monkeypatch.setattr(erasure, "ERASERS", [])
    monkeypatch.setattr(erasure, "DESCRIPTIONS", {})
    seen = []

    @erasure.register_eraser(description="de zoekindex")
    def erase_index(db, family_id, code):
        seen.append((family_id, code))

    @erasure.register_eraser
    def erase_rest(db, family_id, code):
        seen.append("rest")

    assert erasure.described_erasers() == [
        "de zoekindex",
        "test_registered_erasers_are_described_and_run.<locals>.erase_rest",
    ]
    fid = family_id(db)
    erasure.erase_family(db, fid, "test-gezin")
    assert seen == [(fid, "test-gezin"), "rest"]
    assert cases_store.family_row(db, "test-gezin") is None


def test_actions_and_rules_migrations_run_after_families_users_and_each_other():
    names = [m.name for m in domains.migration_sets()]
    assert names.index("actions") > names.index("cases")
    assert names.index("rules") > names.index("actions")  # decisions refer to actions
