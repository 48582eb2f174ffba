"""The one configured cattrs converter behind ``loads`` and ``dumps``, built once.

Hooks raise :class:`~lowback.errors.InvalidInput` (paths from the hook's
value, a reason code and what was expected, never the value); cattrs'
detailed validation notes the field or index of each, and :func:`problems`
roots them at their JSON paths.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import heapq
import itertools
import json
import math
import re
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from lowback.catalog.validators import InRange, Text, TupleOf, UniqueBy
from lowback.errors import InvalidInput, Problem, ReasonCode

from . import _base as b

_KEY_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}", re.ASCII)
_C = ReasonCode
Hook = Callable[[Any, Any], Any]
_EXPECTED: Final = {int: "an integer", bool: "true or false", str: "a string"}


def _key(key: object) -> str:
    """An object key as a path step; a key that is not name-like shows as ``*``."""
    return f".{key}" if isinstance(key, str) and _KEY_RE.fullmatch(key) else ".*"


def _step(err: BaseException) -> str:
    """The path step cattrs' note on *err* names: ``.field``, ``[index]`` or none."""
    for note in getattr(err, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return f".{note.name}"
        if isinstance(note, IterableValidationNote):
            return f"[{note.index}]"
    return ""


def problems(err: BaseException, path: str) -> Iterator[Problem]:
    """The problems *err*, raised while structuring at *path*, stands for."""
    if isinstance(err, ExceptionGroup):  # cattrs' validation errors
        for inner in err.exceptions:
            yield from problems(inner, path + _step(inner))
    elif isinstance(err, InvalidInput):  # a hook's, or a model's own validator
        yield from (p.under(path) for p in err.problems)
    elif isinstance(err, ForbiddenExtraKeysError):  # the first few by name
        listed = heapq.nsmallest(b.MAX_PROBLEMS, err.extra_fields)
        unknown = functools.partial(Problem, code=_C.UNKNOWN_KEY, detail="not a field")
        yield from (unknown(path=path + _key(key)) for key in listed)
        rest = len(err.extra_fields) - len(listed)
        yield from itertools.repeat(unknown(path=path + ".*"), rest)
    elif isinstance(err, KeyError):  # cattrs reading a required key
        yield Problem(path=path, code=_C.MISSING, detail="a required key")
    else:
        yield Problem(path=path, code=_C.INVALID, detail="not a valid value")


def invalid(errors: list[Exception]) -> InvalidInput:
    """One error listing the problems of *errors* (at most ``MAX_PROBLEMS``)."""
    found = itertools.chain.from_iterable(problems(err, "$") for err in errors)
    listed = list(itertools.islice(found, b.MAX_PROBLEMS))
    more = sum(1 for _ in found)
    extra = Problem(path="$", code=_C.TOO_MANY_PROBLEMS, detail=f"{more} more")
    return InvalidInput([*listed, extra] if more else listed)


def _exact(v: Any, tp: type) -> Any:
    """An int, a bool or a string, exactly; strings within the length limit."""
    if type(v) is not tp:
        raise InvalidInput.at("$", _C.WRONG_TYPE, f"expected {_EXPECTED[tp]}")
    if type(v) is str and len(v) > b.MAX_STRING_CHARS:
        raise InvalidInput.at(
            "$", _C.TOO_LARGE, f"at most {b.MAX_STRING_CHARS} characters"
        )
    return v


def _float(v: Any, _: Any) -> float:
    if type(v) is not float and type(v) is not int:
        raise InvalidInput.at("$", _C.WRONG_TYPE, "expected a number")
    number = float(v) if type(v) is float or abs(v) < 2**1023 else math.inf
    if not math.isfinite(number):
        raise InvalidInput.at("$", _C.OUT_OF_RANGE, "must be finite")
    return number


def _date(v: Any, _: Any) -> dt.date:
    detail = "expected a date YYYY-MM-DD"
    if type(v) is not str:
        raise InvalidInput.at("$", _C.WRONG_TYPE, detail)
    if b.DATE_RE.fullmatch(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise InvalidInput.at("$", _C.BAD_DATE, detail)


@functools.cache  # one entry per enum class: bounded
def _members(tp: type[enum.Enum]) -> tuple[dict[Any, enum.Enum], str]:
    members = {e.value: e for e in tp}
    return members, f"expected one of: {', '.join(map(str, members))}"


def _enum(v: Any, tp: type[enum.Enum]) -> Any:
    members, detail = _members(tp)
    if type(v) is str and (member := members.get(v)) is not None:
        return member
    raise InvalidInput.at("$", _C.BAD_ENUM if type(v) is str else _C.WRONG_TYPE, detail)


def _facts(v: Any, _: Any) -> dict[str, Any]:
    """A ``Mapping[str, FactValue]``: a JSON object of scalars."""
    if not isinstance(v, dict) or len(v) > b.MAX_LIST_LENGTH:
        raise InvalidInput.at("$", _C.WRONG_TYPE, "expected an object of scalars")
    found = []
    for key, x in v.items():
        if type(x) is str and len(x) > b.MAX_STRING_CHARS:
            found.append((key, _C.TOO_LARGE, "a shorter string"))
        elif not (x is None or type(x) in (bool, int, str, float)):
            found.append((key, _C.WRONG_TYPE, "expected a scalar"))
        elif type(x) is float and not math.isfinite(x):
            found.append((key, _C.OUT_OF_RANGE, "must be finite"))
    if found:
        raise InvalidInput(
            Problem(path="$" + _key(k), code=c, detail=d) for k, c, d in found
        )
    return dict(v)


def _sequence(tp: Any, most: int = b.MAX_LIST_LENGTH) -> Hook:
    """A JSON array as a tuple or a frozenset of at most *most* items.

    Past a field's own lower limit it is ``too_long``; past the contract's,
    ``too_large``. cattrs reads the items, noting the index of each that fails.
    """
    limit = min(most, b.MAX_LIST_LENGTH)
    code = _C.TOO_LONG if most < b.MAX_LIST_LENGTH else _C.TOO_LARGE
    read = list_structure_factory(tp, CONVERTER)
    unique = typing.get_origin(tp) is frozenset

    def structure(v: Any, _: Any) -> Any:
        if type(v) is not list:
            raise InvalidInput.at("$", _C.WRONG_TYPE, "expected an array")
        if len(v) > limit:
            raise InvalidInput.at("$", code, f"at most {limit} items")
        items = read(v, tp)
        if unique and len(set(items)) != len(items):
            raise InvalidInput.at("$", _C.DUPLICATE, "items must differ")
        return frozenset(items) if unique else tuple(items)

    return structure


def _union(tp: Any) -> Hook:
    """Optional values, tagged unions, and unions whose members have their own keys.

    An untagged object is read as the member sharing the most keys with it, so
    that a misspelt or missing key is reported by path against that member.
    """
    plain = b.non_null(tp)
    if plain is not tp:
        hook = CONVERTER.get_structure_hook(plain)
        return lambda v, _: None if v is None else hook(v, plain)
    members = b.union_members(tp)
    tag, classes = b.tag_of(members) or ("", {})
    if not tag and not b.keyed(members):
        msg = f"lowback cannot read the untagged union {tp!r}"
        raise TypeError(msg)
    names = ", ".join(classes or (t.__name__ for t in members))
    detail = f"expected {'' if tag else 'the keys of '}one of: {names}"

    def structure(v: Any, _: Any) -> Any:
        if not isinstance(v, dict):
            raise InvalidInput.at("$", _C.WRONG_TYPE, "expected an object")
        if not tag:
            shared = [len(v.keys() & attrs.fields_dict(t).keys()) for t in members]
            if not max(shared):
                raise InvalidInput.at("$", _C.INVALID, detail)
            cls = members[shared.index(max(shared))]
        elif type(v.get(tag)) is not str or v[tag] not in classes:
            raise _bad_tag(v, tag, detail)
        else:
            cls = classes[v[tag]]
        return hooks[cls](v, cls)

    hooks = {t: CONVERTER.get_structure_hook(t) for t in members}
    return structure


def _bad_tag(v: dict[str, Any], key: str, detail: str) -> InvalidInput:
    """The tag at *key* is missing, not a string, or not one of those expected."""
    code = _C.BAD_ENUM if type(v.get(key)) is str else _C.WRONG_TYPE
    return InvalidInput.at(f"$.{key}", code if key in v else _C.MISSING, detail)


def version_problems(v: dict[str, Any], at: str = "") -> list[InvalidInput]:
    """What is wrong with ``v["schema_version"]`` (at *at*), if anything."""
    path = f"${at}.{b.VERSION_KEY}"
    if b.VERSION_KEY not in v:
        return [InvalidInput.at(path, _C.MISSING, f"must be {b.SCHEMA_VERSION}")]
    if type(v[b.VERSION_KEY]) is not int:
        return [InvalidInput.at(path, _C.WRONG_TYPE, "expected an integer")]
    if v[b.VERSION_KEY] != b.SCHEMA_VERSION:
        return [InvalidInput.at(path, _C.BAD_VERSION, f"only {b.SCHEMA_VERSION}")]
    return []


def _field(hint: Any, validator: Any, *, sparse: bool = False) -> Hook:
    """A field's hook: its type's, within the limits its validator sets.

    The limits are checked as the field is read, so that they are found with
    every other problem; the model's validators check them again at the end.
    A sparse record's field is never null: a question not asked is left out.
    """
    parts = b.parts(validator)
    checks = [p for p in parts if isinstance(p, InRange | Text | UniqueBy)]
    limits = [p.max_length for p in parts if isinstance(p, TupleOf)]
    plain = b.non_null(hint)
    if limits and b.is_sequence(plain):
        hook = _sequence(plain, limits[0])
    elif sparse:
        hook = _asked(plain)
    else:
        hook = CONVERTER.get_structure_hook(hint)
    nullable = plain is not hint and not sparse
    return _within(hook, checks, plain, nullable=nullable) if checks else hook


def _asked(tp: Any) -> Hook:
    """A sparse record's answer: a question not asked is left out, never null."""
    hook = CONVERTER.get_structure_hook(tp)

    def structure(v: Any, _: Any) -> Any:
        if v is None:
            raise InvalidInput.at("$", _C.WRONG_TYPE, "leave out a question not asked")
        return hook(v, tp)

    return structure


def _within(hook: Hook, checks: list[Any], plain: Any, *, nullable: bool) -> Hook:
    """*hook*, and then the value's *checks* (ranges, text lengths, "each once")."""

    def structure(v: Any, tp: Any) -> Any:
        value = hook(v, tp)
        for check in checks if value is not None else ():
            if isinstance(check, UniqueBy):
                index = check.duplicate(value)
                if index is not None:
                    raise InvalidInput.at(
                        f"$[{index}].{check.key}", _C.DUPLICATE, "once"
                    )
            elif (refused := check.refusal(value)) is not None:
                raise InvalidInput.at("$", *refused)
        return value

    bounds = checks[0]
    if len(checks) > 1 or not isinstance(bounds, InRange) or bounds.kind is not plain:
        return structure
    low, high, kind = bounds.low, bounds.high, bounds.kind

    def in_range(v: Any, tp: Any) -> Any:  # most fields: a number within bounds
        if (type(v) is kind and low <= v <= high) or (v is None and nullable):
            return v
        return structure(v, tp)

    return in_range


def _class(cls: type) -> Hook:
    """Read a *cls* object: the fields by cattrs, and the tag and key checks here.

    A well-formed object takes the quick way: its keys are checked at once and
    cattrs reads the fields. Anything else is read again strictly (cattrs
    refusing unknown keys), so that every problem is listed.
    """
    tag_key, tag_value = b.class_tag(cls) or ("", "")  # untagged: no key ""
    hints, fields = b.hints(cls), [f for f in attrs.fields(cls) if f.init]
    sparse, versioned = cls in b.SPARSE, cls in b.MAY_CARRY_VERSION
    overrides = {
        f.name: override(struct_hook=_field(hints[f.name], f.validator, sparse=sparse))
        for f in fields
    }
    make: Callable[..., Hook] = make_dict_structure_fn
    quick, strict = (
        make(cls, CONVERTER, _cattrs_forbid_extra_keys=forbid, **overrides)
        for forbid in (False, True)
    )
    tag = {tag_key} if tag_key else set()
    allowed = {f.name for f in fields} | tag
    drop = (tag | {b.VERSION_KEY}) if versioned else tag
    expected = f"expected a {cls.__name__} object"

    def structure(v: Any, _: Any) -> Any:
        if type(v) is dict and v.keys() <= allowed and v.get(tag_key, "") == tag_value:
            return quick(v, cls)
        if not isinstance(v, dict):
            raise InvalidInput.at("$", _C.WRONG_TYPE, expected)
        found: list[Exception] = [
            InvalidInput.at("$" + _key(k), _C.DUPLICATE_KEY, "once")
            for k in getattr(v, "duplicates", ())
        ]
        if tag_key and v.get(tag_key) != tag_value:
            found.append(_bad_tag(v, tag_key, tag_value))
        if versioned and b.VERSION_KEY in v:
            found += version_problems(v)
        try:
            value = strict(b.without(v, drop), cls)
        except Exception as err:  # noqa: BLE001 - collected with the others
            found.append(err)
        if found:
            raise ClassValidationError(cls.__name__, found, cls)
        return value

    return structure


def _float_out(value: Any) -> float:
    return float(value) + 0.0  # ints become floats, -0.0 becomes 0.0


def _writer(hint: Any) -> Callable[[Any], Any]:  # noqa: PLR0911 - one per kind
    """How a value declared as *hint* is written; ``identity`` when JSON takes it."""
    plain = b.non_null(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if plain is not hint:
        inner = _writer(plain)
        return identity if inner is identity else lambda v: v if v is None else inner(v)
    if b.union_members(hint):  # a union: by the value's own class
        return CONVERTER.unstructure
    if attrs.has(hint):
        return CONVERTER.get_unstructure_hook(hint)
    if hint is float or hint is dt.date:
        return _float_out if hint is float else dt.date.isoformat
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return identity if issubclass(hint, str) else lambda v: v.value
    if origin is tuple:
        item = _writer(args[0])
        return identity if item is identity else lambda v: [item(x) for x in v]
    if origin is frozenset:
        item, key = _writer(args[0]), functools.partial(json.dumps, sort_keys=True)
        return lambda v: sorted(map(item, v), key=key)
    return dict if origin in (dict, Mapping) else identity


def _class_writer(cls: type) -> Callable[[Any], Any]:
    make: Callable[..., Callable[[Any], dict[str, Any]]] = make_dict_unstructure_fn
    hints, fields, tag = b.hints(cls), attrs.fields(cls), b.class_tag(cls)
    overrides = {f.name: override(unstruct_hook=_writer(hints[f.name])) for f in fields}
    inner = make(cls, CONVERTER, _cattrs_omit_if_default=cls in b.SPARSE, **overrides)
    return inner if tag is None else lambda v: {tag[0]: tag[1], **inner(v)}


def _build() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # By class: StrEnum comes before str in a StrEnum's MRO, so takes the enum hook.
    scalars: dict[Any, Hook] = dict.fromkeys((int, bool, str), _exact)
    scalars |= {float: _float, dt.date: _date, enum.Enum: _enum, enum.StrEnum: _enum}
    for tp, hook in scalars.items():
        conv.register_structure_hook(tp, hook)
    origin: Callable[[Any], Any] = typing.get_origin
    conv.register_structure_hook_func(lambda t: origin(t) in (Mapping, dict), _facts)
    conv.register_structure_hook_factory(
        lambda t: b.is_sequence(t) or origin(t) is frozenset, _sequence
    )
    conv.register_structure_hook_factory(lambda t: bool(b.union_members(t)), _union)
    conv.register_structure_hook_factory(attrs.has, _class)
    conv.register_unstructure_hook_factory(attrs.has, _class_writer)
    return conv


#: The converter; hooks are made per type on first use and kept (a fixed set).
CONVERTER: Final = _build()
