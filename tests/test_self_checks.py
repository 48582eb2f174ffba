"""Self-check interpretation: findings, muscles, stops and the hold direction."""

from __future__ import annotations

from typing import Any

import pytest

from lowback import (
    FINDINGS,
    Answer,
    BackwardLeanResult,
    EnduranceHoldResult,
    ForwardBendResult,
    HoldDirection,
    MuscleGroup,
    SelfCheckFinding,
    SelfCheckResult,
    SideBendResult,
    StopReason,
    Thresholds,
    interpret,
)

YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN
F = SelfCheckFinding
H = HoldDirection


def forward(**answers: Answer) -> ForwardBendResult:
    """A completed forward bend, all no except *answers*."""
    base: dict[str, Any] = {"one_side_tighter": NO, "pull_in_muscles": NO,
            "pain_in_centre_of_spine": NO, "knee_bend_eases": NO}  # fmt: skip
    return ForwardBendResult(**(base | answers))


def backward(**answers: Answer) -> BackwardLeanResult:
    """A completed backward lean, all no except *answers*."""
    base: dict[str, Any] = {"pinch_in_one_spot": NO, "feels_like_muscle_stretch": NO,
            "hand_support_eases": NO}  # fmt: skip
    return BackwardLeanResult(**(base | answers))


def side(**answers: Answer) -> SideBendResult:
    """A completed side bend, all no except *answers*."""
    base: dict[str, Any] = {"one_side_blocked_or_painful": NO, "pain_over_ql_area": NO}
    return SideBendResult(**(base | answers))


def hold(seconds: float = 15.0, **answers: Answer) -> EnduranceHoldResult:
    """A completed endurance hold of *seconds*, all no except *answers*."""
    base: dict[str, Any] = {"shaking_early": NO, "cramped": NO}
    return EnduranceHoldResult(hold_seconds=seconds, **(base | answers))


class TestFindings:
    @pytest.mark.parametrize(
        ("result", "finding"),
        [
            (forward(one_side_tighter=YES), F.ASYMMETRIC_GUARDING),
            (forward(pain_in_centre_of_spine=YES), F.CENTRAL_SPINE_PAIN),
            (forward(knee_bend_eases=YES), F.HAMSTRING_OR_NEURAL_TENSION),
            (forward(pull_in_muscles=YES), F.MUSCLE_TIGHTNESS),
            (backward(pinch_in_one_spot=YES), F.EXTENSION_SENSITIVE),
            (backward(feels_like_muscle_stretch=YES), F.MUSCLE_TIGHTNESS),
            (backward(hand_support_eases=YES), F.SUPPORTED_EXTENSION_TOLERATED),
            (side(one_side_blocked_or_painful=YES), F.SIDE_BEND_ASYMMETRY),
            (side(pain_over_ql_area=YES), F.QL_INVOLVEMENT),
            (hold(9.9), F.LOW_EXTENSOR_ENDURANCE),
            (hold(shaking_early=YES), F.LOW_EXTENSOR_ENDURANCE),
            (hold(cramped=YES), F.LOW_EXTENSOR_ENDURANCE),
            (SideBendResult(stopped=StopReason.DIZZINESS), F.STOPPED_FOR_SAFETY),
        ],
        ids=lambda v: v if isinstance(v, str) else "",
    )
    def test_each_finding(self, result: SelfCheckResult, finding: F) -> None:
        """One observation gives exactly its finding, and its muscles."""
        reading = interpret((result,))
        assert reading.findings == (finding,)
        assert set(reading.implicated_muscles) == FINDINGS[finding].implicates

    @pytest.mark.parametrize(
        "result", [forward(), backward(), side(), hold()], ids=lambda r: r.check
    )
    def test_all_no_gives_nothing(self, result: SelfCheckResult) -> None:
        """A completed check with every answer no (and a 15 s hold) finds nothing."""
        assert interpret((result,)).findings == ()

    def test_ten_seconds_is_enough_by_default(self) -> None:
        """A 10 s hold without shaking is not low endurance (article: 10-15 s)."""
        assert interpret((hold(10.0),)).findings == ()

    def test_endurance_follows_the_threshold(self) -> None:
        """A stricter gate3_endurance_seconds flags a 12 s hold."""
        reading = interpret((hold(12.0),), Thresholds(gate3_endurance_seconds=15.0))
        assert reading.findings == (F.LOW_EXTENSOR_ENDURANCE,)

    def test_unsure_pinch_is_not_tolerated_extension(self) -> None:
        """Hands easing the lean counts only when the pinch is a clear no."""
        reading = interpret(
            (backward(hand_support_eases=YES, pinch_in_one_spot=UNKNOWN),)
        )
        assert F.SUPPORTED_EXTENSION_TOLERATED not in reading.findings

    def test_unknown_observations_give_no_finding(self) -> None:
        """Unknown observations add no finding but are listed by path."""
        reading = interpret((side(), forward(one_side_tighter=UNKNOWN)))
        assert reading.findings == ()
        assert reading.unknown_answers == ("$.self_checks[1].one_side_tighter",)

    def test_stopped_check_keeps_its_observations(self) -> None:
        """Observations recorded before a stop still add findings and unknowns."""
        result = ForwardBendResult(
            stopped=StopReason.SHARP_SHOOTING_PAIN, one_side_tighter=YES,
            knee_bend_eases=UNKNOWN,
        )  # fmt: skip
        reading = interpret((result,))
        assert reading.findings == (F.ASYMMETRIC_GUARDING, F.STOPPED_FOR_SAFETY)
        assert reading.unknown_answers == ("$.self_checks[0].knee_bend_eases",)

    def test_findings_and_muscles_in_enum_order(self) -> None:
        """Findings, muscles and stops come out in enum order, without repeats."""
        reading = interpret(
            (hold(3.0, cramped=YES), backward(feels_like_muscle_stretch=YES),
             forward(one_side_tighter=YES, pull_in_muscles=YES))
        )  # fmt: skip
        order = list(SelfCheckFinding)
        assert list(reading.findings) == sorted(reading.findings, key=order.index)
        assert len(set(reading.findings)) == len(reading.findings)
        muscles = list(MuscleGroup)
        assert list(reading.implicated_muscles) == sorted(
            reading.implicated_muscles, key=muscles.index
        )

    def test_no_results(self) -> None:
        """No self-checks: no findings, stops, unknowns or direction."""
        reading = interpret(())
        assert (reading.findings, reading.stop_reasons, reading.unknown_answers) == (
            (), (), ())  # fmt: skip
        assert reading.hold_direction is None


class TestStops:
    def test_stop_reasons_listed_once_in_order(self) -> None:
        """Each stop reason is listed once, in StopReason order."""
        reading = interpret(
            (SideBendResult(stopped=StopReason.FELT_UNWELL),
             ForwardBendResult(stopped=StopReason.STRONG_LEG_SYMPTOMS),
             BackwardLeanResult(stopped=StopReason.FELT_UNWELL))
        )  # fmt: skip
        assert reading.stop_reasons == (
            StopReason.STRONG_LEG_SYMPTOMS,
            StopReason.FELT_UNWELL,
        )
        assert reading.nerve_stop
        assert reading.medical_stop

    @pytest.mark.parametrize("reason", list(StopReason))
    def test_nerve_or_medical_stop(self, reason: StopReason) -> None:
        """Leg symptoms and shooting pain are nerve stops; the others medical."""
        reading = interpret((SideBendResult(stopped=reason),))
        nerve = reason in {
            StopReason.SHARP_SHOOTING_PAIN,
            StopReason.STRONG_LEG_SYMPTOMS,
        }
        assert reading.nerve_stop is nerve
        assert reading.medical_stop is not nerve


class TestHoldDirection:
    @pytest.mark.parametrize(
        ("results", "direction"),
        [
            ((forward(knee_bend_eases=YES),), H.SUPPORTED_HIP_HINGE),
            ((forward(pull_in_muscles=YES),), H.SUPPORTED_HIP_HINGE),
            ((forward(knee_bend_eases=YES, pain_in_centre_of_spine=YES),), None),
            ((forward(knee_bend_eases=YES, pain_in_centre_of_spine=UNKNOWN),), None),
            ((forward(),), None),
            ((backward(hand_support_eases=YES),), H.SMALL_BACKWARD_LEAN),
            ((backward(hand_support_eases=YES, pinch_in_one_spot=YES),), None),
            ((backward(hand_support_eases=UNKNOWN),), None),
            ((backward(hand_support_eases=YES), forward(pull_in_muscles=YES)),
             H.SUPPORTED_HIP_HINGE),
            ((backward(hand_support_eases=YES),
              forward(pull_in_muscles=YES, pain_in_centre_of_spine=YES)),
             H.SMALL_BACKWARD_LEAN),
            ((forward(knee_bend_eases=YES),
              SideBendResult(stopped=StopReason.DIZZINESS)), None),
            ((side(one_side_blocked_or_painful=YES), hold(2.0)), None),
        ],
        ids=["knees", "muscle-pull", "central", "central-unsure", "nothing-eases",
             "hands", "pinch", "hands-unsure", "both-hinge-first", "lean-if-spine",
             "any-stop", "other-checks"],
    )  # fmt: skip
    def test_direction(
        self, results: tuple[SelfCheckResult, ...], direction: H | None
    ) -> None:
        """The hold direction follows the documented rule (see interpret)."""
        assert interpret(results).hold_direction is direction

    def test_stopped_forward_bend_gives_no_hinge(self) -> None:
        """A stopped forward bend never suggests the hinge, whatever it recorded."""
        result: Any = ForwardBendResult(
            stopped=StopReason.SHARP_SHOOTING_PAIN, pull_in_muscles=YES,
            pain_in_centre_of_spine=NO,
        )  # fmt: skip
        assert interpret((result,)).hold_direction is None
