"""Example tests for the triage engine: one per rule, pattern and entry stage."""

from __future__ import annotations

import importlib
from typing import Any

import attrs
import pytest

import lowback
from lowback import (
    CES_FLAGS,
    RULES,
    RULESET_VERSION,
    Answer,
    BodyRegion,
    Disposition,
    EnduranceHoldResult,
    ForwardBendResult,
    Intake,
    InvalidInput,
    PainPattern,
    PainQuality,
    PlanStatus,
    RedFlag,
    RedFlagAnswers,
    RuleKind,
    SelfCheckFinding,
    Side,
    Stage,
    StopReason,
    Thresholds,
    TriageResult,
    triage,
)
from lowback.engine.triage import ENTRY_PREDICATES, RULE_PREDICATES, TRIAGE_KINDS
from strategies import clear_intake

YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN
D = Disposition

#: Spec 2, written out independently of the engine: what each flag alone gives.
FLAG_ALONE: dict[RedFlag, tuple[Disposition, set[str]]] = {
    RedFlag.BLADDER_OR_BOWEL_CHANGE: (D.EMERGENCY, {"RF-CES"}),
    RedFlag.SADDLE_NUMBNESS: (D.EMERGENCY, {"RF-CES"}),
    RedFlag.BILATERAL_LEG_SYMPTOMS: (D.EMERGENCY, {"RF-CES"}),
    RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT: (D.URGENT, {"RF-DEFICIT"}),
    RedFlag.SIGNIFICANT_TRAUMA: (D.URGENT, {"RF-TRAUMA"}),
    RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY: (D.URGENT, {"RF-TRAUMA"}),
    RedFlag.FEVER_OR_UNWELL: (D.URGENT, {"RF-INF"}),
    RedFlag.UNEXPLAINED_WEIGHT_LOSS: (D.URGENT, {"RF-CANCER"}),
    RedFlag.CANCER_HISTORY: (D.URGENT, {"RF-CANCER"}),
    RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY: (D.URGENT, {"RF-INF"}),
}


def flags(**answers: Answer) -> RedFlagAnswers:
    """All red flags answered no, except *answers*."""
    return RedFlagAnswers.all_no(**answers)


def fired(result: TriageResult) -> list[str]:
    """The IDs of the rules that fired, in order."""
    return [rule.id for rule in result.rules]


def run(**changes: Any) -> TriageResult:
    """Triage the clear intake with *changes*."""
    return triage(clear_intake(**changes))


def stopped(reason: StopReason) -> tuple[ForwardBendResult]:
    """A single forward bend stopped for *reason*."""
    return (ForwardBendResult(stopped=reason),)


class TestRuleTable:
    def test_every_triage_rule_has_exactly_one_predicate(self) -> None:
        """Each catalog rule of the triage kinds is in exactly one predicate table."""
        kinds = {
            RuleKind.RED_FLAG, RuleKind.NERVE, RuleKind.SELF_CHECK,
            RuleKind.REFERRAL, RuleKind.ENTRY, RuleKind.SCOPE,
        }  # fmt: skip
        assert kinds == TRIAGE_KINDS
        catalog = {rule_id for rule_id, rule in RULES.items() if rule.kind in kinds}
        tables = list(RULE_PREDICATES) + list(ENTRY_PREDICATES)
        assert len(tables) == len(set(tables))
        assert set(tables) == catalog

    def test_a_drifted_table_fails_at_import(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The import-time check refuses a table missing a catalog rule."""
        module = importlib.import_module("lowback.engine.triage")
        monkeypatch.setattr(module, "ENTRY_PREDICATES", {})
        with pytest.raises(lowback.InvalidDefinition):
            module._check_tables()

    def test_disposition_rules_give_a_disposition(self) -> None:
        """Every rule in the disposition table says what it gives; entry rules do not."""
        assert all(RULES[r].disposition is not None for r in RULE_PREDICATES)
        assert all(RULES[r].disposition is None for r in ENTRY_PREDICATES)

    def test_safer_rules_are_cited(self) -> None:
        """The added rules name IFOMPT and give what the safer reading says."""
        assert RULES["RF-UNKNOWN-CES"].disposition is D.URGENT
        assert lowback.SourceId.IFOMPT_2020 in RULES["RF-UNKNOWN-CES"].sources
        assert lowback.SourceId.IFOMPT_2020 in RULES["RF-AGE"].sources


class TestClearIntake:
    def test_clear_intake_is_self_care(self) -> None:
        """No flag, nerve feature or trigger: self-care, SELF, active plan."""
        result = run()
        assert result.disposition is D.SELF_CARE
        assert fired(result)[0] == "SELF"
        assert result.red_flags == ()
        assert result.unknown_answers == ()
        assert result.plan_status is PlanStatus.ACTIVE
        assert result.ruleset_version == RULESET_VERSION

    def test_fired_rules_carry_catalog_sources(self) -> None:
        """Each fired rule carries its catalog sources."""
        for rule in run(fear_of_movement=YES).rules:
            assert rule.sources == RULES[rule.id].sources

    def test_same_intake_same_result(self) -> None:
        """Triage is deterministic: equal results and equal reprs."""
        intake = clear_intake(leg_or_foot_weakness=UNKNOWN, fear_of_movement=YES)
        assert triage(intake) == triage(intake)
        assert repr(triage(intake)) == repr(triage(intake))


class TestRedFlags:
    @pytest.mark.parametrize("flag", list(RedFlag), ids=str)
    def test_each_flag_alone(self, flag: RedFlag) -> None:
        """One flag answered yes gives the spec's tier and rule, and starts no plan."""
        result = run(red_flags=flags(**{flag.value: YES}))
        disposition, rules = FLAG_ALONE[flag]
        assert result.disposition is disposition
        assert rules <= set(fired(result))
        assert result.red_flags == (flag,)
        assert result.entry_stage is None
        assert result.plan_status is None
        assert "SELF" not in fired(result)

    @pytest.mark.parametrize("flag", list(RedFlag), ids=str)
    def test_each_flag_unknown_alone(self, flag: RedFlag) -> None:
        """One flag answered unknown needs a clinician and is listed by path."""
        result = run(red_flags=flags(**{flag.value: UNKNOWN}))
        assert "RF-UNKNOWN" in fired(result)
        assert result.unknown_answers == (f"$.red_flags.{flag.value}",)
        assert result.red_flags == ()
        if flag in CES_FLAGS:
            assert result.disposition is D.URGENT
            assert "RF-UNKNOWN-CES" in fired(result)
            assert result.entry_stage is None
        else:
            assert result.disposition is D.MEDICAL_REVIEW
            assert "RF-UNKNOWN-CES" not in fired(result)
            assert result.entry_stage is Stage.CALM_AND_UNLOAD
            assert result.plan_status is PlanStatus.PAUSED

    @pytest.mark.parametrize(
        ("flag", "rule"),
        [
            (RedFlag.CANCER_HISTORY, "RF-MSCC"),
            (RedFlag.FEVER_OR_UNWELL, "RF-INF-NEURO"),
            (RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY, "RF-INF-NEURO"),
            (RedFlag.SIGNIFICANT_TRAUMA, "RF-FX-NEURO"),
        ],
    )
    def test_flag_with_nerve_feature_is_emergency(
        self, flag: RedFlag, rule: str
    ) -> None:
        """Cancer, infection or significant trauma with a nerve feature: emergency."""
        result = run(red_flags=flags(**{flag.value: YES}), leg_or_foot_weakness=YES)
        assert result.disposition is D.EMERGENCY
        assert rule in fired(result)
        assert "NV-ROOT" in fired(result)

    def test_cancer_with_progressive_deficit_is_mscc(self) -> None:
        """Cancer history with a worsening deficit is suspected cord compression."""
        result = run(
            red_flags=flags(cancer_history=YES, progressive_neurological_deficit=YES)
        )
        assert result.disposition is D.EMERGENCY
        assert {"RF-MSCC", "RF-DEFICIT", "RF-CANCER"} <= set(fired(result))

    def test_minor_trauma_with_nerve_feature_is_an_emergency(self) -> None:
        """v2 (5.1): minor trauma in fragile bone with a nerve feature is RF-FX-NEURO."""
        result = run(
            red_flags=flags(minor_trauma_with_bone_fragility=YES),
            leg_pain_below_knee=YES,
        )
        assert result.disposition is D.EMERGENCY
        assert "RF-FX-NEURO" in fired(result)

    def test_nerve_feature_without_flag_is_not_an_emergency(self) -> None:
        """A nerve feature on its own needs medical review, not emergency care."""
        assert run(leg_pain_below_knee=YES).disposition is D.MEDICAL_REVIEW

    def test_flags_listed_in_catalog_order(self) -> None:
        """Red flags found are listed in RedFlag order, whatever else fired."""
        result = run(red_flags=flags(cancer_history=YES, saddle_numbness=YES))
        assert result.red_flags == (RedFlag.SADDLE_NUMBNESS, RedFlag.CANCER_HISTORY)


class TestAgeModifier:
    @pytest.mark.parametrize(
        "flag",
        [RedFlag.CANCER_HISTORY, RedFlag.SIGNIFICANT_TRAUMA,
         RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY],
    )  # fmt: skip
    def test_age_50_with_cancer_or_trauma_is_surfaced(self, flag: RedFlag) -> None:
        """Age 50+ with cancer history or trauma fires RF-AGE beside the flag's rule."""
        result = run(age=50, red_flags=flags(**{flag.value: YES}))
        assert "RF-AGE" in fired(result)
        assert result.disposition is D.URGENT

    @pytest.mark.parametrize("age", [None, 49])
    def test_younger_or_unknown_age_adds_nothing(self, age: int | None) -> None:
        """Below 50, or age not given, RF-AGE does not fire."""
        result = run(age=age, red_flags=flags(cancer_history=YES))
        assert "RF-AGE" not in fired(result)

    def test_age_alone_is_never_a_flag(self) -> None:
        """Age on its own changes nothing (spec 1.4: never alone)."""
        assert run(age=90).disposition is D.SELF_CARE
        assert "RF-AGE" not in fired(run(age=90, red_flags=flags(fever_or_unwell=YES)))


class TestBilateralNerveFeatures:
    def test_nerve_features_in_both_legs_are_ces(self) -> None:
        """Safer reading: nerve features in both legs fire RF-CES though the flag is no."""
        result = run(numbness_or_tingling_in_a_line=YES, leg_symptom_side=Side.BOTH)
        assert result.disposition is D.EMERGENCY
        assert "RF-CES" in fired(result)
        assert RedFlag.BILATERAL_LEG_SYMPTOMS in result.red_flags

    @pytest.mark.parametrize("side", [Side.LEFT, Side.RIGHT, Side.CENTRAL, None])
    def test_one_sided_nerve_features_are_not_ces(self, side: Side | None) -> None:
        """Nerve features in one leg need medical review, not emergency care."""
        result = run(leg_pain_below_knee=YES, leg_symptom_side=side)
        assert result.disposition is D.MEDICAL_REVIEW
        assert "RF-CES" not in fired(result)

    def test_both_sides_without_nerve_features_is_not_ces(self) -> None:
        """A side of both with no nerve feature raises nothing by itself."""
        assert run(leg_symptom_side=Side.BOTH).disposition is D.SELF_CARE

    def test_unsure_nerve_answer_in_both_legs_is_urgent(self) -> None:
        """Safer reading: an unsure nerve answer with both legs affected is same-day."""
        result = run(leg_pain_below_knee=UNKNOWN, leg_symptom_side=Side.BOTH)
        assert result.disposition is D.URGENT
        assert "RF-UNKNOWN-CES" in fired(result)


class TestNerveFeatures:
    @pytest.mark.parametrize(
        "question",
        # leg_or_foot_weakness is urgent in v2 (NV-WEAKNESS): see test_triage_v2.py.
        ["leg_pain_below_knee", "numbness_or_tingling_in_a_line"],
    )
    def test_each_nerve_answer_yes(self, question: str) -> None:
        """Each nerve question answered yes fires NV-ROOT: medical review, paused plan."""
        result = run(**{question: YES})
        assert result.disposition is D.MEDICAL_REVIEW
        assert "NV-ROOT" in fired(result)
        assert result.entry_stage is Stage.CALM_AND_UNLOAD
        assert result.plan_status is PlanStatus.PAUSED
        assert fired(result)[-1] == "EN-PAUSED"

    @pytest.mark.parametrize(
        "question",
        [
            "leg_pain_below_knee",
            "numbness_or_tingling_in_a_line",
            "leg_or_foot_weakness",
        ],
    )
    def test_each_nerve_answer_unknown(self, question: str) -> None:
        """Each nerve question answered unknown fires NV-UNKNOWN and is listed."""
        result = run(**{question: UNKNOWN})
        assert result.disposition is D.MEDICAL_REVIEW
        assert "NV-UNKNOWN" in fired(result)
        assert "NV-ROOT" not in fired(result)
        assert result.unknown_answers == (f"$.{question}",)

    @pytest.mark.parametrize(
        "quality",
        [
            PainQuality.SHARP,
            PainQuality.ELECTRIC,
            PainQuality.SHOOTING,
            PainQuality.BURNING,
        ],
    )
    @pytest.mark.parametrize("region", [BodyRegion.THIGH, BodyRegion.BELOW_KNEE,
                                        BodyRegion.FOOT])  # fmt: skip
    def test_nerve_like_quality_in_a_leg(
        self, quality: PainQuality, region: BodyRegion
    ) -> None:
        """Nerve-like pain felt in a leg region is a nerve feature."""
        result = run(
            pain_qualities=(quality,), pain_regions=(BodyRegion.LOW_BACK, region)
        )
        assert "NV-ROOT" in fired(result)

    def test_nerve_like_quality_in_the_back_only(self) -> None:
        """Sharp pain in the back and buttock alone is not a nerve feature."""
        result = run(
            pain_qualities=(PainQuality.SHARP,),
            pain_regions=(BodyRegion.LOW_BACK, BodyRegion.BUTTOCK),
        )
        assert "NV-ROOT" not in fired(result)
        assert result.disposition is D.SELF_CARE


class TestSelfCheckStop:
    @pytest.mark.parametrize(
        "reason", [StopReason.SHARP_SHOOTING_PAIN, StopReason.STRONG_LEG_SYMPTOMS]
    )
    def test_stop_for_leg_symptoms_is_a_nerve_feature(self, reason: StopReason) -> None:
        """Stopping for leg symptoms or shooting pain fires SC-STOP and NV-ROOT."""
        result = run(self_checks=stopped(reason))
        assert {"SC-STOP", "NV-ROOT"} <= set(fired(result))
        assert result.disposition is D.MEDICAL_REVIEW
        assert result.pain_pattern is PainPattern.MIXED
        assert result.stop_reasons == (reason,)
        assert SelfCheckFinding.STOPPED_FOR_SAFETY in result.findings

    @pytest.mark.parametrize("reason", [StopReason.DIZZINESS, StopReason.FELT_UNWELL])
    def test_stop_for_feeling_unwell_needs_review(self, reason: StopReason) -> None:
        """Stopping for dizziness or feeling unwell fires SC-STOP, not NV-ROOT."""
        result = run(self_checks=stopped(reason))
        assert "SC-STOP" in fired(result)
        assert "NV-ROOT" not in fired(result)
        assert result.disposition is D.MEDICAL_REVIEW
        assert result.plan_status is PlanStatus.PAUSED

    def test_shooting_stop_with_cancer_history_is_mscc(self) -> None:
        """A nerve-reason stop counts as a nerve feature for RF-MSCC too."""
        result = run(
            red_flags=flags(cancer_history=YES),
            self_checks=stopped(StopReason.STRONG_LEG_SYMPTOMS),
        )
        assert result.disposition is D.EMERGENCY
        assert "RF-MSCC" in fired(result)


class TestReferralTriggers:
    @pytest.mark.parametrize(
        ("question", "rule"),
        [("frequent_flare_ups", "RT-FLARES"), ("fear_of_movement", "RT-FEAR"),
         ("rest_without_relief", "RT-REST")],
    )  # fmt: skip
    def test_each_trigger_yes(self, question: str, rule: str) -> None:
        """Each trigger answered yes adds a physiotherapist; the plan still starts."""
        result = run(**{question: YES})
        assert result.disposition is D.PHYSIO_REFERRAL
        assert rule in fired(result)
        assert "SELF" not in fired(result)
        assert result.plan_status is PlanStatus.ACTIVE

    @pytest.mark.parametrize(
        "question", ["frequent_flare_ups", "fear_of_movement", "rest_without_relief"]
    )
    def test_each_trigger_unknown_changes_nothing(self, question: str) -> None:
        """A trigger answered unknown changes nothing but is listed."""
        result = run(**{question: UNKNOWN})
        assert result.disposition is D.SELF_CARE
        assert result.unknown_answers == (f"$.{question}",)

    def test_persistent_episode(self) -> None:
        """Longer than 42 days (default) fires RT-PERSIST; 42 exactly does not."""
        assert "RT-PERSIST" in fired(run(duration_days=43))
        assert run(duration_days=43).disposition is D.PHYSIO_REFERRAL
        assert "RT-PERSIST" not in fired(run(duration_days=42))

    def test_persistent_days_threshold(self) -> None:
        """An app may refer earlier with a lower persistent_days."""
        result = triage(
            clear_intake(duration_days=29), thresholds=Thresholds(persistent_days=28)
        )
        assert "RT-PERSIST" in fired(result)


class TestEntryStage:
    def test_high_pain_starts_at_stage_one(self) -> None:
        """Pain of 5 or more starts at calm_and_unload (EN-CALM)."""
        result = run(pain_now=5)
        assert result.entry_stage is Stage.CALM_AND_UNLOAD
        assert "EN-CALM" in fired(result)

    def test_low_pain_starts_at_stage_two(self) -> None:
        """Pain of 4 or less without spasm starts at restore_mobility (EN-MOBILITY)."""
        result = run(pain_now=4, pain_worst_24h=6)
        assert result.entry_stage is Stage.RESTORE_MOBILITY
        assert result.plan_status is PlanStatus.ACTIVE
        assert "EN-MOBILITY" in fired(result)

    @pytest.mark.parametrize("spasm", [YES, UNKNOWN])
    def test_spasm_or_unsure_spasm_starts_at_stage_one(self, spasm: Answer) -> None:
        """Spasm, or not being sure about it, starts at calm_and_unload."""
        result = run(pain_now=0, muscle_spasm_or_stuck=spasm)
        assert result.entry_stage is Stage.CALM_AND_UNLOAD

    def test_calm_entry_threshold(self) -> None:
        """A lower calm_entry_pain moves a pain of 3 to stage 1."""
        result = triage(
            clear_intake(pain_now=3), thresholds=Thresholds(calm_entry_pain=3)
        )
        assert result.entry_stage is Stage.CALM_AND_UNLOAD

    def test_referral_keeps_the_staged_entry(self) -> None:
        """A physio referral starts the plan at the same stage self-care would."""
        result = run(pain_now=2, pain_worst_24h=None, fear_of_movement=YES)
        assert result.entry_stage is Stage.RESTORE_MOBILITY

    def test_exactly_one_entry_rule_when_a_plan_starts(self) -> None:
        """A plan names exactly one entry rule, last in the fired list."""
        result = run(pain_now=7)
        assert [r for r in fired(result) if r.startswith("EN-")] == ["EN-CALM"]
        assert fired(result)[-1] == "EN-CALM"


class TestPainPattern:
    @pytest.mark.parametrize(
        ("changes", "pattern"),
        [
            ({}, PainPattern.MUSCLE_DOMINANT),
            ({"leg_pain_below_knee": YES, "pain_qualities": (), "pressing_reproduces_pain": NO,
              "eases_with_movement": NO}, PainPattern.NERVE_INVOLVED),
            ({"leg_pain_below_knee": YES}, PainPattern.MIXED),
            ({"pain_qualities": (), "pressing_reproduces_pain": NO,
              "eases_with_movement": UNKNOWN}, PainPattern.UNCLEAR),
        ],
        ids=["muscle", "nerve", "mixed", "unclear"],
    )  # fmt: skip
    def test_pattern(self, changes: dict[str, Any], pattern: PainPattern) -> None:
        """Muscle features against nerve features decide the pattern (spec 2)."""
        assert run(**changes).pain_pattern is pattern

    @pytest.mark.parametrize(
        "changes",
        [{"pain_qualities": (PainQuality.PULLING,)},
         {"pressing_reproduces_pain": YES}, {"eases_with_movement": YES}],
    )  # fmt: skip
    def test_each_muscle_feature_alone(self, changes: dict[str, Any]) -> None:
        """Any one muscle feature is enough for muscle_dominant."""
        base = {"pain_qualities": (), "pressing_reproduces_pain": NO,
                "eases_with_movement": NO}  # fmt: skip
        assert run(**(base | changes)).pain_pattern is PainPattern.MUSCLE_DOMINANT

    def test_posture_does_not_decide(self) -> None:
        """Worse with sustained posture alone is context, not a muscle feature."""
        result = run(
            pain_qualities=(), pressing_reproduces_pain=NO, eases_with_movement=NO,
            worse_with_sustained_posture=YES,
        )  # fmt: skip
        assert result.pain_pattern is PainPattern.UNCLEAR


class TestUnknownAnswers:
    def test_paths_in_field_then_check_order(self) -> None:
        """Unknowns are listed in intake field order, red flags inline, checks last."""
        hold = EnduranceHoldResult(
            hold_seconds=12.0, shaking_early=UNKNOWN, cramped=UNKNOWN
        )
        bend = ForwardBendResult(
            one_side_tighter=NO, pull_in_muscles=NO, pain_in_centre_of_spine=NO,
            knee_bend_eases=UNKNOWN,
        )  # fmt: skip
        result = run(
            rest_without_relief=UNKNOWN, muscle_spasm_or_stuck=UNKNOWN,
            red_flags=flags(fever_or_unwell=UNKNOWN), self_checks=(hold, bend),
        )  # fmt: skip
        assert result.unknown_answers == (
            "$.muscle_spasm_or_stuck",
            "$.red_flags.fever_or_unwell",
            "$.rest_without_relief",
            "$.self_checks[0].shaking_early",
            "$.self_checks[0].cramped",
            "$.self_checks[1].knee_bend_eases",
        )


class TestSafetyNet:
    @pytest.mark.parametrize(
        "changes",
        [{}, {"fear_of_movement": YES}, {"leg_pain_below_knee": YES},
         {"red_flags": flags(saddle_numbness=YES)}],
    )  # fmt: skip
    def test_every_result_has_a_safety_net(self, changes: dict[str, Any]) -> None:
        """Each disposition's safety net is rendered, followed by the general one."""
        result = run(**changes)
        specific = f"safety_net.{result.disposition.value}"
        assert result.safety_net_message == specific
        assert result.safety_net_messages == (specific, "safety_net.general")
        assert result.safety_net.startswith(lowback.render(specific))
        assert result.safety_net.endswith(lowback.render("safety_net.general"))


class TestInvalidInput:
    def test_not_an_intake(self) -> None:
        """Anything but an Intake is InvalidInput at the root."""
        with pytest.raises(InvalidInput) as info:
            triage({"pain_now": 3})  # type: ignore[arg-type]
        assert info.value.paths == ("$",)

    def test_not_thresholds(self) -> None:
        """Thresholds of the wrong type are InvalidInput, not a crash."""
        with pytest.raises(InvalidInput) as info:
            triage(clear_intake(), thresholds={"persistent_days": 1})  # type: ignore[arg-type]
        assert info.value.paths == ("$.thresholds",)

    def test_result_validates_its_fields(self) -> None:
        """A TriageResult refuses a raw string where a Disposition belongs."""
        good = run()
        with pytest.raises(InvalidInput):
            attrs.evolve(good, disposition="self_care")  # type: ignore[arg-type]

    def test_intake_type_is_exported(self) -> None:
        """triage is re-exported from the facade beside Intake."""
        assert lowback.triage is triage
        assert isinstance(clear_intake(), Intake)
