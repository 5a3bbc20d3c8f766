"""Regions are free text, but a typo must not make a new region: a typed region is
settled against the regions in use (pure)."""

import difflib

CLOSE = 0.75  # difflib's ratio from which a typed region probably means a known one


def tidy(text):
    return " ".join((text or "").split())


def settle(typed, known):
    """``(region, meant)``: the region to store (a known region's own spelling where only
    case or spacing differ) and, for a new region close to a known one, the known region
    it probably means (else None)."""
    region = tidy(typed)
    if not region:
        return None, None
    by_fold = {tidy(k).casefold(): tidy(k) for k in known if tidy(k)}
    if region.casefold() in by_fold:
        return by_fold[region.casefold()], None
    close = difflib.get_close_matches(region.casefold(), list(by_fold), n=1, cutoff=CLOSE)
    return region, (by_fold[close[0]] if close else None)
