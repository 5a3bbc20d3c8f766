"""The symbols' sizes and the text under them, in one place for the layout (which keeps
room for the text) and the drawing (which writes it). Pure: no Flask, no database.

Widths are an estimate, about 0.6 em a character in a sans-serif font: the layout needs
no font metrics, and the drawing reaches the same figure as the layout.
"""

from cases import codes

SYMBOL = 40  # the side of a person's square (the diameter of a circle)
NAME_SIZE = 16
SMALL_SIZE = 14
LINE_GAP = 17  # between the text lines under a symbol
CHAR_WIDTH = 0.6  # of the font size, a character on average
MEMBER_TEXT = 18  # a member's first text line, below its centre
MEMBER_BOX = SYMBOL + 12  # a member's rounded box is wider than a symbol
MEMBER_ABOVE = SYMBOL / 2 - 4  # the box above the member's centre
MEMBER_BELOW = SYMBOL / 2 + MEMBER_TEXT + LINE_GAP + 5  # its two text lines below it
UNKNOWN_NAME = "(naam onbekend)"

# Short residence labels under a symbol; the full label is in the <title> tooltip.
RESIDENCE_SHORT = {
    "home": "thuis",
    "kinship": "netwerkpleeggezin",
    "foster": "pleeggezin",
    "family_home": "gezinshuis",
    "residential": "open groep",
    "secure": "gesloten",
    "assisted_living": "begeleid wonen",
    "independent": "zelfstandig",
    "other": "anders",
}


def short_partner(partner):
    """``"jeugdbescherming (gecertificeerde instelling)"`` -> ``"jeugdbescherming"``."""
    label = codes.PARTNERS.get(partner, partner or "")
    return label.split(" (")[0].split(":")[0]


def year_label(person, this_year=None):
    """Birth year and age (or a dagger), ``"overleden"`` without a year, or None.

    Without ``this_year`` the age is counted as two digits, whatever today is: the
    layout keeps room for it and stays the same from one year to the next.
    """
    year = person.get("birth_year")
    if not isinstance(year, int) or isinstance(year, bool):
        return "overleden" if person.get("deceased") else None
    if person.get("deceased"):
        return f"{year} \N{DAGGER}"
    age = "00" if this_year is None else this_year - year
    return f"{year} ({age})"


def person_lines(data, this_year=None):
    """The text under a person's symbol as ``(text, size, weight)``: name, birth year
    and age, residence."""
    index = bool(data.get("index"))
    lines = [(data.get("name") or UNKNOWN_NAME, NAME_SIZE, "bold" if index else None)]
    year = year_label(data, this_year)
    if year:
        lines.append((year, SMALL_SIZE, None))
    residence = data.get("residence")
    if residence:
        lines.append((RESIDENCE_SHORT.get(residence, residence), SMALL_SIZE, None))
    return lines


def member_lines(data):
    """The text under a network member's box: name and (short) partner label."""
    return [
        (data.get("name") or UNKNOWN_NAME, NAME_SIZE, None),
        (short_partner(data.get("partner")), SMALL_SIZE, None),
    ]


def text_width(lines):
    """About the width of the widest of ``lines``."""
    return max((len(text) * size * CHAR_WIDTH for text, size, _ in lines), default=0.0)


def person_half_width(data):
    """Half a person's footprint: the symbol or the widest text line under it."""
    return max(SYMBOL, text_width(person_lines(data))) / 2


def member_half_width(data):
    """Half a member's footprint: the box or the widest text line under it."""
    return max(MEMBER_BOX, text_width(member_lines(data))) / 2
