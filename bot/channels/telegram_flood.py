"""Flood control for incoming Telegram messages: a token bucket per pseudonymous user key.

A user may send a burst of `capacity` messages, then one every `1 / per_second` seconds. Over the
limit they get one polite notice and further messages are dropped (not stored, not answered)
until the bucket refills, so one user's flood cannot starve everyone else. Kept in memory only:
a restart forgets it, which is fine for flood control.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    ALLOW = "allow"
    NOTICE = "notice"  # over the limit: tell the user once
    DROP = "drop"  # still over the limit: ignore quietly


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float
    noticed: bool = False


class FloodGuard:
    """Token buckets by user key: `capacity` at once, refilled at `per_second`."""

    def __init__(
        self,
        capacity: int = 6,
        per_second: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        max_users: int = 50_000,
    ) -> None:
        self.capacity = float(capacity)
        self.per_second = per_second
        self.clock = clock
        self.max_users = max_users
        self._buckets: dict[str, _Bucket] = {}

    def check(self, key: str) -> Verdict:
        """Take one token for this user's message, or say how to treat an over-limit message."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.noticed = False
            return Verdict.ALLOW
        if bucket.noticed:
            return Verdict.DROP
        bucket.noticed = True
        return Verdict.NOTICE

    def _forget_idle(self, now: float) -> None:
        """Bound memory: when full, drop buckets that have refilled (their users are idle)."""
        if len(self._buckets) < self.max_users:
            return
        refill = self.capacity / self.per_second
        for key in [k for k, b in self._buckets.items() if now - b.updated >= refill]:
            del self._buckets[key]
