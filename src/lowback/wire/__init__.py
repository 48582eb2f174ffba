"""The wire contract: strict JSON in and canonical JSON out, and its JSON Schema.

This is the edge of the library: the models carry no serialization hooks.
Output goes through a writer generated per class from its attrs fields and
type hints (built on first use). Input goes through
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

import json
import types
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

import attrs

if TYPE_CHECKING:
    import cattrs

from lowback.catalog.events import (
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    ClinicianCleared,
    ClinicianOverride,
    Event,
    ExerciseDone,
    Journal,
    OutcomeRecorded,
    PlanStarted,
    SelfCheckRecorded,
    SessionLogged,
)
from lowback.catalog.exercises import Dose
from lowback.catalog.intake import Intake, RedFlagAnswers
from lowback.catalog.outcomes import (
    NprsAnswers,
    OdiAnswers,
    PegAnswers,
    PsfsActivity,
    PsfsAnswers,
    RmdqAnswers,
    StartBackAnswers,
)
from lowback.catalog.rules import FiredRule
from lowback.catalog.self_checks import SelfCheckResult
from lowback.catalog.thresholds import Thresholds
from lowback.engine.load import ExerciseDose
from lowback.engine.outcomes import OutcomeRecord, ScoreReport
from lowback.engine.prescription import Prescription
from lowback.engine.progress import MeasureProgress
from lowback.engine.progression import Decision, PlanState
from lowback.engine.triage import TriageResult
from lowback.errors import InvalidInput, Problem

from ._model import (
    MAX_DEPTH,
    MAX_DOCUMENT_CHARS,
    MAX_LIST_LENGTH,
    MAX_PROBLEMS,
    MAX_STRING_CHARS,
    SCHEMA_VERSION,
    _is_sequence_type,
    _union_members,
)
from ._read import _document_plan, _finish, _structure_document, _structurer
from ._scan import _parse, _text_of
from ._schema import json_schema
from ._text import _document_text, _encode
from ._write import _out

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
        "OutcomeRecorded": OutcomeRecorded,
        "PlanState": PlanState,
        "Decision": Decision,
        "ExerciseDose": ExerciseDose,
        "Prescription": Prescription,
        "ReplayOutput": ReplayOutput,
        "NprsAnswers": NprsAnswers,
        "OdiAnswers": OdiAnswers,
        "RmdqAnswers": RmdqAnswers,
        "PsfsAnswers": PsfsAnswers,
        "PsfsActivity": PsfsActivity,
        "PegAnswers": PegAnswers,
        "StartBackAnswers": StartBackAnswers,
        "ScoreReport": ScoreReport,
        "OutcomeRecord": OutcomeRecord,
        "MeasureProgress": MeasureProgress,
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
    _document_plan(type_)  # an unsupported type is a TypeError before reading
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
    return _document_text(value)


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
    members = _union_members(tp)
    return bool(members) and all(_is_lowback_type(m) for m in members)


def converter() -> cattrs.Converter:
    """Return a new cattrs converter that reads and writes lowback values strictly.

    For apps that keep lowback values inside their own cattrs-managed models.
    Unstructuring a lowback value gives exactly the object :func:`dumps`
    writes (without the top-level ``schema_version``); structuring one goes
    through lowback's strict reader, so ``"7"`` never becomes 7 and a bad
    value raises :class:`~lowback.errors.InvalidInput` with JSON paths rooted
    at that value. Everything else is the app's: configure the converter
    further as you like. (Within an app's own class, cattrs' detailed
    validation wraps lowback's error in its ``ClassValidationError``.)

    >>> import attrs
    >>> from lowback import Dose
    >>> @attrs.frozen
    ... class Visit:
    ...     patient: str
    ...     dose: Dose
    >>> conv = converter()
    >>> conv.unstructure(Visit("p-1", Dose(sets=2, reps=10)))
    {'patient': 'p-1', 'dose': {'sets': 2, 'reps': 10, 'hold_seconds': None, 'rest_seconds': None, 'effort_percent': None, 'minutes': None}}
    >>> conv.structure({"sets": "2"}, Dose)
    Traceback (most recent call last):
    lowback.errors.InvalidInput: invalid input: $.sets: wrong_type (expected an integer)
    """
    import cattrs  # noqa: PLC0415 - cattrs loads only when an app asks for it

    conv = cattrs.Converter()
    # Through the canonical encoder, so the result holds only JSON values
    # (the writer leaves enum members for the encoder to spell).
    conv.register_unstructure_hook_func(
        _is_lowback_type, lambda value: json.loads(_encode(_out(value)))
    )
    conv.register_structure_hook_func(
        _is_lowback_type,
        lambda data, tp: _structure_document(data, tp, version_required=False),
    )
    return conv
