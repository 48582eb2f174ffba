"""JSON Schema (draft 2020-12) of the wire types, from the same validators ``loads`` reads."""

from __future__ import annotations

import datetime as dt
import enum
import typing
from collections.abc import Mapping
from typing import Any, Final

import attrs

from lowback.catalog.validators import InRange, Text, TupleOf, UniqueBy
from lowback.errors import NotAWireValue

from . import _base as b

__all__ = ["json_schema"]

_VERSION: Final = {"type": "integer", "const": b.SCHEMA_VERSION}
_NOT_NULL: Final = {"not": {"type": "null"}}


def _limits(validator: Any) -> dict[str, Any]:
    """The limits a field's lowback validators set, as JSON Schema keywords."""
    out: dict[str, Any] = {}
    for part in b.parts(validator):
        if isinstance(part, InRange):
            out |= {"minimum": part.low, "maximum": part.high}
        elif isinstance(part, Text):
            out["maxLength"] = min(part.max_chars, b.MAX_STRING_CHARS)
        elif isinstance(part, TupleOf):
            out["maxItems"] = min(part.max_length, b.MAX_LIST_LENGTH)
        elif isinstance(part, UniqueBy):
            out["unique_by"] = part.key
    return out


def _versioned(schema: dict[str, Any], *, required: bool) -> None:
    schema["properties"] = {b.VERSION_KEY: dict(_VERSION), **schema["properties"]}
    if required:
        schema["required"] = [b.VERSION_KEY, *schema["required"]]


def _scalar(tp: Any, limits: dict[str, Any]) -> dict[str, Any]:
    if tp is bool:
        return {"type": "boolean"}
    if tp in (int, float):
        bounds = {k: v for k, v in limits.items() if k in ("minimum", "maximum")}
        return {"type": "integer" if tp is int else "number", **bounds}
    if tp is str:
        return {
            "type": "string",
            "maxLength": limits.get("maxLength", b.MAX_STRING_CHARS),
        }
    if tp is dt.date:
        return {"type": "string", "format": "date", "pattern": f"^{b.DATE_RE.pattern}$"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [e.value for e in tp]}
    raise NotAWireValue(f"lowback has no wire form for {tp!r}")


def _given(names: list[str]) -> dict[str, Any]:
    """Each of *names* present and not null."""
    return {"required": names, "properties": dict.fromkeys(names, _NOT_NULL)}


def _each_once(key: str, item: Any) -> list[dict[str, Any]]:
    """Each tag value of the items' union at most once (a self-check, for one)."""
    tagged = b.tag_of(b.union_members(item))
    once = {"minContains": 0, "maxContains": 1}
    return [
        {"contains": {"properties": {key: {"const": value}}, "required": [key]}} | once
        for value in (tagged[1] if tagged else ())
    ]


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def of(self, tp: Any, limits: dict[str, Any]) -> dict[str, Any]:
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if (plain := b.non_null(tp)) is not tp:
            return {"oneOf": [self.of(plain, limits), {"type": "null"}]}
        if members := b.union_members(tp):  # tagged, or told apart by their keys
            if b.tag_of(members) is None and not b.keyed(members):
                raise NotAWireValue(f"lowback has no wire form for {tp!r}")
            return {"oneOf": [self.ref(c) for c in members]}  # each a closed object
        if isinstance(tp, type) and attrs.has(tp):
            return self.ref(tp)
        if origin in (tuple, frozenset):
            schema: dict[str, Any] = {"type": "array", "items": self.of(args[0], {})}
            schema["maxItems"] = limits.get("maxItems", b.MAX_LIST_LENGTH)
            schema |= {"uniqueItems": True} if origin is frozenset else {}
            if "unique_by" in limits:
                schema["allOf"] = _each_once(limits["unique_by"], args[0])
            return schema
        if origin in (dict, Mapping):
            fact: dict[str, Any] = {"maxLength": b.MAX_STRING_CHARS}
            fact["type"] = ["null", "boolean", "integer", "number", "string"]
            return {
                "type": "object",
                "additionalProperties": fact,
                "maxProperties": b.MAX_LIST_LENGTH,
            }
        return _scalar(tp, limits)

    def ref(self, cls: type) -> dict[str, Any]:
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {}  # a placeholder breaks cycles
            self.defs[cls.__name__] = self.object(cls)
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def object(self, cls: type) -> dict[str, Any]:
        tag, fields = b.class_tag(cls), attrs.fields(cls)
        properties: dict[str, Any] = {tag[0]: {"const": tag[1]}} if tag else {}
        for f in fields:
            hint = b.hints(cls)[f.name]
            hint = b.non_null(hint) if cls in b.SPARSE else hint
            properties[f.name] = self.of(hint, _limits(f.validator))
        required = [tag[0]] if tag else []
        required += [f.name for f in fields if f.default is attrs.NOTHING]
        schema: dict[str, Any] = {"type": "object", "title": cls.__name__}
        schema["properties"] = properties
        schema |= {"required": required, "additionalProperties": False}
        schema["description"] = (cls.__doc__ or "").strip().split("\n", 1)[0]
        if cls in b.MAY_CARRY_VERSION:  # inside plan_started, an app may send it
            _versioned(schema, required=False)
        if observations := list(getattr(cls, "observations", ())):
            # a self-check: stopped, or every observation given
            schema["anyOf"] = [_given(["stopped"]), _given(observations)]
        return schema


def json_schema(type_: Any) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the documents ``loads(text, type_)`` reads.

    Generated from the attrs fields, type hints and validators;
    :doc:`/howto/schema` says what it holds. It counts ``4.0`` as an integer
    and :func:`loads` does not: validate with integers that exclude floats.

    Raises:
        NotAWireValue: *type_* is not a wire type.

    >>> from lowback import Dose
    >>> json_schema(Dose)["properties"]["sets"]
    {'type': 'integer', 'minimum': 1, 'maximum': 10}
    """
    if not (isinstance(type_, type) or typing.get_origin(type_)):
        msg = f"json_schema() takes a wire type, not a {type(type_).__name__}"
        raise NotAWireValue(msg)
    builder = _Builder()
    body = builder.of(type_, {})
    item = typing.get_args(type_)[0] if b.is_sequence(type_) else type_
    names = {t.__name__ for t in b.union_members(item) or [item] if isinstance(t, type)}
    for name in names & builder.defs.keys():  # documents carry the version
        _versioned(builder.defs[name], required=not b.is_sequence(type_))
    if "$ref" in body:  # one class: its object is the whole schema
        body = builder.defs.pop(body["$ref"].rsplit("/", 1)[-1])
    defs = {"$defs": builder.defs} if builder.defs else {}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **body} | defs
