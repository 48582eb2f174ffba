"""Lowback values straight to canonical JSON text: the writer behind ``dumps``.

A text builder is generated once per attrs class, like the builders of
:mod:`lowback.wire._write`, but it joins JSON text directly: the keys are
written once, at generation, and each field's value is spelled by its hint
when it has exactly the hinted type (an int by ``int.__repr__``, a string
by the encoder's own escaping, an enum member from a table of its JSON
text). Anything else, and every float, frozenset or untyped value, goes
through the JSON-ready builders and the encoder, so the text is always what
encoding :func:`lowback.wire._write._document` gives, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import json.encoder
import typing
from collections.abc import Callable
from typing import Any, Final

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
from ._write import _expression, _float_out, _out, _sorted_list

#: The canonical encoder: compact, ASCII only, no NaN. The writers build
#: fresh lists and dicts, so no cycle can arise to check for.
_ENCODER: Final = json.JSONEncoder(
    ensure_ascii=True, allow_nan=False, separators=(",", ":"), check_circular=False
)
_encode: Final = _ENCODER.encode
#: The encoder's own string escaping (``ensure_ascii``).
_escape: Final = json.encoder.encode_basestring_ascii

TextBuilder = Callable[[Any], str]


def _float_text(value: Any) -> str:
    if type(value) is float and value - value == 0.0:  # finite
        return float.__repr__(value + 0.0)  # -0.0 is written 0.0
    return _encode(_float_out(value))  # ints as floats; NaN and infinities refused


def _text_out(value: Any) -> str:
    """The text of *value* by its own class (a union member, a journal's event)."""
    cls = type(value)
    found = _TEXT_BUILDERS.values.get(cls)
    if found is not None:
        return found(value)
    if attrs.has(cls):
        return _TEXT_BUILDERS.of(cls)(value)
    return _encode(_out(value))


def _fallback(hint: Any, ns: dict[str, Any]) -> str:
    """The name of a function writing a value of *hint* the JSON-ready way."""
    name = f"f{len(ns)}"
    inner: dict[str, Any] = {"_out": _out, "_float_out": _float_out}
    inner["_sorted_list"] = _sorted_list
    expression = _expression(hint, "x", inner)
    inner["_encode"] = _encode
    exec(f"def {name}(x):\n    return _encode({expression})", inner)  # noqa: S102 - from the hint
    ns[name] = inner[name]
    return name


def _text_expression(hint: Any, x: str, ns: dict[str, Any]) -> str:
    """A Python expression giving the JSON text of the value *x* of type *hint*."""
    members = _union_members(hint)
    if members:
        non_null = [m for m in members if m is not type(None)]
        if len(non_null) == 1:
            inner = _text_expression(non_null[0], x, ns)
            return f"('null' if {x} is None else {inner})"
        return f"_text_out({x})"  # a tagged union: by the member's own class
    if _is_sequence_type(hint):
        e = f"e{len(ns)}"
        ns[e] = None  # reserve the name
        item = _text_expression(typing.get_args(hint)[0], e, ns)
        return f"('[' + ','.join([{item} for {e} in {x}]) + ']')"
    if isinstance(hint, type) and attrs.has(hint):
        name = f"b{len(ns)}"
        ns[name] = _TEXT_BUILDERS.reference(hint)
        return f"{name}({x})"
    return _scalar_text(hint, x, ns)


def _scalar_text(hint: Any, x: str, ns: dict[str, Any]) -> str:
    """The text expression of a scalar (or any other) *hint*."""
    exact: str | None = None
    if hint is int:
        exact = f"int.__repr__({x})"
    elif hint is str:
        exact = f"_escape({x})"
    elif hint is bool:
        return f"('true' if {x} is True else 'false' if {x} is False else {_fallback(hint, ns)}({x}))"
    elif hint is float:
        return f"_float_text({x})"
    elif hint is dt.date:
        exact = f"('\"' + {x}.isoformat() + '\"')"
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        table = f"j{len(ns)}"
        ns[table] = {member: _encode(_out(member)) for member in hint}
        exact = f"{table}[{x}]"
    if exact is None:
        return f"{_fallback(hint, ns)}({x})"
    name = f"t{len(ns)}"
    ns[name] = hint
    return f"({exact} if type({x}) is {name} else {_fallback(hint, ns)}({x}))"


def _generate(cls: type, document: bool) -> TextBuilder:
    """Generate the text builder of *cls*; a *document* one leads with the version."""
    hints = _hints(cls)
    ns: dict[str, Any] = {
        "_text_out": _text_out,
        "_escape": _escape,
        "_float_text": _float_text,
    }
    fixed = [f"{_escape(_VERSION_KEY)}:{SCHEMA_VERSION}"] if document else []
    tag = _class_tag(cls)
    if tag is not None:
        fixed.append(f"{_escape(tag[0])}:{_escape(tag[1])}")
    fields = attrs.fields(cls)
    if cls in _SPARSE:
        lines = ["def build(v):", f"    parts = {fixed!r}"]
        for index, f in enumerate(fields):
            ns[f"d{index}"] = _sparse_default(cls, f)
            value = _text_expression(hints[f.name], "x", ns)
            lines += [
                f"    x = v.{f.name}",
                f"    if x != d{index}:",
                f"        parts.append({_escape(f.name) + ':'!r} + {value})",
            ]
        lines.append("    return '{' + ','.join(parts) + '}'")
    else:
        pieces: list[str] = []
        literal = "{" + ",".join(fixed)
        for f in fields:
            literal += ("," if literal != "{" else "") + _escape(f.name) + ":"
            pieces += [
                repr(literal),
                _text_expression(hints[f.name], f"v.{f.name}", ns),
            ]
            literal = ""
        pieces.append(repr(literal + "}"))
        lines = ["def build(v):", f"    return ''.join(({', '.join(pieces)},))"]
    built: TextBuilder = _compiled(lines, ns)
    return built


_TEXT_BUILDERS: _Writers[TextBuilder] = _Writers(_generate)


def _document_text(value: Any) -> str:
    """The canonical JSON text of a document: a versioned object, or an array."""
    text: str = _TEXT_BUILDERS.document(value, _array)
    return text


def _array(value: tuple[Any, ...]) -> str:
    return "[" + ",".join([_text_out(item) for item in value]) + "]"
