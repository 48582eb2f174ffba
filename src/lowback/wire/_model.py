"""The wire's shared vocabulary: the contract's version, limits and registrations.

A union is told apart by the enum class attribute named in :data:`TAG_NAMES`;
records whose keys are the questions asked are listed in :data:`SPARSE`.
"""

from __future__ import annotations

import enum
import functools
import re
import types
import typing
from collections.abc import Iterable
from typing import Any, Final

import attrs

from lowback.catalog.events import AskedNerveFeatures, AskedRedFlags
from lowback.catalog.intake import Intake
from lowback.catalog.validators import AllOf

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
TAG_NAMES: Final = ("check", "type")
#: Records whose keys are the questions asked: a missing key means "not asked".
SPARSE: Final = frozenset({AskedRedFlags, AskedNerveFeatures})
#: May carry ``"schema_version": 1`` inside a document (the intake in plan_started).
MAY_CARRY_VERSION: Final = frozenset({Intake})
VERSION_KEY: Final = "schema_version"
DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


@functools.cache
def hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of *cls* (a fixed set of classes: bounded)."""
    return typing.get_type_hints(cls)


def parts(validator: object) -> tuple[object, ...]:
    """The validators a field's validator is made of."""
    return validator.parts if isinstance(validator, AllOf) else (validator,)


def class_tag(cls: type) -> tuple[str, str] | None:
    """The tag key and value a class carries on the wire, if it is tagged."""
    for name in TAG_NAMES:
        value = getattr(cls, name, None)
        if isinstance(value, enum.Enum):
            return name, str(value.value)
    return None


def union_members(tp: Any) -> tuple[Any, ...]:
    """The members of a union type, or ``()``."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or isinstance(tp, types.UnionType):
        return typing.get_args(tp)
    return ()


def tag_of(members: Iterable[Any]) -> tuple[str, dict[str, type]] | None:
    """The tag key and the classes by tag value, if *members* form a tagged union."""
    members = tuple(members)
    tags = [
        class_tag(t) if isinstance(t, type) and attrs.has(t) else None for t in members
    ]
    by_value = {t[1]: cls for t, cls in zip(tags, members, strict=True) if t}
    keys = {t[0] if t else "" for t in tags}
    if len(keys) != 1 or "" in keys or len(by_value) != len(members):
        return None
    return keys.pop(), by_value


def is_sequence(tp: Any) -> bool:
    """Whether *tp* is ``tuple[X, ...]``."""
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def non_null(tp: Any) -> Any:
    """``X`` for ``X | None``; *tp* otherwise."""
    members = tuple(m for m in union_members(tp) if m is not type(None))
    return members[0] if len(members) == 1 else tp
