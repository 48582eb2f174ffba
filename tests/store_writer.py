"""Writer processes for the store's crash and concurrency tests (and the crash benchmark).

python store_writer.py zygote BACKEND TARGET
    Imports lowback once, then for each line ``STREAM ACKFILE`` read
    from stdin forks a crash writer and prints its process ID. A crash
    writer opens its own store, writes ``ready`` to ACKFILE, then
    appends the endless journal to STREAM in batches of
    1 + (version % 3) events with event IDs, writing each acknowledged
    version to ACKFILE (``os.write``: in the kernel when the process
    dies) until it is killed.

python store_writer.py race BACKEND TARGET WORKER COUNT STREAM...
    Appends COUNT check-ins, the i-th to STREAM[i % len], each with the
    version it read as the expected version, retrying on
    WrongExpectedVersion (workers named w1, w3, ... expect any version
    instead); prints the number of conflicts at the end.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lowback import Answer, CheckIn
from lowback.store import MemoryStore, WrongExpectedVersion
from store_journals import START, event_at, open_store


def crash_writer(backend: str, target: str, stream: str, ack_file: str) -> None:
    fd = os.open(ack_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    store: Any = open_store(backend, target)
    version = store.read(stream, after_version=10**9)[1]
    os.write(fd, b"ready\n")
    while True:
        end = version + 1 + version % 3
        version = store.append(
            stream,
            [event_at(i) for i in range(version, end)],
            expected_version=version,
            event_ids=[f"{stream}-{i}" for i in range(version, end)],
        )
        os.write(fd, b"%d\n" % version)


def zygote(backend: str, target: str) -> None:
    if backend == "postgres":
        import lowback.store.postgres  # noqa: F401, PLC0415 - import before forking

    # Build the wire's writers and readers once, before forking (they are
    # built on first use, which would otherwise happen in every writer).
    warm = MemoryStore()
    warm.append("warm", [event_at(i) for i in range(4)], expected_version=0)
    warm.read("warm")
    warm.replay("warm")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    for line in sys.stdin:
        stream, ack_file = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                crash_writer(backend, target, stream, ack_file)
            finally:
                os._exit(1)  # never return into the parent's loop
        print(pid, flush=True)  # noqa: T201 - the protocol with the test


def race(
    backend: str, target: str, worker: str, count: int, streams: list[str]
) -> None:
    store: Any = open_store(backend, target)
    conflicts = 0
    any_version = int(worker[1:]) % 2 == 1  # odd workers append at any version
    for i in range(count):
        stream = streams[i % len(streams)]
        event = CheckIn(date=START, pain_now=3, morning_pain=3, very_tired=Answer.NO)
        while True:
            version = store.read(stream, after_version=10**9)[1]
            try:
                store.append(
                    stream,
                    [event],
                    expected_version=None if any_version else version,
                    event_ids=[f"{worker}-{i}"],
                )
                break
            except WrongExpectedVersion:
                conflicts += 1
    print(conflicts, flush=True)  # noqa: T201 - the protocol with the test


if __name__ == "__main__":
    mode, backend, target, *rest = sys.argv[1:]
    if mode == "zygote":
        zygote(backend, target)
    else:
        race(backend, target, rest[0], int(rest[1]), rest[2:])
