"""How long a login attempt must wait, from the history of failed attempts (pure).

Two kinds of rule, both written as Flask-Limiter wrote them ("5 per 10 minutes"):

- :func:`delay_wait`, per account *and* address pair: the first ``amount`` failures
  within the window are free, then every further failure doubles the wait (from
  ``FIRST_DELAY`` seconds up to the window). An attacker elsewhere cannot slow the
  real user down: the user's own address is another pair.
- :func:`window_wait`, a hard limit: at most ``amount`` failures within any window
  (per address over every account, and per account for second-factor codes).

Times are seconds since the epoch; every function takes ``now``, so tests need no clock.
"""

import dataclasses
import ipaddress
import math

import limits

FIRST_DELAY = 30  # seconds to wait after the first failure beyond the free ones
ACCOUNT_KEY_LENGTH = 64


@dataclasses.dataclass(frozen=True)
class Rule:
    amount: int
    window: int  # seconds

    @classmethod
    def parse(cls, text):
        """``"5 per 10 minutes"`` as a rule; ValueError for anything else."""
        try:
            (item,) = limits.parse_many(str(text))
        except ValueError:
            raise ValueError(f"not a limit like '5 per 10 minutes': {text!r}") from None
        return cls(item.amount, item.get_expiry())


def _recent(failures, now, window):
    return sorted(t for t in failures if now - window < t <= now)


def delay_wait(failures, now, rule):
    """Seconds the pair must still wait (0: it may try), from its failure times."""
    recent = _recent(failures, now, rule.window)
    beyond = len(recent) - rule.amount
    if beyond < 0:
        return 0
    delay = min(FIRST_DELAY * 2**beyond, rule.window)
    return max(0, math.ceil(recent[-1] + delay - now))


def window_wait(failures, now, rule):
    """Seconds until fewer than ``amount`` failures lie within the window (0: may try)."""
    recent = _recent(failures, now, rule.window)
    if len(recent) < rule.amount:
        return 0
    # The attempt may go when enough of the oldest have left the window.
    leaving = recent[len(recent) - rule.amount]
    return max(1, math.ceil(leaving + rule.window - now))


def account_key(username):
    """The account a login form names: lower-cased, as the store compares names."""
    return "account:" + (username or "").strip().lower()[:ACCOUNT_KEY_LENGTH]


def address_key(address):
    """The client's address as the limits count it. An IPv6 client usually holds a
    whole /64, so that prefix counts as one address."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return str(address or "unknown")[:64]
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def wait_words(seconds):
    """Dutch words for a wait: '1 seconde', '45 seconden', '3 minuten'."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 120:
        return "1 seconde" if seconds == 1 else f"{seconds} seconden"
    return f"{math.ceil(seconds / 60)} minuten"
