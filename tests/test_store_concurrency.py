"""Several real processes append to the same streams with expected versions.

Half the writers read the stream's version, append one check-in expecting
it, and on WrongExpectedVersion re-read and retry; the other half append at
any version (the store re-reads after a race the database detected). Afterwards every stream
holds exactly the appended events (by event ID: none lost, none twice),
versions 1..n without gaps, and replays.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from store_journals import event_at
from store_support import (
    check_consistent,
    open_store,
    raw_rows,
)

WRITER = Path(__file__).resolve().parent / "store_writer.py"
WORKERS = 4
EACH = 40
STREAMS = ["shared-a", "shared-b"]


class TestRacingWriters:
    """Processes racing on the same streams."""

    @pytest.mark.parametrize("backend", ["sqlite", "postgres"])
    def test_racing_writers_lose_nothing(
        self, backend: str, tmp_path: Path, request: pytest.FixtureRequest
    ) -> None:
        target = (
            request.getfixturevalue("pg_dsn")
            if backend == "postgres"
            else str(tmp_path / "race.db")
        )
        store = open_store(backend, target)
        for stream in STREAMS:
            store.append(stream, [event_at(0)], expected_version=0)
        store.close()  # type: ignore[attr-defined]
        writers = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(WRITER),
                    "race",
                    backend,
                    target,
                    f"w{w}",
                    str(EACH),
                    *STREAMS,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for w in range(WORKERS)
        ]
        conflicts = 0
        for writer in writers:
            out, err = writer.communicate(timeout=300)
            assert writer.returncode == 0, err
            conflicts += int(out)
        ids = Counter(
            row[0]
            for row in raw_rows(
                backend,
                target,
                "SELECT event_id FROM lowback_events WHERE event_id IS NOT NULL",
            )
        )
        expected = {f"w{w}-{i}" for w in range(WORKERS) for i in range(EACH)}
        assert set(ids) == expected  # none lost
        assert set(ids.values()) == {1}  # none twice
        total = sum(check_consistent(backend, target, stream) for stream in STREAMS)
        assert total == WORKERS * EACH + len(STREAMS)
        print(  # noqa: T201 - the figures, with pytest -s
            f"{backend}: {WORKERS} writers, {total} events, {conflicts} conflicts retried"
        )
