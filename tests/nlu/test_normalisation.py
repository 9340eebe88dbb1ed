"""Normalisation: every way of writing the same Norwegian word ends up as one token sequence."""

from collections import Counter

import pytest

from nlu.normalisation import fold_letters, normalise
from nlu.spelling import ALL_TABLES


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Jeg får ikke sove", "jeg faar ikke sove"),
        ("jeg faar ikke sove", "jeg faar ikke sove"),
        ("JEG FÅR IKKE SOVE!!!", "jeg faar ikke sove"),
        ("Eg får ikkje sove", "jeg faar ikke sove"),
        ("æ får itte sove", "jeg faar ikke sove"),
        ("æ e 15 og får ittj sove", "jeg er 15 og faar ikke sove"),
        ("Kva skal eg gjere?", "hva skal jeg gjere"),
        ("ka ska æ gjør", "hva skal jeg gjoer"),
        ("Korleis kan eg hjelpe ho?", "hvordan kan jeg hjelpe hun"),
        ("Dattera mi er heime åleine", "datteren min er hjemme alene"),
        ("dei er berre slemme mot mæ", "de er bare slemme mot meg"),
        ("Ho er alltid sjuk", "hun er alltid syk"),
        ("Sønnen min blir mobba på skulen", "soennen min blir mobbet paa skolen"),
        ("sonnen min", "sonnen min"),
        ("Søstera mi seier at eg treng hjelp", "soestera min sier at jeg trenger hjelp"),
    ],
)
def test_dialect_nynorsk_and_letters_fold_to_bokmaal(written: str, canonical: str) -> None:
    assert normalise(written) == canonical


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("mobbbing", "mobbing"),
        ("heeeeei", "hei"),
        ("hjeeeelp", "hjelp"),
        ("neeeei", "nei"),
        ("takkkk", "takk"),
        ("Hei!!!!! ??", "hei"),
        ("hjlep", "hjelp"),
        ("selvmor", "selvmord"),
        ("mobing", "mobbing"),
    ],
)
def test_repeated_letters_and_typos(written: str, canonical: str) -> None:
    assert normalise(written) == canonical


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("jeg er lei meg 😭😭", "jeg er lei meg trist trist"),
        ("haha 😂", "haha haha"),
        ("🌸🌸 hei 🦄", "hei"),
        ("👍", "ok"),
        ("❤️", ""),
        ("se https://example.com/side?x=1 nå", "se lenke naa"),
        ("mail meg på ola@example.no", "mail meg paa epost"),
        ("ring 22 33 44 55", "ring nummer"),
        ("+47 912 34 567", "nummer"),
        ("hun er 2,5 år", "hun er 2 aar"),
        ("i 3.klasse", "i 3 klasse"),
        ("8-åring", "8 aaring"),
        ("15år", "15 aar"),
        ("4mnd", "4 mnd"),
        ("<script>alert('x')</script> hei", "alert x hei"),
        ("I'm 15", "im 15"),
        ("din e-post", "din epost"),
    ],
)
def test_emoji_links_numbers_and_markup(written: str, canonical: str) -> None:
    assert normalise(written) == canonical


@pytest.mark.parametrize(
    "written",
    ["", "   ", "\x00\x01\x02", "\u200b\u200d\ufeff", "\u202e\u202d", "🙂🙂🙂", "!!!???"],
)
def test_nothing_left_is_empty_not_an_error(written: str) -> None:
    assert normalise(written) == ""


def test_control_and_zero_width_characters_do_not_glue_or_split_words() -> None:
    assert normalise("mob\u00adbing") == "mobbing"
    assert normalise("hei\x00du") == "hei du"


def test_other_scripts_survive_for_language_detection() -> None:
    assert normalise("Привет мир") == "привет мир"
    assert normalise("مرحبا") == "مرحبا"


def test_sentences_can_be_kept_apart() -> None:
    text = "Jeg orker ikke mer. Vil dø!\n\nHjelp"
    assert normalise(text, keep_sentences=True) == "jeg orker ikke mer . vil doe . hjelp"
    assert normalise(text) == "jeg orker ikke mer vil doe hjelp"


def test_long_input_is_handled() -> None:
    assert normalise("hei " * 5000).split() == ["hei"] * 5000


def test_fold_letters_matches_normalised_spelling() -> None:
    assert fold_letters("Dø Æ Å") == "doe ae aa"


def test_no_variant_is_listed_twice() -> None:
    variants = Counter(
        fold_letters(variant)
        for table in ALL_TABLES
        for variants_text in table.values()
        for variant in variants_text.split()
    )
    assert [variant for variant, count in variants.items() if count > 1] == []


def test_no_variant_is_also_a_canonical_word() -> None:
    canonical = {fold_letters(word) for table in ALL_TABLES for word in table}
    variants = {
        fold_letters(variant)
        for table in ALL_TABLES
        for variants_text in table.values()
        for variant in variants_text.split()
    }
    assert canonical & variants == set()
