"""Triage: from an :class:`~lowback.intake.Intake` to an explained, safe disposition.

:class:`TriageResult` is the engine's output: where the person should go, why
(every rule that fired, with its sources), what was unknown, what the
self-checks suggested, and where the plan may start.
"""

from __future__ import annotations

import enum

import attrs

from .anatomy import MuscleGroup
from .dispositions import Disposition
from .red_flags import RedFlag
from .rules import FiredRule
from .self_checks import SelfCheckFinding, StopReason
from .stages import PlanStatus, Stage
from .symptoms import PainPattern

__all__ = ["HoldDirection", "TriageResult"]


class HoldDirection(enum.StrEnum):
    """The easier direction for the pain-calming isometric hold (article, clinical note)."""

    #: Forward bending was easier: a hip hinge supported on a counter.
    SUPPORTED_HIP_HINGE = "supported_hip_hinge"
    #: A small, hand-supported backward lean was tolerated.
    SMALL_BACKWARD_LEAN = "small_backward_lean"


@attrs.frozen(kw_only=True)
class TriageResult:
    """The outcome of :func:`triage`, explaining itself."""

    #: Where to go next: the most urgent disposition any rule gave.
    disposition: Disposition
    pain_pattern: PainPattern
    #: Red flags answered ``yes``.
    red_flags: tuple[RedFlag, ...]
    #: JSON paths of every question answered ``unknown``.
    unknown_answers: tuple[str, ...]
    #: What the self-checks suggested.
    findings: tuple[SelfCheckFinding, ...]
    #: Muscle groups the findings point to.
    implicated_muscles: tuple[MuscleGroup, ...]
    #: Why any self-check was stopped.
    stop_reasons: tuple[StopReason, ...]
    #: The easier direction for the pain-calming hold, when the checks tell.
    hold_direction: HoldDirection | None
    #: Where the plan starts; ``None`` when no plan may start.
    entry_stage: Stage | None
    #: The plan's starting status; ``None`` when no plan may start.
    plan_status: PlanStatus | None
    #: Every rule that fired, with its sources.
    rules: tuple[FiredRule, ...]
    ruleset_version: str
    #: When to seek help, in words (the default English catalog).
    safety_net: str
    #: The message ID of :attr:`safety_net`, for apps that translate.
    safety_net_message: str
