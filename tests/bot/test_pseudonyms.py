"""Pseudonymous keys, samtalekoder and the sealed delivery address."""

import pytest

from bot.pseudonyms import (
    SAMTALEKODE_ALPHABET,
    AddressUnreadable,
    new_samtalekode,
    normalise_samtalekode,
    open_address,
    samtalekode_hash,
    seal_address,
    user_key,
)

SECRET = b"test-secret-that-is-long-enough-for-hmac"


def test_user_key_is_stable_per_channel_and_secret_and_hides_the_id() -> None:
    key = user_key(SECRET, "telegram", "123456789")
    assert key == user_key(SECRET, "telegram", "123456789")
    assert len(key) == 64 and "123456789" not in key
    assert key != user_key(SECRET, "web", "123456789")
    assert key != user_key(b"another-secret", "telegram", "123456789")


def test_samtalekode_is_two_readable_groups_and_random() -> None:
    codes = {new_samtalekode() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        first, second = code.split("-")
        assert len(first) == len(second) == 4
        assert set(first + second) <= set(SAMTALEKODE_ALPHABET)
        assert not set("0O1IL") & set(code)


def test_samtalekode_as_typed_by_a_person_matches_its_hash() -> None:
    code = new_samtalekode()
    typed = f" {code.lower().replace('-', ' ')} "
    assert normalise_samtalekode(typed) == code
    assert samtalekode_hash(SECRET, typed) == samtalekode_hash(SECRET, code)
    assert code not in samtalekode_hash(SECRET, code)


def test_sealed_address_opens_only_with_the_same_secret() -> None:
    sealed = seal_address(SECRET, "123456789")
    assert "123456789" not in sealed
    assert sealed != seal_address(SECRET, "123456789")
    assert open_address(SECRET, sealed) == "123456789"
    with pytest.raises(AddressUnreadable):
        open_address(b"another-secret", sealed)
