"""The plan's doses: entering a stage, progressing, deloading, the weekly cap.

The engine's load-management steps (spec 3, LD-* and PR-ISO) applied to the
draft of the next :class:`~lowback.engine.plan.PlanState`; the dose
arithmetic itself is in :mod:`lowback.engine.load`. Every function here
reads and writes a :class:`~lowback.engine.plan._Draft` (the next state's
fields, which :func:`~lowback.engine.progression.step` makes into one new,
validated state at the end) and appends the IDs of the rules it applied to
*rules*.
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

from .load import ExerciseDose, deload, exercise_limit, is_fixed, step_up
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
def _limit(exercise: ExerciseId, last_week: Dose, cap: float) -> float:
    """:func:`~lowback.engine.load.exercise_limit`, remembered."""
    return exercise_limit(exercise, last_week, cap)


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
    if target is Stage.CALM_AND_UNLOAD:
        # Its fixed dose cannot be cut, so the hold is always dropped here.
        rules.append(ids.PR_ISO)
    _set_doses(state, cut)
    state["stage"] = target
    state["sessions"] = ()
    state["dropped"] = frozenset(dropped)
    state["last_regression"] = date


def _over_cap(
    planned: tuple[ExerciseDose, ...], reference: tuple[ExerciseDose, ...], cap: float
) -> dict[ExerciseId, Dose]:
    """The exercises planned beyond LD-CAP, each with last week's dose.

    Each exercise is compared with itself only (spec 5.2), as
    :func:`~lowback.engine.load.within_cap` compares; the fixed isometric
    hold is outside the cap (LD-ISO).
    """
    last_week = {d.exercise: d.dose for d in reference}
    return {
        d.exercise: then
        for d in planned
        if (then := last_week.get(d.exercise)) is not None
        and not is_fixed(d.exercise)
        and d.dose.volume > _limit(d.exercise, then, cap)
    }


def _enforce_cap(state: _Draft, t: Thresholds) -> bool:
    """LD-CAP over whatever the plan now holds, one exercise at a time.

    A safety net: the engine only grows a dose within the cap it is given,
    but an app may lower ``weekly_volume_cap`` mid-week, after doses grew
    under a larger one. An exercise over its own limit then goes back to
    last week's dose. Whether it did is returned, so the decision names
    LD-CAP.
    """
    over = _over_cap(state.planned(), state["reference"], t.weekly_volume_cap)
    if over:
        _set_doses(state, over)
    return bool(over)


def _progress_doses(
    state: _Draft, event: SessionLogged, t: Thresholds, rules: list[str]
) -> None:
    """LD-PROGRESS within LD-CAP: one step for each exercise done, in plan order.

    Only exercises carried over from last week grow (one new this week is
    held at the dose it entered with), each within its own limit
    (:func:`~lowback.engine.load.exercise_limit`): the cap over its own
    dose last week, or one step, whichever is more. The isometric hold is
    fixed (LD-ISO) and never steps.
    """
    planned = state.planned()
    last_week = {d.exercise: d.dose for d in state["reference"]}
    done = {x.exercise for x in event.exercises}
    cap = t.weekly_volume_cap
    bigger: dict[ExerciseId, Dose] = {}
    for d in planned:
        e = d.exercise
        then = last_week.get(e)
        if then is None or e not in done:
            continue
        dose = _stepped(e, d.dose)
        if dose is None:
            continue
        if dose.volume > _limit(e, then, cap):
            rules.append(ids.LD_CAP)
            continue
        bigger[e] = dose
    if bigger:
        rules.append(ids.LD_PROGRESS)
        _set_doses(state, {d.exercise: d.dose for d in planned} | bigger)
