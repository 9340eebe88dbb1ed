"""`familieveiviser route` and `familieveiviser nlu …`: the routing contract, evaluation, benchmark.

`route` prints one JSON object per message (the stable contract other tools build on); `nlu eval`
scores a labelled JSONL file; `nlu bench` measures the embedded engine.
"""

import asyncio
import json
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from admin.database import session_for
from admin.nlu_engines import TRAINING_DATA, build_nlu
from admin.schema import upgrade_database
from admin.settings import NluEngineName, Settings, get_settings
from bot.catalogue import SnapshotLookup
from bot.evaluation import LabelledSetError, read_labelled, score
from bot.routing import Route, route
from nlu.interpretation import Engine
from services_catalog.seeding import seed_demo

app = typer.Typer(no_args_is_help=True)

EngineOption = Annotated[
    NluEngineName | None,
    typer.Option("--engine", help="embedded (default) or rasa; overrides the setting"),
]
RasaUrlOption = Annotated[
    str | None, typer.Option("--rasa-url", help="Rasa server for --engine rasa")
]


def _settings(engine: NluEngineName | None, rasa_url: str | None) -> Settings:
    settings = get_settings()
    updates: dict[str, object] = {}
    if engine is not None:
        updates["nlu_engine"] = engine
    if rasa_url:
        updates["rasa_url"] = rasa_url
    return settings.model_copy(update=updates)


async def route_texts(settings: Settings, nlu: Engine, texts: list[str]) -> list[Route]:
    """Interpret all texts in one batch, then rank services for each against the catalogue."""
    await upgrade_database(settings.database_url)
    heard = await asyncio.to_thread(nlu.interpret_many, texts)
    async with session_for(settings.database_url) as session:
        if settings.demo:
            await seed_demo(session)
        lookup = await SnapshotLookup.load(
            session, at=datetime.now(UTC), municipality=settings.municipality, limit=5
        )
    return [await route(one, lookup) for one in heard]


def _read_jsonl_texts(path: Path) -> Iterator[str]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield str(json.loads(line)["text"])
        except (ValueError, KeyError, TypeError) as error:
            raise typer.BadParameter(
                f'{path}:{number}: expected {{"text": ...}} ({error})'
            ) from error


def route_command(
    text: Annotated[str | None, typer.Argument(help="One message to route")] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option("--jsonl", exists=True, dir_okay=False, help='Lines of {"text": ...}'),
    ] = None,
    engine: EngineOption = None,
    rasa_url: RasaUrlOption = None,
) -> None:
    """Route TEXT (or every line of --jsonl FILE) and print one JSON object per message."""
    if (text is None) == (jsonl is None):
        typer.echo("Give either TEXT or --jsonl FILE.", err=True)
        raise typer.Exit(2)
    texts = [text] if text is not None else list(_read_jsonl_texts(jsonl))  # type: ignore[arg-type]
    settings = _settings(engine, rasa_url)
    routes = asyncio.run(route_texts(settings, build_nlu(settings), texts))
    for one in routes:
        sys.stdout.write(json.dumps(one.to_json(), ensure_ascii=False) + "\n")


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    engine: EngineOption = None,
    rasa_url: RasaUrlOption = None,
) -> None:
    """Score routing on a labelled JSONL file: top-1/top-3, meta, crisis recall, false acute."""
    try:
        items = read_labelled(file)
    except LabelledSetError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    settings = _settings(engine, rasa_url)
    started = time.perf_counter()
    nlu = build_nlu(settings)
    routes = asyncio.run(route_texts(settings, nlu, [item.text for item in items]))
    elapsed = time.perf_counter() - started
    for line in score(items, routes).lines(nlu.name):
        typer.echo(line)
    typer.echo(f"time              {elapsed:.1f} s for {len(items)} messages, start-up included")


@app.command("bench")
def bench(
    messages: Annotated[int, typer.Option(help="How many messages to time")] = 5000,
) -> None:
    """Embedded engine: train/load time, latency p50/p99, messages per second, peak memory."""
    from nlu.benchmark import run_benchmark  # imported here: the benchmark pulls in its data

    settings = get_settings()
    result = run_benchmark(TRAINING_DATA, settings.cache_dir, messages=messages)
    typer.echo(f"cold training      {result.cold_train_seconds:8.2f} s")
    typer.echo(f"load from cache    {result.cache_load_seconds:8.2f} s")
    typer.echo(f"messages           {result.messages:8d}")
    typer.echo(f"latency p50        {result.p50_ms:8.2f} ms")
    typer.echo(f"latency p99        {result.p99_ms:8.2f} ms")
    typer.echo(f"messages/second    {result.messages_per_second:8.0f}  (one at a time)")
    typer.echo(f"messages/second    {result.batch_messages_per_second:8.0f}  (batched)")
    typer.echo(f"peak memory        {result.peak_memory_mb:8.0f} MB  (whole process)")
