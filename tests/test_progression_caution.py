"""LD-CAUTION: self-check findings and leg symptoms shape the plan (spec 5.2)."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from lowback import Answer, ClinicianCleared, ClinicianOverride, Stage, start_plan, step
from lowback.catalog.events import SelfCheckRecorded
from lowback.catalog.exercises import STAGE_PLANS, ExerciseId
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
