"""The contract's version and limits, the type helpers, and the bounded JSON parse."""

from __future__ import annotations

import collections
import enum
import functools
import itertools
import json
import re
import types
import typing
from collections.abc import Iterable
from typing import Any, Final

import attrs

from lowback.catalog.events import AskedNerveFeatures, AskedRedFlags
from lowback.catalog.intake import Intake
from lowback.catalog.validators import AllOf, Optional
from lowback.errors import InvalidInput, NotAWireValue, ReasonCode

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
#: At most this many problems are listed; the rest are counted in one.
MAX_PROBLEMS: Final = 100
#: Records whose keys are the questions asked: a missing key means "not asked".
SPARSE: Final = frozenset({AskedRedFlags, AskedNerveFeatures})
#: May carry ``"schema_version": 1`` inside a document (the intake in plan_started).
MAY_CARRY_VERSION: Final = frozenset({Intake})
VERSION_KEY: Final = "schema_version"
DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
#: Deletes every ASCII character but quotes and brackets.
_KEEP: Final = {c: None for c in range(128) if chr(c) not in '"[]{}'}
_NOT_BRACKETS: Final = re.compile(r"[^\[\]{}]+")
_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}
_C = ReasonCode

hints = functools.cache(typing.get_type_hints)  # a fixed set of classes: bounded


def parts(validator: object) -> tuple[object, ...]:
    """The validators a field's validator is made of (inside optional and all_of)."""
    if isinstance(validator, Optional):
        return parts(validator.inner)
    if isinstance(validator, AllOf):
        return tuple(p for part in validator.parts for p in parts(part))
    return (validator,)


def class_tag(cls: type) -> tuple[str, str] | None:
    """The tag key (``check`` or ``type``) and value a class carries, if any."""
    for name in ("check", "type"):
        value = getattr(cls, name, None)
        if isinstance(value, enum.Enum):
            return name, str(value.value)
    return None


def union_members(tp: Any) -> tuple[Any, ...]:
    """The members of a union type, or ``()``."""
    union = typing.get_origin(tp) is typing.Union or isinstance(tp, types.UnionType)
    return typing.get_args(tp) if union else ()


def tag_of(members: tuple[Any, ...]) -> tuple[str, dict[str, type]] | None:
    """The tag key and the classes by tag value, if *members* form a tagged union."""
    tags = [
        class_tag(t) if isinstance(t, type) and attrs.has(t) else None for t in members
    ]
    if None in tags or len({t[0] for t in tags if t}) != 1:
        return None
    by_value = {t[1]: cls for t, cls in zip(tags, members, strict=True) if t}
    return (tags[0][0], by_value) if tags[0] and len(by_value) == len(tags) else None


def keyed(members: tuple[Any, ...]) -> bool:
    """Whether *members* are attrs classes each with its own set of keys (untagged)."""
    if not all(isinstance(t, type) and attrs.has(t) for t in members):
        return False
    keys = {frozenset(f.name for f in attrs.fields(t)) for t in members}
    return len(keys) == len(members)


def is_sequence(tp: Any) -> bool:
    """Whether *tp* is ``tuple[X, ...]``."""
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def non_null(tp: Any) -> Any:
    """``X`` for ``X | None``; *tp* otherwise."""
    members = [t for t in union_members(tp) if t is not type(None)]
    return members[0] if len(members) == 1 else tp


class DuplicateKeys(dict[str, Any]):
    """A JSON object in which some keys appeared more than once."""

    def __init__(self, items: dict[str, Any], duplicates: tuple[str, ...]) -> None:
        super().__init__(items)
        self.duplicates = duplicates


def without(v: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """A copy of *v* without *keys*, still marked if a key appeared twice."""
    rest = {k: x for k, x in v.items() if k not in keys}
    return DuplicateKeys(rest, v.duplicates) if type(v) is DuplicateKeys else rest


class _Constant(Exception):
    """``NaN``, ``Infinity`` or ``-Infinity`` in the input."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    counts = collections.Counter(k for k, _ in pairs)
    return DuplicateKeys(result, tuple(k for k, n in counts.items() if n > 1))


def _constant(_name: str) -> Any:
    raise _Constant


_DECODER: Final = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)


def too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than :data:`MAX_DEPTH`.

    In linear time and without recursion, before the parser runs: escapes
    out first, then every other piece between quotes is a string.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    if "\\" in text:
        text = text.replace("\\\\", "").replace('\\"', "")
    plain = text.translate(_KEEP)
    outside = _NOT_BRACKETS.sub("", "".join(plain.replace('""', "").split('"')[::2]))
    depths = itertools.accumulate(map(_STEP.__getitem__, outside))
    return max(depths, default=0) > MAX_DEPTH


def text_of(text: object) -> str:
    """Decode and size-check *text* (``str`` or UTF-8 ``bytes``)."""
    size = f"at most {MAX_DOCUMENT_CHARS} characters or bytes"
    if isinstance(text, bytes | bytearray) and len(text) <= MAX_DOCUMENT_CHARS:
        try:
            return bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            pass  # raised below, outside the handler: the error holds the bytes
        raise InvalidInput.at("$", _C.BAD_ENCODING, "expected UTF-8")
    if not isinstance(text, str | bytes | bytearray):
        name = type(text).__name__
        msg = f"loads() reads JSON text (str or bytes), not a {name}: text first"
        raise NotAWireValue(msg)
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InvalidInput.at("$", _C.TOO_LARGE, size)
    return str(text)


def parse(text: str, root: str = "$") -> Any:
    """Parse one JSON document within the limits; raise InvalidInput otherwise."""
    code, detail = _C.TOO_DEEP, f"at most {MAX_DEPTH}"
    if not too_deep(text):
        try:
            return _DECODER.decode(text)
        except _Constant:
            code, detail = _C.BAD_NUMBER, "no NaN"
        except json.JSONDecodeError as err:  # it holds the whole text: not kept
            code, detail = _C.BAD_JSON, f"line {err.lineno} column {err.colno}"
        except ValueError:  # an integer literal longer than Python converts
            code, detail = _C.BAD_NUMBER, "too long"
    raise InvalidInput.at(root, code, detail)  # outside the handlers: no __context__
