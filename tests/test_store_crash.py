"""Crash safety: writer processes killed (SIGKILL) mid-append lose nothing acknowledged.

See ``tests/store_crash.py`` for what one trial checks. In CI (``CI`` set):
200 SQLite trials and 50 PostgreSQL trials; locally fewer.
``benchmarks/bench_store.py --crash`` runs 1,000 and reports.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from store_crash import run_trials
from store_support import (
    check_consistent,
    raw_rows,
)


def _trials(ci: int, local: int) -> int:
    return ci if os.environ.get("CI") else local


class TestKill9:
    """Writers killed with SIGKILL lose nothing acknowledged."""

    def test_sqlite_survives_kill_9(self, tmp_path: Path) -> None:
        path = str(tmp_path / "crash.db")
        tally = run_trials("sqlite", path, _trials(200, 40), tmp_path, check_consistent)
        print(f"sqlite: {tally}")  # noqa: T201 - the figures, with pytest -s
        assert tally.lost == 0
        # The writers did write between kills: every other trial waits for an ack.
        assert tally.acknowledged >= tally.trials // 2
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    def test_postgres_survives_kill_9(self, pg_dsn: str, tmp_path: Path) -> None:
        tally = run_trials(
            "postgres", pg_dsn, _trials(50, 12), tmp_path, check_consistent
        )
        print(f"postgres: {tally}")  # noqa: T201 - the figures, with pytest -s
        assert tally.lost == 0
        assert tally.acknowledged >= tally.trials // 2

    @pytest.mark.parametrize("backend", ["sqlite", "postgres"])
    def test_the_check_catches_a_lost_event(
        self, backend: str, tmp_path: Path, request: pytest.FixtureRequest
    ) -> None:
        """The trial check is not vacuous: a deleted event fails it."""
        target = (
            request.getfixturevalue("pg_dsn")
            if backend == "postgres"
            else str(tmp_path / "c.db")
        )
        run_trials(backend, target, 3, tmp_path, check_consistent, max_delay=0.3)
        version = check_consistent(backend, target, "writer-0")
        assert version > 0
        raw_rows(
            backend,
            target,
            "DELETE FROM lowback_events WHERE stream_id = ? AND version = ?",
            "writer-0",
            version - 1,
        )
        with pytest.raises(AssertionError):
            check_consistent(backend, target, "writer-0")
