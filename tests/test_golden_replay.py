"""The golden replay corpus: every stored journal replays to its stored bytes.

``tests/golden/replay/`` holds journals with the exact output of ``lowback
replay --json`` and ``lowback replay`` made by
``tests/golden/make_replay_corpus.py --write``. A change to the engine that
changes any decision, any state field or the text shows up here, journal
by journal; a change meant to do so regenerates the corpus in its own
commit that says why.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import lowback
from lowback import wire
from lowback.cli import format_replay

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import make_replay_corpus as corpus

NAMES = corpus.names()


def test_the_corpus_is_large_enough() -> None:
    assert len(NAMES) >= 300
    assert {"bench_progression", "demo", "examples_data_journal"} <= set(NAMES)


class TestGolden:
    @pytest.mark.parametrize("name", NAMES)
    def test_replay_matches_the_golden_output(self, name: str) -> None:
        journal = wire.loads_jsonl(
            corpus.read(corpus.HERE / f"{name}.journal.jsonl"), lowback.Journal
        )
        state, decisions = lowback.replay(journal)
        as_json = wire.dumps(wire.ReplayOutput(state=state, decisions=decisions)) + "\n"
        assert as_json == corpus.read(corpus.HERE / f"{name}.replay.json")
        assert format_replay(state, decisions) + "\n" == corpus.read(
            corpus.HERE / f"{name}.replay.txt"
        )

    @pytest.mark.parametrize("name", NAMES[:: max(1, len(NAMES) // 40)])
    def test_step_by_step_matches_the_golden_decisions(self, name: str) -> None:
        """A differential run: each step's decision is the stored one, in order."""
        journal = wire.loads_jsonl(
            corpus.read(corpus.HERE / f"{name}.journal.jsonl"), lowback.Journal
        )
        # Read with the standard library: the benchmark's output is larger than
        # lowback's wire accepts as one document.
        stored = json.loads(corpus.read(corpus.HERE / f"{name}.replay.json"))
        state = None
        for event, expected in zip(journal, stored["decisions"], strict=True):
            state, decision = lowback.step(state, event)
            assert _plain(decision) == expected
        assert state is not None
        assert _plain(state) == stored["state"]


def _plain(value: object) -> object:
    """*value* on the wire, as it appears inside a ReplayOutput."""
    data = json.loads(wire.dumps(value))
    data.pop("schema_version", None)
    return data
