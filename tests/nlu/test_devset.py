"""Checks on the development test set in nlu/eval/dev.jsonl.

The set is only worth its numbers if it is well formed, covers the whole catalogue and every
meta intent, carries enough crisis and tricky messages, and shares no sentence with the
training data it is meant to measure.
"""

import json
import re
import string
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from nlu.interpretation import CrisisLevel, MetaIntent

ROOT = Path(__file__).resolve().parents[2]
DEV_SET = ROOT / "nlu" / "eval" / "dev.jsonl"
TRAINING_DIR = ROOT / "nlu" / "data"
CATALOGUE = ROOT / "services_catalog" / "data" / "eksempel-kommune.yml"

# The demo catalogue's services as the project brief lists them.
SERVICE_SLUGS = frozenset(
    {
        "helsestasjon",
        "skolehelsetjenesten",
        "helsestasjon-for-ungdom",
        "ppt",
        "barnevern",
        "familieveiledning",
        "psykisk-helse-barn-unge",
        "fritidsstipend",
        "fritid-og-moteplasser",
        "nav-sosialhjelp",
        "rus-og-avhengighet",
        "slt-forebygging",
        "koordinerende-enhet",
        "legevakt",
        "fastlege",
        "familievern",
        "skole-og-mobbing",
        "alarmtelefonen",
        "mental-helse-hjelpetelefon",
        "kors-paa-halsen",
        "nodnummer",
        "overgrep-og-vold",
        "ung-no",
    }
)
META_INTENTS = frozenset(intent.value for intent in MetaIntent)
EMERGENCY_LINES = frozenset({"nodnummer", "alarmtelefonen", "mental-helse-hjelpetelefon"})

MIN_TOTAL = 300
MIN_ACUTE = 35
MIN_CONCERN = 35
MIN_TRICKY = 20
MIN_PER_META = 8
MIN_PER_SLUG = 3

# Words that look like danger; a calm message containing one is a "tricky" negative.
DANGER_WORD = re.compile(
    r"\b(død\w*|dør|drep\w*|slår|slå|mareritt|skyt\w*|selvmord\w*|kutt\w*|brenn\w*|"
    r"kvel(?:e|er|te)|livet|forsvinn\w*|blø\w*|krig|knus\w*|die|dying|kill\w*|sprekk\w*|skår\w*)",
    re.IGNORECASE,
)
ENTITY_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")


def load_dev_rows() -> list[dict[str, Any]]:
    """Every line of the dev set as a dict (a line that is not JSON fails here, naming it)."""
    rows = []
    for number, line in enumerate(DEV_SET.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as error:
            pytest.fail(f"{DEV_SET.name} line {number} is not JSON: {error}")
    return rows


def normalise(text: str) -> str:
    """Casefold, drop punctuation and collapse whitespace, so trivial variants still match."""
    kept = "".join(
        " " if unicodedata.category(char).startswith("P") or char in string.punctuation else char
        for char in text.casefold()
    )
    return " ".join(kept.split())


def strip_annotations(example: str) -> str:
    """`[15 år]{"entity": "age"}` and `[mor](role)` become their plain text."""
    return ENTITY_ANNOTATION.sub(r"\1", example)


def read_training_examples(path: Path) -> list[str]:
    """The example sentences of one Rasa 3 NLU file (intents, synonyms, lookups; not regexes)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: list[str] = []
    for item in document.get("nlu") or []:
        if not isinstance(item, dict) or "regex" in item:
            continue
        block = item.get("examples")
        if isinstance(block, str):
            lines = [line.strip() for line in block.splitlines()]
            examples += [line[2:] for line in lines if line.startswith("- ")]
        elif isinstance(block, list):
            examples += [entry["text"] for entry in block if isinstance(entry, dict)]
    return [strip_annotations(example) for example in examples]


def read_catalogue_slugs(document: Any) -> set[str]:
    """The service slugs in the catalogue file: `services: [{slug: ...}]` or any `slug` key."""
    if isinstance(document, dict) and isinstance(document.get("services"), list):
        return {str(entry["slug"]) for entry in document["services"] if "slug" in entry}
    found: set[str] = set()
    if isinstance(document, dict):
        if isinstance(document.get("slug"), str):
            found.add(document["slug"])
        for value in document.values():
            found |= read_catalogue_slugs(value)
    elif isinstance(document, list):
        for value in document:
            found |= read_catalogue_slugs(value)
    return found


def test_every_line_has_text_expected_answers_and_a_crisis_level() -> None:
    for row in load_dev_rows():
        assert set(row) == {"text", "expected", "crisis"}, row
        assert isinstance(row["text"], str) and row["text"].strip(), row
        assert isinstance(row["expected"], list) and row["expected"], row
        assert all(isinstance(answer, str) for answer in row["expected"]), row
        assert len(set(row["expected"])) == len(row["expected"]), f"duplicate answer: {row}"
        assert row["crisis"] in {level.value for level in CrisisLevel}, row


def test_no_message_appears_twice() -> None:
    counts = Counter(normalise(row["text"]) for row in load_dev_rows())
    assert [text for text, count in counts.items() if count > 1] == []


def test_expected_answers_are_known_services_or_meta_intents() -> None:
    allowed = SERVICE_SLUGS | META_INTENTS
    unknown = {a for row in load_dev_rows() for a in row["expected"] if a not in allowed}
    assert unknown == set()


def test_expected_services_exist_in_the_demo_catalogue() -> None:
    if not CATALOGUE.exists():
        pytest.skip(f"{CATALOGUE.relative_to(ROOT)} is not written yet")
    catalogue_slugs = read_catalogue_slugs(yaml.safe_load(CATALOGUE.read_text(encoding="utf-8")))
    assert catalogue_slugs, f"found no service slugs in {CATALOGUE.name}"
    expected = {a for row in load_dev_rows() for a in row["expected"] if a not in META_INTENTS}
    assert expected - catalogue_slugs == set()


def test_meta_answers_stand_alone() -> None:
    """A meta message has exactly one right answer, and it is never mixed with services."""
    for row in load_dev_rows():
        if set(row["expected"]) & META_INTENTS:
            assert len(row["expected"]) == 1, row
            assert row["crisis"] == CrisisLevel.NONE, row


def test_acute_messages_put_an_emergency_line_first() -> None:
    for row in load_dev_rows():
        if row["crisis"] == CrisisLevel.ACUTE:
            assert row["expected"][0] in EMERGENCY_LINES, row


def test_every_service_is_the_first_answer_several_times() -> None:
    firsts = Counter(row["expected"][0] for row in load_dev_rows())
    thin = {slug: firsts[slug] for slug in SERVICE_SLUGS if firsts[slug] < MIN_PER_SLUG}
    assert thin == {}


def test_every_meta_intent_is_covered() -> None:
    firsts = Counter(row["expected"][0] for row in load_dev_rows())
    thin = {intent: firsts[intent] for intent in META_INTENTS if firsts[intent] < MIN_PER_META}
    assert thin == {}


def test_size_and_crisis_mix_meet_the_minimums() -> None:
    rows = load_dev_rows()
    levels = Counter(row["crisis"] for row in rows)
    tricky = [r for r in rows if r["crisis"] == "none" and DANGER_WORD.search(r["text"])]
    assert len(rows) >= MIN_TOTAL
    assert levels[CrisisLevel.ACUTE] >= MIN_ACUTE
    assert levels[CrisisLevel.CONCERN] >= MIN_CONCERN
    assert len(tricky) >= MIN_TRICKY


def test_normalise_ignores_case_punctuation_and_spacing() -> None:
    assert normalise("Hei,  jeg er 15 år!!") == normalise("hei jeg er 15 år")
    assert strip_annotations('jeg er [15 år]{"entity": "age"} og [mor](role)') == (
        "jeg er 15 år og mor"
    )


def test_no_dev_message_is_a_training_example() -> None:
    files = sorted(TRAINING_DIR.glob("*.yml")) + sorted(TRAINING_DIR.glob("*.yaml"))
    if not files:
        pytest.skip(f"no training data in {TRAINING_DIR.relative_to(ROOT)} yet")
    training = {normalise(example) for path in files for example in read_training_examples(path)}
    shared = [row["text"] for row in load_dev_rows() if normalise(row["text"]) in training]
    assert shared == [], "dev messages that also occur in the training data"
