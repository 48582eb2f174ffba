"""Triage v2 (clinical spec 5.1, 5.3, 5.4 invariant 14): amendments, checks, grading."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lowback
from lowback import (
    Answer,
    AskedNerveFeatures,
    AskedRedFlags,
    BodyRegion,
    CheckOutcome,
    Disposition,
    HistoryFlags,
    Intake,
    InvalidInput,
    NerveFeature,
    Onset,
    PainPattern,
    PainQuality,
    RedFlag,
    RedFlagAnswers,
    Side,
    Stage,
    Thresholds,
    TriageResult,
    grade_red_flags,
    triage,
)
from lowback.catalog import rules as ids
from lowback.catalog.dispositions import urgency_rank
from lowback.catalog.intake import HISTORY_FLAGS
from lowback.catalog.red_flags import CES_FLAGS
from lowback.catalog.symptoms import NERVE_LIKE_QUALITIES
from lowback.cli import format_triage
from lowback.engine.triage import ENTRY_PREDICATES, RULE_PREDICATES
from strategies import (
    asked_nerve_features,
    asked_red_flags,
    clear_intake,
    history_flags,
    intakes,
    new_symptoms,
    thresholds,
)

YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN
D = Disposition
URGENT_RANK = urgency_rank(D.URGENT)
NERVE_QUESTIONS = (
    "leg_pain_below_knee",
    "numbness_or_tingling_in_a_line",
    "leg_or_foot_weakness",
)
#: Flags whose "not sure" beside a nerve feature is RF-UNKNOWN-COMBO (spec 5.1).
COMBO_FLAGS = (
    RedFlag.CANCER_HISTORY,
    RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY,
    RedFlag.FEVER_OR_UNWELL,
    RedFlag.SIGNIFICANT_TRAUMA,
    RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY,
    # A cancer flag: lowback's safer reading (spec 1 lists it under malignancy).
    RedFlag.UNEXPLAINED_WEIGHT_LOSS,
)


def flags(**answers: Answer) -> RedFlagAnswers:
    return RedFlagAnswers.all_no(**answers)


def fired(result: TriageResult | lowback.RedFlagGrade) -> list[str]:
    return [rule.id for rule in result.rules]


def run(**changes: Any) -> TriageResult:
    return triage(clear_intake(**changes))


def history(**answers: Answer) -> HistoryFlags:
    return attrs.evolve(HistoryFlags.none(), **answers)


def check(result: TriageResult, rule_id: str) -> lowback.Check:
    (found,) = [c for c in result.checks if c.id == rule_id]
    return found


class TestSaddle:
    @pytest.mark.parametrize("quality", sorted(NERVE_LIKE_QUALITIES))
    def test_nerve_like_saddle_pain_is_ces(self, quality: PainQuality) -> None:
        """RF-CES widened: saddle pain with a nerve-like quality is an emergency."""
        result = run(pain_regions=(BodyRegion.SADDLE,), pain_qualities=(quality,))
        assert result.disposition is D.EMERGENCY
        assert ids.RF_CES in fired(result)
        assert ids.RF_SADDLE not in fired(result)
        assert result.entry_stage is None

    def test_saddle_with_numbness_in_a_line_is_ces(self) -> None:
        """RF-CES widened: saddle region with numbness in a line is an emergency."""
        result = run(
            pain_regions=(BodyRegion.SADDLE,),
            pain_qualities=(PainQuality.ACHE,),
            numbness_or_tingling_in_a_line=YES,
        )
        assert result.disposition is D.EMERGENCY
        assert ids.RF_CES in fired(result)

    @pytest.mark.parametrize(
        "qualities", [(), (PainQuality.ACHE,), (PainQuality.TIGHTNESS,)]
    )
    def test_other_saddle_pain_is_urgent(
        self, qualities: tuple[PainQuality, ...]
    ) -> None:
        """RF-SADDLE: any other saddle-region symptom is urgent (the issue's case)."""
        result = run(pain_regions=(BodyRegion.SADDLE,), pain_qualities=qualities)
        assert result.disposition is D.URGENT
        assert fired(result) == [ids.RF_SADDLE]
        assert result.entry_stage is None
        assert result.plan_status is None

    def test_saddle_check_names_the_facts(self) -> None:
        """The saddle checks report the region and the qualities they compared."""
        result = run(pain_regions=(BodyRegion.SADDLE,), pain_qualities=())
        facts = dict(check(result, ids.RF_SADDLE).facts)
        assert facts["saddle_region"] is True
        assert facts["nerve_like_quality"] is False
        assert check(result, ids.RF_CES).outcome is CheckOutcome.UNMET


class TestCombinationsWidened:
    def test_both_legs_nerve_feature_is_ces_whatever_the_flag(self) -> None:
        """RF-CES: a nerve feature with leg_symptom_side both, bilateral flag no."""
        result = run(leg_pain_below_knee=YES, leg_symptom_side=Side.BOTH)
        assert result.disposition is D.EMERGENCY
        assert RedFlag.BILATERAL_LEG_SYMPTOMS in result.red_flags

    @pytest.mark.parametrize("side", [None, Side.LEFT, Side.RIGHT, Side.CENTRAL])
    def test_bilateral_named_only_for_both_legs(self, side: Side | None) -> None:
        """bilateral_leg_symptoms is named only for nerve signs in both legs."""
        result = run(leg_pain_below_knee=YES, leg_symptom_side=side)
        assert RedFlag.BILATERAL_LEG_SYMPTOMS not in result.red_flags
        assert ids.RF_CES not in fired(result)

    def test_both_legs_without_nerve_feature_is_not_bilateral(self) -> None:
        """Both legs named, but no nerve feature: no bilateral flag, no RF-CES."""
        result = run(leg_symptom_side=Side.BOTH)
        assert RedFlag.BILATERAL_LEG_SYMPTOMS not in result.red_flags
        assert result.disposition is D.SELF_CARE

    @pytest.mark.parametrize(
        "flag",
        [RedFlag.FEVER_OR_UNWELL, RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY],
    )
    def test_infection_with_worsening_deficit_is_emergency(self, flag: RedFlag) -> None:
        """RF-INF-NEURO widened: infection flag + progressive deficit, no nerve feature."""
        result = run(
            red_flags=flags(
                **{flag.value: YES, "progressive_neurological_deficit": YES}
            )
        )
        assert result.disposition is D.EMERGENCY
        assert ids.RF_INF_NEURO in fired(result)

    @pytest.mark.parametrize(
        "flag", [RedFlag.SIGNIFICANT_TRAUMA, RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY]
    )
    @pytest.mark.parametrize("neuro", ["deficit", "weakness"])
    def test_trauma_with_deficit_or_weakness_is_emergency(
        self, flag: RedFlag, neuro: str
    ) -> None:
        """RF-FX-NEURO widened: either trauma flag + a deficit or nerve feature."""
        answers = {flag.value: YES}
        changes: dict[str, Any] = {}
        if neuro == "deficit":
            answers["progressive_neurological_deficit"] = YES
        else:
            changes["leg_or_foot_weakness"] = YES
        result = run(red_flags=flags(**answers), **changes)
        assert result.disposition is D.EMERGENCY
        assert ids.RF_FX_NEURO in fired(result)


class TestOnsetAndAge:
    @pytest.mark.parametrize(
        ("age", "fires"),
        [(49, False), (50, True), (51, True), (None, True), (16, False)],
    )
    def test_onset_after_trauma(self, age: int | None, fires: bool) -> None:
        """RF-FX-ONSET: after-trauma onset at 50 or over, or age unknown, is urgent."""
        result = run(age=age, onset=Onset.AFTER_TRAUMA)
        assert (ids.RF_FX_ONSET in fired(result)) is fires
        assert result.disposition is (D.URGENT if fires else D.SELF_CARE)
        facts = dict(check(result, ids.RF_FX_ONSET).facts)
        assert facts == {"onset": "after_trauma", "age": age, "risk_modifier_age": 50}

    @pytest.mark.parametrize("onset", [Onset.GRADUAL, Onset.SUDDEN])
    def test_other_onsets_do_not_fire(self, onset: Onset) -> None:
        """RF-FX-ONSET reads only an after-trauma onset."""
        assert ids.RF_FX_ONSET not in fired(run(age=80, onset=onset))

    @pytest.mark.parametrize("age", [0, 10, 15])
    def test_under_16_is_out_of_scope(self, age: int) -> None:
        """SCOPE-AGE: under 16 is medical review and no plan starts."""
        result = run(age=age)
        assert result.disposition is D.MEDICAL_REVIEW
        assert ids.SCOPE_AGE in fired(result)
        assert result.entry_stage is None
        assert result.plan_status is None
        assert not [r for r in fired(result) if r.startswith("EN-")]

    @pytest.mark.parametrize("age", [16, 17, None])
    def test_16_and_over_is_in_scope(self, age: int | None) -> None:
        """SCOPE-AGE does not fire at 16 or over, or when age is not given."""
        result = run(age=age)
        assert ids.SCOPE_AGE not in fired(result)
        assert result.entry_stage is not None

    def test_under_16_with_emergency_stays_emergency(self) -> None:
        """Scope never lowers urgency: a child with a CES flag is an emergency."""
        result = run(age=12, red_flags=flags(saddle_numbness=YES))
        assert result.disposition is D.EMERGENCY


class TestUnknownCombination:
    @pytest.mark.parametrize("flag", COMBO_FLAGS)
    @pytest.mark.parametrize("question", NERVE_QUESTIONS[:2])
    def test_unsure_flag_with_nerve_feature_is_urgent(
        self, flag: RedFlag, question: str
    ) -> None:
        """RF-UNKNOWN-COMBO: such a flag unknown while a nerve feature is yes."""
        result = run(red_flags=flags(**{flag.value: UNKNOWN}), **{question: YES})
        assert ids.RF_UNKNOWN_COMBO in fired(result)
        assert result.disposition is D.URGENT

    @pytest.mark.parametrize("flag", COMBO_FLAGS)
    def test_flag_with_unsure_nerve_question_is_urgent(self, flag: RedFlag) -> None:
        """RF-UNKNOWN-COMBO: such a flag yes while a nerve question is unknown."""
        result = run(red_flags=flags(**{flag.value: YES}), leg_pain_below_knee=UNKNOWN)
        assert ids.RF_UNKNOWN_COMBO in fired(result)
        assert urgency_rank(result.disposition) >= URGENT_RANK

    def test_unsure_flag_with_deficit_is_urgent(self) -> None:
        """RF-UNKNOWN-COMBO: cancer history unknown with a worsening deficit."""
        result = run(
            red_flags=flags(
                cancer_history=UNKNOWN, progressive_neurological_deficit=YES
            )
        )
        assert ids.RF_UNKNOWN_COMBO in fired(result)

    def test_weight_loss_unknown_with_a_nerve_feature_is_urgent(self) -> None:
        """RF-UNKNOWN-COMBO, safer reading: unexplained weight loss is a cancer
        flag, so "not sure" about it beside a nerve feature is urgent, not the
        medical review an unsure flag alone gets."""
        result = run(
            red_flags=flags(unexplained_weight_loss=UNKNOWN), leg_pain_below_knee=YES
        )
        assert ids.RF_UNKNOWN_COMBO in fired(result)
        assert result.disposition is D.URGENT

    def test_weight_loss_unknown_alone_is_a_medical_review(self) -> None:
        """Without a nerve feature, an unsure weight loss is RF-UNKNOWN's review."""
        result = run(red_flags=flags(unexplained_weight_loss=UNKNOWN))
        assert ids.RF_UNKNOWN_COMBO not in fired(result)
        assert result.disposition is D.MEDICAL_REVIEW


class TestWeakness:
    def test_new_weakness_is_urgent(self) -> None:
        """NV-WEAKNESS: leg or foot weakness, not known to be progressive, is urgent."""
        result = run(leg_or_foot_weakness=YES)
        assert result.disposition is D.URGENT
        assert fired(result) == [ids.NV_ROOT, ids.NV_WEAKNESS]
        assert result.entry_stage is None

    def test_progressive_weakness_is_rf_deficit(self) -> None:
        """Known to be getting worse: RF-DEFICIT, not NV-WEAKNESS."""
        result = run(
            leg_or_foot_weakness=YES,
            red_flags=flags(progressive_neurological_deficit=YES),
        )
        assert ids.NV_WEAKNESS not in fired(result)
        assert ids.RF_DEFICIT in fired(result)
        assert result.disposition is D.URGENT


class TestEntryWidened:
    @pytest.mark.parametrize(
        ("worst", "stage"),
        [
            (None, Stage.RESTORE_MOBILITY),
            (6, Stage.RESTORE_MOBILITY),
            (7, Stage.CALM_AND_UNLOAD),
            (10, Stage.CALM_AND_UNLOAD),
        ],
    )
    def test_worst_pain_boundary(self, worst: int | None, stage: Stage) -> None:
        """EN-CALM widened: worst pain in 24 h of 7 or more starts at stage 1."""
        result = run(pain_now=3, pain_worst_24h=worst)
        assert result.entry_stage is stage
        facts = dict(check(result, ids.EN_CALM).facts)
        assert facts["pain_worst_24h"] == worst
        assert facts["calm_entry_worst_pain"] == 7

    def test_custom_worst_pain_threshold_reaches_triage(self) -> None:
        """A lower calm_entry_worst_pain moves a worst pain of 6 to stage 1."""
        limits = Thresholds(calm_entry_worst_pain=6)
        result = triage(clear_intake(pain_now=3, pain_worst_24h=6), thresholds=limits)
        assert result.entry_stage is Stage.CALM_AND_UNLOAD
        assert dict(check(result, ids.EN_CALM).facts)["calm_entry_worst_pain"] == 6

    def test_worst_pain_threshold_cannot_be_raised_past_the_spec(self) -> None:
        """calm_entry_worst_pain above 7 is refused: 7 is the spec's cautious bound."""
        with pytest.raises(InvalidInput):
            Thresholds(calm_entry_worst_pain=8)


class TestSafetyNetV2:
    @pytest.mark.parametrize("answer", [YES, UNKNOWN])
    def test_cancer_history_adds_mscc_signs(self, answer: Answer) -> None:
        """Cancer history yes or unknown adds the cord compression warning signs."""
        result = run(red_flags=flags(cancer_history=answer))
        assert "safety_net.mscc" in result.safety_net_messages
        assert lowback.render("safety_net.mscc") in result.safety_net
        assert "difficulty walking" in result.safety_net
        assert result.safety_net_messages[-1] == "safety_net.general"

    def test_no_cancer_history_no_mscc_signs(self) -> None:
        """Without cancer history the MSCC paragraph is left out."""
        result = run(red_flags=flags(fever_or_unwell=UNKNOWN))
        assert "safety_net.mscc" not in result.safety_net_messages

    def test_muscles_named_only_for_muscle_dominant(self) -> None:
        """The self-care net says 'comes from muscles' only for muscle_dominant."""
        muscle = run()
        assert muscle.pain_pattern is PainPattern.MUSCLE_DOMINANT
        assert "comes from muscles" in muscle.safety_net
        unclear = run(
            pain_qualities=(), pressing_reproduces_pain=NO, eases_with_movement=NO
        )
        assert unclear.disposition is D.SELF_CARE
        assert unclear.pain_pattern is PainPattern.UNCLEAR
        assert "muscle" not in unclear.safety_net.lower().split("warning sign")[0]
        assert unclear.safety_net_message == "safety_net.self_care.unclear"

    @given(intakes)
    def test_muscles_never_named_unless_muscle_dominant(self, intake: Intake) -> None:
        """Spec 5.1: "The self-care safety net never says the pain 'comes from muscles' unless the pattern is `muscle_dominant`." """
        result = triage(intake)
        if result.pain_pattern is not PainPattern.MUSCLE_DOMINANT:
            assert "comes from muscles" not in result.safety_net

    @given(intakes)
    def test_mscc_signs_exactly_with_cancer_history(self, intake: Intake) -> None:
        """Spec 5.1: cancer history yes or unknown names the MSCC warning signs."""
        result = triage(intake)
        expected = intake.red_flags.cancer_history is not NO
        assert ("safety_net.mscc" in result.safety_net_messages) is expected


class TestInvariant14AtIntake:
    """Invariant 14 (intake half): "Any saddle-region symptom, any CES flag ... is
    never below `urgent`; CES features are `emergency` at intake"."""

    @given(intakes, thresholds)
    def test_invariant_14_saddle_region_never_below_urgent(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """Invariant 14: "Any saddle-region symptom ... is never below `urgent`"."""
        regions = tuple({*intake.pain_regions, BodyRegion.SADDLE})
        result = triage(attrs.evolve(intake, pain_regions=regions), thresholds=limits)
        assert urgency_rank(result.disposition) >= URGENT_RANK
        assert result.entry_stage is None

    @given(intakes, thresholds, st.sampled_from(sorted(CES_FLAGS)))
    def test_invariant_14_ces_flag_is_emergency(
        self, intake: Intake, limits: Thresholds, flag: RedFlag
    ) -> None:
        """Invariant 14: "any CES flag ... CES features are `emergency` at intake"."""
        answers = attrs.evolve(intake.red_flags, **{flag.value: YES})
        result = triage(attrs.evolve(intake, red_flags=answers), thresholds=limits)
        assert result.disposition is D.EMERGENCY

    @given(intakes, thresholds, st.sampled_from(sorted(NERVE_LIKE_QUALITIES)))
    def test_invariant_14_nerve_like_saddle_pain_is_emergency(
        self, intake: Intake, limits: Thresholds, quality: PainQuality
    ) -> None:
        """Invariant 14: "CES features are `emergency` at intake" (saddle + nerve-like)."""
        changed = attrs.evolve(
            intake,
            pain_regions=tuple({*intake.pain_regions, BodyRegion.SADDLE}),
            pain_qualities=tuple({*intake.pain_qualities, quality}),
        )
        assert triage(changed, thresholds=limits).disposition is D.EMERGENCY

    @given(intakes, thresholds, st.sampled_from(NERVE_QUESTIONS))
    def test_invariant_14_nerve_feature_in_both_legs_is_emergency(
        self, intake: Intake, limits: Thresholds, question: str
    ) -> None:
        """Invariant 14: "CES features are `emergency` at intake" (both legs)."""
        changes: dict[str, Any] = {question: YES, "leg_symptom_side": Side.BOTH}
        changed = attrs.evolve(intake, **changes)
        result = triage(changed, thresholds=limits)
        assert result.disposition is D.EMERGENCY
        assert RedFlag.BILATERAL_LEG_SYMPTOMS in result.red_flags

    @given(intakes, thresholds)
    def test_invariant_14_history_flag_with_nerve_feature_never_below_urgent(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """Invariant 14: "any remembered history flag combined with a new nerve feature or deficit ... is never below `urgent`" (at intake, the flag itself)."""
        result = triage(intake, thresholds=limits)
        history_yes = any(intake.red_flags[f] is YES for f in HISTORY_FLAGS)
        neuro = (
            YES in (getattr(intake, q) for q in NERVE_QUESTIONS)
            or intake.red_flags.progressive_neurological_deficit is YES
        )
        if history_yes and neuro:
            assert result.disposition is D.EMERGENCY


class TestChecks:
    @given(intakes, thresholds)
    def test_every_rule_evaluated_once_in_table_order(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """Spec 5.3: every triage rule appears once in checks, in evaluation order."""
        result = triage(intake, thresholds=limits)
        assert [c.id for c in result.checks] == [
            *RULE_PREDICATES,
            *ENTRY_PREDICATES,
        ]

    @given(intakes, thresholds)
    def test_fired_checks_are_the_fired_rules(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """A check is `fired` exactly when its rule is in `rules`; others `unmet`."""
        result = triage(intake, thresholds=limits)
        fired_checks = [c.id for c in result.checks if c.outcome is CheckOutcome.FIRED]
        assert sorted(fired_checks) == sorted(fired(result))
        assert all(
            c.outcome in (CheckOutcome.FIRED, CheckOutcome.UNMET) for c in result.checks
        )

    @given(intakes, thresholds)
    def test_checks_name_inputs_and_thresholds(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """Checks compare the intake's values and the thresholds actually used."""
        result = triage(intake, thresholds=limits)
        persist = dict(check(result, ids.RT_PERSIST).facts)
        assert persist == {
            "duration_days": intake.duration_days,
            "persistent_days": limits.persistent_days,
        }
        calm = dict(check(result, ids.EN_CALM).facts)
        assert calm["pain_now"] == intake.pain_now
        assert calm["calm_entry_pain"] == limits.calm_entry_pain
        assert calm["disposition"] == result.disposition.value
        assert dict(check(result, ids.RF_UNKNOWN).facts) == {
            flag.value: answer.value for flag, answer in intake.red_flags.items()
        }

    def test_self_never_fires_beside_another_rule(self) -> None:
        """SELF's check is unmet whenever another disposition rule fired."""
        result = run(fear_of_movement=YES)
        assert ids.SELF not in fired(result)
        assert dict(check(result, ids.SELF).facts) == {"other_rules_fired": 1}

    def test_cli_shows_compared_facts(self) -> None:
        """`lowback triage` prints, under each fired rule, what it compared."""
        text = format_triage(run(age=60, onset=Onset.AFTER_TRAUMA))
        assert "RF-FX-ONSET" in text
        assert "compared: onset after_trauma, age 60, risk modifier age 50" in text


#: What each grade_red_flags parameter's error says it expected.
EXPECTED_ARGUMENT = {
    "$.red_flags": "red_flags: expected AskedRedFlags",
    "$.nerve_features": "nerve_features: expected AskedNerveFeatures",
    "$.history": "history: expected HistoryFlags",
    "$.new_symptoms": "new_symptoms: expected a tuple of NerveFeature",
}


class TestGradeRedFlags:
    def test_spec_example_cancer_history_then_weakness_is_emergency(self) -> None:
        """Spec 5.2: cancer history at intake + new leg weakness at a check-in -> RF-MSCC."""
        grade = grade_red_flags(
            AskedRedFlags(),
            AskedNerveFeatures(leg_or_foot_weakness=YES),
            history=history(cancer_history=YES),
        )
        assert grade.disposition is D.EMERGENCY
        assert ids.RF_MSCC in fired(grade)
        facts = dict(next(c for c in grade.checks if c.id == ids.RF_MSCC).facts)
        assert facts["remembered_cancer_history"] == "yes"
        assert facts["cancer_history"] is None  # not asked that day

    def test_history_alone_does_not_pause_again(self) -> None:
        """Remembered flags alone fire nothing: a clinician has seen them."""
        grade = grade_red_flags(
            AskedRedFlags(),
            AskedNerveFeatures(leg_pain_below_knee=NO),
            history=history(cancer_history=YES, significant_trauma=YES),
        )
        assert grade.disposition is None
        assert grade.rules == ()
        assert grade.checks

    @pytest.mark.parametrize(
        ("remembered", "rule"),
        [
            ("infection_or_immunosuppression_history", ids.RF_INF_NEURO),
            ("minor_trauma_with_bone_fragility", ids.RF_FX_NEURO),
            ("significant_trauma", ids.RF_FX_NEURO),
        ],
    )
    def test_remembered_flags_combine_with_new_deficit(
        self, remembered: str, rule: str
    ) -> None:
        """A remembered flag + a worsening deficit that day is an emergency."""
        grade = grade_red_flags(
            AskedRedFlags(progressive_neurological_deficit=YES),
            AskedNerveFeatures(),
            history=history(**{remembered: YES}),
        )
        assert grade.disposition is D.EMERGENCY
        assert rule in fired(grade)

    def test_unsure_ces_flag_midplan_is_urgent(self) -> None:
        """Spec 5.2: "Not sure" on a CES flag mid-plan gives urgent, as at intake."""
        grade = grade_red_flags(
            AskedRedFlags(saddle_numbness=UNKNOWN),
            AskedNerveFeatures(),
            history=HistoryFlags.none(),
        )
        assert grade.disposition is D.URGENT
        assert ids.RF_UNKNOWN_CES in fired(grade)

    def test_unsure_history_with_new_nerve_feature_is_urgent(self) -> None:
        """RF-UNKNOWN-COMBO mid-plan: cancer history unknown + new leg pain."""
        grade = grade_red_flags(
            AskedRedFlags(),
            AskedNerveFeatures(leg_pain_below_knee=YES),
            history=history(cancer_history=UNKNOWN),
        )
        assert grade.disposition is D.URGENT
        assert ids.RF_UNKNOWN_COMBO in fired(grade)

    def test_session_symptom_counts_as_a_nerve_feature(self) -> None:
        """A session's new symptom counts like a yes (sharp shooting leg pain)."""
        grade = grade_red_flags(
            AskedRedFlags(),
            AskedNerveFeatures(),
            history=history(infection_or_immunosuppression_history=YES),
            new_symptoms=(NerveFeature.SHARP_SHOOTING_LEG_PAIN,),
        )
        assert grade.disposition is D.EMERGENCY

    def test_nothing_asked_nothing_fires(self) -> None:
        """No questions asked and no history: no rule fires."""
        grade = grade_red_flags(
            AskedRedFlags(), AskedNerveFeatures(), history=HistoryFlags.none()
        )
        assert grade.disposition is None
        assert all(c.outcome is CheckOutcome.UNMET for c in grade.checks)

    @pytest.mark.parametrize(
        ("args", "path"),
        [
            ((None, AskedNerveFeatures(), HistoryFlags.none(), ()), "$.red_flags"),
            ((AskedRedFlags(), "x", HistoryFlags.none(), ()), "$.nerve_features"),
            ((AskedRedFlags(), AskedNerveFeatures(), None, ()), "$.history"),
            ((AskedRedFlags(), AskedNerveFeatures(), HistoryFlags.none(), ["x"]),
             "$.new_symptoms"),
            # A tuple, but of plain strings rather than NerveFeature members.
            ((AskedRedFlags(), AskedNerveFeatures(), HistoryFlags.none(),
              ("leg_or_foot_weakness",)), "$.new_symptoms"),
        ],
    )  # fmt: skip
    def test_wrong_arguments_name_the_parameter(
        self, args: tuple[Any, ...], path: str
    ) -> None:
        """Each wrong argument is InvalidInput naming that parameter."""
        red, nerve, remembered, symptoms = args
        with pytest.raises(InvalidInput) as info:
            grade_red_flags(red, nerve, history=remembered, new_symptoms=symptoms)
        assert info.value.paths == (path,)
        (problem,) = info.value.problems
        assert problem.code == "wrong_type"
        assert problem.detail == EXPECTED_ARGUMENT[path]

    @given(asked_red_flags, asked_nerve_features, history_flags, new_symptoms)
    def test_invariant_14_midplan_history_with_new_neuro_never_below_urgent(
        self,
        red: AskedRedFlags,
        nerve: AskedNerveFeatures,
        remembered: HistoryFlags,
        symptoms: tuple[NerveFeature, ...],
    ) -> None:
        """Invariant 14: "Any saddle-region symptom, any CES flag, or any remembered history flag combined with a new nerve feature or deficit mid-plan is never below `urgent`; CES features are `emergency` at intake and mid-plan alike." """
        grade = grade_red_flags(red, nerve, history=remembered, new_symptoms=symptoms)
        rank = 0 if grade.disposition is None else urgency_rank(grade.disposition)
        neuro = (
            bool(symptoms)
            or bool(nerve.answered(YES))
            or red.progressive_neurological_deficit is YES
        )
        if neuro and any(answer is YES for _, answer in remembered.items()):
            assert grade.disposition is D.EMERGENCY
        if any(getattr(red, f.value) is YES for f in CES_FLAGS):
            assert grade.disposition is D.EMERGENCY
        if any(getattr(red, f.value) is UNKNOWN for f in CES_FLAGS):
            assert rank >= URGENT_RANK

    @given(asked_red_flags, asked_nerve_features, history_flags)
    def test_invariant_15_clearance_cannot_change_the_grade(
        self, red: AskedRedFlags, nerve: AskedNerveFeatures, remembered: HistoryFlags
    ) -> None:
        """Invariant 15: "the same check-in gives the same `seek_care` before and after a clearance" (the grade reads only the day and the history)."""
        first = grade_red_flags(red, nerve, history=remembered)
        second = grade_red_flags(red, nerve, history=remembered)
        assert first == second

    @given(intakes)
    def test_same_predicates_as_triage(self, intake: Intake) -> None:
        """Grading an intake's own answers fires the red-flag rules triage fires.

        Restricted to intakes without intake-only facts (regions, onset, age,
        self-checks, leg side), so both read the same answers.
        """
        plain = attrs.evolve(
            intake,
            age=30,
            onset=Onset.GRADUAL,
            pain_regions=(),
            pain_qualities=(),
            leg_symptom_side=None,
            self_checks=(),
        )
        grade = grade_red_flags(
            AskedRedFlags(**{f.value: a for f, a in plain.red_flags.items()}),
            AskedNerveFeatures(**{q: getattr(plain, q) for q in NERVE_QUESTIONS}),
            history=HistoryFlags.of(plain.red_flags),
        )
        graded = {c.id for c in grade.checks}
        from_triage = [r for r in fired(triage(plain)) if r in graded]
        assert fired(grade) == from_triage
        assert {c.id for c in grade.checks} >= {
            ids.RF_CES,
            ids.RF_MSCC,
            ids.RF_INF_NEURO,
            ids.RF_FX_NEURO,
            ids.NV_WEAKNESS,
        }
