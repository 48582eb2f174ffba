"""The wire contract: strict JSON in, canonical JSON out, and its JSON Schema.

Both directions go through one private cattrs converter, configured once;
the models carry no serialization hooks. :doc:`/howto/schema` has the whole
contract: what is read, what is refused and how, what is written.
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
from lowback.errors import InvalidInput, NotAWireValue

from . import _base as b
from ._base import (
    MAX_DEPTH,
    MAX_DOCUMENT_CHARS,
    MAX_LIST_LENGTH,
    MAX_PROBLEMS,
    MAX_STRING_CHARS,
    SCHEMA_VERSION,
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


#: Every wire class, each listed by its own name in WIRE_TYPES, in this order.
_CLASSES: tuple[Any, ...] = (intake.Intake, intake.RedFlagAnswers, triage.TriageResult)
_CLASSES += (rules.FiredRule, exercises.Dose, thresholds.Thresholds)
_CLASSES += (*typing.get_args(events.Event), events.ExerciseDone)
_CLASSES += (events.AskedRedFlags, events.AskedNerveFeatures)
_CLASSES += (plan.PlanState, plan.Decision, load.ExerciseDose)
_CLASSES += (prescription.Prescription, ReplayOutput)
_CLASSES += (measures.NprsAnswers, measures.OdiAnswers, measures.RmdqAnswers)
_CLASSES += (measures.PsfsAnswers, measures.PsfsActivity)
_CLASSES += (measures.PegAnswers, measures.StartBackAnswers)
_CLASSES += (ScoreReport, OutcomeRecord, progress.MeasureProgress)
#: The public wire types by name (``lowback schema NAME``).
WIRE_TYPES: Mapping[str, Any] = types.MappingProxyType(
    {
        "Journal": events.Journal,
        "Event": events.Event,
        "SelfCheckResult": self_checks.SelfCheckResult,
        **{t.__name__: t for t in _CLASSES},
    }
)
_ENCODE: Final = json.JSONEncoder(
    ensure_ascii=True, allow_nan=False, separators=(",", ":"), check_circular=False
).encode


def _is_wire_type(tp: Any, *, ours: bool = False) -> bool:
    """An attrs class (*ours*: lowback's), a tagged or keyed union, a tuple of them."""
    if b.is_sequence(tp) and not ours:
        return _is_wire_type(tp.__args__[0])
    if isinstance(tp, type):
        return attrs.has(tp) and (not ours or tp.__module__.startswith("lowback."))
    members = b.union_members(tp)
    if ours:
        return bool(members) and all(_is_wire_type(t, ours=True) for t in members)
    return b.tag_of(members) is not None or (bool(members) and b.keyed(members))


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
    c, many = _wire(), b.is_sequence(tp) and type(data) is list
    items, errors = list(data) if many else [data], []
    for index, doc in enumerate(items):
        if isinstance(doc, dict) and (b.VERSION_KEY in doc or (required and not many)):
            errors += c.version_problems(doc, f"[{index}]" if many else "")
            items[index] = b.without(doc, {b.VERSION_KEY})
    try:
        value = c.CONVERTER.get_structure_hook(tp)(items if many else items[0], tp)
    except Exception as err:  # noqa: BLE001 - each becomes a Problem with its path
        errors.append(err)
    if errors:
        raise c.invalid(errors)  # outside the handler: the error keeps no context
    return value


@overload
def loads(text: str | bytes, type_: type[T]) -> T: ...
@overload
def loads(text: str | bytes, type_: Any) -> Any: ...
def loads(text: str | bytes, type_: Any) -> Any:
    """Read one JSON document as a *type_* value (:data:`WIRE_TYPES`), strictly.

    Raises:
        InvalidInput: listing every problem with its JSON path and code.
        NotAWireValue: *type_* has no wire form, or *text* is not text.

    >>> from lowback import Dose
    >>> loads('{"schema_version": 1, "sets": "2"}', Dose)
    Traceback (most recent call last):
    ...
    lowback.errors.InvalidInput: invalid input: $.sets: wrong_type (expected an integer)
    """
    _require_type(type_, "loads")
    try:
        return _read(b.parse(b.text_of(text)), type_)
    except InvalidInput as err:
        error = err
    del text  # the error keeps no reference to the input, not even in a frame
    raise error.with_traceback(None)


def loads_jsonl(text: str | bytes, type_: Any) -> Any:
    """Read JSON Lines (one document per line, blank lines skipped) as a tuple.

    Paths name the line's index among the documents (``$[3].date``); each
    line may carry ``"schema_version": 1``.
    """
    _require_type(type_, "loads_jsonl")
    if not b.is_sequence(type_):
        msg = "loads_jsonl() reads a tuple type such as Journal"
        raise NotAWireValue(msg)
    lines = [line for line in b.text_of(text).split("\n") if line.strip()]
    del text
    if len(lines) > MAX_LIST_LENGTH:
        raise InvalidInput.at("$", "too_large", f"at most {MAX_LIST_LENGTH} lines")
    values, errors = [], []
    for index, line in enumerate(lines):
        try:
            values.append(b.parse(line, f"$[{index}]"))
        except InvalidInput as err:
            errors.append(err)
    try:
        if errors:
            raise _wire().invalid(errors)
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


def _encode(value: Any) -> str:
    try:
        return _ENCODE(value)
    except ValueError:
        msg = "dumps() cannot write a float that is not finite"
    raise NotAWireValue(msg)


def dumps(value: Any) -> str:
    """Write a lowback value (or a tuple of them, like a journal) as canonical JSON.

    Raises:
        NotAWireValue: *value* is not a lowback value (or a tuple of them).

    >>> from lowback import Dose
    >>> dumps(Dose(sets=2))
    '{"schema_version":1,"sets":2,"reps":null,...}'
    """
    out = _unstructure(value)
    return _encode({b.VERSION_KEY: SCHEMA_VERSION, **out} if type(out) is dict else out)


def dumps_jsonl(values: Iterable[Any]) -> str:
    """Write values as JSON Lines: each line is ``dumps(value)``, newline-terminated."""
    return "".join(dumps(value) + "\n" for value in values)


def converter() -> cattrs.Converter:
    """Return a new cattrs converter that reads and writes lowback values strictly.

    For apps that keep lowback values inside their own cattrs-managed models.
    Unstructuring a lowback value gives the object :func:`dumps` writes
    (without the top-level ``schema_version``); structuring one goes through
    lowback's strict reader, raising :class:`~lowback.errors.InvalidInput`
    with paths rooted at that value (inside an app's own class, cattrs'
    detailed validation wraps it in its ``ClassValidationError``).
    """
    import cattrs  # noqa: PLC0415 - cattrs loads only when an app asks for it

    conv = cattrs.Converter()
    ours = functools.partial(_is_wire_type, ours=True)
    conv.register_unstructure_hook_func(
        ours, lambda value: json.loads(_encode(_unstructure(value)))
    )
    conv.register_structure_hook_func(
        ours, lambda data, tp: _read(data, tp, required=False)
    )
    return conv
