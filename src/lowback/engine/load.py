"""Dose arithmetic and the load-management rules (spec 3, LD-*).

A dose grows one step at a time (LD-PROGRESS): first reps, then sets, then
hold time (or minutes, for walks), never past the exercise's ceiling. A spike
cuts a dose by at least the deload fraction (LD-DELOAD). The pain-calming
isometric hold never changes (LD-ISO): a fixed dose cannot be cut by 30 %, so
a deload drops it for the day instead. The weekly cap (LD-CAP) compares the
planned volume of the exercises carried over from last week with their
volume then.

>>> from lowback.catalog.exercises import Dose, ExerciseId
>>> step_up(ExerciseId.PELVIC_TILT, Dose(sets=1, reps=8))
Dose(sets=1, reps=9, hold_seconds=None, rest_seconds=None, effort_percent=None, minutes=None)
>>> deload(ExerciseId.PELVIC_TILT, Dose(sets=1, reps=10), 0.3)
Dose(sets=1, reps=7, hold_seconds=None, rest_seconds=None, effort_percent=None, minutes=None)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from lowback.catalog.exercises import (
    EXERCISES,
    STAGE_PLANS,
    Dose,
    ExerciseId,
    ExerciseKind,
)
from lowback.catalog.stages import Stage
from lowback.catalog.validators import enum_member, type_is

__all__ = [
    "ExerciseDose",
    "cap_limit",
    "deload",
    "planned_volume",
    "start_doses",
    "step_up",
    "within_cap",
]


@attrs.frozen(kw_only=True)
class ExerciseDose:
    """The dose prescribed for one exercise.

    >>> ExerciseDose(exercise=ExerciseId.SHORT_WALKS, dose=Dose(minutes=5)).dose.minutes
    5
    """

    exercise: ExerciseId = attrs.field(validator=enum_member(ExerciseId))
    dose: Dose = attrs.field(validator=type_is(Dose))


def is_fixed(exercise: ExerciseId) -> bool:
    """Whether the exercise's dose never changes (LD-ISO: the isometric hold)."""
    return EXERCISES[exercise].kind is ExerciseKind.ISOMETRIC


def start_doses(stage: Stage) -> tuple[ExerciseDose, ...]:
    """Return the first dose of every exercise of *stage*'s plan, in plan order.

    >>> [d.exercise.value for d in start_doses(Stage.CALM_AND_UNLOAD)][:2]
    ['pelvic_tilt', 'knee_rolls']
    """
    return tuple(
        ExerciseDose(exercise=e, dose=EXERCISES[e].start)
        for e in STAGE_PLANS[stage].exercises
    )


def step_up(exercise: ExerciseId, dose: Dose) -> Dose:  # noqa: PLR0911 - one return per step kind
    """Return *dose* one step larger, or *dose* itself at the ceiling (LD-PROGRESS).

    The order is reps, then sets (reps back down to the fewest that still
    make a larger dose, so the volume rises gently), then hold time one
    second at a time, then minutes. The
    isometric hold is fixed (LD-ISO) and never steps.

    >>> step_up(ExerciseId.PELVIC_TILT, Dose(sets=1, reps=15))
    Dose(sets=2, reps=8, hold_seconds=None, rest_seconds=None, effort_percent=None, minutes=None)
    """
    info = EXERCISES[exercise]
    if is_fixed(exercise):
        return dose
    top, first = info.ceiling, info.start
    if dose.reps is not None and top.reps is not None and dose.reps < top.reps:
        return attrs.evolve(dose, reps=dose.reps + 1)
    if dose.sets < top.sets:
        if dose.reps is None:
            return attrs.evolve(dose, sets=dose.sets + 1)
        # The fewest reps that still make the new set a (small) increase.
        reps = max(first.reps or 1, dose.sets * dose.reps // (dose.sets + 1) + 1)
        return attrs.evolve(dose, sets=dose.sets + 1, reps=reps)
    if (
        dose.hold_seconds is not None
        and top.hold_seconds is not None
        and dose.hold_seconds < top.hold_seconds
    ):
        return attrs.evolve(
            dose, hold_seconds=min(top.hold_seconds, dose.hold_seconds + 1.0)
        )
    if (
        dose.minutes is not None
        and top.minutes is not None
        and dose.minutes < top.minutes
    ):
        return attrs.evolve(dose, minutes=dose.minutes + 1)
    return dose


_CUT_ORDER = ("sets", "reps", "minutes", "hold_seconds")


def deload(exercise: ExerciseId, dose: Dose, fraction: float) -> Dose | None:
    """Return *dose* cut by at least *fraction* of its volume (LD-DELOAD).

    One part of the dose (sets, else reps, else minutes, else hold time) is
    scaled down and rounded down, so the volume falls by at least *fraction*.
    ``None`` means the exercise is dropped for now: either its dose is fixed
    (LD-ISO) or no part can be cut that far without reaching zero.

    >>> deload(ExerciseId.ISOMETRIC_HOLD, Dose(sets=5, reps=1, hold_seconds=8.0), 0.3) is None
    True
    """
    if is_fixed(exercise):
        return None
    keep = 1.0 - fraction
    for name in _CUT_ORDER:
        value = getattr(dose, name)
        if value is None:
            continue
        cut = math.floor(value * keep)
        if cut >= 1:
            if name == "hold_seconds":
                return attrs.evolve(dose, hold_seconds=float(cut))
            return attrs.evolve(dose, **{name: cut})
    return None


def planned_volume(
    doses: Iterable[ExerciseDose], among: Mapping[ExerciseId, Dose] | None = None
) -> float:
    """Sum the volumes of *doses*, only over exercises in *among* when given.

    >>> planned_volume(start_doses(Stage.CALM_AND_UNLOAD)) > 0
    True
    """
    return sum(d.dose.volume for d in doses if among is None or d.exercise in among)


def within_cap(
    doses: Iterable[ExerciseDose], reference: Mapping[ExerciseId, Dose], cap: float
) -> bool:
    """Whether *doses* respect the weekly cap over *reference* (LD-CAP).

    *reference* holds last week's planned doses. The planned volume of the
    exercises carried over from last week may exceed their volume then by at
    most *cap*; exercises new this week are held at their first dose by the
    engine, so they add no increase of their own.

    >>> ref = {ExerciseId.PELVIC_TILT: Dose(sets=1, reps=10)}
    >>> within_cap([ExerciseDose(exercise=ExerciseId.PELVIC_TILT, dose=Dose(sets=1, reps=11))], ref, 0.1)
    True
    >>> within_cap([ExerciseDose(exercise=ExerciseId.PELVIC_TILT, dose=Dose(sets=1, reps=12))], ref, 0.1)
    False
    """
    doses = tuple(doses)
    base = sum(reference[d.exercise].volume for d in doses if d.exercise in reference)
    return planned_volume(doses, reference) <= cap_limit(base, cap)


def cap_limit(base: float, cap: float) -> float:
    """The most volume LD-CAP allows over last week's *base* (the one formula).

    A tolerance of 1e-9 absorbs float rounding, so a sum exactly at the cap
    passes.

    >>> cap_limit(10.0, 0.1) > 11.0
    True
    """
    return base * (1.0 + cap) + 1e-9
