"""Read JSON from outside (API bodies, files) with a limit on how deeply it nests.

Python's parser recurses once per level: a body of 100,000 ``[`` makes it raise
``RecursionError`` (a 500 in the API, a traceback in the CLI), and a document a few
hundred levels deep gets past it only to break whatever walks it next. The exchange
format needs five levels; ``loads`` refuses more than ``MAX_DEPTH`` before parsing,
with a scan of the brackets outside strings (in C, through ``re``), so it costs
little even for a body of megabytes. Pure: no Flask.
"""

import itertools
import json
import re

MAX_DEPTH = 64

# A JSON string with its escapes; the ASCII characters that are not a bracket.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(128) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JsonError(ValueError):
    """The text is not JSON this app reads; the message says why, precisely."""


def depth(text):
    """How deeply the brackets of ``text`` nest, strings left out (0 for a scalar).

    For valid JSON this is exact; for broken JSON it is at least what the parser would
    reach before it stops, since both read the same strings from the left.
    """
    outside = _STRING.sub("", text).encode("ascii", "ignore")  # no bracket is lost
    brackets = outside.translate(None, _NOT_BRACKETS)
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _refuse_constant(name):
    # Python reads NaN and Infinity; JSON has no such numbers.
    raise JsonError(f"{name} is not a JSON number")


def loads(text, *, max_depth=MAX_DEPTH):
    """Parse ``text``; :class:`JsonError` when it is not JSON or nests too deeply."""
    if isinstance(text, bytes | bytearray):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise JsonError(f"not UTF-8 text (byte {error.start})") from None
    found = depth(text)
    if found > max_depth:
        raise JsonError(f"nested {found} levels deep, at most {max_depth} allowed")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise JsonError(
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except JsonError:
        raise
    except (ValueError, RecursionError) as error:
        # A number of more than 4,300 digits, say (Python's limit on int conversion).
        raise JsonError(f"not valid JSON: {error}") from None
