"""The contract between the composition root and the channels: what a channel is given to run.

The admin app's lifespan builds one `ChannelContext` and stores it on `app.state.channel_context`;
a channel's routes read it from there. `deps` carries what `bot.inbound.handle_message` needs
(NLU engine, catalogue lookup from `bot.catalogue.cached_catalogue_lookups`, duty status, the server
secret, a clock). That keeps `bot` free of settings and of any import of `admin`.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.inbound import InboundDeps
from nlu.interpretation import Engine, Interpretation

log = logging.getLogger(__name__)


@dataclass
class ChannelContext:
    """Everything a channel needs; built once per process by the composition root."""

    sessions: async_sessionmaker[AsyncSession]
    deps: InboundDeps


class LazyEngine:
    """An NLU engine built on first use (or by `warm_up`), so starting the app stays fast.

    Tests and tools that never send a message never pay for training the embedded model.
    """

    name = "lazy"

    def __init__(self, build: Callable[[], Engine]) -> None:
        self._build = build
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = self._build()
            return self._engine

    def prepare(self) -> None:
        """Build now, in the background at start-up; a failure is logged and retried on use."""
        try:
            self.warm_up()
        except Exception as error:
            log.error("building the NLU engine failed: %s: %s", type(error).__name__, error)

    def interpret(self, text: str) -> Interpretation:
        return (self._engine or self.warm_up()).interpret(text)

    def interpret_many(self, texts: list[str]) -> list[Interpretation]:
        return (self._engine or self.warm_up()).interpret_many(texts)
