"""The answer to every screening question: ``yes``, ``no`` or ``unknown``.

``unknown`` ("not sure") is a real answer and is never read as ``no``: on a
red-flag or nerve question it sends the person to a clinician (spec 1.1).
A question missing from input is an input error, not ``unknown``.
"""

from __future__ import annotations

import enum

__all__ = ["Answer"]


class Answer(enum.StrEnum):
    """An answer to a yes/no screening question.

    >>> Answer.UNKNOWN.is_yes, Answer.UNKNOWN.is_not_no
    (False, True)
    """

    #: The person says yes.
    YES = "yes"
    #: The person says no.
    NO = "no"
    #: The person is not sure; treated cautiously, never as ``no``.
    UNKNOWN = "unknown"

    @property
    def is_yes(self) -> bool:
        """``True`` only for ``yes``."""
        return self is Answer.YES

    @property
    def is_not_no(self) -> bool:
        """``True`` for ``yes`` and ``unknown``: the cautious reading."""
        return self is not Answer.NO
