"""The one way the stores stamp a moment: UTC, ISO 8601, to the second by default."""

import datetime


def utc_now(timespec="seconds"):
    return datetime.datetime.now(datetime.UTC).isoformat(timespec=timespec)
