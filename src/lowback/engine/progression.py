"""The progression engine: events in, a plan's state and explained decisions out.

The plan is event-sourced. :func:`step` is a pure function from a
:class:`PlanState` and one event to the next state and a :class:`Decision`;
:func:`replay` folds a whole journal. Dates come from the events; nothing
reads a clock. Each decision names the rules that made it (spec 3, PR-* and
LD-*) and every stage move is an edge of
:data:`~lowback.engine.transitions.TRANSITIONS`.

The values live in :mod:`lowback.engine.plan` and the advance criteria and stage
gates in :mod:`lowback.engine.gates`; both are re-exported here. The handlers of
each event type and the dose steps (LD-*) are private modules beside this
one.

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
  :class:`~lowback.catalog.events.ClinicianCleared` does, PR-CLEAR); a clearance of
  a plan that is not paused acts as an override.
- Emergency or urgent triage starts no plan: the state is paused with the
  disposition to seek and no exercise at all, until a clinician clears it.
- A journal holds one plan: a second ``PlanStarted`` is invalid input.

>>> import datetime as dt
>>> from lowback.engine.triage import TriageResult
>>> state, decision = start_plan(_demo_result(), date=dt.date(2026, 11, 1), entry_pain=6)
>>> decision.action, state.stage
(<Action.START: 'start'>, <Stage.CALM_AND_UNLOAD: 'calm_and_unload'>)
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from lowback.catalog import rule_ids as ids
from lowback.catalog.answers import Answer
from lowback.catalog.dispositions import Disposition
from lowback.catalog.events import (
    Event,
    PlanStarted,
)
from lowback.catalog.exercises import ExerciseId
from lowback.catalog.intake import HISTORY_FLAGS, HistoryFlags
from lowback.catalog.rules import RULESET_VERSION, Check, FiredRule
from lowback.catalog.self_checks import SelfCheckFinding
from lowback.catalog.stages import PlanStatus, Stage
from lowback.catalog.symptoms import PainPattern
from lowback.catalog.thresholds import Thresholds
from lowback.errors import InvalidInput

from ._dosing import LEG_EXCLUDED, _enforce_cap, _enter
from ._guards import allowed
from ._handlers import _TABLES, _apply, _Table
from .load import ExerciseDose
from .plan import (
    Decision,
    PauseKind,
    PlanState,
    _Draft,
    _is_plain_date,
    paused_walks,
)
from .transitions import TRANSITIONS_BY_KEY, Action
from .triage import TriageResult, triage

__all__ = ["replay", "start_plan", "step"]


_DEFAULT = Thresholds()


@functools.lru_cache(maxsize=1024)
def _fired(ids_: tuple[str, ...]) -> tuple[FiredRule, ...]:
    """The fired rules, each once, in the order first named.

    The engine's rule lists come from a small, fixed set of code paths, so
    each tuple of values is made once and shared (a bounded memo).
    """
    return tuple(FiredRule.of(i) for i in dict.fromkeys(ids_))


def _decide(  # noqa: PLR0913, PLR0917 - a decision has this many parts
    before: PlanState,
    after: PlanState,
    draft: _Draft,
    date: dt.date,
    action: Action,
    rules: Iterable[str],
    messages: tuple[str, ...],
    checks: tuple[Check, ...],
) -> Decision:
    """The decision that moved *before* to *after*, after checking its edge.

    *after* was made from *draft*, whose planned doses it shares. The move
    must be an edge of the transition table whose guards all allow it
    (:func:`~lowback.engine._guards.allowed`).
    """
    doses, rules, messages = _while_paused(after, draft, action, rules, messages)
    fired = _fired(tuple(rules))
    edge = TRANSITIONS_BY_KEY.get((before.stage, after.stage, action))
    if edge is None or not allowed(edge, before, after, date, fired, checks):
        # A bug in the engine's rules, never the input's fault.
        msg = f"the engine chose a move its transition table forbids: {action}"
        raise AssertionError(msg)
    return Decision(
        date=date,
        action=action,
        from_stage=before.stage,
        to_stage=after.stage,
        status=after.status,
        doses=doses,
        rules=fired,
        ruleset_version=RULESET_VERSION,
        messages=messages,
        seek_care=after.seek_care,
        checks=checks,
    )


#: The words of a pause at each urgency (PR-PAUSE-WORDS).
_URGENCY_WORDS = {
    Disposition.EMERGENCY: "progression.paused_emergency",
    Disposition.URGENT: "progression.paused_urgent",
}
#: Messages that mean "keep going", never shown while paused.
_KEEP_GOING = frozenset(
    {"progression.hold", "progression.hold_no_increase", "progression.advanced"}
)


def _while_paused(
    after: PlanState,
    draft: _Draft,
    action: Action,
    rules: Iterable[str],
    messages: tuple[str, ...],
) -> tuple[tuple[ExerciseDose, ...], list[str], tuple[str, ...]]:
    """A decision's doses, rules and messages, given the plan's status after it.

    PR-PAUSE-DOSE: paused for care (emergency, urgent or no plan yet), no
    exercise at all; paused for review, short walks only. PR-PAUSE-WORDS: a
    pause or reset at emergency or urgent says what to do now, and anything
    logged while paused says the plan waits for a clinician instead of
    "keep going".
    """
    rules = list(rules)
    if after.status is not PlanStatus.PAUSED:
        # after.planned, derived once per event with the draft's.
        return draft.planned(), rules, messages
    doses = () if after.pause is PauseKind.SEEK_CARE else (paused_walks(after),)
    rules.append(ids.PR_PAUSE_DOSE)
    words = [m for m in messages if m not in _KEEP_GOING]
    if action in {Action.PAUSE, Action.RESET, Action.START}:
        urgent = _URGENCY_WORDS.get(after.seek_care)  # type: ignore[arg-type]
        if urgent is not None and urgent not in words:
            words.append(urgent)
            rules.append(ids.PR_PAUSE_WORDS)
    elif "progression.paused" not in words:
        words.append("progression.paused")
        rules.append(ids.PR_PAUSE_WORDS)
    return doses, rules, tuple(words)


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

    Raises:
        InvalidInput: *result* is not a
            :class:`~lowback.engine.triage.TriageResult` (path
            ``result``), *date* is not a plain date (``date``), or
            *entry_pain* is not an int from 0 to 10 (``$.entry_pain``).
    """
    if not isinstance(result, TriageResult):
        raise InvalidInput.at("result", "wrong_type", "expected a TriageResult")
    _check_date(date)
    # PlanState's own validator refuses an entry pain that is not an int
    # 0..10, at $.entry_pain, before anything is built from it.
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
        history=_history_of(result),
        excluded=_excluded_at_intake(result),
    )
    draft = _Draft(base)
    rules = [r.id for r in result.rules]
    if base.excluded:
        rules.append(ids.LD_CAUTION)
    # The plan follows the disposition: an emergency or urgent result starts
    # no plan, and neither does a medical review without one (SCOPE-AGE).
    # TriageResult refuses an entry stage without a plan status and a plan
    # that contradicts the disposition, so the disposition clause is a
    # second line: it cannot change a decision while that validator stands.
    if result.disposition in _NO_PLAN or result.entry_stage is None:
        draft["status"] = PlanStatus.PAUSED
        draft["pause"] = PauseKind.SEEK_CARE
        draft["seek_care"] = result.disposition
        action, msgs = Action.PAUSE, ("progression.no_plan",)
        rules.append(ids.PR_CLEAR)
    elif result.plan_status is PlanStatus.PAUSED:
        draft["status"] = PlanStatus.PAUSED
        draft["pause"] = PauseKind.REVIEW
        action, msgs = Action.PAUSE, ("progression.paused_review",)
        rules.append(ids.PR_CLEAR)
    else:
        action, msgs = Action.START, ("progression.started",)
    _enter(draft, stage)
    draft["reference"] = draft["doses"]
    state = draft.finish()
    return state, _decide(state, state, draft, date, action, rules, msgs, ())


#: Intake pain patterns that mean leg symptoms (LD-CAUTION).
_LEG_PATTERNS = frozenset({PainPattern.NERVE_INVOLVED, PainPattern.MIXED})


def _excluded_at_intake(result: TriageResult) -> frozenset[ExerciseId]:
    """LD-CAUTION at intake: the exercises the self-checks and leg symptoms rule out."""
    out: set[ExerciseId] = set()
    if SelfCheckFinding.EXTENSION_SENSITIVE in result.findings:
        out.add(ExerciseId.BACK_EXTENSION)
    if result.pain_pattern in _LEG_PATTERNS or any(
        r.is_nerve_feature for r in result.stop_reasons
    ):
        out |= LEG_EXCLUDED
    return frozenset(out)


def _history_of(result: TriageResult) -> HistoryFlags:
    """The intake's history flags as triage read them (PR-HISTORY).

    ``yes`` when triage lists the flag, ``unknown`` when its question was
    answered not sure, else ``no``.
    """
    unknown = frozenset(result.unknown_answers)
    return HistoryFlags(
        **{
            flag.value: Answer.YES
            if flag in result.red_flags
            else Answer.UNKNOWN
            if f"$.red_flags.{flag.value}" in unknown
            else Answer.NO
            for flag in HISTORY_FLAGS
        }
    )


#: Rules recorded as checks beside the decisive one, named in the decision's
#: rules when they fired (they are only ever added as fired checks).
_NOTED = frozenset({ids.PR_ACK, ids.PR_GAP})

#: Dispositions that start no plan: seek that care first (PR-REDFLAG).
_NO_PLAN = frozenset({Disposition.EMERGENCY, Disposition.URGENT})


def _noted(draft: _Draft, state: PlanState) -> list[str]:
    """The noted checks that fired, then LD-CAUTION when it removed an exercise."""
    noted = [c.id for c in draft.checks if c.id in _NOTED]
    excluded = draft["excluded"]
    # The same set object (the usual case) removed nothing.
    if excluded is not state.excluded and excluded - state.excluded:
        noted.append(ids.LD_CAUTION)
    return noted


def _check_date(date: object) -> None:
    """A plan's dates are :class:`datetime.date` values, never datetimes or text."""
    if not _is_plain_date(date):
        raise InvalidInput.at("date", "wrong_type", "expected a date (not a datetime)")


def _check_thresholds(thresholds: object) -> None:
    if not isinstance(thresholds, Thresholds):
        raise InvalidInput.at("thresholds", "wrong_type", "expected Thresholds")


def _start_from_intake(
    event: PlanStarted, thresholds: Thresholds
) -> tuple[PlanState, Decision]:
    """Triage the intake of *event* and start the plan from the result."""
    result = triage(event.intake, thresholds=thresholds)
    return start_plan(result, date=event.date, entry_pain=event.intake.pain_now)


def _table_for(event: object) -> _Table[Any] | None:
    """The rule table of the event class *event* extends (``step`` looks up its own class first)."""
    for cls, candidate in _TABLES.items():
        if isinstance(event, cls):
            return candidate
    return None


def step(
    state: PlanState | None, event: Event, *, thresholds: Thresholds = _DEFAULT
) -> tuple[PlanState, Decision]:
    """Apply one *event* to *state*: the next state and the decision, pure.

    *state* is ``None`` before the plan starts; the first event must then be
    :class:`~lowback.catalog.events.PlanStarted`, which is triaged to start the plan.

    Raises:
        InvalidInput: the event is not an event (``$``), it is dated before
            the previous event (``$.date``), a plan is started twice or an
            event comes before the plan starts (``$.type``).
    """
    if state is not None and not isinstance(state, PlanState):
        raise InvalidInput.at("state", "wrong_type", "expected a PlanState or None")
    _check_thresholds(thresholds)
    table = _TABLES.get(type(event)) or _table_for(event)
    if table is None:
        if not isinstance(event, PlanStarted):
            raise InvalidInput.at("$", "wrong_type", "expected an event")
        if state is not None:
            raise InvalidInput.at("$.type", "unexpected", "a journal holds one plan")
        return _start_from_intake(event, thresholds)
    if state is None:
        raise InvalidInput.at("$.type", "unexpected", "the plan has not started")
    date = event.date
    if date < state.last_date:
        raise InvalidInput.at("$.date", "out_of_order", "events must be in date order")
    draft = _Draft(state)
    week = (date - state.started).days // 7
    if week > state.week:
        # LD-CAP: on a new week, last week's plan becomes the reference.
        draft["reference"] = draft.planned()  # state.planned: nothing changed yet
        draft["week"] = week
    action, rules, messages = _apply(table, draft, event, thresholds)
    noted = _noted(draft, state)
    if noted:
        rules = [*rules, *noted]
    # LD-CAP after every event, against the thresholds this step is given.
    if _enforce_cap(draft, thresholds):
        rules = [*rules, ids.LD_CAP]
    draft["last_date"] = date
    new = draft.finish()
    return new, _decide(
        state, new, draft, date, action, rules, messages, tuple(draft.checks)
    )


def replay(
    events: Iterable[Event], *, thresholds: Thresholds = _DEFAULT
) -> tuple[PlanState, tuple[Decision, ...]]:
    """Fold a journal with :func:`step`: the final state and every decision.

    *events* may be any iterable of events (a tuple, a list, a generator);
    it is read once.

    Raises:
        InvalidInput: the journal is empty or does not start with
            :class:`~lowback.catalog.events.PlanStarted` (``$[0]``), or an event is invalid, out of
            date order (``$[i].date``) or a second ``PlanStarted`` (``$[i].type``).
    """
    if isinstance(events, (str, bytes, Mapping)) or not isinstance(events, Iterable):
        raise InvalidInput.at("events", "wrong_type", "expected an iterable of events")
    _check_thresholds(thresholds)
    state: PlanState | None = None
    decisions: list[Decision] = []
    for index, event in enumerate(events):
        if index == 0 and not isinstance(event, PlanStarted):
            break
        try:
            state, decision = step(state, event, thresholds=thresholds)
        except InvalidInput as err:
            raise err.under(f"$[{index}]") from None
        decisions.append(decision)
    if state is None:
        raise InvalidInput.at(
            "$[0]", "wrong_type", "a journal starts with plan_started"
        )
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
