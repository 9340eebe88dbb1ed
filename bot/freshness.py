"""Whether a per-process copy of some tables may still be used: the caches' freshness rule.

The chat keeps the catalogue and the duty schedule in memory so a message does not ask the
database for them every time. A copy stays usable until a session of this process commits a
change to one of its tables (watched here through SQLAlchemy's session events, so every write
path counts: staff edits, imports, seeding, availability) or until `max_age_seconds` have passed,
which bounds how long a change made by another process (a CLI import, a second server) goes
unseen. A cache that finds its copy stale checks the database's own version as before.
"""

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, object_mapper

_CHANGED = "freshness.changed_tables"  # key in Session.info: tables written, not yet committed
_commits: Counter[str] = Counter()  # per table: commits of this process that changed it


@dataclass(frozen=True, slots=True)
class Stamp:
    """When a copy was taken: the tables' commit counts and the clock."""

    commits: tuple[int, ...]
    taken_at: float


class Freshness:
    """The rule for one cache: which tables it copies and how old its copy may get."""

    def __init__(
        self,
        tables: Iterable[str],
        max_age_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tables = tuple(sorted(tables))
        self.max_age_seconds = max_age_seconds
        self._clock = clock

    def stamp(self) -> Stamp:
        """Call just before reading the tables, so a change committed meanwhile is not missed."""
        return Stamp(tuple(_commits[table] for table in self.tables), self._clock())

    def is_fresh(self, stamp: Stamp | None) -> bool:
        if stamp is None:
            return False
        if self._clock() - stamp.taken_at >= self.max_age_seconds:
            return False
        return stamp.commits == tuple(_commits[table] for table in self.tables)


def _remember(session: Session, tables: Iterable[str]) -> None:
    session.info.setdefault(_CHANGED, set()).update(tables)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    touched = {*session.new, *session.dirty, *session.deleted}
    _remember(session, {table.name for obj in touched for table in object_mapper(obj).tables})


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    """Bulk `update()`/`delete()`/`insert()` statements bypass the flush."""
    if state.is_insert or state.is_update or state.is_delete:
        table: Any = getattr(state.statement, "table", None)
        if table is not None and hasattr(table, "name"):
            _remember(state.session, {table.name})


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    for table in session.info.pop(_CHANGED, ()):
        _commits[table] += 1


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
