"""Shared helpers for the journal store tests: journals, backends, the PostgreSQL server."""

from __future__ import annotations

import itertools
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import lowback
import store_journals
from lowback.store import StoreBase
from pg_server import HOW_TO, REQUIRE_ENV, Server, Unavailable, start

_names = itertools.count()


# ------------------------------------------------------------- PostgreSQL


def _required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server | str]:
    """A throwaway server (or the admin DSN in ``LOWBACK_PG_DSN``); skips or fails if none."""
    dsn = os.environ.get("LOWBACK_PG_DSN")
    try:
        import psycopg  # noqa: F401, PLC0415 - optional
    except ImportError:
        if _required():
            pytest.fail("psycopg is not installed; " + HOW_TO)
        pytest.skip(HOW_TO)
    if dsn:
        yield dsn
        return
    try:
        server = start()
    except Unavailable as err:
        if _required():
            pytest.fail(f"cannot start PostgreSQL ({err}); {HOW_TO}")
        pytest.skip(f"cannot start PostgreSQL ({err}); {HOW_TO}")
    try:
        yield server
    finally:
        server.stop()


def _dsn_for(server: Server | str, dbname: str) -> str:
    if isinstance(server, Server):
        return server.dsn_for(dbname)
    return f"{server} dbname={dbname}"


@pytest.fixture
def pg_dsn(postgres_server: Server | str) -> Iterator[str]:
    """A DSN for a fresh, empty database on the test server, dropped after the test."""
    import psycopg  # noqa: PLC0415 - optional

    admin = (
        postgres_server.dsn if isinstance(postgres_server, Server) else postgres_server
    )
    name = f"lowback_test_{os.getpid()}_{next(_names)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield _dsn_for(postgres_server, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


# ------------------------------------------------------------- backends

BACKENDS = ("memory", "sqlite", "postgres")


def open_store(backend: str, target: str, **options: Any) -> StoreBase:
    """A store of *backend* on *target* (a file path or a DSN; ignored for memory)."""
    store = store_journals.open_store(backend, target, **options)
    assert isinstance(store, StoreBase)
    return store


def raw_rows(
    backend: str, target: str, sql: str, *params: Any
) -> list[tuple[Any, ...]]:
    """Rows of *sql* run straight on the database behind a store (``?`` placeholders)."""
    if backend == "sqlite":
        with sqlite3.connect(target) as conn:
            return list(conn.execute(sql, params))
    import psycopg  # noqa: PLC0415 - optional

    with psycopg.connect(target) as conn:
        cursor = conn.execute(sql.replace("?", "%s"), params)
        return cursor.fetchall() if cursor.description else []


Opener = Callable[..., StoreBase]


def _wait_for_other_sessions(target: str) -> None:
    """Wait until no other client is connected to the database.

    A killed client's server session can still be finishing: when the
    client died after sending COMMIT, the server commits (the client never
    heard back, so the append was not acknowledged, but it is stored).
    """
    import psycopg  # noqa: PLC0415 - optional

    deadline = time.monotonic() + 30
    with psycopg.connect(target, autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            ).fetchone()
            if row is not None and row[0] == 0:
                return
            assert time.monotonic() < deadline, "a killed client's session never ended"
            time.sleep(0.005)


def check_consistent(backend: str, target: str, stream_id: str) -> int:
    """Assert the stored stream is whole; return its version.

    Versions 1..n without gaps, one decision per event, the snapshot at the
    head, and the journal replays to the stored state and decisions.
    """
    if backend == "postgres":
        _wait_for_other_sessions(target)
    versions = [
        r[0]
        for r in raw_rows(
            backend,
            target,
            "SELECT version FROM lowback_events WHERE stream_id = ? ORDER BY version",
            stream_id,
        )
    ]
    head = raw_rows(
        backend,
        target,
        "SELECT version FROM lowback_snapshots WHERE stream_id = ?",
        stream_id,
    )
    assert versions == list(range(1, len(versions) + 1))
    assert head == ([(len(versions),)] if versions else [])
    if versions:
        store = open_store(backend, target)
        try:
            events, version = store.read(stream_id)
            assert version == len(versions) == len(events)
            state, decisions = lowback.replay(events)
            assert store.replay(stream_id) == (state, decisions)
            assert store.state(stream_id) == (state, version)
            assert store.decisions(stream_id) == decisions
        finally:
            store.close()  # type: ignore[attr-defined]
    return len(versions)


def tmp_db(tmp_path: Path) -> str:
    """A database path in the test's folder."""
    return str(tmp_path / "journal.db")
