"""The Rasa YAML loader: plain text and spans out, clear file:line errors for broken files."""

from pathlib import Path

import pytest

from nlu.training_data import (
    TrainingDataError,
    hash_training_files,
    load_training_data,
    parse_annotated,
)

FIXTURES = Path(__file__).parent / "fixtures"


def write(tmp_path: Path, body: str, name: str = "data.yml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_loads_intents_synonyms_lookups_and_regexes() -> None:
    data = load_training_data(FIXTURES)
    assert "bullying" in data.intents
    first = data.examples["bullying"][0]
    assert first.text == "sønnen min på 8 blir mobbet"
    assert first.entities[0].entity == "age"
    assert first.entities[0].text == "8"
    assert first.source == "tiny.yml:5"
    assert data.synonyms["mamma"] == ("mora", "mor")
    assert data.lookups["role_parent"] == ("sønnen min",)
    assert data.regexes["age_years"] == (r"\d{1,2} år",)


def test_texts_and_labels_line_up() -> None:
    texts, labels = load_training_data(FIXTURES).texts_and_labels()
    assert len(texts) == len(labels)
    assert labels[texts.index("heisann")] == "meta-greeting"


@pytest.mark.parametrize(
    ("annotated", "plain", "entity", "value", "role"),
    [
        ("gutten min på [8](age)", "gutten min på 8", "age", "8", None),
        ("en [åtteåring](age:8)", "en åtteåring", "age", "8", None),
        (
            '[jeg er 15]{"entity": "age", "role": "writer", "value": 15}',
            "jeg er 15",
            "age",
            "15",
            "writer",
        ),
    ],
)
def test_inline_annotations(
    annotated: str, plain: str, entity: str, value: str, role: str | None
) -> None:
    text, spans = parse_annotated(annotated)
    assert text == plain
    span = spans[0]
    assert (span.entity, span.value, span.role) == (entity, value, role)
    assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (
            "version: '3.1'\nnlu:\n- intent: a\n  examples: |\n    - ok\n    not a list item\n",
            6,
            "must be a `- ` list",
        ),
        ("nlu:\n- intent: a\n", 2, "has no examples"),
        ("nlu:\n- intent: a\n  exampels: |\n    - x\n", 3, "unknown key 'exampels'"),
        (
            "nlu:\n- intent: a\n  examples: |\n    - fine\n    - [broken](age\n",
            5,
            "broken entity annotation",
        ),
        ('nlu:\n- intent: a\n  examples: |\n    - [x]{"entity": }\n', 4, "not valid JSON"),
        ("nlu:\n- intent: a\n  examples: |\n    - x\n  bad indent\n", 6, "at line 5"),
        ("nlus:\n- intent: a\n", 1, "unknown top-level key 'nlus'"),
        ("nlu:\n- intent: a\n  synonym: b\n  examples: |\n    - x\n", 2, "exactly one of"),
        ("nlu:\n- intent: a\n  examples: just text\n", 3, "must be a `- ` list"),
    ],
)
def test_malformed_file_names_file_and_line(
    tmp_path: Path, body: str, line: int, words: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(TrainingDataError) as caught:
        load_training_data([path])
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}:")
    assert words in str(caught.value)


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError, match=r"no \*\.yml"):
        load_training_data(tmp_path)


def test_intent_split_over_files_is_merged(tmp_path: Path) -> None:
    write(tmp_path, "nlu:\n- intent: a\n  examples: |\n    - one\n", "1.yml")
    write(tmp_path, "nlu:\n- intent: a\n  examples: |\n    - two\n", "2.yml")
    data = load_training_data(tmp_path)
    assert [ex.text for ex in data.examples["a"]] == ["one", "two"]


def test_hash_changes_with_content_not_location(tmp_path: Path) -> None:
    one = write(tmp_path, "nlu: []\n")
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    copy = write(other_dir, "nlu: []\n")
    assert hash_training_files([one]) == hash_training_files([copy])
    copy.write_text("nlu: []\n# changed\n")
    assert hash_training_files([one]) != hash_training_files([copy])
