"""Journals for the store's writer processes (imports lowback only, to start fast)."""

from __future__ import annotations

import datetime as dt
import functools

from lowback import Answer, CheckIn, Event, Journal, PlanStarted
from lowback._demo import demo_journal

#: The day of the race writers' check-ins (the demo journal's first day).
START = demo_journal()[0].date


def event_at(index: int) -> Event:
    """Event *index* of an endless valid journal: a plan start, then check-ins."""
    first = _first()
    if index == 0:
        return first
    pain = (3, 4, 2, 3, 5, 2)[index % 6]
    return CheckIn(
        date=first.date + dt.timedelta(days=index // 4),
        pain_now=pain,
        morning_pain=pain,
        very_tired=Answer.NO,
    )


@functools.cache
def _first() -> PlanStarted:
    first = demo_journal()[0]
    assert isinstance(first, PlanStarted)
    return first


def long_journal(count: int) -> Journal:
    """The first *count* events of :func:`event_at`'s journal."""
    return tuple(event_at(i) for i in range(count))


def batch_ends(limit: int) -> set[int]:
    """The versions a crash writer can stop at: it appends 1 + (version % 3) events."""
    ends, version = {0}, 0
    while version < limit:
        version += 1 + version % 3
        ends.add(version)
    return ends


def open_store(backend: str, target: str, **options: object) -> object:
    """A store of *backend* on *target* (a file path or a DSN; ignored for memory)."""
    from lowback.store import MemoryStore, SQLiteStore  # noqa: PLC0415

    if backend == "memory":
        return MemoryStore(**options)  # type: ignore[arg-type]
    if backend == "sqlite":
        return SQLiteStore(target, **options)  # type: ignore[arg-type]
    from lowback.store import PostgresStore  # noqa: PLC0415 - optional

    return PostgresStore(target, **options)  # type: ignore[arg-type]
