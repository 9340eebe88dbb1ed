"""`familieveiviser bench chat`: the load test runs against the real app and reports its numbers."""

import re

import pytest
import typer
from typer.testing import CliRunner

from admin.cli import app
from admin.commands.bench import percentile, require_loopback

FIELDS = (
    "conversations",
    "messages",
    "duration",
    "messages per second",
    "latency p50",
    "latency p95",
    "latency p99",
    "latency max",
    "polls",
    "errors",
)


def _fields(output: str) -> dict[str, str]:
    pairs = (line.split(": ", 1) for line in output.splitlines() if ": " in line)
    return {name: value for name, value in pairs if name in FIELDS}


def test_bench_chat_talks_to_a_started_server_and_prints_every_number() -> None:
    command = (
        "bench chat --start-server --conversations 3 --messages 2 --think-seconds 0.4 "
        "--poll-seconds 0.1"
    )
    result = CliRunner().invoke(app, command.split())
    assert result.exit_code == 0, result.output
    printed = _fields(result.stdout)
    assert set(printed) == set(FIELDS)
    assert printed["conversations"] == "3 of 3"
    assert printed["messages"].startswith("6 ")
    assert printed["errors"] == "0"
    for name in ("latency p50", "latency p95", "latency p99", "latency max"):
        assert re.fullmatch(r"\d+ ms", printed[name]), printed[name]
    assert float(printed["messages per second"]) > 0
    polls = re.fullmatch(r"(\d+) \(p50 \d+ ms, p95 \d+ ms\)", printed["polls"])
    assert polls is not None, printed["polls"]
    assert int(polls.group(1)) > 0  # the pages polled while their people were typing


@pytest.mark.parametrize(
    "url", ["http://example.com:8000", "http://10.0.0.5", "http://0.0.0.0:8000", "ftp://[::1]/"]
)
def test_bench_refuses_any_host_but_this_machine(url: str) -> None:
    with pytest.raises(typer.BadParameter):
        require_loopback(url)


def test_bench_accepts_loopback_addresses() -> None:
    assert require_loopback("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert require_loopback("http://localhost:9") == "http://localhost:9"
    assert require_loopback("http://[::1]:8000") == "http://[::1]:8000"


def test_refused_host_is_reported_before_any_request() -> None:
    result = CliRunner().invoke(app, ["bench", "chat", "--url", "http://192.0.2.1:8000"])
    assert result.exit_code == 2
    assert "loopback" in result.output


def test_percentiles_are_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 100) == 100
    assert percentile([], 95) == 0
