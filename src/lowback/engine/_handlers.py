"""The progression rules as data: per event type, a table of rules in order.

Each :class:`_Rule` pairs a rule ID with its condition, written once, and
its effect. For an event the engine runs the event type's *prelude* (what
every event of that type records), then evaluates the table's rules in
order: the first whose condition holds fires and its effect decides; if
none does, the table's *otherwise* decides. Every rule evaluated becomes a
:class:`~lowback.catalog.rules.Check` (fired or unmet) with the facts its
condition compared, and the advance conditions add theirs (met or unmet).

Conditions are pure functions of the draft of the next state
(:class:`~lowback.engine.plan._Draft`), the event and the thresholds. Effects
write their changes into the draft and return the action, the IDs of the
rules that decided (``Decision.rules``, in their v1 order) and the message
IDs. The cautious readings they implement are listed in
:mod:`lowback.engine.progression`.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from lowback.catalog import rule_ids as ids
from lowback.catalog import rules as triage_ids
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
from lowback.catalog.exercises import ExerciseId
from lowback.catalog.intake import HistoryFlags
from lowback.catalog.red_flags import CES_FLAGS, RedFlag
from lowback.catalog.rules import RT_NO_PROGRESS, CheckOutcome
from lowback.catalog.self_checks import (
    EnduranceHoldResult,
    SelfCheckFinding,
    StopReason,
    interpret,
)
from lowback.catalog.stages import PlanStatus, Stage
from lowback.catalog.symptoms import NerveFeature
from lowback.catalog.thresholds import Thresholds

from ._dosing import (
    _enter,
    _exclude_for_legs,
    _iso_drop,
    _progress_doses,
    _spike,
)
from .gates import GATES, Facts, _evaluate, _remember, _summarise, check_of
from .plan import PauseKind, _Draft
from .progress import (
    _no_progress,
    _outcome_prelude,
    _recorded,
    _stalled_review,
    _worse,
    _worse_review,
)
from .transitions import Action
from .triage import RedFlagGrade, grade_red_flags

_E = TypeVar("_E")

#: What decided an event: the action, the rule IDs that decided (in order,
#: repeats allowed), the messages, and any checks beyond the table's.
_Outcome = tuple[Action, tuple[str, ...] | list[str], tuple[str, ...]]
#: A condition's answer: whether it holds, and the facts it compared.
_Verdict = tuple[bool, Facts]


@attrs.frozen
class _Rule(Generic[_E]):
    """One rule of an event type's table: its condition and its effect."""

    id: str
    #: Whether the rule applies to this event, with the facts compared.
    when: Callable[[_Draft, _E, Thresholds], _Verdict]
    #: What it does when it applies.
    then: Callable[[_Draft, _E, Thresholds], _Outcome]


@attrs.frozen
class _Table(Generic[_E]):
    """The rules of one event type, evaluated in order after the prelude."""

    #: What every event of the type records before the rules are evaluated.
    prelude: Callable[[_Draft, _E, Thresholds], None]
    rules: tuple[_Rule[_E], ...]
    #: What decides when no rule of the table applies.
    otherwise: Callable[[_Draft, _E, Thresholds], _Outcome]


_FIRED, _UNMET = CheckOutcome.FIRED, CheckOutcome.UNMET


def _apply(table: _Table[Any], state: _Draft, event: Any, t: Thresholds) -> _Outcome:
    """Run *table* on *event*: the outcome; each rule evaluated joins ``state.checks``."""
    table.prelude(state, event, t)
    checks = state.checks
    for rule in table.rules:
        applies, facts = rule.when(state, event, t)
        checks.append(check_of(rule.id, _FIRED if applies else _UNMET, facts))
        if applies:
            return rule.then(state, event, t)
    return table.otherwise(state, event, t)


# --- shared steps ----------------------------------------------------------


def _record_pain(state: _Draft, pain: int, date: dt.date, t: Thresholds) -> None:
    """Record a reported pain now (PR-GATE-4 counts the days it stays low)."""
    state["pain_now"] = pain
    state["low_pain_since"] = (
        None if pain > t.gate4_pain else state["low_pain_since"] or date
    )


def _pause(state: _Draft, kind: PauseKind, seek: Disposition | None = None) -> None:
    """Pause, escalating but never relaxing an existing pause."""
    if state["pause"] is PauseKind.SEEK_CARE:
        kind = PauseKind.SEEK_CARE
    current = state["seek_care"]
    if seek is not None and current is not None:
        seek = most_urgent((seek, current))
    state["status"] = PlanStatus.PAUSED
    state["pause"] = kind
    if seek is not None:
        state["seek_care"] = seek


def _flag_urgency(flags: tuple[RedFlag, ...]) -> Disposition:
    """The floor of care a day's red flags answered yes need (v1 PR-REDFLAG).

    Cauda equina flags are emergencies and every other flag needs a
    same-day assessment. The widened PR-REDFLAG grades the same answers with
    triage's rules (:func:`_grade`) and never goes below this floor.
    """
    return most_urgent(
        Disposition.EMERGENCY if f in CES_FLAGS else Disposition.URGENT for f in flags
    )


def _remembered(state: _Draft, date: dt.date, t: Thresholds) -> HistoryFlags:
    """PR-HISTORY: the intake's history flags that still count on *date*.

    ``significant_trauma`` counts for ``trauma_memory_days`` after the
    plan's start; the others for the plan's whole life. A clearance never
    changes them.
    """
    history: HistoryFlags = state["history"]
    if (
        history.significant_trauma is not Answer.NO
        and (date - state["started"]).days >= t.trauma_memory_days
    ):
        return attrs.evolve(history, significant_trauma=Answer.NO)
    return history


#: The grading rules a single nerve feature fires on its own, with no red
#: flag or history beside it; PR-ACK lets an acknowledged feature skip them.
_SINGLE_FEATURE_RULES = frozenset({triage_ids.NV_WEAKNESS})


def _grade(  # noqa: PLR0913, PLR0917 - the day and each of its answers
    state: _Draft,
    date: dt.date,
    t: Thresholds,
    red_flags: AskedRedFlags,
    nerve_features: AskedNerveFeatures,
    new_symptoms: tuple[NerveFeature, ...] = (),
) -> RedFlagGrade:
    """PR-REDFLAG (widened): triage's red-flag rules over the day's answers.

    Graded with the remembered history (PR-HISTORY), combinations included.
    PR-ACK: an acknowledged nerve feature does not pause again on its own
    (``NV-WEAKNESS``), but the safer reading keeps it in the combination
    rules: an acknowledged weakness beside a remembered cancer history is
    still RF-MSCC, an emergency. The clinician acknowledged the feature, not
    a new combination with a flag they may not have weighed with it.
    """
    history = _remembered(state, date, t)
    full = grade_red_flags(
        red_flags, nerve_features, history=history, new_symptoms=new_symptoms
    )
    acknowledged = state["acknowledged"]
    if not acknowledged or not full.rules:
        return full
    masked = grade_red_flags(
        red_flags,
        attrs.evolve(
            nerve_features,
            **{f.value: None for f in acknowledged if f.value in _ASKED_NERVE},
        ),
        history=history,
        new_symptoms=tuple(f for f in new_symptoms if f not in acknowledged),
    )
    only_full = {r.id for r in full.rules} - {r.id for r in masked.rules}
    return full if only_full - _SINGLE_FEATURE_RULES else masked


#: The dispositions a mid-plan grade pauses to seek (PauseKind.SEEK_CARE);
#: a ``medical_review`` grade pauses for review, as PR-REDFLAG's ``unknown``.
_SEEK = frozenset({Disposition.EMERGENCY, Disposition.URGENT})


def _care(grade: RedFlagGrade) -> Disposition | None:
    """The care a grade says to seek now: emergency or urgent, else ``None``."""
    return grade.disposition if grade.disposition in _SEEK else None


def _graded_rules(state: _Draft, grade: RedFlagGrade) -> list[str]:
    """The grade's fired rules for ``Decision.rules``.

    PR-HISTORY comes first when a remembered history flag was not ``no``.
    """
    fired = [r.id for r in grade.rules]
    history: HistoryFlags = state["history"]
    if fired and any(a is not Answer.NO for _f, a in history.items()):
        return [ids.PR_HISTORY, *fired]
    return fired


def _nerve_reset(
    state: _Draft, rules: list[str], seek: Disposition | None = None
) -> None:
    """PR-NERVE: back to stage 1, paused, with short walks only."""
    rules.append(ids.PR_NERVE)
    _exclude_for_legs(state)
    state["stage"] = Stage.CALM_AND_UNLOAD
    _iso_drop(state, rules)
    _enter(state, Stage.CALM_AND_UNLOAD)
    _pause(state, PauseKind.SEEK_CARE if seek else PauseKind.REVIEW, seek)


#: A self-check stopped for leg symptoms or sharp shooting pain, as the nerve
#: feature it is (spec 2, SC-STOP) when PR-REDFLAG grades it.
_STOP_AS_FEATURE = (NerveFeature.SHARP_SHOOTING_LEG_PAIN,)


def _leg_symptoms_reset(
    state: _Draft, event: SelfCheckRecorded, t: Thresholds
) -> _Outcome:
    """PR-NERVE for a self-check stopped for leg symptoms or sharp shooting pain.

    The stop is a nerve feature (spec 2), so PR-REDFLAG (widened) grades it
    with the remembered history, as a check-in's: beside a cancer, infection
    or trauma history it is an emergency (RF-MSCC, RF-INF-NEURO,
    RF-FX-NEURO; invariant 14). In stage 1 the isometric hold goes first
    (PR-ISO), then the reset.
    """
    grade = _grade(
        state,
        event.date,
        t,
        _NOTHING_ASKED_FLAGS,
        _NOTHING_ASKED_NERVE,
        _STOP_AS_FEATURE,
    )
    seek = _care(grade)
    rules: list[str] = []
    if seek is not None:
        state.checks.extend(grade.checks)
        rules.append(ids.PR_REDFLAG)
        rules.extend(_graded_rules(state, grade))
    if state["stage"] is Stage.CALM_AND_UNLOAD:
        _iso_drop(state, rules)
    _nerve_reset(state, rules, seek)
    return Action.RESET, rules, ("progression.reset_nerve",)


def _spiked(state: _Draft, event: SessionLogged | CheckIn, t: Thresholds) -> _Verdict:
    """PR-SPIKE's condition, for the sessions and the check-ins that can spike.

    A session spikes when pain during it passes the acceptable maximum or
    pain after it rose by the spike rise. A check-in's morning pain spikes
    when it is above the settled level and new or still rising: lowback's
    reading of the morning clause. One that stays at a level a regression
    and deload already answered holds with no increase (LD-SETTLE) and
    blocks advancing, instead of regressing again every morning: read
    literally, a plateau compounds deloads until every exercise is dropped,
    which is not the pain-monitoring model's "reduce load when next-day
    pain has risen" (Silbernagel).
    """
    if isinstance(event, SessionLogged):
        during, before, after = (
            event.pain_during_max,
            event.pain_before,
            event.pain_after,
        )
        return (during > t.max_pain_during or after >= before + t.spike_pain_rise), (
            ("pain_during_max", during),
            ("max_pain_during", t.max_pain_during),
            ("pain_before", before),
            ("pain_after", after),
            ("spike_pain_rise", t.spike_pain_rise),
        )
    morning, settled = event.morning_pain, state["settled_morning_pain"]
    previous = state.base.last_morning_pain
    rising = state.base.morning_settled or previous is None or morning > previous
    return morning > settled and rising, (
        ("morning_pain", morning),
        ("settled_morning_pain", settled),
        ("previous_morning_pain", previous),
    )


def _regress(state: _Draft, event: SessionLogged | CheckIn, t: Thresholds) -> _Outcome:
    """PR-SPIKE's effect: down a stage with every dose cut (LD-DELOAD)."""
    rules: list[str] = []
    if isinstance(event, CheckIn):
        state["morning_settled"] = False
        if event.very_tired is not Answer.NO:
            rules.append(ids.LD_TIRED)
        rules.append(ids.LD_SETTLE)
    _spike(state, event.date, t, rules)
    return Action.REGRESS, rules, ("progression.regressed",)


_SPIKE: _Rule[Any] = _Rule(ids.PR_SPIKE, _spiked, _regress)


# --- sessions --------------------------------------------------------------


def _session_prelude(state: _Draft, event: SessionLogged, t: Thresholds) -> None:
    _record_pain(state, event.pain_before, event.date, t)
    state["last_session"] = event.date


def _new_symptoms(state: _Draft, event: SessionLogged, t: Thresholds) -> _Verdict:
    reported = frozenset(event.new_symptoms)
    acknowledged = reported & state["acknowledged"]
    if acknowledged:
        _note_acknowledged(state, acknowledged)
    new = reported - acknowledged
    applies = bool(new)
    if not applies and acknowledged:
        # PR-ACK, safer reading: see _grade.
        applies = _care(_session_grade(state, event, t)) is not None
    return applies, (
        ("new_symptoms", len(new)),
        ("acknowledged_reported", len(acknowledged)),
    )


def _session_grade(state: _Draft, event: SessionLogged, t: Thresholds) -> RedFlagGrade:
    """PR-REDFLAG (widened) for a session's new symptoms, with the history."""
    return _grade(
        state,
        event.date,
        t,
        _NOTHING_ASKED_FLAGS,
        _NOTHING_ASKED_NERVE,
        tuple(event.new_symptoms),
    )


def _session_nerve(state: _Draft, event: SessionLogged, t: Thresholds) -> _Outcome:
    """PR-NERVE for a session's new symptoms, with the care they need.

    In stage 1 the isometric hold goes first (PR-ISO), then the reset; a
    grade that fired (NV-WEAKNESS, RF-MSCC with a remembered cancer
    history, ...) pauses to seek that care (PR-REDFLAG widened).
    """
    grade = _session_grade(state, event, t)
    state.checks.extend(grade.checks)
    rules: list[str] = []
    seek = _care(grade)
    if seek is not None:
        rules.append(ids.PR_REDFLAG)
    rules.extend(_graded_rules(state, grade))
    if state["stage"] is Stage.CALM_AND_UNLOAD:
        _iso_drop(state, rules)
    _nerve_reset(state, rules, seek)
    return Action.RESET, rules, ("progression.reset_nerve",)


def _note_acknowledged(state: _Draft, features: frozenset[NerveFeature]) -> None:
    """PR-ACK: a feature the clinician acknowledged, reported again, is recorded."""
    state.checks.append(
        check_of(ids.PR_ACK, _FIRED, (("acknowledged_reported", len(features)),))
    )


def _is_paused(state: _Draft, _e: object, _t: Thresholds) -> _Verdict:
    status = state["status"]
    return status is PlanStatus.PAUSED, (("status", status.value),)


def _record_session(state: _Draft, event: SessionLogged, t: Thresholds) -> bool:
    """Remember a session that was not a spike; whether it was green.

    PR-GAP: after a gap of ``gap_days`` or more without a session, the
    sessions before it leave the advance window.
    """
    last = state.base.last_session
    if last is not None and (event.date - last).days >= t.gap_days:
        state["sessions"] = ()
        state.checks.append(
            check_of(
                ids.PR_GAP,
                _FIRED,
                (
                    ("days_since_last_session", (event.date - last).days),
                    ("gap_days", t.gap_days),
                ),
            )
        )
    summary = _summarise(state, event, t)
    state["sessions"] = _remember(state["sessions"], summary)
    return summary.green


_PAUSED_SESSION: _Outcome = (
    Action.HOLD,
    (ids.LD_MONITOR, ids.PR_HOLD, ids.PR_CLEAR),
    ("progression.paused",),
)


def _paused_session(state: _Draft, event: SessionLogged, t: Thresholds) -> _Outcome:
    _record_session(state, event, t)
    return _PAUSED_SESSION


_NEXT = {stage: stage.next for stage in Stage}
_MET = CheckOutcome.MET


def _advance_or_hold(state: _Draft, event: SessionLogged, t: Thresholds) -> _Outcome:
    """PR-ADVANCE when every condition and the gate are met, else PR-HOLD."""
    green = _record_session(state, event, t)
    date = event.date
    checks = _evaluate(state, date, t)
    state.checks.extend(checks)
    failed = [c.id for c in checks if c.outcome is not _MET]
    stage = state["stage"]
    if not failed:
        nxt = _NEXT[stage]
        gate = GATES.get(stage)
        if nxt is not None and gate is not None:
            _enter(state, nxt)
            state["dropped"] = frozenset()
            return (
                Action.ADVANCE,
                (ids.LD_MONITOR, ids.PR_REDFLAG, ids.PR_NERVE, ids.PR_ADVANCE, gate[0]),
                ("progression.advanced",),
            )
    rules = [ids.LD_MONITOR, ids.PR_HOLD, *failed]
    # PR-HOLD: stay, and raise the dose only after a green, settled session.
    blocked = False
    for rule_id, (applies, facts) in _dose_blocks(state, event, green, t):
        # A block that applies is a rule that fired; one that does not is
        # no reason the plan held, so only the fired ones are listed.
        if applies:
            state.checks.append(check_of(rule_id, _FIRED, facts))
            rules.append(rule_id)
            blocked = True
    if blocked:
        return Action.HOLD, rules, ("progression.hold_no_increase",)
    _progress_doses(state, event, t, rules)
    return Action.HOLD, rules, ("progression.hold",)


def _dose_blocks(
    state: _Draft, event: SessionLogged, green: bool, t: Thresholds
) -> tuple[tuple[str, _Verdict], ...]:
    """The rules that block a dose increase after a session that held.

    Not green: LD-MONITOR (or LD-SETTLE while morning pain is unsettled);
    a very tired day: LD-TIRED; the first session after a gap: LD-GAP;
    within ``deload_hold_days`` of a spike: LD-DELOAD-HOLD.
    """
    date = event.date
    settled = state["morning_settled"]
    last = state.base.last_session
    days = None if last is None else (date - last).days
    spiked = state["last_regression"]
    since_spike = None if spiked is None else (date - spiked).days
    return (
        (
            ids.LD_MONITOR if settled else ids.LD_SETTLE,
            (
                not green,
                (
                    ("pain_during_max", event.pain_during_max),
                    ("green_zone_pain", t.green_zone_pain),
                    ("completed", event.completed),
                    ("morning_settled", settled),
                ),
            ),
        ),
        (
            ids.LD_TIRED,
            (
                state["tired_on"] == date,
                (("very_tired_today", state["tired_on"] == date),),
            ),
        ),
        (
            ids.LD_GAP,
            (
                days is not None and days >= t.gap_days,
                (("days_since_last_session", days), ("gap_days", t.gap_days)),
            ),
        ),
        (
            ids.LD_DELOAD_HOLD,
            (
                since_spike is not None and since_spike < t.deload_hold_days,
                (
                    ("days_since_regression", since_spike),
                    ("deload_hold_days", t.deload_hold_days),
                ),
            ),
        ),
    )


_SESSION: _Table[SessionLogged] = _Table(
    _session_prelude,
    (
        _Rule(ids.PR_NERVE, _new_symptoms, _session_nerve),
        _SPIKE,
        _Rule(ids.PR_CLEAR, _is_paused, _paused_session),
    ),
    _advance_or_hold,
)


# --- check-ins -------------------------------------------------------------

# Every answer of a check-in's questions in one call, to test for a yes or
# an unknown before listing which ones.
_FLAG_ANSWERS = operator.attrgetter(*(f.name for f in attrs.fields(AskedRedFlags)))
_NERVE_ANSWERS = operator.attrgetter(
    *(f.name for f in attrs.fields(AskedNerveFeatures))
)
#: The answers of a check-in that asked nothing, the usual case.
_NOTHING_ASKED_FLAGS = AskedRedFlags()
_NOTHING_ASKED_NERVE = AskedNerveFeatures()
_ASKED_NERVE = frozenset(f.name for f in attrs.fields(AskedNerveFeatures))
_NOT_ASKED = (None,) * (
    len(attrs.fields(AskedRedFlags)) + len(attrs.fields(AskedNerveFeatures))
)


def _tired(event: CheckIn) -> bool:
    """LD-TIRED: ``unknown`` counts as tired."""
    return event.very_tired is not Answer.NO


def _check_in_prelude(state: _Draft, event: CheckIn, t: Thresholds) -> None:
    _record_pain(state, event.pain_now, event.date, t)
    state["last_morning_pain"] = event.morning_pain
    if _tired(event):
        state["tired_on"] = event.date


def _unacknowledged(state: _Draft, event: CheckIn) -> tuple[NerveFeature, ...]:
    """The nerve features answered yes that no clearance acknowledged (PR-ACK)."""
    acknowledged = state["acknowledged"]
    return tuple(
        f for f in event.nerve_features.answered(Answer.YES) if f not in acknowledged
    )


def _flagged(state: _Draft, event: CheckIn, t: Thresholds) -> _Verdict:
    """A red flag or an unacknowledged nerve feature answered yes, or any unknown.

    Or an acknowledged nerve feature that a remembered history flag turns
    into a red-flag combination (PR-ACK, safer reading; see :func:`_grade`).
    """
    answers = _FLAG_ANSWERS(event.red_flags) + _NERVE_ANSWERS(event.nerve_features)
    if answers == _NOT_ASKED:
        return False, (("answered_yes", 0), ("answered_unknown", 0))
    unknown = answers.count(Answer.UNKNOWN)
    nerve_yes = event.nerve_features.answered(Answer.YES)
    new_nerve = _unacknowledged(state, event)
    if len(new_nerve) < len(nerve_yes):
        _note_acknowledged(state, frozenset(nerve_yes) - frozenset(new_nerve))
    yes = len(event.red_flags.answered(Answer.YES)) + len(new_nerve)
    flagged = bool(yes or unknown)
    if not flagged and len(new_nerve) < len(nerve_yes):
        grade = _grade(state, event.date, t, event.red_flags, event.nerve_features)
        flagged = _care(grade) is not None
    return flagged, (("answered_yes", yes), ("answered_unknown", unknown))


def _on_flagged(state: _Draft, event: CheckIn, t: Thresholds) -> _Outcome:
    rules = [ids.LD_TIRED] if _tired(event) else []
    flags_yes = event.red_flags.answered(Answer.YES)
    grade = _grade(state, event.date, t, event.red_flags, event.nerve_features)
    state.checks.extend(grade.checks)
    # PR-REDFLAG (widened): the most urgent care triage's rules give, never
    # below the care of the flags answered yes one by one.
    levels = [d for d in (_care(grade),) if d is not None]
    if flags_yes:
        levels.append(_flag_urgency(flags_yes))
    seek = most_urgent(levels) if levels else None
    if seek is not None:
        rules.append(ids.PR_REDFLAG)
    rules.extend(_graded_rules(state, grade))
    if _unacknowledged(state, event):
        _nerve_reset(state, rules, seek)
        return Action.RESET, rules, ("progression.reset_nerve",)
    if seek is not None:
        _pause(state, PauseKind.SEEK_CARE, seek)
        return Action.PAUSE, rules, ("progression.paused_red_flag",)
    rules.append(
        ids.PR_REDFLAG if event.red_flags.answered(Answer.UNKNOWN) else ids.PR_NERVE
    )
    _pause(state, PauseKind.REVIEW)
    return Action.PAUSE, rules, ("progression.paused_review",)


def _above_settled(state: _Draft, event: CheckIn, _t: Thresholds) -> _Verdict:
    morning, settled = event.morning_pain, state["settled_morning_pain"]
    return morning > settled, (
        ("morning_pain", morning),
        ("settled_morning_pain", settled),
    )


def _plateau(state: _Draft, event: CheckIn, _t: Thresholds) -> _Outcome:
    """LD-SETTLE: morning pain still above the settled level, not rising."""
    state["morning_settled"] = False
    rules = [ids.LD_TIRED, ids.LD_SETTLE] if _tired(event) else [ids.LD_SETTLE]
    rules.append(ids.PR_HOLD)
    return Action.HOLD, rules, ("progression.hold_no_increase",)


_SETTLED: _Outcome = (Action.HOLD, (ids.PR_HOLD, ids.PR_TIME), ("progression.hold",))
_SETTLED_TIRED: _Outcome = (
    Action.HOLD,
    (ids.LD_TIRED, ids.PR_HOLD, ids.PR_TIME),
    ("progression.hold",),
)


def _settled(state: _Draft, event: CheckIn, _t: Thresholds) -> _Outcome:
    state["morning_settled"] = True
    state["settled_morning_pain"] = event.morning_pain
    return _SETTLED_TIRED if _tired(event) else _SETTLED


_CHECK_IN: _Table[CheckIn] = _Table(
    _check_in_prelude,
    (
        _Rule(ids.PR_REDFLAG, _flagged, _on_flagged),
        _SPIKE,
        _Rule(ids.LD_SETTLE, _above_settled, _plateau),
    ),
    _settled,
)


# --- self-checks -----------------------------------------------------------

_NERVE_STOPS = frozenset(
    {StopReason.STRONG_LEG_SYMPTOMS, StopReason.SHARP_SHOOTING_PAIN}
)


_EXTENSION = frozenset({ExerciseId.BACK_EXTENSION})


def _self_check_prelude(state: _Draft, event: SelfCheckRecorded, t: Thresholds) -> None:
    for r in event.results:
        if isinstance(r, EnduranceHoldResult):
            held = 0.0 if r.stopped is not None else float(r.hold_seconds or 0.0)
            state["endurance_seconds"] = held
    # LD-CAUTION: a pinch on the backward lean removes the back extension
    # until a clinician clears it.
    if SelfCheckFinding.EXTENSION_SENSITIVE in interpret(event.results, t).findings:
        state["excluded"] = state["excluded"] | _EXTENSION


def _stops(event: SelfCheckRecorded) -> set[StopReason]:
    return {r.stopped for r in event.results if r.stopped is not None}


def _nerve_stop(_s: _Draft, event: SelfCheckRecorded, _t: Thresholds) -> _Verdict:
    found = _stops(event) & _NERVE_STOPS
    return bool(found), (("leg_symptom_stops", len(found)),)


def _any_stop(_s: _Draft, event: SelfCheckRecorded, _t: Thresholds) -> _Verdict:
    found = _stops(event)
    return bool(found), (("stops", len(found)),)


def _stopped_review(state: _Draft, _e: object, _t: Thresholds) -> _Outcome:
    _pause(state, PauseKind.REVIEW)
    return Action.PAUSE, (ids.PR_REDFLAG,), ("progression.paused_review",)


_SELF_CHECK_HOLD: _Outcome = (
    Action.HOLD,
    (ids.PR_HOLD, ids.PR_TIME),
    ("progression.hold",),
)

_SELF_CHECK: _Table[SelfCheckRecorded] = _Table(
    _self_check_prelude,
    (
        _Rule(ids.PR_NERVE, _nerve_stop, _leg_symptoms_reset),
        _Rule(ids.PR_REDFLAG, _any_stop, _stopped_review),
    ),
    lambda _s, _e, _t: _SELF_CHECK_HOLD,
)


# --- clinicians ------------------------------------------------------------


def _nothing(_s: _Draft, _e: object, _t: Thresholds) -> None:
    return None


def _set_stage(state: _Draft, stage: Stage) -> None:
    if stage is not state["stage"]:
        _enter(state, stage)
        state["dropped"] = frozenset()


def _is_active(state: _Draft, _e: object, _t: Thresholds) -> _Verdict:
    status = state["status"]
    return status is not PlanStatus.PAUSED, (("status", status.value),)


def _clear_active(state: _Draft, event: ClinicianCleared, _t: Thresholds) -> _Outcome:
    """A clearance of a plan that is not paused acts as an override."""
    _set_stage(state, event.resume_stage)
    state["acknowledged"] = frozenset(event.acknowledged)
    state["excluded"] = state["excluded"] - _EXTENSION
    return Action.OVERRIDE, (ids.PR_CLEAR, ids.PR_OVERRIDE), ("progression.override",)


def _resume(state: _Draft, event: ClinicianCleared, _t: Thresholds) -> _Outcome:
    # The clinician has seen the person as they are now: their latest morning
    # pain becomes the settled baseline, so a plateau the clinician accepted
    # does not regress the plan again every morning (PR-SPIKE).
    baseline = state["last_morning_pain"]
    _enter(state, event.resume_stage)
    if baseline is not None:
        state["settled_morning_pain"] = baseline
    state["morning_settled"] = True
    state["status"] = PlanStatus.ACTIVE
    state["pause"] = None
    state["seek_care"] = None
    state["dropped"] = frozenset()
    state["acknowledged"] = frozenset(event.acknowledged)
    # LD-CAUTION: a clearance brings the back extension back; leg symptoms
    # keep the knee-to-chest stretches out.
    state["excluded"] = state["excluded"] - _EXTENSION
    return Action.RESUME, (ids.PR_CLEAR,), ("progression.resumed",)


_CLEARED: _Table[ClinicianCleared] = _Table(
    _nothing, (_Rule(ids.PR_OVERRIDE, _is_active, _clear_active),), _resume
)


def _override(state: _Draft, event: ClinicianOverride, _t: Thresholds) -> _Outcome:
    # An override sets the stage only; a paused plan stays paused (PR-CLEAR).
    rules = [ids.PR_OVERRIDE]
    if state["status"] is PlanStatus.PAUSED:
        rules.append(ids.PR_CLEAR)
    _set_stage(state, event.stage)
    return Action.OVERRIDE, rules, ("progression.override",)


_OVERRIDE: _Table[ClinicianOverride] = _Table(_nothing, (), _override)


# --- outcomes (lowback.engine.progress) --------------------------------------

#: PR-OUTCOME records the score; a worse one or a stalled plan recommends a
#: review; an outcome record never advances (invariant 20): always a hold.
_OUTCOME: _Table[OutcomeRecorded] = _Table(
    _outcome_prelude,
    (
        _Rule(ids.PR_OUTCOME_WORSE, _worse, _worse_review),
        _Rule(RT_NO_PROGRESS, _no_progress, _stalled_review),
    ),
    _recorded,
)


#: Each event class's rule table (``PlanStarted`` starts the plan instead).
_TABLES: Mapping[type, _Table[Any]] = {
    SessionLogged: _SESSION,
    CheckIn: _CHECK_IN,
    SelfCheckRecorded: _SELF_CHECK,
    ClinicianCleared: _CLEARED,
    ClinicianOverride: _OVERRIDE,
    OutcomeRecorded: _OUTCOME,
}
