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
from collections.abc import Iterable

from lowback.catalog.dispositions import Disposition
from lowback.catalog.events import (
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
from lowback.catalog.rules import RULESET_VERSION, FiredRule
from lowback.catalog.stages import PlanStatus, Stage
from lowback.catalog.symptoms import PainPattern
from lowback.catalog.thresholds import Thresholds
from lowback.errors import InvalidInput

from ._dosing import _enforce_cap, _enter
from ._handlers import _HANDLERS
from .gates import ADVANCE_CRITERIA, GATES
from .plan import (
    Decision,
    PauseKind,
    PlanState,
    SessionSummary,
    _begin,
    _made,
)
from .transitions import TRANSITIONS, TRANSITIONS_BY_KEY, Action, Transition
from .triage import TriageResult, triage

__all__ = [
    "ADVANCE_CRITERIA",
    "GATES",
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


_DEFAULT = Thresholds()
_new = object.__new__
_setattr = object.__setattr__


# The rule lists the handlers build come from a small, fixed set of code
# paths, so their fired-rule tuples are made once and shared.
_FIRED: dict[tuple[str, ...], tuple[FiredRule, ...]] = {}


def _fired(ids: Iterable[str]) -> tuple[FiredRule, ...]:
    key = tuple(ids)
    fired = _FIRED.get(key)
    if fired is None:
        fired = _FIRED[key] = tuple(FiredRule.of(i) for i in dict.fromkeys(key))
    return fired


def _decide(  # noqa: PLR0913, PLR0917 - a decision has this many parts
    before: PlanState,
    after: PlanState,
    date: dt.date,
    action: Action,
    rules: Iterable[str],
    messages: tuple[str, ...] = (),
) -> Decision:
    """The decision that moved *before* to *after*, built without ``__init__``.

    Every value comes from the engine's own state and tables, so there is
    nothing for ``__init__`` to check.
    """
    from_stage, to_stage = before.stage, after.stage
    # The engine reads the table: a move that is not an edge is a bug.
    TRANSITIONS_BY_KEY[(from_stage, to_stage, action)]
    return _made(
        Decision,
        {
            "date": date,
            "action": action,
            "from_stage": from_stage,
            "to_stage": to_stage,
            "status": after.status,
            "doses": after.planned,
            "rules": _fired(rules),
            "ruleset_version": RULESET_VERSION,
            "messages": messages,
            "seek_care": after.seek_care,
        },
    )


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
    state, fields = _begin(base)
    rules = [r.id for r in result.rules]
    if result.entry_stage is None or result.plan_status is None:
        fields["status"] = PlanStatus.PAUSED
        fields["pause"] = PauseKind.SEEK_CARE
        fields["seek_care"] = result.disposition
        action, msgs = Action.PAUSE, ("progression.no_plan",)
        rules.append("PR-CLEAR")
    elif result.plan_status is PlanStatus.PAUSED:
        fields["status"] = PlanStatus.PAUSED
        fields["pause"] = PauseKind.REVIEW
        action, msgs = Action.PAUSE, ("progression.paused_review",)
        rules.append("PR-CLEAR")
    else:
        action, msgs = Action.START, ("progression.started",)
    _enter(state, stage)
    fields["reference"] = state.doses
    return state, _decide(state, state, date, action, rules, msgs)


def _start_from_intake(
    event: PlanStarted, thresholds: Thresholds
) -> tuple[PlanState, Decision]:
    """Triage the intake of *event* and start the plan from the result."""
    result = triage(event.intake, thresholds=thresholds)
    return start_plan(result, date=event.date, entry_pain=event.intake.pain_now)


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
    handler = _HANDLERS.get(type(event))
    if handler is None:
        if not isinstance(event, EVENT_TYPES):
            raise InvalidInput.at("$", "wrong_type", "expected an event")
        if isinstance(event, PlanStarted):
            if state is not None:
                raise InvalidInput.at(
                    "$.type", "unexpected", "a journal holds one plan"
                )
            return _start_from_intake(event, thresholds)
        # An app's subclass of an event class.
        handler = _HANDLERS[next(c for c in EVENT_TYPES if isinstance(event, c))]
    if state is None:
        raise InvalidInput.at("$.type", "unexpected", "the plan has not started")
    date = event.date
    if date < state.last_date:
        raise InvalidInput.at("$.date", "out_of_order", "events must be in date order")
    # One new state per event (built as lowback.engine.plan._begin does, inline on
    # this hot path), changed in place by the rules below and finished
    # before it is returned.
    before = state.__dict__
    fields = before.copy()
    new = _new(PlanState)
    _setattr(new, "__dict__", fields)
    week = (date - before["started"]).days // 7
    if week > before["week"]:
        # LD-CAP: on a new week, last week's plan becomes the reference.
        fields["reference"] = new.planned
        fields["week"] = week
    action, rules, messages = handler(new, event, thresholds)
    if (
        fields["doses"] is not before["doses"]
        or fields["stage"] is not before["stage"]
        or fields["dropped"] is not before["dropped"]
        or fields["reference"] is not before["reference"]
    ):
        _enforce_cap(new, thresholds)
    fields["last_date"] = date
    # The decision, as _decide builds it.
    from_stage, to_stage = before["stage"], fields["stage"]
    TRANSITIONS_BY_KEY[(from_stage, to_stage, action)]
    key = tuple(rules)
    fired = _FIRED.get(key) or _fired(key)
    decision = _new(Decision)
    _setattr(
        decision,
        "__dict__",
        {
            "date": date,
            "action": action,
            "from_stage": from_stage,
            "to_stage": to_stage,
            "status": fields["status"],
            "doses": new.planned,
            "rules": fired,
            "ruleset_version": RULESET_VERSION,
            "messages": messages,
            "seek_care": fields["seek_care"],
        },
    )
    return new, decision


def replay(
    events: Journal, *, thresholds: Thresholds = _DEFAULT
) -> tuple[PlanState, tuple[Decision, ...]]:
    """Fold a journal with :func:`step`: the final state and every decision.

    Raises:
        InvalidInput: the journal is empty or does not start with
            :class:`~lowback.catalog.events.PlanStarted` (``$[0]``), or an event is invalid, out of
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
