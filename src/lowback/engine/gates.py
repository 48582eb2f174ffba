"""When a plan may advance: the PR-ADVANCE criteria and the stage gates, as data.

Each session in the current stage is remembered as a :class:`SessionSummary`;
the advance rules read a window of them (:data:`ADVANCE_CRITERIA`) and the
gate of the stage being left (:data:`GATES`). Each condition is a pure
function of the next state, that window of sessions, the event's date and
the thresholds, paired with the rule ID that states it. The window is never
empty: the conditions are evaluated after a session, which it includes.
Each condition answers whether it holds and the facts it compared, by name
(clinical spec 5.3), which the decision carries as
:class:`~lowback.catalog.rules.Check` values.

>>> from lowback.catalog.stages import Stage
>>> GATES[Stage.CALM_AND_UNLOAD][0]
'PR-GATE-1'
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping

from lowback.catalog import rule_ids as ids
from lowback.catalog.events import SessionLogged
from lowback.catalog.exercises import EXERCISES, STAGE_PLANS, ExerciseId, ExerciseKind
from lowback.catalog.rules import Check, CheckOutcome, FactValue
from lowback.catalog.stages import Stage
from lowback.catalog.thresholds import Thresholds

from .plan import SessionSummary, _Draft

__all__ = ["ADVANCE_CRITERIA", "GATES"]


#: The recent sessions PR-ADVANCE reads (see :func:`_window`).
_Window = tuple[SessionSummary, ...]
#: The facts a condition compared, by name, in the order compared.
Facts = tuple[tuple[str, FactValue], ...]
#: An advance condition: met or not, with the facts it compared by name.
_Verdict = tuple[bool, Facts]
_Condition = Callable[[_Draft, _Window, dt.date, Thresholds], _Verdict]


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


def _span(w: _Window) -> int:
    return (w[-1].date - w[0].date).days


def _enough_sessions(_s: _Draft, w: _Window, _d: dt.date, t: Thresholds) -> _Verdict:
    span = _span(w)
    return len(w) >= t.advance_sessions and span >= t.advance_span_days, (
        ("sessions", len(w)),
        ("advance_sessions", t.advance_sessions),
        ("span_days", span),
        ("advance_span_days", t.advance_span_days),
    )


def _all_green(state: _Draft, w: _Window, _d: dt.date, _t: Thresholds) -> _Verdict:
    settled = state["morning_settled"]
    green = sum(1 for s in w if s.green)
    return settled and green == len(w), (
        ("morning_settled", settled),
        ("green_sessions", green),
        ("sessions", len(w)),
    )


def _not_rising(_s: _Draft, w: _Window, _d: dt.date, _t: Thresholds) -> _Verdict:
    first, last = w[0].pain_during_max, w[-1].pain_during_max
    return last <= first, (
        ("first_pain_during_max", first),
        ("last_pain_during_max", last),
    )


def _cooled_down(state: _Draft, _w: _Window, date: dt.date, t: Thresholds) -> _Verdict:
    last = state["last_regression"]
    days = None if last is None else (date - last).days
    return days is None or days >= t.regression_cooldown_days, (
        ("days_since_regression", days),
        ("regression_cooldown_days", t.regression_cooldown_days),
    )


def _gate1(state: _Draft, _w: _Window, _d: dt.date, t: Thresholds) -> _Verdict:
    # PR-GATE-1 narrowed (spec 5.2): pain now alone. The v1 "or down 2 points
    # from entry" clause let pain 10 -> 8 into stage 2.
    pain = state["pain_now"]
    return pain <= t.gate1_pain, (("pain_now", pain), ("gate1_pain", t.gate1_pain))


def _rested(state: _Draft, _w: _Window, date: dt.date, _t: Thresholds) -> _Verdict:
    # PR-TIRED: a day reported very tired (yes or unknown) never advances.
    tired = state["tired_on"] == date
    return not tired, (("very_tired_today", tired),)


def _gate2(_s: _Draft, w: _Window, _d: dt.date, _t: Thresholds) -> _Verdict:
    mobility = sum(1 for s in w if s.mobility)
    return mobility == len(w), (("mobility_sessions", mobility), ("sessions", len(w)))


def _gate3(state: _Draft, w: _Window, _d: dt.date, t: Thresholds) -> _Verdict:
    held = state["endurance_seconds"]
    hold_ok = held is None or held >= t.gate3_endurance_seconds
    on_target = bool(w) and w[-1].on_target
    return on_target and hold_ok, (
        ("last_session_on_target", on_target),
        ("endurance_seconds", held),
        ("gate3_endurance_seconds", t.gate3_endurance_seconds),
    )


def _gate4(state: _Draft, w: _Window, date: dt.date, t: Thresholds) -> _Verdict:
    since = state["low_pain_since"]
    days = None if since is None else (date - since).days
    habits = any(s.habits for s in w)
    return days is not None and days >= t.gate4_days and habits, (
        ("pain_now", state["pain_now"]),
        ("gate4_pain", t.gate4_pain),
        ("days_pain_low", days),
        ("gate4_days", t.gate4_days),
        ("habits_logged", habits),
    )


def _no_worse_outcome(
    state: _Draft, _w: _Window, date: dt.date, _t: Thresholds
) -> _Verdict:
    # PR-OUTCOME-WORSE: a day an outcome was worse than its baseline never advances.
    worse = state["outcome_worse_on"] == date
    return not worse, (("outcome_worse_today", worse),)


#: The conditions of PR-ADVANCE, each with the rule that states it.
ADVANCE_CRITERIA: tuple[tuple[str, _Condition], ...] = (
    (ids.PR_TIME, _enough_sessions),
    (ids.LD_MONITOR, _all_green),
    (ids.LD_SETTLE, _all_green),
    (ids.PR_ADVANCE, _not_rising),
    (ids.PR_ADVANCE, _cooled_down),
    (ids.PR_TIRED, _rested),
    (ids.PR_OUTCOME_WORSE, _no_worse_outcome),
)
#: The gate of each stage, keyed by the stage it leaves.
GATES: Mapping[Stage, tuple[str, _Condition]] = {
    Stage.CALM_AND_UNLOAD: (ids.PR_GATE_1, _gate1),
    Stage.RESTORE_MOBILITY: (ids.PR_GATE_2, _gate2),
    Stage.STRENGTHEN_AND_COORDINATE: (ids.PR_GATE_3, _gate3),
    Stage.INTEGRATE: (ids.PR_GATE_4, _gate4),
}


@functools.lru_cache(maxsize=4096)
def check_of(rule_id: str, outcome: CheckOutcome, facts: Facts) -> Check:
    """The :class:`Check` of *rule_id* with *outcome* and *facts*.

    Checks are values and few distinct ones occur (small integers compared
    with fixed thresholds), so equal ones are made once and shared.
    """
    return Check(id=rule_id, outcome=outcome, facts=dict(facts))


def _check(rule_id: str, verdict: _Verdict) -> Check:
    met, facts = verdict
    return check_of(rule_id, _MET if met else _UNMET, facts)


_MET, _UNMET = CheckOutcome.MET, CheckOutcome.UNMET


#: Each distinct condition of ADVANCE_CRITERIA once (LD-MONITOR and LD-SETTLE
#: share one), and each criterion's rule ID with the index of its condition.
_CONDITIONS = tuple(dict.fromkeys(cond for _, cond in ADVANCE_CRITERIA))
_CRITERIA = tuple((rid, _CONDITIONS.index(cond)) for rid, cond in ADVANCE_CRITERIA)


def _evaluate(state: _Draft, date: dt.date, t: Thresholds) -> tuple[Check, ...]:
    """Every condition of :data:`ADVANCE_CRITERIA` and the stage's gate, evaluated in order.

    A condition that two criteria share is evaluated once (they are pure).
    """
    w = _window(state["sessions"], t)
    verdicts = [cond(state, w, date, t) for cond in _CONDITIONS]
    checks = [_check(rid, verdicts[i]) for rid, i in _CRITERIA]
    gate = GATES.get(state["stage"])
    if gate is not None:
        checks.append(_check(gate[0], gate[1](state, w, date, t)))
    return tuple(checks)


# How much of a stage's sessions the state keeps, so that it stays small
# however long a plan holds. The window reaches back to the first session at
# least ``advance_span_days`` (at most 28) before the last; sessions of one
# stage are less than ``gap_days`` (at most 7) apart, or PR-GAP starts them
# afresh. So no window reaches a session 35 days old, and keeping 56 days
# loses nothing a rule reads; 64 sessions is two a day for a month.
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


def _summarise(state: _Draft, event: SessionLogged, t: Thresholds) -> SessionSummary:
    """What PR-ADVANCE remembers of a session that was not a spike."""
    stage = state["stage"]
    done = {x.exercise: x for x in event.exercises}
    # PR-GATE-3 asks for the strength exercises the plan prescribes. One that
    # LD-CAUTION took out (the back extension after a pinch on the backward
    # lean) cannot be logged at its target, so it is not asked for; before,
    # such a plan could never leave stage 3. lowback's reading [H]: an
    # exercise LD-DELOAD dropped still counts, since it was dropped for not
    # coping.
    excluded = state["excluded"]
    goals = [g for g in _STRENGTH_GOALS[stage] if g[0] not in excluded]
    on_target = bool(goals)
    for e, sets, reps in goals:
        x = done.get(e)
        if x is None or x.sets < sets or x.reps < reps:
            on_target = False
            break
    during = event.pain_during_max
    return SessionSummary(
        date=event.date,
        pain_during_max=during,
        green=(
            event.completed and during <= t.green_zone_pain and state["morning_settled"]
        ),
        mobility=not _MOBILITY_IN[stage].isdisjoint(done),
        habits=not _HABITS.isdisjoint(done),
        on_target=on_target,
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
