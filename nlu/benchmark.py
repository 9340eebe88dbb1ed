"""`familieveiviser nlu bench`: how fast the embedded engine starts and answers, and its memory.

Messages are generated from the training examples with the perturbations real writing has
(typos, doubled letters, ae/oe/aa spellings, capitals, emoji, two sentences run together), so
the numbers reflect varied input rather than a warm cache of identical strings.
"""

import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlu.embedded import EmbeddedEngine
from nlu.training_data import load_training_data

_EMOJI = ["🙂", "😭", "🙏", "❤️", "😂"]
_ASCII_SPELLINGS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


@dataclass(frozen=True, slots=True)
class BenchmarkResult:
    cold_train_seconds: float
    cache_load_seconds: float
    messages: int
    p50_ms: float
    p99_ms: float
    messages_per_second: float  # one at a time, as the chat calls it
    batch_messages_per_second: float  # `interpret_many`, as `route --jsonl` calls it
    peak_memory_mb: float  # the whole process (ru_maxrss)


def run_benchmark(
    data_dir: Path, cache_dir: Path | None = None, messages: int = 5_000, seed: int = 0
) -> BenchmarkResult:
    with tempfile.TemporaryDirectory() as cold_cache:
        started = time.perf_counter()
        EmbeddedEngine.load(data_dir, Path(cold_cache))
        cold = time.perf_counter() - started
        started = time.perf_counter()
        engine = EmbeddedEngine.load(data_dir, cache_dir or Path(cold_cache))
        load = time.perf_counter() - started
    texts = generate_messages(data_dir, messages, seed)
    engine.interpret_many(texts[:50])  # warm-up: first calls pay for lazy imports
    latencies = []
    for text in texts:
        started = time.perf_counter()
        engine.interpret(text)
        latencies.append(time.perf_counter() - started)
    started = time.perf_counter()
    engine.interpret_many(texts)
    batch = time.perf_counter() - started
    return BenchmarkResult(
        cold_train_seconds=round(cold, 3),
        cache_load_seconds=round(load, 3),
        messages=len(texts),
        p50_ms=round(float(np.percentile(latencies, 50)) * 1000, 3),
        p99_ms=round(float(np.percentile(latencies, 99)) * 1000, 3),
        messages_per_second=round(len(texts) / sum(latencies), 1),
        batch_messages_per_second=round(len(texts) / batch, 1),
        peak_memory_mb=round(peak_memory_mb(), 1),
    )


def peak_memory_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes vs KiB


def generate_messages(data_dir: Path, count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    texts, _ = load_training_data(data_dir).texts_and_labels()
    return [perturb(rng.choice(texts), rng, texts) for _ in range(count)]


def perturb(text: str, rng: random.Random, pool: list[str]) -> str:
    choice = rng.randrange(7)
    if choice == 0:
        return _typo(text, rng)
    if choice == 1:
        return text.translate(_ASCII_SPELLINGS)
    if choice == 2:
        return text.upper() + "!!!"
    if choice == 3:
        return f"{text} {rng.choice(_EMOJI)}{rng.choice(_EMOJI)}"
    if choice == 4:
        return f"{text}. {rng.choice(pool)}"
    if choice == 5:
        return " ".join([text] * rng.randint(3, 8))  # long messages
    return text.lower()


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 3:
        return text
    at = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:at] + text[at + 1 :]
    if kind == 1:
        return text[:at] + text[at] * 3 + text[at + 1 :]
    return text[: at - 1] + text[at] + text[at - 1] + text[at + 1 :]
