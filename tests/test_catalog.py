"""The catalog is complete against the clinical spec and internally consistent."""

from __future__ import annotations

import enum
from typing import Any

import pytest

import lowback
from lowback import (
    EXERCISES,
    FINDINGS,
    IMBALANCES,
    MESSAGES,
    MUSCLES,
    RED_FLAGS,
    RULES,
    SOURCES,
    STAGE_PLANS,
    ExerciseKind,
    MuscleGroup,
    SourceId,
    Stage,
)
from lowback.catalog.exercises import exercises_for_muscle

# The wire values of clinical-spec.md section 1, verbatim. They are a contract
# with apps: a failure here means a value was renamed or dropped.
SPEC_VOCABULARY: dict[type[enum.Enum], set[str]] = {
    lowback.Answer: {"yes", "no", "unknown"},
    lowback.MuscleGroup: {
        "erector_spinae",
        "multifidus",
        "quadratus_lumborum",
        "gluteals",
        "hip_flexors",
        "deep_core",
        "hamstrings",
    },
    lowback.BodyRegion: {
        "low_back",
        "buttock",
        "hip",
        "flank",
        "groin",
        "thigh",
        "below_knee",
        "foot",
        "saddle",
    },
    lowback.Side: {"left", "right", "both", "central"},
    lowback.PainQuality: {
        "ache",
        "dull_ache",
        "tightness",
        "cramping",
        "pulling",
        "sharp",
        "electric",
        "shooting",
        "burning",
    },
    lowback.Onset: {"gradual", "sudden", "after_trauma"},
    lowback.RedFlag: {
        "bladder_or_bowel_change",
        "saddle_numbness",
        "bilateral_leg_symptoms",
        "progressive_neurological_deficit",
        "significant_trauma",
        "minor_trauma_with_bone_fragility",
        "fever_or_unwell",
        "unexplained_weight_loss",
        "cancer_history",
        "infection_or_immunosuppression_history",
    },
    lowback.Disposition: {
        "emergency",
        "urgent",
        "medical_review",
        "physio_referral",
        "self_care",
    },
    lowback.PainPattern: {"muscle_dominant", "nerve_involved", "mixed", "unclear"},
    lowback.SelfCheck: {"forward_bend", "backward_lean", "side_bend", "endurance_hold"},
    lowback.StopReason: {
        "sharp_shooting_pain",
        "strong_leg_symptoms",
        "dizziness",
        "felt_unwell",
    },
    lowback.SelfCheckFinding: {
        "asymmetric_guarding",
        "central_spine_pain",
        "hamstring_or_neural_tension",
        "extension_sensitive",
        "muscle_tightness",
        "supported_extension_tolerated",
        "side_bend_asymmetry",
        "ql_involvement",
        "low_extensor_endurance",
        "stopped_for_safety",
        "psychosocial_risk",
    },
    lowback.Stage: {
        "calm_and_unload",
        "restore_mobility",
        "strengthen_and_coordinate",
        "integrate",
        "maintain",
    },
    lowback.PlanStatus: {"active", "paused", "completed"},
    lowback.ExerciseId: {
        "legs_up_rest",
        "side_lying_pillow",
        "pelvic_tilt",
        "knee_rolls",
        "diaphragmatic_breathing",
        "isometric_hold",
        "short_walks",
        "cat_camel",
        "knee_to_chest_single",
        "knee_to_chest_double",
        "hip_flexor_stretch",
        "hamstring_stretch",
        "abdominal_brace",
        "glute_bridge",
        "bird_dog",
        "clamshell",
        "back_extension",
        "hip_hinge_lifting",
        "desk_breaks",
        "regular_activity",
    },
    lowback.NerveFeature: {
        "leg_pain_below_knee",
        "numbness_or_tingling_in_a_line",
        "leg_or_foot_weakness",
        "sharp_shooting_leg_pain",
    },
}

# Every rule ID of clinical-spec.md sections 2 and 3.
SPEC_RULE_IDS = {
    "RF-CES", "RF-MSCC", "RF-INF-NEURO", "RF-FX-NEURO", "RF-DEFICIT", "RF-TRAUMA",
    "RF-INF", "RF-CANCER", "RF-UNKNOWN", "NV-ROOT", "NV-UNKNOWN", "SC-STOP",
    "RT-PERSIST", "RT-FLARES", "RT-FEAR", "RT-REST", "SELF",
    "PR-REDFLAG", "PR-NERVE", "PR-CLEAR", "PR-SPIKE", "PR-ISO", "PR-ADVANCE",
    "PR-HOLD", "PR-GATE-1", "PR-GATE-2", "PR-GATE-3", "PR-GATE-4", "PR-TIME",
    "LD-MONITOR", "LD-PROGRESS", "LD-CAP", "LD-DELOAD", "LD-SETTLE", "LD-GAP",
    "LD-TIRED", "LD-ISO", "LD-DESK",
}  # fmt: skip


class TestVocabulary:
    @pytest.mark.parametrize("enum_type", SPEC_VOCABULARY, ids=lambda e: e.__name__)
    def test_every_spec_value_is_an_enum_value(
        self, enum_type: type[enum.Enum]
    ) -> None:
        """Every wire value of spec section 1 is a value of the matching enum."""
        values = {m.value for m in enum_type}
        assert SPEC_VOCABULARY[enum_type] <= values

    def test_enum_values_are_lowercase_snake_case(self) -> None:
        """Wire values are stable lowercase identifiers."""
        for enum_type in SPEC_VOCABULARY:
            for member in enum_type:
                assert member.value == member.value.lower()
                assert " " not in member.value

    def test_pain_qualities_split_into_muscle_and_nerve(self) -> None:
        """Each quality is exactly one of muscle-like or nerve-like."""
        for quality in lowback.PainQuality:
            assert quality.is_muscle_like != quality.is_nerve_like


class TestRuleCatalog:
    def test_every_spec_rule_is_in_the_catalog(self) -> None:
        """Every rule ID of spec sections 2-3 is in the catalog."""
        assert set(RULES) >= SPEC_RULE_IDS

    def test_every_rule_has_a_known_source(self) -> None:
        """Each catalog rule names at least one source, and each source exists."""
        for rule in RULES.values():
            assert rule.sources, rule.id
            assert all(s in SOURCES for s in rule.sources), rule.id

    def test_rule_ids_match_their_keys_and_prefixes(self) -> None:
        """Catalog keys are the rules' own IDs, with the family's prefix."""
        prefixes = {
            lowback.RuleKind.RED_FLAG: "RF-", lowback.RuleKind.NERVE: "NV-",
            lowback.RuleKind.SELF_CHECK: "SC-", lowback.RuleKind.ENTRY: "EN-",
            lowback.RuleKind.PROGRESSION: "PR-", lowback.RuleKind.LOAD: "LD-",
        }  # fmt: skip
        for rule_id, rule in RULES.items():
            assert rule.id == rule_id
            if rule.kind in prefixes:
                assert rule_id.startswith(prefixes[rule.kind])

    def test_triage_rules_have_a_disposition(self) -> None:
        """Red-flag, nerve, self-check and referral rules say what they give."""
        triage_kinds = {
            lowback.RuleKind.RED_FLAG, lowback.RuleKind.NERVE,
            lowback.RuleKind.SELF_CHECK, lowback.RuleKind.REFERRAL,
            lowback.RuleKind.SCOPE,
        }  # fmt: skip
        for rule in RULES.values():
            assert (rule.disposition is not None) == (rule.kind in triage_kinds), (
                rule.id
            )

    def test_ces_rule_is_emergency(self) -> None:
        """RF-CES gives the most urgent disposition."""
        assert RULES["RF-CES"].disposition is lowback.Disposition.EMERGENCY


class TestSources:
    def test_every_source_id_is_in_the_catalog(self) -> None:
        """SOURCES has an entry for every SourceId, under its own ID."""
        assert set(SOURCES) == set(SourceId)
        for source_id, source in SOURCES.items():
            assert source.id is source_id
            assert source.title
            assert source.locator

    def test_article_sections_are_prefixed(self) -> None:
        """Article sections are ``article:*``, and only they are."""
        for source in SOURCES.values():
            is_article = source.kind is lowback.catalog.sources.SourceKind.ARTICLE
            assert source.id.value.startswith("article:") == is_article

    def test_every_fact_record_names_a_source(self) -> None:
        """Muscles, imbalances, red flags, findings, exercises and stages cite sources."""
        records: list[Any] = [
            *MUSCLES.values(), *IMBALANCES, *RED_FLAGS.values(), *FINDINGS.values(),
            *EXERCISES.values(), *STAGE_PLANS.values(),
        ]  # fmt: skip
        for record in records:
            assert record.sources, record
            assert all(s in SOURCES for s in record.sources), record


class TestAnatomy:
    def test_every_group_is_described(self) -> None:
        """Each muscle group has where it is felt, its job and how it misbehaves."""
        assert set(MUSCLES) == set(MuscleGroup)
        for group, muscle in MUSCLES.items():
            assert muscle.group is group
            assert muscle.felt_at
            assert muscle.job
            assert muscle.misbehaves

    def test_article_referral_patterns(self) -> None:
        """QL, gluteals and the lumbar extensors carry their referral patterns."""
        for group in (
            MuscleGroup.QUADRATUS_LUMBORUM,
            MuscleGroup.GLUTEALS,
            MuscleGroup.ERECTOR_SPINAE,
        ):
            assert MUSCLES[group].referral

    def test_every_group_is_trained_by_an_exercise(self) -> None:
        """No muscle group is left without an exercise that trains it."""
        for group in MuscleGroup:
            assert exercises_for_muscle(group), group

    def test_three_imbalance_patterns(self) -> None:
        """The article's three imbalance patterns are present."""
        assert {i.id for i in IMBALANCES} == {
            "weak_glutes_tight_hip_flexors",
            "weak_deep_core",
            "left_right_asymmetry",
        }


class TestRedFlags:
    def test_every_flag_says_what_it_suggests(self) -> None:
        """Each red flag has an entry naming a suspected condition."""
        assert set(RED_FLAGS) == set(lowback.RedFlag)

    def test_ces_flags(self) -> None:
        """The three cauda equina flags are exactly the CES set."""
        assert {f.value for f in lowback.CES_FLAGS} == {
            "bladder_or_bowel_change",
            "saddle_numbness",
            "bilateral_leg_symptoms",
        }


class TestFindings:
    def test_every_finding_is_described(self) -> None:
        """Each finding says what it means and which muscles it implicates."""
        assert set(FINDINGS) == set(lowback.SelfCheckFinding)
        for finding, info in FINDINGS.items():
            assert info.finding is finding
            assert info.meaning

    def test_muscle_findings_implicate_muscles(self) -> None:
        """Findings about muscles name at least one muscle group."""
        not_muscle = {
            "central_spine_pain",
            "extension_sensitive",
            "stopped_for_safety",
            "psychosocial_risk",
        }
        for finding, info in FINDINGS.items():
            assert bool(info.implicates) == (finding.value not in not_muscle), finding


class TestExercises:
    def test_every_exercise_is_complete(self) -> None:
        """Each exercise has a stage, a dose, target muscles and instructions."""
        assert set(EXERCISES) == set(lowback.ExerciseId)
        for exercise_id, exercise in EXERCISES.items():
            assert exercise.id is exercise_id
            assert exercise.stages
            assert exercise.targets
            assert exercise.start.fits_within(exercise.goal)
            assert exercise.goal.fits_within(exercise.ceiling)

    def test_every_stage_has_a_plan(self) -> None:
        """Each stage has a goal and at least one session exercise."""
        assert set(STAGE_PLANS) == set(Stage)
        for stage, plan in STAGE_PLANS.items():
            assert plan.stage is stage
            assert plan.exercises

    def test_stage_plans_agree_with_exercise_stages(self) -> None:
        """An exercise appears in a stage's plan only if it belongs to that stage."""
        for stage, plan in STAGE_PLANS.items():
            for exercise_id in (*plan.exercises, *plan.habits):
                assert stage in EXERCISES[exercise_id].stages, (stage, exercise_id)

    def test_every_exercise_is_used_by_some_stage(self) -> None:
        """No exercise is orphaned: each appears in a stage plan."""
        used = {e for p in STAGE_PLANS.values() for e in (*p.exercises, *p.habits)}
        assert used == set(lowback.ExerciseId)

    def test_spec_stage_membership(self) -> None:
        """The spec's stage 1, 2 and 3 exercises are introduced in those stages."""
        spec = {
            Stage.CALM_AND_UNLOAD: {
                "legs_up_rest", "side_lying_pillow", "pelvic_tilt", "knee_rolls",
                "diaphragmatic_breathing", "isometric_hold", "short_walks",
            },
            Stage.RESTORE_MOBILITY: {
                "cat_camel", "knee_to_chest_single", "knee_to_chest_double",
                "hip_flexor_stretch", "hamstring_stretch",
            },
            Stage.STRENGTHEN_AND_COORDINATE: {
                "abdominal_brace", "glute_bridge", "bird_dog", "clamshell",
                "back_extension",
            },
            Stage.INTEGRATE: {"hip_hinge_lifting", "desk_breaks", "regular_activity"},
        }  # fmt: skip
        for stage, ids in spec.items():
            for exercise_id in ids:
                assert EXERCISES[lowback.ExerciseId(exercise_id)].stage is stage

    def test_article_doses(self) -> None:
        """The doses the article gives are the catalog's doses."""
        e, ids = EXERCISES, lowback.ExerciseId
        assert e[ids.KNEE_TO_CHEST_SINGLE].start.hold_seconds == 10.0
        assert e[ids.KNEE_TO_CHEST_SINGLE].ceiling.hold_seconds == 15.0
        assert (
            e[ids.GLUTE_BRIDGE].start.hold_seconds,
            e[ids.GLUTE_BRIDGE].ceiling.hold_seconds,
        ) == (3.0, 5.0)
        assert e[ids.GLUTE_BRIDGE].start.reps == 8
        assert (
            e[ids.BIRD_DOG].start.hold_seconds,
            e[ids.BIRD_DOG].ceiling.hold_seconds,
        ) == (5.0, 10.0)
        iso = e[ids.ISOMETRIC_HOLD]
        assert (iso.start.effort_percent, iso.ceiling.effort_percent) == (20, 30)
        assert (iso.start.hold_seconds, iso.ceiling.hold_seconds) == (8.0, 10.0)
        assert (iso.start.sets, iso.ceiling.sets) == (5, 6)
        assert iso.start.rest_seconds == 5.0

    def test_stage_three_target_dose(self) -> None:
        """Stage 3 strength work aims for 2-3 sets of 8-15 reps."""
        for exercise in EXERCISES.values():
            if exercise.kind is ExerciseKind.STRENGTH:
                assert (exercise.goal.sets, exercise.goal.reps) == (2, 8)
                assert (exercise.ceiling.sets, exercise.ceiling.reps) == (3, 15)

    def test_stage_one_has_no_stretches(self) -> None:
        """No end-range stretching in stage 1 (article, clinical note)."""
        for exercise_id in STAGE_PLANS[Stage.CALM_AND_UNLOAD].exercises:
            assert EXERCISES[exercise_id].kind is not ExerciseKind.STRETCH


class TestMessages:
    def test_every_message_id_used_exists(self) -> None:
        """Each message ID the catalogs refer to is in MESSAGES."""
        used = {"self_check.stop_rule", "self_check.not_an_exam"}
        for exercise in EXERCISES.values():
            used |= {exercise.how, *exercise.cues, *exercise.cautions}
        for plan in STAGE_PLANS.values():
            used |= {plan.goal, *plan.messages}
        used |= {f"disposition.{d.value}" for d in lowback.Disposition}
        used |= {f"safety_net.{d.value}" for d in lowback.Disposition}
        assert lowback.catalog.messages.missing_from(MESSAGES, used) == frozenset()

    def test_render_uses_the_given_catalog(self) -> None:
        """A translated catalog replaces the default wording."""
        assert lowback.render("mindset.trainable", {"mindset.trainable": "x"}) == "x"

    def test_missing_from_lists_untranslated_ids(self) -> None:
        """missing_from reports the IDs a translation lacks."""
        assert lowback.catalog.messages.missing_from({}) == frozenset(MESSAGES)
