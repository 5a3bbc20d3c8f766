"""The access overview's pure helpers: Dutch time, whole Dutch days, readable objects."""

import datetime

import pytest

from privacy import overview


def test_period_bounds_are_whole_dutch_days_in_utc():
    summer = overview.parse_period("2024-05-01", "2024-05-02")
    assert summer.bounds() == ("2024-04-30T22:00:00.000+00:00", "2024-05-02T22:00:00.000+00:00")
    winter = overview.parse_period("2024-01-10", "")
    assert winter.bounds() == ("2024-01-09T23:00:00.000+00:00", None)


def test_period_contains_follows_the_bounds():
    period = overview.parse_period("2024-05-01", "2024-05-01")
    assert period.contains("2024-04-30T22:00:00.000+00:00")  # 00:00 in Amsterdam
    assert not period.contains("2024-04-30T21:59:59.999+00:00")
    assert period.contains("2024-05-01T21:59:59.999+00:00")
    assert not period.contains("2024-05-01T22:00:00.000+00:00")
    assert overview.parse_period("", None).contains("1999-01-01T00:00:00.000+00:00")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("1-5-2024", "", "De datum bij ‘van’ is niet geldig"),
        ("", "morgen", "De datum bij ‘tot’ is niet geldig"),
        ("2024-05-02", "2024-05-01", "De begindatum ligt na de einddatum."),
    ],
)
def test_parse_period_refuses_in_dutch(start, end, message):
    with pytest.raises(overview.PeriodError, match=message):
        overview.parse_period(start, end)


def test_local_time_is_dutch():
    assert overview.local_time("2024-05-03T12:05:09.123+00:00") == "3 mei 2024, 14:05:09"
    assert overview.local_time("2024-12-31T23:30:00+00:00") == "1 januari 2025, 00:30:00"
    assert overview.local_time("geen tijd") == "geen tijd"
    assert overview.local_time(None) == ""


@pytest.mark.parametrize(
    ("logged", "shown"),
    [
        ("cases.show", "gezinspagina"),
        ("cases.update_person person_id=p1", "persoon p1"),
        ("cases.delete_placement index=0 person_id=p1", "plaatsing 0 p1"),
        ("privacy.export_family", "volledige export"),
        ("team user=anna", "team anna"),
        (
            "instemming person=p1 subject=library",
            "instemming p1 geanonimiseerd delen in de oplossingenbibliotheek",
        ),
        ("api family list", "api family list"),
        ("", ""),
        (None, ""),
    ],
)
def test_describe_object_in_words_a_family_understands(logged, shown):
    assert overview.describe_object(logged) == shown


def test_describe_object_uses_the_names_of_the_case():
    names = {"p1": "Sanne", "n1": "Paardenfluisteraar"}
    assert overview.describe_object("cases.update_person person_id=p1", names) == "persoon Sanne"
    assert overview.describe_object("cases.tie member_id=n1 person_id=p1", names) == (
        "band in het netwerk Paardenfluisteraar Sanne"
    )


def test_describe_detail_says_consent_codes_in_dutch():
    assert overview.describe_detail("withdrawn") == "ingetrokken"
    assert overview.describe_detail("reden: given") == "reden: given"
    assert overview.describe_detail(None) == ""


def test_access_point_parts():
    assert overview.access_point_parts("web 10.0.0.1 Mozilla/5.0 (X11) Firefox") == (
        "website",
        "10.0.0.1",
        "Mozilla/5.0 (X11) Firefox",
    )
    assert overview.access_point_parts(None) == ("", "", "")


def test_period_is_a_value():
    assert overview.Period() == overview.parse_period(None, None)
    assert overview.Period(datetime.date(2024, 1, 1)).end is None
