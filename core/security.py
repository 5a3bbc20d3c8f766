"""Security headers on every response.

The Content-Security-Policy allows no inline script or style at all: htmx is configured
for that in base.html (no indicator styles injected, no eval), and every behaviour lives
in static/app.js.
"""

# Static files: no session is touched, and no-store is not sent.
QUIET_ENDPOINTS = {"static", "assets.vendor"}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000; includeSubDomains"


_LOWER = {name.lower(): (name, value) for name, value in HEADERS.items()}


def add_security_headers(response, *, secure, static):
    """Set the headers; pages with family data are never stored by browsers or proxies."""
    # One pass over what the response has (a view may have set one of them itself).
    present = {name.lower() for name, _ in response.headers} & _LOWER.keys()
    response.headers.extend(pair for key, pair in _LOWER.items() if key not in present)
    if secure:
        response.headers["Strict-Transport-Security"] = HSTS
    if not static:
        response.headers["Cache-Control"] = "no-store"
    return response
