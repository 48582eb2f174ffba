"""The five stages of the plan and the plan's status.

Stages 1-4 are the article's stepwise reset plan; stage 5 is its long-term
prevention blueprint. They line up with the treatment-based classification
(Alrwaily et al. 2016): symptom modulation is stage 1, movement control
stages 2-3, function optimisation stage 4.

>>> Stage.CALM_AND_UNLOAD.next
<Stage.RESTORE_MOBILITY: 'restore_mobility'>
>>> Stage.MAINTAIN.next is None
True
"""

from __future__ import annotations

import enum

__all__ = ["PlanStatus", "Stage"]


class Stage(enum.StrEnum):
    """A stage of the rehab plan, in order."""

    #: Stage 1: ease guarding with unloading positions and gentle movement.
    CALM_AND_UNLOAD = "calm_and_unload"
    #: Stage 2: restore comfortable movement.
    RESTORE_MOBILITY = "restore_mobility"
    #: Stage 3: teach trunk and hips to share load.
    STRENGTHEN_AND_COORDINATE = "strengthen_and_coordinate"
    #: Stage 4: carry the gains into lifting, desk work and activity.
    INTEGRATE = "integrate"
    #: Stage 5: keep the back resilient for the long term.
    MAINTAIN = "maintain"

    @property
    def number(self) -> int:
        """The stage's number, 1 to 5."""
        return _ORDER.index(self) + 1

    @property
    def next(self) -> Stage | None:
        """The following stage, or ``None`` after the last."""
        n = self.number
        return _ORDER[n] if n < len(_ORDER) else None

    @property
    def previous(self) -> Stage | None:
        """The stage before, or ``None`` before the first."""
        n = self.number
        return _ORDER[n - 2] if n > 1 else None

    @classmethod
    def from_number(cls, number: int) -> Stage:
        """Return the stage numbered *number* (1 to 5)."""
        if isinstance(number, bool) or not 1 <= number <= len(_ORDER):
            raise ValueError(f"stage numbers are 1..{len(_ORDER)}")
        return _ORDER[number - 1]


_ORDER: tuple[Stage, ...] = tuple(Stage)


class PlanStatus(enum.StrEnum):
    """Whether the plan is running."""

    #: Sessions are logged and the plan progresses.
    ACTIVE = "active"
    #: Waiting for a clinician's clearance; only unloading and short walks.
    PAUSED = "paused"
    #: The plan has ended.
    COMPLETED = "completed"
