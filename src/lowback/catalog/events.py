"""The events of a plan's journal: what a person and their clinicians log.

A journal (:data:`Journal`) is the ordered tuple of these events; the
progression engine (:mod:`lowback.engine.progression`) folds it into a
:class:`~lowback.engine.plan.PlanState`. Each event class carries its wire
tag as the class attribute ``type`` (:class:`EventType`), which the
serializer uses to tell the union apart.

>>> import datetime as dt
>>> CheckIn(date=dt.date(2026, 11, 3), pain_now=4, morning_pain=4,
...         very_tired=Answer.NO).type
<EventType.CHECK_IN: 'check_in'>
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, ClassVar

import attrs

from lowback.errors import InvalidInput

from .answers import Answer
from .exercises import ExerciseId
from .intake import Intake
from .outcomes import ANSWER_TYPES, Answers, Measure
from .red_flags import RedFlag
from .self_checks import (
    BackwardLeanResult,
    EnduranceHoldResult,
    ForwardBendResult,
    SelfCheckResult,
    SideBendResult,
)
from .stages import Stage
from .symptoms import NerveFeature
from .validators import enum_member, in_range, optional, tuple_of, type_is
from .validators import text as _text

__all__ = [
    "AskedNerveFeatures",
    "AskedRedFlags",
    "CheckIn",
    "ClinicianCleared",
    "ClinicianOverride",
    "Event",
    "EventType",
    "ExerciseDone",
    "Journal",
    "OutcomeRecorded",
    "PlanStarted",
    "SelfCheckRecorded",
    "SessionLogged",
]


class EventType(enum.StrEnum):
    """The wire tag of each event (its ``type`` key)."""

    #: The plan starts from an intake, which the engine triages.
    PLAN_STARTED = "plan_started"
    #: An exercise session was done.
    SESSION_LOGGED = "session_logged"
    #: A daily check-in: pain, tiredness, and any screening questions asked.
    CHECK_IN = "check_in"
    #: The home self-checks were repeated.
    SELF_CHECK_RECORDED = "self_check_recorded"
    #: A clinician cleared a paused plan to resume.
    CLINICIAN_CLEARED = "clinician_cleared"
    #: A clinician set the stage explicitly.
    CLINICIAN_OVERRIDE = "clinician_override"
    #: An outcome measure or the STarT Back screen was answered (PR-OUTCOME).
    OUTCOME_RECORDED = "outcome_recorded"


def _is_date(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    # A datetime is a date subclass; a journal records days, not instants.
    if type(value) is not dt.date:
        raise InvalidInput.at(f"$.{attribute.name}", "wrong_type", "expected a date")


_PAIN = in_range(0, 10)


def _asked() -> Any:
    return attrs.field(default=None, validator=optional(enum_member(Answer)))


@attrs.frozen(kw_only=True)
class ExerciseDone:
    """One exercise as done in a session.

    >>> ExerciseDone(exercise=ExerciseId.PELVIC_TILT, sets=1, reps=10).hold_seconds is None
    True
    """

    exercise: ExerciseId = attrs.field(validator=enum_member(ExerciseId))
    sets: int = attrs.field(validator=in_range(0, 20))
    reps: int = attrs.field(validator=in_range(0, 100))
    hold_seconds: float | None = attrs.field(
        default=None, validator=optional(in_range(0.0, 600.0, kind=float))
    )


@attrs.frozen(kw_only=True)
class AskedRedFlags:
    """The red-flag questions asked at a check-in; ``None`` means not asked."""

    bladder_or_bowel_change: Answer | None = _asked()
    saddle_numbness: Answer | None = _asked()
    bilateral_leg_symptoms: Answer | None = _asked()
    progressive_neurological_deficit: Answer | None = _asked()
    significant_trauma: Answer | None = _asked()
    minor_trauma_with_bone_fragility: Answer | None = _asked()
    fever_or_unwell: Answer | None = _asked()
    unexplained_weight_loss: Answer | None = _asked()
    cancer_history: Answer | None = _asked()
    infection_or_immunosuppression_history: Answer | None = _asked()

    def answered(self, answer: Answer) -> tuple[RedFlag, ...]:
        """Return the flags answered *answer*, in :class:`RedFlag` order.

        >>> AskedRedFlags(fever_or_unwell=Answer.YES).answered(Answer.YES)
        (<RedFlag.FEVER_OR_UNWELL: 'fever_or_unwell'>,)
        """
        return tuple(f for f, name in _FLAG_NAMES if getattr(self, name) is answer)


@attrs.frozen(kw_only=True)
class AskedNerveFeatures:
    """The nerve-feature questions asked at a check-in; ``None`` means not asked."""

    leg_pain_below_knee: Answer | None = _asked()
    numbness_or_tingling_in_a_line: Answer | None = _asked()
    leg_or_foot_weakness: Answer | None = _asked()

    def answered(self, answer: Answer) -> tuple[NerveFeature, ...]:
        """Return the features answered *answer*.

        >>> AskedNerveFeatures(leg_or_foot_weakness=Answer.UNKNOWN).answered(Answer.UNKNOWN)
        (<NerveFeature.LEG_OR_FOOT_WEAKNESS: 'leg_or_foot_weakness'>,)
        """
        return tuple(f for f, name in _NERVE_NAMES if getattr(self, name) is answer)


_FLAG_NAMES = tuple((f, f.value) for f in RedFlag)
_NERVE_NAMES = tuple(
    (NerveFeature(f.name), f.name) for f in attrs.fields(AskedNerveFeatures)
)


@attrs.frozen(kw_only=True)
class PlanStarted:
    """The plan starts from an intake; the engine triages it."""

    type: ClassVar[EventType] = EventType.PLAN_STARTED
    date: dt.date = attrs.field(validator=_is_date)
    intake: Intake = attrs.field(validator=type_is(Intake))


@attrs.frozen(kw_only=True)
class SessionLogged:
    """An exercise session: what was done, pain before, during and after."""

    type: ClassVar[EventType] = EventType.SESSION_LOGGED
    date: dt.date = attrs.field(validator=_is_date)
    exercises: tuple[ExerciseDone, ...] = attrs.field(
        validator=tuple_of(ExerciseDone, max_length=50)
    )
    pain_before: int = attrs.field(validator=_PAIN)
    #: The worst pain during the session, 0-10 (LD-MONITOR).
    pain_during_max: int = attrs.field(validator=_PAIN)
    pain_after: int = attrs.field(validator=_PAIN)
    completed: bool = attrs.field(validator=type_is(bool))
    #: Nerve features that appeared during the session (PR-NERVE).
    new_symptoms: tuple[NerveFeature, ...] = attrs.field(
        default=(), validator=tuple_of(NerveFeature, max_length=len(NerveFeature))
    )


@attrs.frozen(kw_only=True)
class CheckIn:
    """A daily check-in: pain now, morning pain, tiredness, screening answers."""

    type: ClassVar[EventType] = EventType.CHECK_IN
    date: dt.date = attrs.field(validator=_is_date)
    pain_now: int = attrs.field(validator=_PAIN)
    #: Pain on waking, compared with the last settled morning (PR-SPIKE, LD-SETTLE).
    morning_pain: int = attrs.field(validator=_PAIN)
    very_tired: Answer = attrs.field(validator=enum_member(Answer))
    red_flags: AskedRedFlags = attrs.field(
        factory=AskedRedFlags, validator=type_is(AskedRedFlags)
    )
    nerve_features: AskedNerveFeatures = attrs.field(
        factory=AskedNerveFeatures, validator=type_is(AskedNerveFeatures)
    )


_SELF_CHECK_TYPES = (
    ForwardBendResult,
    BackwardLeanResult,
    SideBendResult,
    EnduranceHoldResult,
)


def _self_check_results(
    _inst: Any, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if not isinstance(value, tuple):
        raise InvalidInput.at(f"$.{attribute.name}", "wrong_type", "expected a tuple")
    if len(value) > len(_SELF_CHECK_TYPES):
        raise InvalidInput.at(f"$.{attribute.name}", "too_long", "one result per check")
    for index, item in enumerate(value):
        if not isinstance(item, _SELF_CHECK_TYPES):
            raise InvalidInput.at(
                f"$.{attribute.name}[{index}]",
                "wrong_type",
                "expected a self-check result",
            )


@attrs.frozen(kw_only=True)
class SelfCheckRecorded:
    """The home self-checks, repeated during the plan."""

    type: ClassVar[EventType] = EventType.SELF_CHECK_RECORDED
    date: dt.date = attrs.field(validator=_is_date)
    results: tuple[SelfCheckResult, ...] = attrs.field(validator=_self_check_results)


def _unique(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if len(set(value)) != len(value):
        raise InvalidInput.at(f"$.{attribute.name}", "duplicate", "each at most once")


@attrs.frozen(kw_only=True)
class ClinicianCleared:
    """A clinician cleared the plan to resume at *resume_stage* (PR-CLEAR)."""

    type: ClassVar[EventType] = EventType.CLINICIAN_CLEARED
    date: dt.date = attrs.field(validator=_is_date)
    #: Who cleared it (an identifier, not a name, ideally).
    clinician: str = attrs.field(validator=_text(200))
    note: str = attrs.field(validator=_text(2000))
    resume_stage: Stage = attrs.field(validator=enum_member(Stage))
    #: Nerve features the clinician reviewed (PR-ACK): reported again, they
    #: are recorded but do not reset or pause the plan. Optional; no repeats.
    acknowledged: tuple[NerveFeature, ...] = attrs.field(
        default=(), validator=(tuple_of(NerveFeature, max_length=3), _unique)
    )


@attrs.frozen(kw_only=True)
class ClinicianOverride:
    """A clinician set the stage explicitly; it never unpauses a plan."""

    type: ClassVar[EventType] = EventType.CLINICIAN_OVERRIDE
    date: dt.date = attrs.field(validator=_is_date)
    clinician: str = attrs.field(validator=_text(200))
    #: A reason code chosen by the app or clinician.
    reason: str = attrs.field(validator=_text(200))
    stage: Stage = attrs.field(validator=enum_member(Stage))


def _answers_of_measure(inst: Any, _attr: Any, value: Any) -> None:
    expected = ANSWER_TYPES.get(inst.measure)
    if type(value) is not expected:
        raise InvalidInput.at(
            "$.answers", "mismatch", "the answer record of the event's measure"
        )


@attrs.frozen(kw_only=True)
class OutcomeRecorded:
    """An outcome measure (or the STarT Back screen) answered on *date* (PR-OUTCOME).

    *answers* is the measure's answer record; on the wire it is told apart
    by its keys and must be *measure*'s.
    """

    type: ClassVar[EventType] = EventType.OUTCOME_RECORDED
    date: dt.date = attrs.field(validator=_is_date)
    measure: Measure = attrs.field(validator=enum_member(Measure))
    answers: Answers = attrs.field(validator=_answers_of_measure)


#: Any journal event; the ``type`` class attribute tells which.
Event = (
    PlanStarted
    | SessionLogged
    | CheckIn
    | SelfCheckRecorded
    | ClinicianCleared
    | ClinicianOverride
    | OutcomeRecorded
)
#: A plan's journal: its events in date order, starting with :class:`PlanStarted`.
Journal = tuple[Event, ...]

#: The event classes, for isinstance checks.
EVENT_TYPES: tuple[type, ...] = (
    PlanStarted,
    SessionLogged,
    CheckIn,
    SelfCheckRecorded,
    ClinicianCleared,
    ClinicianOverride,
    OutcomeRecorded,
)
