"""The benchmarks compare like with like: each peer reads lowback's own documents.

A benchmark's peer model that has drifted from the wire (a field lowback
added, a type it changed) would refuse the document, or accept a different
one, and the ratio it reports would mean nothing. These tests run the
peers on the benchmark's documents, so such a drift fails here first.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

import lowback

pytest.importorskip("pydantic", reason="the bench dependency group is not installed")

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench_wire() -> ModuleType:
    return _load("bench_wire")


def test_pydantic_peer_reads_and_writes_the_same_intake_and_result(
    bench_wire: ModuleType,
) -> None:
    for value, peer in (
        (bench_wire._intake(), bench_wire.PIntake),
        (bench_wire._triage_result(), bench_wire.PTriageResult),
        (lowback.triage(bench_wire._intake()), bench_wire.PTriageResult),
    ):
        text = lowback.dumps(value)
        assert json.loads(peer.model_validate_json(text).model_dump_json()) == (
            json.loads(text)
        )


def test_pydantic_peer_reads_and_writes_the_same_journal(
    bench_wire: ModuleType,
) -> None:
    text = lowback.dumps(bench_wire._journal(days=14))
    again = bench_wire.PJournal.dump_json(
        bench_wire.PJournal.validate_json(text), exclude_unset=True
    )
    assert json.loads(again) == json.loads(text)


def test_if_chain_peer_triages_the_benchmark_intakes_as_triage_does() -> None:
    """bench_triage.py's plain if-chain gives triage's exact result (checks
    and facts included) on every intake it times, so its ratio compares the
    same work."""
    bench = _load("bench_triage")
    rng = bench.random.Random(bench.SEED)
    for intake in [bench.one_intake(), *(bench.varied_intake(rng) for _ in range(200))]:
        assert bench.baseline(intake) == lowback.triage(intake)
