"""Today's prescription: what a plan offers now, with doses, habits and messages.

While a plan is active it offers its stage's exercises at their current
doses, the stage's daily habits, and the stage's messages. While it is
paused for review it offers only the unloading positions and short walks;
after a red flag answered yes, or an emergency or urgent triage, it offers
nothing at all but the safety net (PR-REDFLAG). Each exercise comes with
its cautions (LD-CAUTION), as message IDs of the catalog.

>>> import datetime as dt
>>> from lowback.engine.progression import start_plan, _demo_result
>>> state, _ = start_plan(_demo_result(), date=dt.date(2026, 11, 1), entry_pain=6)
>>> [d.exercise.value for d in prescription(state).exercises][:2]
['pelvic_tilt', 'knee_rolls']
>>> prescription(state).exercises[0].cautions
('caution.no_end_range_stretch',)
"""

from __future__ import annotations

import attrs

from lowback.catalog import rule_ids as ids
from lowback.catalog.dispositions import Disposition
from lowback.catalog.exercises import EXERCISES, STAGE_PLANS, ExerciseId
from lowback.catalog.messages import render
from lowback.catalog.rules import RULESET_VERSION, FiredRule
from lowback.catalog.self_checks import HoldDirection
from lowback.catalog.stages import PlanStatus, Stage
from lowback.catalog.thresholds import Thresholds
from lowback.catalog.validators import tuple_of
from lowback.errors import InvalidInput

from .load import ExerciseDose
from .plan import PauseKind, PlanState, paused_walks

__all__ = ["UNLOADING_POSITIONS", "PrescribedExercise", "Prescription", "prescription"]

#: The resting positions that unload the back, offered even while paused.
UNLOADING_POSITIONS: tuple[ExerciseId, ...] = (
    ExerciseId.LEGS_UP_REST,
    ExerciseId.SIDE_LYING_PILLOW,
)


@attrs.frozen(kw_only=True)
class PrescribedExercise(ExerciseDose):
    """One exercise of today's prescription: its dose and its cautions.

    An :class:`~lowback.engine.load.ExerciseDose` with the exercise's
    cautions from the catalog (LD-CAUTION, spec 5.2: "the prescription
    carries each exercise's cautions"), so an app shows each caution beside
    its exercise. On the wire each item of ``exercises`` gains a
    ``cautions`` list of message IDs (:data:`~lowback.catalog.messages.MESSAGES`).

    >>> PrescribedExercise.of(ExerciseDose(exercise=ExerciseId.BACK_EXTENSION,
    ...     dose=EXERCISES[ExerciseId.BACK_EXTENSION].start)).cautions
    ('caution.stop_sharp_pain',)
    """

    #: Message IDs of the exercise's cautions, in catalog order; may be empty.
    cautions: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str))

    @classmethod
    def of(cls, item: ExerciseDose) -> PrescribedExercise:
        """*item* with its exercise's cautions from the catalog."""
        return cls(
            exercise=item.exercise,
            dose=item.dose,
            cautions=EXERCISES[item.exercise].cautions,
        )


@attrs.frozen(kw_only=True)
class Prescription:
    """What the plan offers today."""

    stage: Stage
    status: PlanStatus
    #: Exercises with today's doses and their cautions, in the order to show them.
    exercises: tuple[PrescribedExercise, ...]
    #: Daily habits and resting positions for the stage.
    habits: tuple[ExerciseId, ...]
    #: Message IDs to show, in order (see :mod:`lowback.catalog.messages`).
    messages: tuple[str, ...]
    #: Change position at least this often, in minutes, when desk breaks apply (LD-DESK).
    desk_break_minutes: int | None
    #: Where to seek care when a red flag paused the plan.
    seek_care: Disposition | None
    #: Message ID of the safety net (shown on every prescription).
    safety_net_message: str
    #: The safety net, in the default English catalog.
    safety_net: str
    rules: tuple[FiredRule, ...]
    ruleset_version: str = RULESET_VERSION


_DEFAULT = Thresholds()
_HOLD_MESSAGES = {
    HoldDirection.SUPPORTED_HIP_HINGE: "exercise.isometric_hold.forward",
    HoldDirection.SMALL_BACKWARD_LEAN: "exercise.isometric_hold.backward",
}


def _build(  # noqa: PLR0913, PLR0917 - one argument per part of the prescription
    state: PlanState,
    exercises: tuple[ExerciseDose, ...],
    habits: tuple[ExerciseId, ...],
    messages: tuple[str, ...],
    net: str,
    rules: tuple[str, ...],
    desk: int | None = None,
) -> Prescription:
    return Prescription(
        stage=state.stage,
        status=state.status,
        exercises=tuple(PrescribedExercise.of(d) for d in exercises),
        habits=habits,
        messages=messages,
        desk_break_minutes=desk,
        seek_care=state.seek_care,
        safety_net_message=net,
        safety_net=render(net),
        rules=tuple(FiredRule.of(r) for r in rules),
    )


def prescription(
    state: PlanState, *, thresholds: Thresholds = _DEFAULT
) -> Prescription:
    """Return what *state* offers today.

    Args:
        state: The plan's state (from :func:`~lowback.engine.progression.replay`).
        thresholds: Supplies the desk-break interval (LD-DESK).
    """
    if not isinstance(state, PlanState):
        raise InvalidInput.at("state", "wrong_type", "expected a PlanState")
    if not isinstance(thresholds, Thresholds):
        raise InvalidInput.at("thresholds", "wrong_type", "expected Thresholds")
    if state.pause is PauseKind.SEEK_CARE:
        seek = state.seek_care or Disposition.URGENT
        net = f"safety_net.{seek.value}"
        return _build(
            state, (), (), ("progression.paused_red_flag",), net, (ids.PR_REDFLAG,)
        )
    if state.status is PlanStatus.PAUSED:
        walks = paused_walks(state)
        return _build(
            state,
            (walks,),
            UNLOADING_POSITIONS,
            ("progression.paused_review",),
            "safety_net.medical_review",
            (ids.PR_REDFLAG, ids.PR_NERVE, ids.PR_CLEAR),
        )
    plan = STAGE_PLANS[state.stage]
    exercises = state.planned
    messages = [plan.goal, *plan.messages, "load.monitor"]
    rules = [ids.LD_MONITOR]
    habits = plan.habits
    if state.stage is Stage.CALM_AND_UNLOAD and state.iso_dropped:
        habits = tuple(dict.fromkeys((*UNLOADING_POSITIONS, *habits)))
        messages.append("progression.iso_dropped")
        rules.append(ids.PR_ISO)
    if any(d.exercise is ExerciseId.ISOMETRIC_HOLD for d in exercises):
        rules.append(ids.LD_ISO)
        if state.hold_direction is not None:
            messages.append(_HOLD_MESSAGES[state.hold_direction])
    desk = None
    if ExerciseId.DESK_BREAKS in habits:
        desk = thresholds.desk_break_minutes
        messages.append("load.desk_breaks")
        rules.append(ids.LD_DESK)
    return _build(
        state,
        exercises,
        habits,
        tuple(messages),
        "safety_net.general",
        tuple(rules),
        desk,
    )
