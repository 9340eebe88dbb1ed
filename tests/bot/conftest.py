"""Real parts for the conversation tests: one trained embedded NLU per test session."""

from pathlib import Path

import pytest

from nlu.embedded import EmbeddedEngine

DATA_DIR = Path(__file__).parents[2] / "nlu" / "data"


@pytest.fixture(scope="session")
def embedded_nlu(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedEngine:
    return EmbeddedEngine.load(DATA_DIR, tmp_path_factory.mktemp("nlu-cache"))
