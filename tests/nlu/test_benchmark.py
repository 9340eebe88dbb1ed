"""The benchmark runs end to end and reports plausible numbers (no timing assertions)."""

import random
from pathlib import Path

from nlu.benchmark import generate_messages, perturb, run_benchmark

FIXTURES = Path(__file__).parent / "fixtures"


def test_benchmark_reports_every_number(tmp_path: Path) -> None:
    result = run_benchmark(FIXTURES, tmp_path, messages=40)
    assert result.messages == 40
    assert 0 < result.p50_ms <= result.p99_ms
    assert result.cold_train_seconds > 0 and result.cache_load_seconds > 0
    assert result.messages_per_second > 0 and result.batch_messages_per_second > 0
    assert result.peak_memory_mb > 10


def test_generated_messages_vary() -> None:
    messages = generate_messages(FIXTURES, 200)
    assert len(messages) == 200
    assert len(set(messages)) > 20


def test_perturb_never_fails_on_short_text() -> None:
    rng = random.Random(1)
    for text in ["", "a", "hei"]:
        for _ in range(20):
            assert isinstance(perturb(text, rng, ["hei"]), str)
