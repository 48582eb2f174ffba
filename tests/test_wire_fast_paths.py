"""The wire's fast paths give exactly what the slow, obvious paths give.

Writing: the generated per-class builders against the cattrs converter that
wrote lowback's JSON before them (kept here as a private reference).
Reading: building values without re-running the checks the reader has made
against calling each class's constructor, for valid and invalid documents.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import enum
import functools
import json
import typing
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import attrs
import cattrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lowback
from lowback import InvalidInput, Journal, wire
from lowback._demo import demo_journal
from lowback.wire import _read as reader
from lowback.wire import _scan as parser
from lowback.wire._model import _SPARSE, _TAG_NAMES, _VERSION_KEY, SCHEMA_VERSION
from lowback.wire._text import _encode
from lowback.wire._write import _document
from strategies import journals, json_values
from test_serialization import INTAKE, MALFORMED, ROUND_TRIPS, TRIAGE, _mutations
from test_wire_events import EVENTS, JOURNAL
from test_wire_events import MALFORMED as MALFORMED_JOURNALS

slow = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


# --------------------------------------------------------------------------
# The reference writer: the cattrs converter lowback used before


def _float_out(value: float) -> float:
    return float(value) + 0.0


def _sorted_list(value: frozenset[Any]) -> list[Any]:
    items = [_converter().unstructure(item) for item in value]
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))


def _is_frozenset(tp: Any) -> bool:
    return typing.get_origin(tp) is frozenset or tp is frozenset


@functools.cache
def _converter() -> cattrs.Converter:
    from cattrs.gen import make_dict_unstructure_fn  # noqa: PLC0415 - as it was

    conv = cattrs.Converter()
    conv.register_unstructure_hook(float, _float_out)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook_func(_is_frozenset, _sorted_list)

    def factory(cls: Any) -> Callable[[Any], Any]:
        fn = make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=cls in _SPARSE)
        tag = next(
            (n for n in _TAG_NAMES if isinstance(getattr(cls, n, None), enum.Enum)),
            None,
        )
        if tag is None:
            return fn
        tag_value = getattr(cls, tag).value
        return lambda value: {tag: tag_value, **fn(value)}

    conv.register_unstructure_hook_factory(attrs.has, factory)
    return conv


def _reference_dumps(value: Any) -> str:
    """What ``dumps`` wrote through cattrs."""
    if isinstance(value, tuple):
        data: Any = [_converter().unstructure(item) for item in value]
    else:
        data = {_VERSION_KEY: SCHEMA_VERSION, **_converter().unstructure(value)}
    return json.dumps(data, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


# --------------------------------------------------------------------------
# The reference reader: every class built by its constructor


@contextlib.contextmanager
def _constructor_path() -> Iterator[None]:
    """Read with structurers that call each class's constructor."""
    with (
        mock.patch.object(reader, "_CACHE", {}),
        mock.patch.object(reader, "_DOCUMENTS", {}),
        mock.patch.object(reader, "_construction", return_value=None),
    ):
        yield


def _read(text: str, tp: Any) -> Any:
    """The value read from *text*, or the problems refusing it."""
    try:
        return wire.loads(text, tp)
    except InvalidInput as err:
        return err.problems


def _both(text: str, tp: Any) -> tuple[Any, Any]:
    fast = _read(text, tp)
    with _constructor_path():
        slow_ = _read(text, tp)
    return fast, slow_


def _assert_same_reading(text: str, tp: Any) -> None:
    fast, reference = _both(text, tp)
    assert fast == reference
    if (
        not isinstance(fast, tuple)
        or not fast
        or not isinstance(fast[0], lowback.errors.Problem)
    ):
        assert wire.dumps(fast) == wire.dumps(reference)


def _replay_output(journal: Journal) -> wire.ReplayOutput | None:
    try:
        state, decisions = lowback.replay(journal)
    except InvalidInput:
        return None
    return wire.ReplayOutput(state=state, decisions=decisions)


@attrs.frozen(kw_only=True)
class _Floats:
    """A test-only record of floats, some given as ints or as -0.0."""

    a: float
    b: float | None
    c: tuple[float, ...]
    d: frozenset[Any]


ALL_VALUES: list[tuple[st.SearchStrategy[Any], Any]] = [*ROUND_TRIPS, *EVENTS]


class TestWriterMatchesCattrs:
    @pytest.mark.parametrize(("strategy", "tp"), ALL_VALUES, ids=lambda x: str(x)[-30:])
    def test_same_bytes_for_every_wire_value(
        self,
        strategy: st.SearchStrategy[Any],
        tp: Any,  # noqa: ARG002 - the id of the case
    ) -> None:
        """The generated writer gives the bytes the cattrs converter gave."""

        @given(strategy)
        def check(value: Any) -> None:
            assert wire.dumps(value) == _reference_dumps(value)

        check()

    @slow
    @given(journals(max_events=12))
    def test_same_bytes_for_journals_states_and_prescriptions(
        self, journal: Journal
    ) -> None:
        """Journals, replay outputs, plan states, decisions and prescriptions
        are written as the cattrs converter wrote them."""
        assert wire.dumps(journal) == _reference_dumps(journal)
        output = _replay_output(journal)
        if output is None:
            return
        values = [output, output.state, *output.decisions, *output.state.doses]
        values.append(lowback.prescription(output.state))
        for value in values:
            assert wire.dumps(value) == _reference_dumps(value)

    def test_ints_in_float_fields_and_negative_zero(self) -> None:
        """An int in a float field and -0.0 are written as cattrs wrote them."""
        value = _Floats(a=-0.0, b=30, c=(2, -0.0), d=frozenset({3, 1.5}))
        assert wire.dumps(value) == _reference_dumps(value)
        assert '"a":0.0,"b":30.0,"c":[2.0,0.0],"d":[1.5,3]' in wire.dumps(value)


class TestReaderMatchesConstructors:
    @pytest.mark.parametrize(("strategy", "tp"), ALL_VALUES, ids=lambda x: str(x)[-30:])
    def test_valid_documents(self, strategy: st.SearchStrategy[Any], tp: Any) -> None:
        """For a valid document, building directly gives the constructor's value."""

        @given(strategy)
        def check(value: Any) -> None:
            _assert_same_reading(wire.dumps(value), tp)

        check()

    @slow
    @given(journals(max_events=12))
    def test_valid_journals(self, journal: Journal) -> None:
        """A journal reads the same either way."""
        _assert_same_reading(wire.dumps(journal), Journal)

    @pytest.mark.parametrize(
        ("text", "tp"), [c[1:3] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
    )
    def test_malformed_corpus(self, text: str | bytes, tp: Any) -> None:
        """Each malformed document is refused with the same problems either way."""
        fast, reference = _both(text, tp)  # type: ignore[arg-type]
        assert isinstance(fast, tuple)
        assert fast == reference

    @pytest.mark.parametrize(
        "text",
        [c[1] for c in MALFORMED_JOURNALS],
        ids=[c[0] for c in MALFORMED_JOURNALS],
    )
    def test_malformed_journals(self, text: str) -> None:
        """Each malformed journal is refused with the same problems either way."""
        fast, reference = _both(text, Journal)
        assert isinstance(fast, tuple)
        assert fast == reference

    @given(st.one_of(_mutations(INTAKE), _mutations(TRIAGE)))
    def test_mutated_documents(self, doc: Any) -> None:
        """A mutated intake or triage result reads the same either way."""
        for tp in (lowback.Intake, lowback.TriageResult):
            _assert_same_reading(json.dumps(doc), tp)

    @given(st.integers(0, len(JOURNAL) - 1), st.data())
    def test_mutated_journals(self, index: int, data: st.DataObject) -> None:
        """A journal with one event field replaced reads the same either way."""
        doc = copy.deepcopy(JOURNAL)
        key = data.draw(st.sampled_from(sorted(doc[index])))
        doc[index][key] = data.draw(json_values)
        _assert_same_reading(json.dumps(doc), Journal)

    @given(json_values)
    def test_any_json_value(self, value: Any) -> None:
        """Arbitrary JSON reads the same either way, for every wire type."""
        for tp in wire.WIRE_TYPES.values():
            _assert_same_reading(json.dumps(value), tp)

    def test_cross_field_checks_still_run(self) -> None:
        """Checks the reader does not make still refuse: each self-check at most
        once (a cross-field validator) and a self-check's own requirements
        (its ``__attrs_post_init__``)."""
        twice = {**INTAKE, "self_checks": [INTAKE["self_checks"][0]] * 2}
        bare = {**INTAKE, "self_checks": [{"check": "forward_bend"}]}
        for doc, expected in (
            (twice, ("$.self_checks[1].check", "duplicate")),
            (bare, ("$.self_checks[0].one_side_tighter", "missing")),
        ):
            fast, reference = _both(json.dumps(doc), lowback.Intake)
            assert fast == reference
            assert expected in {(p.path, p.code) for p in fast}


# --------------------------------------------------------------------------
# The quick parse and the quick depth scan against the exact ones

_KEYS = st.sampled_from(["a", "b", "", ":", ' ":', "k[", "}{", "é", "\\"]) | st.text(
    max_size=3
)
_SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | _KEYS
#: A JSON tree as ("list", items) / ("object", pairs): objects may repeat keys.
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda items: ("list", items)),
        st.lists(st.tuples(_KEYS, inner), max_size=4).map(
            lambda pairs: ("object", pairs)
        ),
    ),
    max_leaves=24,
)
#: What may stand between a key and its colon, and between items.
_COLONS = st.sampled_from([":", " :", ": ", "\n:\t", "\r :"])


def _text_of_tree(tree: Any, colon: str) -> str:
    if isinstance(tree, tuple) and tree[0] == "list":
        return "[" + ",".join(_text_of_tree(item, colon) for item in tree[1]) + "]"
    if isinstance(tree, tuple):
        return (
            "{"
            + ",".join(
                json.dumps(k) + colon + _text_of_tree(v, colon) for k, v in tree[1]
            )
            + "}"
        )
    return json.dumps(tree)


def _marks(value: Any) -> Any:
    """*value* with each object's repeated keys made visible to ``==``."""
    if isinstance(value, dict):
        return (
            type(value).__name__,
            getattr(value, "duplicates", ()),
            {k: _marks(v) for k, v in value.items()},
        )
    if isinstance(value, list):
        return [_marks(item) for item in value]
    return value


def _parsed(parse: Callable[[], Any]) -> Any:
    try:
        return _marks(parse())
    except InvalidInput as err:
        return err.problems


def _depth_of_tree(tree: Any) -> int:
    if isinstance(tree, tuple):
        children = tree[1] if tree[0] == "list" else [v for _, v in tree[1]]
        return 1 + max(map(_depth_of_tree, children), default=0)
    return 0


class TestQuickParse:
    @given(_TREES, _COLONS)
    def test_quick_parse_marks_every_repeated_key(self, tree: Any, colon: str) -> None:
        """Whatever the quick parse returns equals the exact parse, repeated keys
        and all: it gives up whenever a key may appear twice."""
        text = _text_of_tree(tree, colon)
        exact = _parsed(lambda: parser._parse_exactly(text, "$"))
        with contextlib.suppress(parser._Unsure):
            assert _marks(parser._parse_quickly(text)) == exact
        with mock.patch.object(parser, "_QUICK_FROM_OBJECTS", 0):
            assert _parsed(lambda: parser._parse(text)) == exact

    @given(_TREES, st.integers(0, wire.MAX_DEPTH + 2))
    def test_quick_depth_scan_agrees_with_the_exact_scan(
        self, tree: Any, extra: int
    ) -> None:
        """The quick depth scan answers only when sure, and then as the exact one."""
        nested = ("list", [tree])
        for _ in range(extra):
            nested = ("object", [("k", nested)])
        text = _text_of_tree(nested, ":")
        deep = _depth_of_tree(nested) > wire.MAX_DEPTH
        assert parser._too_deep_exactly(text) == deep
        assert parser._too_deep(text) == deep
        if parser._shallow(text):
            assert not deep

    @given(
        _TREES,
        st.sampled_from(["", " ", "\n\t", "x", ","]),
        st.sampled_from(["", " ", "\r\n", "x", " ]", "{}"]),
        st.sampled_from(["", "[", '{"a":', "[1,"]),
    )
    def test_scanning_directly_is_decoding(
        self, tree: Any, before: str, after: str, cut: str
    ) -> None:
        """Calling the scanner directly gives what ``decode`` gives: the value,
        or the same error, whatever surrounds or truncates the document."""
        text = before + cut + _text_of_tree(tree, ":") + after
        decoder = json.JSONDecoder()
        assert _written(lambda: parser._decode(decoder, text)) == _written(
            lambda: decoder.decode(text)
        )

    @pytest.mark.parametrize("depth", [wire.MAX_DEPTH, wire.MAX_DEPTH + 1])
    @pytest.mark.parametrize("inner", ["[]", '{"a":1}', '["]]"]', '["\\\\"]'])
    def test_depth_boundary(self, depth: int, inner: str) -> None:
        """Exactly MAX_DEPTH levels parse; one more is too deep, whatever the
        innermost value (brackets or escapes in strings included)."""
        text = "[" * (depth - 1) + inner + "]" * (depth - 1)
        assert parser._too_deep(text) == (depth > wire.MAX_DEPTH)
        with mock.patch.object(parser, "_QUICK_FROM_OBJECTS", 0):
            outcome = _parsed(lambda: parser._parse(text))
        if depth > wire.MAX_DEPTH:
            assert [(p.path, p.code) for p in outcome] == [("$", "too_deep")]
        else:
            assert not isinstance(outcome, tuple)

    @pytest.mark.parametrize("colon", [":", " : "])
    def test_repeated_key_deep_in_a_long_journal(self, colon: str) -> None:
        """A key given twice inside a list item of a journal long enough for the
        quick parse is refused with its path, however the colon is spaced."""
        journal = demo_journal()
        session = next(
            i
            for i, e in enumerate(journal)
            if isinstance(e, lowback.SessionLogged) and e.exercises
        )
        text = wire.dumps(journal).replace(":", colon)
        assert text.count("{") >= parser._QUICK_FROM_OBJECTS
        # Repeat the first exercise's "sets" key.
        at = text.index(f'"sets"{colon}', text.index(f'"exercises"{colon}'))
        end = text.index(",", at)
        doubled = text[:end] + "," + text[at:end] + text[end:]
        with pytest.raises(InvalidInput) as caught:
            wire.loads(doubled, Journal)
        assert [(p.path, p.code) for p in caught.value.problems] == [
            (f"$[{session}].exercises[0].sets", "duplicate_key")
        ]


# --------------------------------------------------------------------------
# The text writer against encoding the JSON-ready builders' output


class _Level(enum.IntEnum):
    LOW = 1


_ODD: st.SearchStrategy[Any] = st.sampled_from(
    [
        True,
        0,
        -0.0,
        2.5,
        float("inf"),
        float("nan"),
        "7",
        "é\n",
        None,
        [],
        ("a", "b"),
        frozenset({1}),
        dt.date(2026, 1, 2),
        dt.datetime(2026, 1, 2, 3, 4),  # noqa: DTZ001 - a value, not a clock
        lowback.Answer.YES,
        _Level.LOW,
        lowback.FiredRule.of("SELF"),
    ]
)


def _written(write: Callable[[], str]) -> Any:
    try:
        return write()
    except Exception as err:  # noqa: BLE001 - compared, not hidden
        return type(err), str(err)


class TestTextWriter:
    @given(st.sampled_from(ALL_VALUES).flatmap(lambda pair: pair[0]), st.data())
    def test_any_field_holding_anything(self, value: Any, data: st.DataObject) -> None:
        """With one field holding a value of another type (validators bypassed),
        dumps still writes what encoding the JSON-ready form writes, or raises
        the same error."""
        if attrs.has(type(value)) and attrs.fields(type(value)):
            field = data.draw(st.sampled_from(attrs.fields(type(value))))
            value = copy.copy(value)
            object.__setattr__(value, field.name, data.draw(_ODD))
        assert _written(lambda: wire.dumps(value)) == _written(
            lambda: _encode(_document(value))
        )
