"""The PostgreSQL journal store (psycopg 3, extra ``lowback[postgres]``).

For apps that run many instances against one database. Conflicts are
detected by the database, never by a check in Python that could race: each
append updates the stream's snapshot row only ``WHERE version = <the
version it stepped from>`` (or inserts it ``ON CONFLICT DO NOTHING`` for a
new stream). A writer that loses the race updates no row, rolls back, and
re-reads; ``(stream_id, version)`` is also the events' primary key.
PostgreSQL's defaults (``fsync=on``, ``synchronous_commit=on``) make a
commit durable.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg

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

__all__ = ["SCHEMA_VERSION", "PostgresStore"]

_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE lowback_events (
            stream_id text NOT NULL,
            version bigint NOT NULL CHECK (version >= 1),
            event_id text,
            event text NOT NULL,
            decision text NOT NULL,
            ruleset_version text NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (stream_id, version)
        )""",
        """CREATE UNIQUE INDEX lowback_events_event_id
            ON lowback_events (stream_id, event_id) WHERE event_id IS NOT NULL""",
        """CREATE TABLE lowback_snapshots (
            stream_id text PRIMARY KEY,
            version bigint NOT NULL,
            basis text NOT NULL,
            state text NOT NULL
        )""",
    ),
)
#: The schema version this lowback writes.
SCHEMA_VERSION = len(_MIGRATIONS)
#: ``pg_advisory_xact_lock`` key serialising schema migrations ("lowback" in ASCII).
_MIGRATION_LOCK = 0x6C6F776261636B


def _database_error(err: psycopg.Error) -> StoreError:
    """A store error naming the failure's class and SQLSTATE, never its message."""
    state = f" (SQLSTATE {err.sqlstate})" if err.sqlstate else ""
    return StoreError(f"database error: {type(err).__name__}{state}")


class _PostgresTx:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def find_ids(
        self, stream_id: str, ids: Sequence[str]
    ) -> dict[str, tuple[int, str]]:
        rows = self.conn.execute(
            "SELECT event_id, version, event FROM lowback_events"
            " WHERE stream_id = %s AND event_id = ANY(%s)",
            (stream_id, list(ids)),
        ).fetchall()
        return {r[0]: (int(r[1]), r[2]) for r in rows}

    def head(self, stream_id: str) -> Head | None:
        row = self.conn.execute(
            "SELECT version, basis, state FROM lowback_snapshots WHERE stream_id = %s",
            (stream_id,),
        ).fetchone()
        return None if row is None else Head(int(row[0]), row[1], row[2])

    def event_texts(self, stream_id: str, after_version: int) -> list[str]:
        rows = self.conn.execute(
            "SELECT event FROM lowback_events WHERE stream_id = %s AND version > %s"
            " ORDER BY version",
            (stream_id, after_version),
        ).fetchall()
        return [r[0] for r in rows]

    def decision_texts(self, stream_id: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT decision FROM lowback_events WHERE stream_id = %s ORDER BY version",
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
                " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                values,
            )
        else:
            # The row lock makes a concurrent writer wait here; when it
            # resumes, the version no longer matches and it updates nothing.
            cursor = self.conn.execute(
                "UPDATE lowback_snapshots SET version = %s, basis = %s, state = %s"
                " WHERE stream_id = %s AND version = %s",
                (*values, prior),
            )
        if cursor.rowcount != 1:
            return False
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO lowback_events (stream_id, version, event_id, event,"
                " decision, ruleset_version) VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        stream_id,
                        r.version,
                        r.event_id,
                        r.event,
                        r.decision,
                        r.ruleset_version,
                    )
                    for r in rows
                ],
            )
        return True


class _PostgresBackend:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        self.lock = threading.Lock()  # one connection, one transaction at a time

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Transaction]:
        with self.lock, self._in_transaction(begin) as tx:
            yield tx

    @contextmanager
    def _in_transaction(self, begin: str) -> Iterator[Transaction]:
        try:
            self.conn.execute(begin)
            try:
                yield _PostgresTx(self.conn)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except psycopg.Error as err:
            raise _database_error(err) from None

    def writing(self) -> AbstractContextManager[Transaction]:
        return self._transaction("BEGIN ISOLATION LEVEL READ COMMITTED")

    def reading(self) -> AbstractContextManager[Transaction]:
        # One snapshot for the head and the rows read after it.
        return self._transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def stream_ids(self) -> list[str]:
        with self.reading() as tx:
            assert isinstance(tx, _PostgresTx)  # noqa: S101 - our own transaction
            rows = tx.conn.execute("SELECT stream_id FROM lowback_snapshots")
            return [r[0] for r in rows]


class PostgresStore(ConnectedStore):
    """A journal store in a PostgreSQL database, shared by many app instances.

    Each store holds one connection, and every operation is one explicit
    transaction on it; threads sharing a store take turns. Open one store
    per process (or per worker, for more throughput).
    """

    def __init__(self, conninfo: str, *, thresholds: Thresholds | None = None) -> None:
        """Connect with *conninfo* (a libpq DSN or URI) and migrate the schema forward.

        Raises:
            StoreError: the connection failed or the schema is newer than this
                lowback; the message never repeats *conninfo* (it may hold a
                password).
        """
        try:
            conn = psycopg.connect(conninfo, autocommit=True)
        except psycopg.Error as err:
            raise _database_error(err) from None
        try:
            _migrate(conn)
        except psycopg.Error as err:
            conn.close()
            raise _database_error(err) from None
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self._core = StoreCore(_PostgresBackend(conn), thresholds or Thresholds())

    def __repr__(self) -> str:
        """The database name only (never the DSN: it may hold a password)."""
        return f"PostgresStore(dbname={self._conn.info.dbname!r})"


def _migrate(conn: psycopg.Connection[Any]) -> None:
    """Create or migrate the schema forward; concurrent openers take turns."""
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS lowback_schema (version integer NOT NULL)"
        )
        row = conn.execute("SELECT max(version) FROM lowback_schema").fetchone()
        current = 0 if row is None or row[0] is None else int(row[0])
        check_schema(current, SCHEMA_VERSION)
        for version in range(current, SCHEMA_VERSION):
            for statement in _MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO lowback_schema (version) VALUES (%s)", (version + 1,)
            )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
