"""The plan's state and the decisions about it: the progression engine's values.

:class:`PlanState` holds everything the PR-* and LD-* rules must remember
about a plan; :class:`Decision` says what one event did and why. The engine
(:mod:`lowback.engine.progression`) makes them; apps read them (and
:mod:`lowback.engine.prescription` turns a state into today's plan).

>>> PauseKind.REVIEW.value
'review'
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from typing import Any

import attrs

from lowback.catalog.dispositions import Disposition
from lowback.catalog.exercises import EXERCISES, STAGE_PLANS, Dose, ExerciseId
from lowback.catalog.intake import HistoryFlags
from lowback.catalog.rules import RULESET_VERSION, Check, FiredRule
from lowback.catalog.self_checks import HoldDirection
from lowback.catalog.stages import PlanStatus, Stage
from lowback.catalog.symptoms import NerveFeature
from lowback.catalog.validators import (
    enum_member,
    in_range,
    optional,
    tuple_of,
    type_is,
)
from lowback.errors import InvalidInput

from .load import ExerciseDose
from .outcomes import OutcomeRecord
from .transitions import Action

__all__ = ["Decision", "PauseKind", "PlanState", "SessionSummary"]

_CATALOG_ORDER = tuple(ExerciseId)
_PLAN_EXERCISES = {stage: plan.exercises for stage, plan in STAGE_PLANS.items()}
_FIRST_DOSES = {e: ExerciseDose(exercise=e, dose=x.start) for e, x in EXERCISES.items()}


class PauseKind(enum.StrEnum):
    """Why a plan is paused, which decides what it still offers."""

    #: A red flag answered yes, or triage gave emergency/urgent: no exercise at all.
    SEEK_CARE = "seek_care"
    #: Waiting for review: unloading positions and short walks only.
    REVIEW = "review"


def _is_plain_date(value: object) -> bool:
    """Whether *value* is a ``datetime.date`` (or subclass) but not a datetime.

    A datetime compares unequal to every date and breaks date arithmetic
    with dates, so a plan's dates are plain dates only.
    """
    # The common case first: exactly a date.
    return type(value) is dt.date or (
        isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    )


def _date_only(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Require a plain date (``_is_plain_date``)."""
    if not _is_plain_date(value):
        raise InvalidInput.at(
            f"$.{attribute.name}", "wrong_type", "expected a date (not a datetime)"
        )


_PAIN = in_range(0, 10)
_BOOL = type_is(bool)
_OPTIONAL_DATE = attrs.validators.optional(_date_only)


def _frozenset_of(item: type) -> Any:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        # Empty (the usual case) passes without building a generator.
        if type(value) is frozenset and not value:
            return
        if not isinstance(value, frozenset) or not all(
            isinstance(x, item) for x in value
        ):
            raise InvalidInput.at(
                f"$.{attribute.name}",
                "wrong_type",
                f"expected a set of {item.__name__}",
            )

    return check


@attrs.frozen(kw_only=True)
class SessionSummary:
    """What the advance rules remember of one session in the current stage."""

    date: dt.date = attrs.field(validator=_date_only)
    pain_during_max: int = attrs.field(validator=_PAIN)
    #: No spike, pain in the green zone, completed, morning pain settled.
    green: bool = attrs.field(validator=_BOOL)
    #: A mobility or stretch exercise of the stage was done (PR-GATE-2).
    mobility: bool = attrs.field(validator=_BOOL)
    #: A daily habit of stage 4 was logged (PR-GATE-4).
    habits: bool = attrs.field(validator=_BOOL)
    #: Every strength exercise of the stage was done at its target dose,
    #: leaving out those LD-CAUTION excluded (PR-GATE-3).
    on_target: bool = attrs.field(validator=_BOOL)


def planned_doses(
    stage: Stage, doses: tuple[ExerciseDose, ...], dropped: frozenset[ExerciseId]
) -> tuple[ExerciseDose, ...]:
    """*stage*'s exercises with their doses in *doses* (else their first), less *dropped*."""
    known = {d.exercise: d for d in doses}
    return tuple(
        known.get(e) or _FIRST_DOSES[e]
        for e in _PLAN_EXERCISES[stage]
        if e not in dropped
    )


@attrs.frozen(kw_only=True)
class PlanState:
    """Everything the rules must remember about a plan, and nothing more."""

    stage: Stage = attrs.field(validator=enum_member(Stage))
    status: PlanStatus = attrs.field(validator=enum_member(PlanStatus))
    #: Why the plan is paused; ``None`` while active.
    pause: PauseKind | None = attrs.field(
        default=None, validator=optional(enum_member(PauseKind))
    )
    #: The disposition to seek while paused for a red flag.
    seek_care: Disposition | None = attrs.field(
        default=None, validator=optional(enum_member(Disposition))
    )
    #: The plan's first day; weeks for LD-CAP count from it.
    started: dt.date = attrs.field(validator=_date_only)
    #: The date of the last event, to keep the journal in order.
    last_date: dt.date = attrs.field(validator=_date_only)
    #: Pain now at intake (PR-GATE-1).
    entry_pain: int = attrs.field(validator=_PAIN)
    #: The latest pain now reported.
    pain_now: int = attrs.field(validator=_PAIN)
    #: The last settled morning pain (PR-SPIKE, LD-SETTLE).
    settled_morning_pain: int = attrs.field(validator=_PAIN)
    #: Whether the latest morning pain had settled.
    morning_settled: bool = attrs.field(default=True, validator=_BOOL)
    #: The latest morning pain reported, settled or not.
    last_morning_pain: int | None = attrs.field(default=None, validator=optional(_PAIN))
    #: Since when pain now has stayed at or below the stage-4 gate (PR-GATE-4).
    low_pain_since: dt.date | None = attrs.field(default=None, validator=_OPTIONAL_DATE)
    #: The recent sessions of the current stage, oldest first (PR-ADVANCE).
    sessions: tuple[SessionSummary, ...] = attrs.field(
        default=(), validator=tuple_of(SessionSummary)
    )
    last_regression: dt.date | None = attrs.field(
        default=None, validator=_OPTIONAL_DATE
    )
    last_session: dt.date | None = attrs.field(default=None, validator=_OPTIONAL_DATE)
    #: The last day the person said they were very tired (LD-TIRED).
    tired_on: dt.date | None = attrs.field(default=None, validator=_OPTIONAL_DATE)
    #: The current dose of every exercise dosed so far.
    doses: tuple[ExerciseDose, ...] = attrs.field(
        default=(), validator=tuple_of(ExerciseDose)
    )
    #: Exercises left out after a deload could not cut them (LD-ISO, PR-ISO).
    dropped: frozenset[ExerciseId] = attrs.field(
        default=frozenset(), validator=_frozenset_of(ExerciseId)
    )
    #: Exercises left out for a self-check finding or leg symptoms
    #: (LD-CAUTION); only a clearance brings ``back_extension`` back.
    excluded: frozenset[ExerciseId] = attrs.field(
        default=frozenset(), validator=_frozenset_of(ExerciseId)
    )
    #: The week of the plan (0 = the first 7 days).
    week: int = attrs.field(default=0, validator=in_range(0, 100_000))
    #: Last week's doses, the base of the weekly cap (LD-CAP).
    reference: tuple[ExerciseDose, ...] = attrs.field(
        default=(), validator=tuple_of(ExerciseDose)
    )
    #: The latest endurance-hold re-check in seconds (PR-GATE-3).
    endurance_seconds: float | None = attrs.field(
        default=None, validator=optional(in_range(0.0, 600.0, kind=float))
    )
    #: The easier direction for the isometric hold, from triage.
    hold_direction: HoldDirection | None = attrs.field(
        default=None, validator=optional(enum_member(HoldDirection))
    )
    #: Nerve features the last clearance acknowledged (PR-ACK).
    acknowledged: frozenset[NerveFeature] = attrs.field(
        default=frozenset(), validator=_frozenset_of(NerveFeature)
    )
    #: The intake's history flags, remembered for the plan's whole life
    #: (PR-HISTORY; ``significant_trauma`` only counts for
    #: ``Thresholds.trauma_memory_days``). A clearance never changes them.
    history: HistoryFlags = attrs.field(
        factory=HistoryFlags.none, validator=type_is(HistoryFlags)
    )
    #: Each measure's baseline and latest answers, in the order first recorded.
    outcomes: tuple[OutcomeRecord, ...] = attrs.field(
        default=(), validator=tuple_of(OutcomeRecord)
    )
    #: The last day an outcome was worse than its baseline (PR-OUTCOME-WORSE).
    outcome_worse_on: dt.date | None = attrs.field(
        default=None, validator=_OPTIONAL_DATE
    )

    def __attrs_post_init__(self) -> None:
        """Refuse fields that contradict each other."""
        # Fields that must agree: a paused plan says why, an active one is
        # not paused, and only a red-flag pause names the care to seek.
        if (self.status is PlanStatus.PAUSED) != (self.pause is not None):
            raise InvalidInput.at(
                "$.pause", "inconsistent", "set exactly when the status is paused"
            )
        # An outcome review (PR-OUTCOME-WORSE, RT-NO-PROGRESS) recommends a
        # physiotherapist outside a seek_care pause too.
        if (
            self.seek_care is not None
            and self.pause is not PauseKind.SEEK_CARE
            and self.seek_care is not Disposition.PHYSIO_REFERRAL
        ):
            raise InvalidInput.at(
                "$.seek_care",
                "inconsistent",
                "only a seek_care pause, or an outcome review, names care",
            )
        if self.last_date < self.started:
            raise InvalidInput.at("$.last_date", "out_of_order", "before started")

    @property
    def dose_map(self) -> dict[ExerciseId, Dose]:
        """The current doses by exercise."""
        return {d.exercise: d.dose for d in self.doses}

    @property
    def planned(self) -> tuple[ExerciseDose, ...]:
        """The current stage's exercises and doses, without dropped ones.

        Derived from ``stage``, ``doses``, ``dropped`` and ``excluded``
        (LD-CAUTION) on every read.
        """
        return planned_doses(self.stage, self.doses, self.dropped | self.excluded)

    @property
    def iso_dropped(self) -> bool:
        """Whether the pain-calming hold has been dropped (PR-ISO)."""
        return ExerciseId.ISOMETRIC_HOLD in self.dropped


@attrs.frozen(kw_only=True)
class Decision:
    """What one event did to the plan, and why."""

    date: dt.date = attrs.field(validator=_date_only)
    action: Action = attrs.field(validator=enum_member(Action))
    from_stage: Stage = attrs.field(validator=enum_member(Stage))
    to_stage: Stage = attrs.field(validator=enum_member(Stage))
    #: The plan's status after the event.
    status: PlanStatus = attrs.field(validator=enum_member(PlanStatus))
    #: The doses planned from now on for the stage's exercises.
    doses: tuple[ExerciseDose, ...] = attrs.field(validator=tuple_of(ExerciseDose))
    #: The rules that decided, with their sources. On a ``hold`` these are
    #: ``PR-HOLD`` followed by each advance condition or stage gate that was
    #: not met (so a clinician sees why the plan did not move) and any rule
    #: that blocked a dose increase.
    rules: tuple[FiredRule, ...] = attrs.field(validator=tuple_of(FiredRule))
    ruleset_version: str = attrs.field(default=RULESET_VERSION, validator=type_is(str))
    #: Message IDs to show (see :mod:`lowback.catalog.messages`).
    messages: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str))
    #: Where to seek care when a red flag paused the plan.
    seek_care: Disposition | None = attrs.field(
        default=None, validator=optional(enum_member(Disposition))
    )
    #: Every rule and advance condition the engine evaluated for this event,
    #: in order: whether it fired (a rule), was met or not (a condition),
    #: and the facts it compared by name (clinical spec 5.3). On a ``hold``
    #: the unmet advance conditions say why the plan did not move.
    checks: tuple[Check, ...] = attrs.field(default=(), validator=tuple_of(Check))


def paused_walks(state: PlanState) -> ExerciseDose:
    """Short walks at no more than their first dose, for a plan paused for review."""
    first = EXERCISES[ExerciseId.SHORT_WALKS].start
    now = state.dose_map.get(ExerciseId.SHORT_WALKS, first)
    dose = now if now.fits_within(first) else first
    return ExerciseDose(exercise=ExerciseId.SHORT_WALKS, dose=dose)


_FIELDS = tuple(a.name for a in attrs.fields(PlanState))
#: Every field of a state, read in one call.
_ALL_FIELDS = operator.attrgetter(*_FIELDS)


class _Draft(dict[str, Any]):
    """The fields of the next state, over the state they start from.

    Private to the engine and mutable: a dict of every field of the next
    state, by name, starting as the base state's. While one event is applied
    the handlers read the next state's fields here (``draft["stage"]``) and
    write their changes here; :func:`~lowback.engine.progression.step` then
    makes the next state from them with one call of ``PlanState(**draft)``,
    so every field is validated. The state it was made from is never
    changed.
    """

    __slots__ = ("_planned", "base", "checks")

    def __init__(self, base: PlanState) -> None:
        super().__init__(zip(_FIELDS, _ALL_FIELDS(base), strict=True))
        self.base = base
        #: The rules and conditions evaluated so far, in order.
        self.checks: list[Check] = []
        # The last planned() answer and the four fields it was derived from.
        self._planned: tuple[tuple[Any, ...], tuple[ExerciseDose, ...]] | None = None

    def planned(self) -> tuple[ExerciseDose, ...]:
        """:attr:`PlanState.planned` of the next state.

        Derived again whenever one of the four fields it reads holds
        another object than at the last call; the objects are values and the
        draft holds them, so an unchanged object means an unchanged answer.
        """
        inputs = (self["stage"], self["doses"], self["dropped"], self["excluded"])
        memo = self._planned
        if memo is not None and all(map(operator.is_, memo[0], inputs)):
            return memo[1]
        stage, doses, dropped, excluded = inputs
        planned = planned_doses(stage, doses, dropped | excluded)
        self._planned = (inputs, planned)
        return planned

    def dose_map(self) -> dict[ExerciseId, Dose]:
        """:attr:`PlanState.dose_map` of the next state."""
        return {d.exercise: d.dose for d in self["doses"]}

    def finish(self) -> PlanState:
        """The next state: every field as the draft now holds it, validated."""
        return PlanState(**self)
