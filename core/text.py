"""Invisible control characters in text from users. Pure.

A NUL in a name reaches places that cannot hold it: XML (the genogram's SVG, and its
PNG drawn from that) and SQLite's LIKE. Validation refuses control characters with
``control_character``; what writes XML drops the ones XML cannot hold with ``xml_safe``,
so text stored before this check still draws.
"""

import re

# Long free texts (a narrative, a note) keep tab and line breaks: a browser sends a
# textarea's line ends as CR LF. Refused: the other C0 controls, DEL, the C1 controls,
# and U+FFFE and U+FFFF, which are no characters at all.
_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# A one-line field (a name, a title, a word) refuses tab and line breaks too.
_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
# What XML 1.0 cannot hold: C0 controls but tab, LF and CR; lone surrogates; U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def control_character(text, *, multiline=False):
    """``(position, character)`` of the first control character in ``text``, or None.

    ``multiline``: tab, line feed and carriage return are allowed (long free texts).
    """
    found = (_IN_TEXT if multiline else _IN_LINE).search(text)
    return None if found is None else (found.start(), found.group())


def describe(position, character):
    """``U+0000 at character 4``: precise, for API and command-line messages."""
    return f"U+{ord(character):04X} at character {position + 1}"


def xml_safe(text):
    """``text`` without the characters XML cannot hold (they have no visible form)."""
    return _NOT_XML.sub("", text)
