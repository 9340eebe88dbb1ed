"""A fake Telegram Bot API server on loopback: feeds updates, records every call, fails on demand.

The real python-telegram-bot `Application` talks to it over HTTP (`base_url`), so the tests go
through PTB's own request, parsing and polling code. It runs a small Starlette app under uvicorn
in a thread; every call is recorded with its decoded parameters. `fail(method, status)` makes the
next calls of a method answer with an HTTP error (500, or 429 with `retry_after`).
"""

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

TOKEN = "123456:TEST-token-for-the-fake-bot-api"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Familieveiviser",
    "username": "familieveiviser_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Parameters PTB sends as plain strings; every other value is JSON-encoded by PTB.
_PLAIN = {"text", "url", "secret_token", "callback_query_id", "parse_mode", "ip_address"}
_LONG_POLL_CAP = 0.5  # seconds; keeps shutting down the updater quick


@dataclass(frozen=True)
class ApiCall:
    method: str
    params: dict[str, Any]
    failed: bool = False  # answered with an injected HTTP error: the user saw nothing


@dataclass(frozen=True)
class TelegramUser:
    """A Telegram user as Telegram knows them: names, username and phone are what must not leak."""

    id: int
    first_name: str
    last_name: str = ""
    username: str = ""
    phone_number: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        data["language_code"] = "nb"
        return data

    def chat(self) -> dict[str, Any]:
        data = self.as_json()
        del data["is_bot"], data["language_code"]
        return {**data, "type": "private"}


@dataclass
class _Failure:
    status: int
    retry_after: int = 1


@dataclass
class FakeBotApi:
    """The server and what it has seen. Use `running()` to start and stop it."""

    token: str = TOKEN
    calls: list[ApiCall] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, list[_Failure]] = field(default_factory=dict)
    webhook: dict[str, Any] = field(default_factory=dict)
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next_update_id: int = 1
    _next_message_id: int = 1000

    @property
    def base_url(self) -> str:
        """What PTB's `base_url` should be: PTB appends the token and the method."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def api_root(self) -> str:
        """The server's root, the form `telegram_api_base_url` takes in the settings."""
        return f"http://127.0.0.1:{self.port}"

    # --- what tests do -------------------------------------------------------------------------

    def feed(self, update: dict[str, Any]) -> int:
        """Queue an update for `getUpdates`; returns its update_id."""
        with self._lock:
            update_id = self._next_update_id
            self._next_update_id += 1
            self.updates.append({"update_id": update_id, **update})
        return update_id

    def stamp(self, update: dict[str, Any]) -> dict[str, Any]:
        """An update with a fresh update_id, for posting to a webhook instead of polling."""
        with self._lock:
            update_id = self._next_update_id
            self._next_update_id += 1
        return {"update_id": update_id, **update}

    def fail(self, method: str, status: int, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP `status` (500, 429, 403…)."""
        with self._lock:
            self.failures.setdefault(method, []).extend(
                _Failure(status, retry_after) for _ in range(times)
            )

    def calls_to(self, method: str, *, failed: bool = False) -> list[dict[str, Any]]:
        """Parameters of the calls of `method` that succeeded (or, with `failed`, that failed)."""
        with self._lock:
            return [c.params for c in self.calls if c.method == method and c.failed is failed]

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        """The successful `sendMessage` calls to one chat, in order: what the user saw."""
        return [p for p in self.calls_to("sendMessage") if int(p["chat_id"]) == chat_id]

    async def until(
        self, condition: Callable[[], bool], seconds: float = 10.0, what: str = "condition"
    ) -> None:
        """Wait (asynchronously) until `condition()` holds; fail with `what` after `seconds`."""
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; calls: {self.calls[-10:]}")
            await asyncio.sleep(0.02)

    def wait(
        self, condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition"
    ) -> None:
        """Like `until`, for synchronous tests."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; calls: {self.calls[-10:]}")
            time.sleep(0.02)

    # --- the HTTP side -------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])]
        )

    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        params = await _params(request)
        with self._lock:
            queued = self.failures.get(method) or []
            failure = queued.pop(0) if queued else None
            self.calls.append(ApiCall(method, params, failed=failure is not None))
        if failure is not None:
            return _failure(failure)
        if method == "getUpdates":
            return _ok(await self._updates(params))
        return _ok(self._answer(method, params))

    async def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), _LONG_POLL_CAP)
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                ready = [u for u in self.updates if u["update_id"] >= offset][:limit]
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "setWebhook":
            self.webhook = {"url": params.get("url"), "secret_token": params.get("secret_token")}
            return True
        if method == "deleteWebhook":
            self.webhook = {}
            return True
        if method == "getWebhookInfo":
            url = self.webhook.get("url") or ""
            return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}
        if method in {"sendMessage", "editMessageReplyMarkup", "editMessageText"}:
            return self._message(params)
        return True

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            message_id = params.get("message_id") or self._next_message_id
            self._next_message_id += 1
        chat_id = int(params.get("chat_id") or 0)
        message: dict[str, Any] = {
            "message_id": int(message_id),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "x"},
            "from": BOT_USER,
            "text": params.get("text", ""),
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message


async def _params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        return dict(json.loads(body)) if body else {}
    form = await request.form()
    return {key: _decode(key, value) for key, value in form.items()}


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _PLAIN:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(status: int, description: str, **parameters: Any) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=status)


def _failure(failure: _Failure) -> JSONResponse:
    if failure.status == 429:
        return _error(
            429,
            f"Too Many Requests: retry after {failure.retry_after}",
            retry_after=failure.retry_after,
        )
    if failure.status == 403:
        return _error(403, "Forbidden: bot was blocked by the user")
    return _error(failure.status, "Internal Server Error")


@contextmanager
def running(fake: FakeBotApi | None = None) -> Iterator[FakeBotApi]:
    """Serve a fake Bot API on a free loopback port for the duration of the block."""
    fake = fake or FakeBotApi()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    fake.port = sock.getsockname()[1]
    config = uvicorn.Config(fake.app(), log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the fake Bot API did not start")
        time.sleep(0.01)
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
