"""The one Dutch date format (core.dates)."""

import datetime

from core.dates import nl_date


def test_dates_and_iso_texts_read_as_dutch_dates():
    assert nl_date("2026-12-04") == "4 december 2026"
    assert nl_date(datetime.date(2019, 5, 1)) == "1 mei 2019"
    assert nl_date(datetime.datetime(2027, 1, 15, 9, 30)) == "15 januari 2027"


def test_a_utc_timestamp_counts_by_its_dutch_day():
    assert nl_date("2026-12-04T23:30:00+00:00") == "5 december 2026"
    assert nl_date("2026-07-01T21:59:59+00:00") == "1 juli 2026"  # summer time: UTC+2


def test_nothing_is_empty_and_other_text_is_shown_as_it_is():
    assert nl_date(None) == "" and nl_date("") == ""
    assert nl_date("morgen") == "morgen"


def test_a_log_timestamp_reads_as_a_dutch_date_and_time_in_dutch_time():
    from core.dates import nl_datetime

    assert nl_datetime("2026-12-05T11:31:32+00:00") == "5 december 2026 12:31"
    assert nl_datetime("2026-07-01T22:30:00+00:00") == "2 juli 2026 00:30"  # summer time
    assert nl_datetime("2026-12-05") == "5 december 2026"
    assert nl_datetime("nooit") == "nooit"
