"""Benchmark: the table-driven ``triage`` beside a hand-written if-chain of the same rules.

Run ``python benchmarks/bench_triage.py``. Prints the median time per call for
one built intake and over 10 000 varied intakes (generated deterministically
with ``random.Random``), for both implementations, and their ratio. The
baseline reuses the shared self-check reading and result type, so the ratio
isolates what rules-as-data (facts + predicate table) costs. Before timing,
the script checks the baseline gives equal results on every intake.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import attrs

from lowback import (
    RULES,
    RULESET_VERSION,
    Answer,
    BackwardLeanResult,
    BodyRegion,
    Disposition,
    EnduranceHoldResult,
    FiredRule,
    ForwardBendResult,
    Intake,
    Onset,
    PainPattern,
    PainQuality,
    PlanStatus,
    RedFlag,
    RedFlagAnswers,
    SelfCheckResult,
    Side,
    SideBendResult,
    Stage,
    StopReason,
    Thresholds,
    TriageResult,
    interpret,
    render,
    triage,
)
from lowback.catalog.dispositions import urgency_rank
from lowback.catalog.symptoms import LEG_REGIONS, NERVE_LIKE_QUALITIES

SEED = 20261124
N_VARIED = 10_000
YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN
DEFAULT = Thresholds()
_FIRED = {rule_id: FiredRule.of(rule_id) for rule_id in RULES}
_FLAGS = tuple(RedFlag)
_NET = {
    d: (
        f"safety_net.{d.value}",
        f"{render(f'safety_net.{d.value}')} {render('safety_net.general')}",
        (f"safety_net.{d.value}", "safety_net.general"),
    )
    for d in Disposition
}
_TOP = (
    "pressing_reproduces_pain",
    "eases_with_movement",
    "worse_with_sustained_posture",
    "muscle_spasm_or_stuck",
    "leg_pain_below_knee",
    "numbness_or_tingling_in_a_line",
    "leg_or_foot_weakness",
)
_AFTER = ("frequent_flare_ups", "fear_of_movement", "rest_without_relief")


def baseline(intake: Intake, thresholds: Thresholds = DEFAULT) -> TriageResult:  # noqa: C901, PLR0912, PLR0915 - an if-chain on purpose
    """The same rules as ``triage``, written as one hand-rolled if-chain."""
    checks = interpret(intake.self_checks, thresholds)
    rf = intake.red_flags
    yes = {f for f in _FLAGS if getattr(rf, f.value) is YES}
    unsure = {f for f in _FLAGS if getattr(rf, f.value) is UNKNOWN}
    legs = (
        intake.leg_pain_below_knee,
        intake.numbness_or_tingling_in_a_line,
        intake.leg_or_foot_weakness,
    )
    nerve = (
        YES in legs
        or checks.nerve_stop
        or (
            bool(NERVE_LIKE_QUALITIES.intersection(intake.pain_qualities))
            and bool(LEG_REGIONS.intersection(intake.pain_regions))
        )
    )
    nerve_unsure = UNKNOWN in legs
    both = intake.leg_symptom_side is Side.BOTH
    fired: list[str] = []
    if (
        RedFlag.BLADDER_OR_BOWEL_CHANGE in yes
        or RedFlag.SADDLE_NUMBNESS in yes
        or RedFlag.BILATERAL_LEG_SYMPTOMS in yes
        or (nerve and both)
    ):
        fired.append("RF-CES")
    cancer = RedFlag.CANCER_HISTORY in yes
    deficit = RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT in yes
    infection = (
        RedFlag.FEVER_OR_UNWELL in yes
        or RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY in yes
    )
    big_trauma = RedFlag.SIGNIFICANT_TRAUMA in yes
    trauma = big_trauma or RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY in yes
    if cancer and (nerve or deficit):
        fired.append("RF-MSCC")
    if infection and nerve:
        fired.append("RF-INF-NEURO")
    if big_trauma and nerve:
        fired.append("RF-FX-NEURO")
    if deficit:
        fired.append("RF-DEFICIT")
    if trauma:
        fired.append("RF-TRAUMA")
    if infection:
        fired.append("RF-INF")
    if cancer or RedFlag.UNEXPLAINED_WEIGHT_LOSS in yes:
        fired.append("RF-CANCER")
    if intake.age is not None and intake.age >= 50 and (cancer or trauma):
        fired.append("RF-AGE")
    if (
        RedFlag.BLADDER_OR_BOWEL_CHANGE in unsure
        or RedFlag.SADDLE_NUMBNESS in unsure
        or RedFlag.BILATERAL_LEG_SYMPTOMS in unsure
        or (nerve_unsure and both)
    ):
        fired.append("RF-UNKNOWN-CES")
    if unsure:
        fired.append("RF-UNKNOWN")
    if nerve:
        fired.append("NV-ROOT")
    if nerve_unsure:
        fired.append("NV-UNKNOWN")
    if checks.stop_reasons:
        fired.append("SC-STOP")
    if intake.duration_days > thresholds.persistent_days:
        fired.append("RT-PERSIST")
    if intake.frequent_flare_ups is YES:
        fired.append("RT-FLARES")
    if intake.fear_of_movement is YES:
        fired.append("RT-FEAR")
    if intake.rest_without_relief is YES:
        fired.append("RT-REST")
    if not fired:
        fired.append("SELF")
    disposition = Disposition.SELF_CARE
    for rule_id in fired:
        given = RULES[rule_id].disposition
        if given is not None and urgency_rank(given) > urgency_rank(disposition):
            disposition = given
    stage: Stage | None = None
    status: PlanStatus | None = None
    if disposition is Disposition.MEDICAL_REVIEW:
        fired.append("EN-PAUSED")
        stage, status = Stage.CALM_AND_UNLOAD, PlanStatus.PAUSED
    elif disposition.starts_plan:
        status = PlanStatus.ACTIVE
        if (
            intake.pain_now >= thresholds.calm_entry_pain
            or intake.muscle_spasm_or_stuck is not NO
        ):
            fired.append("EN-CALM")
            stage = Stage.CALM_AND_UNLOAD
        else:
            fired.append("EN-MOBILITY")
            stage = Stage.RESTORE_MOBILITY
    muscle = (
        intake.pressing_reproduces_pain is YES
        or intake.eases_with_movement is YES
        or any(q.is_muscle_like for q in intake.pain_qualities)
    )
    if nerve:
        pattern = PainPattern.MIXED if muscle else PainPattern.NERVE_INVOLVED
    else:
        pattern = PainPattern.MUSCLE_DOMINANT if muscle else PainPattern.UNCLEAR
    if nerve and both:
        yes.add(RedFlag.BILATERAL_LEG_SYMPTOMS)
    unknown = [f"$.{name}" for name in _TOP if getattr(intake, name) is UNKNOWN]
    unknown += [f"$.red_flags.{f.value}" for f in _FLAGS if f in unsure]
    unknown += [f"$.{name}" for name in _AFTER if getattr(intake, name) is UNKNOWN]
    message, text, messages = _NET[disposition]
    return TriageResult(
        disposition=disposition,
        pain_pattern=pattern,
        red_flags=tuple(f for f in _FLAGS if f in yes),
        unknown_answers=(*unknown, *checks.unknown_answers),
        findings=checks.findings,
        implicated_muscles=checks.implicated_muscles,
        stop_reasons=checks.stop_reasons,
        hold_direction=checks.hold_direction,
        entry_stage=stage,
        plan_status=status,
        rules=tuple(_FIRED[r] for r in fired),
        ruleset_version=RULESET_VERSION,
        safety_net=text,
        safety_net_message=message,
        safety_net_messages=messages,
    )


def _answer(rng: random.Random, p_no: float = 0.8) -> Answer:
    roll = rng.random()
    if roll < p_no:
        return NO
    return YES if roll < p_no + (1 - p_no) / 2 else UNKNOWN


def _maybe_stop(rng: random.Random) -> StopReason | None:
    return rng.choice(tuple(StopReason)) if rng.random() < 0.05 else None


def _checks(rng: random.Random) -> tuple[SelfCheckResult, ...]:
    a = _answer
    made: list[SelfCheckResult] = [
        ForwardBendResult(
            stopped=_maybe_stop(rng), one_side_tighter=a(rng, 0.5), pull_in_muscles=a(rng, 0.5),
            pain_in_centre_of_spine=a(rng), knee_bend_eases=a(rng, 0.5),
        ),
        BackwardLeanResult(
            stopped=_maybe_stop(rng), pinch_in_one_spot=a(rng), feels_like_muscle_stretch=a(rng, 0.5),
            hand_support_eases=a(rng, 0.5),
        ),
        SideBendResult(
            stopped=_maybe_stop(rng), one_side_blocked_or_painful=a(rng, 0.5),
            pain_over_ql_area=a(rng, 0.5),
        ),
        EnduranceHoldResult(
            stopped=_maybe_stop(rng), hold_seconds=rng.uniform(0.0, 30.0),
            shaking_early=a(rng, 0.6), cramped=a(rng, 0.7),
        ),
    ]  # fmt: skip
    rng.shuffle(made)
    return tuple(made[: rng.randint(0, 4)])


def varied_intake(rng: random.Random) -> Intake:
    """One random but valid intake; most answers no, so rules fire one or two at a time."""
    a = _answer
    return Intake(
        age=rng.choice((None, rng.randint(16, 90))),
        duration_days=rng.randint(0, 120),
        onset=rng.choice(tuple(Onset)),
        pain_now=rng.randint(0, 10),
        pain_regions=tuple(rng.sample(tuple(BodyRegion), rng.randint(0, 3))),
        pain_side=rng.choice((None, *Side)),
        pain_qualities=tuple(rng.sample(tuple(PainQuality), rng.randint(0, 3))),
        pressing_reproduces_pain=a(rng, 0.4),
        eases_with_movement=a(rng, 0.4),
        worse_with_sustained_posture=a(rng, 0.4),
        muscle_spasm_or_stuck=a(rng, 0.6),
        leg_pain_below_knee=a(rng),
        numbness_or_tingling_in_a_line=a(rng),
        leg_or_foot_weakness=a(rng),
        leg_symptom_side=rng.choice((None, *Side)),
        red_flags=RedFlagAnswers(**{f.value: a(rng, 0.95) for f in RedFlag}),
        frequent_flare_ups=a(rng),
        fear_of_movement=a(rng),
        rest_without_relief=a(rng),
        self_checks=_checks(rng),
    )


def one_intake() -> Intake:
    """A typical muscle-dominant intake with two self-checks."""
    return Intake(
        age=44, duration_days=10, onset=Onset.GRADUAL, pain_now=6, pain_worst_24h=7,
        pain_regions=(BodyRegion.LOW_BACK, BodyRegion.BUTTOCK), pain_side=Side.LEFT,
        pain_qualities=(PainQuality.ACHE, PainQuality.TIGHTNESS),
        pressing_reproduces_pain=YES, eases_with_movement=YES,
        worse_with_sustained_posture=YES, muscle_spasm_or_stuck=NO,
        leg_pain_below_knee=NO, numbness_or_tingling_in_a_line=NO,
        leg_or_foot_weakness=NO, red_flags=RedFlagAnswers.all_no(),
        frequent_flare_ups=NO, fear_of_movement=NO, rest_without_relief=UNKNOWN,
        self_checks=(
            ForwardBendResult(one_side_tighter=YES, pull_in_muscles=YES,
                              pain_in_centre_of_spine=NO, knee_bend_eases=UNKNOWN),
            EnduranceHoldResult(hold_seconds=6.0, shaking_early=YES, cramped=NO),
        ),
    )  # fmt: skip


def per_call_single(fn: Callable[[Intake], Any], intake: Intake) -> float:
    """Median seconds per call on one intake (31 batches of 2 000 calls)."""
    times = []
    for _ in range(31):
        start = time.perf_counter()
        for _ in range(2_000):
            fn(intake)
        times.append((time.perf_counter() - start) / 2_000)
    return statistics.median(times)


def per_call_varied(
    fn: Callable[[Intake], TriageResult], intakes: list[Intake]
) -> float:
    """Median seconds per call over all *intakes* (9 passes)."""
    times = []
    for _ in range(9):
        start = time.perf_counter()
        for intake in intakes:
            fn(intake)
        times.append((time.perf_counter() - start) / len(intakes))
    return statistics.median(times)


def main() -> None:
    """Check the baseline agrees, then time both and print medians and ratios."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not security
    intakes = [varied_intake(rng) for _ in range(N_VARIED)]
    single = one_intake()
    for intake in [single, *intakes]:
        assert triage(intake) == baseline(intake), intake
    dispositions = dict.fromkeys(Disposition, 0)
    for intake in intakes:
        dispositions[triage(intake).disposition] += 1
    print(
        "varied intakes by disposition:", {str(k): v for k, v in dispositions.items()}
    )
    rows = [
        ("one intake", per_call_single(triage, single), per_call_single(baseline, single)),
        (f"{N_VARIED} varied", per_call_varied(triage, intakes),
         per_call_varied(baseline, intakes)),
    ]  # fmt: skip
    print(f"{'case':<14} {'triage':>10} {'if-chain':>10} {'ratio':>7}")
    for name, table, chain in rows:
        print(
            f"{name:<14} {table * 1e6:>8.2f}us {chain * 1e6:>8.2f}us {table / chain:>6.2f}x"
        )
    # Shared by both, on the one intake: where most of the time goes.
    result = triage(single)
    fields = {f.name: getattr(result, f.name) for f in attrs.fields(TriageResult)}
    reading = per_call_single(lambda i: interpret(i.self_checks), single)
    building = per_call_single(lambda _: TriageResult(**fields), single)
    print(
        f"shared parts: interpret {reading * 1e6:.2f}us, "
        f"validated TriageResult {building * 1e6:.2f}us"
    )


if __name__ == "__main__":
    main()
