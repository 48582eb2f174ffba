"""Lowback values to JSON-ready Python values: the canonical writing walk.

A builder is generated once per attrs class from its fields and their type
hints: a dict literal of the fields in declaration order, each converted by
its hint (an enum to its value, a date to ``YYYY-MM-DD``, a float field to a
float with ``-0.0`` written as ``0.0``, a tuple to a list, a frozenset to a
sorted list, a union member by its own class), after the union tag if the
class carries one. Sparse records leave out the questions not asked.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import enum
import json
import typing
from collections.abc import Callable
from typing import Any

import attrs

from ._model import (
    _SPARSE,
    _VERSION_KEY,
    SCHEMA_VERSION,
    _class_tag,
    _compiled,
    _hints,
    _is_sequence_type,
    _sparse_default,
    _union_members,
    _Writers,
)

Builder = Callable[[Any], Any]


def _float_out(value: Any) -> float:
    return float(value) + 0.0  # ints become floats, -0.0 becomes 0.0


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True)


def _sorted_list(value: Any) -> list[Any]:
    return sorted([_out(item) for item in value], key=_sort_key)


def _out(value: Any) -> Any:
    """Write *value* by its own class (a union member, a journal's event)."""
    cls = type(value)
    found = _BUILDERS.values.get(cls)
    if found is not None:
        return found(value)
    if attrs.has(cls):
        return _BUILDERS.of(cls)(value)
    for kind, write in _BY_KIND:
        if isinstance(value, kind):
            return write(value)
    return value


_BY_KIND: tuple[tuple[type | tuple[type, ...], Builder], ...] = (
    (enum.Enum, lambda value: _out(value.value)),
    (float, _float_out),
    (dt.date, dt.date.isoformat),
    ((tuple, list), lambda value: [_out(item) for item in value]),
    ((frozenset, set), _sorted_list),
    (dict, lambda value: {_out(k): _out(v) for k, v in value.items()}),
)


def _expression(hint: Any, x: str, ns: dict[str, Any]) -> str:  # noqa: PLR0911 - one return per kind of type
    """A Python expression writing the value *x* of type *hint*."""
    scalar = _scalar_expression(hint, x, ns)
    if scalar is not None:
        return scalar
    members = _union_members(hint)
    if members:
        non_null = [m for m in members if m is not type(None)]
        if len(non_null) == 1:
            inner = _expression(non_null[0], x, ns)
            return f"(None if {x} is None else {inner})"
        return f"_out({x})"  # a tagged union: by the member's own class
    if _is_sequence_type(hint):
        e = f"e{len(ns)}"
        ns[e] = None  # reserve the name
        return f"[{_expression(typing.get_args(hint)[0], e, ns)} for {e} in {x}]"
    if typing.get_origin(hint) is frozenset or hint is frozenset:
        return f"_sorted_list({x})"
    if hint is Any:
        return f"_out({x})"
    if typing.get_origin(hint) is collections.abc.Mapping:
        # A check's facts: string keys, JSON scalars, in the order given.
        return f"{{k: _out(v) for k, v in {x}.items()}}"
    msg = f"lowback has no wire form for {hint!r}"
    raise TypeError(msg)


def _scalar_expression(hint: Any, x: str, ns: dict[str, Any]) -> str | None:
    """The expression for a scalar or attrs class *hint*, or ``None``."""
    result: str | None = None
    if hint in (int, str, bool) or hint is type(None):
        result = x
    elif hint is float:
        result = f"({x} + 0.0 if type({x}) is float else _float_out({x}))"
    elif hint is dt.date:
        result = f"{x}.isoformat()"
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        # A StrEnum member is a str: the encoder writes its value.
        result = x if issubclass(hint, str) else f"_out({x}.value)"
    elif isinstance(hint, type) and attrs.has(hint):
        name = f"b{len(ns)}"
        ns[name] = _BUILDERS.reference(hint)
        result = f"{name}({x})"
    return result


def _generate(cls: type, document: bool) -> Builder:
    """Generate the builder of *cls* (see the module docstring).

    A *document* builder writes ``schema_version`` first.
    """
    hints = _hints(cls)
    ns: dict[str, Any] = {"_out": _out, "_float_out": _float_out}
    ns["_sorted_list"] = _sorted_list
    tag = _class_tag(cls)
    fields = attrs.fields(cls)
    version = [f"{_VERSION_KEY!r}: {SCHEMA_VERSION!r}"] if document else []
    if cls in _SPARSE:
        lines = ["def build(v):", "    d = {" + ", ".join(version) + "}"]
        if tag is not None:
            lines.append(f"    d[{tag[0]!r}] = {tag[1]!r}")
        for index, f in enumerate(fields):
            ns[f"d{index}"] = _sparse_default(cls, f)
            lines += [
                f"    x = v.{f.name}",
                f"    if x != d{index}:",
                f"        d[{f.name!r}] = {_expression(hints[f.name], 'x', ns)}",
            ]
        lines.append("    return d")
    else:
        items = version + ([f"{tag[0]!r}: {tag[1]!r}"] if tag is not None else [])
        items += [
            f"{f.name!r}: {_expression(hints[f.name], f'v.{f.name}', ns)}"
            for f in fields
        ]
        lines = ["def build(v):", "    return {" + ", ".join(items) + "}"]
    built: Builder = _compiled(lines, ns)
    return built


_BUILDERS: _Writers[Builder] = _Writers(_generate)


def _document(value: Any) -> Any:
    """The JSON-ready form of a document: a versioned object, or an array."""
    return _BUILDERS.document(value, _array)


def _array(value: tuple[Any, ...]) -> Any:
    return [_out(item) for item in value]
