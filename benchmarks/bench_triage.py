"""Benchmark: the table-driven ``triage`` beside a hand-written if-chain of the same rules.

Run ``python benchmarks/bench_triage.py``. Prints the median time per call for
one built intake and over 10 000 varied intakes (generated deterministically
with ``random.Random``), for both implementations, and their ratio. The
baseline applies the same v2 rules (spec 2 and 5.1) as one if-chain and
builds the same explanation (every rule's check with the facts it compared),
reusing the shared self-check reading and result type, so the ratio isolates
what rules-as-data (facts + predicate table) costs. Before timing, the script
checks the baseline gives equal results on every intake. Budget (issue 12):
triage within 3x of the if-chain.
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
from lowback.catalog import rules as ids
from lowback.catalog.dispositions import urgency_rank
from lowback.catalog.red_flags import CES_FLAGS
from lowback.catalog.rules import Check, CheckOutcome
from lowback.catalog.symptoms import LEG_REGIONS, NERVE_LIKE_QUALITIES

SEED = 20261124
N_VARIED = 10_000
YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN
DEFAULT = Thresholds()
_FIRED = {rule_id: FiredRule.of(rule_id) for rule_id in RULES}
_FLAGS = tuple(RedFlag)
_FIRSTS = (
    *(f"safety_net.{d.value}" for d in Disposition),
    "safety_net.self_care.unclear",
)
_TEXT = {
    messages: " ".join(render(m) for m in messages)
    for first in _FIRSTS
    for messages in (
        (first, "safety_net.general"),
        (first, "safety_net.mscc", "safety_net.general"),
    )
}
FIRED, UNMET = CheckOutcome.FIRED, CheckOutcome.UNMET
_COMBO_FLAGS = frozenset(
    {
        RedFlag.SIGNIFICANT_TRAUMA,
        RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY,
        RedFlag.FEVER_OR_UNWELL,
        RedFlag.UNEXPLAINED_WEIGHT_LOSS,
        RedFlag.CANCER_HISTORY,
        RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY,
    }
)
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


def _check(
    rule_id: str, hit: bool, named: dict[str, Any], reads: tuple[str, ...]
) -> Check:
    return Check(
        id=rule_id,
        outcome=FIRED if hit else UNMET,
        facts={n: named[n] for n in reads if n in named},
    )


_CES = ("bladder_or_bowel_change", "saddle_numbness", "bilateral_leg_symptoms")
_SADDLE = ("saddle_region", "nerve_like_quality", "numbness_or_tingling_in_a_line")
_NERVE = (
    "leg_pain_below_knee", "numbness_or_tingling_in_a_line", "leg_or_foot_weakness",
    "nerve_like_leg_pain", "self_check_nerve_stop", "session_nerve_symptom",
    "nerve_feature",
)  # fmt: skip
_NEURO = ("progressive_neurological_deficit", "nerve_feature")
_FX = ("significant_trauma", "minor_trauma_with_bone_fragility")
_INFX = ("fever_or_unwell", "infection_or_immunosuppression_history")
_COMBO = (
    "significant_trauma", "minor_trauma_with_bone_fragility", "fever_or_unwell",
    "unexplained_weight_loss", "cancer_history",
    "infection_or_immunosuppression_history",
)  # fmt: skip
_START_BACK = ("start_back_risk", "start_back_total", "start_back_subscore")
_ENTRY = (
    "disposition", "age", "scope_min_age", "pain_now", "calm_entry_pain",
    "pain_worst_24h", "calm_entry_worst_pain", "muscle_spasm_or_stuck",
)  # fmt: skip


def baseline(intake: Intake, thresholds: Thresholds = DEFAULT) -> TriageResult:  # noqa: C901, PLR0915 - an if-chain on purpose
    """The same rules as ``triage``, written as one hand-rolled if-chain."""
    reading = interpret(intake.self_checks, thresholds)
    rf = intake.red_flags
    yes = {f for f in _FLAGS if getattr(rf, f.value) is YES}
    unsure = {f for f in _FLAGS if getattr(rf, f.value) is UNKNOWN}
    legs = (
        intake.leg_pain_below_knee,
        intake.numbness_or_tingling_in_a_line,
        intake.leg_or_foot_weakness,
    )
    nerve_like = bool(NERVE_LIKE_QUALITIES.intersection(intake.pain_qualities))
    leg_pain = nerve_like and bool(LEG_REGIONS.intersection(intake.pain_regions))
    nerve = YES in legs or reading.nerve_stop or leg_pain
    nerve_unsure = UNKNOWN in legs
    both = intake.leg_symptom_side is Side.BOTH
    saddle = BodyRegion.SADDLE in intake.pain_regions
    saddle_nerve = saddle and (
        nerve_like or intake.numbness_or_tingling_in_a_line is YES
    )
    age = intake.age
    worst = intake.pain_worst_24h
    named: dict[str, Any] = {f.value: getattr(rf, f.value).value for f in _FLAGS}
    named.update(
        leg_pain_below_knee=legs[0].value,
        numbness_or_tingling_in_a_line=legs[1].value,
        leg_or_foot_weakness=legs[2].value,
        nerve_like_leg_pain=leg_pain,
        self_check_nerve_stop=reading.nerve_stop,
        self_check_medical_stop=reading.medical_stop,
        nerve_feature=nerve,
        nerve_question_unknown=nerve_unsure,
        leg_symptom_side=None if intake.leg_symptom_side is None
        else intake.leg_symptom_side.value,
        saddle_region=saddle,
        nerve_like_quality=nerve_like,
        onset=intake.onset.value,
        age=age,
        risk_modifier_age=50,
        scope_min_age=16,
        duration_days=intake.duration_days,
        persistent_days=thresholds.persistent_days,
        frequent_flare_ups=intake.frequent_flare_ups.value,
        fear_of_movement=intake.fear_of_movement.value,
        rest_without_relief=intake.rest_without_relief.value,
        pain_now=intake.pain_now,
        calm_entry_pain=thresholds.calm_entry_pain,
        pain_worst_24h=worst,
        calm_entry_worst_pain=thresholds.calm_entry_worst_pain,
        muscle_spasm_or_stuck=intake.muscle_spasm_or_stuck.value,
    )  # fmt: skip
    cancer = RedFlag.CANCER_HISTORY in yes
    deficit = RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT in yes
    neuro = nerve or deficit
    infection = (
        RedFlag.FEVER_OR_UNWELL in yes
        or RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY in yes
    )
    trauma = (
        RedFlag.SIGNIFICANT_TRAUMA in yes
        or RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY in yes
    )
    combo_yes = cancer or infection or trauma
    combo_unsure = bool(unsure & _COMBO_FLAGS)
    child = age is not None and age < 16
    checks: list[Check] = []
    fired: list[str] = []

    def rule(rule_id: str, hit: bool, reads: tuple[str, ...]) -> None:
        checks.append(_check(rule_id, hit, named, reads))
        if hit:
            fired.append(rule_id)

    rule(
        ids.RF_CES,
        bool(yes & CES_FLAGS) or (nerve and both) or saddle_nerve,
        (*_CES, "leg_symptom_side", "nerve_feature", *_SADDLE),
    )
    rule(ids.RF_SADDLE, saddle and not saddle_nerve, _SADDLE)
    rule(ids.RF_MSCC, cancer and neuro, ("cancer_history", *_NEURO))
    rule(ids.RF_INF_NEURO, infection and neuro, (*_INFX, *_NEURO))
    rule(ids.RF_FX_NEURO, trauma and neuro, (*_FX, *_NEURO))
    rule(
        ids.RF_FX_ONSET,
        intake.onset is Onset.AFTER_TRAUMA and (age is None or age >= 50),
        ("onset", "age", "risk_modifier_age"),
    )
    rule(ids.RF_DEFICIT, deficit, ("progressive_neurological_deficit",))
    rule(ids.RF_TRAUMA, trauma, _FX)
    rule(ids.RF_INF, infection, _INFX)
    rule(
        ids.RF_CANCER,
        cancer or RedFlag.UNEXPLAINED_WEIGHT_LOSS in yes,
        ("unexplained_weight_loss", "cancer_history"),
    )
    rule(
        ids.RF_AGE,
        age is not None and age >= 50 and (cancer or trauma),
        ("age", "risk_modifier_age", *_FX, "cancer_history"),
    )
    rule(
        ids.RF_UNKNOWN_CES,
        bool(unsure & CES_FLAGS) or (nerve_unsure and both),
        (*_CES, "leg_symptom_side", "nerve_question_unknown"),
    )
    rule(
        ids.RF_UNKNOWN_COMBO,
        (combo_unsure and neuro)
        or (
            (combo_yes or RedFlag.UNEXPLAINED_WEIGHT_LOSS in yes)
            and (nerve_unsure or RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT in unsure)
        ),
        (*_COMBO, *_NEURO, "nerve_question_unknown"),
    )
    rule(ids.RF_UNKNOWN, bool(unsure), tuple(f.value for f in _FLAGS))
    rule(ids.NV_ROOT, nerve, _NERVE)
    rule(ids.NV_UNKNOWN, nerve_unsure, (*_NERVE[:3], "nerve_question_unknown"))
    rule(
        ids.NV_WEAKNESS,
        legs[2] is YES and not deficit,
        ("leg_or_foot_weakness", "progressive_neurological_deficit"),
    )
    rule(ids.SCOPE_AGE, child, ("age", "scope_min_age"))
    rule(
        ids.SC_STOP,
        bool(reading.stop_reasons),
        ("self_check_nerve_stop", "self_check_medical_stop"),
    )
    rule(
        ids.RT_PERSIST,
        intake.duration_days > thresholds.persistent_days,
        ("duration_days", "persistent_days"),
    )
    rule(ids.RT_FLARES, intake.frequent_flare_ups is YES, ("frequent_flare_ups",))
    rule(ids.RT_FEAR, intake.fear_of_movement is YES, ("fear_of_movement",))
    rule(ids.RT_REST, intake.rest_without_relief is YES, ("rest_without_relief",))
    if intake.start_back is not None:  # the benchmark's intakes carry no screen
        msg = "this peer triages intakes without STarT Back answers"
        raise NotImplementedError(msg)
    named.update(dict.fromkeys(_START_BACK))
    rule(ids.RT_STARTBACK, hit=False, reads=_START_BACK)
    others = len(fired)
    checks.append(
        Check(
            id=ids.SELF,
            outcome=UNMET if others else FIRED,
            facts={"other_rules_fired": others},
        )
    )
    if not others:
        fired.append(ids.SELF)
    disposition = Disposition.SELF_CARE
    for rule_id in fired:
        given = RULES[rule_id].disposition
        if given is not None and urgency_rank(given) > urgency_rank(disposition):
            disposition = given
    named["disposition"] = disposition.value
    stage: Stage | None = None
    status: PlanStatus | None = None
    paused = disposition is Disposition.MEDICAL_REVIEW and not child
    plans = disposition in (Disposition.SELF_CARE, Disposition.PHYSIO_REFERRAL)
    calm = (
        intake.pain_now >= thresholds.calm_entry_pain
        or (worst is not None and worst >= thresholds.calm_entry_worst_pain)
        or intake.muscle_spasm_or_stuck is not NO
    )
    rule(ids.EN_PAUSED, paused, _ENTRY)
    rule(ids.EN_CALM, plans and calm, _ENTRY)
    rule(ids.EN_MOBILITY, plans and not calm, _ENTRY)
    if paused:
        stage, status = Stage.CALM_AND_UNLOAD, PlanStatus.PAUSED
    elif plans:
        status = PlanStatus.ACTIVE
        stage = Stage.CALM_AND_UNLOAD if calm else Stage.RESTORE_MOBILITY
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
    first = f"safety_net.{disposition.value}"
    if (
        disposition is Disposition.SELF_CARE
        and pattern is not PainPattern.MUSCLE_DOMINANT
    ):
        first = "safety_net.self_care.unclear"
    messages = [first]
    if rf.cancer_history is not NO:
        messages.append("safety_net.mscc")
    messages.append("safety_net.general")
    return TriageResult(
        disposition=disposition,
        pain_pattern=pattern,
        red_flags=tuple(f for f in _FLAGS if f in yes),
        unknown_answers=(*unknown, *reading.unknown_answers),
        findings=reading.findings,
        implicated_muscles=reading.implicated_muscles,
        stop_reasons=reading.stop_reasons,
        hold_direction=reading.hold_direction,
        entry_stage=stage,
        plan_status=status,
        rules=tuple(_FIRED[r] for r in fired),
        ruleset_version=RULESET_VERSION,
        safety_net=_TEXT[tuple(messages)],
        safety_net_message=first,
        safety_net_messages=tuple(messages),
        checks=tuple(checks),
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
