"""The journal store contract, run on every backend: memory, SQLite, PostgreSQL."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import lowback
from lowback import Answer, CheckIn, Thresholds
from lowback._demo import demo_journal
from lowback.store import (
    ConnectedStore,
    EventIdConflict,
    JournalStore,
    StoreBase,
    StoreError,
    StreamNotFound,
    WrongExpectedVersion,
    _core,
)
from lowback.wire import MAX_DOCUMENT_CHARS
from store_journals import long_journal
from store_support import (
    BACKENDS,
    open_store,
    raw_rows,
)

JOURNAL = demo_journal()


@dataclasses.dataclass
class Target:
    """A backend and where its data lives."""

    backend: str
    where: str

    def open(self, **options: object) -> StoreBase:
        return open_store(self.backend, self.where, **options)


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    if request.param == "postgres":
        return Target("postgres", request.getfixturevalue("pg_dsn"))
    return Target(request.param, str(tmp_path / "journal.db"))


@pytest.fixture
def store(target: Target) -> Iterator[StoreBase]:
    opened = target.open()
    yield opened
    if hasattr(opened, "close"):
        opened.close()


def test_is_a_journal_store(store: StoreBase) -> None:
    assert isinstance(store, JournalStore)


class TestAppendAndRead:
    def test_versions_count_events_from_one(self, store: StoreBase) -> None:
        assert store.read("p") == ((), 0)
        assert store.append("p", JOURNAL[:3], expected_version=0) == 3
        assert store.append("p", JOURNAL[3:4], expected_version=3) == 4
        assert store.append("p", JOURNAL[4:9], expected_version=None) == 9
        assert store.read("p") == (JOURNAL[:9], 9)

    def test_read_after_a_version(self, store: StoreBase) -> None:
        store.append("p", JOURNAL[:6], expected_version=0)
        assert store.read("p", after_version=4) == (JOURNAL[4:6], 6)
        assert store.read("p", after_version=6) == ((), 6)
        assert store.read("p", after_version=60) == ((), 6)

    def test_streams_are_separate(self, store: StoreBase) -> None:
        store.append("a", JOURNAL[:2], expected_version=0)
        store.append("b", JOURNAL[:5], expected_version=0)
        assert store.read("a") == (JOURNAL[:2], 2)
        assert store.read("b") == (JOURNAL[:5], 5)


class TestExpectedVersion:
    @pytest.mark.parametrize("expected", [0, 2, 4])
    def test_a_wrong_version_names_both_and_writes_nothing(
        self, store: StoreBase, expected: int
    ) -> None:
        store.append("p", JOURNAL[:3], expected_version=0)
        with pytest.raises(WrongExpectedVersion) as caught:
            store.append("p", JOURNAL[3:5], expected_version=expected)
        assert (caught.value.stream_id, caught.value.expected, caught.value.actual) == (
            "p",
            expected,
            3,
        )
        assert "'p'" in str(caught.value)
        assert "actual version 3" in str(caught.value)
        assert store.read("p") == (JOURNAL[:3], 3)

    def test_a_new_stream_needs_zero_or_any(self, store: StoreBase) -> None:
        with pytest.raises(WrongExpectedVersion) as caught:
            store.append("p", JOURNAL[:1], expected_version=1)
        assert caught.value.actual == 0
        assert store.read("p") == ((), 0)
        assert store.append("p", JOURNAL[:1], expected_version=None) == 1


class TestAppendOnlyWhatReplays:
    def test_a_refused_event_writes_nothing(self, store: StoreBase) -> None:
        store.append("p", JOURNAL[:5], expected_version=0)
        late = JOURNAL[10]
        early = CheckIn(
            date=JOURNAL[0].date, pain_now=3, morning_pain=3, very_tired=Answer.NO
        )
        with pytest.raises(lowback.InvalidInput) as caught:
            store.append("p", [late, early], expected_version=5)
        assert caught.value.paths == ("$[1].date",)
        assert store.read("p") == (JOURNAL[:5], 5)
        assert store.replay("p") == lowback.replay(JOURNAL[:5])

    def test_a_stream_starts_with_plan_started(self, store: StoreBase) -> None:
        with pytest.raises(lowback.InvalidInput) as caught:
            store.append("p", JOURNAL[1:3], expected_version=0)
        assert caught.value.paths == ("$[0].type",)
        assert store.read("p") == ((), 0)
        assert list(store.streams()) == []

    def test_a_second_plan_started_is_refused(self, store: StoreBase) -> None:
        store.append("p", JOURNAL[:2], expected_version=0)
        with pytest.raises(lowback.InvalidInput):
            store.append("p", [JOURNAL[0]], expected_version=2)
        assert store.read("p")[1] == 2


class TestIdempotentRetry:
    def test_a_retry_returns_the_first_result(self, store: StoreBase) -> None:
        ids = [uuid.uuid4() for _ in range(3)]
        assert store.append("p", JOURNAL[:3], expected_version=0, event_ids=ids) == 3
        store.append("p", JOURNAL[3:5], expected_version=3)
        # The retry's expected version is stale; the IDs say it is done already.
        assert store.append("p", JOURNAL[:3], expected_version=0, event_ids=ids) == 3
        assert store.read("p") == (JOURNAL[:5], 5)

    def test_a_reused_id_with_other_content_is_refused(self, store: StoreBase) -> None:
        store.append("p", JOURNAL[:2], expected_version=0, event_ids=["a", "b"])
        with pytest.raises(EventIdConflict) as caught:
            store.append("p", JOURNAL[2:3], expected_version=2, event_ids=["b"])
        assert (caught.value.index, caught.value.version) == (0, 2)
        assert store.read("p")[1] == 2

    def test_a_partly_stored_batch_is_refused(self, store: StoreBase) -> None:
        store.append("p", JOURNAL[:2], expected_version=0, event_ids=["a", "b"])
        with pytest.raises(EventIdConflict):
            store.append(
                "p", JOURNAL[:3], expected_version=0, event_ids=["a", "b", "c"]
            )
        with pytest.raises(EventIdConflict):
            store.append("p", JOURNAL[:2], expected_version=0, event_ids=["b", "a"])
        assert store.read("p")[1] == 2

    def test_ids_are_per_stream(self, store: StoreBase) -> None:
        store.append("p", JOURNAL[:2], expected_version=0, event_ids=["a", "b"])
        assert (
            store.append("q", JOURNAL[:2], expected_version=0, event_ids=["a", "b"])
            == 2
        )
        assert store.read("q")[1] == 2


class TestReplay:
    def test_equals_the_engine(self, store: StoreBase) -> None:
        for start in range(0, len(JOURNAL), 7):
            store.append("p", JOURNAL[start : start + 7], expected_version=start)
        assert store.replay("p") == lowback.replay(JOURNAL)

    def test_state_is_the_snapshot_at_the_head(self, store: StoreBase) -> None:
        for start in range(0, len(JOURNAL), 9):
            store.append("p", JOURNAL[start : start + 9], expected_version=None)
            end = min(start + 9, len(JOURNAL))
            assert store.state("p") == (lowback.replay(JOURNAL[:end])[0], end)

    def test_decisions_are_the_ones_made_at_append(self, store: StoreBase) -> None:
        store.append("p", JOURNAL[:20], expected_version=0)
        assert store.decisions("p") == lowback.replay(JOURNAL[:20])[1]

    @pytest.mark.parametrize("method", ["replay", "state", "decisions"])
    def test_a_missing_stream(self, store: StoreBase, method: str) -> None:
        with pytest.raises(StreamNotFound) as caught:
            getattr(store, method)("nobody")
        assert caught.value.stream_id == "nobody"


class TestStreams:
    def test_shards_partition_the_streams(self, store: StoreBase) -> None:
        names = [f"person-{i}" for i in range(40)]
        for name in names:
            store.append(name, JOURNAL[:1], expected_version=0)
        assert list(store.streams()) == sorted(names)
        shards = [list(store.streams(shard=i, of=3)) for i in range(3)]
        assert sorted(name for shard in shards for name in shard) == sorted(names)
        assert all(shards)  # 40 names: every shard gets some

    @pytest.mark.parametrize(("shard", "of"), [(0, 0), (3, 3), (-1, 2), (True, 2)])
    def test_a_bad_shard_is_invalid_input(
        self, store: StoreBase, shard: int, of: int
    ) -> None:
        with pytest.raises(lowback.InvalidInput):
            store.streams(shard=shard, of=of)


def test_shards_do_not_depend_on_the_process() -> None:
    """The partition is the same in processes with different hash seeds."""
    code = "from lowback.store import shard_of; print([shard_of(f's{i}', 7) for i in range(50)])"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


class TestBadArguments:
    @pytest.mark.parametrize(
        ("stream_id", "code"),
        [
            (17, "wrong_type"),
            ("", "out_of_range"),
            ("x" * 201, "out_of_range"),
            ("a\nb", "invalid"),
        ],
    )
    def test_stream_ids(self, store: StoreBase, stream_id: object, code: str) -> None:
        with pytest.raises(lowback.InvalidInput) as caught:
            store.append(stream_id, JOURNAL[:1], expected_version=0)  # type: ignore[arg-type]
        assert [(p.path, p.code) for p in caught.value.problems] == [
            ("$.stream_id", code)
        ]

    @pytest.mark.parametrize("expected", [-1, True, 1.0, "0"])
    def test_expected_versions(self, store: StoreBase, expected: object) -> None:
        with pytest.raises(lowback.InvalidInput) as caught:
            store.append("p", JOURNAL[:1], expected_version=expected)  # type: ignore[arg-type]
        assert caught.value.paths == ("$.expected_version",)

    @pytest.mark.parametrize(
        ("ids", "path"),
        [
            (["a"], "$.event_ids"),
            (["a", "a"], "$.event_ids"),
            (["a", 3], "$.event_ids[1]"),
            ("ab", "$.event_ids"),
        ],
    )
    def test_event_ids(self, store: StoreBase, ids: object, path: str) -> None:
        with pytest.raises(lowback.InvalidInput) as caught:
            store.append("p", JOURNAL[:2], expected_version=0, event_ids=ids)  # type: ignore[arg-type]
        assert caught.value.paths == (path,)

    @pytest.mark.parametrize("events", [[], "events", [object()]])
    def test_events(self, store: StoreBase, events: object) -> None:
        with pytest.raises(lowback.InvalidInput):
            store.append("p", events, expected_version=0)  # type: ignore[arg-type]
        assert store.read("p") == ((), 0)


# ------------------------------------------------------------- durable backends only


@pytest.fixture(params=["sqlite", "postgres"])
def durable(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    if request.param == "postgres":
        return Target("postgres", request.getfixturevalue("pg_dsn"))
    return Target("sqlite", str(tmp_path / "journal.db"))


def test_a_with_block_closes_the_connection(durable: Target) -> None:
    """A durable store used as a context manager is closed after the block:
    a later call fails with the store's own error, and what was appended stays."""
    opened = durable.open()
    assert isinstance(opened, ConnectedStore)
    with opened:
        opened.append("p", JOURNAL[:2], expected_version=0)
    with pytest.raises(StoreError):
        opened.read("p")
    again = durable.open()
    assert isinstance(again, ConnectedStore)
    with again:
        assert again.read("p") == (JOURNAL[:2], 2)


def test_data_outlives_the_store(durable: Target) -> None:
    first = durable.open()
    first.append("p", JOURNAL[:4], expected_version=0, event_ids=["a", "b", "c", "d"])
    first.close()  # type: ignore[attr-defined]
    second = durable.open()
    try:
        assert second.read("p") == (JOURNAL[:4], 4)
        assert (
            second.append("p", JOURNAL[2:4], expected_version=0, event_ids=["c", "d"])
            == 4
        )
    finally:
        second.close()  # type: ignore[attr-defined]


class TestSnapshots:
    """A snapshot is used only under the rules and thresholds it was made with."""

    def test_other_thresholds_replay_from_the_events(self, durable: Target) -> None:
        """A snapshot made under other thresholds is not used: the events are replayed."""
        stricter = Thresholds(advance_span_days=12)
        journal = JOURNAL
        first = durable.open()
        first.append("p", journal[:40], expected_version=0)
        first.close()  # type: ignore[attr-defined]
        second = durable.open(thresholds=stricter)
        try:
            strict = lowback.replay(journal[:40], thresholds=stricter)
            assert second.replay("p") == strict
            assert second.state("p") == (strict[0], 40)
            assert strict[0] != lowback.replay(journal[:40])[0]  # the test can tell
            second.append("p", journal[40:], expected_version=40)
            assert second.replay("p") == lowback.replay(journal, thresholds=stricter)
            assert (
                second.state("p")[0] == lowback.replay(journal, thresholds=stricter)[0]
            )
        finally:
            second.close()  # type: ignore[attr-defined]
        third = durable.open()
        try:
            assert third.replay("p") == lowback.replay(journal)
            assert third.state("p") == (lowback.replay(journal)[0], len(journal))
        finally:
            third.close()  # type: ignore[attr-defined]


def test_each_event_keeps_its_decision_and_ruleset(durable: Target) -> None:
    store = durable.open()
    try:
        store.append("p", JOURNAL[:5], expected_version=0)
    finally:
        store.close()  # type: ignore[attr-defined]
    rows = raw_rows(
        durable.backend,
        durable.where,
        "SELECT decision, ruleset_version FROM lowback_events WHERE stream_id = ? ORDER BY version",
        "p",
    )
    decisions = lowback.replay(JOURNAL[:5])[1]
    assert [lowback.loads(text, lowback.Decision) for text, _ in rows] == list(
        decisions
    )
    assert {version for _, version in rows} == {lowback.RULESET_VERSION}


def test_a_corrupt_event_row_is_a_typed_error(durable: Target) -> None:
    store = durable.open()
    try:
        store.append("p", JOURNAL[:3], expected_version=0)
        raw_rows(
            durable.backend,
            durable.where,
            "UPDATE lowback_events SET event = ? WHERE stream_id = ? AND version = 2",
            '{"type":"check_in","date":"2026-02-30"}',
            "p",
        )
        with pytest.raises(lowback.InvalidInput):
            store.read("p")
    finally:
        store.close()  # type: ignore[attr-defined]


def test_a_newer_schema_is_refused(durable: Target) -> None:
    durable.open().close()  # type: ignore[attr-defined]
    raw_rows(
        durable.backend,
        durable.where,
        "INSERT INTO lowback_schema (version) VALUES (99)",
    )
    with pytest.raises(StoreError, match="schema version 99"):
        durable.open()


def test_sqlite_settings(tmp_path: Path) -> None:
    from lowback.store import SQLiteStore  # noqa: PLC0415

    with SQLiteStore(tmp_path / "j.db", busy_timeout=2.5) as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone() == (2500,)
        assert conn.execute("SELECT version FROM lowback_schema").fetchall() == [(1,)]


def test_sqlite_not_a_database(tmp_path: Path) -> None:
    from lowback.store import SQLiteStore  # noqa: PLC0415

    path = tmp_path / "notes.db"
    path.write_bytes(b"pain 7/10 since Tuesday" * 100)
    with pytest.raises(StoreError) as caught:
        SQLiteStore(path)
    assert "pain" not in str(caught.value)
    assert "since" not in str(caught.value)


class TestThreads:
    def test_threads_sharing_a_store_take_turns(self, store: StoreBase) -> None:
        store.append("p", JOURNAL[:1], expected_version=0)
        check_in = JOURNAL[1]

        def write(worker: int) -> None:
            for i in range(15):
                store.append(
                    "p", [check_in], expected_version=None, event_ids=[f"{worker}-{i}"]
                )

        threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        events, version = store.read("p")
        assert version == len(events) == 61
        assert store.replay("p") == lowback.replay(events)


class TestLongStreams:
    def test_more_than_one_document_of_rows(self, store: StoreBase) -> None:
        """A stream whose stored decisions exceed the wire's document limit reads back."""
        journal = long_journal(8000)
        for start in range(0, len(journal), 4000):
            store.append("p", journal[start : start + 4000], expected_version=start)
        state, decisions = lowback.replay(journal)
        assert sum(len(lowback.dumps(d)) for d in decisions) > MAX_DOCUMENT_CHARS
        assert store.read("p") == (journal, len(journal))
        assert store.decisions("p") == decisions
        assert store.replay("p") == (state, decisions)


def test_a_bad_row_is_named_by_its_index_across_documents(
    durable: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_core, "_CHUNK_CHARS", 2_000)  # a few rows per document
    store = durable.open()
    try:
        store.append("p", JOURNAL[:30], expected_version=0)
        raw_rows(
            durable.backend,
            durable.where,
            "UPDATE lowback_events SET event = ? WHERE stream_id = ? AND version = 25",
            '{"type":"check_in"}',
            "p",
        )
        with pytest.raises(lowback.InvalidInput) as caught:
            store.read("p")
        assert {path.split(".")[0] for path in caught.value.paths} == {"$[24]"}
        assert store.read("p", after_version=25) == (JOURNAL[25:30], 30)
    finally:
        store.close()  # type: ignore[attr-defined]
