"""The engine's event handlers: one pure function per event type.

Each handler takes the next state, started by :func:`lowback.engine.plan._begin`
with its week already rolled by :func:`lowback.engine.progression.step`, the event
and the thresholds. It changes that state in place (nobody else holds it
yet) and returns the action, the rule IDs that fired and the message IDs.
The cautious readings they implement are listed in :mod:`lowback.engine.progression`.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from lowback.catalog.answers import Answer
from lowback.catalog.dispositions import Disposition, most_urgent
from lowback.catalog.events import (
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    ClinicianCleared,
    ClinicianOverride,
    OutcomeRecorded,
    SelfCheckRecorded,
    SessionLogged,
)
from lowback.catalog.red_flags import CES_FLAGS, RedFlag
from lowback.catalog.self_checks import EnduranceHoldResult, StopReason
from lowback.catalog.stages import PlanStatus, Stage
from lowback.catalog.thresholds import Thresholds

from ._dosing import _enter, _iso_drop, _progress_doses, _spike
from .gates import GATES, _failed, _remember, _summarise
from .plan import PauseKind, PlanState, _replan
from .progress import _on_outcome
from .transitions import Action

#: What a handler returns: the action, the rule IDs that fired, the messages.
_Outcome = tuple[Action, Sequence[str], tuple[str, ...]]


def _record_pain(
    fields: dict[str, Any], pain: int, date: dt.date, t: Thresholds
) -> None:
    """Record a reported pain now (PR-GATE-4 counts the days it stays low)."""
    fields["pain_now"] = pain
    fields["low_pain_since"] = (
        None if pain > t.gate4_pain else fields["low_pain_since"] or date
    )


def _pause(state: PlanState, kind: PauseKind, seek: Disposition | None = None) -> None:
    """Pause, escalating but never relaxing an existing pause."""
    if state.pause is PauseKind.SEEK_CARE:
        kind = PauseKind.SEEK_CARE
    if seek is not None and state.seek_care is not None:
        seek = most_urgent((seek, state.seek_care))
    fields = state.__dict__
    fields["status"] = PlanStatus.PAUSED
    fields["pause"] = kind
    if seek is not None:
        fields["seek_care"] = seek


def _flag_urgency(flags: Iterable[RedFlag]) -> Disposition:
    # Mid-plan, cauda equina flags are emergencies; every other flag needs a
    # same-day assessment (the urgency of its triage rule, spec 2).
    return most_urgent(
        Disposition.EMERGENCY if f in CES_FLAGS else Disposition.URGENT for f in flags
    )


def _nerve_reset(
    state: PlanState, rules: list[str], seek: Disposition | None = None
) -> None:
    """PR-NERVE: back to stage 1, paused, with short walks only."""
    rules.append("PR-NERVE")
    fields = state.__dict__
    fields["stage"] = Stage.CALM_AND_UNLOAD
    _replan(fields)
    _iso_drop(state, rules)
    _enter(state, Stage.CALM_AND_UNLOAD)
    _pause(state, PauseKind.SEEK_CARE if seek else PauseKind.REVIEW, seek)


_NEXT = {stage: stage.next for stage in Stage}


def _leg_symptoms_reset(state: PlanState, rules: list[str]) -> _Outcome:
    """PR-NERVE for leg symptoms in a session or a stopped self-check.

    In stage 1 the isometric hold goes first (PR-ISO), then the reset.
    """
    if state.stage is Stage.CALM_AND_UNLOAD:
        _iso_drop(state, rules)
    _nerve_reset(state, rules)
    return Action.RESET, rules, ("progression.reset_nerve",)


def _on_session(state: PlanState, event: SessionLogged, t: Thresholds) -> _Outcome:
    date = event.date
    fields = state.__dict__
    last = fields["last_session"]
    gap = last is not None and (date - last).days >= t.gap_days
    pain = event.pain_before
    _record_pain(fields, pain, date, t)
    fields["last_session"] = date
    if event.new_symptoms:
        return _leg_symptoms_reset(state, [])
    if (
        event.pain_during_max > t.max_pain_during
        or event.pain_after >= pain + t.spike_pain_rise
    ):
        rules: list[str] = []
        _spike(state, date, t, rules)
        return Action.REGRESS, rules, ("progression.regressed",)
    summary = _summarise(state, event, t)
    fields["sessions"] = _remember(fields["sessions"], summary)
    if fields["status"] is PlanStatus.PAUSED:
        return _PAUSED_SESSION
    stage = fields["stage"]
    failed = _failed(state, date, t)
    if not failed:
        nxt = _NEXT[stage]
        gate = GATES.get(stage)
        if nxt is not None and gate is not None:
            _enter(state, nxt)
            fields["dropped"] = frozenset()
            return (
                Action.ADVANCE,
                ["LD-MONITOR", "PR-REDFLAG", "PR-NERVE", "PR-ADVANCE", gate[0]],
                ("progression.advanced",),
            )
    rules = ["LD-MONITOR", "PR-HOLD", *failed]
    # PR-HOLD: stay, and raise the dose only after a green, settled session.
    blocked = False
    if not summary.green:
        rules.append("LD-MONITOR" if fields["morning_settled"] else "LD-SETTLE")
        blocked = True
    if fields["tired_on"] == date:
        rules.append("LD-TIRED")
        blocked = True
    if gap:
        rules.append("LD-GAP")
        blocked = True
    if blocked:
        return Action.HOLD, rules, ("progression.hold_no_increase",)
    _progress_doses(state, event, t, rules)
    return Action.HOLD, rules, ("progression.hold",)


_PAUSED_SESSION: _Outcome = (
    Action.HOLD,
    ("LD-MONITOR", "PR-HOLD", "PR-CLEAR"),
    ("progression.paused",),
)


# Every answer of a check-in's questions in one call, to test for a yes or
# an unknown before listing which ones.
_FLAG_ANSWERS = operator.attrgetter(*(f.name for f in attrs.fields(AskedRedFlags)))
_NERVE_ANSWERS = operator.attrgetter(
    *(f.name for f in attrs.fields(AskedNerveFeatures))
)
#: The answers of a check-in that asked nothing, the usual case.
_NOT_ASKED = (None,) * (
    len(attrs.fields(AskedRedFlags)) + len(attrs.fields(AskedNerveFeatures))
)


def _on_flagged(state: PlanState, event: CheckIn, rules: list[str]) -> _Outcome:
    """A check-in with a red flag or nerve feature answered yes or unknown."""
    flags_yes = event.red_flags.answered(Answer.YES)
    seek = _flag_urgency(flags_yes) if flags_yes else None
    if event.nerve_features.answered(Answer.YES):
        if seek is not None:
            rules.append("PR-REDFLAG")
        _nerve_reset(state, rules, seek)
        return Action.RESET, rules, ("progression.reset_nerve",)
    if seek is not None:
        rules.append("PR-REDFLAG")
        _pause(state, PauseKind.SEEK_CARE, seek)
        return Action.PAUSE, rules, ("progression.paused_red_flag",)
    rules.append(
        "PR-REDFLAG" if event.red_flags.answered(Answer.UNKNOWN) else "PR-NERVE"
    )
    _pause(state, PauseKind.REVIEW)
    return Action.PAUSE, rules, ("progression.paused_review",)


def _on_check_in(state: PlanState, event: CheckIn, t: Thresholds) -> _Outcome:
    date = event.date
    fields = state.__dict__
    previous_morning, was_settled = (
        fields["last_morning_pain"],
        fields["morning_settled"],
    )
    morning = event.morning_pain
    _record_pain(fields, event.pain_now, date, t)
    fields["last_morning_pain"] = morning
    # LD-TIRED; unknown counts as tired.
    tired = event.very_tired is not Answer.NO
    if tired:
        fields["tired_on"] = date
    answers = _FLAG_ANSWERS(event.red_flags) + _NERVE_ANSWERS(event.nerve_features)
    if answers != _NOT_ASKED and (Answer.YES in answers or Answer.UNKNOWN in answers):
        return _on_flagged(state, event, ["LD-TIRED"] if tired else [])
    if morning <= fields["settled_morning_pain"]:
        fields["morning_settled"] = True
        fields["settled_morning_pain"] = morning
        return _SETTLED_TIRED if tired else _SETTLED
    fields["morning_settled"] = False
    rules = ["LD-TIRED", "LD-SETTLE"] if tired else ["LD-SETTLE"]
    # lowback's reading of PR-SPIKE's morning clause: a morning pain above
    # the settled level is a spike when it is new or still rising. One that
    # stays at a level a regression and deload already answered holds with
    # no increase (LD-SETTLE) and blocks advancing, instead of regressing
    # again every morning: read literally, a plateau compounds deloads
    # until every exercise is dropped, which is not the pain-monitoring
    # model's "reduce load when next-day pain has risen" (Silbernagel).
    if was_settled or previous_morning is None or morning > previous_morning:
        _spike(state, date, t, rules)
        return Action.REGRESS, rules, ("progression.regressed",)
    rules.append("PR-HOLD")
    return Action.HOLD, rules, ("progression.hold_no_increase",)


_SETTLED: _Outcome = (Action.HOLD, ("PR-HOLD", "PR-TIME"), ("progression.hold",))
_SETTLED_TIRED: _Outcome = (
    Action.HOLD,
    ("LD-TIRED", "PR-HOLD", "PR-TIME"),
    ("progression.hold",),
)


_NERVE_STOPS = frozenset(
    {StopReason.STRONG_LEG_SYMPTOMS, StopReason.SHARP_SHOOTING_PAIN}
)


def _on_self_check(
    state: PlanState, event: SelfCheckRecorded, _t: Thresholds
) -> _Outcome:
    rules: list[str] = []
    stops = {r.stopped for r in event.results if r.stopped is not None}
    for r in event.results:
        if isinstance(r, EnduranceHoldResult):
            held = 0.0 if r.stopped is not None else float(r.hold_seconds or 0.0)
            state.__dict__["endurance_seconds"] = held
    if stops & _NERVE_STOPS:
        return _leg_symptoms_reset(state, rules)
    if stops:
        rules.append("PR-REDFLAG")
        _pause(state, PauseKind.REVIEW)
        return Action.PAUSE, rules, ("progression.paused_review",)
    return Action.HOLD, ["PR-HOLD", "PR-TIME"], ("progression.hold",)


def _set_stage(state: PlanState, stage: Stage) -> None:
    if stage is not state.stage:
        _enter(state, stage)
        state.__dict__["dropped"] = frozenset()


def _on_cleared(state: PlanState, event: ClinicianCleared, _t: Thresholds) -> _Outcome:
    if state.status is not PlanStatus.PAUSED:
        _set_stage(state, event.resume_stage)
        return (
            Action.OVERRIDE,
            ["PR-CLEAR", "PR-OVERRIDE"],
            ("progression.override",),
        )
    # The clinician has seen the person as they are now: their latest morning
    # pain becomes the settled baseline, so a plateau the clinician accepted
    # does not regress the plan again every morning (PR-SPIKE).
    baseline = state.last_morning_pain
    _enter(state, event.resume_stage)
    fields = state.__dict__
    if baseline is not None:
        fields["settled_morning_pain"] = baseline
    fields["morning_settled"] = True
    fields["status"] = PlanStatus.ACTIVE
    fields["pause"] = None
    fields["seek_care"] = None
    fields["dropped"] = frozenset()
    return Action.RESUME, ["PR-CLEAR"], ("progression.resumed",)


def _on_override(
    state: PlanState, event: ClinicianOverride, _t: Thresholds
) -> _Outcome:
    # An override sets the stage only; a paused plan stays paused (PR-CLEAR).
    rules = ["PR-OVERRIDE"]
    if state.status is PlanStatus.PAUSED:
        rules.append("PR-CLEAR")
    _set_stage(state, event.stage)
    return Action.OVERRIDE, rules, ("progression.override",)


#: Each event class's handler (``PlanStarted`` starts the plan instead).
_HANDLERS: Mapping[type, Callable[[PlanState, Any, Thresholds], _Outcome]] = {
    SessionLogged: _on_session,
    CheckIn: _on_check_in,
    SelfCheckRecorded: _on_self_check,
    ClinicianCleared: _on_cleared,
    ClinicianOverride: _on_override,
    OutcomeRecorded: _on_outcome,
}
