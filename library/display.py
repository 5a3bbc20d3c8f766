"""De-identified library text made readable. Pure: no Flask.

The library stores text with tags (``[PERSOON-3] woont in [LOCATIE-1]``). On a projector
those brackets are noise: a tag is shown as the role it stands for when the case says so
("vader"), otherwise as a plain word with its number ("persoon 3", "plaats 1"); the view
marks it, so it stays visible that something was left out.
"""

import re

TAG = re.compile(
    r"\[(PERSOON|LOCATIE|INSTELLING|DATUM|LEEFTIJD|TELEFOONNUMMER|EMAIL|URL|BSN|ID)-(\d+)\]"
)
WORDS = {
    "PERSOON": "persoon",
    "LOCATIE": "plaats",
    "INSTELLING": "instelling",
    "DATUM": "datum",
    "LEEFTIJD": "leeftijd",
    "TELEFOONNUMMER": "telefoonnummer",
    "EMAIL": "e-mailadres",
    "URL": "website",
    "BSN": "BSN",
    "ID": "nummer",
}
# Several persons, places or institutions in one text must stay apart; dates need not.
NUMBERED = {"PERSOON", "LOCATIE", "INSTELLING"}
GENERIC_ROLES = {"familielid"}
KIN_WORDS = ("oom", "tante", "neef", "nicht", "opa", "oma", "vader", "moeder", "overgrootvader",
             "overgrootmoeder", "grootvader", "grootmoeder", "stiefvader", "stiefmoeder",
             "halfbroer", "halfzus", "zwager", "schoonzus", "peetoom", "peettante")  # fmt: skip
SENTENCE_END = re.compile(r"(^|[.!?:]\s*|\n\s*)$")


def segments(text, tags=None):
    """``[(text, tag)]``: plain stretches have tag None; a tag's stretch is its readable
    word, ``tag`` the original (``"PERSOON-3"``). ``tags`` maps a person tag to a role."""
    tags = tags or {}
    out, done = [], 0
    for match in TAG.finditer(text or ""):
        before = text[done : match.start()]
        kind, number = match.groups()
        tag = f"{kind}-{number}"
        word = (tags.get(tag) or "").strip().lower()
        said = _said_before(before, _role_words(word, kind))
        if said:
            # "opa [PERSOON-4]" reads "opa", not "opa opa": the text named the role.
            before, word = before[: -len(said)], said.rstrip()
        else:
            if not word:
                word = f"{WORDS[kind]} {number}" if kind in NUMBERED else WORDS[kind]
            if SENTENCE_END.search(text[: match.start()]):
                word = word[:1].upper() + word[1:]
        if before:
            out.append((before, None))
        out.append((word, tag))
        done = match.end()
    if done < len(text or ""):
        out.append((text[done:], None))
    return out


def _role_words(role, kind):
    """The words that, just before the tag, already name the person."""
    first = role.split()[0] if role else ""
    # A generic role, or none (a name deduce found), gives way to the kin word the text
    # uses: "oom [PERSOON-5]" reads "oom", "tante [PERSOON-8]" reads "tante".
    if first in GENERIC_ROLES or (not first and kind == "PERSOON"):
        return KIN_WORDS
    return (re.escape(first),) if first else ()


def _said_before(before, words):
    """One of ``words`` and the space after it, when ``before`` ends with them."""
    if not words:
        return ""
    # Also the diminutive: "zusje [PERSOON-2]" for a sister, "broertje" for a brother.
    pattern = r"(?:^|(?<=\W))((?:" + "|".join(words) + r")(?:je|tje|pje)?\s+)$"
    found = re.search(pattern, before, re.IGNORECASE)
    return found.group(1) if found else ""


def readable(text, tags=None):
    """The text with every tag replaced by its word, for places without markup."""
    return "".join(part for part, _ in segments(text, tags))
