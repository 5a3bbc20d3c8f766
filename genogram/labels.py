"""The symbols' sizes and the text under them, in one place for the layout (which keeps
room for the text) and the drawing (which writes it). Pure: no Flask, no database.

Widths are an estimate, about 0.6 em a character in a sans-serif font: the layout needs
no font metrics, and the drawing reaches the same figure as the layout.

The sizes are set for the projector: fitted to the conference's stage at 1920x1080, a
family of up to 25 persons and network members shows every text at 24 px or more
(``genogram.projection``). Long names wrap at ``WRAP_CHARS`` onto at most two lines,
an ellipsis beyond; the tooltip has the whole name.
"""

from cases import codes

SYMBOL = 40  # the side of a person's square (the diameter of a circle)
NAME_SIZE = 26
SMALL_SIZE = 24
LEADING = 1.1  # a text line's height, of its font size
ASCENT = 0.8  # from the top of a line to its baseline, of the font size
CHAR_WIDTH = 0.6  # of the font size, a character on average
WRAP_CHARS = 18  # a name or detail line wraps beyond about this many characters
DETAIL_CHARS = 18  # birth year and residence share a line up to this many characters
MAX_LINES = 3  # under a symbol: name (one or two lines) and details
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
SEPARATOR = " \N{MIDDLE DOT} "
LINE_GAP = round(SMALL_SIZE * LEADING)  # a small text line's height
TEXT_TOP = 6  # from a symbol's bottom edge to the top of its text (below the couple line)
TEXT_ROOM = TEXT_TOP + round(NAME_SIZE * LEADING + (MAX_LINES - 1) * SMALL_SIZE * LEADING)
MEMBER_BOX = SYMBOL + 12  # a member's rounded box is wider than a symbol
MEMBER_ABOVE = SYMBOL / 2 - 4  # the box above the member's centre
MEMBER_TEXT_TOP = SYMBOL / 2  # from a member's centre to the top of its text
MEMBER_BELOW = MEMBER_TEXT_TOP + TEXT_ROOM - TEXT_TOP + 4  # its text lines below it
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


def line_width(text, size):
    return len(text) * size * CHAR_WIDTH


def wrap(text, size, max_lines, width=None):
    """``text`` in lines of at most ``WRAP_CHARS`` characters (or ``width`` units),
    between words where it can (a word longer than a line is cut, with a hyphen), at
    most ``max_lines``: an ellipsis ends a text cut short."""
    room = WRAP_CHARS if width is None else max(2, int(width // (size * CHAR_WIDTH)))
    pieces = []  # (text, cut): words, and the parts of a word too long for a line
    for word in text.split():
        while len(word) > room:
            pieces.append((word[: room - 1], True))
            word = word[room - 1 :]
        pieces.append((word, False))
    lines = []  # each a list of pieces
    for piece in pieces:
        line = lines[-1] if lines else None
        if line and not line[-1][1] and len(_joined(line + [piece])) <= room:
            line.append(piece)
        else:
            lines.append([piece])
    if len(lines) > max_lines:
        rest = [piece for line in lines[max_lines - 1 :] for piece in line]
        last = _joined(rest)[: room - 1].rstrip() + ELLIPSIS
        return [_shown(line) for line in lines[: max_lines - 1]] + [last]
    return [_shown(line) for line in lines] or [""]


def _joined(pieces):
    """The pieces as one text: words with a space between, a cut word whole again."""
    out = ""
    for i, (piece, _) in enumerate(pieces):
        out += piece if i == 0 or pieces[i - 1][1] else " " + piece
    return out


def _shown(line):
    """A line as shown: a cut word ends in a hyphen."""
    return _joined(line) + ("-" if line[-1][1] else "")


def _details(parts):
    """Birth year and residence on one line when it is short enough, else two."""
    parts = [p for p in parts if p]
    joined = SEPARATOR.join(parts)
    if len(joined) <= DETAIL_CHARS:
        return [joined] if joined else []
    return parts


def person_lines(data, this_year=None):
    """The text under a person's symbol as ``(text, size, weight)``: the name (wrapped),
    then birth year and age with the residence, on one line where they fit."""
    weight = "bold" if data.get("index") else None
    residence = data.get("residence")
    short = RESIDENCE_SHORT.get(residence, residence) if residence else None
    details = _details([year_label(data, this_year), short])
    name = wrap(data.get("name") or UNKNOWN_NAME, NAME_SIZE, MAX_LINES - len(details))
    return [(text, NAME_SIZE, weight) for text in name] + [
        (text, SMALL_SIZE, None) for text in details
    ]


def member_lines(data):
    """The text under a network member's box: name (wrapped) and (short) partner label."""
    name = wrap(data.get("name") or UNKNOWN_NAME, NAME_SIZE, MAX_LINES - 1)
    return [(text, NAME_SIZE, None) for text in name] + [
        (short_partner(data.get("partner")), SMALL_SIZE, None)
    ]


def baselines(lines, top):
    """The baseline of each of ``lines`` whose text starts at ``top``."""
    out, y = [], top
    for _, size, _ in lines:
        out.append(y + ASCENT * size)
        y += LEADING * size
    return out


def text_height(lines):
    """The height of ``lines`` one under the other."""
    return sum(LEADING * size for _, size, _ in lines)


def text_width(lines):
    """About the width of the widest of ``lines``."""
    return max((line_width(text, size) for text, size, _ in lines), default=0.0)


def person_half_width(data):
    """Half a person's footprint: the symbol or the widest text line under it."""
    return max(SYMBOL, text_width(person_lines(data))) / 2


def member_half_width(data):
    """Half a member's footprint: the box or the widest text line under it."""
    return max(MEMBER_BOX, text_width(member_lines(data))) / 2
