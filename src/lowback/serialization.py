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
import itertools
import json
import math
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeVar, overload

import attrs
import cattrs

from ._validation import Constraint, constraint_of
from .errors import InvalidInput, Problem
from .exercises import Dose
from .intake import Intake, RedFlagAnswers
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
    "dumps",
    "dumps_jsonl",
    "json_schema",
    "loads",
    "loads_jsonl",
]

T = TypeVar("T")

#: The version of the wire contract; top-level documents carry it.
SCHEMA_VERSION: Final = 1
#: The longest document (in characters, or bytes before decoding) read.
MAX_DOCUMENT_CHARS: Final = 4_000_000
#: The deepest nesting of arrays and objects read (a journal needs about 6).
MAX_DEPTH: Final = 32
#: The most items any JSON array may hold (a journal: about 27 years, daily).
MAX_LIST_LENGTH: Final = 10_000
#: The longest string any value may be (a clinician's note fits easily).
MAX_STRING_CHARS: Final = 10_000
#: At most this many problems are listed; the rest are summarised in one.
MAX_PROBLEMS: Final = 100

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
    }
)

#: ClassVar names that tag the members of a union on the wire.
_TAG_NAMES: Final = ("check", "type")
#: Records whose keys are the questions asked: a missing key means "not asked".
_SPARSE: frozenset[type] = frozenset()

_VERSION_KEY: Final = "schema_version"
_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}", re.ASCII)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
#: Deletes every ASCII character but brackets (what JSON has outside strings).
_KEEP_BRACKETS: Final = {c: None for c in range(128) if chr(c) not in "[]{}"}
_NOT_BRACKET_RE = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}


class _Bad:
    """The marker a structurer returns after recording a problem."""


_BAD: Final = _Bad()

Structurer = Callable[[Any, str, list[Problem]], Any]


# --------------------------------------------------------------------------
# Parsing: bounded, strict JSON


class _DuplicateKeys(dict[str, Any]):
    """A JSON object in which some key appeared more than once."""

    duplicates: tuple[str, ...] = ()


class _RejectedConstant(Exception):
    """``NaN``, ``Infinity`` or ``-Infinity`` in the input."""


def _object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    marked = _DuplicateKeys(result)
    marked.duplicates = tuple(dict.fromkeys(duplicates))
    return marked


def _reject_constant(_name: str) -> Any:
    raise _RejectedConstant


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object_pairs, parse_constant=_reject_constant
)


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than :data:`MAX_DEPTH` (no recursion)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    if "\\" in text:  # escaped quotes possible: find the strings properly
        outside = _STRING_RE.sub("", text)
    else:  # no escapes: every other piece between quotes is a string
        outside = "".join(text.split('"')[::2])
    brackets = outside.translate(_KEEP_BRACKETS)
    if not brackets.isascii():  # stray characters: invalid JSON, but scan it safely
        brackets = _NOT_BRACKET_RE.sub("", brackets)
    # The running depth (openers minus closers) bounds what the parser reaches.
    depths = itertools.accumulate(map(_DEPTH_STEP.__getitem__, brackets))
    return max(depths, default=0) > MAX_DEPTH


def _text_of(text: str | bytes, root: str) -> str:
    """Decode and size-check *text*."""
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_DOCUMENT_CHARS:
            raise InvalidInput.at(
                root, "too_large", f"at most {MAX_DOCUMENT_CHARS} bytes"
            )
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput.at(root, "bad_encoding", "expected UTF-8") from None
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InvalidInput.at(
            root, "too_large", f"at most {MAX_DOCUMENT_CHARS} characters"
        )
    return text


def _parse(text: str, root: str = "$") -> Any:
    """Parse one JSON document within the limits; raise InvalidInput otherwise."""
    if _too_deep(text):
        raise InvalidInput.at(
            root, "too_deep", f"at most {MAX_DEPTH} levels of nesting"
        )
    try:
        return _DECODER.decode(text)
    except _RejectedConstant:
        raise InvalidInput.at(
            root, "bad_number", "NaN and Infinity are not JSON"
        ) from None
    except json.JSONDecodeError as err:
        raise InvalidInput.at(
            root, "bad_json", f"line {err.lineno} column {err.colno}"
        ) from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise InvalidInput.at(root, "too_deep", "nested too deeply") from None
    except ValueError:  # e.g. an integer literal longer than Python converts
        raise InvalidInput.at(root, "bad_number", "a number too long to read") from None


# --------------------------------------------------------------------------
# Structuring: a strict walk driven by attrs fields and type hints


def _key_path(path: str, key: object) -> str:
    if isinstance(key, str) and _KEY_RE.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}.*"


def _int_structurer(c: Constraint) -> Structurer:
    low, high = c.low, c.high

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if type(v) is not int:
            problems.append(
                Problem(path=path, code="wrong_type", detail="expected an integer")
            )
            return _BAD
        if (low is not None and v < low) or (high is not None and v > high):
            problems.append(
                Problem(path=path, code="out_of_range", detail=f"must be {low}..{high}")
            )
            return _BAD
        return v

    return structure


def _float_structurer(c: Constraint) -> Structurer:
    low, high = c.low, c.high

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if type(v) is not float and type(v) is not int:
            problems.append(
                Problem(path=path, code="wrong_type", detail="expected a number")
            )
            return _BAD
        if (low is not None and not v >= low) or (high is not None and not v <= high):
            problems.append(
                Problem(path=path, code="out_of_range", detail=f"must be {low}..{high}")
            )
            return _BAD
        try:
            number = float(v)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            problems.append(
                Problem(path=path, code="out_of_range", detail="must be finite")
            )
            return _BAD
        return number

    return structure


def _str_structurer(path: str, problems: list[Problem], v: Any) -> Any:
    if type(v) is not str:
        problems.append(
            Problem(path=path, code="wrong_type", detail="expected a string")
        )
        return _BAD
    if len(v) > MAX_STRING_CHARS:
        problems.append(
            Problem(
                path=path,
                code="too_large",
                detail=f"at most {MAX_STRING_CHARS} characters",
            )
        )
        return _BAD
    return v


def _structure_str(v: Any, path: str, problems: list[Problem]) -> Any:
    return _str_structurer(path, problems, v)


def _structure_bool(v: Any, path: str, problems: list[Problem]) -> Any:
    if type(v) is not bool:
        problems.append(
            Problem(path=path, code="wrong_type", detail="expected true or false")
        )
        return _BAD
    return v


def _structure_date(v: Any, path: str, problems: list[Problem]) -> Any:
    if type(v) is not str:
        problems.append(
            Problem(path=path, code="wrong_type", detail="expected a date YYYY-MM-DD")
        )
        return _BAD
    if _DATE_RE.fullmatch(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    problems.append(
        Problem(path=path, code="bad_date", detail="expected a date YYYY-MM-DD")
    )
    return _BAD


def _enum_structurer(tp: type[enum.Enum]) -> Structurer:
    members = {m.value: m for m in tp}
    detail = f"expected one of: {', '.join(map(str, members))}"

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if type(v) is not str:
            problems.append(Problem(path=path, code="wrong_type", detail=detail))
            return _BAD
        member = members.get(v)
        if member is None:
            problems.append(Problem(path=path, code="bad_enum", detail=detail))
            return _BAD
        return member

    return structure


def _optional_structurer(inner: Structurer) -> Structurer:
    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        return None if v is None else inner(v, path, problems)

    return structure


def _sequence_structurer(
    item: Structurer, max_length: int, *, unique: bool
) -> Structurer:
    limit = min(max_length, MAX_LIST_LENGTH)
    code = "too_long" if max_length < MAX_LIST_LENGTH else "too_large"

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if type(v) is not list:
            problems.append(
                Problem(path=path, code="wrong_type", detail="expected an array")
            )
            return _BAD
        if len(v) > limit:
            problems.append(
                Problem(path=path, code=code, detail=f"at most {limit} items")
            )
            return _BAD
        before = len(problems)
        items = [item(x, f"{path}[{i}]", problems) for i, x in enumerate(v)]
        if len(problems) > before:
            return _BAD
        if not unique:
            return tuple(items)
        result = frozenset(items)
        if len(result) != len(items):
            problems.append(
                Problem(path=path, code="duplicate", detail="items must differ")
            )
            return _BAD
        return result

    return structure


def _report_duplicates(v: dict[str, Any], path: str, problems: list[Problem]) -> None:
    if isinstance(v, _DuplicateKeys):
        problems.extend(
            Problem(
                path=_key_path(path, k),
                code="duplicate_key",
                detail="a key given twice",
            )
            for k in v.duplicates
        )


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _class_tag(cls: type) -> tuple[str, str] | None:
    """The tag key and value a class carries on the wire, if it is tagged."""
    for name in _TAG_NAMES:
        value = getattr(cls, name, None)
        if isinstance(value, enum.Enum):
            return name, str(value.value)
    return None


def _not_null(inner: Structurer) -> Structurer:
    """In a sparse record, a key is left out when the question was not asked."""

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if v is None:
            problems.append(
                Problem(
                    path=path,
                    code="wrong_type",
                    detail="leave the key out when the question was not asked",
                )
            )
            return _BAD
        return inner(v, path, problems)

    return structure


def _check_keys(
    v: dict[str, Any],
    path: str,
    problems: list[Problem],
    known: frozenset[str],
    name: str,
) -> None:
    _report_duplicates(v, path, problems)
    if not known.issuperset(v):
        problems.extend(
            Problem(
                path=_key_path(path, k),
                code="unknown_key",
                detail=f"not a field of {name}",
            )
            for k in v
            if k not in known
        )


def _check_tag(
    v: dict[str, Any], path: str, problems: list[Problem], tag: tuple[str, str]
) -> None:
    key, expected = tag
    code = (
        "missing"
        if key not in v
        else "wrong_type"
        if type(v[key]) is not str
        else "bad_enum"
        if v[key] != expected
        else None
    )
    if code is not None:
        problems.append(
            Problem(path=f"{path}.{key}", code=code, detail=f"must be {expected}")
        )


def _fast_check(tp: Any, c: Constraint, ns: dict[str, Any]) -> tuple[str, str] | None:
    """A Python condition on ``x`` that accepts only valid input, and its conversion.

    The generated structurer uses it to skip the general walk for the common,
    valid case; whatever it does not accept goes to the general structurer,
    which has the last word and reports the problem. ``None``: no shortcut.
    """
    members = _union_members(tp)
    if members:
        non_null = [m for m in members if m is not type(None)]
        inner = _fast_check(non_null[0], c, ns) if len(non_null) == 1 else None
        if inner is None or len(non_null) == len(members):
            return None
        return f"(x is None or ({inner[0]}))", f"(None if x is None else {inner[1]})"
    scalar = _fast_scalar(tp, c, ns)
    if scalar is not None:
        return scalar
    args = typing.get_args(tp)
    if (
        _is_sequence_type(tp)
        and isinstance(args[0], type)
        and issubclass(args[0], enum.Enum)
    ):
        name = f"m{len(ns)}"
        ns[name] = {m.value: m for m in args[0]}
        ns[f"k{name}"] = frozenset(ns[name])
        limit = min(c.max_length or MAX_LIST_LENGTH, MAX_LIST_LENGTH)
        return (
            f"type(x) is list and len(x) <= {limit} and _within(k{name}, x)",
            f"tuple([{name}[e] for e in x])",
        )
    return None


def _within(keys: frozenset[str], items: list[Any]) -> bool:
    """Whether every item is one of *keys* (JSON strings only can be)."""
    try:
        return keys.issuperset(items)
    except TypeError:  # an array or object among the items
        return False


def _fast_scalar(tp: Any, c: Constraint, ns: dict[str, Any]) -> tuple[str, str] | None:
    """The shortcut of a scalar type, or ``None``."""
    result: tuple[str, str] | None = None
    if tp is bool:
        result = "type(x) is bool", "x"
    elif tp is str:
        result = f"type(x) is str and len(x) <= {MAX_STRING_CHARS}", "x"
    elif tp in (int, float) and (tp is int or None not in (c.low, c.high)):
        kinds = (
            "type(x) is int" if tp is int else "(type(x) is float or type(x) is int)"
        )
        bounds = "".join(
            f" and {op}"
            for op in (
                None if c.low is None else f"{c.low!r} <= x",
                None if c.high is None else f"x <= {c.high!r}",
            )
            if op
        )
        result = f"{kinds}{bounds}", "x" if tp is int else "float(x)"
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        name = f"m{len(ns)}"
        ns[name] = {m.value: m for m in tp}
        result = f"type(x) is str and x in {name}", f"{name}[x]"
    return result


def _class_structurer(cls: type) -> Structurer:
    """Generate a structurer for *cls*: inline checks for the common valid case."""
    tag = _class_tag(cls)
    sparse = cls in _SPARSE
    hints = _hints(cls)
    ns: dict[str, Any] = {
        "_BAD": _BAD,
        "Problem": Problem,
        "_check_keys": _check_keys,
        "_check_tag": _check_tag,
        "InvalidInput": InvalidInput,
        "_within": _within,
        "cls": cls,
        "tag": tag,
        "name": cls.__name__,
    }
    lines = [
        "def structure(v, path, problems):",
        "    if not isinstance(v, dict):",
        (
            "        problems.append(Problem(path=path, code='wrong_type',"
            f" detail={f'expected a {cls.__name__} object'!r}))"
        ),
        "        return _BAD",
        "    before = len(problems)",
        "    if type(v) is not dict or not known.issuperset(v):",
        "        _check_keys(v, path, problems, known, name)",
    ]
    if tag is not None:
        lines += [
            f"    if v.get({tag[0]!r}) != {tag[1]!r}:",
            "        _check_tag(v, path, problems, tag)",
        ]
    lines.append("    kw = {}")
    known = {tag[0]} if tag else set()
    for index, f in enumerate(attrs.fields(cls)):
        if not f.init:
            continue
        known.add(f.name)
        hint, constraint = hints[f.name], constraint_of(f.validator)
        general = _structurer(hint, constraint)
        if sparse:
            general, hint = _not_null(general), _non_null(hint)
        ns[f"s{index}"] = general
        suffix = f".{f.name}"
        fast = _fast_check(hint, constraint, ns)
        lines += [f"    if {f.name!r} in v:", f"        x = v[{f.name!r}]"]
        call = f"s{index}(x, path + {suffix!r}, problems)"
        if fast is None:
            lines.append(f"        kw[{f.alias!r}] = {call}")
        else:
            lines += [
                f"        if {fast[0]}:",
                f"            kw[{f.alias!r}] = {fast[1]}",
                "        else:",
                f"            kw[{f.alias!r}] = {call}",
            ]
        if f.default is attrs.NOTHING:
            lines += [
                "    else:",
                (
                    f"        problems.append(Problem(path=path + {suffix!r},"
                    " code='missing', detail='a required key'))"
                ),
            ]
    lines += [
        "    if len(problems) > before:",
        "        return _BAD",
        "    try:",
        "        return cls(**kw)",
        "    except InvalidInput as err:",
        "        problems.extend(err.under(path).problems)",
        "    except Exception:",
        (
            "        problems.append(Problem(path=path, code='invalid',"
            f" detail={f'not a valid {cls.__name__}'!r}))"
        ),
        "    return _BAD",
    ]
    ns["known"] = frozenset(known)
    exec("\n".join(lines), ns)  # noqa: S102 - generated from the class's own fields
    return ns["structure"]  # type: ignore[no-any-return]


def _union_members(tp: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or isinstance(tp, types.UnionType):
        return typing.get_args(tp)
    return ()


def _tag_of(members: Iterable[Any]) -> tuple[str, dict[str, type]] | None:
    """The tag key and the classes by tag value, if *members* form a tagged union."""
    members = tuple(members)
    if not all(isinstance(m, type) and attrs.has(m) for m in members):
        return None
    for tag in _TAG_NAMES:
        values = [getattr(m, tag, None) for m in members]
        if all(isinstance(v, enum.Enum) for v in values):
            by_value = {v.value: m for v, m in zip(values, members, strict=True)}  # type: ignore[union-attr]
            if len(by_value) == len(members):
                return tag, by_value
    return None


def _union_structurer(tag: str, classes: Mapping[str, type]) -> Structurer:
    structurers = {value: _structurer(cls) for value, cls in classes.items()}
    detail = f"expected one of: {', '.join(classes)}"

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if not isinstance(v, dict):
            problems.append(
                Problem(path=path, code="wrong_type", detail="expected an object")
            )
            return _BAD
        if tag not in v:
            problems.append(
                Problem(path=f"{path}.{tag}", code="missing", detail=detail)
            )
            return _BAD
        value = v[tag]
        if type(value) is not str:
            problems.append(
                Problem(path=f"{path}.{tag}", code="wrong_type", detail=detail)
            )
            return _BAD
        struct = structurers.get(value)
        if struct is None:
            problems.append(
                Problem(path=f"{path}.{tag}", code="bad_enum", detail=detail)
            )
            return _BAD
        return struct(v, path, problems)

    return structure


_CACHE: dict[tuple[Any, Constraint], Structurer] = {}


def _structurer(tp: Any, constraint: Constraint = Constraint()) -> Structurer:  # noqa: B008 - a frozen value
    key = (tp, constraint)
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = _make_structurer(tp, constraint)
    return found


_SIMPLE: Mapping[Any, Structurer] = {
    bool: _structure_bool,
    str: _structure_str,
    dt.date: _structure_date,
}
_NUMBERS: Mapping[Any, Callable[[Constraint], Structurer]] = {
    int: _int_structurer,
    float: _float_structurer,
}


def _make_structurer(tp: Any, c: Constraint) -> Structurer:
    simple = _SIMPLE.get(tp) or (_NUMBERS[tp](c) if tp in _NUMBERS else None)
    if simple is not None:
        return simple
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum_structurer(tp)
    if isinstance(tp, type) and attrs.has(tp):
        return _class_structurer(tp)
    if _union_members(tp):
        return _union_or_optional_structurer(tp, c)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    max_length = c.max_length if c.max_length is not None else MAX_LIST_LENGTH
    if _is_sequence_type(tp) or origin is frozenset:
        return _sequence_structurer(
            _structurer(args[0]), max_length, unique=origin is frozenset
        )
    raise TypeError(f"lowback has no wire form for {tp!r}")


def _union_or_optional_structurer(tp: Any, c: Constraint) -> Structurer:
    members = _union_members(tp)
    non_null = tuple(m for m in members if m is not type(None))
    inner: Structurer
    if len(non_null) == 1:
        inner = _structurer(non_null[0], c)
    else:
        tagged = _tag_of(non_null)
        if tagged is None:
            raise TypeError(f"lowback cannot read the untagged union {tp!r}")
        inner = _union_structurer(*tagged)
    return _optional_structurer(inner) if len(non_null) < len(members) else inner


def _finish(problems: list[Problem]) -> InvalidInput:
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = [
            *problems[:MAX_PROBLEMS],
            Problem(
                path="$", code="too_many_problems", detail=f"{more} more not listed"
            ),
        ]
    return InvalidInput(problems)


def _check_version(
    v: dict[str, Any], path: str, problems: list[Problem], *, required: bool
) -> dict[str, Any]:
    """Check and remove ``schema_version`` from a document object."""
    if _VERSION_KEY not in v:
        if required:
            problems.append(
                Problem(
                    path=f"{path}.{_VERSION_KEY}",
                    code="missing",
                    detail=f"must be {SCHEMA_VERSION}",
                )
            )
        return v
    version = v[_VERSION_KEY]
    if type(version) is not int:
        problems.append(
            Problem(
                path=f"{path}.{_VERSION_KEY}",
                code="wrong_type",
                detail="expected an integer",
            )
        )
    elif version != SCHEMA_VERSION:
        problems.append(
            Problem(
                path=f"{path}.{_VERSION_KEY}",
                code="bad_version",
                detail=f"this lowback reads version {SCHEMA_VERSION}",
            )
        )
    rest = type(v)(v)
    if isinstance(v, _DuplicateKeys):
        rest.duplicates = v.duplicates  # type: ignore[attr-defined]
    del rest[_VERSION_KEY]
    return rest


def _is_sequence_type(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _structure_document(
    value: Any, tp: Any, root: str = "$", *, version_required: bool = True
) -> Any:
    problems: list[Problem] = []
    if _is_sequence_type(tp):
        if type(value) is list:
            value = [
                _check_version(item, f"{root}[{i}]", problems, required=False)
                if isinstance(item, dict)
                else item
                for i, item in enumerate(value)
            ]
    elif isinstance(value, dict):
        value = _check_version(value, root, problems, required=version_required)
    result = _structurer(tp)(value, root, problems)
    if problems:
        raise _finish(problems)
    return result


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


# --------------------------------------------------------------------------
# JSON Schema (draft 2020-12), generated from the same fields and hints


_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
_VERSION_SCHEMA: Final = {"type": "integer", "const": SCHEMA_VERSION}


class _SchemaBuilder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def of(self, tp: Any, c: Constraint = Constraint()) -> dict[str, Any]:  # noqa: B008 - a frozen value
        simple = _simple_schema(tp, c)
        if simple is not None:
            return simple
        if isinstance(tp, type) and attrs.has(tp):
            return self.ref(tp)
        members = _union_members(tp)
        if members:
            return self.union(tp, members, c)
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (tuple, frozenset):
            limit = min(c.max_length or MAX_LIST_LENGTH, MAX_LIST_LENGTH)
            schema = {"type": "array", "items": self.of(args[0]), "maxItems": limit}
            if origin is frozenset:
                schema["uniqueItems"] = True
            return schema
        raise TypeError(f"lowback has no wire form for {tp!r}")

    def union(self, tp: Any, members: tuple[Any, ...], c: Constraint) -> dict[str, Any]:
        non_null = tuple(m for m in members if m is not type(None))
        if len(non_null) == 1:
            inner = self.of(non_null[0], c)
        else:
            tagged = _tag_of(non_null)
            if tagged is None:
                raise TypeError(f"lowback cannot describe the untagged union {tp!r}")
            inner = {"oneOf": [self.ref(cls) for cls in tagged[1].values()]}
        if len(non_null) < len(members):
            return {"oneOf": [inner, {"type": "null"}]}
        return inner

    def ref(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # a placeholder breaks cycles
            self.defs[name] = self.object(cls)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type) -> dict[str, Any]:
        hints = _hints(cls)
        tag = _class_tag(cls)
        sparse = cls in _SPARSE
        properties: dict[str, Any] = {}
        required: list[str] = []
        if tag is not None:
            properties[tag[0]] = {"const": tag[1]}
            required.append(tag[0])
        for f in attrs.fields(cls):
            if not f.init:
                continue
            hint = hints[f.name]
            if sparse:
                hint = _non_null(hint)
            properties[f.name] = self.of(hint, constraint_of(f.validator))
            if f.default is attrs.NOTHING:
                required.append(f.name)
        schema: dict[str, Any] = {
            "type": "object",
            "title": cls.__name__,
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        doc = (cls.__doc__ or "").strip().split("\n", 1)[0]
        if doc:
            schema["description"] = doc
        return schema


def _simple_schema(tp: Any, c: Constraint) -> dict[str, Any] | None:
    """The schema of a scalar type, or ``None`` for other types."""
    schema: dict[str, Any] | None = None
    if tp is bool:
        schema = {"type": "boolean"}
    elif tp is int or tp is float:
        schema = {"type": "integer" if tp is int else "number"}
        if c.low is not None:
            schema["minimum"] = c.low
        if c.high is not None:
            schema["maximum"] = c.high
    elif tp is str:
        schema = {"type": "string", "maxLength": MAX_STRING_CHARS}
    elif tp is dt.date:
        schema = {
            "type": "string",
            "format": "date",
            "pattern": f"^{_DATE_RE.pattern}$",
        }
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        schema = {"enum": [m.value for m in tp]}
    return schema


def _non_null(tp: Any) -> Any:
    members = tuple(m for m in _union_members(tp) if m is not type(None))
    return members[0] if len(members) == 1 else tp


def json_schema(type_: Any) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the documents ``loads(text, type_)`` reads.

    It is generated from the attrs fields, type hints and validators: required
    keys, ``additionalProperties: false``, enums, numeric bounds, list limits,
    and ``oneOf`` with the tag as a ``const`` for unions. Checks that span
    fields (each self-check at most once; observations unless stopped) are
    the models' own and are not in the schema.

    >>> from lowback import Dose
    >>> schema = json_schema(Dose)
    >>> schema["properties"]["sets"]
    {'type': 'integer', 'minimum': 1, 'maximum': 10}
    >>> schema["required"]
    ['schema_version']
    """
    builder = _SchemaBuilder()
    body = builder.of(type_)
    if _is_sequence_type(type_):
        # Journal items may carry the version: allow it on each item object.
        item = typing.get_args(type_)[0]
        names = _member_names(item) or {getattr(item, "__name__", "")}
        for name in names & builder.defs.keys():
            builder.defs[name]["properties"] = {
                _VERSION_KEY: dict(_VERSION_SCHEMA),
                **builder.defs[name]["properties"],
            }
        schema: dict[str, Any] = {"$schema": _DIALECT, **body}
    else:
        ref = body.get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        if name in builder.defs:
            schema = {"$schema": _DIALECT, **builder.defs.pop(name)}
            schema["properties"] = {
                _VERSION_KEY: dict(_VERSION_SCHEMA),
                **schema["properties"],
            }
            schema["required"] = [_VERSION_KEY, *schema["required"]]
        else:  # a union document: every member carries the version
            for def_name in builder.defs:
                member = builder.defs[def_name]
                if def_name in _member_names(type_):
                    member["properties"] = {
                        _VERSION_KEY: dict(_VERSION_SCHEMA),
                        **member["properties"],
                    }
                    member["required"] = [_VERSION_KEY, *member["required"]]
            schema = {"$schema": _DIALECT, **body}
    if builder.defs:
        schema["$defs"] = builder.defs
    return schema


def _member_names(tp: Any) -> frozenset[str]:
    return frozenset(m.__name__ for m in _union_members(tp) if isinstance(m, type))
