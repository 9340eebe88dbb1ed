"""The Rasa Open Source server as a separate program: its environment, its training, its process.

Rasa 3.6 needs Python < 3.11, TensorFlow 2.12, SQLAlchemy 1.4 and pydantic 1, none of which can live
in our environment. So it gets its own virtual environment outside the repository, keyed by the Rasa
version and the constraints file, and we only ever talk to it through subprocesses and HTTP.
Everything here takes paths and options as arguments; the CLI decides where things live.
"""

import contextlib
import fcntl
import hashlib
import ipaddress
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import yaml

from nlu.training_data import find_training_files, hash_training_files

RASA_VERSION = "3.6.21"
PROJECT_DIR = Path(__file__).parent / "rasa"
CONFIG_PATH = PROJECT_DIR / "config.yml"
CONSTRAINTS_PATH = PROJECT_DIR / "constraints.txt"

Progress = Callable[[str], None]

# Quiet, offline-friendly, and never writes Rasa's cache into whatever directory we were started in.
_RASA_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONWARNINGS": "ignore",
    "PYTHONUNBUFFERED": "1",  # so training progress reaches the log while it happens
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


class RasaEnvironmentError(RuntimeError):
    """The Rasa environment could not be created, or Rasa failed to train or start."""


def _ignore(_: str) -> None:
    return None


def ensure_environment(
    env_dir: Path, python: str = "python3.10", progress: Progress = _ignore
) -> Path:
    """Create (once) the virtual environment with Rasa installed; return its `rasa` executable."""
    env_dir.mkdir(parents=True, exist_ok=True)
    venv = env_dir / "venv"
    rasa = venv / "bin" / "rasa"
    wanted = {"rasa": RASA_VERSION, "constraints": _file_hash(CONSTRAINTS_PATH)}
    marker = env_dir / "installed.json"
    with _locked(env_dir / ".lock"):
        if rasa.exists() and _read_json(marker) == wanted:
            return rasa
        interpreter = find_python(python)
        progress(f"Creating the Rasa environment in {venv} with {interpreter}")
        marker.unlink(missing_ok=True)
        if venv.exists():
            shutil.rmtree(venv)
        log = env_dir / "install.log"
        _run_logged([interpreter, "-m", "venv", str(venv)], log, "create the virtual environment")
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-input"]
        progress(f"Installing rasa=={RASA_VERSION} (several minutes; log: {log})")
        _run_logged([*pip, "-c", str(CONSTRAINTS_PATH), f"rasa=={RASA_VERSION}"], log, "install")
        marker.write_text(json.dumps(wanted))
        progress("Rasa environment ready")
        return rasa


def find_python(python: str) -> str:
    """The interpreter to build the environment with; pyenv's shim may hide an installed 3.10."""
    candidates = [
        python,
        *sorted(map(str, Path.home().glob(".pyenv/versions/3.10*/bin/python3.10"))),
    ]
    for candidate in candidates:
        path = shutil.which(candidate)
        if path and _runs_python_310(path):
            return path
    raise RasaEnvironmentError(
        f"Rasa {RASA_VERSION} needs Python 3.10, and neither {python!r} nor pyenv provides it"
    )


def train(env_dir: Path, data_dir: Path, config: Path, out_dir: Path) -> Path:
    """Train an NLU model from `data_dir` unless one for the same data and config already exists."""
    files = find_training_files(data_dir)
    if not files:
        raise RasaEnvironmentError(f"No training data (*.yml) in {data_dir}")
    key = f"{RASA_VERSION}\0{_config_hash(config)}\0{hash_training_files(files)}"
    name = f"nlu-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    model = out_dir / f"{name}.tar.gz"
    out_dir.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir / ".lock"):
        if not model.exists():
            _train_model(env_dir, files, config, out_dir, name)
    return model


def _train_model(env_dir: Path, files: list[Path], config: Path, out_dir: Path, name: str) -> None:
    # Exactly the files the embedded engine reads: subfolders such as nlu/data/crisis/ hold other
    # YAML that Rasa would try, and fail, to read as training data.
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=f"{name}-data-") as staged:
        for file in files:
            shutil.copyfile(file, Path(staged) / file.name)
        _run_rasa_train(env_dir, Path(staged), config, out_dir, name)
    if not (out_dir / f"{name}.tar.gz").exists():
        raise RasaEnvironmentError(f"Rasa finished training but wrote no {name}.tar.gz")


def _run_rasa_train(env_dir: Path, data_dir: Path, config: Path, out_dir: Path, name: str) -> None:
    command = [
        str(env_dir / "venv" / "bin" / "rasa"),
        "train",
        "nlu",
        "--nlu",
        str(data_dir.resolve()),
        "--config",
        str(config.resolve()),
        "--out",
        str(out_dir.resolve()),
        "--fixed-model-name",
        name,
    ]
    _run_logged(command, out_dir / f"{name}.log", "train", cwd=env_dir)


def serve_command(
    env_dir: Path, model: Path, host: str = "127.0.0.1", port: int = 5005
) -> list[str]:
    """The `rasa run` command line that serves `POST /model/parse` on a loopback address."""
    if not _is_loopback(host):
        raise ValueError(f"Rasa is only served on loopback, not on {host!r}")
    rasa = env_dir / "venv" / "bin" / "rasa"
    return [
        str(rasa),
        "run",
        "--enable-api",
        "-m",
        str(model.resolve()),
        "-p",
        str(port),
        "-i",
        host,
    ]


def serve(env_dir: Path, model: Path, host: str = "127.0.0.1", port: int = 5005) -> int:
    """Run the server in the foreground until it stops or is interrupted; return its exit code."""
    command = serve_command(env_dir, model, host, port)
    process = subprocess.Popen(command, cwd=env_dir, env=_subprocess_env())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        return process.wait()


@contextlib.contextmanager
def running_server(
    env_dir: Path,
    model: Path,
    host: str = "127.0.0.1",
    port: int = 5005,
    timeout: float = 300.0,
) -> Iterator[str]:
    """Start the server as a subprocess, yield its base URL once the model is loaded, stop it."""
    command = serve_command(env_dir, model, host, port)
    log_path = env_dir / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=env_dir,
            env=_subprocess_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://{host}:{port}"
    try:
        _wait_until_ready(process, url, timeout, log_path)
        yield url
    finally:
        _stop(process)


def _wait_until_ready(
    process: subprocess.Popen[bytes], url: str, timeout: float, log_path: Path
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RasaEnvironmentError(
                f"Rasa server exited with {process.returncode} before it was ready:\n"
                + _tail(log_path)
            )
        with contextlib.suppress(httpx.HTTPError):
            # /status answers only once the model is loaded, unlike / which answers at once.
            if httpx.get(f"{url}/status", timeout=2.0).status_code == 200:
                return
        time.sleep(0.5)
    _stop(process)
    raise RasaEnvironmentError(f"Rasa server not ready after {timeout:.0f} s:\n" + _tail(log_path))


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    # The server was started in its own session, so its process group holds only its children.
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _run_logged(command: list[str], log_path: Path, what: str, cwd: Path | None = None) -> None:
    with log_path.open("ab") as log:
        log.write(f"\n$ {' '.join(command)}\n".encode())
        log.flush()
        result = subprocess.run(
            command, cwd=cwd, env=_subprocess_env(), stdout=log, stderr=subprocess.STDOUT
        )
    if result.returncode != 0:
        raise RasaEnvironmentError(
            f"Could not {what} (exit {result.returncode}); end of {log_path}:\n" + _tail(log_path)
        )


def _subprocess_env() -> dict[str, str]:
    return {**os.environ, **_RASA_ENV}


def _runs_python_310(path: str) -> bool:
    probe = "import sys; print(sys.version_info[:2] == (3, 10))"
    try:
        result = subprocess.run([path, "-c", probe], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and result.stdout.strip() == "True"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Serialise installs: a test session and a CLI call must not build the same venv at once."""
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _config_hash(path: Path) -> str:
    """Hash of the parsed config, so editing a comment does not force a retrain."""
    parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
    return hashlib.sha256(json.dumps(parsed, sort_keys=True).encode()).hexdigest()


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
