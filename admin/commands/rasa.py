"""`familieveiviser rasa train|serve`: the optional Rasa engine, in its own environment.

The environment (Python 3.10, Rasa 3.6.21) is built once under the env dir, outside the repository;
models are cached there by the hash of the training data and config.
"""

from pathlib import Path

import typer

import nlu
from nlu import rasa_server
from nlu.rasa_server import RasaEnvironmentError

DEFAULT_ENV_DIR = Path.home() / ".cache" / "familieveiviser" / f"rasa-{rasa_server.RASA_VERSION}"
DEFAULT_DATA_DIR = Path(nlu.__file__).parent / "data"

app = typer.Typer(
    help="Rasa Open Source as an optional NLU engine (its own Python 3.10 environment).",
    no_args_is_help=True,
)

ENV_DIR = typer.Option(DEFAULT_ENV_DIR, "--env-dir", help="Where the Rasa venv and models live")
DATA_DIR = typer.Option(DEFAULT_DATA_DIR, "--data-dir", help="Rasa NLU training data (*.yml)")
PYTHON = typer.Option("python3.10", "--python", help="Python 3.10 interpreter for the venv")


@app.command()
def train(env_dir: Path = ENV_DIR, data_dir: Path = DATA_DIR, python: str = PYTHON) -> None:
    """Create the Rasa environment if needed and train an NLU model (cached by data hash)."""
    model = _prepare(env_dir, data_dir, python)
    typer.echo(str(model))


@app.command()
def serve(
    env_dir: Path = ENV_DIR,
    data_dir: Path = DATA_DIR,
    python: str = PYTHON,
    port: int = typer.Option(5005, "--port", help="Loopback port for POST /model/parse"),
) -> None:
    """Train if needed, then serve the model on 127.0.0.1 until interrupted."""
    model = _prepare(env_dir, data_dir, python)
    typer.echo(f"Serving {model.name} on http://127.0.0.1:{port} (Ctrl+C stops it)", err=True)
    code = rasa_server.serve(env_dir, model, port=port)
    if code not in (0, -2, 130):
        typer.echo(f"Rasa server exited with {code}", err=True)
        raise typer.Exit(1)


def _prepare(env_dir: Path, data_dir: Path, python: str) -> Path:
    def progress(message: str) -> None:
        typer.echo(message, err=True)

    try:
        rasa_server.ensure_environment(env_dir, python=python, progress=progress)
        progress(f"Training from {data_dir} unless cached (log: {env_dir / 'models'}/*.log) …")
        return rasa_server.train(env_dir, data_dir, rasa_server.CONFIG_PATH, env_dir / "models")
    except RasaEnvironmentError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from error
