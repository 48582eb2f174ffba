"""When a plan may advance: the PR-ADVANCE criteria and the stage gates, as data.

Each session in the current stage is remembered as a :class:`SessionSummary`;
the advance rules read a window of them (:data:`ADVANCE_CRITERIA`) and the
gate of the stage being left (:data:`GATES`). Each check is a pure
predicate over the state, the event's date and the thresholds, paired with
the rule ID that states it.

>>> from lowback.stages import Stage
>>> GATES[Stage.CALM_AND_UNLOAD][0]
'PR-GATE-1'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from .events import SessionLogged
from .exercises import EXERCISES, STAGE_PLANS, ExerciseId, ExerciseKind
from .plan import PlanState, SessionSummary
from .rules import Thresholds
from .stages import Stage

__all__ = ["ADVANCE_CRITERIA", "GATES"]


def _pain_changes(
    state: PlanState, pain: int, date: dt.date, t: Thresholds
) -> dict[str, Any]:
    """The fields a reported pain now changes (PR-GATE-4 counts its low days)."""
    since = None if pain > t.gate4_pain else state.low_pain_since or date
    return {"pain_now": pain, "low_pain_since": since}


_Check = Callable[[PlanState, dt.date, Thresholds], bool]


# The criteria and gates of one session all read the same window: the last
# one computed is remembered, keyed by the identity of the (immutable)
# sessions tuple and thresholds it was computed from.
_LAST_WINDOW: list[tuple[object, object, tuple[SessionSummary, ...]]] = [((), None, ())]


def _window(state: PlanState, t: Thresholds) -> tuple[SessionSummary, ...]:
    """The sessions PR-ADVANCE reads: at least the last N, reaching back M days.

    "The last 3 sessions spanning >= 5 days" read literally would never let
    someone who exercises daily advance; the window therefore grows back
    until it spans the days, and every session in it must qualify.
    """
    ss = state.sessions
    seen, seen_t, window = _LAST_WINDOW[0]
    if seen is ss and seen_t is t:
        return window
    if not ss:
        return ()
    last = ss[-1].date
    start = max(0, len(ss) - t.advance_sessions)
    while start > 0 and (last - ss[start].date).days < t.advance_span_days:
        start -= 1
    window = ss[start:]
    _LAST_WINDOW[0] = (ss, t, window)
    return window


def _enough_sessions(state: PlanState, _d: dt.date, t: Thresholds) -> bool:
    w = _window(state, t)
    return (
        len(w) >= t.advance_sessions
        and (w[-1].date - w[0].date).days >= t.advance_span_days
    )


def _all_green(state: PlanState, _d: dt.date, t: Thresholds) -> bool:
    return all(s.green for s in _window(state, t)) and state.morning_settled


def _not_rising(state: PlanState, _d: dt.date, t: Thresholds) -> bool:
    w = _window(state, t)
    return bool(w) and w[-1].pain_during_max <= w[0].pain_during_max


def _cooled_down(state: PlanState, date: dt.date, t: Thresholds) -> bool:
    last = state.last_regression
    return last is None or (date - last).days >= t.regression_cooldown_days


def _gate1(state: PlanState, _d: dt.date, t: Thresholds) -> bool:
    return (
        state.pain_now <= t.gate1_pain
        or state.entry_pain - state.pain_now >= t.gate1_drop
    )


def _gate2(state: PlanState, _d: dt.date, t: Thresholds) -> bool:
    return all(s.mobility for s in _window(state, t))


def _gate3(state: PlanState, _d: dt.date, t: Thresholds) -> bool:
    w = _window(state, t)
    hold_ok = (
        state.endurance_seconds is None
        or state.endurance_seconds >= t.gate3_endurance_seconds
    )
    return bool(w) and w[-1].on_target and hold_ok


def _gate4(state: PlanState, date: dt.date, t: Thresholds) -> bool:
    since = state.low_pain_since
    return (
        since is not None
        and (date - since).days >= t.gate4_days
        and any(s.habits for s in _window(state, t))
    )


#: The conditions of PR-ADVANCE, each with the rule that states it.
ADVANCE_CRITERIA: tuple[tuple[str, _Check], ...] = (
    ("PR-TIME", _enough_sessions),
    ("LD-MONITOR", _all_green),
    ("LD-SETTLE", _all_green),
    ("PR-ADVANCE", _not_rising),
    ("PR-ADVANCE", _cooled_down),
)
#: The gate of each stage, keyed by the stage it leaves.
GATES: Mapping[Stage, tuple[str, _Check]] = {
    Stage.CALM_AND_UNLOAD: ("PR-GATE-1", _gate1),
    Stage.RESTORE_MOBILITY: ("PR-GATE-2", _gate2),
    Stage.STRENGTHEN_AND_COORDINATE: ("PR-GATE-3", _gate3),
    Stage.INTEGRATE: ("PR-GATE-4", _gate4),
}
# Each distinct check once, in table order (two rules share _all_green).
_DISTINCT_CHECKS = tuple(dict.fromkeys(check for _, check in ADVANCE_CRITERIA))


def _failed(state: PlanState, date: dt.date, t: Thresholds) -> list[str]:
    """The rules of :data:`ADVANCE_CRITERIA` and the stage's gate not met, in order."""
    met = {check: check(state, date, t) for check in _DISTINCT_CHECKS}
    failed = [rid for rid, check in ADVANCE_CRITERIA if not met[check]]
    gate = GATES.get(state.stage)
    if gate is not None and not gate[1](state, date, t):
        failed.append(gate[0])
    return failed


_KEEP_DAYS = 2 * 28
_KEEP_SESSIONS = 64
_MOBILITY_KINDS = frozenset({ExerciseKind.MOBILITY, ExerciseKind.STRETCH})
_HABITS = frozenset({ExerciseId.DESK_BREAKS, ExerciseId.HIP_HINGE_LIFTING})


#: Per stage: each strength exercise with its goal sets and reps (PR-GATE-3).
_STRENGTH_GOALS = {
    stage: tuple(
        (e, EXERCISES[e].goal.sets, EXERCISES[e].goal.reps or 0)
        for e in plan.exercises
        if EXERCISES[e].kind is ExerciseKind.STRENGTH
    )
    for stage, plan in STAGE_PLANS.items()
}
#: Per stage: its mobility and stretch exercises (PR-GATE-2).
_MOBILITY_IN = {
    stage: frozenset(e for e in plan.exercises if EXERCISES[e].kind in _MOBILITY_KINDS)
    for stage, plan in STAGE_PLANS.items()
}


def _summarise(
    state: PlanState, event: SessionLogged, spike: bool, t: Thresholds
) -> SessionSummary:
    done = {x.exercise: x for x in event.exercises}
    goals = _STRENGTH_GOALS[state.stage]
    on_target = bool(goals) and all(
        e in done and done[e].sets >= sets and done[e].reps >= reps
        for e, sets, reps in goals
    )
    return SessionSummary(
        date=event.date,
        pain_during_max=event.pain_during_max,
        green=(
            not spike
            and event.completed
            and event.pain_during_max <= t.green_zone_pain
            and state.morning_settled
        ),
        mobility=not _MOBILITY_IN[state.stage].isdisjoint(done),
        habits=not _HABITS.isdisjoint(done),
        on_target=on_target,
    )


def _remember(
    sessions: tuple[SessionSummary, ...], summary: SessionSummary
) -> tuple[SessionSummary, ...]:
    """Add *summary*, keeping enough sessions for the widest window allowed."""
    date = summary.date
    first = 0
    # Sessions are in date order, so only the oldest can fall out of reach.
    while first < len(sessions) and (date - sessions[first].date).days > _KEEP_DAYS:
        first += 1
    return (*sessions[first:], summary)[-_KEEP_SESSIONS:]
