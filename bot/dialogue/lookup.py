"""What the dialogue needs from outside: the service catalogue and the duty's opening state.

The caller (the inbound use case) builds both from the database and the duty schedule; tests use
an in-memory catalogue. That keeps the dialogue free of sessions and settings.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services_catalog.matching import ServiceMatch


class ServiceLookup(Protocol):
    """The catalogue as the dialogue sees it; every result already in the user's language."""

    async def find(
        self,
        topics: Sequence[tuple[str, float]],
        age: int | None,
        role: str | None,
        language: str,
    ) -> list[ServiceMatch]:
        """Services for these (topic, score) pairs, best first."""
        ...

    async def get(self, slugs: Sequence[str], language: str) -> list[ServiceMatch]:
        """These services, in the order asked; unknown slugs are left out."""
        ...


@dataclass(frozen=True, slots=True)
class DutyStatus:
    """Whether a person from the municipality's chat duty can answer now."""

    staffed_now: bool
    next_opening: datetime | None = None  # aware; None when staffed now or not scheduled
    available_staff: int = 0


# Slugs of the catalogue entries that carry the emergency and 24/7 lines. Their numbers and hours
# live only in the catalogue, so an editor's correction reaches every answer at once.
EMERGENCY = "nodnummer"
CHILD_HELPLINE = "alarmtelefonen"
TALK_HELPLINE = "mental-helse-hjelpetelefon"
LEGEVAKT = "legevakt"
