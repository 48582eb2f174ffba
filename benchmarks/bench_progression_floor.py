"""Benchmark: how fast could an engine step this journal? A lower bound.

Run: ``.venv/bin/python benchmarks/bench_progression_floor.py``

``bench_progression.py`` times ``step`` against a ``transitions`` machine;
its budget is ``step`` at most 0.25x the ``transitions`` time per event.
This script estimates how close any engine with lowback's values (a new
frozen ``PlanState`` and an explained ``Decision`` per event) could come,
by timing much less work than an engine must do on the same journal:

- The two commonest kinds of event, about three in four of the journal,
  are stepped by hand-inlined code: a session that holds with no dose
  change, and a morning check-in that holds. These functions have no rule
  tables, no per-rule functions and no checks of which path applies (the
  script picks the events for them). Before timing, every state and
  decision they return is checked equal to ``step``'s.
- Every other event (regressions, dose increases, clearances, pauses) is
  charged only for copying the state and building its decision, as if its
  rules were free.

Four timings, alternated run after run, each with its median ratio to the
``transitions`` machine: that lower bound; the inlined code for the common
events with ``step`` for the others; ``step`` alone; ``transitions``. The
lower bound is not a proof (a cleverer engine might do less), but it
leaves the rules of a quarter of the journal unpaid. It is not a design
either: it is what is left with the rule tables inlined away, which house
style rules out.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench_progression import REPEATS, journal, transitions_machine

from lowback import Action, Answer, CheckIn, SessionLogged, Stage, start_plan, step
from lowback.catalog.rules import RULESET_VERSION, Thresholds
from lowback.engine._handlers import _FLAG_ANSWERS, _NERVE_ANSWERS, _NOT_ASKED
from lowback.engine.gates import (
    _HABITS,
    _KEEP_DAYS,
    _KEEP_SESSIONS,
    _MOBILITY_IN,
    _STRENGTH_GOALS,
)
from lowback.engine.plan import Decision, PlanState, SessionSummary
from lowback.engine.progression import _FIRED
from lowback.engine.progression import _fired as _make_fired
from progression_helpers import triage_result

T = Thresholds()
_new = object.__new__
_setattr = object.__setattr__
S1, S2, S3, S4 = (
    Stage.CALM_AND_UNLOAD,
    Stage.RESTORE_MOBILITY,
    Stage.STRENGTHEN_AND_COORDINATE,
    Stage.INTEGRATE,
)
_HOLD = Action.HOLD
_NO_INCREASE = ("progression.hold_no_increase",)
_Step = Callable[[PlanState, Any], tuple[PlanState, Decision]]


def _decision(  # noqa: PLR0917 - a decision has this many parts
    date: dt.date,
    action: Action,
    from_stage: Stage,
    to_stage: Stage,
    fields: dict[str, Any],
    doses: Any,
    rules: Any,
    messages: tuple[str, ...],
) -> Decision:
    """A decision, its fields stored one by one (the cheapest way found)."""
    d = _new(Decision)
    f = d.__dict__
    f["date"] = date
    f["action"] = action
    f["from_stage"] = from_stage
    f["to_stage"] = to_stage
    f["status"] = fields["status"]
    f["doses"] = doses
    f["rules"] = rules
    f["ruleset_version"] = RULESET_VERSION
    f["messages"] = messages
    f["seek_care"] = fields["seek_care"]
    return d


def _next_state(state: PlanState, date: dt.date) -> tuple[PlanState, dict[str, Any]]:
    """The copied state, its week rolled (LD-CAP)."""
    before = state.__dict__
    fields = before.copy()
    new = _new(PlanState)
    _setattr(new, "__dict__", fields)
    week = (date - before["started"]).days // 7
    if week > before["week"]:
        fields["reference"] = new.planned
        fields["week"] = week
    return new, fields


def session_hold(state: PlanState, event: SessionLogged) -> tuple[PlanState, Decision]:
    """A session that holds with no dose change, every rule inlined."""
    t = T
    date = event.date
    new, fields = _next_state(state, date)
    last = fields["last_session"]
    gap = last is not None and (date - last).days >= t.gap_days
    pain = event.pain_before
    fields["pain_now"] = pain
    fields["low_pain_since"] = (
        None if pain > t.gate4_pain else fields["low_pain_since"] or date
    )
    fields["last_session"] = date
    stage = fields["stage"]
    mob = _MOBILITY_IN[stage]
    mobility = habits = False
    done = {}
    for x in event.exercises:
        e = x.exercise
        done[e] = x
        if e in mob:
            mobility = True
        if e in _HABITS:
            habits = True
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
    settled = fields["morning_settled"]
    green = event.completed and during <= t.green_zone_pain and settled
    summary = _new(SessionSummary)
    f = summary.__dict__
    f["date"] = date
    f["pain_during_max"] = during
    f["green"] = green
    f["mobility"] = mobility
    f["habits"] = habits
    f["on_target"] = on_target
    old = fields["sessions"]
    first = 0
    while first < len(old) and (date - old[first].date).days > _KEEP_DAYS:
        first += 1
    sessions = (*old[first:], summary)
    if len(sessions) > _KEEP_SESSIONS:
        sessions = sessions[-_KEEP_SESSIONS:]
    fields["sessions"] = sessions
    start = len(sessions) - t.advance_sessions
    if start > 0:
        while start > 0 and (date - sessions[start].date).days < t.advance_span_days:
            start -= 1
        w = sessions[start:]
    else:
        w = sessions
    rules = ["LD-MONITOR", "PR-HOLD"]
    if not (
        len(w) >= t.advance_sessions and (date - w[0].date).days >= t.advance_span_days
    ):
        rules.append("PR-TIME")
    # Lists, not generators: in Python 3.11 a generator costs more here.
    if not (settled and all([s.green for s in w])):  # noqa: C419
        rules += ("LD-MONITOR", "LD-SETTLE")
    if during > w[0].pain_during_max:
        rules.append("PR-ADVANCE")
    lr = fields["last_regression"]
    if lr is not None and (date - lr).days < t.regression_cooldown_days:
        rules.append("PR-ADVANCE")
    if stage is S1:
        now = fields["pain_now"]
        if now > t.gate1_pain and fields["entry_pain"] - now < t.gate1_drop:
            rules.append("PR-GATE-1")
    elif stage is S2:
        if not all([s.mobility for s in w]):  # noqa: C419
            rules.append("PR-GATE-2")
    elif stage is S3:
        held = fields["endurance_seconds"]
        if not (on_target and (held is None or held >= t.gate3_endurance_seconds)):
            rules.append("PR-GATE-3")
    elif stage is S4:
        since = fields["low_pain_since"]
        if not (
            since is not None
            and (date - since).days >= t.gate4_days
            and any([s.habits for s in w])  # noqa: C419
        ):
            rules.append("PR-GATE-4")
    if not green:
        rules.append("LD-MONITOR" if settled else "LD-SETTLE")
    if fields["tired_on"] == date:
        rules.append("LD-TIRED")
    if gap:
        rules.append("LD-GAP")
    fields["last_date"] = date
    fired = _fired(tuple(rules))
    return new, _decision(
        date, _HOLD, stage, stage, fields, new.planned, fired, _NO_INCREASE
    )


_SETTLED = ("PR-HOLD", "PR-TIME")
_SETTLED_TIRED = ("LD-TIRED", "PR-HOLD", "PR-TIME")
_RISEN = ("LD-SETTLE", "PR-HOLD")
_RISEN_TIRED = ("LD-TIRED", "LD-SETTLE", "PR-HOLD")
_HOLD_MESSAGES = ("progression.hold",)


def check_in_hold(state: PlanState, event: CheckIn) -> tuple[PlanState, Decision]:
    """A morning check-in that holds, every rule inlined."""
    t = T
    date = event.date
    new, fields = _next_state(state, date)
    morning = event.morning_pain
    pain = event.pain_now
    fields["pain_now"] = pain
    fields["low_pain_since"] = (
        None if pain > t.gate4_pain else fields["low_pain_since"] or date
    )
    fields["last_morning_pain"] = morning
    tired = event.very_tired is not Answer.NO
    if tired:
        fields["tired_on"] = date
    answers = _FLAG_ANSWERS(event.red_flags) + _NERVE_ANSWERS(event.nerve_features)
    if answers != _NOT_ASKED and (Answer.YES in answers or Answer.UNKNOWN in answers):
        raise AssertionError("not a hold")
    if morning <= fields["settled_morning_pain"]:
        fields["morning_settled"] = True
        fields["settled_morning_pain"] = morning
        rules, messages = (_SETTLED_TIRED if tired else _SETTLED), _HOLD_MESSAGES
    else:
        fields["morning_settled"] = False
        rules, messages = (_RISEN_TIRED if tired else _RISEN), _NO_INCREASE
    fields["last_date"] = date
    stage = fields["stage"]
    return new, _decision(
        date, _HOLD, stage, stage, fields, new.planned, _fired(rules), messages
    )


def any_event(
    state: PlanState, event: Any, decided: Decision
) -> tuple[PlanState, Decision]:
    """The least any step does: copy the state, date it, build its decision."""
    date = event.date
    new, fields = _next_state(state, date)
    fields["last_date"] = date
    return new, _decision(
        date,
        decided.action,
        state.stage,
        decided.to_stage,
        fields,
        decided.doses,
        decided.rules,
        decided.messages,
    )


def _fired(key: tuple[str, ...]) -> Any:
    """The engine's fired-rule tuple for *key*, looked up as ``step`` does."""
    return _FIRED.get(key) or _make_fired(key)


def _kind(event: Any, decision: Decision) -> _Step | None:
    """The inlined step for *event*, or ``None`` to charge it the least."""
    if decision.action is not Action.HOLD:
        return None
    if type(event) is SessionLogged and decision.messages == _NO_INCREASE:
        return session_hold
    if type(event) is CheckIn and not any(
        r.id in {"PR-REDFLAG", "PR-NERVE", "PR-CLEAR"} for r in decision.rules
    ):
        return check_in_hold
    return None


_Planned = list[tuple[_Step | None, PlanState, Any, Decision]]


def checked_plan(start: PlanState, events: tuple[Any, ...]) -> _Planned:
    """Each event with its inlined step (or ``None``), the state before it and
    ``step``'s decision, having checked that every inlined step gives the
    same state and decision as ``step``.

    Raises:
        AssertionError: an inlined step differs from ``step``.
    """
    plan: _Planned = []
    state = start
    for index, event in enumerate(events):
        after, decision = step(state, event)
        fn = _kind(event, decision)
        if fn is not None and fn(state, event) != (after, decision):
            msg = f"the inlined step differs from step at event {index}"
            raise AssertionError(msg)
        plan.append((fn, state, event, decision))
        state = after
    return plan


def main() -> None:
    """Check the inlined steps against step, then time them beside it."""
    events = journal()[1:]
    start, _ = start_plan(triage_result(), date=dt.date(2026, 1, 1), entry_pain=6)
    plan = checked_plan(start, events)
    inlined = sum(1 for p in plan if p[0] is not None)

    def floor() -> None:
        for fn, s, e, d in plan:
            if fn is None:
                any_event(s, e, d)
            else:
                fn(s, e)

    def mixed() -> None:
        for fn, s, e, _ in plan:
            if fn is None:
                step(s, e)
            else:
                fn(s, e)

    def fold() -> None:
        s = start
        for e in events:
            s, _ = step(s, e)

    machine = transitions_machine((None, *events))
    n = len(events)
    timed = {
        "lower bound": floor,
        "inlined + step": mixed,
        "step": fold,
        "transitions": machine,
    }
    runs: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(REPEATS):
        for name, run in timed.items():
            began = time.perf_counter()
            run()
            runs[name].append((time.perf_counter() - began) / n)
    print(f"journal: {n} events, {inlined} stepped by inlined code ({REPEATS} runs)")
    print("medians per event, and the median of the per-run ratios to transitions:")
    for name, times in runs.items():
        ratio = statistics.median(
            t / m for t, m in zip(times, runs["transitions"], strict=True)
        )
        print(f"{name:15s} {statistics.median(times) * 1e6:6.2f} us  {ratio:.2f}x")
    print("(the budget asks step <= 0.25x)")


if __name__ == "__main__":
    main()
