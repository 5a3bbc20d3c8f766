"""The lock-out rules (pure): progressive delay per pair, hard windows, keys."""

import pytest

from accounts import lockout
from accounts.lockout import FIRST_DELAY, Rule

NOW = 1_800_000_000.0
FIVE_PER_TEN = Rule(5, 600)


def test_rule_parses_the_flask_limiter_notation():
    assert Rule.parse("5 per 10 minutes") == Rule(5, 600)
    assert Rule.parse("30/hour") == Rule(30, 3600)


@pytest.mark.parametrize("text", ["", "vijf per minuut", "5 per 10 minutes; 3 per hour"])
def test_rule_refuses_anything_else(text):
    with pytest.raises(ValueError, match="5 per 10 minutes"):
        Rule.parse(text)


def test_delay_the_free_failures_cost_nothing():
    assert lockout.delay_wait([NOW - 4, NOW - 3, NOW - 2, NOW - 1], NOW, FIVE_PER_TEN) == 0


def test_delay_starts_after_the_free_failures_and_doubles():
    failures = [NOW - 10 + i for i in range(5)]  # the last one at NOW - 6
    assert lockout.delay_wait(failures, NOW, FIVE_PER_TEN) == FIRST_DELAY - 6
    assert lockout.delay_wait([*failures, NOW], NOW, FIVE_PER_TEN) == 2 * FIRST_DELAY
    assert lockout.delay_wait([*failures, NOW - 1, NOW], NOW, FIVE_PER_TEN) == 4 * FIRST_DELAY


def test_delay_is_capped_at_the_window():
    failures = [NOW - i for i in range(20)]
    assert lockout.delay_wait(failures, NOW, FIVE_PER_TEN) == 600


def test_delay_ends_once_waited():
    failures = [NOW - 100 + i for i in range(5)]  # 30 s after the last is long past
    assert lockout.delay_wait(failures, NOW, FIVE_PER_TEN) == 0


def test_delay_forgets_failures_older_than_the_window():
    old = [NOW - 700 - i for i in range(50)]
    assert lockout.delay_wait(old, NOW, FIVE_PER_TEN) == 0


def test_window_allows_up_to_the_amount():
    assert lockout.window_wait([NOW - 1, NOW - 2], NOW, Rule(3, 600)) == 0


def test_window_waits_until_the_oldest_leaves():
    assert lockout.window_wait([NOW - 100, NOW - 50, NOW - 1], NOW, Rule(3, 600)) == 500


def test_window_ignores_what_is_older():
    assert lockout.window_wait([NOW - 601, NOW - 602, NOW - 1], NOW, Rule(3, 600)) == 0


def test_account_key_ignores_case_and_spaces():
    assert lockout.account_key(" Facilitator ") == lockout.account_key("facilitator")
    assert len(lockout.account_key("x" * 500)) == len("account:") + lockout.ACCOUNT_KEY_LENGTH


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        (None, "unknown"),
    ],
)
def test_address_key_counts_an_ipv6_slash_64_as_one_address(address, key):
    assert lockout.address_key(address) == key


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 seconde"), (29.2, "30 seconden"), (119, "119 seconden"), (600, "10 minuten")],
)
def test_wait_words_are_dutch(seconds, words):
    assert lockout.wait_words(seconds) == words
