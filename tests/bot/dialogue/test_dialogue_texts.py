"""Every sentence lives once per language: the same keys and placeholders in nb, nn and en,
short bubbles, and no phone numbers (those come from the catalogue)."""

import re

import pytest

from bot.dialogue.texts import LANGUAGES, catalogue, placeholders, say
from nlu.interpretation import Language
from services_catalog.topics import Topic


def test_all_languages_have_the_same_keys() -> None:
    keys = {language: set(catalogue(language)) for language in LANGUAGES}

    assert keys[Language.NYNORSK] == keys[Language.BOKMAAL]
    assert keys[Language.ENGLISH] == keys[Language.BOKMAAL]


@pytest.mark.parametrize("language", [Language.NYNORSK, Language.ENGLISH])
def test_all_languages_have_the_same_placeholders(language: Language) -> None:
    bokmaal = catalogue(Language.BOKMAAL)
    for key, sentence in catalogue(language).items():
        assert placeholders(sentence) == placeholders(bokmaal[key]), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_bubbles_are_short_and_carry_no_phone_numbers(language: Language) -> None:
    for key, sentence in catalogue(language).items():
        assert len(sentence) <= 300, key
        assert not re.search(r"\d{3}", sentence), key


def test_every_topic_has_a_name_in_every_language() -> None:
    for language in LANGUAGES:
        for topic in Topic:
            assert say(language, f"topic.{topic.value}")


def test_an_unsupported_language_falls_back_to_bokmaal() -> None:
    assert say(Language.OTHER, "quick.yes") == "Ja"
