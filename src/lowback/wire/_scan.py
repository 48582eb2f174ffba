"""Bounded, strict JSON text to Python values: the first step of reading.

Limits come first: the size, then the nesting depth, measured by a scan that
does not recurse, so deep input never reaches the parser's recursion. The
parser then refuses ``NaN`` and ``Infinity`` and marks objects in which a key
appears twice, for the structuring walk to report with its path.

Both checks have a quick form for the common case, and fall back to the
exact one whenever the quick form cannot be sure: the depth of a document
without backslashes, whose strings hold no brackets, is found by peeling
innermost bracket pairs; duplicate keys are ruled out when the parsed
objects hold as many keys as the text has key-ending quotes.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from typing import Any, Final

from lowback.errors import InvalidInput

from ._model import MAX_DEPTH, MAX_DOCUMENT_CHARS

_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
#: Deletes every ASCII character but brackets (what JSON has outside strings).
_KEEP_BRACKETS: Final = {c: None for c in range(128) if chr(c) not in "[]{}"}
_NOT_BRACKET_RE = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}
#: Keeps quotes, and writes every bracket as ``(`` or ``)``; deletes the rest of ASCII.
_QUOTES_AND_NESTING: Final = {
    c: {'"': '"', "[": "(", "{": "(", "]": ")", "}": ")"}.get(chr(c))
    for c in range(128)
}
#: The whitespace JSON allows between tokens.
_JSON_SPACE: Final = " \t\n\r"
#: A quote ending a key: JSON allows whitespace before the colon.
_KEY_END_RE = re.compile(r'"[ \t\n\r]*:')


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


def _shallow(text: str) -> bool:
    """Whether *text* surely nests no deeper than :data:`MAX_DEPTH`; ``False``: unsure.

    Sure only for text without backslashes (so every quote opens or closes a
    string) whose strings hold no brackets and whose brackets pair up: then
    peeling every innermost pair once per pass empties it in as many passes
    as it is deep.
    """
    if "\\" in text:
        return False
    nesting = text.translate(_QUOTES_AND_NESTING)
    # Strings hold no brackets (nor anything else kept) only if every
    # string's two quotes are now side by side.
    nesting = nesting.replace('""', "")
    if '"' in nesting:
        return False
    for _ in range(MAX_DEPTH):
        if not nesting:
            return True
        peeled = nesting.replace("()", "")
        if len(peeled) == len(nesting):  # unpaired brackets or other characters
            return False
        nesting = peeled
    return not nesting


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than :data:`MAX_DEPTH` (no recursion)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH or _shallow(text):
        return False
    return _too_deep_exactly(text)


def _too_deep_exactly(text: str) -> bool:
    """:func:`_too_deep` by a scan of every bracket outside strings."""
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


def _keys_at_least(text: str) -> int:
    """A number no smaller than the count of object keys in the JSON *text*.

    Every key's closing quote is followed by a colon, maybe after whitespace.
    """
    quoted = text.count('":')
    if quoted == text.count(":") or not any(
        space + ":" in text for space in _JSON_SPACE
    ):  # every colon follows a quote, or no colon follows whitespace
        return quoted
    return len(_KEY_END_RE.findall(text))


class _Unsure(Exception):
    """The quick parse cannot vouch for its result."""


class _CountingDecoder(threading.local):
    """A plain-dict JSON decoder noting each object's size (one per thread)."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        add = self.sizes.append

        def counted(obj: dict[str, Any]) -> dict[str, Any]:
            add(len(obj))
            return obj

        self.decoder = json.JSONDecoder(
            object_hook=counted, parse_constant=_reject_constant
        )


_COUNTING: Final = _CountingDecoder()


def _decode(decoder: json.JSONDecoder, text: str) -> Any:
    """``decoder.decode(text)``, calling its scanner directly when that suffices.

    A document that starts with its value and ends with it, or with
    whitespace, is the scanner's result; anything else goes through
    ``decode``, which skips leading whitespace and words the errors.
    """
    try:
        value, end = decoder.scan_once(text, 0)  # type: ignore[attr-defined]
    except StopIteration:  # no value at the very start
        return decoder.decode(text)
    if end != len(text) and text[end:].strip(_JSON_SPACE):
        return decoder.decode(text)
    return value


#: Documents with fewer objects than this go straight to the exact parse,
#: which marks repeated keys object by object at little cost when few.
_QUICK_FROM_OBJECTS: Final = 16


def _parse_quickly(text: str) -> Any:
    """Parse *text* with plain dicts, if no key can have appeared twice.

    Raises:
        _Unsure: the text is not plain valid JSON, or may repeat a key.
    """
    counting = _COUNTING
    sizes = counting.sizes
    sizes.clear()
    try:
        value = _decode(counting.decoder, text)
    except Exception:  # noqa: BLE001 - the exact parse names the problem
        raise _Unsure from None
    # A repeated key leaves its object with fewer keys than the text names.
    if sum(sizes) != _keys_at_least(text):
        raise _Unsure
    return value


def _parse(text: str, root: str = "$") -> Any:
    """Parse one JSON document within the limits; raise InvalidInput otherwise."""
    objects = text.count("{")
    if objects + text.count("[") > MAX_DEPTH and _too_deep(text):
        raise InvalidInput.at(
            root, "too_deep", f"at most {MAX_DEPTH} levels of nesting"
        )
    if objects >= _QUICK_FROM_OBJECTS:
        try:
            return _parse_quickly(text)
        except _Unsure:
            pass
    return _parse_exactly(text, root)


def _parse_exactly(text: str, root: str) -> Any:
    """Parse *text*, no deeper than the limit, marking repeated keys."""
    try:
        return _decode(_DECODER, text)
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
