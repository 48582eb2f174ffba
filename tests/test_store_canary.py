"""A canary: no health data from stored events reaches an error, a log or a repr.

Events carry a clinician's note with a unique marker; every way the store
can refuse them (a wrong expected version, a reused event ID, an event the
engine refuses, a corrupt row, the CLI) must keep the marker out of the
messages, the exception chain, the log records and the reprs.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import lowback
from lowback import ClinicianCleared, Stage
from lowback._demo import demo_journal
from lowback.store import StoreBase
from store_support import BACKENDS, open_store, raw_rows

CANARY = "CANARY-5150-sciatica-left-leg"
JOURNAL = demo_journal()


def _canary_event(date: dt.date) -> ClinicianCleared:
    return ClinicianCleared(
        date=date, clinician=CANARY, note=CANARY, resume_stage=Stage.CALM_AND_UNLOAD
    )


def _texts(err: BaseException) -> str:
    parts = []
    seen: BaseException | None = err
    while seen is not None:
        parts += [str(seen), repr(seen), *map(repr, seen.args)]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreBase]:
    where = (
        request.getfixturevalue("pg_dsn")
        if request.param == "postgres"
        else str(tmp_path / "canary.db")
    )
    opened = open_store(request.param, where)
    yield opened
    getattr(opened, "close", lambda: None)()


class TestCanary:
    """The marker never leaves the database."""

    def test_no_health_data_in_errors_logs_or_reprs(
        self, store: StoreBase, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        later = JOURNAL[4].date
        canary = _canary_event(later)
        store.append(
            "p", [*JOURNAL[:4], canary], expected_version=0, event_ids=list("abcde")
        )
        errors: list[BaseException] = []
        attempts: list[Callable[[], object]] = [
            # a wrong expected version
            lambda: store.append("p", [_canary_event(later)], expected_version=1),
            # a reused event ID with other content
            lambda: store.append(
                "p",
                [_canary_event(later + dt.timedelta(days=1))],
                expected_version=5,
                event_ids=["e"],
            ),
            # an event the engine refuses (dated before the last one)
            lambda: store.append(
                "p", [_canary_event(JOURNAL[0].date)], expected_version=5
            ),
            # a stream ID that is not printable is not echoed either
            lambda: store.append(CANARY + "\n", [canary], expected_version=0),
        ]
        for attempt in attempts:
            with pytest.raises(lowback.LowbackError) as caught:
                attempt()
            errors.append(caught.value)
        assert len(errors) == len(attempts)
        for err in errors:
            assert CANARY not in _texts(err)
        assert CANARY not in repr(store)
        assert all(CANARY not in record.getMessage() for record in caplog.records)
        assert store.read("p")[0][-1] == canary  # the marker is stored, not lost

    @pytest.mark.parametrize("backend", ["sqlite", "postgres"])
    def test_a_corrupt_row_does_not_echo_it(
        self, backend: str, tmp_path: Path, request: pytest.FixtureRequest
    ) -> None:
        where = (
            request.getfixturevalue("pg_dsn")
            if backend == "postgres"
            else str(tmp_path / "c.db")
        )
        store = open_store(backend, where)
        try:
            store.append("p", JOURNAL[:3], expected_version=0)
            raw_rows(
                backend,
                where,
                "UPDATE lowback_events SET event = ? WHERE version = 3",
                f'{{"type":"check_in","note":"{CANARY}"}}',
            )
            with pytest.raises(lowback.InvalidInput) as caught:
                store.read("p")
            assert CANARY not in _texts(caught.value)
        finally:
            store.close()  # type: ignore[attr-defined]

    def test_the_cli_does_not_echo_refused_events(self, tmp_path: Path) -> None:
        db = tmp_path / "cli.db"
        events = tmp_path / "events.jsonl"
        events.write_text(
            lowback.dumps_jsonl([*JOURNAL[:2], _canary_event(JOURNAL[1].date)])
        )
        command = [
            sys.executable,
            "-m",
            "lowback",
            "store",
            "append",
            "--db",
            str(db),
            "p",
        ]
        first = subprocess.run(
            [*command, str(events), "--expected-version", "0"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert first.returncode == 0, first.stderr
        again = subprocess.run(
            [*command, str(events), "--expected-version", "0"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert again.returncode == 3
        assert again.stdout == ""
        assert CANARY not in again.stderr
