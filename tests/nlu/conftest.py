"""One trained embedded engine per test session (training takes a few seconds)."""

from pathlib import Path

import pytest

from nlu.embedded import EmbeddedEngine

DATA_DIR = Path(__file__).parents[2] / "nlu" / "data"


@pytest.fixture(scope="session")
def embedded_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nlu-cache")


@pytest.fixture(scope="session")
def embedded(embedded_cache: Path) -> EmbeddedEngine:
    return EmbeddedEngine.load(DATA_DIR, embedded_cache)
