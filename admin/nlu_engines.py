"""Which NLU engine this deployment runs: the embedded default or a Rasa server over HTTP."""

from pathlib import Path

import nlu
from admin.settings import NluEngineName, Settings
from nlu.embedded import EmbeddedEngine
from nlu.interpretation import Engine
from nlu.rasa_engine import RasaEngine

TRAINING_DATA = Path(nlu.__file__).parent / "data"


def build_nlu(settings: Settings) -> Engine:
    """The configured engine; the embedded one trains from nlu/data or loads its cached model."""
    if settings.nlu_engine is NluEngineName.RASA:
        return RasaEngine(settings.rasa_url)
    return EmbeddedEngine.load(TRAINING_DATA, settings.cache_dir)
