"""The wire contract: strict JSON in and canonical JSON out, and its JSON Schema.

The edge of the library: the models carry no serialization hooks; both
directions go through one private cattrs converter, configured once. Reading
is strict: no coercion (``"7"`` is not 7, ``3.9`` and ``true`` are not ints;
an int is read where a float is), unknown and repeated keys, ``NaN`` and
``Infinity`` refused, sparse records read a missing key as "not asked",
input bounded by :data:`MAX_DOCUMENT_CHARS`, :data:`MAX_DEPTH`,
:data:`MAX_LIST_LENGTH` and :data:`MAX_STRING_CHARS`. Every problem is an
:class:`~lowback.errors.InvalidInput` listing its JSON path and
:class:`~lowback.errors.ReasonCode` (at most :data:`MAX_PROBLEMS`), never the
value; a caller's mistake is a :class:`~lowback.errors.NotAWireValue`.
Writing is canonical: ``schema_version`` first, then a union's tag, then the
fields in declaration order, compact and ASCII. :doc:`/howto/schema` has the
whole contract.

>>> from lowback import Dose
>>> loads('{"schema_version": 1, "sets": "2"}', Dose)
Traceback (most recent call last):
...
lowback.errors.InvalidInput: invalid input: $.sets: wrong_type (expected an integer)
"""

from __future__ import annotations

import functools
import json
import types
import typing
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

import attrs

from lowback.catalog import events, exercises, intake, rules, self_checks, thresholds
from lowback.catalog import outcomes as measures
from lowback.engine import load, plan, prescription, progress, triage
from lowback.engine.outcomes import OutcomeRecord, ScoreReport
from lowback.errors import InvalidInput, NotAWireValue, Problem, ReasonCode

from ._base import (
    MAX_DEPTH,
    MAX_DOCUMENT_CHARS,
    MAX_LIST_LENGTH,
    MAX_PROBLEMS,
    MAX_STRING_CHARS,
    SCHEMA_VERSION,
    VERSION_KEY,
    is_sequence,
    keyed,
    parse,
    tag_of,
    text_of,
    union_members,
)
from ._schema import json_schema

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENT_CHARS",
    "MAX_LIST_LENGTH",
    "MAX_PROBLEMS",
    "MAX_STRING_CHARS",
    "SCHEMA_VERSION",
    "WIRE_TYPES",
    "ReplayOutput",
    "converter",
    "dumps",
    "dumps_jsonl",
    "json_schema",
    "loads",
    "loads_jsonl",
]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class ReplayOutput:
    """What ``lowback replay --json`` writes: the final state and every decision."""

    #: The plan after the whole journal.
    state: plan.PlanState
    #: One decision per event, in journal order.
    decisions: tuple[plan.Decision, ...]


_CLASSES: tuple[Any, ...] = (
    intake.Intake,
    intake.RedFlagAnswers,
    triage.TriageResult,
    rules.FiredRule,
)
_CLASSES += (exercises.Dose, thresholds.Thresholds, *typing.get_args(events.Event))
_CLASSES += (events.ExerciseDone, events.AskedRedFlags, events.AskedNerveFeatures)
_CLASSES += (plan.PlanState, plan.Decision, load.ExerciseDose)
#: The public wire types by name (``lowback schema NAME``).
WIRE_TYPES: Mapping[str, Any] = types.MappingProxyType(
    {
        "Journal": events.Journal,
        "Event": events.Event,
        "SelfCheckResult": self_checks.SelfCheckResult,
        **{t.__name__: t for t in _CLASSES},
        "Prescription": prescription.Prescription,
        "ReplayOutput": ReplayOutput,
        "NprsAnswers": measures.NprsAnswers,
        "OdiAnswers": measures.OdiAnswers,
        "RmdqAnswers": measures.RmdqAnswers,
        "PsfsAnswers": measures.PsfsAnswers,
        "PsfsActivity": measures.PsfsActivity,
        "PegAnswers": measures.PegAnswers,
        "StartBackAnswers": measures.StartBackAnswers,
        "ScoreReport": ScoreReport,
        "OutcomeRecord": OutcomeRecord,
        "MeasureProgress": progress.MeasureProgress,
    }
)
_ENCODE: Final = json.JSONEncoder(
    ensure_ascii=True, allow_nan=False, separators=(",", ":"), check_circular=False
).encode


def _is_wire_type(tp: Any) -> bool:
    """An attrs class, a tagged or keyed union of them, or a tuple of either."""
    if is_sequence(tp):
        return _is_wire_type(tp.__args__[0])
    if isinstance(tp, type):
        return attrs.has(tp)
    members = union_members(tp)
    return tag_of(members) is not None or (bool(members) and keyed(members))


def _require_type(type_: Any, call: str) -> None:
    if isinstance(type_, str | bytes | bytearray):
        msg = f"{call}(text, type_) takes the JSON text first and the type second"
        raise NotAWireValue(msg)
    if not _is_wire_type(type_):
        msg = f"{call}() got a {type(type_).__name__}, not a lowback wire type"
        raise NotAWireValue(msg)


@functools.cache
def _wire() -> types.ModuleType:
    """The converter's module, imported on first use (cattrs loads then)."""
    from . import _convert  # noqa: PLC0415 - not on `import lowback`

    return _convert


def _read(data: Any, tp: Any, *, required: bool = True) -> Any:
    """Structure parsed JSON as *tp*, or raise every problem as one InvalidInput."""
    c, many = _wire(), is_sequence(tp) and type(data) is list
    sink, items = c.Sink(), list(data) if many else [data]
    for index, item in enumerate(items):
        if isinstance(item, dict) and VERSION_KEY in item:
            if (problem := c.version_problem(item)) is not None:
                c.collect(problem, f"$[{index}]" if many else "$", sink)
            items[index] = c.without(item, {VERSION_KEY})
        elif isinstance(item, dict) and not many and required:
            sink.add(
                f"$.{VERSION_KEY}", ReasonCode.MISSING, f"must be {SCHEMA_VERSION}"
            )
    try:
        value = c.CONVERTER.get_structure_hook(tp)(items if many else items[0], tp)
    except Exception as err:  # noqa: BLE001 - each becomes a Problem with its path
        c.collect(err, "$", sink)
    if sink.total:
        raise sink.error()  # outside the handler: the error keeps no context
    return value


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
        NotAWireValue: *type_* has no wire form, or *text* is not text.

    >>> from lowback import FiredRule
    >>> loads('{"schema_version":1,"id":"SELF","sources":["article:when-to-seek-help"]}', FiredRule).id
    'SELF'
    >>> loads('{"id":"SELF","sources":[]}', FiredRule)
    Traceback (most recent call last):
    ...
    lowback.errors.InvalidInput: invalid input: $.schema_version: missing (must be 1)
    """
    _require_type(type_, "loads")
    try:
        return _read(parse(text_of(text)), type_)
    except InvalidInput as err:
        error = err
    del text  # the error keeps no reference to the input, not even in a frame
    raise error.with_traceback(None)


def loads_jsonl(text: str | bytes, type_: Any) -> Any:
    r"""Read JSON Lines (one document per line) as a tuple, e.g. ``Journal``.

    Blank lines are skipped; paths name the line's index among the documents,
    ``$[3].date``. Each line may carry ``"schema_version": 1``.

    >>> from lowback import Dose
    >>> loads_jsonl('{"sets": 1}\n\n{"sets": 2, "schema_version": 1}\n', tuple[Dose, ...])
    (Dose(sets=1, ...), Dose(sets=2, ...))
    """
    _require_type(type_, "loads_jsonl")
    if not is_sequence(type_):
        msg = "loads_jsonl() reads a tuple type such as Journal"
        raise NotAWireValue(msg)
    lines = [line for line in text_of(text).split("\n") if line.strip()]
    del text
    if len(lines) > MAX_LIST_LENGTH:
        raise InvalidInput.at("$", "too_large", f"at most {MAX_LIST_LENGTH} lines")
    problems: list[Problem] = []
    values: list[Any] = []
    for index, line in enumerate(lines):
        try:
            values.append(parse(line, f"$[{index}]"))
        except InvalidInput as err:
            problems += err.problems[: MAX_PROBLEMS - len(problems)]
    error = InvalidInput(problems) if problems else None
    if error is None:
        try:
            return _read(values, type_, required=False)
        except InvalidInput as err:
            error = err
    del lines, values
    raise error.with_traceback(None)


def _unstructure(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_unstructure(item) for item in value]
    if not attrs.has(type(value)):
        msg = f"dumps() writes lowback values, not a {type(value).__name__}"
        raise NotAWireValue(msg)
    return _wire().CONVERTER.unstructure(value)


def dumps(value: Any) -> str:
    """Write a lowback value (or a tuple of them, like a journal) as canonical JSON.

    An attrs value is an object that starts with ``"schema_version": 1``; a
    tuple is an array whose items carry no version.

    Raises:
        NotAWireValue: *value* is not a lowback value (or a tuple of them).

    >>> from lowback import FiredRule, SourceId
    >>> rule = FiredRule(id="SELF", sources=(SourceId.ARTICLE_RED_FLAGS,))
    >>> dumps(rule)
    '{"schema_version":1,"id":"SELF","sources":["article:when-to-seek-help"]}'
    >>> dumps((rule,))
    '[{"id":"SELF","sources":["article:when-to-seek-help"]}]'
    """
    out = _unstructure(value)
    try:
        return _ENCODE(
            {VERSION_KEY: SCHEMA_VERSION, **out} if isinstance(out, dict) else out
        )
    except ValueError:
        msg = "dumps() cannot write a float that is not finite"
    raise NotAWireValue(msg)


def dumps_jsonl(values: Iterable[Any]) -> str:
    """Write values as JSON Lines: each line is ``dumps(value)``, newline-terminated.

    >>> from lowback import Dose
    >>> print(dumps_jsonl([Dose(), Dose(sets=2)]), end="")
    {"schema_version":1,"sets":1,...}
    {"schema_version":1,"sets":2,...}
    """
    return "".join(dumps(value) + "\n" for value in values)


def _is_lowback_type(tp: Any) -> bool:
    """Whether *tp* is a lowback attrs class, or a union of only such classes."""
    if isinstance(tp, type):
        return attrs.has(tp) and tp.__module__.startswith("lowback.")
    members = union_members(tp)
    return bool(members) and all(_is_lowback_type(t) for t in members)


def converter() -> cattrs.Converter:
    """Return a new cattrs converter that reads and writes lowback values strictly.

    For apps that keep lowback values inside their own cattrs-managed models.
    Unstructuring a lowback value gives exactly the object :func:`dumps`
    writes (without the top-level ``schema_version``); structuring one goes
    through lowback's strict reader, raising
    :class:`~lowback.errors.InvalidInput` with paths rooted at that value.
    (Within an app's own class, cattrs' detailed validation wraps lowback's
    error in its ``ClassValidationError``.)

    >>> from lowback import Dose
    >>> converter().structure({"sets": "2"}, Dose)
    Traceback (most recent call last):
    lowback.errors.InvalidInput: invalid input: $.sets: wrong_type (expected an integer)
    """
    import cattrs  # noqa: PLC0415 - cattrs loads only when an app asks for it

    conv = cattrs.Converter()
    conv.register_unstructure_hook_func(_is_lowback_type, _unstructure)
    conv.register_structure_hook_func(
        _is_lowback_type, lambda data, tp: _read(data, tp, required=False)
    )
    return conv
