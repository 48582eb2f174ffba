"""The wire contract, byte for byte: today's code against the golden corpus.

The corpus in ``tests/golden/wire/`` was written by
``tests/golden/make_wire_corpus.py --write`` (see its docstring); regenerate
it only when the contract changes on purpose, and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import lowback
from lowback import wire

GOLDEN = Path(__file__).resolve().parent / "golden" / "wire"
EXAMPLES: list[dict[str, Any]] = json.loads(
    (GOLDEN / "examples.json").read_text(encoding="utf-8")
)
DOCUMENTS = sorted((GOLDEN / "documents").glob("*.json"))
MALFORMED: list[dict[str, Any]] = json.loads(
    (GOLDEN / "malformed.json").read_text(encoding="utf-8")
)


class TestGoldenCorpus:
    def test_corpus_is_large_and_covers_every_wire_type(self) -> None:
        """At least 300 generated documents over every wire type, 200 malformed ones."""
        assert len(DOCUMENTS) >= 300
        assert len(MALFORMED) >= 200
        names = {path.stem.split("-", 1)[1] for path in DOCUMENTS}
        assert names == set(wire.WIRE_TYPES)

    @pytest.mark.parametrize("case", EXAMPLES, ids=lambda case: case["source"])
    def test_examples_read_and_write_as_recorded(self, case: dict[str, Any]) -> None:
        """Every example document reads, and writes exactly the recorded bytes."""
        tp = wire.WIRE_TYPES[case["type"]]
        if case["kind"] == "jsonl":
            value = wire.loads_jsonl(case["input"], tp)
            assert wire.dumps_jsonl(value) == case["dumps_jsonl"]
        else:
            value = wire.loads(case["input"], tp)
        assert wire.dumps(value) == case["dumps"]

    def test_generated_documents_round_trip_byte_for_byte(self) -> None:
        """Each recorded ``dumps`` output reads back and writes the same bytes."""
        failures = []
        for path in DOCUMENTS:
            text = path.read_text(encoding="ascii")
            tp = wire.WIRE_TYPES[path.stem.split("-", 1)[1]]
            if wire.dumps(wire.loads(text, tp)) != text:
                failures.append(path.name)
        assert not failures

    def test_malformed_documents_give_the_recorded_problems(self) -> None:
        """Each malformed document is refused with exactly its recorded paths and codes."""
        failures: list[tuple[str, Any, Any]] = []
        for case in MALFORMED:
            raw = (GOLDEN / "malformed" / case["file"]).read_bytes()
            text: str | bytes = (
                raw
                if case["file"].endswith(".bin")
                else raw.decode("utf-8", "surrogatepass")
            )
            try:
                wire.loads(text, wire.WIRE_TYPES[case["type"]])
            except lowback.InvalidInput as err:
                got = sorted([p.path, p.code] for p in err.problems)
                if got != sorted(case["problems"]):
                    failures.append((case["file"], got, case["problems"]))
            else:
                failures.append((case["file"], "accepted", case["problems"]))
        assert not failures, failures[:5]
