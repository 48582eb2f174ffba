"""LD-CAUTION: self-check findings and leg symptoms shape the plan (spec 5.2)."""

from __future__ import annotations

import json

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import strategies as sts
from lowback import (
    EXERCISES,
    Answer,
    ClinicianCleared,
    ClinicianOverride,
    Journal,
    PlanStatus,
    Prescription,
    Stage,
    dumps,
    json_schema,
    loads,
    prescription,
    replay,
    start_plan,
    step,
)
from lowback._demo import demo_journal, narrate
from lowback.catalog.events import SelfCheckRecorded
from lowback.catalog.exercises import STAGE_PLANS, ExerciseId
from lowback.catalog.messages import render
from lowback.catalog.self_checks import BackwardLeanResult, SelfCheckFinding
from lowback.catalog.symptoms import NerveFeature, PainPattern
from lowback.engine.plan import PlanState
from progression_helpers import DAY0, day, session, started, triage_result

BACK_EXT = ExerciseId.BACK_EXTENSION
KNEES = {ExerciseId.KNEE_TO_CHEST_SINGLE, ExerciseId.KNEE_TO_CHEST_DOUBLE}
EXT_STAGE = next(s for s, p in STAGE_PLANS.items() if BACK_EXT in p.exercises)
KNEE_STAGE = next(s for s, p in STAGE_PLANS.items() if KNEES & set(p.exercises))


def pinch(n: int) -> SelfCheckRecorded:
    """A backward lean with a pinch in one spot on day *n*."""
    lean = BackwardLeanResult(
        pinch_in_one_spot=Answer.YES,
        feels_like_muscle_stretch=Answer.NO,
        hand_support_eases=Answer.NO,
    )
    return SelfCheckRecorded(date=day(n), results=(lean,))


def cleared(n: int, stage: Stage) -> ClinicianCleared:
    return ClinicianCleared(date=day(n), clinician="c", note="n", resume_stage=stage)


def planned(state: PlanState) -> set[ExerciseId]:
    return {d.exercise for d in state.planned}


def rule_ids(decision: object) -> list[str]:
    return [r.id for r in decision.rules]  # type: ignore[attr-defined]


class TestExtensionSensitive:
    def test_intake_finding_removes_back_extension(self) -> None:
        result = attrs.evolve(
            triage_result(entry_stage=EXT_STAGE),
            findings=(SelfCheckFinding.EXTENSION_SENSITIVE,),
        )
        state, decision = start_plan(result, date=DAY0, entry_pain=2)
        assert BACK_EXT in state.excluded
        assert BACK_EXT not in planned(state)
        assert BACK_EXT not in {d.exercise for d in decision.doses}
        assert "LD-CAUTION" in rule_ids(decision)

    def test_self_check_removes_it_until_a_clinician_clears(self) -> None:
        state = started(EXT_STAGE, pain=2)
        assert BACK_EXT in planned(state)
        state, decision = step(state, pinch(1))
        assert BACK_EXT not in planned(state)
        assert "LD-CAUTION" in rule_ids(decision)
        state, decision = step(state, session(state, 2))
        assert BACK_EXT not in planned(state)
        assert "LD-CAUTION" not in rule_ids(decision)
        state, _ = step(state, cleared(3, EXT_STAGE))
        assert BACK_EXT in planned(state)
        assert not state.excluded


class TestLegSymptoms:
    def test_leg_symptoms_at_intake_remove_knee_to_chest(self) -> None:
        result = attrs.evolve(
            triage_result(entry_stage=KNEE_STAGE),
            pain_pattern=PainPattern.NERVE_INVOLVED,
        )
        state, decision = start_plan(result, date=DAY0, entry_pain=2)
        assert state.excluded >= KNEES
        assert not KNEES & planned(state)
        assert "LD-CAUTION" in rule_ids(decision)

    def test_leg_symptoms_and_the_extension_finding_remove_all_three(self) -> None:
        """Both reasons at intake: the knee-to-chest stretches and the back
        extension are all left out."""
        result = attrs.evolve(
            triage_result(entry_stage=KNEE_STAGE),
            pain_pattern=PainPattern.NERVE_INVOLVED,
            findings=(SelfCheckFinding.EXTENSION_SENSITIVE,),
        )
        state, _ = start_plan(result, date=DAY0, entry_pain=2)
        assert state.excluded == KNEES | {BACK_EXT}

    def test_muscle_pain_keeps_them(self) -> None:
        state = started(KNEE_STAGE, pain=2)
        assert KNEES & planned(state)
        assert not state.excluded

    def test_new_leg_symptoms_remove_them_for_good(self) -> None:
        state = started(KNEE_STAGE, pain=2)
        new = (NerveFeature.SHARP_SHOOTING_LEG_PAIN,)
        state, decision = step(state, session(state, 1, new=new))
        assert state.excluded >= KNEES
        assert "LD-CAUTION" in rule_ids(decision)
        # A clearance resumes the plan but leg symptoms keep them out.
        state, _ = step(state, cleared(2, KNEE_STAGE))
        assert KNEE_STAGE is state.stage
        assert not KNEES & planned(state)


_EVENTS = st.sampled_from(["pinch", "legs", "clear", "override", "session"])


class TestNeverPlanned:
    @given(
        stage=st.sampled_from(list(Stage)),
        findings=st.sets(st.sampled_from(list(SelfCheckFinding))),
        pattern=st.sampled_from(list(PainPattern)),
        events=st.lists(st.tuples(_EVENTS, st.sampled_from(list(Stage))), max_size=6),
    )
    def test_plan_never_lists_an_excluded_exercise(
        self,
        stage: Stage,
        findings: set[SelfCheckFinding],
        pattern: PainPattern,
        events: list[tuple[str, Stage]],
    ) -> None:
        """LD-CAUTION: an excluded exercise is never planned, and leg symptoms
        keep the knee-to-chest stretches out for the plan's whole life."""
        result = attrs.evolve(
            triage_result(entry_stage=stage),
            findings=tuple(f for f in SelfCheckFinding if f in findings),
            pain_pattern=pattern,
        )
        state, decision = start_plan(result, date=DAY0, entry_pain=2)
        legs = pattern in {PainPattern.NERVE_INVOLVED, PainPattern.MIXED}
        for n, (kind, target) in enumerate(events, start=1):
            if kind == "pinch":
                event: object = pinch(n)
            elif kind == "legs":
                event = session(state, n, new=(NerveFeature.LEG_PAIN_BELOW_KNEE,))
                legs = True
            elif kind == "clear":
                event = cleared(n, target)
            elif kind == "override":
                event = ClinicianOverride(
                    date=day(n), clinician="c", reason="r", stage=target
                )
            else:
                event = session(state, n)
            state, decision = step(state, event)  # type: ignore[arg-type]
            assert not planned(state) & state.excluded
            assert not {d.exercise for d in decision.doses} & state.excluded
            if legs:
                assert state.excluded >= KNEES


class TestPrescriptionCarriesCautions:
    """LD-CAUTION (spec 5.2): the prescription carries each exercise's cautions."""

    # A property of the prescription's bookkeeping, no safety invariant of
    # clinical-spec.md, and each example costs a generated journal and its
    # replay: at most 200 examples even in the ci profile.
    @settings(max_examples=min(200, settings().max_examples))
    @given(sts.journals())
    def test_every_exercise_carries_its_catalog_cautions(
        self, journal: Journal
    ) -> None:
        """Each prescribed exercise lists its catalog cautions, beside the
        same exercise and dose the plan holds."""
        state, _ = replay(journal)
        offered = prescription(state)
        for item in offered.exercises:
            assert item.cautions == EXERCISES[item.exercise].cautions
        if offered.status is PlanStatus.ACTIVE:
            assert [(x.exercise, x.dose) for x in offered.exercises] == [
                (d.exercise, d.dose) for d in state.planned
            ]

    def test_back_extension_says_stop_on_sharp_pain(self) -> None:
        """Stage 3's back extension carries its caution; a bridge carries none."""
        offered = prescription(started(EXT_STAGE, pain=3))
        by_exercise = {x.exercise: x.cautions for x in offered.exercises}
        assert by_exercise[BACK_EXT] == ("caution.stop_sharp_pain",)
        assert by_exercise[ExerciseId.GLUTE_BRIDGE] == ()
        assert render("caution.stop_sharp_pain") == "Stop if you feel sharp pain."

    def test_stage_one_tilt_and_hold_carry_theirs(self) -> None:
        """The pelvic tilt warns off end-range stretching, the isometric hold
        says stop if leg pain comes on."""
        offered = prescription(started(Stage.CALM_AND_UNLOAD, pain=6))
        by_exercise = {x.exercise: x.cautions for x in offered.exercises}
        assert by_exercise[ExerciseId.PELVIC_TILT] == ("caution.no_end_range_stretch",)
        assert by_exercise[ExerciseId.ISOMETRIC_HOLD] == ("caution.stop_if_leg_pain",)

    def test_every_caution_has_words(self) -> None:
        """Every caution ID an exercise carries is in the message catalog."""
        for exercise in EXERCISES.values():
            for caution in exercise.cautions:
                assert render(caution)

    def test_the_wire_carries_them_beside_each_exercise(self) -> None:
        """An app reading the JSON finds ``cautions`` in each ``exercises`` item,
        and the JSON Schema declares it."""
        offered = prescription(started(EXT_STAGE, pain=3))
        items = json.loads(dumps(offered))["exercises"]
        ext = next(i for i in items if i["exercise"] == "back_extension")
        assert ext["cautions"] == ["caution.stop_sharp_pain"]
        assert loads(dumps(offered), Prescription) == offered
        schema = json_schema(Prescription)
        item = schema["$defs"]["PrescribedExercise"]
        assert item["properties"]["cautions"]["type"] == "array"

    def test_the_demo_shows_them_in_words(self) -> None:
        """`lowback demo` prints each caution beside its exercise in today's plan."""
        text = narrate(demo_journal())
        plan = text.split("Today's plan:")[1]
        assert "back_extension" in plan
        line = next(x for x in plan.splitlines() if "back_extension" in x)
        assert render("caution.stop_sharp_pain") in line
