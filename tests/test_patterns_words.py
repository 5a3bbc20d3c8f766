"""Dutch singular and plural on the patterns pages."""

import pytest

from patterns import outcomes as o
from patterns.words import SINGULAR, amount, noun


@pytest.mark.parametrize(
    ("count", "many", "expected"),
    [(0, "kinderen", "0 kinderen"), (1, "kinderen", "1 kind"), (2, "kinderen", "2 kinderen"),
     (1, "gezinnen", "1 gezin"), (1, "acties", "1 actie"), (1, "doelen", "1 doel"),
     (1, "plaatsingen", "1 plaatsing")],
)  # fmt: skip
def test_amount_is_singular_for_one_only(count, many, expected):
    assert amount(count, many) == expected


def test_an_unknown_noun_is_an_error_not_a_silent_plural():
    with pytest.raises(KeyError):
        noun(1, "stoelen")


def test_count_text_agrees_with_the_whole():
    assert o.count_text(1, 1, "kinderen") == "1 van 1 kind, 100%"
    assert o.count_text(0, 1, "gezinnen") == "0 van 1 gezin, 0%"
    assert o.count_text(1, 2, "kinderen") == "1 van 2 kinderen, 50%"


def test_every_plural_has_its_singular():
    assert all(one and one != many for many, one in SINGULAR.items())
