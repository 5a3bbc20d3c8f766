"""What a person reads in the conference, its report and PDF, and the family page:
consent in one true sentence, Dutch labels instead of codes, Dutch dates, a clear
presence state and action, a goal's history without its own score (issue 17)."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from cases.templating import CODE_TABLES
from core.dates import nl_date
from rules.loader import SEVERITIES
from rules.store import DISMISS_REASONS
from tests.test_conference_views import LIVE, PAGE, goto, live, start, version

# The family page with every section at once (they load when revealed otherwise).
WHOLE_PAGE = f"{PAGE}?volledig=1"

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture
def facilitator(login):
    return login("facilitator")


def visible(html):
    """The text a person reads: no tags, attributes, scripts, styles or drawings."""
    html = re.sub(r"<(svg|script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<span class="visually-hidden">.*?</span>', " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def codes_in(text):
    """The codes of every label table that show in ``text`` where a label should."""
    tables = [*CODE_TABLES.values(), SEVERITIES, DISMISS_REASONS]
    codes = {code for table in tables for code, label in table.items() if code != label}
    # A code that is also a Dutch word a person writes does not count ("school", "info").
    codes -= {"school", "info", "other", "open", "later"}
    # A rule's id is its reference beside the source ("regel parent-without-support").
    text = re.sub(r"regel [a-z0-9-]+", "", text)
    words = set(re.findall(r"[a-z_]+", text))
    return sorted(codes & words)


def dismiss(client, rule, reason, note=""):
    html = client.get(WHOLE_PAGE).get_data(as_text=True)
    card = html.split(f'id="signaal-{rule}"')[1]
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', card).group(1)
    response = client.post(
        f"{PAGE}/signalen/{rule}/afwijzen",
        data={"fingerprint": fingerprint, "reason": reason, "note": note},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200


def report_text(client, cid):
    return visible(client.get(f"{PAGE}/overleggen/{cid}/verslag").get_data(as_text=True))


def pdf_text(client, cid):
    pdf = client.get(f"{PAGE}/overleggen/{cid}/verslag.pdf").get_data()
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


# --------------------------------------------------------------------------- consent


def test_consent_given_at_the_table_makes_one_true_sentence_in_opening_and_report(facilitator, db):
    cid = start(facilitator)
    shown = live(facilitator, cid)
    before = visible(shown)
    assert "Nog geen instemming voor bespreken in het casusoverleg" in before
    assert "Sanne (kind) stemt in met bespreken in dit overleg" in before

    response = facilitator.post(
        f"{PAGE}/overleggen/{cid}/opening",
        data={"purpose": "Terug naar huis", "consent_holder": "p1", "version": version(shown)},
        headers=LIVE,
    )
    assert response.status_code == 200
    after = visible(response.get_data(as_text=True))
    today = nl_date(datetime.date.today())
    sentence = (
        "Instemming voor bespreken in het casusoverleg is compleet "
        f"(aan tafel vastgelegd op {today})."
    )
    assert sentence in after
    assert "Nog geen instemming" not in after and "stemt in met" not in after
    # Recorded in the family's consent register, with where it was given.
    entry = next(db.query("SELECT * FROM consents WHERE subject = 'conference'"))
    assert (entry["person_id"], entry["decision"]) == ("p1", "given")
    assert entry["note"] == "Aan tafel gegeven in het overleg van 23 november 2026."

    report = report_text(facilitator, cid)
    assert sentence in report and "Instemming: Instemming" not in report
    assert "Nog geen instemming" not in report and "niet vastgelegd" not in report
    assert sentence in pdf_text(facilitator, cid)


def test_consent_for_someone_who_need_not_consent_is_refused_and_nothing_recorded(facilitator, db):
    cid = start(facilitator)
    response = facilitator.post(
        f"{PAGE}/overleggen/{cid}/opening",
        data={"consent_holder": "p2", "version": version(live(facilitator, cid))},
        headers=LIVE,
    )
    assert response.status_code == 422
    assert "Kies wie aan tafel instemt uit de lijst." in response.get_data(as_text=True)
    assert list(db.query("SELECT * FROM consents")) == []


def test_a_withdrawal_after_the_meeting_shows_in_the_report(facilitator, db):
    from privacy import store as privacy_store

    cid = start(facilitator)
    facilitator.post(
        f"{PAGE}/overleggen/{cid}/opening",
        data={"consent_holder": "p1", "version": version(live(facilitator, cid))},
        headers=LIVE,
    )
    family_id = next(db.query("SELECT id FROM families WHERE code = 'test-gezin'"))["id"]
    privacy_store.record_consent(
        db, family_id, person_id="p1", subject="conference", decision="withdrawn"
    )
    report = report_text(facilitator, cid)
    assert "Geen instemming voor bespreken in het casusoverleg" in report
    assert "compleet" not in report


# --------------------------------------------------------------------------- labels


def test_report_and_pdf_show_dutch_labels_not_codes(facilitator):
    cid = start(facilitator)
    dismiss(
        facilitator, "missing-adult-mental-health", "not_applicable", "Vader is onder behandeling"
    )
    base = f"{PAGE}/overleggen/{cid}"
    facilitator.post(
        f"{base}/deelnemers",
        data={"name": "Mentor", "partner": "youth_protection", "in_team": "1"},
        headers=LIVE,
    )
    report = report_text(facilitator, cid)
    assert "(waarschuwing)" in report and "(warning)" not in report
    assert "afgewezen: niet van toepassing op dit gezin (Vader is onder behandeling)" in report
    assert "jeugdbescherming" in report
    assert codes_in(report) == []
    pdf = pdf_text(facilitator, cid)
    assert "niet van toepassing op dit gezin" in pdf
    assert codes_in(pdf) == []


def test_no_step_of_the_conference_shows_a_code(facilitator):
    cid = start(facilitator)
    dismiss(facilitator, "missing-adult-mental-health", "wrong_data")
    for step in ("opening", "family", "child", "worries", "signals", "elsewhere", "ideas",
                 "decisions", "closing"):  # fmt: skip
        goto(facilitator, cid, step)
        assert codes_in(visible(live(facilitator, cid))) == [], step


# --------------------------------------------------------------------------- dates


def test_dates_read_as_dutch_dates_in_conference_report_pdf_and_family_page(facilitator):
    cid = start(facilitator)
    base = f"{PAGE}/overleggen/{cid}"
    facilitator.post(
        f"{base}/besluiten",
        data={"title": "Manege bellen", "owner": "Vader", "due": "2026-12-20",
              "evaluate_on": "2027-01-10"},
        headers=LIVE,
    )  # fmt: skip
    goto(facilitator, cid, "decisions")
    step = visible(live(facilitator, cid))
    assert "uiterlijk 20 december 2026" in step and "evalueren 10 januari 2027" in step
    screen = visible(facilitator.get(base).get_data(as_text=True))
    assert "Overleg 23 november 2026" in screen
    goto(facilitator, cid, "closing")
    closed = facilitator.post(
        f"{base}/afsluiten",
        data={"summary": "Goed gesprek", "next_date": "2027-01-15",
              "version": version(live(facilitator, cid))},
        headers=LIVE,
    )  # fmt: skip
    closing = visible(closed.get_data(as_text=True))
    assert "Volgende overleg: 15 januari 2027" in closing
    assert not ISO_DATE.search(closing)

    report = report_text(facilitator, cid)
    assert "Het Testgezin · 23 november 2026" in report
    assert "Volgende overleg: 15 januari 2027" in report
    assert not ISO_DATE.search(report), ISO_DATE.findall(report)
    assert not ISO_DATE.search(pdf_text(facilitator, cid))

    family = facilitator.get(WHOLE_PAGE).get_data(as_text=True)
    text = visible(family)
    assert "Overleg 23 november 2026" in text and "20 december 2026" in text
    assert "1 september 2019" in text  # a placement, as before
    # Machine-readable values stay ISO.
    assert 'datetime="2026-11-23"' in family


def test_a_decided_signal_reads_its_date_in_dutch(facilitator):
    dismiss(facilitator, "missing-adult-mental-health", "later")
    text = visible(facilitator.get(WHOLE_PAGE).get_data(as_text=True))
    assert f"op {nl_date(datetime.date.today())}: later oppakken" in text


# --------------------------------------------------------------------------- people


def test_the_participants_list_shows_the_state_and_names_the_action(facilitator, db):
    cid = start(facilitator)
    base = f"{PAGE}/overleggen/{cid}"
    html = facilitator.post(
        f"{base}/deelnemers", data={"name": "Hein", "role": "vader"}, headers=LIVE
    ).get_data(as_text=True)
    row = html.split('class="participants-list"')[1].split("</li>")[0]
    assert 'class="tag presence">aanwezig<' in row
    assert visible(row).endswith("aanwezig Markeer als afwezig")
    participant = next(db.query("SELECT id FROM conference_participants"))["id"]
    html = facilitator.post(
        f"{base}/deelnemers/{participant}", data={"present": "0"}, headers=LIVE
    ).get_data(as_text=True)
    row = html.split('class="participants-list"')[1].split("</li>")[0]
    assert 'class="is-absent"' in row
    assert visible(row).endswith("afwezig Markeer als aanwezig")


def test_a_goal_scored_for_the_first_time_has_no_history(facilitator, db):
    cid = start(facilitator)
    base = f"{PAGE}/overleggen/{cid}"
    goto(facilitator, cid, "worries")
    facilitator.post(
        f"{base}/doelen", data={"person_id": "p2", "goal": "Elke week met Sanne eten"},
        headers=LIVE,
    )  # fmt: skip
    goal = next(db.query("SELECT id FROM parent_goals"))["id"]
    step = visible(
        facilitator.post(f"{base}/doelen/{goal}", data={"score": "3"}, headers=LIVE).get_data(
            as_text=True
        )
    )
    assert "eerder:" not in step and "eerste score" in step
    report = report_text(facilitator, cid)
    assert "score nu: 3 (eerste score)" in report and "eerder:" not in report

    # The next conference shows it as history, and the change once scored again.
    later = start(facilitator, held_on="2026-12-21")
    goto(facilitator, later, "worries")
    assert "eerder: 3" in visible(live(facilitator, later))
    step = visible(
        facilitator.post(
            f"{PAGE}/overleggen/{later}/doelen/{goal}", data={"score": "5"}, headers=LIVE
        ).get_data(as_text=True)
    )
    assert "eerder: 3 (nu +2)" in step
    assert "score nu: 5; eerder: 3 (23 november 2026) (+2)" in report_text(facilitator, later)
    # The first conference's report is not rewritten by the later score.
    assert "score nu: 3 (eerste score)" in report_text(facilitator, cid)
