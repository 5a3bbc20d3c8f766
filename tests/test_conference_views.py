"""The conference through the test client: start, steps, notes, conflicts, report."""

import re

import pytest

from tests.conftest import LoggedIn, family_section

PAGE = "/gezinnen/test-gezin"
LIVE = {"HX-Request": "true", "HX-Target": "overleg-live"}


@pytest.fixture
def facilitator(login):
    return login("facilitator")


def start(client, held_on="2026-11-23", purpose="Terug naar huis"):
    response = client.post(f"{PAGE}/overleggen", data={"held_on": held_on, "purpose": purpose})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def version(html):
    return int(re.search(r'data-version="(\d+)"', html).group(1))


def poll_url(html):
    """The URL a screen polls (it carries the state the screen shows)."""
    return re.search(r'hx-get="([^"]+/stap\?versie=[^"]+)"', html).group(1).replace("&amp;", "&")


def goto(client, cid, step):
    response = client.post(f"{PAGE}/overleggen/{cid}/stap", data={"naar": step}, headers=LIVE)
    assert response.status_code == 200


def live(client, cid):
    return client.get(f"{PAGE}/overleggen/{cid}/stap", headers=LIVE).get_data(as_text=True)


def test_a_facilitator_starts_a_conference_at_its_opening(facilitator):
    cid = start(facilitator)
    html = facilitator.get(f"{PAGE}/overleggen/{cid}").get_data(as_text=True)
    assert 'class="projector"' in html and "Stap 1 van 9" in html
    assert '<h1 class="step-title">Opening</h1>' in html
    assert 'value="Terug naar huis"' in html
    assert "Sneltoetsen" in html and 'data-may-lead="true"' in html


def test_a_bad_date_is_refused_in_dutch_and_nothing_is_made(facilitator, db):
    response = facilitator.post(f"{PAGE}/overleggen", data={"held_on": "morgen"})
    assert response.status_code == 422
    assert "Vul de datum van het overleg in" in response.get_data(as_text=True)
    assert list(db.query("SELECT * FROM conferences")) == []


def test_a_team_member_follows_but_does_not_lead(app, facilitator):
    cid = start(facilitator)
    member = LoggedIn(app.test_client(), "professional")
    html = member.get(f"{PAGE}/overleggen/{cid}").get_data(as_text=True)
    assert 'data-may-lead="false"' in html
    refused = member.post(f"{PAGE}/overleggen/{cid}/stap", data={"naar": "volgende"}, headers=LIVE)
    assert refused.status_code == 403
    # ... but adds an idea like everyone at the table.
    added = member.post(
        f"{PAGE}/overleggen/{cid}/notities",
        data={"kind": "idea", "text": "Leasepaard"},
        headers=LIVE,
    )
    assert added.status_code == 200


def test_moving_through_the_agenda(facilitator):
    cid = start(facilitator)
    url = f"{PAGE}/overleggen/{cid}/stap"
    assert "Het gezin in beeld" in facilitator.post(
        url, data={"naar": "volgende"}, headers=LIVE
    ).get_data(as_text=True)
    assert "Ideeën</h1>" in facilitator.post(url, data={"naar": "7"}, headers=LIVE).get_data(
        as_text=True
    )
    assert "Wat elders werkte</h1>" in facilitator.post(
        url, data={"naar": "vorige"}, headers=LIVE
    ).get_data(as_text=True)
    assert "Afsluiting</h1>" in facilitator.post(
        url, data={"naar": "closing"}, headers=LIVE
    ).get_data(as_text=True)
    refused = facilitator.post(url, data={"naar": "12"}, headers=LIVE)
    assert refused.status_code == 422 and "1 tot en met 9" in refused.get_data(as_text=True)


def test_the_poll_answers_204_until_something_changes(facilitator):
    cid = start(facilitator)
    goto(facilitator, cid, "ideas")
    poll = poll_url(live(facilitator, cid))
    assert facilitator.get(poll, headers=LIVE).status_code == 204
    facilitator.post(
        f"{PAGE}/overleggen/{cid}/notities", data={"kind": "idea", "text": "Manege"}, headers=LIVE
    )
    changed = facilitator.get(poll, headers=LIVE)
    assert changed.status_code == 200 and "Manege" in changed.get_data(as_text=True)


def test_every_step_renders(facilitator):
    cid = start(facilitator)
    for number in range(1, 10):
        response = facilitator.post(
            f"{PAGE}/overleggen/{cid}/stap", data={"naar": str(number)}, headers=LIVE
        )
        assert response.status_code == 200, number
        assert f"Stap {number} van 9" in response.get_data(as_text=True)


def test_notes_are_added_edited_with_a_version_and_removed(facilitator, db):
    cid = start(facilitator)
    goto(facilitator, cid, "worries")
    facilitator.post(
        f"{PAGE}/overleggen/{cid}/notities",
        data={"kind": "worry", "text": "Weglopen"},
        headers=LIVE,
    )
    note = next(db.query("SELECT * FROM conference_notes"))
    url = f"{PAGE}/overleggen/{cid}/notities/{note['id']}"
    ok = facilitator.post(
        url, data={"text": "Weglopen uit de groep", "version": note["version"]}, headers=LIVE
    )
    assert ok.status_code == 200 and "Weglopen uit de groep" in ok.get_data(as_text=True)
    stale = facilitator.post(
        url, data={"text": "Iets anders", "version": note["version"]}, headers=LIVE
    )
    assert stale.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.get_data(as_text=True)
    assert next(db.query("SELECT text FROM conference_notes"))["text"] == "Weglopen uit de groep"
    gone = facilitator.post(
        f"{url}/verwijderen", data={"version": note["version"] + 1}, headers=LIVE
    )
    assert gone.status_code == 200
    assert list(db.query("SELECT * FROM conference_notes")) == []


def test_an_empty_note_is_refused_and_changes_nothing(facilitator, db):
    cid = start(facilitator)
    goto(facilitator, cid, "ideas")
    response = facilitator.post(
        f"{PAGE}/overleggen/{cid}/notities", data={"kind": "idea", "text": "  "}, headers=LIVE
    )
    assert response.status_code == 422 and "Typ eerst iets." in response.get_data(as_text=True)
    assert list(db.query("SELECT * FROM conference_notes")) == []


def test_opening_records_purpose_and_consent_and_refuses_a_stale_form(facilitator):
    cid = start(facilitator)
    shown = version(live(facilitator, cid))
    url = f"{PAGE}/overleggen/{cid}/opening"
    ok = facilitator.post(
        url,
        data={"purpose": "Plan voor de zomer", "consent_holder": "p1", "version": shown},
        headers=LIVE,
    )
    assert ok.status_code == 200
    assert "Instemming voor bespreken in het casusoverleg is compleet" in ok.get_data(as_text=True)
    stale = facilitator.post(url, data={"purpose": "Iets anders", "version": shown}, headers=LIVE)
    assert stale.status_code == 409
    assert 'value="Plan voor de zomer"' in stale.get_data(as_text=True)


def test_participants_scale_goals_and_decisions(facilitator, db):
    cid = start(facilitator)
    base = f"{PAGE}/overleggen/{cid}"
    assert (
        facilitator.post(
            f"{base}/deelnemers",
            data={"name": "Hein", "role": "vader", "in_team": "1"},
            headers=LIVE,
        ).status_code
        == 200
    )
    bad = facilitator.post(
        f"{base}/deelnemers", data={"name": "X", "partner": "astrologie"}, headers=LIVE
    )
    assert bad.status_code == 422 and "Kies een partner uit de lijst." in bad.get_data(as_text=True)
    shown = version(live(facilitator, cid))
    assert (
        facilitator.post(
            f"{base}/schaal", data={"score": "6", "version": shown}, headers=LIVE
        ).status_code
        == 200
    )
    assert (
        facilitator.post(
            f"{base}/schaal", data={"score": "12", "version": shown + 1}, headers=LIVE
        ).status_code
        == 422
    )
    assert (
        facilitator.post(
            f"{base}/doelen",
            data={"person_id": "p2", "goal": "Elke week met Sanne eten"},
            headers=LIVE,
        ).status_code
        == 200
    )
    goal = next(db.query("SELECT id FROM parent_goals"))["id"]
    assert (
        facilitator.post(f"{base}/doelen/{goal}", data={"score": "4"}, headers=LIVE).status_code
        == 200
    )
    assert (
        facilitator.post(
            f"{base}/doelen", data={"person_id": "p1", "goal": "x"}, headers=LIVE
        ).status_code
        == 422
    )
    decision = facilitator.post(
        f"{base}/besluiten",
        data={"title": "Leasepaard regelen", "owner": "Jeugdbeschermer", "due": "2026-12-20",
              "lead": "Hein", "evaluate_on": "2027-01-10", "fallback": "Manege"},
        headers=LIVE,
    )  # fmt: skip
    assert decision.status_code == 200
    action = next(db.query("SELECT * FROM actions"))
    assert (action["conference_id"], action["lead"], action["fallback"]) == (
        int(cid),
        "Hein",
        "Manege",
    )


def test_open_actions_carry_over_to_the_next_conference(facilitator):
    first = start(facilitator, held_on="2026-10-01")
    facilitator.post(
        f"{PAGE}/overleggen/{first}/besluiten",
        data={"title": "Woning zoeken", "owner": "Gemeente", "due": "2026-10-15"},
        headers=LIVE,
    )
    second = start(facilitator, held_on="2026-11-23")
    html = live(facilitator, second)
    assert "Open acties van eerder" in html and "Woning zoeken" in html and "te laat" in html


def test_closing_locks_the_conference(facilitator):
    cid = start(facilitator)
    shown = version(live(facilitator, cid))
    closed = facilitator.post(
        f"{PAGE}/overleggen/{cid}/afsluiten",
        data={"summary": "Goed gesprek.", "next_date": "2027-01-10", "version": shown},
        headers=LIVE,
    )
    assert closed.status_code == 200 and "afgesloten" in closed.get_data(as_text=True)
    late = facilitator.post(
        f"{PAGE}/overleggen/{cid}/notities",
        data={"kind": "idea", "text": "Nog eentje"},
        headers=LIVE,
    )
    assert late.status_code == 409


def test_report_shows_the_meeting_and_downloads_as_pdf(facilitator, db):
    cid = start(facilitator)
    base = f"{PAGE}/overleggen/{cid}"
    facilitator.post(
        f"{base}/notities", data={"kind": "idea", "text": "Paardenfluisteraar vaker"}, headers=LIVE
    )
    facilitator.post(
        f"{base}/besluiten", data={"title": "Manege bellen", "owner": "Vader"}, headers=LIVE
    )
    html = facilitator.get(f"{base}/verslag").get_data(as_text=True)
    assert "Verslag casusoverleg" in html and "Paardenfluisteraar vaker" in html
    assert "Manege bellen" in html and 'data-person-id="p1"' in html
    pdf = facilitator.get(f"{base}/verslag.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.get_data()[:5] == b"%PDF-"
    entry = next(db.query("SELECT event FROM access_log ORDER BY id DESC LIMIT 1"))
    assert entry["event"] == "export"


def test_family_action_list_marks_overdue_and_can_mark_done(facilitator, db):
    cid = start(facilitator)
    facilitator.post(
        f"{PAGE}/overleggen/{cid}/besluiten",
        data={"title": "Oud plan", "owner": "Iemand", "due": "2020-01-01"},
        headers=LIVE,
    )
    html = facilitator.get(f"{PAGE}/overleggen").get_data(as_text=True)
    assert "Oud plan" in html and 'class="is-overdue"' in html
    action = next(db.query("SELECT id FROM actions"))["id"]
    done = facilitator.post(f"{PAGE}/acties/{action}/klaar", data={"done": "1"})
    assert done.status_code == 303
    assert next(db.query("SELECT status FROM actions"))["status"] == "done"


def test_a_conference_of_another_family_is_not_found(facilitator):
    cid = start(facilitator)
    assert facilitator.get(f"/gezinnen/ander-gezin/overleggen/{cid}").status_code in (403, 404)


def test_outsiders_see_nothing(app, facilitator):
    cid = start(facilitator)
    outsider = LoggedIn(app.test_client(), "buitenstaander")
    assert outsider.get(f"{PAGE}/overleggen/{cid}").status_code == 403
    assert outsider.get(f"{PAGE}/overleggen/{cid}/verslag.pdf").status_code == 403


def test_the_agenda_can_be_shortened_and_reordered_but_keeps_opening_and_closing(facilitator):
    cid = start(facilitator)
    url = f"{PAGE}/overleggen/{cid}/agenda"
    short = facilitator.post(url, data={"stap": ["opening", "ideas", "closing"]}, headers=LIVE)
    assert short.status_code == 200 and "Stap 1 van 3" in short.get_data(as_text=True)
    order = ["opening", "ideas", "signals", "closing"]
    moved = facilitator.post(url, data={"volgorde": order}, headers=LIVE)
    html = moved.get_data(as_text=True)
    assert html.index("2. Ideeën") < html.index("3. Signalen")
    bad = facilitator.post(url, data={"volgorde": ["ideas", "closing"]}, headers=LIVE)
    assert bad.status_code == 422 and "begint met de opening" in bad.get_data(as_text=True)


def test_a_signal_decision_or_a_genogram_edit_reaches_the_other_screens(facilitator, db):
    from cases import store as cases_store

    cid = start(facilitator)
    goto(facilitator, cid, "signals")
    poll = poll_url(live(facilitator, cid))
    html = family_section(facilitator, "test-gezin", "signalen")
    card = html.split('id="signaal-missing-adult-mental-health"')[1]
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', card).group(1)
    facilitator.post(
        f"{PAGE}/signalen/missing-adult-mental-health/afwijzen",
        data={"fingerprint": fingerprint, "reason": "later"},
        headers={"HX-Request": "true"},
    )
    assert facilitator.get(poll, headers=LIVE).status_code == 200
    poll = poll_url(live(facilitator, cid))
    family, case = cases_store.load_family(db, "test-gezin")
    case["persons"][3]["name"] = "Opa Ton"
    cases_store.save_case(db, case, replace=True, expected_version=family["version"])
    assert facilitator.get(poll, headers=LIVE).status_code == 200


def test_report_pdf_holds_the_genogram_names(facilitator):
    """The PDF's genogram shows its text: the names and the legend can be read back."""
    import io

    import pypdf

    cid = start(facilitator)
    pdf = facilitator.get(f"{PAGE}/overleggen/{cid}/verslag.pdf").get_data()
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for word in ("Sanne", "Opa", "Paardenfluisteraar", "Legenda"):
        assert word in text
