"""Builders shared by the progression tests: triage results, states and events."""

from __future__ import annotations

import datetime as dt

from lowback import (
    RULESET_VERSION,
    Answer,
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    Disposition,
    ExerciseDone,
    FiredRule,
    PainPattern,
    PlanState,
    PlanStatus,
    SessionLogged,
    Stage,
    TriageResult,
    start_plan,
)
from lowback.catalog.symptoms import NerveFeature

DAY0 = dt.date(2026, 11, 1)


def day(n: int) -> dt.date:
    """The plan's day *n*."""
    return DAY0 + dt.timedelta(days=n)


def triage_result(
    disposition: Disposition = Disposition.SELF_CARE,
    entry_stage: Stage | None = Stage.CALM_AND_UNLOAD,
    plan_status: PlanStatus | None = PlanStatus.ACTIVE,
) -> TriageResult:
    """A hand-built triage result."""
    return TriageResult(
        disposition=disposition,
        pain_pattern=PainPattern.MUSCLE_DOMINANT,
        red_flags=(),
        unknown_answers=(),
        findings=(),
        implicated_muscles=(),
        stop_reasons=(),
        hold_direction=None,
        entry_stage=entry_stage,
        plan_status=plan_status,
        rules=(FiredRule.of("SELF"),),
        ruleset_version=RULESET_VERSION,
        safety_net="",
        safety_net_message="safety_net.self_care",
    )


def started(stage: Stage = Stage.CALM_AND_UNLOAD, pain: int = 6) -> PlanState:
    """An active plan at *stage*, started on day 0 with entry pain *pain*."""
    state, _ = start_plan(triage_result(entry_stage=stage), date=DAY0, entry_pain=pain)
    return state


def done(state: PlanState) -> tuple[ExerciseDone, ...]:
    """The state's planned exercises, done exactly as prescribed."""
    return tuple(
        ExerciseDone(
            exercise=d.exercise,
            sets=d.dose.sets,
            reps=d.dose.reps or 1,
            hold_seconds=d.dose.hold_seconds,
        )
        for d in state.planned
    )


def session(
    state: PlanState,
    n: int,
    *,
    before: int = 2,
    during: int = 1,
    after: int = 1,
    completed: bool = True,
    new: tuple[NerveFeature, ...] = (),
    extra: tuple[ExerciseDone, ...] = (),
) -> SessionLogged:
    """A session on day *n* doing the planned exercises."""
    return SessionLogged(
        date=day(n),
        exercises=done(state) + extra,
        pain_before=before,
        pain_during_max=during,
        pain_after=after,
        completed=completed,
        new_symptoms=new,
    )


def check_in(
    n: int,
    *,
    pain: int = 2,
    morning: int = 2,
    tired: Answer = Answer.NO,
    red_flags: AskedRedFlags | None = None,
    nerve: AskedNerveFeatures | None = None,
) -> CheckIn:
    """A check-in on day *n*."""
    return CheckIn(
        date=day(n),
        pain_now=pain,
        morning_pain=morning,
        very_tired=tired,
        red_flags=red_flags or AskedRedFlags(),
        nerve_features=nerve or AskedNerveFeatures(),
    )
