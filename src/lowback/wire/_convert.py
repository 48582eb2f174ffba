"""The one configured cattrs converter behind ``loads`` and ``dumps``, built once.

Reading is strict: each scalar hook takes exactly its JSON type (a bool is
not an int, an int is a float only in a float field, no string coercion),
unknown keys are refused (``forbid_extra_keys``), unions are told apart by
their tag, and each field's lowback validator is checked as it is read, so
every problem is found at once. Hooks raise :class:`Refused` (a reason code
and what was expected, never the value); cattrs gathers them (detailed
validation) and :func:`collect` turns them into problems with JSON paths,
listing at most ``MAX_PROBLEMS``. The model's constructor has the last word.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import heapq
import json
import math
import re
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from lowback.catalog.validators import InRange, Optional, Text, TupleOf, UniqueBy
from lowback.errors import InvalidInput, Problem, ReasonCode

from . import _base as b

_KEY_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}", re.ASCII)
_C = ReasonCode
Hook = Callable[[Any, Any], Any]
_EXPECTED: Final = {int: "an integer", bool: "true or false", str: "a string"}


class Refused(Exception):
    """One problem at the hook's path plus *suffix*: a code and a detail, no value."""

    def __init__(self, code: ReasonCode, detail: str, suffix: str = "") -> None:
        super().__init__(code, detail, suffix)
        self.code, self.detail, self.suffix = code, detail, suffix


class _Several(Exception):
    """Problems found by one hook, each below the hook's path by a suffix."""

    def __init__(self, found: list[tuple[str, Exception]]) -> None:
        super().__init__(len(found))
        self.found = found


def _key(key: object) -> str:
    """An object key as a path step; a key that is not name-like shows as ``*``."""
    return f".{key}" if isinstance(key, str) and _KEY_RE.fullmatch(key) else ".*"


class Sink:
    """Problems collected up to the cap; the rest only counted."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.total = 0

    def add(self, path: str, code: str, detail: str = "") -> None:
        """Record one problem (listed only while under the cap)."""
        self.total += 1
        if len(self.problems) < b.MAX_PROBLEMS:
            self.problems.append(Problem(path=path, code=code, detail=detail))

    def error(self) -> InvalidInput:
        """The error listing the problems, and how many more there were."""
        more = self.total - len(self.problems)
        extra = Problem(path="$", code=_C.TOO_MANY_PROBLEMS, detail=f"{more} more")
        return InvalidInput(self.problems + ([extra] if more else []))


def collect(err: BaseException, path: str, sink: Sink) -> None:  # noqa: C901
    """Record the problems *err*, raised while structuring at *path*, stands for."""
    if isinstance(err, Refused):
        sink.add(path + err.suffix, err.code, err.detail)
    elif isinstance(err, _Several):
        for suffix, inner in err.found:
            collect(inner, path + suffix, sink)
    elif isinstance(err, InvalidInput):  # a model's own validator
        for p in err.problems:
            sink.add(path + p.path[1:], p.code, p.detail)
    elif isinstance(err, ClassValidationError):
        with_notes, without = err.group_exceptions()
        for inner, note in with_notes:
            collect(inner, f"{path}.{getattr(note, 'name', '*')}", sink)
        for inner in without:
            collect(inner, path, sink)
    elif isinstance(err, ForbiddenExtraKeysError):
        keys = err.extra_fields
        listed = heapq.nsmallest(b.MAX_PROBLEMS - len(sink.problems), keys)
        for key in listed:
            sink.add(path + _key(key), _C.UNKNOWN_KEY, "not a field")
        sink.total += len(keys) - len(listed)
    elif isinstance(err, KeyError):  # cattrs reading a required key
        sink.add(path, _C.MISSING, "a required key")
    else:
        sink.add(path, _C.INVALID, "not a valid value")


def _exact(v: Any, tp: type) -> Any:
    """An int, a bool or a string, exactly; strings within the length limit."""
    if type(v) is not tp:
        raise Refused(_C.WRONG_TYPE, f"expected {_EXPECTED[tp]}")
    if type(v) is str and len(v) > b.MAX_STRING_CHARS:
        raise Refused(_C.TOO_LARGE, f"at most {b.MAX_STRING_CHARS} characters")
    return v


def _float(v: Any, _: Any) -> float:
    if type(v) is not float and type(v) is not int:
        raise Refused(_C.WRONG_TYPE, "expected a number")
    number = float(v) if type(v) is float or abs(v) < 2**1023 else math.inf
    if not math.isfinite(number):
        raise Refused(_C.OUT_OF_RANGE, "must be finite")
    return number


def _date(v: Any, _: Any) -> dt.date:
    detail = "expected a date YYYY-MM-DD"
    if type(v) is not str:
        raise Refused(_C.WRONG_TYPE, detail)
    if b.DATE_RE.fullmatch(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise Refused(_C.BAD_DATE, detail)


@functools.cache  # one entry per enum class: bounded
def _members(tp: type[enum.Enum]) -> tuple[dict[Any, enum.Enum], str]:
    members = {e.value: e for e in tp}
    return members, f"expected one of: {', '.join(map(str, members))}"


def _enum(v: Any, tp: type[enum.Enum]) -> Any:
    members, detail = _members(tp)
    if type(v) is not str or v not in members:
        raise Refused(_C.BAD_ENUM if type(v) is str else _C.WRONG_TYPE, detail)
    return members[v]


def _facts(v: Any, _: Any) -> dict[str, Any]:
    """A ``Mapping[str, FactValue]``: a JSON object of scalars."""
    if not isinstance(v, dict) or len(v) > b.MAX_LIST_LENGTH:
        raise Refused(_C.WRONG_TYPE, "expected an object of scalars")
    found: list[tuple[str, Exception]] = []
    for key, x in v.items():
        if type(x) is str and len(x) > b.MAX_STRING_CHARS:
            found.append((_key(key), Refused(_C.TOO_LARGE, "a shorter string")))
        elif not (x is None or type(x) in (bool, int, str, float)):
            found.append((_key(key), Refused(_C.WRONG_TYPE, "expected a scalar")))
        elif type(x) is float and not math.isfinite(x):
            found.append((_key(key), Refused(_C.OUT_OF_RANGE, "must be finite")))
    if found:
        raise _Several(found)
    return dict(v)


def _sequence(item_type: Any, limit: int, code: ReasonCode, *, unique: bool) -> Hook:
    item = CONVERTER.get_structure_hook(item_type)

    def structure(v: Any, _: Any) -> Any:
        if type(v) is not list or len(v) > limit:
            bad = type(v) is not list
            detail = "expected an array" if bad else f"at most {limit} items"
            raise Refused(_C.WRONG_TYPE if bad else code, detail)
        items, found = [], []
        for index, x in enumerate(v):
            try:
                items.append(item(x, item_type))
            except Exception as err:  # noqa: BLE001 - collected with its path
                found.append((f"[{index}]", err))
        if found:
            raise _Several(found)
        if unique and len(set(items)) != len(items):
            raise Refused(_C.DUPLICATE, "items must differ")
        return frozenset(items) if unique else tuple(items)

    return structure


def _union(tp: Any) -> Hook:
    members = tuple(t for t in b.union_members(tp) if t is not type(None))
    optional = len(members) < len(b.union_members(tp))
    one = CONVERTER.get_structure_hook(members[0]) if len(members) == 1 else None
    tag, classes = b.tag_of(members) or ("", {})
    keyed = one is None and not classes and b.keyed(members)
    if one is None and not classes and not keyed:
        msg = f"lowback cannot read the untagged union {tp!r}"
        raise TypeError(msg)
    detail = f"expected one of: {', '.join(classes)}"

    def structure(v: Any, _: Any) -> Any:
        if v is None and optional:
            return None
        if one is not None:
            return one(v, members[0])
        if not isinstance(v, dict):
            raise Refused(_C.WRONG_TYPE, "expected an object")
        if keyed:
            return _by_keys(v, members)
        value = v.get(tag)
        if type(value) is not str or value not in classes:
            code = _C.BAD_ENUM if type(value) is str else _C.WRONG_TYPE
            raise Refused(code if tag in v else _C.MISSING, detail, f".{tag}")
        return CONVERTER.get_structure_hook(classes[value])(v, classes[value])

    return structure


def _by_keys(v: dict[str, Any], members: tuple[Any, ...]) -> Any:
    """Read *v* as the member of an untagged union sharing the most keys with it.

    The members (outcome answer records) each have their own keys, so a
    complete record matches one member; a record with a key missing or
    misspelt is still read by its closest member, whose hook reports each
    problem by path (the unknown key refused, the missing one required).
    """
    shared = [len(v.keys() & {f.name for f in attrs.fields(t)}) for t in members]
    if not max(shared):
        names = ", ".join(t.__name__ for t in members)
        raise Refused(_C.INVALID, f"expected the keys of one of: {names}")
    cls = members[shared.index(max(shared))]
    return CONVERTER.get_structure_hook(cls)(v, cls)


def version_problem(v: dict[str, Any]) -> Refused | None:
    """What is wrong with ``v["schema_version"]``, if anything."""
    version, suffix = v[b.VERSION_KEY], f".{b.VERSION_KEY}"
    if type(version) is not int:
        return Refused(_C.WRONG_TYPE, "expected an integer", suffix)
    if version != b.SCHEMA_VERSION:
        return Refused(_C.BAD_VERSION, f"only {b.SCHEMA_VERSION}", suffix)
    return None


def without(v: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """A copy of *v* without *keys*, still marked if a key appeared twice."""
    marked = type(v) is b.DuplicateKeys
    rest = b.DuplicateKeys(v) if marked else dict(v)
    for key in keys:
        rest.pop(key, None)
    if marked:
        rest.duplicates = v.duplicates  # type: ignore[attr-defined]
    return rest


def _field(hint: Any, validator: Any) -> Hook:
    """A field's hook: its type's, within the field's limits and bounds.

    The type hook already makes the type and enum checks; the field's own
    ranges, text lengths and "each once" rules are checked here, so they are
    found with the other problems (the model's validators run again at the end).
    """
    found = [p.inner if isinstance(p, Optional) else p for p in b.parts(validator)]
    limits = [p.max_length for p in found if isinstance(p, TupleOf)]
    checks = [p for p in found if isinstance(p, InRange | Text | UniqueBy)]
    hook = CONVERTER.get_structure_hook(hint)
    if limits and b.is_sequence(b.non_null(hint)):
        code = _C.TOO_LONG if limits[0] < b.MAX_LIST_LENGTH else _C.TOO_LARGE
        item_type = typing.get_args(b.non_null(hint))[0]
        limit = min(limits[0], b.MAX_LIST_LENGTH)
        hook = _sequence(item_type, limit, code, unique=False)

    def structure(v: Any, tp: Any) -> Any:
        value = hook(v, tp)
        for check in checks if value is not None else ():
            if isinstance(check, UniqueBy):
                index = check.duplicate(value)
                if index is not None:
                    raise Refused(_C.DUPLICATE, "once", f"[{index}].{check.key}")
            elif (refused := check.refusal(value)) is not None:
                raise Refused(*refused)
        return value

    return structure if checks else hook


def _class(cls: type) -> Hook:
    tag, sparse, fields = b.class_tag(cls), cls in b.SPARSE, attrs.fields(cls)
    hints = b.hints(cls)
    hooks = {f.name: _field(hints[f.name], f.validator) for f in fields if f.init}
    make: Any = make_dict_structure_fn
    inner = make(
        cls,
        CONVERTER,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
        **{name: override(struct_hook=hook) for name, hook in hooks.items()},
    )
    drop = {tag[0]} if tag else set()
    drop |= {b.VERSION_KEY} if cls in b.MAY_CARRY_VERSION else set()
    unasked = Refused(_C.WRONG_TYPE, "leave out a question not asked")

    def structure(v: Any, _: Any) -> Any:
        if not isinstance(v, dict):
            raise Refused(_C.WRONG_TYPE, f"expected a {cls.__name__} object")
        duplicates = getattr(v, "duplicates", ())
        found: list[tuple[str, Exception]] = [
            (_key(k), Refused(_C.DUPLICATE_KEY, "once")) for k in duplicates
        ]
        if tag is not None and v.get(tag[0]) != tag[1]:
            code = _C.BAD_ENUM if type(v.get(tag[0])) is str else _C.WRONG_TYPE
            code = code if tag[0] in v else _C.MISSING
            found.append(("", Refused(code, tag[1], f".{tag[0]}")))
        if b.VERSION_KEY in drop and b.VERSION_KEY in v:
            found += [("", p) for p in [version_problem(v)] if p]
        v = without(v, drop) if drop.intersection(v) else v
        if sparse:
            found += [
                (f".{k}", unasked) for k, x in v.items() if x is None and k in hooks
            ]
        try:
            value = inner(v, cls)
        except Exception as err:  # noqa: BLE001 - collected with its path
            found.append(("", err))
        if found:
            raise _Several(found)
        return value

    return structure


def _float_out(value: Any) -> float:
    return float(value) + 0.0  # ints become floats, -0.0 becomes 0.0


def _writer(hint: Any) -> Callable[[Any], Any]:  # noqa: PLR0911 - one per kind
    """The function writing a value declared as *hint* in its JSON-ready form."""
    members = [t for t in b.union_members(hint) if t is not type(None)]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if len(members) == 1:
        inner = _writer(members[0])
        return _same if inner is _same else lambda v: None if v is None else inner(v)
    if members or attrs.has(hint):  # a tagged union: by the value's own class
        return CONVERTER.unstructure
    if hint is float or hint is dt.date:
        return _float_out if hint is float else dt.date.isoformat
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return lambda v: v.value
    if origin in (tuple, frozenset):
        item, key = _writer(args[0]), functools.partial(json.dumps, sort_keys=True)
        if origin is tuple:
            return lambda v: [item(x) for x in v]
        return lambda v: sorted(map(item, v), key=key)
    return dict if origin in (dict, Mapping) else _same


def _same(value: Any) -> Any:
    return value


def _class_writer(cls: type) -> Callable[[Any], Any]:
    make: Any = make_dict_unstructure_fn
    inner: Callable[[Any], dict[str, Any]] = make(
        cls,
        CONVERTER,
        _cattrs_omit_if_default=cls in b.SPARSE,
        **{
            f.name: override(unstruct_hook=write)
            for f in attrs.fields(cls)
            if (write := _writer(b.hints(cls)[f.name])) is not _same
        },
    )
    tag = b.class_tag(cls)
    return inner if tag is None else lambda v: {tag[0]: tag[1], **inner(v)}


def _build() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # By class: StrEnum comes before str in a StrEnum's MRO, so takes the enum hook.
    for tp, hook in [(float, _float), (dt.date, _date), (enum.StrEnum, _enum)]:
        conv.register_structure_hook(tp, hook)
    for tp in (int, bool, str, enum.Enum):
        conv.register_structure_hook(tp, _enum if tp is enum.Enum else _exact)
    origin: Callable[[Any], Any] = typing.get_origin
    conv.register_structure_hook_func(lambda t: origin(t) in (Mapping, dict), _facts)
    conv.register_structure_hook_factory(
        lambda t: b.is_sequence(t) or origin(t) is frozenset,
        lambda t: _sequence(
            t.__args__[0],
            b.MAX_LIST_LENGTH,
            _C.TOO_LARGE,
            unique=origin(t) is frozenset,
        ),
    )
    conv.register_structure_hook_factory(lambda t: bool(b.union_members(t)), _union)
    conv.register_structure_hook_factory(attrs.has, _class)
    conv.register_unstructure_hook_factory(attrs.has, _class_writer)
    return conv


#: The converter; hooks are made per type on first use and kept (a fixed set).
CONVERTER: Final = _build()
