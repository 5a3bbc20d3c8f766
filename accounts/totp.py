"""Time-based one-time codes (TOTP, RFC 6238) for the second factor. Pure: no Flask,
no database.

Codes are six digits for a 30-second step; a code of the step before or after is
accepted too, for clocks that drift. A caller passes the last step it accepted, so a
code can never be used twice.
"""

import base64
import hmac
import io
import re
import time

import pyotp
import segno

ISSUER = "Maatwerktafel"
DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
CODE_PATTERN = re.compile(r"^\d{6}$")

# Replaced in tests to move through time.
clock = time.time


def new_secret():
    """A new random secret: 160 bits in base32, as authenticator apps expect."""
    return pyotp.random_base32(32)


def normalise(code):
    """The code without the spaces and dashes apps show in it; None when not 6 digits."""
    if not isinstance(code, str):
        return None
    code = re.sub(r"[\s-]", "", code)
    return code if CODE_PATTERN.match(code) else None


def step_at(now):
    return int(now // STEP_SECONDS)


def matching_step(secret, code, *, now=None, after=None):
    """The time step whose code is ``code``, within the allowed drift and later than
    step ``after``; None when there is none (wrong, too old, or already used)."""
    code = normalise(code)
    if code is None or not secret:
        return None
    otp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = step_at(clock() if now is None else now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(otp.generate_otp(step), code):
            return step
    return None


def provisioning_uri(secret, username):
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=username, issuer_name=ISSUER
    )


def qr_data_uri(uri):
    """The QR code of ``uri`` as an SVG data: address for an <img> (the CSP allows
    data: images, and an image's SVG cannot run script or touch the page's styles)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", scale=5, border=3, light="#fff", xmldecl=False
    )
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def grouped(secret):
    """The secret in groups of four, easier to type over by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
