"""When a plan may advance: the PR-ADVANCE criteria and the stage gates, as data.

Each session in the current stage is remembered as a :class:`SessionSummary`;
the advance rules read a window of them (:data:`ADVANCE_CRITERIA`) and the
gate of the stage being left (:data:`GATES`). Each check is a pure
predicate over the state, that window of sessions, the event's date and the
thresholds, paired with the rule ID that states it.

>>> from lowback.catalog.stages import Stage
>>> GATES[Stage.CALM_AND_UNLOAD][0]
'PR-GATE-1'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from lowback.catalog.events import SessionLogged
from lowback.catalog.exercises import EXERCISES, STAGE_PLANS, ExerciseId, ExerciseKind
from lowback.catalog.rules import PR_OUTCOME_WORSE
from lowback.catalog.stages import Stage
from lowback.catalog.thresholds import Thresholds

from .plan import PlanState, SessionSummary, _made

__all__ = ["ADVANCE_CRITERIA", "GATES"]


#: The recent sessions PR-ADVANCE reads (see :func:`_window`).
_Window = tuple[SessionSummary, ...]
_Check = Callable[[PlanState, _Window, dt.date, Thresholds], bool]


def _window(sessions: _Window, t: Thresholds) -> _Window:
    """The sessions PR-ADVANCE reads: at least the last N, reaching back M days.

    "The last 3 sessions spanning >= 5 days" read literally would never let
    someone who exercises daily advance; the window therefore grows back
    until it spans the days, and every session in it must qualify.
    """
    start = len(sessions) - t.advance_sessions
    if start <= 0:
        return sessions
    last = sessions[-1].date
    span = t.advance_span_days
    while start > 0 and (last - sessions[start].date).days < span:
        start -= 1
    return sessions[start:]


def _enough_sessions(_s: PlanState, w: _Window, _d: dt.date, t: Thresholds) -> bool:
    return (
        len(w) >= t.advance_sessions
        and (w[-1].date - w[0].date).days >= t.advance_span_days
    )


def _all_green(state: PlanState, w: _Window, _d: dt.date, _t: Thresholds) -> bool:
    return state.morning_settled and all(s.green for s in w)


def _not_rising(_s: PlanState, w: _Window, _d: dt.date, _t: Thresholds) -> bool:
    return bool(w) and w[-1].pain_during_max <= w[0].pain_during_max


def _cooled_down(state: PlanState, _w: _Window, date: dt.date, t: Thresholds) -> bool:
    last = state.last_regression
    return last is None or (date - last).days >= t.regression_cooldown_days


def _gate1(state: PlanState, _w: _Window, _d: dt.date, t: Thresholds) -> bool:
    return (
        state.pain_now <= t.gate1_pain
        or state.entry_pain - state.pain_now >= t.gate1_drop
    )


def _gate2(_s: PlanState, w: _Window, _d: dt.date, _t: Thresholds) -> bool:
    return all(s.mobility for s in w)


def _gate3(state: PlanState, w: _Window, _d: dt.date, t: Thresholds) -> bool:
    hold_ok = (
        state.endurance_seconds is None
        or state.endurance_seconds >= t.gate3_endurance_seconds
    )
    return bool(w) and w[-1].on_target and hold_ok


def _gate4(state: PlanState, w: _Window, date: dt.date, t: Thresholds) -> bool:
    since = state.low_pain_since
    return (
        since is not None
        and (date - since).days >= t.gate4_days
        and any(s.habits for s in w)
    )


def _no_worse_outcome(
    state: PlanState, _w: _Window, date: dt.date, _t: Thresholds
) -> bool:
    return state.outcome_worse_on != date


#: The conditions of PR-ADVANCE, each with the rule that states it.
ADVANCE_CRITERIA: tuple[tuple[str, _Check], ...] = (
    ("PR-TIME", _enough_sessions),
    ("LD-MONITOR", _all_green),
    ("LD-SETTLE", _all_green),
    ("PR-ADVANCE", _not_rising),
    ("PR-ADVANCE", _cooled_down),
    (PR_OUTCOME_WORSE, _no_worse_outcome),
)
#: The gate of each stage, keyed by the stage it leaves.
GATES: Mapping[Stage, tuple[str, _Check]] = {
    Stage.CALM_AND_UNLOAD: ("PR-GATE-1", _gate1),
    Stage.RESTORE_MOBILITY: ("PR-GATE-2", _gate2),
    Stage.STRENGTHEN_AND_COORDINATE: ("PR-GATE-3", _gate3),
    Stage.INTEGRATE: ("PR-GATE-4", _gate4),
}


def _failed(state: PlanState, date: dt.date, t: Thresholds) -> list[str]:
    """The rules of :data:`ADVANCE_CRITERIA` and the stage's gate not met, in order."""
    w = _window(state.sessions, t)
    failed = []
    for rid, check in ADVANCE_CRITERIA:
        if not check(state, w, date, t):
            failed.append(rid)
    gate = GATES.get(state.stage)
    if gate is not None and not gate[1](state, w, date, t):
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


def _summarise(state: PlanState, event: SessionLogged, t: Thresholds) -> SessionSummary:
    """What PR-ADVANCE remembers of a session that was not a spike."""
    stage = state.stage
    done = {x.exercise: x for x in event.exercises}
    on_target = False
    goals = _STRENGTH_GOALS[stage]
    if goals:
        for e, sets, reps in goals:
            x = done.get(e)
            if x is None or x.sets < sets or x.reps < reps:
                break
        else:
            on_target = True
    during = event.pain_during_max
    return _made(
        SessionSummary,
        {
            "date": event.date,
            "pain_during_max": during,
            "green": (
                event.completed
                and during <= t.green_zone_pain
                and state.morning_settled
            ),
            "mobility": not _MOBILITY_IN[stage].isdisjoint(done),
            "habits": not _HABITS.isdisjoint(done),
            "on_target": on_target,
        },
    )


def _remember(sessions: _Window, summary: SessionSummary) -> _Window:
    """Add *summary*, keeping enough sessions for the widest window allowed."""
    date = summary.date
    first = 0
    # Sessions are in date order, so only the oldest can fall out of reach.
    while first < len(sessions) and (date - sessions[first].date).days > _KEEP_DAYS:
        first += 1
    kept = (*sessions[first:], summary)
    return kept if len(kept) <= _KEEP_SESSIONS else kept[-_KEEP_SESSIONS:]
