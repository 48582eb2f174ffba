"""Bounded, strict JSON text to Python values: the first step of reading.

Limits come first: the size, then the nesting depth, measured by a scan that
does not recurse, so deep input never reaches the parser's recursion. The
parser then refuses ``NaN`` and ``Infinity`` and marks objects in which a key
appears twice, for the structuring walk to report with its path.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any, Final

from ._wire import MAX_DEPTH, MAX_DOCUMENT_CHARS
from .errors import InvalidInput

_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
#: Deletes every ASCII character but brackets (what JSON has outside strings).
_KEEP_BRACKETS: Final = {c: None for c in range(128) if chr(c) not in "[]{}"}
_NOT_BRACKET_RE = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}


class _DuplicateKeys(dict[str, Any]):
    """A JSON object in which some key appeared more than once."""

    duplicates: tuple[str, ...] = ()


class _RejectedConstant(Exception):
    """``NaN``, ``Infinity`` or ``-Infinity`` in the input."""


def _object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    marked = _DuplicateKeys(result)
    marked.duplicates = tuple(dict.fromkeys(duplicates))
    return marked


def _reject_constant(_name: str) -> Any:
    raise _RejectedConstant


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object_pairs, parse_constant=_reject_constant
)


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than :data:`MAX_DEPTH` (no recursion)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    if "\\" in text:  # escaped quotes possible: find the strings properly
        outside = _STRING_RE.sub("", text)
    else:  # no escapes: every other piece between quotes is a string
        outside = "".join(text.split('"')[::2])
    brackets = outside.translate(_KEEP_BRACKETS)
    if not brackets.isascii():  # stray characters: invalid JSON, but scan it safely
        brackets = _NOT_BRACKET_RE.sub("", brackets)
    # The running depth (openers minus closers) bounds what the parser reaches.
    depths = itertools.accumulate(map(_DEPTH_STEP.__getitem__, brackets))
    return max(depths, default=0) > MAX_DEPTH


def _text_of(text: str | bytes, root: str) -> str:
    """Decode and size-check *text*."""
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_DOCUMENT_CHARS:
            raise InvalidInput.at(
                root, "too_large", f"at most {MAX_DOCUMENT_CHARS} bytes"
            )
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput.at(root, "bad_encoding", "expected UTF-8") from None
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InvalidInput.at(
            root, "too_large", f"at most {MAX_DOCUMENT_CHARS} characters"
        )
    return text


def _parse(text: str, root: str = "$") -> Any:
    """Parse one JSON document within the limits; raise InvalidInput otherwise."""
    if _too_deep(text):
        raise InvalidInput.at(
            root, "too_deep", f"at most {MAX_DEPTH} levels of nesting"
        )
    try:
        return _DECODER.decode(text)
    except _RejectedConstant:
        raise InvalidInput.at(
            root, "bad_number", "NaN and Infinity are not JSON"
        ) from None
    except json.JSONDecodeError as err:
        raise InvalidInput.at(
            root, "bad_json", f"line {err.lineno} column {err.colno}"
        ) from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise InvalidInput.at(root, "too_deep", "nested too deeply") from None
    except ValueError:  # e.g. an integer literal longer than Python converts
        raise InvalidInput.at(root, "bad_number", "a number too long to read") from None
