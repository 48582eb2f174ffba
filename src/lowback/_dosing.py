"""The plan's doses: entering a stage, progressing, deloading, the weekly cap.

The engine's load-management steps (spec 3, LD-* and PR-ISO) applied to a
:class:`~lowback.plan.PlanState`; the dose arithmetic itself is in
:mod:`lowback.load`. Every function here is pure and private to the engine:
it takes an already-valid state and returns the next one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .events import SessionLogged
from .exercises import EXERCISES, STAGE_PLANS, Dose, ExerciseId
from .load import ExerciseDose, deload, step_up, within_cap
from .plan import _CATALOG_ORDER, PlanState, _replace
from .rules import Thresholds
from .stages import Stage


def _with_doses(
    state: PlanState, new: Mapping[ExerciseId, Dose], **changes: Any
) -> PlanState:
    merged = {d.exercise: d for d in state.doses}
    for e, dose in new.items():
        old = merged.get(e)
        if old is None or old.dose != dose:
            merged[e] = ExerciseDose(exercise=e, dose=dose)
    ordered = tuple(merged[e] for e in _CATALOG_ORDER if e in merged)
    return _replace(state, doses=ordered, **changes)


def _enter(state: PlanState, stage: Stage, **changes: Any) -> PlanState:
    """Move to *stage*, giving its exercises their remembered or first doses."""
    known = state.dose_map
    new = {e: known.get(e, EXERCISES[e].start) for e in STAGE_PLANS[stage].exercises}
    return _with_doses(state, new, stage=stage, sessions=(), **changes)


_STAGE1_KEEP = frozenset({ExerciseId.SHORT_WALKS})


def _iso_drop(state: PlanState, rules: list[str]) -> PlanState:
    """PR-ISO: in stage 1, drop the hold and keep unloading and short walks."""
    if state.stage is not Stage.CALM_AND_UNLOAD or state.iso_dropped:
        return state
    rules.append("PR-ISO")
    gone = frozenset(STAGE_PLANS[Stage.CALM_AND_UNLOAD].exercises) - _STAGE1_KEEP
    return _replace(state, dropped=state.dropped | gone)


def _spike(
    state: PlanState, date: dt.date, thresholds: Thresholds, rules: list[str]
) -> PlanState:
    """PR-SPIKE + LD-DELOAD: down one stage (not below 1), every dose cut."""
    rules += ["PR-SPIKE", "LD-DELOAD", "LD-MONITOR"]
    if state.stage is Stage.CALM_AND_UNLOAD:
        state = _iso_drop(state, rules)
    target = state.stage.previous or state.stage
    known = state.dose_map
    cut: dict[ExerciseId, Dose] = {}
    dropped = set(state.dropped)
    for e in STAGE_PLANS[target].exercises:
        if e in dropped:
            continue
        smaller = deload(
            e, known.get(e, EXERCISES[e].start), thresholds.deload_fraction
        )
        if smaller is None:
            rules.append("LD-ISO" if e is ExerciseId.ISOMETRIC_HOLD else "LD-DELOAD")
            dropped.add(e)
        else:
            cut[e] = smaller
    if ExerciseId.ISOMETRIC_HOLD in dropped and target is Stage.CALM_AND_UNLOAD:
        rules.append("PR-ISO")
    return _with_doses(
        state,
        cut,
        stage=target,
        sessions=(),
        dropped=frozenset(dropped),
        last_regression=date,
    )


def _enforce_cap(state: PlanState, t: Thresholds) -> PlanState:
    """LD-CAP over whatever the plan now holds.

    An exercise may have grown this week while others in the plan kept the
    total under the cap; when those others leave the plan (a new stage, a
    drop), the grown one goes back to last week's dose so the cap holds.
    """
    reference = {d.exercise: d.dose for d in state.reference}
    planned = state.planned
    if within_cap(planned, reference, t.weekly_volume_cap):
        return state
    back = {
        d.exercise: reference[d.exercise]
        for d in planned
        if d.exercise in reference and d.dose.volume > reference[d.exercise].volume
    }
    return _with_doses(state, back)


def _roll_week(state: PlanState, date: dt.date) -> PlanState:
    """On a new week, last week's plan becomes the reference (LD-CAP)."""
    week = (date - state.started).days // 7
    if week <= state.week:
        return state
    return _replace(state, week=week, reference=state.planned)


def _progress_doses(
    state: PlanState, event: SessionLogged, t: Thresholds, rules: list[str]
) -> PlanState:
    """LD-PROGRESS within LD-CAP: one step for each exercise done, in plan order."""
    done = {x.exercise for x in event.exercises}
    reference = {d.exercise: d.dose for d in state.reference}
    current = {d.exercise: d for d in state.planned}
    stepped = False
    for e, now in current.items():
        if e not in done or e not in reference:
            continue  # new this week: held at its first dose (LD-CAP)
        bigger = step_up(e, now.dose)
        if bigger == now.dose:
            continue
        trial = dict(current)
        trial[e] = ExerciseDose(exercise=e, dose=bigger)
        if not within_cap(trial.values(), reference, t.weekly_volume_cap):
            rules.append("LD-CAP")
            continue
        current = trial
        stepped = True
    if stepped:
        rules.append("LD-PROGRESS")
        return _with_doses(state, {e: d.dose for e, d in current.items()})
    return state
