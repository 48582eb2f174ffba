"""Values validate at construction, with lowback's own error and no echo of the value."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lowback
from lowback import (
    Answer,
    Disposition,
    Dose,
    EnduranceHoldResult,
    ForwardBendResult,
    InvalidInput,
    RedFlagAnswers,
    SideBendResult,
    StopReason,
    Thresholds,
)
from strategies import clear_intake, doses, intakes, self_check_results, thresholds

# A value that would stand out if an error message ever echoed it.
CANARY = 987_654


def assert_invalid(
    path: str, code: str, build: Any, *args: Any, **kwargs: Any
) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        build(*args, **kwargs)
    assert info.value.paths == (path,)
    assert info.value.problems[0].code == code
    assert str(CANARY) not in str(info.value)
    return info.value


class TestErrors:
    def test_invalid_input_is_a_value_error(self) -> None:
        """Callers may catch InvalidInput as ValueError or LowbackError."""
        err = InvalidInput.at("$.x", "missing")
        assert isinstance(err, ValueError)
        assert isinstance(err, lowback.LowbackError)

    def test_needs_a_problem(self) -> None:
        """An InvalidInput without problems is a programming error."""
        with pytest.raises(ValueError, match="at least one"):
            InvalidInput([])

    @pytest.mark.parametrize("code", ["wrong-type", "WRONG_TYPE", "", "intake"])
    def test_a_problem_code_is_a_reason_code(self, code: str) -> None:
        """A code outside ReasonCode is lowback's own mistake, refused at once,
        so apps can rely on the documented codes only."""
        with pytest.raises(ValueError, match="ReasonCode"):
            InvalidInput.at("$", code)

    def test_every_reason_code_makes_a_problem(self) -> None:
        """Each ReasonCode member is accepted and stored as its plain string."""
        for code in lowback.ReasonCode:
            problem = InvalidInput.at("$", code).problems[0]
            assert type(problem.code) is str
            assert problem.code == code.value

    def test_under_reroots_paths(self) -> None:
        """Problems from a nested value move below the parent's path."""
        err = InvalidInput.at("$.pain_now", "out_of_range").under("$.events[3].intake")
        assert err.paths == ("$.events[3].intake.pain_now",)


class TestDose:
    @pytest.mark.parametrize(
        ("field", "value"),
        [("sets", 0), ("sets", 11), ("reps", 0), ("reps", 51), ("hold_seconds", 0.5),
         ("hold_seconds", 121.0), ("rest_seconds", -1.0), ("effort_percent", 101),
         ("minutes", 0), ("hold_seconds", float("nan")), ("minutes", float("inf"))],
    )  # fmt: skip
    def test_out_of_range_parts_are_refused(self, field: str, value: float) -> None:
        """Each part of a dose has bounds; crossing one is InvalidInput at its path."""
        kwargs: dict[str, Any] = {field: value}
        with pytest.raises(InvalidInput) as info:
            Dose(**kwargs)
        assert info.value.paths == (f"$.{field}",)

    @pytest.mark.parametrize("value", [True, "3", 2.0])
    def test_wrong_types_are_refused(self, value: Any) -> None:
        """Sets must be an int: not a bool, a string or a float."""
        err = assert_invalid("$.sets", "wrong_type", Dose, sets=value)
        assert "int" in str(err)

    def test_the_value_is_not_echoed(self) -> None:
        """An out-of-range value never appears in the message."""
        assert_invalid("$.reps", "out_of_range", Dose, reps=CANARY)

    @given(doses)
    def test_a_dose_fits_within_itself(self, dose: Dose) -> None:
        """fits_within is reflexive."""
        assert dose.fits_within(dose)

    @given(doses)
    def test_volume_is_positive(self, dose: Dose) -> None:
        """Every valid dose has a positive volume."""
        assert dose.volume > 0

    def test_more_reps_do_not_fit_within_fewer(self) -> None:
        """fits_within compares part by part."""
        assert Dose(sets=1, reps=8).fits_within(Dose(sets=2, reps=10))
        assert not Dose(sets=1, reps=12).fits_within(Dose(sets=2, reps=10))
        assert not Dose(sets=1, reps=8).fits_within(Dose(sets=1))


class TestExerciseDefinition:
    def test_start_above_goal_is_refused(self) -> None:
        """An exercise whose start dose exceeds its goal cannot be defined."""
        bridge = lowback.EXERCISES[lowback.ExerciseId.GLUTE_BRIDGE]
        with pytest.raises(InvalidInput) as info:
            attrs.evolve(bridge, start=Dose(sets=3, reps=15, hold_seconds=5.0))
        assert info.value.paths == ("$.start",)

    def test_goal_above_ceiling_is_refused(self) -> None:
        """An exercise whose goal exceeds its ceiling cannot be defined."""
        bridge = lowback.EXERCISES[lowback.ExerciseId.GLUTE_BRIDGE]
        with pytest.raises(InvalidInput) as info:
            attrs.evolve(bridge, goal=Dose(sets=4, reps=15, hold_seconds=5.0))
        assert info.value.paths == ("$.goal",)

    def test_an_exercise_needs_a_stage(self) -> None:
        """stages may not be empty."""
        bridge = lowback.EXERCISES[lowback.ExerciseId.GLUTE_BRIDGE]
        with pytest.raises(InvalidInput):
            attrs.evolve(bridge, stages=())


class TestThresholds:
    def test_defaults_are_the_spec_numbers(self) -> None:
        """The spec's [H] defaults."""
        t = Thresholds()
        assert (t.persistent_days, t.calm_entry_pain, t.advance_sessions) == (42, 5, 3)
        assert (t.advance_span_days, t.green_zone_pain, t.regression_cooldown_days) == (
            5,
            3,
            7,
        )
        assert (t.gate1_pain, t.gate1_drop, t.gate4_pain, t.gate4_days) == (4, 2, 2, 14)
        assert (t.weekly_volume_cap, t.deload_fraction, t.gap_days) == (0.10, 0.30, 7)
        assert (t.max_pain_during, t.spike_pain_rise, t.gate3_endurance_seconds) == (
            5,
            2,
            10.0,
        )

    def test_every_threshold_is_documented(self) -> None:
        """Each threshold has a unit, a cautious direction, rules and sources."""
        infos = Thresholds.describe()
        assert [i.name for i in infos] == [f.name for f in attrs.fields(Thresholds)]
        for info in infos:
            assert info.low <= info.default <= info.high, info.name
            assert info.safer in {"lower", "higher"}
            assert info.rules, info.name
            assert all(r in lowback.RULES for r in info.rules), info.name
            assert info.sources, info.name
            assert info.doc

    @pytest.mark.parametrize("info", Thresholds.describe(), ids=lambda i: i.name)
    def test_crossing_a_bound_is_refused(
        self, info: lowback.catalog.thresholds.ThresholdInfo
    ) -> None:
        """Just past either bound is InvalidInput at the threshold's path."""
        step = 1 if info.integer else 0.01
        for value in (info.low - step, info.high + step):
            kwargs: dict[str, Any] = {info.name: int(value) if info.integer else value}
            with pytest.raises(InvalidInput) as err:
                Thresholds(**kwargs)
            assert err.value.paths == (f"$.{info.name}",)

    def test_guideline_limits_cannot_be_crossed(self) -> None:
        """The load cap stops at 30 %, the deload at 30 %, pain during at 5."""
        with pytest.raises(InvalidInput):
            Thresholds(weekly_volume_cap=0.31)
        with pytest.raises(InvalidInput):
            Thresholds(deload_fraction=0.29)
        with pytest.raises(InvalidInput):
            Thresholds(max_pain_during=6)

    @given(thresholds)
    def test_any_legal_thresholds_construct(self, t: Thresholds) -> None:
        """Any values within the bounds are accepted as given."""
        assert Thresholds(**attrs.asdict(t)) == t


class TestSelfCheckResults:
    def test_observations_are_required_unless_stopped(self) -> None:
        """A completed check must report what was observed."""
        assert_invalid(
            "$.one_side_tighter", "missing", ForwardBendResult,
            pull_in_muscles=Answer.NO, pain_in_centre_of_spine=Answer.NO, knee_bend_eases=Answer.NO,
        )  # fmt: skip

    def test_a_stopped_check_needs_no_observations(self) -> None:
        """Stopping is a complete result on its own."""
        result = SideBendResult(stopped=StopReason.STRONG_LEG_SYMPTOMS)
        assert result.one_side_blocked_or_painful is None

    def test_hold_seconds_bounds(self) -> None:
        """The endurance hold is 0..60 seconds."""
        assert_invalid(
            "$.hold_seconds", "out_of_range", EnduranceHoldResult,
            hold_seconds=float(CANARY), shaking_early=Answer.NO, cramped=Answer.NO,
        )  # fmt: skip

    def test_answers_must_be_answers(self) -> None:
        """A raw string is not an Answer."""
        assert_invalid("$.stopped", "wrong_type", SideBendResult, stopped="dizziness")

    @given(self_check_results)
    def test_every_result_names_its_check(
        self, result: lowback.SelfCheckResult
    ) -> None:
        """The class attribute ``check`` tells the four results apart."""
        assert result.check in set(lowback.SelfCheck)

    def test_stop_reasons_that_count_as_nerve_features(self) -> None:
        """Leg symptoms and sharp shooting pain are nerve features; the rest are not."""
        assert {r for r in StopReason if r.is_nerve_feature} == {
            StopReason.SHARP_SHOOTING_PAIN,
            StopReason.STRONG_LEG_SYMPTOMS,
        }


class TestIntake:
    def test_every_red_flag_must_be_answered(self) -> None:
        """RedFlagAnswers has no defaults: a missing flag is an error."""
        kwargs = {f.value: Answer.NO for f in lowback.RedFlag}
        del kwargs["saddle_numbness"]
        with pytest.raises(TypeError, match="saddle_numbness"):
            RedFlagAnswers(**kwargs)

    def test_red_flag_answers_by_flag(self) -> None:
        """Answers can be looked up and filtered by flag."""
        answers = RedFlagAnswers.all_no(cancer_history=Answer.UNKNOWN)
        assert answers[lowback.RedFlag.CANCER_HISTORY] is Answer.UNKNOWN
        assert answers.answers_of(Answer.UNKNOWN) == (lowback.RedFlag.CANCER_HISTORY,)
        assert len(dict(answers.items())) == len(lowback.RedFlag)

    @pytest.mark.parametrize(
        ("field", "value", "code"),
        [("pain_now", 11, "out_of_range"), ("pain_now", -1, "out_of_range"),
         ("pain_now", 7.0, "wrong_type"), ("pain_now", True, "wrong_type"),
         ("duration_days", -1, "out_of_range"), ("age", 131, "out_of_range"),
         ("pain_worst_24h", 11, "out_of_range"), ("onset", "gradual", "wrong_type"),
         ("fear_of_movement", None, "wrong_type"), ("fear_of_movement", "no", "wrong_type"),
         ("pain_regions", ["low_back"], "wrong_type"), ("red_flags", {}, "wrong_type")],
    )  # fmt: skip
    def test_bad_fields_are_refused(self, field: str, value: Any, code: str) -> None:
        """Each intake field is checked; None is never read as an answer."""
        with pytest.raises(InvalidInput) as info:
            clear_intake(**{field: value})
        assert info.value.paths == (f"$.{field}",)
        assert info.value.problems[0].code == code

    def test_a_region_list_item_is_located(self) -> None:
        """A bad item in a list is reported at its index."""
        with pytest.raises(InvalidInput) as info:
            clear_intake(pain_regions=(lowback.BodyRegion.LOW_BACK, "buttock"))
        assert info.value.paths == ("$.pain_regions[1]",)

    def test_each_self_check_at_most_once(self) -> None:
        """Two results for the same check are refused."""
        stopped = ForwardBendResult(stopped=StopReason.DIZZINESS)
        with pytest.raises(InvalidInput) as info:
            clear_intake(self_checks=(stopped, stopped))
        assert info.value.paths == ("$.self_checks[1].check",)

    def test_self_checks_must_be_results(self) -> None:
        """Anything but a self-check result is refused at its index."""
        with pytest.raises(InvalidInput) as info:
            clear_intake(self_checks=("forward_bend",))
        assert info.value.paths == ("$.self_checks[0]",)

    # A check of the test strategy, not of lowback: every example costs a
    # whole generated intake, so at most 200 even in the ci profile.
    @settings(max_examples=min(200, settings().max_examples))
    @given(intakes)
    def test_generated_intakes_are_valid(self, intake: lowback.Intake) -> None:
        """The strategy's intakes construct again from their own fields."""
        assert attrs.evolve(intake) == intake
        assert len(dict(intake.nerve_answers())) == 3


class TestDisposition:
    def test_urgency_order_is_the_spec_order(self) -> None:
        """emergency > urgent > medical_review > physio_referral > self_care."""
        assert [d.value for d in lowback.URGENCY_ORDER] == [
            "emergency", "urgent", "medical_review", "physio_referral", "self_care",
        ]  # fmt: skip

    @given(st.lists(st.sampled_from(Disposition)))
    def test_most_urgent_is_the_first_in_order(self, ds: list[Disposition]) -> None:
        """most_urgent picks the earliest in URGENCY_ORDER; self_care for none."""
        expected = next(
            (d for d in lowback.URGENCY_ORDER if d in ds), Disposition.SELF_CARE
        )
        assert lowback.most_urgent(ds) is expected

    def test_only_non_urgent_dispositions_start_a_plan(self) -> None:
        """emergency and urgent start no plan."""
        assert {d for d in Disposition if not d.starts_plan} == {
            Disposition.EMERGENCY,
            Disposition.URGENT,
        }
