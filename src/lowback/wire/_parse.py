"""Bounded, strict JSON text to Python values: the first step of reading.

The size comes first, then the nesting depth, by a linear scan that does not
recurse (each string is skipped by one possessive match, so an unterminated
string of escaped quotes costs one pass, not one per quote). The standard
library's parser then refuses ``NaN`` and ``Infinity``, and its
``object_pairs_hook`` marks objects that repeat a key.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any, Final

from lowback.errors import InvalidInput, NotAWireValue, Problem, ReasonCode

from ._model import MAX_DEPTH, MAX_DOCUMENT_CHARS

#: A JSON string, or the rest of the text after an unterminated quote.
_STRING_RE: Final = re.compile(r'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)
_NOT_BRACKET_RE: Final = re.compile(r"[^\[\]{}]++")
_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}


class DuplicateKeys(dict[str, Any]):
    """A JSON object in which some key appeared more than once."""

    duplicates: tuple[str, ...] = ()


class _Constant(Exception):
    """``NaN``, ``Infinity`` or ``-Infinity`` in the input."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    marked = DuplicateKeys(result)
    marked.duplicates = tuple({k: 0 for k, _ in pairs if k in seen or seen.add(k)})  # type: ignore[func-returns-value]
    return marked


def _constant(_name: str) -> Any:
    raise _Constant


_DECODER: Final = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)


def too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than :data:`MAX_DEPTH` (linear time)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    if "\\" in text:
        outside = _STRING_RE.sub("", text)
    else:  # no escapes: every other piece between quotes is a string
        outside = "".join(text.split('"')[::2])
    depths = itertools.accumulate(
        map(_STEP.__getitem__, _NOT_BRACKET_RE.sub("", outside))
    )
    return max(depths, default=0) > MAX_DEPTH


def text_of(text: object) -> str:
    """Decode and size-check *text* (``str`` or UTF-8 ``bytes``)."""
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_DOCUMENT_CHARS:
            raise InvalidInput.at(
                "$", ReasonCode.TOO_LARGE, f"at most {MAX_DOCUMENT_CHARS} bytes"
            )
        try:
            return text_of(bytes(text).decode("utf-8"))
        except UnicodeDecodeError:
            pass  # raised below, outside the handler: the error holds the bytes
        raise InvalidInput.at("$", ReasonCode.BAD_ENCODING, "expected UTF-8")
    if not isinstance(text, str):
        msg = f"loads() reads JSON text (str or bytes), not a {type(text).__name__}: text first"
        raise NotAWireValue(msg)
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InvalidInput.at(
            "$", ReasonCode.TOO_LARGE, f"at most {MAX_DOCUMENT_CHARS} characters"
        )
    return text


def parse(text: str, root: str = "$") -> Any:
    """Parse one JSON document within the limits; raise InvalidInput otherwise."""
    problem = Problem(
        path=root, code=ReasonCode.TOO_DEEP, detail=f"at most {MAX_DEPTH} levels"
    )
    if not too_deep(text):
        try:
            return _DECODER.decode(text)
        except _Constant:
            problem = Problem(path=root, code=ReasonCode.BAD_NUMBER, detail="no NaN")
        except json.JSONDecodeError as err:  # it holds the whole text: not kept
            where = f"line {err.lineno} column {err.colno}"
            problem = Problem(path=root, code=ReasonCode.BAD_JSON, detail=where)
        except ValueError:  # an integer literal longer than Python converts
            problem = Problem(path=root, code=ReasonCode.BAD_NUMBER, detail="too long")
    raise InvalidInput([problem])  # outside the handlers: no __context__
