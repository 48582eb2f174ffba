"""Journal store benchmark: appends per second and replay, SQLite and PostgreSQL.

Run with the dev dependency group installed (psycopg; PostgreSQL's
``initdb`` and ``pg_ctl`` on the PATH for the PostgreSQL figures)::

    .venv/bin/python benchmarks/bench_store.py            # timings
    .venv/bin/python benchmarks/bench_store.py --crash 1000  # kill -9 trials

Timings, medians of several runs, each beside the same events written to a
JSON Lines file (the peer: what an app would otherwise do by hand):

- appends per second, one event per append (each a durable commit: the
  JSON Lines file is flushed and ``fsync``-ed per line to match);
- a 1,000-event stream: the plan's state from the snapshot (``store.state``),
  a full replay from the stored events (``store.replay``), and the snapshot
  plus every stored decision read back, beside reading the JSON Lines file
  and replaying it.

``--crash N`` runs N kill-9 trials per backend (tests/store_crash.py) and
reports trials, acknowledged events and lost events.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import lowback  # noqa: E402
from lowback.store import SQLiteStore, StoreBase  # noqa: E402
from pg_server import Unavailable, start  # noqa: E402
from store_journals import long_journal  # noqa: E402

APPENDS = 200
STREAM_EVENTS = 1000
RUNS = 5


def _median(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


@contextmanager
def _postgres() -> Iterator[Callable[[str], str] | None]:
    """A DSN maker for fresh databases on a throwaway server, or None."""
    try:
        import psycopg  # noqa: PLC0415
    except ImportError:
        yield None
        return
    try:
        server = start()
    except Unavailable as err:
        print(f"PostgreSQL skipped: {err}")
        yield None
        return

    def fresh(name: str) -> str:
        with psycopg.connect(server.dsn, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        return server.dsn_for(name)

    try:
        yield fresh
    finally:
        server.stop()


def _appends_per_second(
    make: Callable[[int], StoreBase], journal: lowback.Journal
) -> float:
    """Median appends/s of APPENDS one-event appends onto a stream."""
    rates = []
    for run in range(RUNS):
        store = make(run)
        store.append("p", journal[:1], expected_version=0)
        began = time.perf_counter()
        for version in range(1, APPENDS + 1):
            store.append("p", journal[version : version + 1], expected_version=version)
        rates.append(APPENDS / (time.perf_counter() - began))
        store.close()  # type: ignore[attr-defined]
    return statistics.median(rates)


def _jsonl_appends_per_second(folder: Path, journal: lowback.Journal) -> float:
    rates = []
    for run in range(RUNS):
        path = folder / f"append-{run}.jsonl"
        began = time.perf_counter()
        with path.open("a", encoding="utf-8") as handle:
            for event in journal[1 : APPENDS + 1]:
                handle.write(lowback.dumps(event) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        rates.append(APPENDS / (time.perf_counter() - began))
    return statistics.median(rates)


def timings() -> None:  # noqa: C901 - one table, built in order
    journal = long_journal(STREAM_EVENTS)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp, _postgres() as pg:
        folder = Path(tmp)
        backends: list[tuple[str, Callable[[int], StoreBase]]] = [
            ("SQLiteStore", lambda run: SQLiteStore(folder / f"a{run}.db")),
        ]
        if pg is not None:
            from lowback.store import PostgresStore  # noqa: PLC0415

            backends.append(("PostgresStore", lambda run: PostgresStore(pg(f"a{run}"))))
        jsonl_rate = _jsonl_appends_per_second(folder, journal)
        rows.append(
            ("appends/s (1 event, durable)", "JSON Lines + fsync", f"{jsonl_rate:,.0f}")
        )
        for name, make in backends:
            rate = _appends_per_second(make, journal)
            rows.append(("appends/s (1 event, durable)", name, f"{rate:,.0f}"))

        jsonl = folder / "stream.jsonl"
        jsonl.write_text(lowback.dumps_jsonl(journal), encoding="utf-8")
        expected = lowback.replay(journal)

        def from_file() -> object:
            return lowback.replay(
                lowback.loads_jsonl(jsonl.read_text("utf-8"), lowback.Journal)
            )

        assert from_file() == expected
        peer = _median(from_file, RUNS * 3)
        rows.append(
            (
                f"{STREAM_EVENTS}-event stream",
                "JSON Lines file read + replay",
                f"{peer * 1000:.2f} ms",
            )
        )
        for name, make in backends:
            store = make(99)
            for start in range(0, STREAM_EVENTS, 100):
                store.append("p", journal[start : start + 100], expected_version=start)

            def with_snapshot(store: StoreBase = store) -> object:
                return store.state("p")

            def without_snapshot(store: StoreBase = store) -> object:
                return store.replay("p")

            def stored_decisions(store: StoreBase = store) -> object:
                return store.state("p")[0], store.decisions("p")

            assert with_snapshot() == (expected[0], STREAM_EVENTS)
            assert without_snapshot() == expected
            assert stored_decisions() == expected
            for label, fn in (
                ("state() from the snapshot", with_snapshot),
                ("replay() from the events", without_snapshot),
                ("snapshot + stored decisions", stored_decisions),
            ):
                took = _median(fn, RUNS * 3)
                rows.append(
                    (
                        f"{STREAM_EVENTS}-event stream",
                        f"{name}: {label}",
                        f"{took * 1000:.2f} ms ({took / peer:.3f}x file)",
                    )
                )
            store.close()  # type: ignore[attr-defined]
    width = max(len(r[1]) for r in rows)
    for what, name, value in rows:
        print(f"{what:<30} {name:<{width}}  {value}")


def crash(trials: int, only: str | None) -> None:
    from store_crash import run_trials  # noqa: PLC0415
    from store_support import check_consistent  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp, _postgres() as pg:
        folder = Path(tmp)
        targets = [("sqlite", str(folder / "crash.db"))]
        if pg is not None:
            targets.append(("postgres", pg("crash")))
        targets = [t for t in targets if only in {None, t[0]}]
        for backend, target in targets:
            began = time.perf_counter()
            tally = run_trials(
                backend, target, trials, folder, check_consistent, max_delay=0.25
            )
            seconds = time.perf_counter() - began
            print(
                f"{backend}: {tally.trials} trials, {tally.acknowledged} events acknowledged,"
                f" lost: {tally.lost}, killed before the first ack: {tally.killed_before_ack}"
                f" ({seconds:.0f} s)"
            )
            if backend == "sqlite":
                import sqlite3  # noqa: PLC0415

                with sqlite3.connect(target) as conn:
                    print(
                        "  integrity_check:",
                        conn.execute("PRAGMA integrity_check").fetchone()[0],
                    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--crash", type=int, metavar="N", help="run N kill -9 trials per backend"
    )
    parser.add_argument(
        "--only", choices=["sqlite", "postgres"], help="crash trials on one backend"
    )
    args = parser.parse_args()
    if args.crash:
        crash(args.crash, args.only)
    else:
        timings()


if __name__ == "__main__":
    main()
