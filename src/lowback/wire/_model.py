"""The wire edge's shared vocabulary: the contract's version, limits and registrations.

New wire types need at most a line here: a union is told apart by the enum
class attribute named in :data:`_TAG_NAMES`, and records whose keys are the
questions asked are listed in :data:`_SPARSE`.
"""

from __future__ import annotations

import collections.abc
import enum
import functools
import re
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, Final

import attrs

from lowback.catalog.events import AskedNerveFeatures, AskedRedFlags

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


def _is_fact_mapping(tp: Any) -> bool:
    """A read-only ``Mapping[str, FactValue]``: the facts of a check (spec 5.3)."""
    args = typing.get_args(tp)
    return (
        typing.get_origin(tp) is collections.abc.Mapping
        and len(args) == 2
        and args[0] is str
    )


def _is_sequence_type(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _non_null(tp: Any) -> Any:
    members = tuple(m for m in _union_members(tp) if m is not type(None))
    return members[0] if len(members) == 1 else tp


def _member_names(tp: Any) -> frozenset[str]:
    return frozenset(m.__name__ for m in _union_members(tp) if isinstance(m, type))


_W = typing.TypeVar("_W", bound=Callable[[Any], Any])


class _Writers(typing.Generic[_W]):
    """The writers of one kind, generated per class on first use.

    Each class gets one writer for a value inside a document and one for a
    whole (versioned) document. A class may contain itself: while its writer
    is being generated, a field of that class refers to it through a
    :class:`_Deferred`, looked up on first call.
    """

    def __init__(self, generate: Callable[[type, bool], _W]) -> None:
        self.generate = generate
        #: Writers of values inside a document, by class.
        self.values: dict[type, _W] = {}
        #: Writers of top-level documents, led by ``schema_version``.
        self.documents: dict[type, _W] = {}
        self.in_progress: set[type] = set()

    def of(self, cls: type, *, document: bool = False) -> _W:
        """The writer of *cls*, generated if this is its first use."""
        table = self.documents if document else self.values
        found = table.get(cls)
        if found is None:
            self.in_progress.add(cls)
            try:
                found = table[cls] = self.generate(cls, document)
            finally:
                self.in_progress.discard(cls)
        return found

    def document(self, value: Any, array: Callable[[tuple[Any, ...]], Any]) -> Any:
        """Write the document *value*: a versioned object, or by *array* a tuple."""
        cls = type(value)
        build = self.documents.get(cls)
        if build is not None:
            return build(value)
        if isinstance(value, tuple):
            return array(value)
        if not attrs.has(cls):
            msg = f"lowback has no wire form for {cls.__name__}"
            raise TypeError(msg)
        return self.of(cls, document=True)(value)

    def reference(self, cls: type) -> Callable[[Any], Any]:
        """The writer to call for a field of class *cls*."""
        if cls in self.in_progress:
            return _Deferred(cls, self.of)
        return self.of(cls)


class _Deferred:
    """A class's generated writer, looked up on its first call."""

    __slots__ = ("cls", "fn", "lookup")

    def __init__(
        self, cls: type, lookup: Callable[[type], Callable[[Any], Any]]
    ) -> None:
        self.cls = cls
        self.lookup = lookup
        self.fn: Callable[[Any], Any] | None = None

    def __call__(self, value: Any) -> Any:
        fn = self.fn
        if fn is None:
            fn = self.fn = self.lookup(self.cls)
        return fn(value)


def _compiled(lines: list[str], ns: dict[str, Any]) -> Any:
    """The function ``build`` defined by the generated *lines*, with *ns* as globals."""
    exec("\n".join(lines), ns)  # noqa: S102 - generated from a class's own fields
    return ns["build"]


def _sparse_default(cls: type, field: attrs.Attribute[Any]) -> Any:
    """The default of a sparse record's *field*: left out of the wire when equal."""
    if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
        msg = f"a sparse record's default must be a value: {cls.__name__}"
        raise TypeError(msg)
    return field.default
