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
import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import attrs

from lowback.errors import InvalidInput

from .anatomy import MuscleGroup
from .answers import Answer
from .sources import SourceId
from .symptoms import Side
from .thresholds import Thresholds
from .validators import enum_member, in_range, optional

__all__ = [
    "FINDINGS",
    "BackwardLeanResult",
    "EnduranceHoldResult",
    "FindingInfo",
    "ForwardBendResult",
    "HoldDirection",
    "SelfCheck",
    "SelfCheckFinding",
    "SelfCheckInterpretation",
    "SelfCheckResult",
    "SideBendResult",
    "StopReason",
    "interpret",
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
    #: Not from a self-check: a high-risk STarT Back screen (RT-STARTBACK)
    #: asks for psychologically informed physiotherapy. Kept with the
    #: findings so a result lists everything that shapes the plan in one place.
    PSYCHOSOCIAL_RISK = "psychosocial_risk"


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
            _info(
                SelfCheckFinding.PSYCHOSOCIAL_RISK,
                None,
                "a high-risk STarT Back screen: psychologically informed physiotherapy fits",
                sources=(SourceId.HILL_2011, SourceId.NICE_NG59),
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
    #: Required unless the check was stopped (read by the JSON Schema too).
    observations: ClassVar[tuple[str, ...]] = (
        "one_side_tighter",
        "pull_in_muscles",
        "pain_in_centre_of_spine",
        "knee_bend_eases",
    )
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
        _require_observations(self, self.observations)


@attrs.frozen(kw_only=True)
class BackwardLeanResult:
    """The backward-lean check: a pinch in one spot, a muscle stretch, do hands help."""

    check: ClassVar[SelfCheck] = SelfCheck.BACKWARD_LEAN
    #: Required unless the check was stopped (read by the JSON Schema too).
    observations: ClassVar[tuple[str, ...]] = (
        "pinch_in_one_spot",
        "feels_like_muscle_stretch",
        "hand_support_eases",
    )
    stopped: StopReason | None = attrs.field(default=None, validator=_stop)
    pinch_in_one_spot: Answer | None = attrs.field(default=None, validator=_answer)
    feels_like_muscle_stretch: Answer | None = attrs.field(
        default=None, validator=_answer
    )
    hand_support_eases: Answer | None = attrs.field(default=None, validator=_answer)

    def __attrs_post_init__(self) -> None:
        """Check observations are present unless stopped."""
        _require_observations(self, self.observations)


@attrs.frozen(kw_only=True)
class SideBendResult:
    """The side-bend check: is one side blocked, does it hurt over the QL."""

    check: ClassVar[SelfCheck] = SelfCheck.SIDE_BEND
    #: Required unless the check was stopped (read by the JSON Schema too).
    observations: ClassVar[tuple[str, ...]] = (
        "one_side_blocked_or_painful",
        "pain_over_ql_area",
    )
    stopped: StopReason | None = attrs.field(default=None, validator=_stop)
    one_side_blocked_or_painful: Answer | None = attrs.field(
        default=None, validator=_answer
    )
    #: Which side was blocked or painful, when one was.
    blocked_side: Side | None = attrs.field(default=None, validator=_side)
    pain_over_ql_area: Answer | None = attrs.field(default=None, validator=_answer)

    def __attrs_post_init__(self) -> None:
        """Check observations are present unless stopped."""
        _require_observations(self, self.observations)


@attrs.frozen(kw_only=True)
class EnduranceHoldResult:
    """The endurance hold: how long, and did the muscles shake or cramp early."""

    check: ClassVar[SelfCheck] = SelfCheck.ENDURANCE_HOLD
    #: Required unless the check was stopped (read by the JSON Schema too).
    observations: ClassVar[tuple[str, ...]] = (
        "hold_seconds",
        "shaking_early",
        "cramped",
    )
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
        _require_observations(self, self.observations)


#: Any self-check result; the ``check`` class attribute tells which.
SelfCheckResult = (
    ForwardBendResult | BackwardLeanResult | SideBendResult | EnduranceHoldResult
)


class HoldDirection(enum.StrEnum):
    """The easier direction for the pain-calming isometric hold (article, clinical note)."""

    #: Forward bending was easier: a hip hinge supported on a counter.
    SUPPORTED_HIP_HINGE = "supported_hip_hinge"
    #: A small, hand-supported backward lean was tolerated.
    SMALL_BACKWARD_LEAN = "small_backward_lean"


@attrs.frozen(kw_only=True)
class SelfCheckInterpretation:
    """What a set of self-check results suggests, for :func:`interpret`."""

    #: Findings, in :class:`SelfCheckFinding` order, each at most once.
    findings: tuple[SelfCheckFinding, ...] = ()
    #: Muscle groups the findings implicate, in :class:`MuscleGroup` order.
    implicated_muscles: tuple[MuscleGroup, ...] = ()
    #: Why checks were stopped, in :class:`StopReason` order, each at most once.
    stop_reasons: tuple[StopReason, ...] = ()
    #: The easier direction for the pain-calming hold, when the checks tell.
    hold_direction: HoldDirection | None = None
    #: JSON paths (``$.self_checks[i].name``) of observations answered ``unknown``.
    unknown_answers: tuple[str, ...] = ()

    @property
    def nerve_stop(self) -> bool:
        """A check was stopped for leg symptoms or sharp shooting pain: a nerve feature."""
        return any(r.is_nerve_feature for r in self.stop_reasons)

    @property
    def medical_stop(self) -> bool:
        """A check was stopped for dizziness or feeling unwell."""
        return any(not r.is_nerve_feature for r in self.stop_reasons)


#: Observation fields answered with an :class:`Answer`, per check, in field order.
_ANSWER_FIELDS: Mapping[SelfCheck, tuple[str, ...]] = MappingProxyType(
    {
        cls.check: tuple(f.name for f in attrs.fields(cls) if f.validator is _answer)
        for cls in (
            ForwardBendResult,
            BackwardLeanResult,
            SideBendResult,
            EnduranceHoldResult,
        )
    }
)

_F = SelfCheckFinding
#: Which observation answered ``yes`` gives which finding (article, self-checks).
_YES_FINDINGS: Mapping[SelfCheck, tuple[tuple[str, SelfCheckFinding], ...]] = (
    MappingProxyType(
        {
            SelfCheck.FORWARD_BEND: (
                ("one_side_tighter", _F.ASYMMETRIC_GUARDING),
                ("pull_in_muscles", _F.MUSCLE_TIGHTNESS),
                ("pain_in_centre_of_spine", _F.CENTRAL_SPINE_PAIN),
                ("knee_bend_eases", _F.HAMSTRING_OR_NEURAL_TENSION),
            ),
            SelfCheck.BACKWARD_LEAN: (
                ("pinch_in_one_spot", _F.EXTENSION_SENSITIVE),
                ("feels_like_muscle_stretch", _F.MUSCLE_TIGHTNESS),
            ),
            SelfCheck.SIDE_BEND: (
                ("one_side_blocked_or_painful", _F.SIDE_BEND_ASYMMETRY),
                ("pain_over_ql_area", _F.QL_INVOLVEMENT),
            ),
            SelfCheck.ENDURANCE_HOLD: (
                ("shaking_early", _F.LOW_EXTENSOR_ENDURANCE),
                ("cramped", _F.LOW_EXTENSOR_ENDURANCE),
            ),
        }
    )
)
_MUSCLE_ORDER = tuple(MuscleGroup)
_YES = Answer.YES
_NO = Answer.NO
_UNKNOWN = Answer.UNKNOWN
_DEFAULT_THRESHOLDS = Thresholds()

# Precomputed so that interpret() does no catalog lookups: each check's Answer
# observations with the finding a ``yes`` gives (or None), and findings as bit
# masks whose ordered summaries are cached on first use (building all 1,024
# at import cost more than the rest of the module).
_FINDING_BIT = {f: 1 << i for i, f in enumerate(SelfCheckFinding)}


def _plan(check: SelfCheck) -> tuple[tuple[str, int], ...]:
    gives = dict(_YES_FINDINGS[check])
    return tuple(
        (name, _FINDING_BIT[gives[name]] if name in gives else 0)
        for name in _ANSWER_FIELDS[check]
    )


_PLAN: Mapping[SelfCheck, tuple[tuple[str, int], ...]] = MappingProxyType(
    {check: _plan(check) for check in SelfCheck}
)


@functools.cache
def _summary(mask: int) -> tuple[tuple[SelfCheckFinding, ...], tuple[MuscleGroup, ...]]:
    findings = tuple(f for f, bit in _FINDING_BIT.items() if mask & bit)
    muscles = frozenset().union(*(FINDINGS[f].implicates for f in findings))
    return findings, tuple(m for m in _MUSCLE_ORDER if m in muscles)


_STOP_BIT = {r: 1 << i for i, r in enumerate(StopReason)}
_BY_STOP_MASK = tuple(
    tuple(r for r, bit in _STOP_BIT.items() if mask & bit)
    for mask in range(1 << len(StopReason))
)
_STOPPED = _FINDING_BIT[_F.STOPPED_FOR_SAFETY]
_LOW_ENDURANCE = _FINDING_BIT[_F.LOW_EXTENSOR_ENDURANCE]
_TOLERATED = _FINDING_BIT[_F.SUPPORTED_EXTENSION_TOLERATED]
_NOTHING = SelfCheckInterpretation()


def _forward_is_easier(result: ForwardBendResult) -> bool:
    """Forward bending eased by bent knees or felt as a muscle pull, not in the spine."""
    return result.pain_in_centre_of_spine is _NO and (
        result.knee_bend_eases is _YES or result.pull_in_muscles is _YES
    )


def _backward_is_tolerated(result: BackwardLeanResult) -> bool:
    """Leaning back is eased by the hands and pinches nowhere (``no``, not ``unknown``)."""
    return result.hand_support_eases is _YES and result.pinch_in_one_spot is _NO


def _reading_bits(result: SelfCheckResult, thresholds: Thresholds) -> int:
    """The findings a result gives beyond single ``yes`` observations."""
    bits = 0 if result.stopped is None else _STOPPED
    if isinstance(result, EnduranceHoldResult):
        seconds = result.hold_seconds
        if seconds is not None and seconds < thresholds.gate3_endurance_seconds:
            bits |= _LOW_ENDURANCE
    elif isinstance(result, BackwardLeanResult) and _backward_is_tolerated(result):
        bits |= _TOLERATED
    return bits


def _hold_direction(results: tuple[SelfCheckResult, ...]) -> HoldDirection | None:
    """The easier hold direction when no check was stopped (see :func:`interpret`)."""
    for result in results:
        if isinstance(result, ForwardBendResult) and _forward_is_easier(result):
            return HoldDirection.SUPPORTED_HIP_HINGE
    for result in results:
        if isinstance(result, BackwardLeanResult) and _backward_is_tolerated(result):
            return HoldDirection.SMALL_BACKWARD_LEAN
    return None


_RESULT_TYPES = (
    ForwardBendResult,
    BackwardLeanResult,
    SideBendResult,
    EnduranceHoldResult,
)


def _is_result_tuple(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(r, _RESULT_TYPES) for r in value)


def interpret(
    results: tuple[SelfCheckResult, ...], thresholds: Thresholds = _DEFAULT_THRESHOLDS
) -> SelfCheckInterpretation:
    """Read the findings, stop reasons and easier hold direction from self-check results.

    The rules (article, self-checks section; lowback's reading where it is vague):

    * An observation answered ``yes`` gives its finding (``_YES_FINDINGS``);
      ``no`` and ``unknown`` give none, and every ``unknown`` is listed by JSON
      path. Observations recorded on a stopped check are read the same way: a
      check can only add findings (invariant 4).
    * An endurance hold shorter than ``thresholds.gate3_endurance_seconds``
      (10 s by default; the article asks for up to 10-15 s), or shaking or
      cramping early, is ``low_extensor_endurance``.
    * A ``yes`` to hand support easing the backward lean, with a ``no`` to a
      pinch, is ``supported_extension_tolerated``.
    * Any stopped check is ``stopped_for_safety`` and records its reason.
    * The hold direction: a supported hip hinge when the forward bend was
      completed with no central spine pain and bent knees or a muscle pull
      easing it; otherwise a small backward lean when the backward lean was
      completed, hand support eased it and nothing pinched. When both fit,
      the hinge wins (the article names it first and it is the supported
      one). When any check was stopped there is no direction at all: the
      article drops the hold when symptoms spike or leg pain appears.

    Args:
        results: The intake's self-check results, in intake order (their
            indices name the JSON paths of unknown answers).
        thresholds: Where the endurance cut-off comes from.

    Raises:
        InvalidInput: *results* is not a tuple of self-check results, or
            *thresholds* not :class:`~lowback.catalog.thresholds.Thresholds`;
            the detail names the parameter.

    >>> interpret((EnduranceHoldResult(hold_seconds=6.0, shaking_early=Answer.NO,
    ...     cramped=Answer.UNKNOWN),)).findings
    (<SelfCheckFinding.LOW_EXTENSOR_ENDURANCE: 'low_extensor_endurance'>,)
    >>> interpret(None)
    Traceback (most recent call last):
    lowback.errors.InvalidInput: invalid input: $.self_checks: wrong_type (results: expected a tuple of self-check results)
    """
    if not _is_result_tuple(results):
        raise InvalidInput.at(
            "$.self_checks",
            "wrong_type",
            "results: expected a tuple of self-check results",
        )
    if not isinstance(thresholds, Thresholds):
        raise InvalidInput.at(
            "$.thresholds", "wrong_type", "thresholds: expected Thresholds"
        )
    if not results:
        return _NOTHING
    found = stops = 0
    unknown: list[str] = []
    for index, result in enumerate(results):
        for name, bit in _PLAN[result.check]:
            answer = getattr(result, name)
            if answer is _YES:
                found |= bit
            elif answer is _UNKNOWN:
                unknown.append(f"$.self_checks[{index}].{name}")
        if result.stopped is not None:
            stops |= _STOP_BIT[result.stopped]
        found |= _reading_bits(result, thresholds)
    findings, muscles = _summary(found)
    return SelfCheckInterpretation(
        findings=findings,
        implicated_muscles=muscles,
        stop_reasons=_BY_STOP_MASK[stops],
        hold_direction=None if stops else _hold_direction(results),
        unknown_answers=tuple(unknown),
    )
