"""The trained classifier on disk: one file per training-data hash and code version.

A cache only: a missing, stale or unreadable file means "train again", never an error. Files are
written to a temporary name and renamed, so two processes starting at once cannot read half a
file.
"""

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import joblib
import sklearn
from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)

# Bump when features, normalisation or the model change in a way old files would not reflect.
MODEL_VERSION = "1"


@dataclass(frozen=True)
class TrainedModel:
    pipeline: Pipeline
    temperature: float
    data_hash: str


def cache_path(cache_dir: Path, data_hash: str) -> Path:
    return cache_dir / f"embedded-{data_hash[:20]}-v{MODEL_VERSION}-sk{sklearn.__version__}.joblib"


def read_cached(cache_dir: Path, data_hash: str) -> TrainedModel | None:
    model = read_artifact(cache_path(cache_dir, data_hash))
    if not isinstance(model, TrainedModel) or model.data_hash != data_hash:
        return None
    return model


def write_cached(cache_dir: Path, model: TrainedModel) -> None:
    write_artifact(cache_path(cache_dir, model.data_hash), model)


def read_artifact(path: Path) -> object | None:
    """Whatever was cached at `path`, or None when it is missing or unreadable."""
    if not path.exists():
        return None
    try:
        return joblib.load(path)
    except Exception:  # any unreadable cache file is just a cache miss
        log.warning("ignoring unreadable NLU model cache %s", path.name)
        return None


def write_artifact(path: Path, artifact: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    try:
        joblib.dump(artifact, temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
