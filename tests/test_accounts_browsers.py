"""A session's browser in Dutch words, from its User-Agent (pure)."""

import pytest

from accounts import browsers


@pytest.mark.parametrize(
    ("agent", "words"),
    [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
         "Firefox op Windows"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
         " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge op Windows"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
         " (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari op iPhone"),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
         " Chrome/131.0.0.0 Safari/537.36", "Chrome op Linux"),
        ("curl/8.5.0", "onbekende browser"),
        ("", "onbekende browser"),
    ],
)  # fmt: skip
def test_browser_summary_in_dutch_words(agent, words):
    assert browsers.summary(agent) == words
