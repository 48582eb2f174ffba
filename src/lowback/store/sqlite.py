"""The SQLite journal store (standard library :mod:`sqlite3`), the default.

Durability settings, after the SQLite documentation: WAL journal mode,
``synchronous=FULL`` (a committed transaction survives a power cut, not only
a process crash), and every write in ``BEGIN IMMEDIATE`` so that writers
queue on the busy timeout instead of failing with ``SQLITE_BUSY`` when a
read transaction would have to upgrade.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from lowback.catalog.thresholds import Thresholds

from ._core import (
    ConnectedStore,
    Head,
    Row,
    StoreCore,
    StoreError,
    Transaction,
    check_schema,
)

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

#: Forward migrations: ``_MIGRATIONS[i]`` takes the schema from version i to i + 1.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE lowback_events (
            stream_id TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            event_id TEXT,
            event TEXT NOT NULL,
            decision TEXT NOT NULL,
            ruleset_version TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (stream_id, version)
        ) WITHOUT ROWID""",
        """CREATE UNIQUE INDEX lowback_events_event_id
            ON lowback_events (stream_id, event_id) WHERE event_id IS NOT NULL""",
        """CREATE TABLE lowback_snapshots (
            stream_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            basis TEXT NOT NULL,
            state TEXT NOT NULL
        ) WITHOUT ROWID""",
    ),
)
#: The schema version this lowback writes.
SCHEMA_VERSION = len(_MIGRATIONS)


def _database_error(err: sqlite3.Error) -> StoreError:
    """A store error naming SQLite's error code, never a message with values."""
    name = getattr(err, "sqlite_errorname", None) or type(err).__name__
    return StoreError(f"database error: {name}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class _SQLiteTx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def find_ids(
        self, stream_id: str, ids: Sequence[str]
    ) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        for event_id in ids:
            row = self.conn.execute(
                "SELECT version, event FROM lowback_events"
                " WHERE stream_id = ? AND event_id = ?",
                (stream_id, event_id),
            ).fetchone()
            if row is not None:
                found[event_id] = (row[0], row[1])
        return found

    def head(self, stream_id: str) -> Head | None:
        row = self.conn.execute(
            "SELECT version, basis, state FROM lowback_snapshots WHERE stream_id = ?",
            (stream_id,),
        ).fetchone()
        return None if row is None else Head(*row)

    def event_texts(self, stream_id: str, after_version: int) -> list[str]:
        rows = self.conn.execute(
            "SELECT event FROM lowback_events WHERE stream_id = ? AND version > ?"
            " ORDER BY version",
            (stream_id, after_version),
        ).fetchall()
        return [r[0] for r in rows]

    def decision_texts(self, stream_id: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT decision FROM lowback_events WHERE stream_id = ? ORDER BY version",
            (stream_id,),
        ).fetchall()
        return [r[0] for r in rows]

    def write(
        self, stream_id: str, prior: int, rows: Sequence[Row], head: Head
    ) -> bool:
        values = (head.version, head.basis, head.state, stream_id)
        if prior == 0:
            cursor = self.conn.execute(
                "INSERT INTO lowback_snapshots (version, basis, state, stream_id)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                values,
            )
        else:
            cursor = self.conn.execute(
                "UPDATE lowback_snapshots SET version = ?, basis = ?, state = ?"
                " WHERE stream_id = ? AND version = ?",
                (*values, prior),
            )
        if cursor.rowcount != 1:
            return False
        now = _now()
        self.conn.executemany(
            "INSERT INTO lowback_events (stream_id, version, event_id, event,"
            " decision, ruleset_version, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    stream_id,
                    r.version,
                    r.event_id,
                    r.event,
                    r.decision,
                    r.ruleset_version,
                    now,
                )
                for r in rows
            ],
        )
        return True


class _SQLiteBackend:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.lock = threading.Lock()  # one connection, one transaction at a time

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Transaction]:
        with self.lock:
            try:
                self.conn.execute(begin)
                try:
                    yield _SQLiteTx(self.conn)
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                self.conn.execute("COMMIT")
            except sqlite3.Error as err:
                raise _database_error(err) from None

    def writing(self) -> AbstractContextManager[Transaction]:
        # IMMEDIATE: take the write lock first, so the head we read stays the head.
        return self._transaction("BEGIN IMMEDIATE")

    def reading(self) -> AbstractContextManager[Transaction]:
        # A deferred read transaction sees one consistent WAL snapshot.
        return self._transaction("BEGIN DEFERRED")

    def stream_ids(self) -> list[str]:
        with self.lock:
            rows = self.conn.execute("SELECT stream_id FROM lowback_snapshots")
            return [r[0] for r in rows]


class SQLiteStore(ConnectedStore):
    """A journal store in one SQLite file: durable, for one machine.

    Several processes may share the file: writers take turns (``BEGIN
    IMMEDIATE``, waiting up to *busy_timeout* seconds), readers never wait
    for them (WAL). The database gets a schema version table; older schemas
    are migrated forward on open, and a newer one is refused.

    >>> import tempfile, pathlib
    >>> from lowback._demo import demo_journal
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with SQLiteStore(pathlib.Path(folder) / "plans.db") as store:
    ...         store.append("person-17", demo_journal()[:2], expected_version=0)
    ...         events, version = store.read("person-17")
    2
    >>> version, [e.type.value for e in events]
    (2, ['plan_started', 'check_in'])
    """

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = 10.0,
        thresholds: Thresholds | None = None,
    ) -> None:
        """Open (or create) the database at *path*.

        Args:
            path: The database file.
            busy_timeout: Seconds a writer waits for another writer's lock.
            thresholds: Passed to every step and replay.

        Raises:
            StoreError: the database was written by a newer lowback, or it is
                not a database.
        """
        self._path = str(path)
        conn = sqlite3.connect(
            self._path,
            timeout=busy_timeout,
            isolation_level=None,  # transactions are explicit
            check_same_thread=False,  # guarded by the backend's lock
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            _wal(conn, memory=self._path == ":memory:")
            conn.execute("PRAGMA synchronous = FULL")
            _migrate(conn)
        except sqlite3.Error as err:
            conn.close()
            raise _database_error(err) from None
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self._core = StoreCore(_SQLiteBackend(conn), thresholds or Thresholds())

    def __repr__(self) -> str:
        """The path only."""
        return f"SQLiteStore({self._path!r})"


def _wal(conn: sqlite3.Connection, *, memory: bool) -> None:
    """Switch to WAL mode (an in-memory database has none to switch to)."""
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal" and not memory:
        msg = "the database cannot switch to WAL mode"
        raise StoreError(msg)


def _migrate(conn: sqlite3.Connection) -> None:
    """Create or migrate the schema forward, in one write transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS lowback_schema (version INTEGER NOT NULL)"
        )
        row = conn.execute("SELECT max(version) FROM lowback_schema").fetchone()
        current = 0 if row[0] is None else int(row[0])
        check_schema(current, SCHEMA_VERSION)
        for version in range(current, SCHEMA_VERSION):
            for statement in _MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO lowback_schema (version) VALUES (?)", (version + 1,)
            )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
