"""Careless callers at triage, and behaviours the v1 suite left unpinned (issue 12)."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lowback
from lowback import (
    Answer,
    BackwardLeanResult,
    Disposition,
    EnduranceHoldResult,
    ForwardBendResult,
    HoldDirection,
    Intake,
    InvalidInput,
    PlanStatus,
    RedFlag,
    SelfCheckFinding,
    SideBendResult,
    Stage,
    StopReason,
    Suspicion,
    Thresholds,
    TriageResult,
    interpret,
    triage,
)
from lowback.catalog import rules as ids
from lowback.catalog.red_flags import RED_FLAGS
from lowback.catalog.sources import SOURCES, SourceId, SourceKind
from strategies import clear_intake, intakes, thresholds, triage_results

YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN
D = Disposition


class TestContradictoryResults:
    @pytest.mark.parametrize(
        ("disposition", "stage", "status", "path"),
        [
            (D.EMERGENCY, Stage.INTEGRATE, PlanStatus.ACTIVE, "$.entry_stage"),
            (D.URGENT, Stage.CALM_AND_UNLOAD, PlanStatus.PAUSED, "$.entry_stage"),
            (D.SELF_CARE, None, None, "$.entry_stage"),
            (D.PHYSIO_REFERRAL, Stage.CALM_AND_UNLOAD, None, "$.plan_status"),
            (D.SELF_CARE, Stage.CALM_AND_UNLOAD, PlanStatus.PAUSED, "$.plan_status"),
            (D.MEDICAL_REVIEW, Stage.CALM_AND_UNLOAD, PlanStatus.ACTIVE,
             "$.plan_status"),
            (D.MEDICAL_REVIEW, None, PlanStatus.PAUSED, "$.plan_status"),
        ],
    )  # fmt: skip
    def test_refused_at_construction_and_on_load(
        self,
        disposition: Disposition,
        stage: Stage | None,
        status: PlanStatus | None,
        path: str,
    ) -> None:
        """A plan that contradicts the disposition is InvalidInput, built or loaded."""
        good = triage(clear_intake())
        with pytest.raises(InvalidInput) as built:
            attrs.evolve(
                good, disposition=disposition, entry_stage=stage, plan_status=status
            )
        assert built.value.paths == (path,)
        (problem,) = built.value.problems
        assert problem.code == "inconsistent"
        assert problem.detail == f"does not fit the disposition {disposition.value}"
        document = json.loads(lowback.dumps(good))
        document.update(
            disposition=disposition.value,
            entry_stage=None if stage is None else stage.value,
            plan_status=None if status is None else status.value,
        )
        with pytest.raises(InvalidInput) as loaded:
            lowback.loads(json.dumps(document), TriageResult)
        assert loaded.value.paths == (path,)
        assert loaded.value.problems == built.value.problems
        assert disposition.value not in str(loaded.value).split(path)[0]

    @given(triage_results)
    def test_consistent_results_load(self, result: TriageResult) -> None:
        """Every consistent result round-trips through the wire."""
        assert lowback.loads(lowback.dumps(result), TriageResult) == result

    @given(intakes, thresholds)
    def test_triage_never_builds_a_contradiction(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """Whatever the intake, triage's own result loads back (it is consistent)."""
        result = triage(intake, thresholds=limits)
        assert lowback.loads(lowback.dumps(result), TriageResult) == result


class TestWrongArguments:
    @pytest.mark.parametrize("intake", [None, "x", {"pain_now": 3}, 3])
    def test_triage_needs_an_intake(self, intake: Any) -> None:
        """triage(None), triage("x"): InvalidInput naming the intake parameter."""
        with pytest.raises(InvalidInput) as info:
            triage(intake)
        assert info.value.paths == ("$",)
        assert info.value.problems[0].code == "wrong_type"
        assert info.value.problems[0].detail == "intake: expected an Intake"

    @pytest.mark.parametrize("limits", [None, {"persistent_days": 1}, "x"])
    def test_triage_needs_thresholds(self, limits: Any) -> None:
        """triage(intake, thresholds=None): InvalidInput naming thresholds."""
        with pytest.raises(InvalidInput) as info:
            triage(clear_intake(), thresholds=limits)
        assert info.value.paths == ("$.thresholds",)
        assert info.value.problems[0].code == "wrong_type"
        assert info.value.problems[0].detail == "thresholds: expected Thresholds"

    @pytest.mark.parametrize(
        "results", ["abc", None, [], [ForwardBendResult(stopped=StopReason.DIZZINESS)],
                    ("abc",), (None,)],
    )  # fmt: skip
    def test_interpret_needs_a_tuple_of_results(self, results: Any) -> None:
        """interpret("abc") and interpret(None) are errors, not "no findings"."""
        with pytest.raises(InvalidInput) as info:
            interpret(results)
        assert info.value.paths == ("$.self_checks",)
        assert "results" in str(info.value)

    def test_interpret_needs_thresholds(self) -> None:
        """interpret(results, None) names the thresholds parameter."""
        with pytest.raises(InvalidInput) as info:
            interpret((), None)  # type: ignore[arg-type]
        assert info.value.paths == ("$.thresholds",)

    def test_interpret_of_nothing_is_still_nothing(self) -> None:
        """An empty tuple is valid: no findings, no stops, no direction."""
        reading = interpret(())
        assert reading.findings == ()
        assert reading.hold_direction is None


def _stopped_result(check: str, reason: StopReason) -> Any:
    return {
        "forward_bend": ForwardBendResult,
        "backward_lean": BackwardLeanResult,
        "side_bend": SideBendResult,
        "endurance_hold": EnduranceHoldResult,
    }[check](stopped=reason)


class TestPinnedBehaviour:
    @given(
        st.sampled_from(
            ["forward_bend", "backward_lean", "side_bend", "endurance_hold"]
        ),
        st.sampled_from(StopReason),
    )
    def test_a_stopped_check_always_gives_stopped_for_safety(
        self, check: str, reason: StopReason
    ) -> None:
        """Any check stopped for any reason gives stopped_for_safety and no hold direction."""
        result = triage(clear_intake(self_checks=(_stopped_result(check, reason),)))
        assert SelfCheckFinding.STOPPED_FOR_SAFETY in result.findings
        assert result.stop_reasons == (reason,)
        assert result.hold_direction is None
        assert ids.SC_STOP in [r.id for r in result.rules]

    def test_custom_thresholds_reach_self_check_interpretation(self) -> None:
        """triage passes its thresholds to the self-check reading (endurance cut-off)."""
        hold = EnduranceHoldResult(hold_seconds=12.0, shaking_early=NO, cramped=NO)
        intake = clear_intake(self_checks=(hold,))
        low = SelfCheckFinding.LOW_EXTENSOR_ENDURANCE
        assert low not in triage(intake).findings
        stricter = Thresholds(gate3_endurance_seconds=15.0)
        assert low in triage(intake, thresholds=stricter).findings

    @pytest.mark.parametrize(
        ("seconds", "low"), [(0.0, True), (9.99, True), (10.0, False), (60.0, False)]
    )
    def test_hold_seconds_boundary(self, seconds: float, low: bool) -> None:
        """A hold shorter than 10 s (default) is low endurance; 10 s is enough."""
        hold = EnduranceHoldResult(hold_seconds=seconds, shaking_early=NO, cramped=NO)
        found = triage(clear_intake(self_checks=(hold,))).findings
        assert (SelfCheckFinding.LOW_EXTENSOR_ENDURANCE in found) is low

    @pytest.mark.parametrize(
        ("checks", "direction"),
        [
            ((ForwardBendResult(one_side_tighter=NO, pull_in_muscles=YES,
                                pain_in_centre_of_spine=NO, knee_bend_eases=NO),),
             HoldDirection.SUPPORTED_HIP_HINGE),
            ((BackwardLeanResult(pinch_in_one_spot=NO, feels_like_muscle_stretch=NO,
                                 hand_support_eases=YES),),
             HoldDirection.SMALL_BACKWARD_LEAN),
            ((BackwardLeanResult(pinch_in_one_spot=UNKNOWN,
                                 feels_like_muscle_stretch=NO,
                                 hand_support_eases=YES),), None),
            ((ForwardBendResult(one_side_tighter=NO, pull_in_muscles=YES,
                                pain_in_centre_of_spine=YES, knee_bend_eases=YES),),
             None),
        ],
    )  # fmt: skip
    def test_hold_direction_is_in_the_result(
        self, checks: tuple[Any, ...], direction: HoldDirection | None
    ) -> None:
        """triage reports the easier hold direction the self-checks show."""
        result = triage(clear_intake(self_checks=checks))
        assert result.hold_direction is direction
        document = json.loads(lowback.dumps(result))
        assert document["hold_direction"] == (
            None if direction is None else direction.value
        )

    @given(intakes, thresholds)
    def test_self_never_fires_beside_another_rule(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """SELF fires alone among the disposition rules, and only for self_care."""
        result = triage(intake, thresholds=limits)
        fired = [r.id for r in result.rules]
        if ids.SELF in fired:
            assert [r for r in fired if not r.startswith("EN-")] == [ids.SELF]
            assert result.disposition is D.SELF_CARE
        else:
            assert result.disposition is not D.SELF_CARE


# Spec 1.4: what each red flag suggests, and whether the spec marks it from
# the article [A] or a guideline [G].
SPEC_RED_FLAGS: dict[RedFlag, tuple[Suspicion, str]] = {
    RedFlag.BLADDER_OR_BOWEL_CHANGE: (Suspicion.CAUDA_EQUINA, "A"),
    RedFlag.SADDLE_NUMBNESS: (Suspicion.CAUDA_EQUINA, "G"),
    RedFlag.BILATERAL_LEG_SYMPTOMS: (Suspicion.CAUDA_EQUINA, "G"),
    RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT: (Suspicion.PROGRESSIVE_DEFICIT, "A"),
    RedFlag.SIGNIFICANT_TRAUMA: (Suspicion.FRACTURE, "A"),
    RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY: (Suspicion.FRACTURE, "G"),
    RedFlag.FEVER_OR_UNWELL: (Suspicion.INFECTION, "A"),
    RedFlag.UNEXPLAINED_WEIGHT_LOSS: (Suspicion.MALIGNANCY, "A"),
    RedFlag.CANCER_HISTORY: (Suspicion.MALIGNANCY, "A"),
    RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY: (Suspicion.INFECTION, "AG"),
}


class TestRedFlagCatalog:
    @pytest.mark.parametrize("flag", list(RedFlag))
    def test_what_each_flag_suggests(self, flag: RedFlag) -> None:
        """Each red flag suggests what spec 1.4's table says."""
        assert RED_FLAGS[flag].flag is flag
        assert RED_FLAGS[flag].suggests is SPEC_RED_FLAGS[flag][0]

    @pytest.mark.parametrize("flag", list(RedFlag))
    def test_each_flag_cites_its_kind_of_source(self, flag: RedFlag) -> None:
        """[A] flags cite the article's red-flag section; [G] flags a guideline or study."""
        sources = RED_FLAGS[flag].sources
        marks = SPEC_RED_FLAGS[flag][1]
        assert sources
        assert len(set(sources)) == len(sources)
        assert all(s in SOURCES for s in sources)
        if "A" in marks:
            assert SourceId.ARTICLE_RED_FLAGS in sources
        if "G" in marks:
            assert any(
                SOURCES[s].kind in (SourceKind.GUIDELINE, SourceKind.STUDY)
                for s in sources
            )

    @pytest.mark.parametrize("flag", list(RedFlag))
    def test_each_flag_cites_the_evidence_for_its_suspicion(
        self, flag: RedFlag
    ) -> None:
        """Each flag cites the evidence clinical-facts.md gives for what it
        suggests (1.2: Downie 2013 for fracture and malignancy, Yusuf 2019
        for infection; 1.1: NICE CKS for the urgency of a worsening deficit,
        IFOMPT 2020 for cauda equina), and every flag spec 1.4 marks [G]
        cites the IFOMPT framework it comes from."""
        evidence = {
            Suspicion.CAUDA_EQUINA: SourceId.IFOMPT_2020,
            Suspicion.PROGRESSIVE_DEFICIT: SourceId.NICE_CKS_SCIATICA,
            Suspicion.FRACTURE: SourceId.DOWNIE_2013,
            Suspicion.MALIGNANCY: SourceId.DOWNIE_2013,
            Suspicion.INFECTION: SourceId.YUSUF_2019,
        }
        suggests, marks = SPEC_RED_FLAGS[flag]
        assert evidence[suggests] in RED_FLAGS[flag].sources
        if "G" in marks:
            assert SourceId.IFOMPT_2020 in RED_FLAGS[flag].sources

    def test_ces_flags_cite_ifompt(self) -> None:
        """The cauda equina flags cite the IFOMPT framework (clinical-facts 1.1)."""
        for flag, (suggests, _) in SPEC_RED_FLAGS.items():
            if suggests is Suspicion.CAUDA_EQUINA:
                assert SourceId.IFOMPT_2020 in RED_FLAGS[flag].sources

    def test_every_new_triage_rule_names_a_source(self) -> None:
        """The v2 triage rules each cite at least one guideline or study."""
        for rule_id in (ids.RF_SADDLE, ids.RF_FX_ONSET, ids.RF_UNKNOWN_COMBO,
                        ids.NV_WEAKNESS, ids.SCOPE_AGE):  # fmt: skip
            kinds = {SOURCES[s].kind for s in lowback.RULES[rule_id].sources}
            assert kinds & {SourceKind.GUIDELINE, SourceKind.STUDY}, rule_id
