"""Kill-9 trials against a journal store, shared by the crash test and the crash benchmark.

A trial forks a writer (``store_writer.py zygote``), waits until it has
opened the store (every other trial: until it has acknowledged its first
append), kills it (SIGKILL) after a random delay of at most *max_delay*
seconds, then checks the database: every acknowledged version
is stored, the stream ends at a batch boundary (no batch is half there),
versions have no gaps, every event has its decision, the snapshot is at the
head, and the journal replays.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import attrs

from store_journals import batch_ends

WRITER = Path(__file__).resolve().parent / "store_writer.py"
#: How many killed writers each stream gets (unless *streams* is given).
TRIALS_PER_STREAM = 8


@attrs.define
class Tally:
    """What the trials found."""

    trials: int = 0
    #: Events whose append was acknowledged to the writer (summed over streams).
    acknowledged: int = 0
    #: Acknowledged events missing afterwards.
    lost: int = 0
    #: Trials killed before the writer acknowledged anything.
    killed_before_ack: int = 0


def _wait_gone(pid: int) -> None:
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.002)


def run_trials(
    backend: str,
    target: str,
    trials: int,
    folder: Path,
    check: Callable[[str, str, str], int],
    *,
    streams: int | None = None,
    max_delay: float = 0.15,
    seed: int = 1234,
) -> Tally:
    """Run *trials* kill-9 trials; *check* asserts a stream is whole and returns its version."""
    rng = random.Random(seed)  # noqa: S311 - kill timing, not secrets
    # Each stream is written by about TRIALS_PER_STREAM killed writers in
    # turn, so every writer but the first opens a stream a kill left behind;
    # streams stay short enough that checking one (a full replay) costs about
    # the same in the last trial as in the first.
    count = streams or max(4, -(-trials // TRIALS_PER_STREAM))
    names = [f"writer-{i}" for i in range(count)]
    highest = dict.fromkeys(names, 0)
    ends = batch_ends(10**6)
    tally = Tally()
    zygote = subprocess.Popen(
        [sys.executable, str(WRITER), "zygote", backend, target],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert zygote.stdin is not None
    assert zygote.stdout is not None
    try:
        for trial in range(trials):
            stream = names[trial % count]
            acks = folder / f"acks-{trial}"
            zygote.stdin.write(f"{stream} {acks}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            deadline = time.monotonic() + 30
            while not acks.exists() or not acks.read_bytes().startswith(b"ready\n"):
                assert time.monotonic() < deadline, "the writer never opened the store"
                time.sleep(0.001)
            if trial % 2:
                # Every other kill lands after the first acknowledgement, so the
                # trials test acknowledged appends however slow the machine is.
                while len(acks.read_bytes().split()) < 2:  # "ready" and a version
                    assert time.monotonic() < deadline, "the writer never appended"
                    time.sleep(0.001)
            time.sleep(rng.uniform(0.0, max_delay))
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid)
            versions = [int(v) for v in acks.read_text().split()[1:]]
            acks.unlink()
            if not versions:
                tally.killed_before_ack += 1
            highest[stream] = max([highest[stream], *versions])
            version = check(backend, target, stream)
            tally.lost += max(0, highest[stream] - version)
            assert version in ends, "a batch is half stored"
            tally.trials += 1
    finally:
        zygote.stdin.close()
        zygote.kill()
        zygote.wait()
        zygote.stdout.close()
    tally.acknowledged = sum(highest.values())
    return tally
