"""A Hypothesis state machine: SQLiteStore behaves exactly like MemoryStore.

Random appends (right, stale and "any" expected versions, with and without
event IDs, events the engine refuses), retries of acknowledged appends,
reads, replays and shard listings run on both stores; every result and
every error must be the same, and every stored stream must replay to what
the engine computes from its events.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import lowback
from lowback.store import MemoryStore, SQLiteStore
from strategies import journals

STREAMS = st.sampled_from(["anna", "ben", "chidi"])


def _outcome(call: Any) -> tuple[Any, ...]:
    """The result of *call*, or its error's type and message."""
    try:
        return ("ok", call())
    except lowback.LowbackError as err:
        return ("error", type(err), str(err))


class SameAsMemory(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="lowback-stateful-"))
        self.sqlite = SQLiteStore(self.folder / "journal.db")
        self.memory = MemoryStore()
        self.journals: dict[str, tuple[Any, ...]] = {}
        #: The last acknowledged append per stream, to retry.
        self.acked: dict[str, tuple[tuple[Any, ...], int, list[str] | None]] = {}

    def teardown(self) -> None:
        self.sqlite.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def both(self, method: str, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
        mine = _outcome(lambda: getattr(self.sqlite, method)(*args, **kwargs))
        model = _outcome(lambda: getattr(self.memory, method)(*args, **kwargs))
        assert mine == model
        return model

    @rule(
        stream=STREAMS,
        data=st.data(),
        count=st.integers(1, 4),
        expect=st.sampled_from(["right", "right", "any", "stale", "ahead", "new"]),
        with_ids=st.booleans(),
        refused=st.integers(0, 9),
    )
    def append(  # noqa: PLR0917 - drawn arguments
        self,
        stream: str,
        data: st.DataObject,
        count: int,
        expect: str,
        with_ids: bool,
        refused: int,
    ) -> None:
        journal = self.journals.get(stream)
        if journal is None:
            journal = self.journals[stream] = data.draw(journals(max_events=25))
        version = self.memory.read(stream, after_version=10**6)[1]
        events = list(journal[version : version + count])
        if not events or refused == 0:
            events.append(journal[0])  # a second plan_started: refused
        expected = {
            "right": version,
            "any": None,
            "stale": max(version - 1, 0),
            "ahead": version + 1,
            "new": 0,
        }[expect]
        ids = (
            [f"{stream}-{version + i}" for i in range(len(events))]
            if with_ids
            else None
        )
        result = self.both(
            "append", stream, events, expected_version=expected, event_ids=ids
        )
        if result[0] == "ok":
            self.acked[stream] = (tuple(events), expected or 0, ids)

    @precondition(lambda self: any(ids for *_, ids in self.acked.values()))
    @rule(data=st.data())
    def retry(self, data: st.DataObject) -> None:
        stream = data.draw(
            st.sampled_from(sorted(s for s, a in self.acked.items() if a[2]))
        )
        events, expected, ids = self.acked[stream]
        result = self.both(
            "append", stream, events, expected_version=expected, event_ids=ids
        )
        assert result[0] == "ok"

    @rule(stream=STREAMS, data=st.data())
    def read(self, stream: str, data: st.DataObject) -> None:
        version = self.memory.read(stream, after_version=10**6)[1]
        after = data.draw(st.integers(0, version + 1))
        self.both("read", stream, after_version=after)

    @rule(stream=STREAMS, method=st.sampled_from(["replay", "state", "decisions"]))
    def replay(self, stream: str, method: str) -> None:
        self.both(method, stream)

    @rule(of=st.integers(1, 4), data=st.data())
    def streams(self, of: int, data: st.DataObject) -> None:
        shard = data.draw(st.integers(0, of - 1))
        mine = list(self.sqlite.streams(shard=shard, of=of))
        assert mine == list(self.memory.streams(shard=shard, of=of))

    @invariant()
    def every_stream_replays(self) -> None:
        for stream in self.sqlite.streams():
            events, version = self.sqlite.read(stream)
            assert len(events) == version
            state, decisions = lowback.replay(events)
            assert self.sqlite.replay(stream) == (state, decisions)
            assert self.sqlite.state(stream) == (state, version)
            assert self.sqlite.decisions(stream) == decisions


SameAsMemory.TestCase.settings = settings(
    max_examples=min(settings().max_examples, 40),
    stateful_step_count=30,
)
test_sqlite_store_matches_memory_store = SameAsMemory.TestCase
