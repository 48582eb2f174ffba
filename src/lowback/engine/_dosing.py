"""The plan's doses: entering a stage, progressing, deloading, the weekly cap.

The engine's load-management steps (spec 3, LD-* and PR-ISO) applied to a
:class:`~lowback.engine.plan.PlanState`; the dose arithmetic itself is in
:mod:`lowback.engine.load`. Every function here is private to the engine and
changes, in place, the next state that :func:`lowback.engine.plan._begin` started
for the event being applied (a value nobody else holds yet), so that one
event makes one copy of the state however many rules it applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from lowback.catalog.events import SessionLogged
from lowback.catalog.exercises import EXERCISES, STAGE_PLANS, Dose, ExerciseId
from lowback.catalog.stages import Stage
from lowback.catalog.thresholds import Thresholds

from .load import ExerciseDose, deload, step_up
from .plan import _CATALOG_ORDER, PlanState, _replan

_new = object.__new__
_setattr = object.__setattr__


def _exercise_dose(exercise: ExerciseId, dose: Dose) -> ExerciseDose:
    """An :class:`ExerciseDose` of a catalog exercise and a dose the engine made.

    Both are already valid values, so ``__init__``'s checks are skipped.
    """
    new = _new(ExerciseDose)
    _setattr(new, "exercise", exercise)
    _setattr(new, "dose", dose)
    return new


# step_up and deload are pure functions of the exercise and the parts of the
# dose, and a plan meets few distinct doses (those between an exercise's
# start and its ceiling), so each answer is computed once and the same Dose
# value is shared. The tables are cleared if an app's stored plans bring
# more doses than that.
_DoseKey = tuple[
    ExerciseId, int, int | None, float | None, float | None, int | None, int | None
]
_STEPPED: dict[_DoseKey, Dose | None] = {}
_DELOADED: dict[tuple[_DoseKey, float], Dose | None] = {}
_MEMO_LIMIT = 4096


def _key(exercise: ExerciseId, d: Dose) -> _DoseKey:
    return (
        exercise,
        d.sets,
        d.reps,
        d.hold_seconds,
        d.rest_seconds,
        d.effort_percent,
        d.minutes,
    )


def _stepped(exercise: ExerciseId, dose: Dose) -> Dose | None:
    """:func:`~lowback.engine.load.step_up`, remembered; ``None`` when it cannot grow."""
    key = _key(exercise, dose)
    try:
        return _STEPPED[key]
    except KeyError:
        if len(_STEPPED) >= _MEMO_LIMIT:
            _STEPPED.clear()
        bigger = step_up(exercise, dose)
        # step_up returns the dose itself, and only then, at the ceiling.
        grown = _STEPPED[key] = None if bigger is dose else bigger
        return grown


def _deloaded(exercise: ExerciseId, dose: Dose, fraction: float) -> Dose | None:
    """:func:`~lowback.engine.load.deload`, remembered."""
    key = (_key(exercise, dose), fraction)
    try:
        return _DELOADED[key]
    except KeyError:
        if len(_DELOADED) >= _MEMO_LIMIT:
            _DELOADED.clear()
        smaller = _DELOADED[key] = deload(exercise, dose, fraction)
        return smaller


#: Each exercise's place in the catalog, the order of PlanState.doses.
_RANK = {e: i for i, e in enumerate(_CATALOG_ORDER)}


def _set_doses(state: PlanState, new: Mapping[ExerciseId, Dose]) -> None:
    """Give the exercises in *new* those doses, keeping the others' (in place)."""
    merged = {_RANK[d.exercise]: d for d in state.doses}
    for e, dose in new.items():
        rank = _RANK[e]
        old = merged.get(rank)
        if old is None or (old.dose is not dose and old.dose != dose):
            merged[rank] = _exercise_dose(e, dose)
    fields = state.__dict__
    fields["doses"] = tuple([merged[rank] for rank in sorted(merged)])
    _replan(fields)


def _enter(state: PlanState, stage: Stage) -> None:
    """Move to *stage*, giving its exercises their remembered or first doses."""
    known = state.dose_map
    _set_doses(
        state,
        {e: known.get(e, EXERCISES[e].start) for e in STAGE_PLANS[stage].exercises},
    )
    fields = state.__dict__
    fields["stage"] = stage
    fields["sessions"] = ()


_STAGE1_KEEP = frozenset({ExerciseId.SHORT_WALKS})
_STAGE1_GONE = frozenset(STAGE_PLANS[Stage.CALM_AND_UNLOAD].exercises) - _STAGE1_KEEP


def _iso_drop(state: PlanState, rules: list[str]) -> None:
    """PR-ISO: in stage 1, drop the hold and keep unloading and short walks."""
    if state.stage is not Stage.CALM_AND_UNLOAD or state.iso_dropped:
        return
    rules.append("PR-ISO")
    fields = state.__dict__
    fields["dropped"] = state.dropped | _STAGE1_GONE
    _replan(fields)


def _spike(
    state: PlanState, date: dt.date, thresholds: Thresholds, rules: list[str]
) -> None:
    """PR-SPIKE + LD-DELOAD: down one stage (not below 1), every dose cut."""
    rules += ["PR-SPIKE", "LD-DELOAD", "LD-MONITOR"]
    if state.stage is Stage.CALM_AND_UNLOAD:
        _iso_drop(state, rules)
    target = state.stage.previous or state.stage
    known = state.dose_map
    cut: dict[ExerciseId, Dose] = {}
    dropped = set(state.dropped)
    for e in STAGE_PLANS[target].exercises:
        if e in dropped:
            continue
        smaller = _deloaded(
            e, known.get(e, EXERCISES[e].start), thresholds.deload_fraction
        )
        if smaller is None:
            rules.append("LD-ISO" if e is ExerciseId.ISOMETRIC_HOLD else "LD-DELOAD")
            dropped.add(e)
        else:
            cut[e] = smaller
    if ExerciseId.ISOMETRIC_HOLD in dropped and target is Stage.CALM_AND_UNLOAD:
        rules.append("PR-ISO")
    _set_doses(state, cut)
    fields = state.__dict__
    fields["stage"] = target
    fields["sessions"] = ()
    fields["dropped"] = frozenset(dropped)
    fields["last_regression"] = date


def _carried_volumes(
    planned: tuple[ExerciseDose, ...], reference: tuple[ExerciseDose, ...]
) -> tuple[float, list[float]]:
    """LD-CAP's sums over the exercises carried over from last week.

    Returns their total volume last week and, in plan order, each one's
    volume now, summed in the order :func:`~lowback.engine.load.within_cap` sums.
    """
    last_week = {d.exercise: d.dose for d in reference}
    base = 0.0
    volumes = []
    for d in planned:
        then = last_week.get(d.exercise)
        if then is not None:
            base += then.volume
            volumes.append(d.dose.volume)
    return base, volumes


def _enforce_cap(state: PlanState, t: Thresholds) -> None:
    """LD-CAP over whatever the plan now holds.

    An exercise may have grown this week while others in the plan kept the
    total under the cap; when those others leave the plan (a new stage, a
    drop), the grown one goes back to last week's dose so the cap holds.
    """
    planned = state.planned
    if planned is state.reference:
        return  # the week has just rolled over and nothing else changed
    base, volumes = _carried_volumes(planned, state.reference)
    if sum(volumes) <= base * (1.0 + t.weekly_volume_cap) + 1e-9:
        return
    reference = {d.exercise: d.dose for d in state.reference}
    _set_doses(
        state,
        {
            d.exercise: reference[d.exercise]
            for d in planned
            if d.exercise in reference and d.dose.volume > reference[d.exercise].volume
        },
    )


def _progress_doses(
    state: PlanState, event: SessionLogged, t: Thresholds, rules: list[str]
) -> None:
    """LD-PROGRESS within LD-CAP: one step for each exercise done, in plan order.

    Exercises new this week are held at their first dose (LD-CAP), and a step
    that would take the planned volume past the cap is not taken.
    """
    planned = state.planned
    base, volumes = _carried_volumes(planned, state.reference)
    if not volumes:
        return
    limit = base * (1.0 + t.weekly_volume_cap) + 1e-9
    done = {x.exercise for x in event.exercises}
    last_week = {d.exercise for d in state.reference}
    bigger: dict[ExerciseId, Dose] = {}
    i = -1
    for d in planned:
        e = d.exercise
        if e not in last_week:
            continue
        i += 1
        if e not in done:
            continue
        dose = _stepped(e, d.dose)
        if dose is None:
            continue
        trial = volumes.copy()
        trial[i] = dose.volume
        if sum(trial) > limit:
            rules.append("LD-CAP")
            continue
        volumes = trial
        bigger[e] = dose
    if bigger:
        rules.append("LD-PROGRESS")
        _set_doses(state, {d.exercise: d.dose for d in planned} | bigger)
