"""The wire contract: strict JSON in and canonical JSON out, and its JSON Schema.

This is the edge of the library: the models carry no serialization hooks.
Output goes through one private, configured ``cattrs`` converter, built on
first use (``import lowback`` does not import ``cattrs``). Input goes through
a strict structuring walk driven by the attrs fields and their type hints,
which can name every problem with its JSON path and a reason code.

Reading is strict (architecture.md, "The wire contract"):

- no coercion: ``"7"`` is not 7, ``3.9`` and ``true`` are not ints, ``null``,
  ``""`` and ``"false"`` are not Answers; an int is accepted where a float is;
- unknown keys, duplicate keys, ``NaN`` and ``Infinity`` are rejected;
- a key may be left out only when its field has a default; "sparse" records
  (the questions asked at a check-in) read a missing key as "not asked" and
  refuse an explicit ``null``;
- dates are ``YYYY-MM-DD`` and nothing else;
- input is bounded: :data:`MAX_DOCUMENT_CHARS`, :data:`MAX_DEPTH`,
  :data:`MAX_LIST_LENGTH`, :data:`MAX_STRING_CHARS`; the depth is measured
  before the JSON parser runs, so deep input never reaches its recursion.

Every problem is an :class:`~lowback.errors.InvalidInput` listing each
problem's JSON path and reason code (``missing``, ``unknown_key``,
``wrong_type``, ``out_of_range``, ``too_long``, ``duplicate``,
``duplicate_key``, ``bad_enum``, ``bad_date``, ``bad_number``, ``bad_json``,
``bad_encoding``, ``too_large``, ``too_deep``, ``bad_version``,
``invalid``). The offending value is never echoed. Unknown keys appear in
paths only when they look like field names (``[A-Za-z_][A-Za-z0-9_]*``, at
most 64 characters); any other key shows as ``*``.

``schema_version``: every top-level JSON object document carries
``"schema_version": 1`` (required, checked). In a journal (a JSON array of
events, or JSON Lines) each event *may* carry it, and when it does it must be
1: so a line written with ``dumps(event)`` is a valid journal line, and a
journal array written by :func:`dumps` carries no per-event version.

Writing is canonical: ``schema_version`` first, then a union's tag
(``check``, ``type``), then the fields in attrs' declaration order; compact
separators, ASCII only, floats written as floats (``-0.0`` as ``0.0``),
frozensets sorted, and ``None`` left out of sparse records. Equal values give
equal bytes.

>>> from lowback import Dose
>>> dumps(Dose(sets=2, reps=10))
'{"schema_version":1,"sets":2,"reps":10,"hold_seconds":null,"rest_seconds":null,"effort_percent":null,"minutes":null}'
>>> loads('{"schema_version": 1, "sets": 2, "reps": 10}', Dose) == Dose(sets=2, reps=10)
True
>>> try:
...     loads('{"schema_version": 1, "sets": "2"}', Dose)
... except InvalidInput as err:
...     print(err)
invalid input: $.sets: wrong_type (expected an integer)
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, overload

import attrs
import cattrs

from ._wire import (
    _SPARSE,
    _TAG_NAMES,
    _VERSION_KEY,
    MAX_DEPTH,
    MAX_DOCUMENT_CHARS,
    MAX_LIST_LENGTH,
    MAX_PROBLEMS,
    MAX_STRING_CHARS,
    SCHEMA_VERSION,
    _is_sequence_type,
)
from ._wire_parse import _parse, _text_of
from ._wire_read import _finish, _structure_document, _structurer
from ._wire_schema import json_schema
from .errors import InvalidInput, Problem
from .events import (
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    ClinicianCleared,
    ClinicianOverride,
    Event,
    ExerciseDone,
    Journal,
    PlanStarted,
    SelfCheckRecorded,
    SessionLogged,
)
from .exercises import Dose
from .intake import Intake, RedFlagAnswers
from .load import ExerciseDose
from .prescription import Prescription
from .progression import Decision, PlanState
from .rules import FiredRule, Thresholds
from .self_checks import SelfCheckResult
from .triage import TriageResult

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENT_CHARS",
    "MAX_LIST_LENGTH",
    "MAX_PROBLEMS",
    "MAX_STRING_CHARS",
    "SCHEMA_VERSION",
    "WIRE_TYPES",
    "ReplayOutput",
    "dumps",
    "dumps_jsonl",
    "json_schema",
    "loads",
    "loads_jsonl",
]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class ReplayOutput:
    """What ``lowback replay --json`` writes: the final state and every decision.

    >>> [f.name for f in attrs.fields(ReplayOutput)]
    ['state', 'decisions']
    """

    #: The plan after the whole journal.
    state: PlanState
    #: One decision per event, in journal order.
    decisions: tuple[Decision, ...]


#: The public wire types by name (``lowback schema NAME``).
WIRE_TYPES: Mapping[str, Any] = types.MappingProxyType(
    {
        "Intake": Intake,
        "RedFlagAnswers": RedFlagAnswers,
        "SelfCheckResult": SelfCheckResult,
        "TriageResult": TriageResult,
        "FiredRule": FiredRule,
        "Dose": Dose,
        "Thresholds": Thresholds,
        "Journal": Journal,
        "Event": Event,
        "PlanStarted": PlanStarted,
        "SessionLogged": SessionLogged,
        "ExerciseDone": ExerciseDone,
        "CheckIn": CheckIn,
        "AskedRedFlags": AskedRedFlags,
        "AskedNerveFeatures": AskedNerveFeatures,
        "SelfCheckRecorded": SelfCheckRecorded,
        "ClinicianCleared": ClinicianCleared,
        "ClinicianOverride": ClinicianOverride,
        "PlanState": PlanState,
        "Decision": Decision,
        "ExerciseDose": ExerciseDose,
        "Prescription": Prescription,
        "ReplayOutput": ReplayOutput,
    }
)


@overload
def loads(text: str | bytes, type_: type[T]) -> T: ...
@overload
def loads(text: str | bytes, type_: Any) -> Any: ...
def loads(text: str | bytes, type_: Any) -> Any:
    """Read one JSON document as a *type_* value, strictly.

    *type_* is a wire type (:data:`WIRE_TYPES`), or a tuple of one such as
    ``Journal``. A JSON object document must carry ``"schema_version": 1``.

    Raises:
        InvalidInput: listing every problem with its JSON path and code.
        TypeError: *type_* has no wire form.

    >>> from lowback import FiredRule
    >>> loads('{"schema_version":1,"id":"SELF","sources":["article:when-to-seek-help"]}', FiredRule).id
    'SELF'
    >>> loads('{"id":"SELF","sources":[]}', FiredRule)
    Traceback (most recent call last):
    ...
    lowback.errors.InvalidInput: invalid input: $.schema_version: missing (must be 1)
    """
    _structurer(type_)  # an unsupported type is a TypeError before reading
    return _structure_document(_parse(_text_of(text, "$")), type_)


def loads_jsonl(text: str | bytes, type_: Any) -> Any:
    r"""Read JSON Lines (one document per line) as a tuple, e.g. ``Journal``.

    Blank lines are skipped; paths name the line's index among the documents,
    ``$[3].date``. Each line may carry ``"schema_version": 1``.

    >>> from lowback import Dose
    >>> loads_jsonl('{"sets": 1}\n\n{"sets": 2, "schema_version": 1}\n', tuple[Dose, ...])
    (Dose(sets=1, ...), Dose(sets=2, ...))
    """
    if not _is_sequence_type(type_):
        msg = "loads_jsonl() reads a tuple type such as Journal"
        raise TypeError(msg)
    _structurer(type_)
    lines = [line for line in _text_of(text, "$").split("\n") if line.strip()]
    if len(lines) > MAX_LIST_LENGTH:
        raise InvalidInput.at("$", "too_large", f"at most {MAX_LIST_LENGTH} lines")
    problems: list[Problem] = []
    values: list[Any] = []
    for index, line in enumerate(lines):
        try:
            values.append(_parse(line, f"$[{index}]"))
        except InvalidInput as err:
            problems.extend(err.problems)
    if problems:
        raise _finish(problems)
    return _structure_document(values, type_)


# --------------------------------------------------------------------------
# Writing: the private cattrs converter


def _float_out(value: float) -> float:
    return float(value) + 0.0  # ints become floats, -0.0 becomes 0.0


def _sorted_list(value: frozenset[Any]) -> list[Any]:
    items = [_converter().unstructure(item) for item in value]
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))


def _is_frozenset(tp: Any) -> bool:
    origin: Any = typing.get_origin(tp)
    return origin is frozenset or tp is frozenset


@functools.cache
def _converter() -> cattrs.Converter:
    """The private converter, configured on first use."""
    from cattrs.gen import make_dict_unstructure_fn  # noqa: PLC0415 - lazy like the converter

    conv = cattrs.Converter()
    conv.register_unstructure_hook(float, _float_out)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook_func(_is_frozenset, _sorted_list)

    def factory(cls: Any) -> Callable[[Any], Any]:
        fn = make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=cls in _SPARSE)
        tag = next(
            (
                name
                for name in _TAG_NAMES
                if isinstance(getattr(cls, name, None), enum.Enum)
            ),
            None,
        )
        if tag is None:
            return fn
        tag_value = getattr(cls, tag).value
        return lambda value: {tag: tag_value, **fn(value)}

    conv.register_unstructure_hook_factory(attrs.has, factory)
    return conv


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def _unstructure_document(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_converter().unstructure(item) for item in value]
    if not attrs.has(type(value)):
        msg = f"lowback has no wire form for {type(value).__name__}"
        raise TypeError(msg)
    return {_VERSION_KEY: SCHEMA_VERSION, **_converter().unstructure(value)}


def dumps(value: Any) -> str:
    """Write a lowback value (or a tuple of them, like a journal) as canonical JSON.

    An attrs value is an object that starts with ``"schema_version": 1``; a
    tuple is an array whose items carry no version.

    >>> from lowback import FiredRule, SourceId
    >>> rule = FiredRule(id="SELF", sources=(SourceId.ARTICLE_RED_FLAGS,))
    >>> dumps(rule)
    '{"schema_version":1,"id":"SELF","sources":["article:when-to-seek-help"]}'
    >>> dumps((rule,))
    '[{"id":"SELF","sources":["article:when-to-seek-help"]}]'
    """
    return _encode(_unstructure_document(value))


def dumps_jsonl(values: Iterable[Any]) -> str:
    """Write values as JSON Lines: each line is ``dumps(value)``, newline-terminated.

    >>> from lowback import Dose
    >>> print(dumps_jsonl([Dose(), Dose(sets=2)]), end="")
    {"schema_version":1,"sets":1,...}
    {"schema_version":1,"sets":2,...}
    """
    return "".join(dumps(value) + "\n" for value in values)
