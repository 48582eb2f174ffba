"""Structurers of JSON scalars and arrays: each value checked with its JSON path.

A structurer takes a value parsed from JSON, its path and the list of
problems found so far. It returns the lowback value, or :data:`_BAD` after
recording why not (a path, a reason code and what was expected, never the
value). :mod:`lowback.wire._read` composes them into the structurers of
classes, unions and documents.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from collections.abc import Callable
from typing import Any, Final

from lowback.catalog._validation import Constraint
from lowback.errors import Problem

from ._model import _DATE_RE, MAX_LIST_LENGTH, MAX_STRING_CHARS

_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}", re.ASCII)


class _Bad:
    """The marker a structurer returns after recording a problem."""


_BAD: Final = _Bad()

Structurer = Callable[[Any, str, list[Problem]], Any]


def _key_path(path: str, key: object) -> str:
    if isinstance(key, str) and _KEY_RE.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}.*"


def _int_structurer(c: Constraint) -> Structurer:
    low, high = c.low, c.high

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if type(v) is not int:
            problems.append(
                Problem(path=path, code="wrong_type", detail="expected an integer")
            )
            return _BAD
        if (low is not None and v < low) or (high is not None and v > high):
            problems.append(
                Problem(path=path, code="out_of_range", detail=f"must be {low}..{high}")
            )
            return _BAD
        return v

    return structure


def _float_structurer(c: Constraint) -> Structurer:
    low, high = c.low, c.high

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if type(v) is not float and type(v) is not int:
            problems.append(
                Problem(path=path, code="wrong_type", detail="expected a number")
            )
            return _BAD
        if (low is not None and not v >= low) or (high is not None and not v <= high):
            problems.append(
                Problem(path=path, code="out_of_range", detail=f"must be {low}..{high}")
            )
            return _BAD
        try:
            number = float(v)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            problems.append(
                Problem(path=path, code="out_of_range", detail="must be finite")
            )
            return _BAD
        return number

    return structure


def _str_structurer(path: str, problems: list[Problem], v: Any) -> Any:
    if type(v) is not str:
        problems.append(
            Problem(path=path, code="wrong_type", detail="expected a string")
        )
        return _BAD
    if len(v) > MAX_STRING_CHARS:
        problems.append(
            Problem(
                path=path,
                code="too_large",
                detail=f"at most {MAX_STRING_CHARS} characters",
            )
        )
        return _BAD
    return v


def _structure_str(v: Any, path: str, problems: list[Problem]) -> Any:
    return _str_structurer(path, problems, v)


def _structure_bool(v: Any, path: str, problems: list[Problem]) -> Any:
    if type(v) is not bool:
        problems.append(
            Problem(path=path, code="wrong_type", detail="expected true or false")
        )
        return _BAD
    return v


def _structure_date(v: Any, path: str, problems: list[Problem]) -> Any:
    if type(v) is not str:
        problems.append(
            Problem(path=path, code="wrong_type", detail="expected a date YYYY-MM-DD")
        )
        return _BAD
    if _DATE_RE.fullmatch(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    problems.append(
        Problem(path=path, code="bad_date", detail="expected a date YYYY-MM-DD")
    )
    return _BAD


def _enum_structurer(tp: type[enum.Enum]) -> Structurer:
    members = {m.value: m for m in tp}
    detail = f"expected one of: {', '.join(map(str, members))}"

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if type(v) is not str:
            problems.append(Problem(path=path, code="wrong_type", detail=detail))
            return _BAD
        member = members.get(v)
        if member is None:
            problems.append(Problem(path=path, code="bad_enum", detail=detail))
            return _BAD
        return member

    return structure


def _optional_structurer(inner: Structurer) -> Structurer:
    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        return None if v is None else inner(v, path, problems)

    return structure


def _sequence_structurer(
    item: Structurer, max_length: int, *, unique: bool
) -> Structurer:
    limit = min(max_length, MAX_LIST_LENGTH)
    code = "too_long" if max_length < MAX_LIST_LENGTH else "too_large"

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if type(v) is not list:
            problems.append(
                Problem(path=path, code="wrong_type", detail="expected an array")
            )
            return _BAD
        if len(v) > limit:
            problems.append(
                Problem(path=path, code=code, detail=f"at most {limit} items")
            )
            return _BAD
        before = len(problems)
        items = [item(x, f"{path}[{i}]", problems) for i, x in enumerate(v)]
        if len(problems) > before:
            return _BAD
        if not unique:
            return tuple(items)
        result = frozenset(items)
        if len(result) != len(items):
            problems.append(
                Problem(path=path, code="duplicate", detail="items must differ")
            )
            return _BAD
        return result

    return structure


def _not_null(inner: Structurer) -> Structurer:
    """In a sparse record, a key is left out when the question was not asked."""

    def structure(v: Any, path: str, problems: list[Problem]) -> Any:
        if v is None:
            problems.append(
                Problem(
                    path=path,
                    code="wrong_type",
                    detail="leave the key out when the question was not asked",
                )
            )
            return _BAD
        return inner(v, path, problems)

    return structure
