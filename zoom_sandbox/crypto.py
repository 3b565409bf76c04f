"""Signing and random identifiers: JWT-shaped tokens, Zoom's webhook HMAC, Zoom-like ids."""

import base64
import hashlib
import hmac
import json
import secrets
import string

_ALGORITHMS = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}
_ALNUM = string.ascii_letters + string.digits


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _segment(obj):
    return b64url(json.dumps(obj, separators=(",", ":")).encode())


def sign_jwt(claims, key, algorithm="HS512"):
    signing_input = f"{_segment({'alg': algorithm, 'typ': 'JWT'})}.{_segment(claims)}"
    digest = hmac.new(key, signing_input.encode("ascii"), _ALGORITHMS[algorithm]).digest()
    return f"{signing_input}.{b64url(digest)}"


def verify_jwt(token, key):
    """Return the claims of a token this sandbox signed, or None for anything else."""
    try:
        header_part, claims_part, signature = token.split(".")
        header = json.loads(b64url_decode(header_part))
        digestmod = _ALGORITHMS[header["alg"]]
        expected = hmac.new(key, f"{header_part}.{claims_part}".encode("ascii"), digestmod)
        if not hmac.compare_digest(b64url(expected.digest()), signature):
            return None
        claims = json.loads(b64url_decode(claims_part))
    except (ValueError, KeyError, TypeError, UnicodeError):
        return None
    return claims if isinstance(claims, dict) else None


def hmac_sha256_hex(secret, message):
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_signature(secret, timestamp, body):
    """Zoom's `x-zm-signature`: v0= + hex HMAC-SHA256 of "v0:{timestamp}:{raw body}"."""
    return "v0=" + hmac_sha256_hex(secret, b"v0:" + str(timestamp).encode() + b":" + body)


def fingerprint(secret_text):
    """A short, non-reversible label for a secret, fit for logs."""
    return hashlib.sha256(secret_text.encode()).hexdigest()[:12]


def zoom_id():
    """22 characters of URL-safe base64, the shape of Zoom's user and account ids."""
    return b64url(secrets.token_bytes(16))


def alnum(length):
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def digits(length):
    return "".join(secrets.choice(string.digits) for _ in range(length))
