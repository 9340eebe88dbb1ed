"""Per-process protection for the web chat: rate limits, one message at a time per key, and
remembering answers to repeated sends (double clicks, retries).

Kept in memory on purpose: nothing here is worth a database row, and the app runs as one
process (see README). Keys are the HMAC user keys, never the browser's key; client addresses are
used only as dictionary keys for failed samtalekode attempts and never stored or logged.
"""

import asyncio
import time
import weakref
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.channels.webchat_schemas import SendResult

MESSAGES_PER_WINDOW = 20
WINDOW_SECONDS = 10.0
CODE_FAILURES_PER_WINDOW = 10
CODE_WINDOW_SECONDS = 600.0
REMEMBERED_SENDS = 5000
REMEMBER_SECONDS = 600.0


@dataclass
class SlidingWindow:
    """At most `limit` events per `seconds` for each key."""

    limit: int
    seconds: float
    clock: Callable[[], float] = time.monotonic
    _events: dict[str, deque[float]] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        """Count one event for `key`; False (and not counted) when over the limit."""
        now = self.clock()
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.seconds:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        self._forget_idle(now)
        return True

    def blocked(self, key: str) -> bool:
        """Over the limit now, without counting anything."""
        now = self.clock()
        events = self._events.get(key, ())
        return sum(1 for t in events if t > now - self.seconds) >= self.limit

    def _forget_idle(self, now: float) -> None:
        if len(self._events) < 10_000:
            return
        for key in [k for k, v in self._events.items() if not v or v[-1] <= now - self.seconds]:
            del self._events[key]


# Every request interleaved with every other made each database round trip wait behind all the
# others' work, so transactions held SQLite's one connection longer the busier it got, until
# replies took seconds (200 users: p95 8 s). Two at a time, the rest queued: p95 0.3-0.9 s at the
# same load. 1, 2 and 4 measured alike; 2 lets one request's NLU run beside another's queries.
WORKING_AT_ONCE = 2


@dataclass
class WebchatGuard:
    """One per app: shared by every web chat request of the process."""

    messages: SlidingWindow = field(
        default_factory=lambda: SlidingWindow(MESSAGES_PER_WINDOW, WINDOW_SECONDS)
    )
    code_failures: SlidingWindow = field(
        default_factory=lambda: SlidingWindow(CODE_FAILURES_PER_WINDOW, CODE_WINDOW_SECONDS)
    )
    clock: Callable[[], float] = time.monotonic
    _locks: "weakref.WeakValueDictionary[str, asyncio.Lock]" = field(
        default_factory=weakref.WeakValueDictionary
    )
    _sent: "OrderedDict[tuple[str, str], tuple[float, SendResult]]" = field(
        default_factory=OrderedDict
    )
    # Admission: how many chat requests do their work at once; the others wait their turn.
    working: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(WORKING_AT_ONCE))

    def lock_for(self, user_key: str) -> asyncio.Lock:
        """One lock per user key: a user's messages are handled one at a time, in order."""
        lock = self._locks.get(user_key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_key] = lock
        return lock

    def answered(self, user_key: str, client_id: str | None) -> SendResult | None:
        if not client_id:
            return None
        remembered = self._sent.get((user_key, client_id))
        if remembered is None or remembered[0] < self.clock() - REMEMBER_SECONDS:
            return None
        return remembered[1]

    def remember(self, user_key: str, client_id: str | None, result: SendResult) -> None:
        if not client_id:
            return
        self._sent[(user_key, client_id)] = (self.clock(), result)
        self._sent.move_to_end((user_key, client_id))
        while len(self._sent) > REMEMBERED_SENDS:
            self._sent.popitem(last=False)
