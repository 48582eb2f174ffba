"""Durable journal stores: append only what replays, never lose an acknowledged event.

- :class:`~lowback.store.sqlite.SQLiteStore`: one SQLite file (standard library), the default.
- :class:`~lowback.store.postgres.PostgresStore`: a PostgreSQL database shared
  by many app instances (extra ``lowback[postgres]``, psycopg 3).
- :class:`~lowback.store._core.MemoryStore`: in memory, for an app's tests.

Each append steps the new events from the stored state and commits the
events, their decisions (with ``ruleset_version``) and the new snapshot in
one transaction; an event the engine refuses writes nothing. Events are
stored as the strict wire JSON (:func:`lowback.dumps <lowback.wire.dumps>`) and read back with
:func:`lowback.loads <lowback.wire.loads>`. See the how-to, "Store journals durably".
"""

from typing import TYPE_CHECKING, Any

from ._core import (
    ConnectedStore,
    EventIdConflict,
    JournalStore,
    MemoryStore,
    StoreBase,
    StoreError,
    StreamNotFound,
    WrongExpectedVersion,
    shard_of,
)
from .sqlite import SQLiteStore

if TYPE_CHECKING:
    from .postgres import PostgresStore


def __getattr__(name: str) -> Any:
    """Import :class:`PostgresStore` on first use (it needs psycopg)."""
    if name == "PostgresStore":
        from .postgres import PostgresStore  # noqa: PLC0415 - optional extra

        globals()[name] = PostgresStore
        return PostgresStore
    msg = f"module 'lowback.store' has no attribute {name!r}"
    raise AttributeError(msg)


__all__ = [
    "ConnectedStore",
    "EventIdConflict",
    "JournalStore",
    "MemoryStore",
    "PostgresStore",
    "SQLiteStore",
    "StoreBase",
    "StoreError",
    "StreamNotFound",
    "WrongExpectedVersion",
    "shard_of",
]
