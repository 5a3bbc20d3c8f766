"""Every create a user submits, submitted twice with the same form (a double click, a
retry): one record, and the second answer shows the same result instead of an error."""

import json
import re

import pytest

import domains
from cases import store
from cases import views as case_views
from core import submissions
from genogram.views import PANEL_ID
from library import tries
from tests.conftest import HTMX, family_section
from tests.factories import make_case
from tests.test_conference_views import LIVE, goto, live, start
from tests.test_library_store import publish_some
from tests.test_rules_views import RULE, fingerprint

CODE = "test-gezin"
PAGE = f"/gezinnen/{CODE}"
PANEL = {"HX-Request": "true", "HX-Target": PANEL_ID}


def hx(target):
    return {"HX-Request": "true", "HX-Target": target}


TOKENS = rf'name="{submissions.FIELD}" value="[^"]+"'


def token_in(html, after=None):
    """The form token of the (first) form in ``html``, or of the first one after ``after``."""
    if after is not None:
        html = html[html.index(after) :]
    return re.search(rf'name="{submissions.FIELD}" value="([^"]+)"', html).group(1)


def text(response):
    return response.get_data(as_text=True)


def twice(client, url, data, headers=None):
    first = client.post(url, data=data, headers=headers)
    second = client.post(url, data=data, headers=headers)
    return first, second


def version(db):
    return store.family_row(db, CODE)["version"]


def count(db, sql, *args):
    return db.execute(sql, list(args)).fetchone()[0]


@pytest.fixture
def facilitator(login):
    return login("facilitator")


# The family page ---------------------------------------------------------------------


def test_a_person_submitted_twice_is_added_once(facilitator, db):
    form = facilitator.get(f"{PAGE}/personen/nieuw", headers=hx(case_views.NEW_PERSON_ID))
    data = {
        "version": version(db), "name": "Tante Ria", "sex": "female", "birth_year": "1970",
        submissions.FIELD: token_in(text(form)),
    }  # fmt: skip
    first, second = twice(facilitator, f"{PAGE}/personen", data, hx(case_views.NEW_PERSON_ID))
    assert first.status_code == second.status_code == 200
    names = [p["name"] for p in store.load_case(db, CODE)["persons"]]
    assert names.count("Tante Ria") == 1
    # The second answer shows the same: the new person, with the keyboard focus on them.
    for response in (first, second):
        item = text(response)[text(response).index('id="persoon-p5"') :]
        assert "data-autofocus" in item[: item.index("</li>")]
    assert second.headers["HX-Retarget"] == first.headers["HX-Retarget"]


def test_a_person_submitted_twice_without_htmx_goes_to_the_same_place(facilitator, db):
    form = facilitator.get(f"{PAGE}/personen/nieuw")
    data = {"version": version(db), "name": "Oom Kees", "sex": "male"}
    data[submissions.FIELD] = token_in(text(form), 'action="/gezinnen/test-gezin/personen"')
    first, second = twice(facilitator, f"{PAGE}/personen", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert [p["name"] for p in store.load_case(db, CODE)["persons"]].count("Oom Kees") == 1


def test_a_refused_person_keeps_the_form_usable_with_its_token(facilitator, db):
    form = facilitator.get(f"{PAGE}/personen/nieuw", headers=hx(case_views.NEW_PERSON_ID))
    token = token_in(text(form))
    data = {"version": version(db), "name": "Nieuw", "sex": "female", "birth_year": "3000"}
    refused = facilitator.post(
        f"{PAGE}/personen", data={**data, submissions.FIELD: token}, headers=HTMX
    )
    assert refused.status_code == 422
    corrected = facilitator.post(
        f"{PAGE}/personen",
        data={**data, "birth_year": "2001", submissions.FIELD: token},
        headers=hx(case_views.NEW_PERSON_ID),
    )
    assert corrected.status_code == 200
    assert [p["name"] for p in store.load_case(db, CODE)["persons"]].count("Nieuw") == 1


def test_two_forms_each_add_their_own_person(facilitator, db):
    for name in ("Eerste", "Tweede"):
        form = facilitator.get(f"{PAGE}/personen/nieuw", headers=hx(case_views.NEW_PERSON_ID))
        data = {"version": version(db), "name": name, "sex": "unknown"}
        data[submissions.FIELD] = token_in(text(form))
        response = facilitator.post(
            f"{PAGE}/personen", data=data, headers=hx(case_views.NEW_PERSON_ID)
        )
        assert response.status_code == 200
    names = [p["name"] for p in store.load_case(db, CODE)["persons"]]
    assert "Eerste" in names and "Tweede" in names


def test_a_relation_submitted_twice_is_added_once(facilitator, db):
    element = case_views.new_relation_element("emotional")
    form = facilitator.get(f"{PAGE}/relaties/nieuw/emotional", headers=hx(element))
    data = {
        "version": version(db), "kind": "emotional", "first": "p1", "second": "p4",
        "detail": "very_close", submissions.FIELD: token_in(text(form)),
    }  # fmt: skip
    before = len(store.load_case(db, CODE)["relations"])
    first, second = twice(facilitator, f"{PAGE}/relaties", data, hx(element))
    assert first.status_code == second.status_code == 200
    assert len(store.load_case(db, CODE)["relations"]) == before + 1
    assert text(second).count("data-autofocus") == text(first).count("data-autofocus") == 1


def test_a_network_member_submitted_twice_is_added_once(facilitator, db):
    form = facilitator.get(f"{PAGE}/netwerk/nieuw", headers=hx(case_views.NEW_MEMBER_ID))
    data = {
        "version": version(db), "name": "Buurvrouw", "partner": "informal",
        submissions.FIELD: token_in(text(form)),
    }  # fmt: skip
    first, second = twice(facilitator, f"{PAGE}/netwerk", data, hx(case_views.NEW_MEMBER_ID))
    assert first.status_code == second.status_code == 200
    network = store.load_case(db, CODE)["network"]
    assert [m["name"] for m in network].count("Buurvrouw") == 1
    assert 'id="netwerklid-n3"' in text(second)


def test_a_tie_submitted_twice_is_added_once(facilitator, db):
    element = case_views.new_tie_element("n1")
    form = facilitator.get(f"{PAGE}/netwerk/n1/banden/nieuw", headers=hx(element))
    data = {
        "version": version(db), "person": "p2", "strength": "weak", "flow": "from",
        submissions.FIELD: token_in(text(form)),
    }  # fmt: skip
    before = len(store.load_case(db, CODE)["network"][0]["ties"])
    first, second = twice(facilitator, f"{PAGE}/netwerk/n1/banden", data, hx(element))
    assert first.status_code == second.status_code == 200
    assert len(store.load_case(db, CODE)["network"][0]["ties"]) == before + 1
    assert second.headers["HX-Retarget"] == first.headers["HX-Retarget"] == "#netwerklid-n1"


def test_a_placement_submitted_twice_is_added_once(facilitator, db):
    element = case_views.new_placement_element("p1")
    form = facilitator.get(f"{PAGE}/personen/p1/plaatsingen/nieuw", headers=hx(element))
    data = {
        "version": version(db), "residence": "foster", "provider": "Pleeggezin",
        "start": "2018-01-01", "end": "2019-09-01", submissions.FIELD: token_in(text(form)),
    }  # fmt: skip
    first, second = twice(facilitator, f"{PAGE}/personen/p1/plaatsingen", data, hx(element))
    assert first.status_code == second.status_code == 200
    placements = store.load_case(db, CODE)["persons"][0]["placements"]
    assert [p["start"] for p in placements].count("2018-01-01") == 1


def test_a_relative_added_twice_in_the_side_panel_is_added_once(facilitator, db):
    form = facilitator.get(f"{PAGE}/genogram/personen/p2/nieuw/kind", headers=PANEL)
    data = {
        "version": version(db), "name": "Broertje", "sex": "male", "birth_year": "2012",
        "link": "biological", "parents": "p3", submissions.FIELD: token_in(text(form)),
    }  # fmt: skip
    url = f"{PAGE}/genogram/personen/p2/nieuw/kind"
    first, second = twice(facilitator, url, data, PANEL)
    assert first.status_code == second.status_code == 200
    children = [p for p in store.load_case(db, CODE)["persons"] if p["name"] == "Broertje"]
    assert len(children) == 1
    # Both answers select the newcomer in the panel.
    selected = f'data-selected-person="{children[0]["id"]}"'
    assert selected in text(first) and selected in text(second)
    # Without htmx both go to the newcomer's page.
    data[submissions.FIELD] = token_in(
        text(facilitator.get(f"{PAGE}/genogram/personen/p2/nieuw/partner", headers=PANEL))
    )
    data.update(name="Vriendin", sex="female", link="married")
    del data["parents"]
    data["version"] = version(db)
    first, second = twice(facilitator, f"{PAGE}/genogram/personen/p2/nieuw/partner", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert [p["name"] for p in store.load_case(db, CODE)["persons"]].count("Vriendin") == 1


# The conference ----------------------------------------------------------------------


def test_a_conference_opened_twice_is_opened_once(facilitator, db):
    page = text(facilitator.get(f"{PAGE}/overleggen"))
    data = {"held_on": "2026-11-23", "purpose": "Thuis", submissions.FIELD: token_in(page)}
    first, second = twice(facilitator, f"{PAGE}/overleggen", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, "SELECT count(*) FROM conferences") == 1


@pytest.fixture
def conference(facilitator):
    return f"{PAGE}/overleggen/{start(facilitator)}"


# (step, where its form begins, route, what it posts, how many it made)
CONFERENCE_ADDS = {
    "idea": ("ideas", 'id="kolom-idea"', "notities", {"kind": "idea", "text": "Leasepaard"},
             "SELECT count(*) FROM conference_notes WHERE text = 'Leasepaard'"),
    "participant": ("opening", 'class="participant-form"', "deelnemers",
                    {"name": "Hein", "role": "vader"},
                    "SELECT count(*) FROM conference_participants WHERE name = 'Hein'"),
    "goal": ("worries", 'class="goal-form"', "doelen",
             {"person_id": "p2", "goal": "Elke week met Sanne eten"},
             "SELECT count(*) FROM parent_goals"),
    "decision and its action": ("decisions", 'id="besluit-kop"', "besluiten",
                                {"title": "Leasepaard regelen", "owner": "Jeugdbeschermer"},
                                "SELECT count(*) FROM actions WHERE title = 'Leasepaard regelen'"),
}  # fmt: skip


@pytest.mark.parametrize("what", CONFERENCE_ADDS)
def test_a_conference_add_submitted_twice_is_added_once(facilitator, conference, db, what):
    step, marker, route, data, made = CONFERENCE_ADDS[what]
    cid = conference.rsplit("/", 1)[1]
    if step != "opening":
        goto(facilitator, cid, step)
    data = {**data, submissions.FIELD: token_in(live(facilitator, cid), marker)}
    first, second = twice(facilitator, f"{conference}/{route}", data, LIVE)
    assert first.status_code == second.status_code == 200
    assert count(db, made) == 1
    # The second answer shows the step as the first left it (the tokens aside).
    assert re.sub(TOKENS, "", text(second)) == re.sub(TOKENS, "", text(first))


# Actions from a signal and from the library ---------------------------------------------


def test_a_signal_taken_up_twice_makes_one_action(facilitator, db):
    html = family_section(facilitator, CODE, "signalen")
    card = html[html.index(f'id="signaal-{RULE}"') :]
    data = {
        "fingerprint": fingerprint(html, RULE), "title": "GGZ uitnodigen",
        "owner": "Jeugdbeschermer", submissions.FIELD: token_in(card),
    }  # fmt: skip
    headers = {"HX-Request": "true", "HX-Target": "signalen-inhoud"}
    first, second = twice(facilitator, f"{PAGE}/signalen/{RULE}/oppakken", data, headers)
    assert first.status_code == second.status_code == 200
    assert "Opgepakt" in text(second)
    assert count(db, "SELECT count(*) FROM actions") == 1


def test_a_library_solution_tried_twice_is_tried_once(login, db):
    publish_some(db)
    entry = next(
        row["id"] for row in db.query("SELECT id, title FROM library_entries")
        if row["title"] == "Oplossing ander-gezin"
    )  # fmt: skip
    client = login("professional")
    page = text(client.get(f"/bibliotheek/{entry}?gezin=test-gezin"))
    data = {"owner": "Jeugdbeschermer", "title": "", submissions.FIELD: token_in(page)}
    url = f"/gezinnen/test-gezin/bibliotheek/{entry}/proberen"
    first, second = twice(client, url, data, HTMX)
    assert first.status_code == second.status_code == 200
    assert "Vastgelegd" in text(second)
    family = store.family_row(db, CODE)
    assert len(tries.tried_for(db, family["id"])) == 1


# The JSON API --------------------------------------------------------------------------


def api_case(code="via-api"):
    return make_case(code, title="Via de API")


def test_the_api_create_with_the_same_idempotency_key_creates_once(facilitator, db):
    body = json.dumps(api_case())
    headers = {"Content-Type": "application/json", submissions.HEADER: "k" * 32}
    first = facilitator.post("/api/families", data=body, headers=headers)
    second = facilitator.post("/api/families", data=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, "SELECT count(*) FROM families WHERE code = 'via-api'") == 1
    # Without the key a repeat is what it always was: the code exists.
    assert facilitator.post("/api/families", data=body, headers=HTMX | {
        "Content-Type": "application/json"}).status_code == 409  # fmt: skip


def test_the_api_refuses_a_malformed_idempotency_key(facilitator, db):
    headers = {"Content-Type": "application/json", submissions.HEADER: "kort"}
    response = facilitator.post("/api/families", data=json.dumps(api_case()), headers=headers)
    assert response.status_code == 400
    assert submissions.HEADER in response.get_json()["error"]
    assert store.family_row(db, "via-api") is None


def test_erasing_a_family_forgets_its_form_tokens(facilitator, db):
    from privacy import erasure

    form = facilitator.get(f"{PAGE}/personen/nieuw", headers=hx(case_views.NEW_PERSON_ID))
    data = {"version": version(db), "name": "Tante Ria", "sex": "female"}
    data[submissions.FIELD] = token_in(text(form))
    facilitator.post(f"{PAGE}/personen", data=data, headers=hx(case_views.NEW_PERSON_ID))
    assert count(db, "SELECT count(*) FROM form_submissions") == 1
    assert any("formulieren" in d for d in erasure.described_erasers())
    erasure.erase_family(db, store.family_row(db, CODE)["id"], CODE, is_admin=True, reason="test")
    assert count(db, "SELECT count(*) FROM form_submissions") == 0


def test_a_learned_pattern_submitted_twice_is_written_down_once(login, db):
    lead = login("project_lead")
    page = text(lead.get("/patronen"))
    data = {"text": "Als de GGZ aanschuift, gaat het sneller.", submissions.FIELD: token_in(
        page, "learned-form")}  # fmt: skip
    first, second = twice(lead, "/patronen/wat-we-leren", data, HTMX)
    assert first.status_code == second.status_code == 200
    assert count(db, "SELECT count(*) FROM learned_patterns") == 1
    # The date it was written down, in Dutch.
    assert re.search(r'<time datetime="[^"]+">\d{1,2} [a-z]+ \d{4}</time>', text(second))


def test_the_new_family_tokens_move_into_the_one_table():
    from cases import migrations as cases_migrations
    from core import database

    db = database.connect(":memory:")
    for migrations in domains.migration_sets():
        stop = "move_family_creations_to_form_submissions"
        migrations.apply(
            db, stop_before=stop if migrations is cases_migrations.migrations else None
        )
    family_id = store.save_case(db, make_case("oud-gezin"))
    db.execute(
        "INSERT INTO family_creations (token, user_id, family_id, created_at) VALUES (?, ?, ?, ?)",
        ["t" * 24, 7, family_id, "2026-12-05T10:00:00+00:00"],
    )
    domains.init_db(db)
    assert "family_creations" not in db.table_names()
    assert store.family_of_token(db, "t" * 24, 7) == "oud-gezin"
    assert store.family_of_token(db, "t" * 24, 8) is None


def test_a_consent_recorded_twice_is_recorded_once(facilitator, db):
    data = {"person_id": "p1", "subject": "library", "decision": "given"}
    data[submissions.FIELD] = submissions.new_token()
    headers = hx("instemming")
    first, second = twice(facilitator, f"{PAGE}/instemming", data, headers)
    assert first.status_code == second.status_code == 200
    assert "Vastgelegd" in text(second)
    assert count(db, "SELECT count(*) FROM consents WHERE subject = 'library'") == 1
