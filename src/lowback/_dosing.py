"""The plan's doses: entering a stage, progressing, deloading, the weekly cap.

The engine's load-management steps (spec 3, LD-* and PR-ISO) applied to a
:class:`~lowback.plan.PlanState`; the dose arithmetic itself is in
:mod:`lowback.load`. Every function here is private to the engine and
changes, in place, the next state that :func:`lowback.plan._begin` started
for the event being applied (a value nobody else holds yet), so that one
event makes one copy of the state however many rules it applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .events import SessionLogged
from .exercises import EXERCISES, STAGE_PLANS, Dose, ExerciseId
from .load import ExerciseDose, deload, step_up, within_cap
from .plan import _CATALOG_ORDER, PlanState, _replan
from .rules import Thresholds
from .stages import Stage


def _set_doses(state: PlanState, new: Mapping[ExerciseId, Dose]) -> None:
    """Give the exercises in *new* those doses, keeping the others' (in place)."""
    merged = {d.exercise: d for d in state.doses}
    for e, dose in new.items():
        old = merged.get(e)
        if old is None or old.dose != dose:
            merged[e] = ExerciseDose(exercise=e, dose=dose)
    fields = state.__dict__
    fields["doses"] = tuple(merged[e] for e in _CATALOG_ORDER if e in merged)
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
    _set_doses(state, cut)
    fields = state.__dict__
    fields["stage"] = target
    fields["sessions"] = ()
    fields["dropped"] = frozenset(dropped)
    fields["last_regression"] = date


def _enforce_cap(state: PlanState, t: Thresholds) -> None:
    """LD-CAP over whatever the plan now holds.

    An exercise may have grown this week while others in the plan kept the
    total under the cap; when those others leave the plan (a new stage, a
    drop), the grown one goes back to last week's dose so the cap holds.
    """
    reference = {d.exercise: d.dose for d in state.reference}
    planned = state.planned
    if within_cap(planned, reference, t.weekly_volume_cap):
        return
    _set_doses(
        state,
        {
            d.exercise: reference[d.exercise]
            for d in planned
            if d.exercise in reference and d.dose.volume > reference[d.exercise].volume
        },
    )


def _roll_week(state: PlanState, date: dt.date) -> None:
    """On a new week, last week's plan becomes the reference (LD-CAP)."""
    week = (date - state.started).days // 7
    if week > state.week:
        fields = state.__dict__
        fields["reference"] = state.planned
        fields["week"] = week


def _progress_doses(
    state: PlanState, event: SessionLogged, t: Thresholds, rules: list[str]
) -> None:
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
        _set_doses(state, {e: d.dose for e, d in current.items()})
