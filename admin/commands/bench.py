"""`familieveiviser bench chat`: many simulated web-chat users over HTTP on loopback.

Each simulated person gets a conversation key, then writes a greeting, a need with an age, the
answer to the bot's quick reply, thanks, another need …, pausing between messages as if reading
and typing; meanwhile their page polls for new messages as the real page does. Every
`POST /api/chat/messages` is timed (the reply latency); polls are timed apart. Non-2xx answers,
timeouts and answers without a reply count as errors. Only loopback addresses are accepted:
load tests target this machine only.
`--start-server` runs the real app (`familieveiviser serve`) in a subprocess on a fresh SQLite
database in a temporary folder, so one command makes the whole measurement.
"""

import asyncio
import contextlib
import ipaddress
import math
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import httpx
import typer

from admin.settings import get_settings

app = typer.Typer(no_args_is_help=True)

LOAD_MODEL = (
    "Load model: {n} people chat at the same time, each in their own conversation. Each one "
    "starts at a random moment within the first think time, asks for a conversation key, then "
    "sends {m} messages (greeting, a need with an age, the answer to the bot's quick reply, "
    "thanks, another need, …), waiting a random {low:.1f}-{high:.1f} s (around the think time, "
    "like a person reading the reply and typing) after each reply before the next message. "
    "{polling}"
)
POLLING = (
    "Like the real page, each one's page asks for new messages every {poll:.1f} s once the "
    "conversation has started."
)
# Written for this benchmark (not the NLU's training or evaluation sets): varied spellings,
# Nynorsk, English, typos and simple Norwegian, as on the real line.
GREETINGS = ("Hei", "hei hei!", "Hallo", "God kveld", "Hi there", "heisann", "Hei :)")
NEEDS = (
    "Sønnen min på 14 år vil ikke gå på skolen lenger, han sitter bare på rommet",
    "dattera mi er 3 år og søv nesten ikkje om natta",
    "jeg er 15 og føler meg veldig ensom, har ingen venner på skolen",
    "My daughter is 8 and gets bullied at school every day",
    "gutten min 16 år røyker hasj tror jeg, hva gjør jeg",
    "Vi er skilt og krangler hele tiden om barna (6 og 10 år), trenger hjelp",
    "jeg er 17 og har det vanskelig hjemme, mamma drikker mye",
    "min sønn 2 år snakker ikke ennå, er det normalt?",
    "eg er 13 år og er lei meg heile tida",
    "datteren min 12 år spiser nesten ingenting og trener hele tiden",
    "jeg kommer fra syria, barnet mitt 5 år har vondt i magen hver dag, hvor går jeg",
    "hun er 11 og gamer hele natta og er sliten på skolen",
)
FOLLOW_UPS = ("han er 14", "jeg er mor", "Ja", "hun er 9 år", "jeg er forelder", "15")
THANKS = ("Takk!", "tusen takk for hjelpen", "takk skal du ha", "Thanks!", "takk, det hjalp")
# Quick replies a person would tap while looking for help; «talk to a person» is left out so the
# staff queue stays empty and every message gets the bot's answer.
TAPPED_PREFIXES = ("role:", "age:", "helped:yes")
STEPS = ("need", "answer", "thanks")  # repeated after the greeting
# A person reads the bot's answer and types the next message, or taps a button: 4-12 s, mean 8 s,
# is quick for thumbs on a phone (a 15-word message alone takes ~20 s). `--think-seconds 2` is
# the stress test (five times the pace of real people); the README gives both.
THINK_SECONDS = 8.0
PAGE_POLL_SECONDS = 5.0  # the page's poll while the bot answers (data-idle-poll-ms in the page)
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
SERVER_START_SECONDS = 600.0  # a cold NLU cache trains the model first


@dataclass
class Tally:
    """What the simulated users measured, shared by all of them (one event loop)."""

    latencies: list[float] = field(default_factory=list)  # seconds, one per message sent
    poll_latencies: list[float] = field(default_factory=list)  # seconds, one per poll
    errors: Counter[str] = field(default_factory=Counter)
    sent: int = 0
    conversations: int = 0
    duration: float = 0.0


@dataclass(frozen=True)
class Plan:
    conversations: int
    messages: int
    think: float
    timeout: float
    poll: float = 0.0  # seconds between the page's polls; 0: no polling


def require_loopback(url: str) -> str:
    """The URL without a trailing slash; refuses any host that is not this machine."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host:
        raise typer.BadParameter(f"not an http(s) URL: {url}", param_hint="--url")
    if host not in LOOPBACK_NAMES:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise typer.BadParameter(
                f"{host} is not a loopback address; load tests may only target this machine",
                param_hint="--url",
            )
    return url.rstrip("/")


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (`share` 0-100) of unsorted values; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]


def next_text(step: int, last_reply: dict[str, Any] | None, rng: random.Random) -> str:
    """The simulated person's next message: greeting first, then need, answer, thanks, …"""
    if step == 0:
        return rng.choice(GREETINGS)
    kind = STEPS[(step - 1) % len(STEPS)]
    if kind == "need":
        return rng.choice(NEEDS)
    if kind == "thanks":
        return rng.choice(THANKS)
    buttons = [
        reply["payload"]
        for message in (last_reply or {}).get("replies", [])
        for reply in message.get("quick_replies", [])
        if reply["payload"].startswith(TAPPED_PREFIXES)
    ]
    return rng.choice(buttons) if buttons else rng.choice(FOLLOW_UPS)


async def send(
    client: httpx.AsyncClient, key: str, text: str, tally: Tally
) -> dict[str, Any] | None:
    """One timed message; the bot's answer, or None after counting an error."""
    tally.sent += 1
    started = time.perf_counter()
    try:
        response = await client.post(
            "/api/chat/messages",
            json={"text": text, "client_message_id": os.urandom(8).hex()},
            headers={"Authorization": f"Bearer {key}"},
        )
    except httpx.TimeoutException:
        tally.errors["timeout"] += 1
        return None
    except httpx.HTTPError as error:
        tally.errors[type(error).__name__] += 1
        return None
    tally.latencies.append(time.perf_counter() - started)
    if not response.is_success:
        tally.errors[f"http {response.status_code}"] += 1
        return None
    body: dict[str, Any] = response.json()
    if body.get("failed"):
        tally.errors["failed answer"] += 1
    elif not body.get("replies"):
        tally.errors["no reply"] += 1
    return body


async def converse(client: httpx.AsyncClient, plan: Plan, rng: random.Random, tally: Tally) -> None:
    """One simulated person's conversation from key to last message, their page polling."""
    await asyncio.sleep(rng.uniform(0, plan.think))
    try:
        response = await client.post("/api/chat/keys")
        response.raise_for_status()
        key = response.json()["key"]
    except httpx.HTTPError as error:
        tally.errors[f"key: {type(error).__name__}"] += 1
        return
    tally.conversations += 1
    seen = Seen()
    poller: asyncio.Task[None] | None = None
    try:
        for step in range(plan.messages):
            if step:
                await asyncio.sleep(rng.uniform(0.5 * plan.think, 1.5 * plan.think))
            answer = await send(client, key, next_text(step, seen.last_answer, rng), tally)
            seen.note(answer)
            if poller is None and plan.poll > 0:
                poller = asyncio.create_task(poll(client, key, plan.poll, seen, tally))
    finally:
        if poller is not None:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller


@dataclass
class Seen:
    """What one simulated page has shown: the highest message id and the last answer."""

    last_id: int = 0
    last_answer: dict[str, Any] | None = None

    def note(self, answer: dict[str, Any] | None) -> None:
        self.last_answer = answer
        for message in (answer or {}).get("replies", []) + (answer or {}).get("messages", []):
            self.last_id = max(self.last_id, message.get("id") or 0)


async def poll(client: httpx.AsyncClient, key: str, every: float, seen: Seen, tally: Tally) -> None:
    """The page's timer: GET /api/chat/messages?after=… every `every` seconds, timed."""
    while True:
        await asyncio.sleep(every)
        started = time.perf_counter()
        try:
            response = await client.get(
                "/api/chat/messages",
                params={"after": seen.last_id},
                headers={"Authorization": f"Bearer {key}"},
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            tally.errors[f"poll: {type(error).__name__}"] += 1
            continue
        tally.poll_latencies.append(time.perf_counter() - started)
        for message in response.json().get("messages", []):
            seen.last_id = max(seen.last_id, message.get("id") or 0)


async def run_load(url: str, plan: Plan, seed: int) -> Tally:
    """All conversations at once over one client whose pool holds a connection for each."""
    tally = Tally()
    limits = httpx.Limits(
        max_connections=plan.conversations, max_keepalive_connections=plan.conversations
    )
    timeout = httpx.Timeout(plan.timeout, pool=plan.timeout)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout) as client:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                converse(client, plan, random.Random(f"{seed}-{number}"), tally)
                for number in range(plan.conversations)
            )
        )
        tally.duration = time.perf_counter() - started
    return tally


def report(plan: Plan, tally: Tally) -> list[str]:
    """The printed result, one `name: value` per line."""
    errors = sum(tally.errors.values())
    detail = ", ".join(f"{kind} {count}" for kind, count in sorted(tally.errors.items()))
    rate = len(tally.latencies) / tally.duration if tally.duration else 0.0

    def ms(share: float, values: list[float] | None = None) -> str:
        found = tally.latencies if values is None else values
        return f"{percentile(found, share) * 1000:.0f} ms"

    return [
        f"conversations: {tally.conversations} of {plan.conversations}",
        f"messages: {tally.sent} ({plan.messages} per conversation)",
        f"duration: {tally.duration:.1f} s",
        f"messages per second: {rate:.1f}",
        f"latency p50: {ms(50)}",
        f"latency p95: {ms(95)}",
        f"latency p99: {ms(99)}",
        f"latency max: {ms(100)}",
        f"polls: {len(tally.poll_latencies)} (p50 {ms(50, tally.poll_latencies)}, "
        f"p95 {ms(95, tally.poll_latencies)})",
        f"errors: {errors}" + (f" ({detail})" if detail else ""),
    ]


@app.command("chat")
def chat(
    url: Annotated[str, typer.Option(help="The running server (loopback only)")] = (
        "http://127.0.0.1:8000"
    ),
    conversations: Annotated[int, typer.Option(min=1, help="People chatting at once")] = 200,
    messages: Annotated[int, typer.Option(min=1, help="Messages each person sends")] = 5,
    think_seconds: Annotated[
        float, typer.Option(min=0.0, help="Mean pause between a reply and the next message")
    ] = THINK_SECONDS,
    poll_seconds: Annotated[
        float,
        typer.Option(min=0.0, help="Seconds between the page's polls for new messages; 0: none"),
    ] = PAGE_POLL_SECONDS,
    seed: Annotated[int, typer.Option(help="Seed for texts and pauses (repeatable runs)")] = 0,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds before a reply is late")] = 30.0,
    start_server: Annotated[
        bool,
        typer.Option(
            "--start-server",
            help="Run the app in a subprocess on a free loopback port with a fresh SQLite "
            "database (migrated, demo seeded, NLU warmed up) and stop it afterwards",
        ),
    ] = False,
) -> None:
    """Drive concurrent web-chat conversations over HTTP and print throughput and latency.

    Every person: a random start within the first think time, a key, then greeting, a need
    with an age, the answer to the bot's quick reply, thanks, another need, … with a random
    pause of 0.5-1.5 x --think-seconds after each reply, and the page polling every
    --poll-seconds. Latency is measured per POST /api/chat/messages; polls are reported apart.
    Errors: non-2xx, timeouts, answers without a reply, failed polls. Exits 1 when there were
    errors.
    """
    plan = Plan(conversations, messages, think_seconds, timeout, poll_seconds)
    target = require_loopback(url)
    typer.echo(
        LOAD_MODEL.format(
            n=conversations,
            m=messages,
            low=0.5 * think_seconds,
            high=1.5 * think_seconds,
            polling=POLLING.format(poll=poll_seconds) if poll_seconds else "No polling.",
        )
    )
    if start_server:
        with started_server() as started:
            typer.echo(f"server: {started} (fresh SQLite database, demo catalogue)")
            tally = asyncio.run(run_load(started, plan, seed))
    else:
        typer.echo(f"server: {target}")
        tally = asyncio.run(run_load(target, plan, seed))
    for line in report(plan, tally):
        typer.echo(line)
    if tally.errors:
        raise typer.Exit(1)


# --- --start-server: the real app in a subprocess ------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def started_server() -> Iterator[str]:
    """`familieveiviser serve` on a free loopback port and a fresh database; its URL."""
    with tempfile.TemporaryDirectory(prefix="familieveiviser-bench-") as folder:
        port = free_port()
        env = {
            **os.environ,
            "FAMILIEVEIVISER_DATABASE_URL": f"sqlite+aiosqlite:///{folder}/bench.sqlite3",
            "FAMILIEVEIVISER_DEMO": "true",
            "FAMILIEVEIVISER_ENVIRONMENT": "development",
            "FAMILIEVEIVISER_TELEGRAM_TOKEN": "",
            # The trained NLU model is reused from the usual cache instead of trained again.
            "FAMILIEVEIVISER_CACHE_DIR": str(get_settings().cache_dir.resolve()),
        }
        command = [sys.executable, "-c", "from admin.cli import main; main()"]
        log_path = Path(folder) / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            url = f"http://127.0.0.1:{port}"
            try:
                asyncio.run(wait_until_ready(url, process))
                yield url
            except Exception:
                typer.echo(log_path.read_text(errors="replace")[-3000:], err=True)
                raise
            finally:
                stop(process)


async def wait_until_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    """Up, and one throwaway message answered, so the NLU is warm before measuring."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    async with httpx.AsyncClient(base_url=url, timeout=SERVER_START_SECONDS) as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped (exit code {process.returncode})")
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start in time")
            try:
                if (await client.get("/healthz")).is_success:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
        key = (await client.post("/api/chat/keys")).json()["key"]
        warm = await client.post(
            "/api/chat/messages",
            json={"text": "hei"},
            headers={"Authorization": f"Bearer {key}"},
        )
        warm.raise_for_status()


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl+C for uvicorn (a clean shutdown), then a kill if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
