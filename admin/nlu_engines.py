"""Which NLU engine this deployment runs: the embedded default or a Rasa server over HTTP."""

from pathlib import Path

import nlu
from admin.settings import NluEngineName, Settings
from nlu.crisis_model import load_crisis_model
from nlu.embedded import EmbeddedEngine
from nlu.interpretation import Engine
from nlu.rasa_engine import RasaEngine

TRAINING_DATA = Path(nlu.__file__).parent / "data"


def build_nlu(settings: Settings) -> Engine:
    """The configured engine; the embedded one trains from nlu/data or loads its cached model."""
    if settings.nlu_engine is NluEngineName.RASA:
        # Crisis detection stays ours whatever classifies the topic: rules plus the cached model.
        return RasaEngine(
            settings.rasa_url, crisis_model=load_crisis_model(cache_dir=settings.cache_dir)
        )
    return EmbeddedEngine.load(TRAINING_DATA, settings.cache_dir)
