"""The web chat's words: three files with the same keys, none empty, none missing where used."""

import re
from pathlib import Path

import pytest

from bot.channels import webchat_texts
from bot.channels.webchat_page import STATIC_DIR
from bot.channels.webchat_texts import choose_language, language_of_tag, preferred_language, words
from bot.dialogue.texts import LANGUAGES
from nlu.interpretation import Language

TEMPLATE = Path(webchat_texts.__file__).parent / "templates" / "chat.html"


def used_keys() -> set[str]:
    """Every key the template and chat.js ask for."""
    template = TEMPLATE.read_text(encoding="utf-8")
    script = (STATIC_DIR / "chat.js").read_text(encoding="utf-8")
    return (
        set(re.findall(r"""t\[["']([a-z]+\.\w+)["']\]""", template))
        | set(re.findall(r'data-label(?:-[a-z-]+)?="([a-z]+\.\w+)"', template))
        | set(re.findall(r'\bt\("([a-z]+\.\w+)"\)', script))
        | set(re.findall(r'"(chat\.\w+)"', script))
    )


def test_all_three_languages_have_exactly_the_same_keys_and_no_empty_text() -> None:
    bokmaal = words(Language.BOKMAAL)
    for language in LANGUAGES:
        assert set(words(language)) == set(bokmaal), language
        empty = [key for key, text in words(language).items() if not text.strip()]
        assert empty == [], language


def test_the_languages_really_differ() -> None:
    names = {words(language)["page.language_name"] for language in LANGUAGES}
    welcomes = {words(language)["page.welcome_title"] for language in LANGUAGES}
    assert names == {"Bokmål", "Nynorsk", "English"}
    assert len(welcomes) == 3


def test_every_key_the_page_and_script_use_exists_and_every_label_is_used() -> None:
    used = used_keys()
    known = set(words(Language.BOKMAAL))
    labels = {key for key in known if not key.startswith("api.")}
    assert used <= known, used - known
    assert labels - used == {"page.language_name"}  # shown by the language switch itself


def test_every_api_sentence_constant_exists_in_every_language() -> None:
    sentences = [
        value for value in vars(webchat_texts).values() if isinstance(value, webchat_texts.Sentence)
    ]
    assert len(sentences) == 9
    for sentence in sentences:
        assert all(sentence[language] for language in LANGUAGES), sentence.key


def test_no_phone_number_is_written_into_the_page_texts() -> None:
    for language in LANGUAGES:
        for key, text in words(language).items():
            assert not re.search(r"\d{3}", text), (language, key)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("nb", Language.BOKMAAL),
        ("nb-NO", Language.BOKMAAL),
        ("no", Language.BOKMAAL),
        ("nn_NO", Language.NYNORSK),
        ("no-nyn", Language.NYNORSK),
        ("Nynorsk", Language.NYNORSK),
        ("EN-gb", Language.ENGLISH),
        ("sv", None),
        ("", None),
    ],
)
def test_language_tags(tag: str, expected: Language | None) -> None:
    assert language_of_tag(tag) is expected


def test_accept_language_quality_and_order_decide() -> None:
    assert preferred_language("sv, en;q=0.4, nn;q=0.6") is Language.NYNORSK
    assert preferred_language("en, nn") is Language.ENGLISH  # equal quality: the first
    assert preferred_language("nn;q=0, en;q=0.1") is Language.ENGLISH  # q=0 means "not this"
    assert preferred_language("nn;q=bad") is None
    assert preferred_language(None) is None


def test_the_deployments_default_is_the_last_resort() -> None:
    assert choose_language(None, None, Language.NYNORSK) is Language.NYNORSK
    assert choose_language("xx", "de", Language.ENGLISH) is Language.ENGLISH
    assert choose_language(None, None, Language.OTHER) is Language.BOKMAAL
    assert choose_language("nn", "en", Language.BOKMAAL) is Language.NYNORSK
