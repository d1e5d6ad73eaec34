"""A self-hosted proof-of-work challenge for the public report form (ALTCHA, issue 14 point 3).

The arithmetic question it replaces sat in the HTML and a script answered it for free. Here
the server draws a secret counter below NETRAL_ALTCHA_MAX_NUMBER and publishes only the
first bytes of PBKDF2-SHA256(nonce || counter, salt, NETRAL_ALTCHA_COST iterations); the
browser (the vendored `altcha` widget, static/vendor/altcha/) tries counters from 0 until
the key matches. Expected work is cost x max/2 PBKDF2 iterations: with the defaults about a
million, about a second in a browser, and the same for a script, per submission: nothing in
the page gives the counter away. The challenge is HMAC-signed with a key derived from
SECRET_KEY (nothing outside this server is asked), expires after ten minutes, and each one
is accepted once (its nonce is remembered in the shared cache until it expires). The server's
cost: one derivation to issue, one HMAC to verify (the derived key is signed at issue).
"""

from __future__ import annotations

import json
import secrets
import time

import altcha
from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

ALGORITHM = "PBKDF2/SHA-256"
LIFETIME = 600  # seconds a challenge may be answered in


def _secret(purpose: str) -> str:
    return salted_hmac("netral.cases.challenge", purpose).hexdigest()


def challenge_new() -> str:
    """A signed challenge as JSON, for the widget's `challenge` attribute."""
    challenge = altcha.create_challenge(
        ALGORITHM,
        int(settings.NETRAL_ALTCHA_COST),
        counter=secrets.randbelow(int(settings.NETRAL_ALTCHA_MAX_NUMBER)),
        expires_at=int(time.time()) + LIFETIME,
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return json.dumps(challenge.to_dict(), separators=(",", ":"))


def challenge_ok(payload: str) -> bool:
    """True for a right, unexpired, untampered solution seen for the first time."""
    if not payload or len(payload) > 4096:
        return False
    try:
        # decoded once, verified as decoded (the library would decode a string again)
        parsed = altcha.Payload.from_base64(payload)
        result = altcha.verify_solution(
            parsed, _secret("challenge"), hmac_key_secret=_secret("key")
        )
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return False
    if not result.verified:
        return False
    nonce = parsed.challenge.parameters.nonce
    return bool(cache.add(f"altcha-used:{nonce}", 1, LIFETIME + 60))  # each answers once
