"""Password hashing with Argon2id (argon2-cffi), including rehashing when parameters change."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both paths take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class WeakPasswordError(ValueError):
    """The password is too short to protect a staff account."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn.")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no hash it still spends the time of one verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def upgraded_hash(password_hash: str, password: str) -> str | None:
    """A new hash of a just-verified password if the stored one uses outdated parameters."""
    return _hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None


def generate_password() -> str:
    """A random password to hand over once (about 120 bits, easy to type)."""
    return secrets.token_urlsafe(15)
