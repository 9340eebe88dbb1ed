"""The embedded engine: classification on the real training data, honesty, and bad input."""

from pathlib import Path

import pytest

from nlu.embedded import MAX_CLASSIFIED_CHARS, EmbeddedEngine
from nlu.interpretation import CrisisLevel, Engine, Language, MetaIntent, Role
from nlu.model_store import cache_path

DATA_DIR = Path(__file__).parents[2] / "nlu" / "data"


META = {str(m) for m in MetaIntent}


def test_is_an_engine(embedded: EmbeddedEngine) -> None:
    engine: Engine = embedded
    assert engine.name == "embedded"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hei", MetaIntent.GREETING),
        ("tusen takk for hjelpa", MetaIntent.THANKS),
        ("kan jeg få snakke med et ekte menneske?", MetaIntent.HUMAN),
        ("er dette anonymt?", MetaIntent.ANONYMITY),
        ("hvor kan jeg levere hageavfall?", MetaIntent.OUT_OF_SCOPE),
        ("sønnen min blir mobbet på skolen", "bullying"),
        ("eg blir mobba av dei i klassen", "bullying"),
        ("vi har ikke råd til å betale for fotballen", "leisure-costs"),
        ("jeg tror jeg er gravid", "pregnancy"),
    ],
)
def test_classifies_clear_messages(embedded: EmbeddedEngine, text: str, intent: str) -> None:
    assert embedded.interpret(text).intent == intent


def test_topics_are_topic_intents_best_first(embedded: EmbeddedEngine) -> None:
    result = embedded.interpret("datteren min på 14 blir mobbet og vil ikke spise")
    names = [t.name for t in result.topics]
    assert names and not set(names) & META
    scores = [t.score for t in result.topics]
    assert scores == sorted(scores, reverse=True)
    assert (result.age, result.role) == (14, Role.PARENT)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "🙂🙂🙂",
        "\x00\x01\x1b[31m",
        "مرحبا كيف حالك اليوم",
        "<script>alert('x')</script>",
        "asdkjh qwpoeiu zmxncb",
        "x" * 20_000,
    ],
)
def test_bad_input_gives_unclear_not_an_exception(embedded: EmbeddedEngine, text: str) -> None:
    result = embedded.interpret(text)
    assert result.intent == MetaIntent.UNCLEAR
    assert result.text == text
    assert result.crisis.level is CrisisLevel.NONE


@pytest.mark.parametrize(
    "text", ["Привет, hei, 你好, مرحبا 🙂", "\u202ehei\u202c", "a\u0301" * 500]
)
def test_mixed_scripts_and_direction_marks_do_not_crash(
    embedded: EmbeddedEngine, text: str
) -> None:
    assert embedded.interpret(text).text == text


def test_long_input_is_classified_by_its_start_but_crisis_checked_in_full(
    embedded: EmbeddedEngine,
) -> None:
    text = "Sønnen min blir mobbet på skolen. " * 600 + "Jeg vil ikke leve lenger."
    assert len(text) > 20_000 > MAX_CLASSIFIED_CHARS
    result = embedded.interpret(text)
    assert result.crisis.level is CrisisLevel.ACUTE
    assert result.intent == "bullying"


def test_crisis_gives_a_topic_when_the_classifier_has_none(embedded: EmbeddedEngine) -> None:
    result = embedded.interpret("orker ikke mer")
    assert result.crisis.level is CrisisLevel.ACUTE
    assert result.intent not in META


def test_language_is_reported(embedded: EmbeddedEngine) -> None:
    assert embedded.interpret("Eg veit ikkje kva eg skal gjere").language is Language.NYNORSK
    assert embedded.interpret("my son is being bullied").language is Language.ENGLISH


def test_batch_equals_one_by_one(embedded: EmbeddedEngine) -> None:
    texts = ["hei", "", "sønnen min blir mobbet", "jeg vil ta livet mitt", "🙂"]
    assert embedded.interpret_many(texts) == [embedded.interpret(t) for t in texts]
    assert embedded.interpret_many([]) == []


def test_cache_is_written_and_reused(embedded: EmbeddedEngine, embedded_cache: Path) -> None:
    path = cache_path(embedded_cache, embedded.model.data_hash)
    assert path.exists()
    again = EmbeddedEngine.load(DATA_DIR, embedded_cache)
    assert again.interpret("hei") == embedded.interpret("hei")


def test_unreadable_cache_means_training_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "nlu.yml").write_text(
        "nlu:\n"
        "- intent: meta-greeting\n  examples: |\n    - hei\n    - hallo\n    - god dag\n"
        "- intent: bullying\n  examples: |\n    - blir mobbet\n    - mobbing på skolen\n"
        "    - de erter meg\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    first = EmbeddedEngine.load(data, cache)
    cache_path(cache, first.model.data_hash).write_bytes(b"not a model")
    second = EmbeddedEngine.load(data, cache)
    assert second.interpret("mobbet").intent == "bullying"
