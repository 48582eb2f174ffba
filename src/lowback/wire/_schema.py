"""JSON Schema (draft 2020-12) generated from the attrs models, for the wire types."""

from __future__ import annotations

import datetime as dt
import enum
import typing
from typing import Any, Final

import attrs

from lowback.catalog._validation import Constraint, constraint_of

from ._model import (
    _DATE_RE,
    _SPARSE,
    _VERSION_KEY,
    MAX_LIST_LENGTH,
    MAX_STRING_CHARS,
    SCHEMA_VERSION,
    _class_tag,
    _hints,
    _is_sequence_type,
    _member_names,
    _non_null,
    _tag_of,
    _union_members,
)

__all__ = ["json_schema"]

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
            if tagged is not None:
                inner = {"oneOf": [self.ref(cls) for cls in tagged[1].values()]}
            elif all(isinstance(m, type) and attrs.has(m) for m in non_null):
                # Told apart by their keys: each member is a closed object.
                inner = {"oneOf": [self.ref(cls) for cls in non_null]}
            else:
                raise TypeError(f"lowback cannot describe the untagged union {tp!r}")
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
        limit = MAX_STRING_CHARS if c.max_chars is None else c.max_chars
        schema = {"type": "string", "maxLength": min(limit, MAX_STRING_CHARS)}
    elif tp is dt.date:
        schema = {
            "type": "string",
            "format": "date",
            "pattern": f"^{_DATE_RE.pattern}$",
        }
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        schema = {"enum": [m.value for m in tp]}
    return schema


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
