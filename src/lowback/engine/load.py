"""Dose arithmetic and the load-management rules (spec 3, LD-*).

A dose grows one step at a time (LD-PROGRESS): first reps, then sets, then
hold time (or minutes, for walks), never past the exercise's ceiling. A spike
cuts a dose by at least the deload fraction (LD-DELOAD). The pain-calming
isometric hold never changes (LD-ISO): a fixed dose cannot be cut by 30 %, so
a deload drops it for the day instead. The weekly cap (LD-CAP) compares each
exercise carried over from last week with its own dose then, in its own unit;
volumes of different exercises are never added up (spec 5.2).

>>> from lowback.catalog.exercises import Dose, ExerciseId
>>> step_up(ExerciseId.PELVIC_TILT, Dose(sets=1, reps=8))
Dose(sets=1, reps=9, hold_seconds=None, rest_seconds=None, effort_percent=None, minutes=None)
>>> deload(ExerciseId.PELVIC_TILT, Dose(sets=1, reps=10), 0.3)
Dose(sets=1, reps=7, hold_seconds=None, rest_seconds=None, effort_percent=None, minutes=None)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping

import attrs

from lowback.catalog.exercises import (
    EXERCISES,
    STAGE_PLANS,
    Dose,
    ExerciseId,
    ExerciseKind,
)
from lowback.catalog.stages import Stage
from lowback.catalog.thresholds import Thresholds
from lowback.catalog.validators import enum_member, type_is

__all__ = [
    "MAX_STEP",
    "ExerciseDose",
    "cap_limit",
    "deload",
    "exercise_limit",
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


#: The largest growth one LD-PROGRESS step may make, as a fraction of the
#: dose's volume: the upper bound of ``Thresholds.weekly_volume_cap`` (30 %;
#: more than 30 % over two weeks is linked to injury, Nielsen 2014). A lowback
#: heuristic [H] read from the threshold's own bounds, never a second number.
MAX_STEP: float = attrs.fields(Thresholds).weekly_volume_cap.metadata["lowback"]["high"]

#: Float rounding allowed when a volume is compared with a limit, so a dose
#: exactly at the limit passes.
_TOLERANCE = 1e-9


def step_up(exercise: ExerciseId, dose: Dose) -> Dose:
    """Return *dose* one step larger, or *dose* itself at the top (LD-PROGRESS).

    The order is reps, then sets, then hold time one second at a time, then
    minutes. A new set brings the reps back down to the fewest that still
    make a larger dose, so the volume rises gently. No step grows the volume
    by more than :data:`MAX_STEP` (30 %) [H]: where one more rep or one more
    second would (a third stretch of 20 s after two is +50 %), the other
    part comes back down as far as it can (a rep's hold, never below the
    first dose's; a second's reps, likewise), and a part that still cannot
    step within 30 % waits while the next part in the order steps. The
    isometric hold is fixed (LD-ISO) and never steps.

    >>> step_up(ExerciseId.PELVIC_TILT, Dose(sets=1, reps=15))
    Dose(sets=2, reps=8, hold_seconds=None, rest_seconds=None, effort_percent=None, minutes=None)
    >>> step_up(ExerciseId.HIP_FLEXOR_STRETCH, Dose(sets=1, reps=2, hold_seconds=30.0))
    Dose(sets=1, reps=3, hold_seconds=21.0, rest_seconds=None, effort_percent=None, minutes=None)
    """
    if is_fixed(exercise):
        return dose
    bound = dose.volume * (1.0 + MAX_STEP) + _TOLERANCE
    for bigger in _steps(exercise, dose):
        if bigger.volume <= bound:
            return bigger
    return dose


def _steps(exercise: ExerciseId, dose: Dose) -> Iterator[Dose]:
    """The candidate next doses of *dose*, in LD-PROGRESS order, each larger."""
    info = EXERCISES[exercise]
    top, first = info.ceiling, info.start
    if dose.reps is not None and top.reps is not None and dose.reps < top.reps:
        more = attrs.evolve(dose, reps=dose.reps + 1)
        yield _gentler(more, dose, "hold_seconds", first.hold_seconds)
    if dose.sets < top.sets:
        if dose.reps is None:
            yield attrs.evolve(dose, sets=dose.sets + 1)
        else:
            # The fewest reps that still make the new set a (small) increase.
            reps = max(first.reps or 1, dose.sets * dose.reps // (dose.sets + 1) + 1)
            yield attrs.evolve(dose, sets=dose.sets + 1, reps=reps)
    if (
        dose.hold_seconds is not None
        and top.hold_seconds is not None
        and dose.hold_seconds < top.hold_seconds
    ):
        more = attrs.evolve(
            dose, hold_seconds=min(top.hold_seconds, dose.hold_seconds + 1.0)
        )
        yield _gentler(more, dose, "reps", first.reps)
    if (
        dose.minutes is not None
        and top.minutes is not None
        and dose.minutes < top.minutes
    ):
        yield attrs.evolve(dose, minutes=dose.minutes + 1)


def _gentler(bigger: Dose, dose: Dose, part: str, floor: float | None) -> Dose:
    """*bigger*, with *part* lowered when the step would exceed :data:`MAX_STEP`.

    *part* comes down to the fewest whole units, never below *floor* (the
    first dose's), that keep *bigger* larger than *dose*; when that does not
    lower it, *bigger* is returned as it is (and :func:`step_up` skips it
    if it is still too large).
    """
    now = getattr(bigger, part)
    if now is None or floor is None or bigger.volume <= dose.volume * (1.0 + MAX_STEP):
        return bigger
    per_unit = bigger.volume / now
    fewest = max(floor, math.floor(dose.volume / per_unit) + 1)
    if fewest >= now:
        return bigger
    if part == "hold_seconds":
        return attrs.evolve(bigger, hold_seconds=float(fewest))
    return attrs.evolve(bigger, reps=int(fewest))


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

    The sum mixes units (reps, seconds held, minutes), so LD-CAP never reads
    it: the cap compares each exercise with itself (:func:`within_cap`).

    >>> planned_volume(start_doses(Stage.CALM_AND_UNLOAD)) > 0
    True
    """
    return sum(d.dose.volume for d in doses if among is None or d.exercise in among)


def exercise_limit(exercise: ExerciseId, last_week: Dose, cap: float) -> float:
    """The most volume LD-CAP allows *exercise* this week, in its own unit.

    LD-CAP per exercise (spec 5.2), with lowback's reading of the smallest
    step [H]: the exercise may grow by *cap* over *last_week*'s dose, or by
    one LD-PROGRESS step over it, whichever is more. At low doses the
    smallest step is larger than the cap (1 x 8 -> 1 x 9 reps is +12.5 %,
    5 -> 6 minutes +20 %), and a strict cap would hold such an exercise at
    its dose for ever; one step a week is the slowest progress there is,
    and no step is larger than :data:`MAX_STEP` (30 %, the cap's own upper
    bound), so an exercise never grows by more than 30 % in a week. The
    unit is the exercise's :attr:`~lowback.catalog.exercises.Dose.volume`:
    reps x sets, seconds held in all (sets x reps x hold) when it is held,
    or minutes; the hold time counts, the safer reading, so a longer hold is
    growth too.

    >>> exercise_limit(ExerciseId.PELVIC_TILT, Dose(sets=1, reps=10), 0.1) > 11.0
    True
    >>> exercise_limit(ExerciseId.PELVIC_TILT, Dose(sets=1, reps=8), 0.1) == 9.0
    True
    """
    return max(cap_limit(last_week.volume, cap), step_up(exercise, last_week).volume)


def within_cap(
    doses: Iterable[ExerciseDose], reference: Mapping[ExerciseId, Dose], cap: float
) -> bool:
    """Whether *doses* respect the weekly cap over *reference* (LD-CAP).

    *reference* holds last week's planned doses. Each exercise carried over
    from last week stays within :func:`exercise_limit` of its own dose then;
    exercises new this week are held at the dose they enter with by the
    engine, so they add no increase of their own, and the fixed isometric
    hold (LD-ISO) is outside the cap.

    >>> ref = {ExerciseId.PELVIC_TILT: Dose(sets=1, reps=10)}
    >>> within_cap([ExerciseDose(exercise=ExerciseId.PELVIC_TILT, dose=Dose(sets=1, reps=11))], ref, 0.1)
    True
    >>> within_cap([ExerciseDose(exercise=ExerciseId.PELVIC_TILT, dose=Dose(sets=1, reps=12))], ref, 0.1)
    False
    """
    for d in doses:
        then = reference.get(d.exercise)
        if then is None or is_fixed(d.exercise):
            continue
        if d.dose.volume > exercise_limit(d.exercise, then, cap):
            return False
    return True


def cap_limit(base: float, cap: float) -> float:
    """The most volume *cap* allows over last week's *base* (the one cap formula).

    A tolerance of 1e-9 absorbs float rounding, so a volume exactly at the
    cap passes. LD-CAP applies it to one exercise at a time
    (:func:`exercise_limit`).

    >>> cap_limit(10.0, 0.1) > 11.0
    True
    """
    return base * (1.0 + cap) + _TOLERANCE
