"""The progression engine: events in, a plan's state and explained decisions out.

The plan is event-sourced. :func:`step` is a pure function from a
:class:`PlanState` and one event to the next state and a :class:`Decision`;
:func:`replay` folds a whole journal. Dates come from the events; nothing
reads a clock. Each decision names the rules that made it (spec 3, PR-* and
LD-*) and every stage move is an edge of
:data:`~lowback.transitions.TRANSITIONS`.

Where the spec is silent lowback takes the cautious reading:

- ``unknown`` on ``very_tired`` counts as tired (LD-TIRED).
- Any nerve feature answered yes at a check-in, or reported as a new
  symptom in a session, resets and pauses the plan, even one the person had
  before a clinician cleared them (PR-NERVE).
- A self-check stopped for leg symptoms or sharp shooting pain counts as a
  new nerve feature; one stopped for dizziness or feeling unwell pauses the
  plan like an ``unknown`` red flag (mirrors SC-STOP at intake).
- A spike regresses the stage whether or not the plan is paused; a paused
  plan stays paused.
- In stage 1, a spike or new leg symptom while the isometric hold is in the
  plan drops the hold and the other stage-1 exercises, leaving unloading
  positions and short walks (PR-ISO), until the stage changes or a
  clinician clears or overrides.
- A morning pain above the settled level is a spike (PR-SPIKE) when it is
  new or still rising; one that stays at a level already answered by a
  regression holds with no increase (LD-SETTLE) rather than regressing again
  every morning and compounding deloads. A clinician's clearance makes the
  latest morning pain the settled baseline.
- A clinician override sets the stage but never unpauses (only
  :class:`~lowback.events.ClinicianCleared` does, PR-CLEAR); a clearance of
  a plan that is not paused acts as an override.
- Emergency or urgent triage starts no plan: the state is paused with the
  disposition to seek and no exercise at all, until a clinician clears it.
- A journal holds one plan: a second ``PlanStarted`` is invalid input.

>>> import datetime as dt
>>> from lowback.triage import TriageResult
>>> state, decision = start_plan(_demo_result(), date=dt.date(2026, 11, 1), entry_pain=6)
>>> decision.action, state.stage
(<Action.START: 'start'>, <Stage.CALM_AND_UNLOAD: 'calm_and_unload'>)
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from .answers import Answer
from .dispositions import Disposition, most_urgent
from .errors import InvalidInput
from .events import (
    EVENT_TYPES,
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    ClinicianCleared,
    ClinicianOverride,
    Event,
    EventType,
    ExerciseDone,
    Journal,
    PlanStarted,
    SelfCheckRecorded,
    SessionLogged,
)
from .exercises import EXERCISES, STAGE_PLANS, Dose, ExerciseId, ExerciseKind
from .load import ExerciseDose, deload, step_up, within_cap
from .red_flags import CES_FLAGS, RedFlag
from .rules import RULESET_VERSION, FiredRule, Thresholds
from .self_checks import EnduranceHoldResult, HoldDirection, StopReason
from .stages import PlanStatus, Stage
from .symptoms import PainPattern
from .transitions import TRANSITIONS, TRANSITIONS_BY_KEY, Action, Transition
from .triage import TriageResult, triage

__all__ = [
    "TRANSITIONS",
    "Action",
    "AskedNerveFeatures",
    "AskedRedFlags",
    "CheckIn",
    "ClinicianCleared",
    "ClinicianOverride",
    "Decision",
    "Event",
    "EventType",
    "ExerciseDone",
    "Journal",
    "PauseKind",
    "PlanStarted",
    "PlanState",
    "SelfCheckRecorded",
    "SessionLogged",
    "SessionSummary",
    "Transition",
    "replay",
    "start_plan",
    "step",
]


class PauseKind(enum.StrEnum):
    """Why a plan is paused, which decides what it still offers."""

    #: A red flag answered yes, or triage gave emergency/urgent: no exercise at all.
    SEEK_CARE = "seek_care"
    #: Waiting for review: unloading positions and short walks only.
    REVIEW = "review"


@attrs.frozen(kw_only=True)
class SessionSummary:
    """What the advance rules remember of one session in the current stage."""

    date: dt.date
    pain_during_max: int
    #: No spike, pain in the green zone, completed, morning pain settled.
    green: bool
    #: A mobility or stretch exercise of the stage was done (PR-GATE-2).
    mobility: bool
    #: A daily habit of stage 4 was logged (PR-GATE-4).
    habits: bool
    #: Every strength exercise was done at its target dose (PR-GATE-3).
    on_target: bool


# Not slotted: the engine copies states on every event, and copying a
# ``__dict__`` is several times faster than re-running ``__init__``.
@attrs.frozen(kw_only=True, slots=False)
class PlanState:
    """Everything the rules must remember about a plan, and nothing more."""

    stage: Stage
    status: PlanStatus
    #: Why the plan is paused; ``None`` while active.
    pause: PauseKind | None = None
    #: The disposition to seek while paused for a red flag.
    seek_care: Disposition | None = None
    #: The plan's first day; weeks for LD-CAP count from it.
    started: dt.date
    #: The date of the last event, to keep the journal in order.
    last_date: dt.date
    #: Pain now at intake (PR-GATE-1).
    entry_pain: int
    #: The latest pain now reported.
    pain_now: int
    #: The last settled morning pain (PR-SPIKE, LD-SETTLE).
    settled_morning_pain: int
    #: Whether the latest morning pain had settled.
    morning_settled: bool = True
    #: The latest morning pain reported, settled or not.
    last_morning_pain: int | None = None
    #: Since when pain now has stayed at or below the stage-4 gate (PR-GATE-4).
    low_pain_since: dt.date | None = None
    #: The recent sessions of the current stage, oldest first (PR-ADVANCE).
    sessions: tuple[SessionSummary, ...] = ()
    last_regression: dt.date | None = None
    last_session: dt.date | None = None
    #: The last day the person said they were very tired (LD-TIRED).
    tired_on: dt.date | None = None
    #: The current dose of every exercise dosed so far.
    doses: tuple[ExerciseDose, ...] = ()
    #: Exercises left out after a deload could not cut them (LD-ISO, PR-ISO).
    dropped: frozenset[ExerciseId] = frozenset()
    #: The week of the plan (0 = the first 7 days).
    week: int = 0
    #: Last week's doses, the base of the weekly cap (LD-CAP).
    reference: tuple[ExerciseDose, ...] = ()
    #: The latest endurance-hold re-check in seconds (PR-GATE-3).
    endurance_seconds: float | None = None
    #: The easier direction for the isometric hold, from triage.
    hold_direction: HoldDirection | None = None

    @property
    def dose_map(self) -> dict[ExerciseId, Dose]:
        """The current doses by exercise."""
        return {d.exercise: d.dose for d in self.doses}

    @functools.cached_property
    def planned(self) -> tuple[ExerciseDose, ...]:
        """The current stage's exercises and doses, without dropped ones."""
        known = {d.exercise: d for d in self.doses}
        dropped = self.dropped
        return tuple(
            known.get(e) or _FIRST_DOSES[e]
            for e in _PLAN_EXERCISES[self.stage]
            if e not in dropped
        )

    @property
    def iso_dropped(self) -> bool:
        """Whether the pain-calming hold has been dropped (PR-ISO)."""
        return ExerciseId.ISOMETRIC_HOLD in self.dropped


@attrs.frozen(kw_only=True)
class Decision:
    """What one event did to the plan, and why."""

    date: dt.date
    action: Action
    from_stage: Stage
    to_stage: Stage
    #: The plan's status after the event.
    status: PlanStatus
    #: The doses planned from now on for the stage's exercises.
    doses: tuple[ExerciseDose, ...]
    rules: tuple[FiredRule, ...]
    ruleset_version: str = RULESET_VERSION
    #: Message IDs to show (see :mod:`lowback.messages`).
    messages: tuple[str, ...] = ()
    #: Where to seek care when a red flag paused the plan.
    seek_care: Disposition | None = None


def _replace(state: PlanState, **changes: Any) -> PlanState:
    """``attrs.evolve`` for PlanState on the hot path: copy the fields, then change some.

    The engine only passes field names and values it computed itself, so the
    validation ``__init__`` would repeat is skipped.
    """
    new = object.__new__(PlanState)
    fields = new.__dict__
    fields.update(state.__dict__)
    fields.update(changes)
    fields.pop("planned", None)  # the cached property of the old state
    return new


_DEFAULT = Thresholds()
_CATALOG_ORDER = tuple(ExerciseId)
_PLAN_EXERCISES = {stage: plan.exercises for stage, plan in STAGE_PLANS.items()}
_FIRST_DOSES = {e: ExerciseDose(exercise=e, dose=x.start) for e, x in EXERCISES.items()}


_FIRED: dict[str, FiredRule] = {}


def _fired(ids: Iterable[str]) -> tuple[FiredRule, ...]:
    out = []
    for i in dict.fromkeys(ids):
        rule = _FIRED.get(i)
        if rule is None:
            rule = _FIRED[i] = FiredRule.of(i)
        out.append(rule)
    return tuple(out)


def _decide(  # noqa: PLR0913, PLR0917 - a decision has this many parts
    before: PlanState,
    after: PlanState,
    date: dt.date,
    action: Action,
    rules: Iterable[str],
    messages: tuple[str, ...] = (),
) -> Decision:
    # The engine reads the table: a move that is not an edge is a bug.
    TRANSITIONS_BY_KEY[(before.stage, after.stage, action)]
    return Decision(
        date=date,
        action=action,
        from_stage=before.stage,
        to_stage=after.stage,
        status=after.status,
        doses=after.planned,
        rules=_fired(rules),
        messages=messages,
        seek_care=after.seek_care,
    )


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


def start_plan(
    result: TriageResult,
    *,
    date: dt.date,
    entry_pain: int,
) -> tuple[PlanState, Decision]:
    """Start a plan from a triage result.

    Emergency or urgent results start no plan: the state is paused with the
    disposition to seek and offers no exercise. A ``medical_review`` result
    starts paused at stage 1 with unloading positions and short walks only.

    Args:
        result: The triage of the person's intake.
        date: The plan's first day.
        entry_pain: Pain now at intake, 0-10 (PR-GATE-1 compares with it).
    """
    if isinstance(entry_pain, bool) or not isinstance(entry_pain, int):
        raise InvalidInput.at("$.entry_pain", "wrong_type", "expected int")
    if not 0 <= entry_pain <= 10:
        raise InvalidInput.at("$.entry_pain", "out_of_range", "must be 0..10")
    stage = result.entry_stage or Stage.CALM_AND_UNLOAD
    base = PlanState(
        stage=stage,
        status=PlanStatus.ACTIVE,
        started=date,
        last_date=date,
        entry_pain=entry_pain,
        pain_now=entry_pain,
        settled_morning_pain=entry_pain,
        hold_direction=result.hold_direction,
    )
    rules = [r.id for r in result.rules]
    if result.entry_stage is None or result.plan_status is None:
        state = _replace(
            base,
            status=PlanStatus.PAUSED,
            pause=PauseKind.SEEK_CARE,
            seek_care=result.disposition,
        )
        action, msgs = Action.PAUSE, ("progression.no_plan",)
        rules.append("PR-CLEAR")
    elif result.plan_status is PlanStatus.PAUSED:
        state = _replace(base, status=PlanStatus.PAUSED, pause=PauseKind.REVIEW)
        action, msgs = Action.PAUSE, ("progression.paused_review",)
        rules.append("PR-CLEAR")
    else:
        state, action, msgs = base, Action.START, ("progression.started",)
    state = _enter(state, state.stage, reference=(), week=0)
    state = _replace(state, reference=state.doses)
    return state, _decide(state, state, date, action, rules, msgs)


def _start_from_intake(
    event: PlanStarted, thresholds: Thresholds
) -> tuple[PlanState, Decision]:
    """Triage the intake of *event* and start the plan from the result."""
    result = triage(event.intake, thresholds=thresholds)
    return start_plan(result, date=event.date, entry_pain=event.intake.pain_now)


def _pause(
    state: PlanState, kind: PauseKind, seek: Disposition | None = None
) -> PlanState:
    """Pause, escalating but never relaxing an existing pause."""
    if state.pause is PauseKind.SEEK_CARE:
        kind = PauseKind.SEEK_CARE
    if seek is not None and state.seek_care is not None:
        seek = most_urgent((seek, state.seek_care))
    return _replace(
        state,
        status=PlanStatus.PAUSED,
        pause=kind,
        seek_care=seek if seek is not None else state.seek_care,
    )


def _flag_urgency(flags: Iterable[RedFlag]) -> Disposition:
    # Mid-plan, cauda equina flags are emergencies; every other flag needs a
    # same-day assessment (the urgency of its triage rule, spec 2).
    return most_urgent(
        Disposition.EMERGENCY if f in CES_FLAGS else Disposition.URGENT for f in flags
    )


_STAGE1_KEEP = frozenset({ExerciseId.SHORT_WALKS})


def _iso_drop(state: PlanState, rules: list[str]) -> PlanState:
    """PR-ISO: in stage 1, drop the hold and keep unloading and short walks."""
    if state.stage is not Stage.CALM_AND_UNLOAD or state.iso_dropped:
        return state
    rules.append("PR-ISO")
    gone = frozenset(STAGE_PLANS[Stage.CALM_AND_UNLOAD].exercises) - _STAGE1_KEEP
    return _replace(state, dropped=state.dropped | gone)


def _nerve_reset(
    state: PlanState,
    _t: Thresholds,
    rules: list[str],
    seek: Disposition | None = None,
) -> PlanState:
    """PR-NERVE: back to stage 1, paused, with short walks only."""
    rules.append("PR-NERVE")
    in_stage1 = _replace(state, stage=Stage.CALM_AND_UNLOAD)
    in_stage1 = _iso_drop(in_stage1, rules)
    moved = _enter(in_stage1, Stage.CALM_AND_UNLOAD)
    return _pause(moved, PauseKind.SEEK_CARE if seek else PauseKind.REVIEW, seek)


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
    """Record the event's date; on a new week, last week's plan becomes the reference."""
    week = (date - state.started).days // 7
    if week <= state.week:
        return _replace(state, last_date=date)
    return _replace(state, last_date=date, week=week, reference=state.planned)


def _track_pain(state: PlanState, pain: int, date: dt.date, t: Thresholds) -> PlanState:
    since = None if pain > t.gate4_pain else state.low_pain_since or date
    return _replace(state, pain_now=pain, low_pain_since=since)


# --- the advance rules, as data ---------------------------------------------

_Check = Callable[[PlanState, dt.date, Thresholds], bool]


def _window(state: PlanState, t: Thresholds) -> tuple[SessionSummary, ...]:
    """The sessions PR-ADVANCE reads: at least the last N, reaching back M days.

    "The last 3 sessions spanning >= 5 days" read literally would never let
    someone who exercises daily advance; the window therefore grows back
    until it spans the days, and every session in it must qualify.
    """
    ss = state.sessions
    if not ss:
        return ()
    last = ss[-1].date
    start = max(0, len(ss) - t.advance_sessions)
    while start > 0 and (last - ss[start].date).days < t.advance_span_days:
        start -= 1
    return ss[start:]


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

_KEEP_DAYS = 2 * 28
_KEEP_SESSIONS = 64
_MOBILITY_KINDS = frozenset({ExerciseKind.MOBILITY, ExerciseKind.STRETCH})
_HABITS = frozenset({ExerciseId.DESK_BREAKS, ExerciseId.HIP_HINGE_LIFTING})


def _summarise(
    state: PlanState, event: SessionLogged, spike: bool, t: Thresholds
) -> SessionSummary:
    done = {x.exercise: x for x in event.exercises}
    plan = STAGE_PLANS[state.stage].exercises
    strength = [e for e in plan if EXERCISES[e].kind is ExerciseKind.STRENGTH]
    on_target = bool(strength) and all(
        e in done
        and done[e].sets >= EXERCISES[e].goal.sets
        and done[e].reps >= (EXERCISES[e].goal.reps or 0)
        for e in strength
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
        mobility=any(e in plan and EXERCISES[e].kind in _MOBILITY_KINDS for e in done),
        habits=any(e in _HABITS for e in done),
        on_target=on_target,
    )


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


def _on_session(
    state: PlanState, event: SessionLogged, t: Thresholds
) -> tuple[PlanState, Action, list[str], tuple[str, ...]]:
    rules: list[str] = []
    date = event.date
    gap = (
        state.last_session is not None
        and (date - state.last_session).days >= t.gap_days
    )
    state = _replace(state, last_session=date)
    state = _track_pain(state, event.pain_before, date, t)
    if event.new_symptoms:
        if state.stage is Stage.CALM_AND_UNLOAD:
            state = _iso_drop(state, rules)
        return (
            _nerve_reset(state, t, rules),
            Action.RESET,
            rules,
            ("progression.reset_nerve",),
        )
    spike = (
        event.pain_during_max > t.max_pain_during
        or event.pain_after >= event.pain_before + t.spike_pain_rise
    )
    if spike:
        return (
            _spike(state, date, t, rules),
            Action.REGRESS,
            rules,
            ("progression.regressed",),
        )
    summary = _summarise(state, event, spike, t)
    # Remember enough sessions for the widest window the thresholds allow.
    sessions = tuple(
        x for x in (*state.sessions, summary) if (date - x.date).days <= _KEEP_DAYS
    )[-_KEEP_SESSIONS:]
    state = _replace(state, sessions=sessions)
    rules.append("LD-MONITOR")
    if state.status is PlanStatus.PAUSED:
        return (
            state,
            Action.HOLD,
            [*rules, "PR-HOLD", "PR-CLEAR"],
            ("progression.paused",),
        )
    failed = [rid for rid, check in ADVANCE_CRITERIA if not check(state, date, t)]
    gate = GATES.get(state.stage)
    if gate is not None and not gate[1](state, date, t):
        failed.append(gate[0])
    if not failed and state.stage.next is not None and gate is not None:
        nxt = state.stage.next
        rules += ["PR-REDFLAG", "PR-NERVE", "PR-ADVANCE", gate[0]]
        return (
            _enter(state, nxt, dropped=frozenset()),
            Action.ADVANCE,
            rules,
            ("progression.advanced",),
        )
    rules += ["PR-HOLD", *failed]
    return _hold(state, event, gap=gap, green=summary.green, t=t, rules=rules)


def _hold(  # noqa: PLR0913 - each flag blocks an increase
    state: PlanState,
    event: SessionLogged,
    *,
    gap: bool,
    green: bool,
    t: Thresholds,
    rules: list[str],
) -> tuple[PlanState, Action, list[str], tuple[str, ...]]:
    """PR-HOLD: stay, and raise the dose only after a green, settled session."""
    blockers = []
    if not green:
        blockers.append("LD-MONITOR" if state.morning_settled else "LD-SETTLE")
    if state.tired_on == event.date:
        blockers.append("LD-TIRED")
    if gap:
        blockers.append("LD-GAP")
    if blockers:
        rules += blockers
        return state, Action.HOLD, rules, ("progression.hold_no_increase",)
    return (
        _progress_doses(state, event, t, rules),
        Action.HOLD,
        rules,
        ("progression.hold",),
    )


def _on_check_in(
    state: PlanState, event: CheckIn, t: Thresholds
) -> tuple[PlanState, Action, list[str], tuple[str, ...]]:
    rules: list[str] = []
    date = event.date
    state = _track_pain(state, event.pain_now, date, t)
    previous_morning, was_settled = state.last_morning_pain, state.morning_settled
    state = _replace(state, last_morning_pain=event.morning_pain)
    if event.very_tired.is_not_no:
        state = _replace(state, tired_on=date)
        rules.append("LD-TIRED")
    flags_yes = event.red_flags.answered(Answer.YES)
    nerve_yes = event.nerve_features.answered(Answer.YES)
    unknown = event.red_flags.answered(Answer.UNKNOWN) or event.nerve_features.answered(
        Answer.UNKNOWN
    )
    seek = _flag_urgency(flags_yes) if flags_yes else None
    if nerve_yes:
        if seek is not None:
            rules.append("PR-REDFLAG")
        state = _nerve_reset(state, t, rules, seek)
        return state, Action.RESET, rules, ("progression.reset_nerve",)
    if seek is not None:
        rules.append("PR-REDFLAG")
        state = _pause(state, PauseKind.SEEK_CARE, seek)
        return state, Action.PAUSE, rules, ("progression.paused_red_flag",)
    if unknown:
        rules.append(
            "PR-REDFLAG" if event.red_flags.answered(Answer.UNKNOWN) else "PR-NERVE"
        )
        return (
            _pause(state, PauseKind.REVIEW),
            Action.PAUSE,
            rules,
            ("progression.paused_review",),
        )
    if event.morning_pain > state.settled_morning_pain:
        state = _replace(state, morning_settled=False)
        rules.append("LD-SETTLE")
        # lowback's reading of PR-SPIKE's morning clause: a morning pain above
        # the settled level is a spike when it is new or still rising. One that
        # stays at a level a regression and deload already answered holds with
        # no increase (LD-SETTLE) and blocks advancing, instead of regressing
        # again every morning: read literally, a plateau compounds deloads
        # until every exercise is dropped, which is not the pain-monitoring
        # model's "reduce load when next-day pain has risen" (Silbernagel).
        rising = (
            was_settled
            or previous_morning is None
            or event.morning_pain > previous_morning
        )
        if not rising:
            return (
                state,
                Action.HOLD,
                [*rules, "PR-HOLD"],
                ("progression.hold_no_increase",),
            )
        return (
            _spike(state, date, t, rules),
            Action.REGRESS,
            rules,
            ("progression.regressed",),
        )
    state = _replace(
        state, morning_settled=True, settled_morning_pain=event.morning_pain
    )
    return state, Action.HOLD, [*rules, "PR-HOLD", "PR-TIME"], ("progression.hold",)


_NERVE_STOPS = frozenset(
    {StopReason.STRONG_LEG_SYMPTOMS, StopReason.SHARP_SHOOTING_PAIN}
)


def _on_self_check(
    state: PlanState, event: SelfCheckRecorded, t: Thresholds
) -> tuple[PlanState, Action, list[str], tuple[str, ...]]:
    rules: list[str] = []
    stops = {r.stopped for r in event.results if r.stopped is not None}
    for r in event.results:
        if isinstance(r, EnduranceHoldResult):
            held = 0.0 if r.stopped is not None else float(r.hold_seconds or 0.0)
            state = _replace(state, endurance_seconds=held)
    if stops & _NERVE_STOPS:
        if state.stage is Stage.CALM_AND_UNLOAD:
            state = _iso_drop(state, rules)
        return (
            _nerve_reset(state, t, rules),
            Action.RESET,
            rules,
            ("progression.reset_nerve",),
        )
    if stops:
        rules.append("PR-REDFLAG")
        return (
            _pause(state, PauseKind.REVIEW),
            Action.PAUSE,
            rules,
            ("progression.paused_review",),
        )
    return state, Action.HOLD, ["PR-HOLD", "PR-TIME"], ("progression.hold",)


def _set_stage(state: PlanState, stage: Stage, _t: Thresholds) -> PlanState:
    if stage is state.stage:
        return state
    return _enter(state, stage, dropped=frozenset())


def _on_cleared(
    state: PlanState, event: ClinicianCleared, t: Thresholds
) -> tuple[PlanState, Action, list[str], tuple[str, ...]]:
    if state.status is not PlanStatus.PAUSED:
        moved = _set_stage(state, event.resume_stage, t)
        return (
            moved,
            Action.OVERRIDE,
            ["PR-CLEAR", "PR-OVERRIDE"],
            ("progression.override",),
        )
    # The clinician has seen the person as they are now: their latest morning
    # pain becomes the settled baseline, so a plateau the clinician accepted
    # does not regress the plan again every morning (PR-SPIKE).
    baseline = state.last_morning_pain
    resumed = _enter(
        state,
        event.resume_stage,
        settled_morning_pain=(
            state.settled_morning_pain if baseline is None else baseline
        ),
        morning_settled=True,
        status=PlanStatus.ACTIVE,
        pause=None,
        seek_care=None,
        dropped=frozenset(),
    )
    return resumed, Action.RESUME, ["PR-CLEAR"], ("progression.resumed",)


def _on_override(
    state: PlanState, event: ClinicianOverride, t: Thresholds
) -> tuple[PlanState, Action, list[str], tuple[str, ...]]:
    # An override sets the stage only; a paused plan stays paused (PR-CLEAR).
    rules = ["PR-OVERRIDE"]
    if state.status is PlanStatus.PAUSED:
        rules.append("PR-CLEAR")
    return (
        _set_stage(state, event.stage, t),
        Action.OVERRIDE,
        rules,
        ("progression.override",),
    )


_HANDLERS: Mapping[EventType, Callable[..., Any]] = {
    EventType.SESSION_LOGGED: _on_session,
    EventType.CHECK_IN: _on_check_in,
    EventType.SELF_CHECK_RECORDED: _on_self_check,
    EventType.CLINICIAN_CLEARED: _on_cleared,
    EventType.CLINICIAN_OVERRIDE: _on_override,
}


def step(
    state: PlanState | None, event: Event, *, thresholds: Thresholds = _DEFAULT
) -> tuple[PlanState, Decision]:
    """Apply one *event* to *state*: the next state and the decision, pure.

    *state* is ``None`` before the plan starts; the first event must then be
    :class:`PlanStarted`, which is triaged to start the plan.

    Raises:
        InvalidInput: the event is not an event (``$``), it is dated before
            the previous event (``$.date``), a plan is started twice or an
            event comes before the plan starts (``$.type``).
    """
    if not isinstance(event, EVENT_TYPES):
        raise InvalidInput.at("$", "wrong_type", "expected an event")
    if isinstance(event, PlanStarted):
        if state is not None:
            raise InvalidInput.at("$.type", "unexpected", "a journal holds one plan")
        return _start_from_intake(event, thresholds)
    if state is None:
        raise InvalidInput.at("$.type", "unexpected", "the plan has not started")
    if event.date < state.last_date:
        raise InvalidInput.at("$.date", "out_of_order", "events must be in date order")
    before = state
    state = _roll_week(state, event.date)
    new, action, rules, messages = _HANDLERS[event.type](state, event, thresholds)
    if (
        new.doses is not state.doses
        or new.stage is not state.stage
        or new.dropped is not state.dropped
        or new.reference is not before.reference
    ):
        new = _enforce_cap(new, thresholds)
    return new, _decide(before, new, event.date, action, rules, messages)


def replay(
    events: Journal, *, thresholds: Thresholds = _DEFAULT
) -> tuple[PlanState, tuple[Decision, ...]]:
    """Fold a journal with :func:`step`: the final state and every decision.

    Raises:
        InvalidInput: the journal is empty or does not start with
            :class:`PlanStarted` (``$[0]``), or an event is invalid, out of
            date order (``$[i].date``) or a second ``PlanStarted`` (``$[i].type``).
    """
    if not events or not isinstance(events[0], PlanStarted):
        raise InvalidInput.at(
            "$[0]", "wrong_type", "a journal starts with plan_started"
        )
    state: PlanState | None = None
    decisions: list[Decision] = []
    for index, event in enumerate(events):
        try:
            state, decision = step(state, event, thresholds=thresholds)
        except InvalidInput as err:
            raise err.under(f"$[{index}]") from None
        decisions.append(decision)
    assert state is not None  # noqa: S101 - events[0] started the plan
    return state, tuple(decisions)


def _demo_result() -> TriageResult:
    """A self-care triage result for the doctests."""
    return TriageResult(
        disposition=Disposition.SELF_CARE,
        pain_pattern=PainPattern.MUSCLE_DOMINANT,
        red_flags=(),
        unknown_answers=(),
        findings=(),
        implicated_muscles=(),
        stop_reasons=(),
        hold_direction=None,
        entry_stage=Stage.CALM_AND_UNLOAD,
        plan_status=PlanStatus.ACTIVE,
        rules=(FiredRule.of("SELF"),),
        ruleset_version=RULESET_VERSION,
        safety_net="",
        safety_net_message="safety_net.self_care",
    )
