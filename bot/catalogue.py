"""The service catalogue as the dialogue sees it: a `ServiceLookup` over the database.

One lookup is bound to the session and the moment of one message, so "open now" on a card is
true for that message and the dialogue stays free of sessions. `CatalogueLookup` asks the database
on every call (the reference the cached lookups are tested against). The municipality is the one the
deployment serves; the composition root passes it in. `SnapshotLookup` is the same lookup over a
catalogue read once, for routing a batch of messages. `CatalogueCache` keeps one snapshot for a
whole process (the chat's channels) and reloads it when the catalogue's version changes.
"""

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogue.lookup import ServiceLookup
from bot.freshness import Freshness, Stamp
from services_catalog.matching import (
    CatalogueSnapshot,
    ServiceMatch,
    describe_services,
    find_matching,
)
from services_catalog.models import CatalogBase
from services_catalog.queries import catalogue_version

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 3
# How long a change made by another process (a CLI import) may go unseen; this process's own
# edits are seen by the next message.
CATALOGUE_MAX_AGE_SECONDS = 10.0


class CatalogueLookup:
    """`ServiceLookup` backed by `services_catalog.matching`."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        at: datetime,
        municipality: str,
        limit: int = MAX_SUGGESTIONS,
    ) -> None:
        self._session = session
        self._at = at
        self._municipality = municipality
        self._limit = limit

    async def find(
        self,
        topics: Sequence[tuple[str, float]],
        age: int | None,
        role: str | None,
        language: str,
    ) -> list[ServiceMatch]:
        return await find_matching(
            self._session,
            topics,
            age=age,
            role=role,
            at=self._at,
            municipality=self._municipality,
            language=language,
            limit=self._limit,
        )

    async def get(self, slugs: Sequence[str], language: str) -> list[ServiceMatch]:
        return await describe_services(self._session, slugs, at=self._at, language=language)


class SnapshotLookup:
    """`ServiceLookup` over a `CatalogueSnapshot`: the same ranking, no query per message."""

    def __init__(
        self,
        snapshot: CatalogueSnapshot,
        *,
        at: datetime,
        municipality: str,
        limit: int = MAX_SUGGESTIONS,
    ) -> None:
        self._snapshot = snapshot
        self._at = at
        self._municipality = municipality
        self._limit = limit

    @classmethod
    async def load(
        cls, session: AsyncSession, *, at: datetime, municipality: str, limit: int = MAX_SUGGESTIONS
    ) -> "SnapshotLookup":
        snapshot = await CatalogueSnapshot.load(session)
        return cls(snapshot, at=at, municipality=municipality, limit=limit)

    async def find(
        self,
        topics: Sequence[tuple[str, float]],
        age: int | None,
        role: str | None,
        language: str,
    ) -> list[ServiceMatch]:
        return self._snapshot.find(
            topics,
            age=age,
            role=role,
            at=self._at,
            municipality=self._municipality,
            language=language,
            limit=self._limit,
        )

    async def get(self, slugs: Sequence[str], language: str) -> list[ServiceMatch]:
        return self._snapshot.describe(slugs, at=self._at, language=language)


class CatalogueCache:
    """One `CatalogueSnapshot` shared by every message of the process.

    The dialogue may rank services up to nine times per message to decide whether a question is
    worth asking; against the database that is dozens of queries per message. Here messages rank
    in memory. An edit committed by this process (staff editor, import, seed) makes the next
    message read the catalogue's version (one small query) and reload the snapshot if it
    changed; without such an edit the version is read again every `max_age_seconds`, for edits
    made by other processes (see `bot.freshness`).
    """

    def __init__(
        self,
        max_age_seconds: float = CATALOGUE_MAX_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._snapshot: CatalogueSnapshot | None = None
        self._version: tuple[object, ...] | None = None
        self._stamp: Stamp | None = None
        self._freshness = Freshness(CatalogBase.metadata.tables, max_age_seconds, clock)
        self._loading = asyncio.Lock()

    async def current(self, session: AsyncSession) -> CatalogueSnapshot:
        """The snapshot as of now: reloaded first if the catalogue changed since it was read."""
        if self._snapshot is not None and self._freshness.is_fresh(self._stamp):
            return self._snapshot
        stamp = self._freshness.stamp()
        try:
            version = await catalogue_version(session)
            if self._snapshot is None or version != self._version:
                async with self._loading:  # many messages at once load it once
                    if self._snapshot is None or version != self._version:
                        self._snapshot = await _load_apart(session)
                        self._version = version
        except SQLAlchemyError as error:
            if self._snapshot is None:
                raise
            # A database hiccup: the catalogue as last read is real and at most minutes old,
            # far better than no help lines for someone in crisis. Checked again next message.
            log.warning("catalogue check failed, using the last one read: %s", type(error).__name__)
            return self._snapshot
        self._stamp = stamp
        assert self._snapshot is not None
        return self._snapshot


async def _load_apart(session: AsyncSession) -> CatalogueSnapshot:
    """Load on the caller's connection, but into a session of its own that is then closed.

    The caller's connection: a second one from the pool could deadlock when every pooled
    connection belongs to a message waiting for this load. A session of its own: the shared
    rows must not be expired by a rollback of the caller's session.
    """
    connection = await session.connection()
    async with AsyncSession(bind=connection, expire_on_commit=False) as own:
        return await CatalogueSnapshot.load(own)


class CachedLookup:
    """`ServiceLookup` for one message over the process's `CatalogueCache`."""

    def __init__(
        self,
        cache: CatalogueCache,
        session: AsyncSession,
        *,
        at: datetime,
        municipality: str,
        limit: int = MAX_SUGGESTIONS,
    ) -> None:
        self._cache = cache
        self._session = session
        self._at = at
        self._municipality = municipality
        self._limit = limit
        self._lookup: SnapshotLookup | None = None

    async def _snapshot_lookup(self) -> SnapshotLookup:
        if self._lookup is None:  # the version is checked once per message
            snapshot = await self._cache.current(self._session)
            self._lookup = SnapshotLookup(
                snapshot, at=self._at, municipality=self._municipality, limit=self._limit
            )
        return self._lookup

    async def find(
        self,
        topics: Sequence[tuple[str, float]],
        age: int | None,
        role: str | None,
        language: str,
    ) -> list[ServiceMatch]:
        return await (await self._snapshot_lookup()).find(topics, age, role, language)

    async def get(self, slugs: Sequence[str], language: str) -> list[ServiceMatch]:
        return await (await self._snapshot_lookup()).get(slugs, language)


def cached_catalogue_lookups(
    municipality: str, limit: int = MAX_SUGGESTIONS
) -> Callable[[AsyncSession, datetime], ServiceLookup]:
    """The `InboundDeps.services` factory: one snapshot per process (see `CatalogueCache`)."""
    cache = CatalogueCache()

    def bind(session: AsyncSession, at: datetime) -> ServiceLookup:
        return CachedLookup(cache, session, at=at, municipality=municipality, limit=limit)

    return bind
