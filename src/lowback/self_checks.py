"""The four home self-checks, their results, and what the results can suggest.

The checks, what to notice in each, and the stop rule follow the article's
self-check section. Self-checks give clues about the muscles; they are not an
examination and can never make a result less cautious (spec invariant 4).

A result either records observations, or that the check was ``stopped`` for a
:class:`StopReason`, in which case its observations may be left out.

>>> ForwardBendResult(stopped=StopReason.DIZZINESS).check
<SelfCheck.FORWARD_BEND: 'forward_bend'>
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import attrs

from ._validation import enum_member, in_range, optional
from .anatomy import MuscleGroup
from .answers import Answer
from .errors import InvalidInput
from .sources import SourceId
from .symptoms import Side

__all__ = [
    "FINDINGS",
    "BackwardLeanResult",
    "EnduranceHoldResult",
    "FindingInfo",
    "ForwardBendResult",
    "SelfCheck",
    "SelfCheckFinding",
    "SelfCheckResult",
    "SideBendResult",
    "StopReason",
]


class SelfCheck(enum.StrEnum):
    """One of the four home self-checks."""

    #: Slowly fold forward from standing.
    FORWARD_BEND = "forward_bend"
    #: Lean gently back with the hands on the hips.
    BACKWARD_LEAN = "backward_lean"
    #: Slide a hand down the outside of each thigh in turn.
    SIDE_BEND = "side_bend"
    #: Lift the chest a little off the floor lying face down, and hold.
    ENDURANCE_HOLD = "endurance_hold"


class StopReason(enum.StrEnum):
    """Why a self-check was stopped early; each one is a reason to stop any check."""

    SHARP_SHOOTING_PAIN = "sharp_shooting_pain"
    STRONG_LEG_SYMPTOMS = "strong_leg_symptoms"
    DIZZINESS = "dizziness"
    FELT_UNWELL = "felt_unwell"

    @property
    def is_nerve_feature(self) -> bool:
        """Stopping for leg symptoms or sharp shooting pain counts as a nerve feature."""
        return self in (StopReason.SHARP_SHOOTING_PAIN, StopReason.STRONG_LEG_SYMPTOMS)


class SelfCheckFinding(enum.StrEnum):
    """Something a self-check result suggests."""

    ASYMMETRIC_GUARDING = "asymmetric_guarding"
    CENTRAL_SPINE_PAIN = "central_spine_pain"
    HAMSTRING_OR_NEURAL_TENSION = "hamstring_or_neural_tension"
    EXTENSION_SENSITIVE = "extension_sensitive"
    MUSCLE_TIGHTNESS = "muscle_tightness"
    SUPPORTED_EXTENSION_TOLERATED = "supported_extension_tolerated"
    SIDE_BEND_ASYMMETRY = "side_bend_asymmetry"
    QL_INVOLVEMENT = "ql_involvement"
    LOW_EXTENSOR_ENDURANCE = "low_extensor_endurance"
    STOPPED_FOR_SAFETY = "stopped_for_safety"


@attrs.frozen(kw_only=True)
class FindingInfo:
    """What a finding means and which muscle groups it points to."""

    finding: SelfCheckFinding
    #: The check whose result can produce this finding; ``None`` for any check.
    check: SelfCheck | None
    #: What the finding suggests, in words.
    meaning: str
    #: Muscle groups it implicates; empty when it points away from muscle.
    implicates: frozenset[MuscleGroup]
    sources: tuple[SourceId, ...]


_SC = (SourceId.ARTICLE_SELF_CHECKS,)
_M = MuscleGroup


def _info(
    finding: SelfCheckFinding,
    check: SelfCheck | None,
    meaning: str,
    *implicates: MuscleGroup,
    sources: tuple[SourceId, ...] = _SC,
) -> tuple[SelfCheckFinding, FindingInfo]:
    return finding, FindingInfo(
        finding=finding,
        check=check,
        meaning=meaning,
        implicates=frozenset(implicates),
        sources=sources,
    )


#: Every finding with its meaning and the muscles it implicates. Read-only.
FINDINGS: Mapping[SelfCheckFinding, FindingInfo] = MappingProxyType(
    dict(
        [
            _info(
                SelfCheckFinding.ASYMMETRIC_GUARDING,
                SelfCheck.FORWARD_BEND,
                "one side guards more when bending forward",
                _M.ERECTOR_SPINAE,
                _M.QUADRATUS_LUMBORUM,
                _M.MULTIFIDUS,
                sources=(*_SC, SourceId.ARTICLE_IMBALANCE),
            ),
            _info(
                SelfCheckFinding.CENTRAL_SPINE_PAIN,
                SelfCheck.FORWARD_BEND,
                "pain sits in the centre of the spine rather than in the muscles beside it",
            ),
            _info(
                SelfCheckFinding.HAMSTRING_OR_NEURAL_TENSION,
                SelfCheck.FORWARD_BEND,
                "bending the knees eases the forward bend: tight hamstrings or nerve tension",
                _M.HAMSTRINGS,
                sources=(*_SC, SourceId.ARTICLE_FAQ),
            ),
            _info(
                SelfCheckFinding.EXTENSION_SENSITIVE,
                SelfCheck.BACKWARD_LEAN,
                "leaning back pinches in one spot: compression is sensitive",
            ),
            _info(
                SelfCheckFinding.MUSCLE_TIGHTNESS,
                None,
                "the movement feels like tight muscles pulling or stretching",
                _M.ERECTOR_SPINAE,
                _M.QUADRATUS_LUMBORUM,
                _M.HIP_FLEXORS,
            ),
            _info(
                SelfCheckFinding.SUPPORTED_EXTENSION_TOLERATED,
                SelfCheck.BACKWARD_LEAN,
                "a small, hand-supported backward lean is tolerated",
                _M.ERECTOR_SPINAE,
                _M.DEEP_CORE,
                sources=(*_SC, SourceId.ARTICLE_CLINICAL_NOTE),
            ),
            _info(
                SelfCheckFinding.SIDE_BEND_ASYMMETRY,
                SelfCheck.SIDE_BEND,
                "one side is stiff, blocked or painful when bending sideways",
                _M.QUADRATUS_LUMBORUM,
                _M.DEEP_CORE,
            ),
            _info(
                SelfCheckFinding.QL_INVOLVEMENT,
                SelfCheck.SIDE_BEND,
                "pain sits between the ribs and the pelvis, over the quadratus lumborum",
                _M.QUADRATUS_LUMBORUM,
                sources=(*_SC, SourceId.ARTICLE_TRIGGER_POINTS),
            ),
            _info(
                SelfCheckFinding.LOW_EXTENSOR_ENDURANCE,
                SelfCheck.ENDURANCE_HOLD,
                "the back muscles shake, tire or cramp early: low endurance, a habit of over-protecting",
                _M.ERECTOR_SPINAE,
                _M.MULTIFIDUS,
                _M.GLUTEALS,
            ),
            _info(
                SelfCheckFinding.STOPPED_FOR_SAFETY,
                None,
                "a check was stopped for a safety reason; it gives no reassurance",
            ),
        ]
    )
)


def _require_observations(result: object, names: tuple[str, ...]) -> None:
    """Unless the check was stopped, every observation in *names* is required."""
    if getattr(result, "stopped") is not None:  # noqa: B009 - shared by four classes
        return
    missing = [n for n in names if getattr(result, n) is None]
    if missing:
        raise InvalidInput.at(
            f"$.{missing[0]}", "missing", "required unless the check was stopped"
        )


_answer = optional(enum_member(Answer))
_side = optional(enum_member(Side))
_stop = optional(enum_member(StopReason))


@attrs.frozen(kw_only=True)
class ForwardBendResult:
    """The forward-bend check: is one side tighter, where is the pull, do bent knees help."""

    check: ClassVar[SelfCheck] = SelfCheck.FORWARD_BEND
    stopped: StopReason | None = attrs.field(default=None, validator=_stop)
    one_side_tighter: Answer | None = attrs.field(default=None, validator=_answer)
    #: Which side felt tighter, when one did.
    tighter_side: Side | None = attrs.field(default=None, validator=_side)
    pull_in_muscles: Answer | None = attrs.field(default=None, validator=_answer)
    pain_in_centre_of_spine: Answer | None = attrs.field(
        default=None, validator=_answer
    )
    knee_bend_eases: Answer | None = attrs.field(default=None, validator=_answer)

    def __attrs_post_init__(self) -> None:
        """Check observations are present unless stopped."""
        _require_observations(
            self,
            (
                "one_side_tighter",
                "pull_in_muscles",
                "pain_in_centre_of_spine",
                "knee_bend_eases",
            ),
        )


@attrs.frozen(kw_only=True)
class BackwardLeanResult:
    """The backward-lean check: a pinch in one spot, a muscle stretch, do hands help."""

    check: ClassVar[SelfCheck] = SelfCheck.BACKWARD_LEAN
    stopped: StopReason | None = attrs.field(default=None, validator=_stop)
    pinch_in_one_spot: Answer | None = attrs.field(default=None, validator=_answer)
    feels_like_muscle_stretch: Answer | None = attrs.field(
        default=None, validator=_answer
    )
    hand_support_eases: Answer | None = attrs.field(default=None, validator=_answer)

    def __attrs_post_init__(self) -> None:
        """Check observations are present unless stopped."""
        _require_observations(
            self,
            ("pinch_in_one_spot", "feels_like_muscle_stretch", "hand_support_eases"),
        )


@attrs.frozen(kw_only=True)
class SideBendResult:
    """The side-bend check: is one side blocked, does it hurt over the QL."""

    check: ClassVar[SelfCheck] = SelfCheck.SIDE_BEND
    stopped: StopReason | None = attrs.field(default=None, validator=_stop)
    one_side_blocked_or_painful: Answer | None = attrs.field(
        default=None, validator=_answer
    )
    #: Which side was blocked or painful, when one was.
    blocked_side: Side | None = attrs.field(default=None, validator=_side)
    pain_over_ql_area: Answer | None = attrs.field(default=None, validator=_answer)

    def __attrs_post_init__(self) -> None:
        """Check observations are present unless stopped."""
        _require_observations(
            self, ("one_side_blocked_or_painful", "pain_over_ql_area")
        )


@attrs.frozen(kw_only=True)
class EnduranceHoldResult:
    """The endurance hold: how long, and did the muscles shake or cramp early."""

    check: ClassVar[SelfCheck] = SelfCheck.ENDURANCE_HOLD
    #: The longest hold an endurance result may record, in seconds.
    MAX_HOLD_SECONDS: ClassVar[float] = 60.0
    stopped: StopReason | None = attrs.field(default=None, validator=_stop)
    hold_seconds: float | None = attrs.field(
        default=None, validator=optional(in_range(0.0, 60.0, kind=float))
    )
    shaking_early: Answer | None = attrs.field(default=None, validator=_answer)
    cramped: Answer | None = attrs.field(default=None, validator=_answer)

    def __attrs_post_init__(self) -> None:
        """Check observations are present unless stopped."""
        _require_observations(self, ("hold_seconds", "shaking_early", "cramped"))


#: Any self-check result; the ``check`` class attribute tells which.
SelfCheckResult = (
    ForwardBendResult | BackwardLeanResult | SideBendResult | EnduranceHoldResult
)
