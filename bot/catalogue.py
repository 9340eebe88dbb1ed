"""The service catalogue as the dialogue sees it: a `ServiceLookup` over the database.

One lookup is bound to the session and the moment of one message, so "open now" on a card is
true for that message and the dialogue stays free of sessions. The municipality is the one the
deployment serves; the composition root passes it in. `SnapshotLookup` is the same lookup over a
catalogue read once, for routing a batch of messages.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogue.lookup import ServiceLookup
from services_catalog.matching import (
    CatalogueSnapshot,
    ServiceMatch,
    describe_services,
    find_matching,
)

MAX_SUGGESTIONS = 3


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


def catalogue_lookups(
    municipality: str, limit: int = MAX_SUGGESTIONS
) -> Callable[[AsyncSession, datetime], ServiceLookup]:
    """The `InboundDeps.services` factory for a deployment serving `municipality`."""

    def bind(session: AsyncSession, at: datetime) -> ServiceLookup:
        return CatalogueLookup(session, at=at, municipality=municipality, limit=limit)

    return bind
