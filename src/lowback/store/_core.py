"""The journal store's contract and the logic every backend shares.

A backend only moves rows: it opens a write transaction (one writer at a
time per stream, or a conflict the database detects), finds event IDs,
reads the head and the stored event texts, and writes a batch. Everything
clinical (stepping the new events from the stored state, the decisions, the
snapshot) happens here, once, for every backend.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
import zlib
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

import attrs

from lowback.catalog.events import EVENT_TYPES, Event, Journal
from lowback.catalog.rules import RULESET_VERSION
from lowback.catalog.thresholds import Thresholds
from lowback.engine.plan import Decision, PlanState
from lowback.engine.progression import replay, step
from lowback.errors import InvalidInput, LowbackError
from lowback.wire import MAX_DOCUMENT_CHARS, MAX_LIST_LENGTH, dumps, loads

__all__ = [
    "ConnectedStore",
    "EventIdConflict",
    "JournalStore",
    "MemoryStore",
    "StoreBase",
    "StoreError",
    "StreamNotFound",
    "WrongExpectedVersion",
    "shard_of",
]

#: The longest stream ID or event ID accepted, in characters.
MAX_ID_CHARS = 200
#: How many times an append re-reads the head after losing a race that the
#: database detected (only PostgreSQL can lose one; SQLite's
#: ``BEGIN IMMEDIATE`` makes writers wait instead).
_MAX_ATTEMPTS = 1000


class StoreError(LowbackError):
    """A journal store refused an operation. Carries IDs and numbers, never event content."""


class WrongExpectedVersion(StoreError, ValueError):
    """The stream is not at the version the append expected.

    >>> str(WrongExpectedVersion("person-17", expected=3, actual=5))
    "stream 'person-17': expected version 3, actual version 5"
    >>> str(WrongExpectedVersion("person-17", expected=0, actual=2))
    "stream 'person-17': expected no stream (version 0), actual version 2"
    """

    def __init__(self, stream_id: str, *, expected: int, actual: int) -> None:
        """Name the stream and both versions."""
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual
        wanted = "no stream (version 0)" if expected == 0 else f"version {expected}"
        super().__init__(
            f"stream {stream_id!r}: expected {wanted}, actual version {actual}"
        )


class EventIdConflict(StoreError, ValueError):
    """An event ID is already stored in the stream, but not as this same append.

    Either it names different content, or the IDs of the append are only
    partly stored, or stored at other positions. A retry of an append must
    send the same events with the same IDs.

    >>> str(EventIdConflict("person-17", index=1, version=4))
    "stream 'person-17': the event ID at index 1 is stored at version 4 for a different append"
    """

    def __init__(self, stream_id: str, *, index: int, version: int) -> None:
        """Name the stream, the event's index in the append and the stored version."""
        self.stream_id = stream_id
        self.index = index
        self.version = version
        super().__init__(
            f"stream {stream_id!r}: the event ID at index {index} is stored "
            f"at version {version} for a different append"
        )


class StreamNotFound(StoreError, LookupError):
    """No stream has this ID.

    >>> str(StreamNotFound("person-17"))
    "stream 'person-17' does not exist"
    """

    def __init__(self, stream_id: str) -> None:
        """Name the stream."""
        self.stream_id = stream_id
        super().__init__(f"stream {stream_id!r} does not exist")


@runtime_checkable
class JournalStore(Protocol):
    """What every journal store does (:class:`MemoryStore`, ``SQLiteStore``, ``PostgresStore``)."""

    def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int | None,
        event_ids: Sequence[str | uuid.UUID] | None = None,
    ) -> int:
        """Step *events* from the stored state and store them; return the new version."""
        ...

    def read(self, stream_id: str, *, after_version: int = 0) -> tuple[Journal, int]:
        """The events after *after_version*, and the stream's version."""
        ...

    def replay(self, stream_id: str) -> tuple[PlanState, tuple[Decision, ...]]:
        """The plan's state and every decision, replayed from the stored events."""
        ...

    def state(self, stream_id: str) -> tuple[PlanState, int]:
        """The plan's state now and the stream's version, from the latest snapshot."""
        ...

    def decisions(self, stream_id: str) -> tuple[Decision, ...]:
        """The decisions stored with the events, as they were made."""
        ...

    def streams(self, *, shard: int = 0, of: int = 1) -> Iterator[str]:
        """The stream IDs in one stable shard of *of*, sorted."""
        ...


# ----------------------------------------------------------------- rows


@attrs.frozen
class Head:
    """A stream's snapshot row: its version and the state after it."""

    version: int
    #: The rule set and thresholds the state was computed under (:func:`basis`).
    basis: str
    #: ``dumps(state)``.
    state: str


@attrs.frozen
class Row:
    """One stored event, as text."""

    version: int
    event_id: str | None
    event: str
    decision: str
    ruleset_version: str


class Transaction(Protocol):
    """One backend transaction (see the module docstring)."""

    def find_ids(
        self, stream_id: str, ids: Sequence[str]
    ) -> dict[str, tuple[int, str]]:
        """The stored ``(version, event text)`` of each of *ids* already in the stream."""
        ...

    def head(self, stream_id: str) -> Head | None:
        """The stream's snapshot row, ``None`` when it has no events."""
        ...

    def event_texts(self, stream_id: str, after_version: int) -> list[str]:
        """The stored event texts after *after_version*, in version order."""
        ...

    def decision_texts(self, stream_id: str) -> list[str]:
        """Every stored decision text, in version order."""
        ...

    def write(
        self, stream_id: str, prior: int, rows: Sequence[Row], head: Head
    ) -> bool:
        """Store *rows* and *head* if the stream is still at *prior*; ``False`` if not."""
        ...


class Backend(Protocol):
    """Opens transactions."""

    def writing(self) -> AbstractContextManager[Transaction]:
        """A transaction that commits on success and rolls back on an exception."""
        ...

    def reading(self) -> AbstractContextManager[Transaction]:
        """A read-only transaction that sees one consistent snapshot."""
        ...

    def stream_ids(self) -> list[str]:
        """Every stream ID."""
        ...


# ----------------------------------------------------------------- checks


def basis(thresholds: Thresholds) -> str:
    """What a snapshot's state depends on besides the events: rule set and thresholds."""
    digest = hashlib.sha256(dumps(thresholds).encode()).hexdigest()[:16]
    return f"{RULESET_VERSION}/{digest}"


def check_stream_id(stream_id: object, path: str = "$.stream_id") -> str:
    """*stream_id* if it is a usable stream ID; the value is never echoed."""
    if not isinstance(stream_id, str):
        raise InvalidInput.at(path, "wrong_type", "expected a string")
    if not 1 <= len(stream_id) <= MAX_ID_CHARS:
        raise InvalidInput.at(path, "out_of_range", f"1..{MAX_ID_CHARS} characters")
    if not stream_id.isprintable():
        raise InvalidInput.at(path, "invalid", "printable characters only")
    return stream_id


def _check_version(value: object, path: str, *, optional: bool) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput.at(path, "wrong_type", "expected an integer")
    if value < 0:
        raise InvalidInput.at(path, "out_of_range", "must be 0 or more")
    return value


def _check_ids(event_ids: object, count: int) -> list[str] | None:
    if event_ids is None:
        return None
    if isinstance(event_ids, str | bytes) or not isinstance(event_ids, Sequence):
        raise InvalidInput.at("$.event_ids", "wrong_type", "expected a list")
    if len(event_ids) != count:
        raise InvalidInput.at("$.event_ids", "invalid", "one ID per event")
    ids: list[str] = []
    for index, value in enumerate(event_ids):
        text = str(value) if isinstance(value, uuid.UUID) else value
        ids.append(check_stream_id(text, f"$.event_ids[{index}]"))
    if len(set(ids)) != len(ids):
        raise InvalidInput.at("$.event_ids", "duplicate", "IDs must be unique")
    return ids


def _check_events(events: object) -> list[Event]:
    if isinstance(events, str | bytes) or not isinstance(events, Sequence):
        raise InvalidInput.at("$", "wrong_type", "expected a list of events")
    if not events:
        raise InvalidInput.at("$", "missing", "at least one event")
    if len(events) > MAX_LIST_LENGTH:
        raise InvalidInput.at("$", "too_large", f"at most {MAX_LIST_LENGTH} events")
    for index, event in enumerate(events):
        if not isinstance(event, EVENT_TYPES):
            raise InvalidInput.at(f"$[{index}]", "wrong_type", "expected an event")
    return list(events)


#: The most characters of stored rows read back in one document (half the
#: wire's document limit, so a long stream is read in several).
_CHUNK_CHARS = MAX_DOCUMENT_CHARS // 2
_INDEX = re.compile(r"^\$\[(\d+)\]")


def load_rows(texts: Sequence[str], type_: Any) -> tuple[Any, ...]:
    """Stored JSON rows read back through the strict reader as *type_* (a tuple type).

    Rows are read in documents within the wire's limits; a problem's path
    names the row's index among *texts* (``$[i]...``).
    """
    values: list[Any] = []
    start = 0
    while start < len(texts):
        end, size = start, 2
        while (
            end < len(texts)
            and end - start < MAX_LIST_LENGTH
            and size + len(texts[end]) + 1 <= _CHUNK_CHARS
        ):
            size += len(texts[end]) + 1
            end += 1
        end = max(end, start + 1)  # an oversized row: the reader refuses it
        try:
            values.extend(loads("[" + ",".join(texts[start:end]) + "]", type_))
        except InvalidInput as err:
            raise _shifted(err, start) from None
        start = end
    return tuple(values)


def _shifted(err: InvalidInput, offset: int) -> InvalidInput:
    """*err* with each ``$[i]`` path moved to ``$[offset + i]``."""
    if offset == 0:
        return err

    def move(path: str) -> str:
        return _INDEX.sub(lambda m: f"$[{int(m.group(1)) + offset}]", path)

    return InvalidInput(attrs.evolve(p, path=move(p.path)) for p in err.problems)


def journal_of(texts: Sequence[str]) -> Journal:
    """Stored event texts read back through the strict reader."""
    return load_rows(texts, Journal)


# ----------------------------------------------------------------- the shared logic


def check_schema(current: int, supported: int) -> None:
    """Refuse a database whose schema is newer than this lowback's."""
    if current > supported:
        msg = (
            f"the journal database has schema version {current}; this lowback"
            f" reads up to {supported}"
        )
        raise StoreError(msg)


class _Raced(Exception):
    """Another writer moved the stream between our read and our write."""


class StoreCore:
    """The contract on top of a :class:`Backend` (what each store delegates to)."""

    def __init__(self, backend: Backend, thresholds: Thresholds) -> None:
        """Serve *backend* under *thresholds*."""
        self.backend = backend
        self.thresholds = thresholds
        self._basis = basis(thresholds)

    def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int | None,
        event_ids: Sequence[str | uuid.UUID] | None = None,
    ) -> int:
        """See :meth:`JournalStore.append`."""
        stream_id = check_stream_id(stream_id)
        expected = _check_version(expected_version, "$.expected_version", optional=True)
        batch = _check_events(events)
        ids = _check_ids(event_ids, len(batch))
        for _ in range(_MAX_ATTEMPTS):
            try:
                with self.backend.writing() as tx:
                    return self._append_once(tx, stream_id, batch, expected, ids)
            except _Raced:
                continue  # re-read: the ID and version checks run again
        msg = f"stream {stream_id!r}: gave up after {_MAX_ATTEMPTS} lost races"
        raise StoreError(msg)

    def _append_once(
        self,
        tx: Transaction,
        stream_id: str,
        batch: list[Event],
        expected: int | None,
        ids: list[str] | None,
    ) -> int:
        texts = [dumps(event) for event in batch]
        if ids is not None:
            stored = tx.find_ids(stream_id, ids)
            if stored:
                return _retried(stream_id, ids, texts, stored)
        head = tx.head(stream_id)
        actual = 0 if head is None else head.version
        if expected is not None and expected != actual:
            raise WrongExpectedVersion(stream_id, expected=expected, actual=actual)
        state = self._state_at(tx, stream_id, head)
        rows: list[Row] = []
        for index, event in enumerate(batch):
            try:
                state, decision = step(state, event, thresholds=self.thresholds)
            except InvalidInput as err:
                raise err.under(f"$[{index}]") from None
            rows.append(
                Row(
                    version=actual + index + 1,
                    event_id=None if ids is None else ids[index],
                    event=texts[index],
                    decision=dumps(decision),
                    ruleset_version=decision.ruleset_version,
                )
            )
        assert state is not None  # noqa: S101 - at least one event was stepped
        new_head = Head(
            version=actual + len(rows),
            basis=self._basis,
            state=dumps(state),
        )
        if not tx.write(stream_id, actual, rows, new_head):
            raise _Raced
        return new_head.version

    def _state_at(
        self, tx: Transaction, stream_id: str, head: Head | None
    ) -> PlanState | None:
        """The stored state: the snapshot when made under this basis, else a replay."""
        if head is None:
            return None
        if head.basis == self._basis:
            state: PlanState = loads(head.state, PlanState)
            return state
        journal = journal_of(tx.event_texts(stream_id, 0))
        return replay(journal, thresholds=self.thresholds)[0]

    def read(self, stream_id: str, *, after_version: int = 0) -> tuple[Journal, int]:
        """See :meth:`JournalStore.read`."""
        stream_id = check_stream_id(stream_id)
        after = _check_version(after_version, "$.after_version", optional=False)
        assert after is not None  # noqa: S101 - not optional
        with self.backend.reading() as tx:
            head = tx.head(stream_id)
            if head is None:
                return (), 0
            texts = tx.event_texts(stream_id, after)
        return journal_of(texts), head.version

    def replay(self, stream_id: str) -> tuple[PlanState, tuple[Decision, ...]]:
        """See :meth:`JournalStore.replay`."""
        stream_id = check_stream_id(stream_id)
        with self.backend.reading() as tx:
            if tx.head(stream_id) is None:
                raise StreamNotFound(stream_id)
            texts = tx.event_texts(stream_id, 0)
        # Replaying the events costs no more than reading every stored
        # decision back (benchmarks/bench_store.py), and always gives what
        # the running rules decide.
        return replay(journal_of(texts), thresholds=self.thresholds)

    def decisions(self, stream_id: str) -> tuple[Decision, ...]:
        """See :meth:`StoreBase.decisions`."""
        stream_id = check_stream_id(stream_id)
        with self.backend.reading() as tx:
            if tx.head(stream_id) is None:
                raise StreamNotFound(stream_id)
            texts = tx.decision_texts(stream_id)
        return load_rows(texts, tuple[Decision, ...])

    def state(self, stream_id: str) -> tuple[PlanState, int]:
        """See :meth:`JournalStore.state`."""
        stream_id = check_stream_id(stream_id)
        with self.backend.reading() as tx:
            head = tx.head(stream_id)
            if head is None:
                raise StreamNotFound(stream_id)
            if head.basis == self._basis:
                state: PlanState = loads(head.state, PlanState)
                return state, head.version
            texts = tx.event_texts(stream_id, 0)
        # The snapshot was made under another rule set or other thresholds.
        return replay(journal_of(texts), thresholds=self.thresholds)[0], head.version

    def streams(self, *, shard: int = 0, of: int = 1) -> Iterator[str]:
        """See :meth:`JournalStore.streams`."""
        count = _check_version(of, "$.of", optional=False)
        index = _check_version(shard, "$.shard", optional=False)
        if count == 0:
            raise InvalidInput.at("$.of", "out_of_range", "must be 1 or more")
        if index is None or count is None or index >= count:
            raise InvalidInput.at("$.shard", "out_of_range", "must be 0..of-1")
        ids = sorted(self.backend.stream_ids())
        return iter([s for s in ids if shard_of(s, count) == index])


def shard_of(stream_id: str, of: int) -> int:
    """The shard of *stream_id* among *of*: CRC-32 of its UTF-8, stable everywhere.

    >>> import zlib
    >>> shard_of("person-17", 4) == zlib.crc32(b"person-17") % 4
    True
    """
    return zlib.crc32(stream_id.encode("utf-8")) % of


def _retried(
    stream_id: str,
    ids: list[str],
    texts: list[str],
    stored: dict[str, tuple[int, str]],
) -> int:
    """The first result of an append retried with the same IDs, or a conflict."""
    first = stored.get(ids[0])
    for index, (event_id, text) in enumerate(zip(ids, texts, strict=True)):
        found = stored.get(event_id)
        if found is None:  # only some of the IDs are stored: name one of them
            version = min(v for v, _ in stored.values())
            raise EventIdConflict(stream_id, index=index, version=version)
        version, stored_text = found
        in_place = first is not None and version == first[0] + index
        if not in_place or stored_text != text:
            raise EventIdConflict(stream_id, index=index, version=version)
    return stored[ids[-1]][0]


# ----------------------------------------------------------------- memory


@attrs.define
class _MemoryStream:
    rows: list[Row] = attrs.Factory(list)
    head: Head | None = None
    ids: dict[str, int] = attrs.Factory(dict)


class _MemoryTx:
    """A transaction over copies, swapped in on commit."""

    def __init__(self, streams: dict[str, _MemoryStream]) -> None:
        self.streams = streams
        self.changed: dict[str, _MemoryStream] = {}

    def _get(self, stream_id: str) -> _MemoryStream:
        return (
            self.changed.get(stream_id)
            or self.streams.get(stream_id)
            or _MemoryStream()
        )

    def find_ids(
        self, stream_id: str, ids: Sequence[str]
    ) -> dict[str, tuple[int, str]]:
        stream = self._get(stream_id)
        found = {}
        for event_id in ids:
            if event_id in stream.ids:
                version = stream.ids[event_id]
                found[event_id] = (version, stream.rows[version - 1].event)
        return found

    def head(self, stream_id: str) -> Head | None:
        return self._get(stream_id).head

    def event_texts(self, stream_id: str, after_version: int) -> list[str]:
        return [row.event for row in self._get(stream_id).rows[after_version:]]

    def decision_texts(self, stream_id: str) -> list[str]:
        return [row.decision for row in self._get(stream_id).rows]

    def write(
        self, stream_id: str, prior: int, rows: Sequence[Row], head: Head
    ) -> bool:
        stream = self._get(stream_id)
        if (0 if stream.head is None else stream.head.version) != prior:
            return False
        ids = dict(stream.ids)
        ids.update({r.event_id: r.version for r in rows if r.event_id is not None})
        self.changed[stream_id] = _MemoryStream(
            rows=[*stream.rows, *rows], head=head, ids=ids
        )
        return True


class _MemoryBackend:
    def __init__(self) -> None:
        self.streams: dict[str, _MemoryStream] = {}
        self.lock = threading.Lock()

    @contextmanager
    def writing(self) -> Iterator[Transaction]:
        with self.lock:
            tx = _MemoryTx(self.streams)
            yield tx
            self.streams.update(tx.changed)  # only reached without an exception

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        with self.lock:
            yield _MemoryTx(self.streams)

    def stream_ids(self) -> list[str]:
        with self.lock:
            return list(self.streams)


class StoreBase:
    """The four methods of :class:`JournalStore`, delegated to the shared logic."""

    _core: StoreCore

    def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int | None,
        event_ids: Sequence[str | uuid.UUID] | None = None,
    ) -> int:
        """Step *events* from the stored state and store them; return the new version.

        Args:
            stream_id: The journal's ID (1-200 printable characters).
            events: One or more events, in date order after the stored ones.
            expected_version: The stream's version this append builds on:
                ``0`` when the stream must not exist yet, ``None`` for any.
            event_ids: One ID per event (strings or UUIDs), unique in the
                stream: an append retried with the same IDs returns the
                version of its first success instead of appending twice.

        Raises:
            WrongExpectedVersion: the stream is at another version.
            EventIdConflict: an ID is stored already for other content.
            InvalidInput: an argument is wrong, or the engine refuses an event
                (path ``$[i]...``, the event's index); nothing is written.
        """
        return self._core.append(
            stream_id, events, expected_version=expected_version, event_ids=event_ids
        )

    def read(self, stream_id: str, *, after_version: int = 0) -> tuple[Journal, int]:
        """The events after *after_version* and the stream's version (``((), 0)`` if none)."""
        return self._core.read(stream_id, after_version=after_version)

    def replay(self, stream_id: str) -> tuple[PlanState, tuple[Decision, ...]]:
        """The plan's state and every decision, as :func:`lowback.replay <lowback.engine.progression.replay>` gives them.

        The stored events are replayed under the running rule set and this
        store's thresholds (which costs no more than reading every stored
        decision back); for the state alone, :meth:`state` reads the snapshot.

        Raises:
            StreamNotFound: the stream has no events.
        """
        return self._core.replay(stream_id)

    def state(self, stream_id: str) -> tuple[PlanState, int]:
        """The plan's state now and the stream's version, from the latest snapshot.

        Every append writes the snapshot in its transaction, so no tail of
        events is left to replay. A snapshot made under another rule set or
        other thresholds is not used: the events are replayed instead.

        Raises:
            StreamNotFound: the stream has no events.
        """
        return self._core.state(stream_id)

    def decisions(self, stream_id: str) -> tuple[Decision, ...]:
        """The decisions stored with the events: what the person was shown.

        Each was made when its event was appended and carries its
        ``ruleset_version``; after a rule change they may differ from what
        :meth:`replay` computes now, which is what an audit compares.

        Raises:
            StreamNotFound: the stream has no events.
        """
        return self._core.decisions(stream_id)

    def streams(self, *, shard: int = 0, of: int = 1) -> Iterator[str]:
        """The stream IDs whose CRC-32 modulo *of* is *shard*, sorted."""
        return self._core.streams(shard=shard, of=of)


class ConnectedStore(StoreBase):
    """A store that holds one database connection: close it, or use a ``with`` block."""

    _conn: Any

    def close(self) -> None:
        """Close the connection (what an append committed is stored already)."""
        self._conn.close()

    def __enter__(self) -> Self:
        """Use as a context manager that closes the store."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close."""
        self.close()


class MemoryStore(StoreBase):
    """A journal store in memory, for an app's tests: the same contract, no durability.

    >>> from lowback._demo import demo_journal
    >>> store = MemoryStore()
    >>> journal = demo_journal()
    >>> store.append("person-17", journal[:3], expected_version=0)
    3
    >>> store.append("person-17", journal[3:4], expected_version=2)
    Traceback (most recent call last):
    ...
    lowback.store._core.WrongExpectedVersion: stream 'person-17': expected version 2, actual version 3
    """

    def __init__(self, *, thresholds: Thresholds | None = None) -> None:
        """An empty store; *thresholds* are passed to every step and replay."""
        self._core = StoreCore(_MemoryBackend(), thresholds or Thresholds())

    def __repr__(self) -> str:
        """Never shows content."""
        return "MemoryStore()"
