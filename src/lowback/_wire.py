"""The wire edge's shared vocabulary: the contract's version, limits and registrations.

New wire types need at most a line here: a union is told apart by the enum
class attribute named in :data:`_TAG_NAMES`, and records whose keys are the
questions asked are listed in :data:`_SPARSE`.
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

from .events import AskedNerveFeatures, AskedRedFlags

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
#: ClassVar names that tag the members of a union on the wire.
_TAG_NAMES: Final = ("check", "type")
#: Records whose keys are the questions asked: a missing key means "not asked".
_SPARSE: frozenset[type] = frozenset({AskedRedFlags, AskedNerveFeatures})
_VERSION_KEY: Final = "schema_version"
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


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


def _is_sequence_type(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _non_null(tp: Any) -> Any:
    members = tuple(m for m in _union_members(tp) if m is not type(None))
    return members[0] if len(members) == 1 else tp


def _member_names(tp: Any) -> frozenset[str]:
    return frozenset(m.__name__ for m in _union_members(tp) if isinstance(m, type))
