"""Where a person should go next, ordered from most to least urgent.

The order is written out explicitly (:data:`URGENCY_ORDER`) rather than
derived from enum values, so that reordering members can never change a
clinical decision (spec 1.5).

>>> most_urgent([Disposition.SELF_CARE, Disposition.URGENT, Disposition.MEDICAL_REVIEW])
<Disposition.URGENT: 'urgent'>
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

__all__ = ["URGENCY_ORDER", "Disposition", "most_urgent", "urgency_rank"]


class Disposition(enum.StrEnum):
    """The primary recommendation of a triage."""

    #: Go to emergency care now.
    EMERGENCY = "emergency"
    #: Medical assessment the same day.
    URGENT = "urgent"
    #: See a doctor within days, before loading the back.
    MEDICAL_REVIEW = "medical_review"
    #: Self-care plus a physiotherapist.
    PHYSIO_REFERRAL = "physio_referral"
    #: The staged self-care plan.
    SELF_CARE = "self_care"

    @property
    def starts_plan(self) -> bool:
        """Whether a plan may start at all: never for emergency or urgent."""
        return self not in (Disposition.EMERGENCY, Disposition.URGENT)


#: Dispositions from most to least urgent.
URGENCY_ORDER: tuple[Disposition, ...] = (
    Disposition.EMERGENCY,
    Disposition.URGENT,
    Disposition.MEDICAL_REVIEW,
    Disposition.PHYSIO_REFERRAL,
    Disposition.SELF_CARE,
)

_RANK = {d: len(URGENCY_ORDER) - i for i, d in enumerate(URGENCY_ORDER)}


def urgency_rank(disposition: Disposition) -> int:
    """Return a number that is larger for more urgent dispositions.

    >>> urgency_rank(Disposition.EMERGENCY) > urgency_rank(Disposition.SELF_CARE)
    True
    """
    return _RANK[disposition]


def most_urgent(dispositions: Iterable[Disposition]) -> Disposition:
    """Return the most urgent of *dispositions*; ``self_care`` when there are none."""
    return max(dispositions, key=urgency_rank, default=Disposition.SELF_CARE)
