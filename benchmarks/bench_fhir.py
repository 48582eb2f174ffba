"""Benchmark: the FHIR export, and the three checks the tests run on it.

Run: ``.venv/bin/python benchmarks/bench_fhir.py`` (needs the ``tests`` group).

For the example intake and journal (``examples/data/``) we time, as medians
of several runs, the export to a Bundle written as JSON, and the peer it is
compared with: the same input triaged or replayed and written in lowback's
own wire contract (``lowback.dumps``). The ratio is the median of per-run
ratios, so that load from other processes falls on both alike. The three
test checks (R4 JSON Schema, ``fhirclient`` strict parse, FHIRPath
invariants) are timed per Bundle for the record; they run only in tests.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import fhir_checks
import lowback
from lowback.fhir import from_intake, from_journal

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
RUNS, LOOPS = 9, 50


def seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(LOOPS):
        fn()
    return (time.perf_counter() - start) / LOOPS


def compare(
    name: str, export: Callable[[], object], peer: Callable[[], object]
) -> None:
    ours, theirs, ratios = [], [], []
    for _ in range(RUNS):
        a, b = seconds(export), seconds(peer)
        ours.append(a)
        theirs.append(b)
        ratios.append(a / b)
    print(
        f"{name:<8} export {statistics.median(ours) * 1e3:7.3f} ms   "
        f"wire {statistics.median(theirs) * 1e3:7.3f} ms   "
        f"ratio {statistics.median(ratios):5.2f}x"
    )


def main() -> None:
    intake = lowback.loads((DATA / "intake.json").read_bytes(), lowback.Intake)
    journal = lowback.loads_jsonl(
        (DATA / "journal.jsonl").read_bytes(), lowback.Journal
    )
    compare(
        "intake",
        lambda: json.dumps(from_intake(intake, patient="Patient/1")),
        lambda: lowback.dumps(lowback.triage(intake)),
    )

    def replayed() -> str:
        state, decisions = lowback.replay(journal)
        return lowback.dumps(lowback.ReplayOutput(state=state, decisions=decisions))

    compare(
        "journal",
        lambda: json.dumps(from_journal(journal, patient="Patient/1")),
        replayed,
    )
    doc = from_journal(journal, patient="Patient/1")
    checks: dict[str, Callable[[], object]] = {
        "schema": lambda: [
            fhir_checks.schema_errors(e["resource"]) for e in doc["entry"]
        ],
        "fhirclient": lambda: fhir_checks.strict_parse_errors(doc),
        "fhirpath": lambda: [
            fhir_checks.invariant_failures(e["resource"]) for e in doc["entry"]
        ],
    }
    for name, check in checks.items():
        runs = [seconds(check) for _ in range(3)]
        print(
            f"check {name:<11} {statistics.median(runs) * 1e3:7.2f} ms per journal Bundle"
        )


if __name__ == "__main__":
    main()
