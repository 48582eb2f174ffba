"""The engine's event handlers: one pure function per event type.

Each handler takes the state (its week already rolled by
:func:`lowback.progression.step`), the event and the thresholds, and returns
the next state, the action, the rule IDs that fired and the message IDs.
The cautious readings they implement are listed in :mod:`lowback.progression`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ._dosing import _enter, _iso_drop, _progress_doses, _spike
from .answers import Answer
from .dispositions import Disposition, most_urgent
from .events import (
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    ClinicianCleared,
    ClinicianOverride,
    EventType,
    SelfCheckRecorded,
    SessionLogged,
)
from .gates import GATES, _failed, _pain_changes, _remember, _summarise
from .plan import PauseKind, PlanState, _evolved, _replace
from .red_flags import CES_FLAGS, RedFlag
from .rules import Thresholds
from .self_checks import EnduranceHoldResult, StopReason
from .stages import PlanStatus, Stage
from .transitions import Action


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


_NEXT = {stage: stage.next for stage in Stage}


def _leg_symptoms_reset(
    state: PlanState, t: Thresholds, rules: list[str]
) -> tuple[PlanState, Action, list[str], tuple[str, ...]]:
    """PR-NERVE for leg symptoms in a session or a stopped self-check.

    In stage 1 the isometric hold goes first (PR-ISO), then the reset.
    """
    if state.stage is Stage.CALM_AND_UNLOAD:
        state = _iso_drop(state, rules)
    return (
        _nerve_reset(state, t, rules),
        Action.RESET,
        rules,
        ("progression.reset_nerve",),
    )


def _on_session(
    state: PlanState, event: SessionLogged, t: Thresholds
) -> tuple[PlanState, Action, list[str], tuple[str, ...]]:
    rules: list[str] = []
    date = event.date
    gap = (
        state.last_session is not None
        and (date - state.last_session).days >= t.gap_days
    )
    changes = _pain_changes(state, event.pain_before, date, t)
    changes["last_session"] = date
    if event.new_symptoms:
        return _leg_symptoms_reset(_replace(state, **changes), t, rules)
    spike = (
        event.pain_during_max > t.max_pain_during
        or event.pain_after >= event.pain_before + t.spike_pain_rise
    )
    if spike:
        return (
            _spike(_replace(state, **changes), date, t, rules),
            Action.REGRESS,
            rules,
            ("progression.regressed",),
        )
    summary = _summarise(state, event, spike, t)
    changes["sessions"] = _remember(state.sessions, summary)
    state = _evolved(state, changes)
    rules.append("LD-MONITOR")
    if state.status is PlanStatus.PAUSED:
        return (
            state,
            Action.HOLD,
            [*rules, "PR-HOLD", "PR-CLEAR"],
            ("progression.paused",),
        )
    failed = _failed(state, date, t)
    gate = GATES.get(state.stage)
    nxt = _NEXT[state.stage]
    if not failed and nxt is not None and gate is not None:
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


# Every answer of a check-in's questions in one call, to test for a yes or
# an unknown before listing which ones.
_FLAG_ANSWERS = operator.attrgetter(*(f.name for f in attrs.fields(AskedRedFlags)))
_NERVE_ANSWERS = operator.attrgetter(
    *(f.name for f in attrs.fields(AskedNerveFeatures))
)


def _on_flagged(
    state: PlanState, event: CheckIn, t: Thresholds, rules: list[str]
) -> tuple[PlanState, Action, list[str], tuple[str, ...]]:
    """A check-in with a red flag or nerve feature answered yes or unknown."""
    flags_yes = event.red_flags.answered(Answer.YES)
    seek = _flag_urgency(flags_yes) if flags_yes else None
    if event.nerve_features.answered(Answer.YES):
        if seek is not None:
            rules.append("PR-REDFLAG")
        state = _nerve_reset(state, t, rules, seek)
        return state, Action.RESET, rules, ("progression.reset_nerve",)
    if seek is not None:
        rules.append("PR-REDFLAG")
        state = _pause(state, PauseKind.SEEK_CARE, seek)
        return state, Action.PAUSE, rules, ("progression.paused_red_flag",)
    rules.append(
        "PR-REDFLAG" if event.red_flags.answered(Answer.UNKNOWN) else "PR-NERVE"
    )
    return (
        _pause(state, PauseKind.REVIEW),
        Action.PAUSE,
        rules,
        ("progression.paused_review",),
    )


def _on_check_in(
    state: PlanState, event: CheckIn, t: Thresholds
) -> tuple[PlanState, Action, list[str], tuple[str, ...]]:
    rules: list[str] = []
    date = event.date
    previous_morning, was_settled = state.last_morning_pain, state.morning_settled
    changes = _pain_changes(state, event.pain_now, date, t)
    changes["last_morning_pain"] = event.morning_pain
    if event.very_tired.is_not_no:
        changes["tired_on"] = date
        rules.append("LD-TIRED")
    answers = _FLAG_ANSWERS(event.red_flags) + _NERVE_ANSWERS(event.nerve_features)
    if Answer.YES in answers or Answer.UNKNOWN in answers:
        return _on_flagged(_evolved(state, changes), event, t, rules)
    if event.morning_pain > state.settled_morning_pain:
        state = _replace(state, morning_settled=False, **changes)
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
    changes["morning_settled"] = True
    changes["settled_morning_pain"] = event.morning_pain
    state = _evolved(state, changes)
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
        return _leg_symptoms_reset(state, t, rules)
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
