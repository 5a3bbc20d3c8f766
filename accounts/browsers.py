"""The browser and system of a session in Dutch words, from its User-Agent (pure).

Only a summary is kept ("Firefox op Windows"): enough for a user to recognise their
own sessions, no more than that.
"""

# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)
UNKNOWN_BROWSER = "onbekende browser"


def _first(user_agent, table):
    return next((name for marker, name in table if marker in user_agent), None)


def summary(user_agent):
    """'Firefox op Windows', 'Safari op iPhone', 'onbekende browser'."""
    user_agent = user_agent or ""
    browser = _first(user_agent, BROWSERS)
    system = _first(user_agent, SYSTEMS)
    if browser and system:
        return f"{browser} op {system}"
    if browser or system:
        return browser or f"browser op {system}"
    return UNKNOWN_BROWSER
