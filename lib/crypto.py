"""
Symmetric encryption for secrets kept in the database (OAuth tokens).

Keys come from settings.FIELD_ENCRYPTION_KEYS, newest first. Encryption always uses the newest
key; decryption tries each, so keys can be rotated without downtime: add a new key in front,
re-encrypt (``manage.py rotate_encryption_keys``), then drop the old key.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["DecryptionError", "decrypt", "encrypt", "reencrypt"]


class DecryptionError(Exception):
    """The ciphertext was not made by any of the configured keys (or was altered)."""


@lru_cache(maxsize=4)
def _box(keys):
    return MultiFernet([Fernet(key) for key in keys])


def _configured_box():
    return _box(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return _configured_box().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _configured_box().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise DecryptionError("no configured key decrypts this value") from None


def reencrypt(ciphertext: str) -> str:
    """Return the same secret encrypted under the newest key."""
    try:
        return _configured_box().rotate(ciphertext.encode()).decode()
    except InvalidToken:
        raise DecryptionError("no configured key decrypts this value") from None
