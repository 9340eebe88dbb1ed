"""The command-line contract of `familieveiviser route` and `nlu eval` that other tools build on."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from admin.cli import app
from admin.settings import get_settings

KEYS = {"text", "language", "intent", "confidence", "topics", "entities", "crisis", "services"}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("FAMILIEVEIVISER_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/r.sqlite3")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _objects(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_route_prints_one_json_object_with_the_contract(cli: CliRunner) -> None:
    result = cli.invoke(app, ["route", "sønnen min på 2 år sover så dårlig om natta"])
    assert result.exit_code == 0, result.output
    [routed] = _objects(result.stdout)
    assert set(routed) == KEYS
    assert routed["language"] in {"nb", "nn", "en", "other"}
    assert routed["crisis"] in {"none", "concern", "acute"}
    assert isinstance(routed["confidence"], float)
    assert routed["entities"] == {"age": 2, "role": "parent"}
    assert routed["services"][0] == "helsestasjon"
    assert all(set(topic) == {"name", "score"} for topic in routed["topics"])


def test_route_puts_the_emergency_line_first_for_an_acute_message(cli: CliRunner) -> None:
    result = cli.invoke(app, ["route", "jeg har tatt alle pillene i skapet og vil dø"])
    [routed] = _objects(result.stdout)
    assert routed["crisis"] == "acute"
    assert routed["services"][0] == "nodnummer"


def test_route_jsonl_keeps_the_order_of_the_input(cli: CliRunner, tmp_path: Path) -> None:
    texts = ["hei", "datteren min på 14 sover dårlig", "hvem henter søppelet?", ""]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    result = cli.invoke(app, ["route", "--jsonl", str(source)])
    assert result.exit_code == 0, result.output
    routed = _objects(result.stdout)
    assert [r["text"] for r in routed] == texts
    assert routed[1]["services"][0] == "skolehelsetjenesten"
    assert routed[2]["intent"] == "out-of-scope" and routed[2]["services"] == []


def test_route_jsonl_names_the_bad_line(cli: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"text": "hei"}\n{"tekst": 1}\n', encoding="utf-8")
    result = cli.invoke(app, ["route", "--jsonl", str(source)])
    assert result.exit_code != 0
    assert "bad.jsonl:2" in result.output


def test_nlu_eval_prints_every_metric(cli: CliRunner, tmp_path: Path) -> None:
    labelled = tmp_path / "set.jsonl"
    rows = [
        {"text": "hei hei", "expected": ["meta-greeting"], "crisis": "none"},
        {"text": "baby på 3 mnd vil ikke spise", "expected": ["helsestasjon"], "crisis": "none"},
        {"text": "skal ta livet mitt i natt", "expected": ["nodnummer"], "crisis": "acute"},
        {"text": "jeg døde av latter i timen", "expected": ["meta-unclear"], "crisis": "none"},
    ]
    labelled.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = cli.invoke(app, ["nlu", "eval", str(labelled)])
    assert result.exit_code == 0, result.output
    for metric in (
        "top-1 accuracy",
        "top-3 accuracy",
        "meta accuracy",
        "acute recall",
        "any-risk recall",
        "false-acute rate",
        "most common confusions",
    ):
        assert metric in result.stdout
    assert "acute recall      1.000" in result.stdout
    assert "false-acute rate  0.000" in result.stdout
