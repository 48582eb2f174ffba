"""A writer process for the store's crash and concurrency tests (and the crash benchmark).

    python store_writer.py crash BACKEND TARGET STREAM
        Appends the long journal to STREAM in batches of 1 + (version % 3)
        events, with event IDs, printing each acknowledged version; prints
        ``ready`` once the store is open. Runs until killed (or the journal ends).

    python store_writer.py race BACKEND TARGET WORKER COUNT STREAM...
        Appends COUNT check-ins, the i-th to STREAM[i % len], each with the
        version it read as the expected version, retrying on
        WrongExpectedVersion; prints the number of conflicts at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lowback import Answer, CheckIn  # noqa: E402
from lowback.store import WrongExpectedVersion  # noqa: E402
from store_support import START, long_journal, open_store  # noqa: E402


def crash(backend: str, target: str, stream: str) -> None:
    journal = long_journal(20_000)
    store = open_store(backend, target)
    version = store.read(stream, after_version=10**9)[1]
    print("ready", flush=True)
    while version < len(journal):
        end = min(version + 1 + version % 3, len(journal))
        version = store.append(
            stream,
            journal[version:end],
            expected_version=version,
            event_ids=[f"{stream}-{i}" for i in range(version, end)],
        )
        print(version, flush=True)


def race(backend: str, target: str, worker: str, count: int, streams: list[str]) -> None:
    store = open_store(backend, target)
    conflicts = 0
    for i in range(count):
        stream = streams[i % len(streams)]
        event = CheckIn(date=START, pain_now=3, morning_pain=3, very_tired=Answer.NO)
        while True:
            version = store.read(stream, after_version=10**9)[1]
            try:
                store.append(
                    stream, [event], expected_version=version, event_ids=[f"{worker}-{i}"]
                )
                break
            except WrongExpectedVersion:
                conflicts += 1
    print(conflicts, flush=True)


if __name__ == "__main__":
    mode, backend, target, *rest = sys.argv[1:]
    if mode == "crash":
        crash(backend, target, rest[0])
    else:
        race(backend, target, rest[0], int(rest[1]), rest[2:])
