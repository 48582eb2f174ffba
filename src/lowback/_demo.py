"""The worked example behind ``lowback demo``: one person over four weeks, narrated.

The person is the intake of the wire contract's example (muscle-dominant
pain, 6/10, no red flags). They follow what the plan prescribes each day,
log a check-in and a session, have a flare after carrying heavy shopping,
and recover. The journal is then replayed and every decision is told with
the rules that made it.

>>> journal = demo_journal()
>>> journal[0].type
<EventType.PLAN_STARTED: 'plan_started'>
>>> len(journal) > 40
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .catalog.answers import Answer
from .catalog.events import (
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    Event,
    ExerciseDone,
    Journal,
    PlanStarted,
    SelfCheckRecorded,
    SessionLogged,
)
from .catalog.intake import Intake, RedFlagAnswers
from .catalog.messages import render
from .catalog.rules import RULES, FiredRule
from .catalog.self_checks import EnduranceHoldResult, ForwardBendResult
from .catalog.stages import Stage
from .catalog.symptoms import BodyRegion, Onset, PainQuality, Side
from .engine.plan import Decision, PlanState
from .engine.prescription import PrescribedExercise, prescription
from .engine.progression import replay, step
from .engine.transitions import Action

__all__ = ["demo_journal", "narrate"]

_START = dt.date(2026, 11, 2)

#: (day, pain now and on waking, worst pain during the session, pain after).
_DAYS: tuple[tuple[int, int, int, int], ...] = (
    # Week 1, stage 1: pain eases from 5 to 3.
    (1, 5, 3, 4),
    (2, 5, 3, 4),
    (3, 4, 3, 3),
    (4, 4, 3, 3),
    (5, 4, 3, 3),
    (6, 3, 3, 2),
    # Week 2, stage 2: mobility in the green zone.
    (7, 3, 2, 3),
    (8, 3, 2, 3),
    (9, 3, 2, 3),
    (10, 2, 2, 2),
    (11, 2, 2, 2),
    (12, 2, 2, 2),
    (13, 2, 2, 2),
    # Day 14: heavy shopping, then a session that flares to 6 during.
    (14, 2, 6, 4),
    # Recovery and progress.
    (15, 2, 2, 2),
    (16, 2, 2, 2),
    (17, 2, 2, 2),
    (18, 2, 2, 2),
    (19, 2, 2, 2),
    (20, 2, 2, 2),
    (21, 1, 2, 1),
    (22, 1, 2, 1),
    (23, 1, 2, 1),
    (24, 1, 2, 1),
    (25, 1, 1, 1),
    (26, 1, 1, 1),
    (27, 1, 1, 1),
)
#: Days whose check-in also asks the screening questions again.
_SCREENING_DAYS = frozenset({7, 14, 21})


def _intake() -> Intake:
    no, yes = Answer.NO, Answer.YES
    return Intake(
        age=44,
        duration_days=10,
        onset=Onset.GRADUAL,
        pain_now=6,
        pain_worst_24h=7,
        pain_regions=(BodyRegion.LOW_BACK, BodyRegion.BUTTOCK),
        pain_side=Side.LEFT,
        pain_qualities=(PainQuality.ACHE, PainQuality.TIGHTNESS),
        pressing_reproduces_pain=yes,
        eases_with_movement=yes,
        worse_with_sustained_posture=yes,
        muscle_spasm_or_stuck=no,
        leg_pain_below_knee=no,
        numbness_or_tingling_in_a_line=no,
        leg_or_foot_weakness=no,
        red_flags=RedFlagAnswers.all_no(),
        frequent_flare_ups=no,
        fear_of_movement=no,
        rest_without_relief=no,
        self_checks=(
            ForwardBendResult(
                one_side_tighter=yes,
                tighter_side=Side.LEFT,
                pull_in_muscles=yes,
                pain_in_centre_of_spine=no,
                knee_bend_eases=Answer.UNKNOWN,
            ),
            EnduranceHoldResult(hold_seconds=6.0, shaking_early=yes, cramped=no),
        ),
    )


def _as_prescribed(state: PlanState) -> tuple[ExerciseDone, ...]:
    return tuple(
        ExerciseDone(
            exercise=planned.exercise,
            sets=planned.dose.sets,
            reps=planned.dose.reps or 1,
            hold_seconds=planned.dose.hold_seconds,
        )
        for planned in state.planned
    )


def demo_journal() -> Journal:
    """Build the demo person's journal, following the plan day by day."""
    first = PlanStarted(date=_START, intake=_intake())
    events: list[Event] = [first]
    state, _ = step(None, first)
    for day, pain, during, after in _DAYS:
        date = _START + dt.timedelta(days=day)
        screening = day in _SCREENING_DAYS
        check_in = CheckIn(
            date=date,
            pain_now=pain,
            morning_pain=pain,
            very_tired=Answer.NO,
            red_flags=AskedRedFlags(
                bladder_or_bowel_change=Answer.NO, saddle_numbness=Answer.NO
            )
            if screening
            else AskedRedFlags(),
            nerve_features=AskedNerveFeatures(leg_pain_below_knee=Answer.NO)
            if screening
            else AskedNerveFeatures(),
        )
        session = SessionLogged(
            date=date,
            exercises=_as_prescribed(state),
            pain_before=pain,
            pain_during_max=during,
            pain_after=after,
            completed=True,
        )
        for event in (check_in, session):
            state, _ = step(state, event)
            events.append(event)
    recheck = SelfCheckRecorded(
        date=_START + dt.timedelta(days=28),
        results=(
            EnduranceHoldResult(
                hold_seconds=24.0, shaking_early=Answer.NO, cramped=Answer.NO
            ),
        ),
    )
    events.append(recheck)
    return tuple(events)


def _describe(event: Event) -> str:
    if isinstance(event, PlanStarted):
        return f"plan started: pain {event.intake.pain_now}/10 for {event.intake.duration_days} days"
    if isinstance(event, CheckIn):
        screening = (
            "; screening questions asked again, all no"
            if event.red_flags != AskedRedFlags()
            else ""
        )
        return f"check-in: pain {event.pain_now}/10, on waking {event.morning_pain}/10{screening}"
    if isinstance(event, SessionLogged):
        return (
            f"session: {len(event.exercises)} exercises, pain {event.pain_before} before, "
            f"{event.pain_during_max} at worst, {event.pain_after} after"
        )
    if isinstance(event, SelfCheckRecorded):
        return "self-checks repeated: endurance hold 24 s, no early shaking"
    return str(event.type)


def _rule_lines(rules: tuple[FiredRule, ...]) -> Iterator[str]:
    for rule in rules:
        yield f"      {rule.id:<11} {RULES[rule.id].summary}"


def _decision_lines(decision: Decision, previous: Stage | None) -> Iterator[str]:
    quiet = decision.action is Action.HOLD and decision.to_stage is previous
    if quiet:
        ids = ", ".join(rule.id for rule in decision.rules)
        yield f"    -> hold at {decision.to_stage} ({ids})"
        return
    yield (
        f"    -> {decision.action.upper()}: {decision.from_stage} -> "
        f"{decision.to_stage} ({decision.status})"
    )
    yield from _rule_lines(decision.rules)
    for message in decision.messages:
        yield f'      "{render(message)}"'


def _plan_line(item: PrescribedExercise) -> str:
    """One exercise of today's plan with its dose and cautions (LD-CAUTION)."""
    cautions = "".join(f" Caution: {render(c)}" for c in item.cautions)
    return f"  {item.exercise}: {item.dose.describe()}.{cautions}"


def narrate(journal: Journal) -> str:
    """Replay *journal* and tell each event and decision, with the rules that made it."""
    state, decisions = replay(journal)
    lines = [
        "lowback demo: one person's first four weeks, replayed from their journal.",
        "Each entry shows what they logged, then lowback's decision and why.",
        "",
    ]
    previous: Stage | None = None
    for event, decision in zip(journal, decisions, strict=True):
        lines.append(f"{event.date}  {_describe(event)}")
        lines.extend(_decision_lines(decision, previous))
        previous = decision.to_stage
    today = prescription(state)
    lines += [
        "",
        f"After {len(journal)} entries: {state.stage} ({state.status}).",
        "Today's plan:",
        *(_plan_line(item) for item in today.exercises),
        "",
        today.safety_net,
    ]
    return "\n".join(lines)
