"""Pseudonymous user keys, samtalekoder and the encrypted delivery address.

A channel's user id never reaches the database: it becomes an HMAC under the server secret. A
samtalekode (a short code the user may write down to continue on another device) is shown once
and stored only as an HMAC. The one value that must be reversible, the address a channel needs to
reach the user later (Telegram's chat id), is encrypted with a key derived from the same secret.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B or U/V: easy to read aloud, write down and type on a phone.
SAMTALEKODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
SAMTALEKODE_GROUP = 4
SAMTALEKODE_GROUPS = 2


class AddressUnreadable(ValueError):
    """A stored delivery address could not be decrypted (wrong secret or damaged value)."""


def user_key(secret: bytes, channel: str, channel_user_id: str) -> str:
    """The pseudonymous key of one user on one channel: HMAC-SHA256 hex, 64 characters."""
    message = f"user\x1f{channel}\x1f{channel_user_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def new_samtalekode() -> str:
    """A fresh random code such as `K7QF-MX3A` (2 × 4 characters, about 36 bits)."""
    groups = (
        "".join(secrets.choice(SAMTALEKODE_ALPHABET) for _ in range(SAMTALEKODE_GROUP))
        for _ in range(SAMTALEKODE_GROUPS)
    )
    return "-".join(groups)


def normalise_samtalekode(code: str) -> str:
    """The code as typed by a person, reduced to its canonical form (`k7qf mx3a` -> `K7QF-MX3A`)."""
    compact = "".join(ch for ch in code.upper() if ch.isalnum())
    size = SAMTALEKODE_GROUP
    return "-".join(compact[i : i + size] for i in range(0, len(compact), size))


def samtalekode_hash(secret: bytes, code: str) -> str:
    """What is stored for a samtalekode: HMAC-SHA256 hex of its canonical form."""
    message = f"samtalekode\x1f{normalise_samtalekode(code)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _address_fernet(secret: bytes) -> Fernet:
    # A separate key per purpose: the HMAC secret itself is never used as an encryption key.
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"familieveiviser",
        info=b"delivery-address v1",
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal_address(secret: bytes, address: str) -> str:
    """Encrypt a delivery address for storage (a different token every call)."""
    return _address_fernet(secret).encrypt(address.encode()).decode("ascii")


def open_address(secret: bytes, sealed: str) -> str:
    """Decrypt a stored delivery address; AddressUnreadable when the secret does not fit."""
    try:
        return _address_fernet(secret).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError) as error:
        raise AddressUnreadable("delivery address cannot be decrypted") from error
