"""The exceptions lowback raises.

Every problem with a caller's input is an :class:`InvalidInput`, a
:class:`ValueError`, that lists each problem with its JSON path and a short
reason code. Messages never contain the offending value: input to lowback is
health data, and error messages end up in logs.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

__all__ = [
    "InvalidDefinition",
    "InvalidInput",
    "LowbackError",
    "NotAWireValue",
    "Problem",
    "ReasonCode",
]


class LowbackError(Exception):
    """Base class of every exception lowback raises on purpose."""


class ReasonCode(enum.StrEnum):
    """The reason codes of :class:`Problem`, stable and machine-readable.

    A member is a ``str``, so ``problem.code == "missing"`` holds.
    """

    MISSING = "missing"
    UNKNOWN_KEY = "unknown_key"
    WRONG_TYPE = "wrong_type"
    OUT_OF_RANGE = "out_of_range"
    TOO_LONG = "too_long"
    DUPLICATE = "duplicate"
    DUPLICATE_KEY = "duplicate_key"
    BAD_ENUM = "bad_enum"
    BAD_DATE = "bad_date"
    BAD_NUMBER = "bad_number"
    BAD_JSON = "bad_json"
    BAD_ENCODING = "bad_encoding"
    TOO_LARGE = "too_large"
    TOO_DEEP = "too_deep"
    BAD_VERSION = "bad_version"
    INVALID = "invalid"
    TOO_MANY_PROBLEMS = "too_many_problems"
    OUT_OF_ORDER = "out_of_order"
    UNEXPECTED = "unexpected"
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    #: Fields of one value that contradict each other.
    INCONSISTENT = "inconsistent"
    #: A value that does not match the one it must agree with.
    MISMATCH = "mismatch"
    #: Outcome measures: answers that cannot be scored, a measure that does
    #: not measure change, a PSFS follow-up that re-rates no baseline activity.
    NOT_SCORED = "not_scored"
    NOT_A_CHANGE_MEASURE = "not_a_change_measure"
    NOT_RERATED = "not_rerated"
    #: The FHIR export: a patient reference that is not ``Patient/<id>``.
    BAD_REFERENCE = "bad_reference"
    #: The CLI's store commands: no such stream; a version that moved on.
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"


_CODES = frozenset(ReasonCode)


def _known_code(_inst: object, _attr: object, code: str) -> None:
    if code not in _CODES:
        # lowback's own mistake, never the input's: every code is a ReasonCode.
        msg = "a Problem's code must be a ReasonCode value"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with an input, located by its JSON path.

    >>> Problem(path="$.pain_now", code="out_of_range", detail="must be 0..10")
    Problem(path='$.pain_now', code='out_of_range', detail='must be 0..10')
    """

    #: Where the problem is, as a JSON path rooted at ``$``.
    path: str
    #: A stable, machine-readable reason code such as ``missing`` or
    #: ``wrong_type`` (a :class:`ReasonCode`, stored as its plain string;
    #: any other string is refused with :class:`ValueError`).
    code: str = attrs.field(converter=str, validator=_known_code)
    #: What was expected, in words; never the value that was given.
    detail: str = ""

    def __str__(self) -> str:
        """Render as ``path: code (detail)``."""
        return f"{self.path}: {self.code}" + (
            f" ({self.detail})" if self.detail else ""
        )

    def under(self, prefix: str) -> Problem:
        """Return this problem re-rooted below *prefix* (a JSON path)."""
        return attrs.evolve(self, path=prefix + self.path[1:])


class InvalidInput(LowbackError, ValueError):
    """Input that lowback refuses, with every problem and its JSON path.

    >>> err = InvalidInput([Problem(path="$.age", code="wrong_type", detail="int")])
    >>> str(err)
    'invalid input: $.age: wrong_type (int)'
    >>> err.paths
    ('$.age',)
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Collect *problems*; at least one is required."""
        self.problems = tuple(problems)
        if not self.problems:
            msg = "InvalidInput needs at least one Problem"
            raise ValueError(msg)
        super().__init__("invalid input: " + "; ".join(map(str, self.problems)))

    @classmethod
    def at(cls, path: str, code: str, detail: str = "") -> InvalidInput:
        """Build an error with a single problem."""
        return cls([Problem(path=path, code=code, detail=detail)])

    @property
    def paths(self) -> tuple[str, ...]:
        """The JSON paths of the problems, in order."""
        return tuple(p.path for p in self.problems)

    def under(self, prefix: str) -> InvalidInput:
        """Return the same problems re-rooted below *prefix*."""
        return InvalidInput(p.under(prefix) for p in self.problems)


class InvalidDefinition(LowbackError):
    """A built-in definition (a catalog, a transition table) is inconsistent.

    Raised at import time, so a broken definition can never reach a patient.
    """


class NotAWireValue(LowbackError, TypeError):
    """A caller passed the wire something that is not what it takes.

    Swapped arguments (``loads(Intake, text)``), a target type with no wire
    form, or a value :func:`~lowback.wire.dumps` cannot write. The message names
    the mistake (the expected and the given *kind* of argument), never the
    data.
    """
