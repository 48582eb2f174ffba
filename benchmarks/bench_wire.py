"""Wire benchmark: lowback's JSON round trip beside pydantic v2, and import time.

Run with the ``bench`` dependency group installed::

    .venv/bin/python -m pip install -q --group bench && .venv/bin/python benchmarks/bench_wire.py

It measures, in one run and on the same document:

- a round trip (``dumps`` then ``loads``) of a realistic plan document with
  lowback, and the same model written in pydantic v2 (strict, closed models,
  the same bounds) with ``model_dump_json`` and ``model_validate_json``;
- reading adversarial documents near the size limit (an unterminated string
  of escaped quotes, deep unclosed brackets), reported as time per MB: it
  stays flat from a small document to one near the limit (linear time);
- ``import lowback`` in a fresh interpreter beside ``python -c pass``.

The budget is a journal round trip at most 2.5x pydantic's (strict models).
Medians of interleaved runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field

import lowback
import lowback.wire
from lowback import (
    Answer,
    BodyRegion,
    Disposition,
    ExerciseId,
    HoldDirection,
    MuscleGroup,
    NerveFeature,
    Onset,
    PainPattern,
    PainQuality,
    PlanStatus,
    RedFlag,
    SelfCheckFinding,
    Side,
    SourceId,
    Stage,
    StopReason,
)

STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)


class PRedFlags(BaseModel):
    model_config = STRICT
    bladder_or_bowel_change: Answer
    saddle_numbness: Answer
    bilateral_leg_symptoms: Answer
    progressive_neurological_deficit: Answer
    significant_trauma: Answer
    minor_trauma_with_bone_fragility: Answer
    fever_or_unwell: Answer
    unexplained_weight_loss: Answer
    cancer_history: Answer
    infection_or_immunosuppression_history: Answer


class PForwardBend(BaseModel):
    model_config = STRICT
    check: Literal["forward_bend"]
    stopped: StopReason | None = None
    one_side_tighter: Answer | None = None
    tighter_side: Side | None = None
    pull_in_muscles: Answer | None = None
    pain_in_centre_of_spine: Answer | None = None
    knee_bend_eases: Answer | None = None


class PEnduranceHold(BaseModel):
    model_config = STRICT
    check: Literal["endurance_hold"]
    stopped: StopReason | None = None
    hold_seconds: float | None = Field(default=None, ge=0.0, le=60.0)
    shaking_early: Answer | None = None
    cramped: Answer | None = None


PSelfCheck = Annotated[PForwardBend | PEnduranceHold, Field(discriminator="check")]


class PStartBack(BaseModel):
    model_config = STRICT
    referred_leg_pain: Answer
    neck_or_shoulder_pain: Answer
    walks_short_distances_only: Answer
    dresses_slowly: Answer
    fear: Answer
    anxiety: Answer
    catastrophising: Answer
    low_mood: Answer
    bothersomeness: int | None = Field(ge=0, le=4)


class PIntake(BaseModel):
    model_config = STRICT
    schema_version: Literal[1]
    age: int | None = Field(default=None, ge=0, le=130)
    duration_days: int = Field(ge=0, le=36_500)
    onset: Onset
    pain_now: int = Field(ge=0, le=10)
    pain_worst_24h: int | None = Field(default=None, ge=0, le=10)
    pain_regions: tuple[BodyRegion, ...] = Field(default=(), max_length=9)
    pain_side: Side | None = None
    pain_qualities: tuple[PainQuality, ...] = Field(default=(), max_length=9)
    pressing_reproduces_pain: Answer
    eases_with_movement: Answer
    worse_with_sustained_posture: Answer
    muscle_spasm_or_stuck: Answer
    leg_pain_below_knee: Answer
    numbness_or_tingling_in_a_line: Answer
    leg_or_foot_weakness: Answer
    leg_symptom_side: Side | None = None
    red_flags: PRedFlags
    frequent_flare_ups: Answer
    fear_of_movement: Answer
    rest_without_relief: Answer
    self_checks: tuple[PSelfCheck, ...] = Field(default=(), max_length=4)
    start_back: PStartBack | None = None


class PExerciseDone(BaseModel):
    model_config = STRICT
    exercise: ExerciseId
    sets: int = Field(ge=0, le=20)
    reps: int = Field(ge=0, le=100)
    hold_seconds: float | None = Field(default=None, ge=0.0, le=600.0)


class PAskedRedFlags(BaseModel):
    model_config = STRICT
    bladder_or_bowel_change: Answer | None = None
    saddle_numbness: Answer | None = None
    bilateral_leg_symptoms: Answer | None = None
    progressive_neurological_deficit: Answer | None = None
    significant_trauma: Answer | None = None
    minor_trauma_with_bone_fragility: Answer | None = None
    fever_or_unwell: Answer | None = None
    unexplained_weight_loss: Answer | None = None
    cancer_history: Answer | None = None
    infection_or_immunosuppression_history: Answer | None = None


class PAskedNerveFeatures(BaseModel):
    model_config = STRICT
    leg_pain_below_knee: Answer | None = None
    numbness_or_tingling_in_a_line: Answer | None = None
    leg_or_foot_weakness: Answer | None = None


class PIntakeBody(PIntake):
    schema_version: Literal[1] | None = None  # type: ignore[assignment]


class PPlanStarted(BaseModel):
    model_config = STRICT
    type: Literal["plan_started"]
    date: dt.date
    intake: PIntakeBody


class PSessionLogged(BaseModel):
    model_config = STRICT
    type: Literal["session_logged"]
    date: dt.date
    exercises: tuple[PExerciseDone, ...] = Field(max_length=50)
    pain_before: int = Field(ge=0, le=10)
    pain_during_max: int = Field(ge=0, le=10)
    pain_after: int = Field(ge=0, le=10)
    completed: bool
    new_symptoms: tuple[NerveFeature, ...] = ()


class PCheckIn(BaseModel):
    model_config = STRICT
    type: Literal["check_in"]
    date: dt.date
    pain_now: int = Field(ge=0, le=10)
    morning_pain: int = Field(ge=0, le=10)
    very_tired: Answer
    red_flags: PAskedRedFlags = PAskedRedFlags()
    nerve_features: PAskedNerveFeatures = PAskedNerveFeatures()


class PSelfCheckRecorded(BaseModel):
    model_config = STRICT
    type: Literal["self_check_recorded"]
    date: dt.date
    results: tuple[PSelfCheck, ...] = Field(max_length=4)


PEvent = Annotated[
    PPlanStarted | PSessionLogged | PCheckIn | PSelfCheckRecorded,
    Field(discriminator="type"),
]
PJournal = pydantic.TypeAdapter(tuple[PEvent, ...])


class PFiredRule(BaseModel):
    model_config = STRICT
    id: str = Field(max_length=10_000)
    sources: tuple[SourceId, ...]


class PCheck(BaseModel):
    model_config = STRICT
    id: str = Field(max_length=10_000)
    outcome: Literal["fired", "met", "unmet"]
    facts: dict[str, int | float | str | bool | None] = {}


class PTriageResult(BaseModel):
    model_config = STRICT
    schema_version: Literal[1]
    disposition: Disposition
    pain_pattern: PainPattern
    red_flags: tuple[RedFlag, ...]
    unknown_answers: tuple[str, ...]
    findings: tuple[SelfCheckFinding, ...]
    implicated_muscles: tuple[MuscleGroup, ...]
    stop_reasons: tuple[StopReason, ...]
    hold_direction: HoldDirection | None
    entry_stage: Stage | None
    plan_status: PlanStatus | None
    rules: tuple[PFiredRule, ...]
    ruleset_version: str
    safety_net: str
    safety_net_message: str
    safety_net_messages: tuple[str, ...] = ()
    checks: tuple[PCheck, ...] = ()


def _intake() -> lowback.Intake:
    """The sample intake the examples ship (the architecture's example intake)."""
    path = Path(__file__).resolve().parent.parent / "examples" / "data" / "intake.json"
    return lowback.loads(path.read_text(encoding="utf-8"), lowback.Intake)


def _triage_result() -> lowback.TriageResult:
    return lowback.TriageResult(
        disposition=Disposition.SELF_CARE,
        pain_pattern=PainPattern.MUSCLE_DOMINANT,
        red_flags=(),
        unknown_answers=("$.self_checks[0].knee_bend_eases",),
        findings=(
            SelfCheckFinding.ASYMMETRIC_GUARDING,
            SelfCheckFinding.LOW_EXTENSOR_ENDURANCE,
        ),
        implicated_muscles=(MuscleGroup.ERECTOR_SPINAE, MuscleGroup.MULTIFIDUS),
        stop_reasons=(),
        hold_direction=None,
        entry_stage=Stage.CALM_AND_UNLOAD,
        plan_status=PlanStatus.ACTIVE,
        rules=(lowback.FiredRule.of("SELF"), lowback.FiredRule.of("EN-CALM")),
        ruleset_version=lowback.RULESET_VERSION,
        safety_net=lowback.render("safety_net.general"),
        safety_net_message="safety_net.general",
        safety_net_messages=("safety_net.general",),
    )


def _journal(days: int = 60) -> lowback.Journal:
    """A person's plan: the intake, then a check-in and a session every day.

    They do what the plan prescribes; pain eases from 5 to 1 with a flare on
    day 30, so the plan advances, regresses and advances again.
    """
    from lowback._demo import _as_prescribed  # noqa: PLC0415 - shared helper

    start = dt.date(2026, 11, 2)
    first = lowback.PlanStarted(date=start, intake=_intake())
    events: list[Any] = [first]
    state, _ = lowback.step(None, first)
    for day in range(1, days + 1):
        date = start + dt.timedelta(days=day)
        pain = max(1, 5 - day // 8)
        screening = day % 7 == 0
        check_in = lowback.CheckIn(
            date=date,
            pain_now=pain,
            morning_pain=pain,
            very_tired=Answer.NO,
            red_flags=lowback.AskedRedFlags(
                bladder_or_bowel_change=Answer.NO, saddle_numbness=Answer.NO
            )
            if screening
            else lowback.AskedRedFlags(),
        )
        session = lowback.SessionLogged(
            date=date,
            exercises=_as_prescribed(state),
            pain_before=pain,
            pain_during_max=6 if day == 30 else min(pain, 3),
            pain_after=pain,
            completed=True,
        )
        for event in (check_in, session):
            state, _ = lowback.step(state, event)
            events.append(event)
    return tuple(events)


def paired_medians(
    ours: Callable[[], Any], theirs: Callable[[], Any], *, number: int, repeat: int = 9
) -> tuple[float, float, float]:
    """Median time per call of each, and the median of per-run ratios.

    The two are timed alternately, run after run, so that load from other
    processes on the machine falls on both alike.
    """
    t_ours, t_theirs, ratios = [], [], []
    for _ in range(repeat):
        pair = []
        for fn in (ours, theirs):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            pair.append((time.perf_counter() - start) / number)
        t_ours.append(pair[0])
        t_theirs.append(pair[1])
        ratios.append(pair[0] / pair[1])
    return (
        statistics.median(t_ours),
        statistics.median(t_theirs),
        statistics.median(ratios),
    )


def hostile_seconds(text: str, repeat: int = 5) -> float:
    """The median time to refuse *text* as an Intake."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.suppress(lowback.InvalidInput):
            lowback.loads(text, lowback.Intake)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def import_seconds(code: str, repeat: int = 9) -> float:
    """The median wall time of a fresh interpreter running *code*."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 - our own interpreter
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    """Measure and print medians and ratios."""
    intake, result = _intake(), _triage_result()
    p_intake = PIntake.model_validate_json(lowback.dumps(intake))
    p_result = PTriageResult.model_validate_json(lowback.dumps(result))
    assert p_intake.model_dump(mode="json") == __import__("json").loads(
        lowback.dumps(intake)
    )

    def ours() -> None:
        lowback.loads(lowback.dumps(intake), lowback.Intake)
        lowback.loads(lowback.dumps(result), lowback.TriageResult)

    def theirs() -> None:
        PIntake.model_validate_json(p_intake.model_dump_json())
        PTriageResult.model_validate_json(p_result.model_dump_json())

    ours()
    t_ours, t_theirs, ratio = paired_medians(ours, theirs, number=1000)
    print(f"pydantic {pydantic.VERSION}")
    print("document: an intake and its triage result")
    print(f"  round trip  lowback  {t_ours * 1e6:8.1f} us (median)")
    print(f"  round trip  pydantic {t_theirs * 1e6:8.1f} us (median)")
    print(f"  ratio lowback/pydantic {ratio:.2f} (median of paired runs)")

    journal = _journal()
    text = lowback.dumps(journal)
    p_journal = PJournal.validate_json(text)

    def ours_journal() -> None:
        lowback.loads(lowback.dumps(journal), lowback.Journal)

    def theirs_journal() -> None:
        PJournal.validate_json(PJournal.dump_json(p_journal, exclude_unset=True))

    t_ours, t_theirs, ratio = paired_medians(ours_journal, theirs_journal, number=20)
    print(f"document: a plan journal, {len(journal)} events, {len(text)} characters")
    print(f"  round trip  lowback  {t_ours * 1e3:8.2f} ms (median)")
    print(f"  round trip  pydantic {t_theirs * 1e3:8.2f} ms (median)")
    print(f"  ratio lowback/pydantic {ratio:.2f} (median of paired runs; budget 2.50)")

    for name, unit in (("escaped quotes", '\\"'), ("unclosed brackets", "[{")):
        for size in (500_000, lowback.wire.MAX_DOCUMENT_CHARS - 10):
            text = '["' + unit * (size // len(unit))
            print(f"hostile: {name:18} {len(text) / 1e6:4.1f} MB  ", end="")
            print(f"{hostile_seconds(text) / (len(text) / 1e6) * 1e3:7.1f} ms per MB")

    t_pass = import_seconds("pass")
    t_import = import_seconds("import lowback")
    print(f"python -c pass        {t_pass * 1e3:7.1f} ms (median)")
    print(f"import lowback        {t_import * 1e3:7.1f} ms (median)")
    print(f"import cost           {(t_import - t_pass) * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
