"""The plan's doses: entering a stage, progressing, deloading, the weekly cap.

The engine's load-management steps (spec 3, LD-* and PR-ISO) applied to the
draft of the next :class:`~lowback.engine.plan.PlanState`; the dose
arithmetic itself is in :mod:`lowback.engine.load`. Every function here
reads and writes a :class:`~lowback.engine.plan._Draft` (the changes one
event makes, applied at once by :func:`~lowback.engine.progression.step`)
and appends the IDs of the rules it applied to *rules*.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

from lowback.catalog import rule_ids as ids
from lowback.catalog.events import SessionLogged
from lowback.catalog.exercises import EXERCISES, STAGE_PLANS, Dose, ExerciseId
from lowback.catalog.stages import Stage
from lowback.catalog.thresholds import Thresholds

from .load import ExerciseDose, cap_limit, deload, step_up
from .plan import _CATALOG_ORDER, _Draft

#: How many distinct (exercise, dose) answers the dose memos keep. A plan
#: meets few distinct doses (those between an exercise's start and its
#: ceiling); the least recently used are forgotten beyond this.
_MEMO_SIZE = 4096


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _stepped(exercise: ExerciseId, dose: Dose) -> Dose | None:
    """:func:`~lowback.engine.load.step_up`, remembered; ``None`` when it cannot grow."""
    bigger = step_up(exercise, dose)
    # step_up returns the dose itself, and only then, at the ceiling.
    return None if bigger is dose else bigger


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _deloaded(exercise: ExerciseId, dose: Dose, fraction: float) -> Dose | None:
    """:func:`~lowback.engine.load.deload`, remembered."""
    return deload(exercise, dose, fraction)


#: Each exercise's place in the catalog, the order of PlanState.doses.
_RANK = {e: i for i, e in enumerate(_CATALOG_ORDER)}


def _set_doses(state: _Draft, new: Mapping[ExerciseId, Dose]) -> None:
    """Give the exercises in *new* those doses, keeping the others'."""
    merged = {_RANK[d.exercise]: d for d in state["doses"]}
    for e, dose in new.items():
        rank = _RANK[e]
        old = merged.get(rank)
        if old is None or (old.dose is not dose and old.dose != dose):
            merged[rank] = ExerciseDose(exercise=e, dose=dose)
    state["doses"] = tuple([merged[rank] for rank in sorted(merged)])


def _enter(state: _Draft, stage: Stage) -> None:
    """Move to *stage*, giving its exercises their remembered or first doses."""
    known = state.dose_map()
    _set_doses(
        state,
        {e: known.get(e, EXERCISES[e].start) for e in STAGE_PLANS[stage].exercises},
    )
    state["stage"] = stage
    state["sessions"] = ()


#: LD-CAUTION: what leg symptoms, at intake or since, take out of the plan.
LEG_EXCLUDED = frozenset(
    {ExerciseId.KNEE_TO_CHEST_SINGLE, ExerciseId.KNEE_TO_CHEST_DOUBLE}
)


def _exclude_for_legs(state: _Draft) -> None:
    """LD-CAUTION: leg symptoms remove the knee-to-chest stretches for good."""
    state["excluded"] = state["excluded"] | LEG_EXCLUDED


_STAGE1_KEEP = frozenset({ExerciseId.SHORT_WALKS})
_STAGE1_GONE = frozenset(STAGE_PLANS[Stage.CALM_AND_UNLOAD].exercises) - _STAGE1_KEEP


def _iso_dropped(state: _Draft) -> bool:
    return ExerciseId.ISOMETRIC_HOLD in state["dropped"]


def _iso_drop(state: _Draft, rules: list[str]) -> None:
    """PR-ISO: in stage 1, drop the hold and keep unloading and short walks."""
    if state["stage"] is not Stage.CALM_AND_UNLOAD or _iso_dropped(state):
        return
    rules.append(ids.PR_ISO)
    state["dropped"] = state["dropped"] | _STAGE1_GONE


def _spike(
    state: _Draft, date: dt.date, thresholds: Thresholds, rules: list[str]
) -> None:
    """PR-SPIKE + LD-DELOAD: down one stage (not below 1), every dose cut."""
    rules += [ids.PR_SPIKE, ids.LD_DELOAD, ids.LD_MONITOR]
    stage: Stage = state["stage"]
    if stage is Stage.CALM_AND_UNLOAD:
        _iso_drop(state, rules)
    target = stage.previous or stage
    known = state.dose_map()
    cut: dict[ExerciseId, Dose] = {}
    dropped = set(state["dropped"])
    for e in STAGE_PLANS[target].exercises:
        if e in dropped:
            continue
        smaller = _deloaded(
            e, known.get(e, EXERCISES[e].start), thresholds.deload_fraction
        )
        if smaller is None:
            rules.append(
                ids.LD_ISO if e is ExerciseId.ISOMETRIC_HOLD else ids.LD_DELOAD
            )
            dropped.add(e)
        else:
            cut[e] = smaller
    if ExerciseId.ISOMETRIC_HOLD in dropped and target is Stage.CALM_AND_UNLOAD:
        rules.append(ids.PR_ISO)
    _set_doses(state, cut)
    state["stage"] = target
    state["sessions"] = ()
    state["dropped"] = frozenset(dropped)
    state["last_regression"] = date


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


def _enforce_cap(state: _Draft, t: Thresholds) -> None:
    """LD-CAP over whatever the plan now holds.

    An exercise may have grown this week while others in the plan kept the
    total under the cap; when those others leave the plan (a new stage, a
    drop), the grown one goes back to last week's dose so the cap holds.
    """
    planned = state.planned()
    reference_doses = state["reference"]
    base, volumes = _carried_volumes(planned, reference_doses)
    if sum(volumes) <= cap_limit(base, t.weekly_volume_cap):
        return
    reference = {d.exercise: d.dose for d in reference_doses}
    _set_doses(
        state,
        {
            d.exercise: reference[d.exercise]
            for d in planned
            if d.exercise in reference and d.dose.volume > reference[d.exercise].volume
        },
    )


def _progress_doses(
    state: _Draft, event: SessionLogged, t: Thresholds, rules: list[str]
) -> None:
    """LD-PROGRESS within LD-CAP: one step for each exercise done, in plan order.

    Exercises new this week are held at their first dose (LD-CAP), and a step
    that would take the planned volume past the cap is not taken.
    """
    planned = state.planned()
    reference = state["reference"]
    base, volumes = _carried_volumes(planned, reference)
    if not volumes:
        return
    limit = cap_limit(base, t.weekly_volume_cap)
    done = {x.exercise for x in event.exercises}
    last_week = {d.exercise for d in reference}
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
            rules.append(ids.LD_CAP)
            continue
        volumes = trial
        bigger[e] = dose
    if bigger:
        rules.append(ids.LD_PROGRESS)
        _set_doses(state, {d.exercise: d.dose for d in planned} | bigger)
