"""The v2 progression amendments (clinical spec 5.2), case by case, and
invariants 16 and 17 (spec 5.4) as named property tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import lowback
import strategies as sts
from lowback import (
    Action,
    Answer,
    AskedNerveFeatures,
    AskedRedFlags,
    ClinicianCleared,
    Disposition,
    ExerciseId,
    NerveFeature,
    PlanStatus,
    Stage,
    Thresholds,
    replay,
    step,
)
from lowback.catalog import rule_ids as ids
from lowback.engine.plan import PauseKind
from progression_helpers import check_in, day, session, started, triage_result

T = Thresholds()
_PAUSED_FOR_CARE = {Disposition.EMERGENCY, Disposition.URGENT}


def _ids(decision: lowback.Decision) -> list[str]:
    return [r.id for r in decision.rules]


def _cleared(n: int, *acknowledged: NerveFeature) -> ClinicianCleared:
    return ClinicianCleared(
        date=day(n),
        clinician="c-1",
        note="",
        resume_stage=Stage.CALM_AND_UNLOAD,
        acknowledged=acknowledged,
    )


class TestPauseDoseAndWords:
    def test_an_emergency_pause_plans_nothing_and_says_get_care_now(self) -> None:
        state = started()
        flags = AskedRedFlags(saddle_numbness=Answer.YES)
        state, decision = step(state, check_in(1, red_flags=flags))
        assert decision.action is Action.PAUSE
        assert decision.seek_care is Disposition.EMERGENCY
        assert decision.doses == ()
        assert "progression.paused_emergency" in decision.messages
        assert ids.PR_PAUSE_DOSE in _ids(decision)

    def test_an_urgent_pause_says_same_day(self) -> None:
        state = started()
        flags = AskedRedFlags(fever_or_unwell=Answer.YES)
        _, decision = step(state, check_in(1, red_flags=flags))
        assert decision.seek_care is Disposition.URGENT
        assert "progression.paused_urgent" in decision.messages
        assert decision.doses == ()

    def test_events_during_a_pause_never_say_keep_going(self) -> None:
        state = started()
        flags = AskedRedFlags(fever_or_unwell=Answer.YES)
        state, _ = step(state, check_in(1, red_flags=flags))
        for event in (check_in(2), session(state, 3), check_in(4, morning=1)):
            state, decision = step(state, event)
            assert decision.messages == ("progression.paused",)
            assert decision.doses == ()

    def test_a_review_pause_plans_short_walks_only(self) -> None:
        state = started()
        flags = AskedRedFlags(fever_or_unwell=Answer.UNKNOWN)
        state, decision = step(state, check_in(1, red_flags=flags))
        assert state.pause is PauseKind.REVIEW
        assert [d.exercise for d in decision.doses] == [ExerciseId.SHORT_WALKS]

    def test_an_urgent_start_plans_nothing(self) -> None:
        result = attrs.evolve(
            triage_result(),
            disposition=Disposition.URGENT,
            entry_stage=None,
            plan_status=None,
        )
        _, decision = lowback.start_plan(result, date=day(0), entry_pain=5)
        assert decision.doses == ()
        assert "progression.paused_urgent" in decision.messages


class TestAdvanceAmendments:
    def _green_days(self, state: Any, days: tuple[int, ...]) -> Any:
        decision = None
        for n in days:
            state, decision = step(state, session(state, n, before=3))
        return state, decision

    def test_a_tired_day_never_advances(self) -> None:
        """PR-TIRED: the session that would advance holds on a very tired day."""
        state = started(pain=3)
        state, _ = self._green_days(state, (1, 3))
        state, _ = step(state, check_in(6, pain=3, morning=2, tired=Answer.UNKNOWN))
        state, decision = step(state, session(state, 6, before=3))
        assert decision.action is Action.HOLD
        assert ids.PR_TIRED in _ids(decision)
        state, decision = step(state, session(state, 7, before=3))
        assert decision.action is Action.ADVANCE

    def test_sessions_before_a_gap_do_not_count(self) -> None:
        """PR-GAP: 1, 3, then 12 days later: the window starts again."""
        state = started(pain=3)
        state, _ = self._green_days(state, (1, 3))
        state, decision = step(state, session(state, 12, before=3))
        assert decision.action is Action.HOLD
        assert ids.PR_GAP in _ids(decision)
        state, decision = self._green_days(state, (14,))
        assert decision.action is Action.HOLD
        state, decision = self._green_days(state, (17,))
        assert decision.action is Action.ADVANCE

    def test_no_increase_for_a_week_after_a_spike(self) -> None:
        """LD-DELOAD-HOLD: green sessions after a spike keep the cut doses."""
        state = started(Stage.RESTORE_MOBILITY, pain=3)
        state, _ = step(state, session(state, 1, during=7))
        cut = state.doses
        state, decision = step(state, session(state, 3))
        assert ids.LD_DELOAD_HOLD in _ids(decision)
        assert ids.LD_PROGRESS not in _ids(decision)
        assert state.doses == cut
        state, decision = step(state, session(state, 1 + T.deload_hold_days))
        assert ids.LD_DELOAD_HOLD not in _ids(decision)


class TestAcknowledged:
    def _reset_and_cleared(self, *acknowledged: NerveFeature) -> Any:
        state = started()
        nerve = AskedNerveFeatures(leg_pain_below_knee=Answer.YES)
        state, _ = step(state, check_in(1, nerve=nerve))
        state, _ = step(state, _cleared(2, *acknowledged))
        assert state.status is PlanStatus.ACTIVE
        return state

    def test_an_acknowledged_feature_is_recorded_without_a_reset(self) -> None:
        state = self._reset_and_cleared(NerveFeature.LEG_PAIN_BELOW_KNEE)
        nerve = AskedNerveFeatures(leg_pain_below_knee=Answer.YES)
        state, decision = step(state, check_in(3, nerve=nerve))
        assert decision.action is Action.HOLD
        assert ids.PR_ACK in _ids(decision)
        assert state.status is PlanStatus.ACTIVE

    def test_a_feature_not_acknowledged_still_resets(self) -> None:
        state = self._reset_and_cleared(NerveFeature.LEG_PAIN_BELOW_KNEE)
        nerve = AskedNerveFeatures(leg_or_foot_weakness=Answer.YES)
        _, decision = step(state, check_in(3, nerve=nerve))
        assert decision.action is Action.RESET

    def test_a_red_flag_beside_an_acknowledged_feature_still_pauses(self) -> None:
        state = self._reset_and_cleared(NerveFeature.LEG_PAIN_BELOW_KNEE)
        nerve = AskedNerveFeatures(leg_pain_below_knee=Answer.YES)
        flags = AskedRedFlags(progressive_neurological_deficit=Answer.YES)
        state, decision = step(state, check_in(3, nerve=nerve, red_flags=flags))
        assert state.status is PlanStatus.PAUSED
        assert decision.seek_care is not None

    @pytest.mark.parametrize(
        "reported",
        [
            (NerveFeature.LEG_OR_FOOT_WEAKNESS,),
            (NerveFeature.LEG_OR_FOOT_WEAKNESS, NerveFeature.LEG_PAIN_BELOW_KNEE),
        ],
    )
    def test_new_weakness_beside_an_acknowledged_feature_is_urgent(
        self, reported: tuple[NerveFeature, ...]
    ) -> None:
        """NV-WEAKNESS: new leg weakness at a session needs urgent care, whatever
        feature the clinician acknowledged before (PR-ACK masks only that one)."""
        state = self._reset_and_cleared(NerveFeature.LEG_PAIN_BELOW_KNEE)
        _, decision = step(state, session(state, 3, new=reported))
        assert decision.action is Action.RESET
        assert decision.seek_care is Disposition.URGENT
        assert "NV-WEAKNESS" in _ids(decision)

    @pytest.mark.parametrize(
        ("flags", "nerve"),
        [
            (
                AskedRedFlags(progressive_neurological_deficit=Answer.UNKNOWN),
                AskedNerveFeatures(leg_pain_below_knee=Answer.YES),
            ),
            (
                AskedRedFlags(),
                AskedNerveFeatures(
                    leg_pain_below_knee=Answer.YES,
                    numbness_or_tingling_in_a_line=Answer.UNKNOWN,
                ),
            ),
        ],
    )
    def test_not_sure_beside_an_acknowledged_feature_pauses_for_review(
        self, flags: AskedRedFlags, nerve: AskedNerveFeatures
    ) -> None:
        """PR-REDFLAG: an answer of not sure pauses for a review, even beside a
        feature the clinician acknowledged, whose grade alone needs no care."""
        state = self._reset_and_cleared(NerveFeature.LEG_PAIN_BELOW_KNEE)
        state, decision = step(state, check_in(3, nerve=nerve, red_flags=flags))
        assert decision.action is Action.PAUSE
        assert state.pause is PauseKind.REVIEW
        assert decision.seek_care is None

    def test_a_new_feature_at_a_session_beside_an_acknowledged_one_resets(
        self,
    ) -> None:
        """PR-NERVE: numbness new at a session resets the plan for review, even
        reported beside the leg pain the clinician acknowledged."""
        state = self._reset_and_cleared(NerveFeature.LEG_PAIN_BELOW_KNEE)
        new = (
            NerveFeature.NUMBNESS_OR_TINGLING_IN_A_LINE,
            NerveFeature.LEG_PAIN_BELOW_KNEE,
        )
        state, decision = step(state, session(state, 3, new=new))
        assert decision.action is Action.RESET
        assert state.pause is PauseKind.REVIEW

    def test_without_acknowledgement_the_same_feature_resets(self) -> None:
        state = self._reset_and_cleared()
        nerve = AskedNerveFeatures(leg_pain_below_knee=Answer.YES)
        _, decision = step(state, check_in(3, nerve=nerve))
        assert decision.action is Action.RESET


class TestInvariants:
    @settings(max_examples=300)
    @given(sts.journals(max_events=40))
    def test_invariant_16_no_exercise_while_paused_for_care(self, journal: Any) -> None:
        """Invariant 16: "While a plan is paused for `emergency` or `urgent`, no
        decision plans an exercise."
        """
        _, decisions = replay(journal)
        for decision in decisions:
            if decision.status is PlanStatus.PAUSED and (
                decision.seek_care in _PAUSED_FOR_CARE
            ):
                assert decision.doses == ()

    @settings(max_examples=300)
    @given(sts.journals(max_events=40))
    def test_invariant_17_no_advance_when_tired_or_across_a_gap(
        self, journal: Any
    ) -> None:
        """Invariant 17: "No `advance` on a day reported `very_tired` (yes or
        unknown), nor with sessions from before a >= 7-day gap in the advance
        window."

        Read from the journal alone: the days a check-in reported tiredness, and
        for each advance the sessions logged since the last gap of 7 days or
        more, which must be enough to fill the advance window by themselves.
        """
        _, decisions = replay(journal)
        tired = {
            e.date
            for e in journal
            if isinstance(e, lowback.CheckIn) and e.very_tired is not Answer.NO
        }
        sessions: list[dt.date] = []
        for event, decision in zip(journal, decisions, strict=True):
            if isinstance(event, lowback.SessionLogged):
                if sessions and (event.date - sessions[-1]).days >= T.gap_days:
                    sessions = []
                sessions.append(event.date)
            if decision.action is Action.ADVANCE:
                assert decision.date not in tired
                assert len(sessions) >= T.advance_sessions
                assert (sessions[-1] - sessions[0]).days >= T.advance_span_days
