"""Progression behaviours a mutation test found unpinned (issue 12).

Each test states a boundary or combination of clinical spec sections 3, 4
and 5.2 through the public engine (``start_plan``/``step``), so it holds
whatever shape the engine's internals take.
"""

from __future__ import annotations

import attrs
import pytest

import lowback
from lowback import (
    Action,
    Answer,
    AskedNerveFeatures,
    AskedRedFlags,
    ClinicianCleared,
    Disposition,
    EnduranceHoldResult,
    ExerciseDone,
    ExerciseId,
    PauseKind,
    PlanState,
    PlanStatus,
    SelfCheckRecorded,
    Stage,
    step,
)
from lowback.engine import gates
from progression_helpers import check_in, day, session, started

S1, S2, S3, S4, S5 = tuple(Stage)
YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN


def ids(decision: lowback.Decision) -> set[str]:
    return {r.id for r in decision.rules}


def run_sessions(
    state: PlanState, days: tuple[int, ...], **kwargs: object
) -> tuple[PlanState, lowback.Decision]:
    """Log a green session on each of *days*."""
    decision = None
    for n in days:
        state, decision = step(state, session(state, n, **kwargs))  # type: ignore[arg-type]
    assert decision is not None
    return state, decision


def stage3_target() -> tuple[ExerciseDone, ...]:
    """Stage 3's exercises done at the top of the target (3 sets x 15 reps)."""
    return tuple(
        ExerciseDone(exercise=e, sets=3, reps=15)
        for e in lowback.STAGE_PLANS[S3].exercises
    )


class TestAdvanceWindow:
    """PR-ADVANCE: the last 3 sessions, spanning at least 5 days (spec 4)."""

    def test_three_sessions_spanning_exactly_five_days_advance(self) -> None:
        """Sessions on days 1, 3 and 6 span 5 days: enough to advance."""
        _, decision = run_sessions(started(S1, pain=4), (1, 3, 6))
        assert decision.action is Action.ADVANCE

    def test_three_sessions_spanning_four_days_hold(self) -> None:
        """Sessions on days 1, 3 and 5 span only 4 days: the plan holds on PR-TIME."""
        _, decision = run_sessions(started(S1, pain=4), (1, 3, 5))
        assert decision.action is Action.HOLD
        assert "PR-TIME" in ids(decision)

    def test_two_sessions_never_advance_however_far_apart(self) -> None:
        """Two sessions are fewer than the 3 PR-ADVANCE reads, even 10 days apart."""
        _, decision = run_sessions(started(S1, pain=4), (1, 11))
        assert decision.action is Action.HOLD
        assert "PR-TIME" in ids(decision)

    def test_the_window_reaches_back_to_span_the_days(self) -> None:
        """Daily sessions: the window grows back to 5 days, and all of it must be green.

        A session outside the green zone exactly 5 days before the last one is
        still in the window (the last 3 alone span only 2 days), so the plan
        holds; a day later it has left the window and the plan advances.
        """
        state = started(S1, pain=4)
        state, _ = run_sessions(state, (1,))
        state, _ = step(state, session(state, 2, during=4))
        for n in (3, 4, 5, 6, 7):
            state, decision = run_sessions(state, (n,))
            assert decision.action is Action.HOLD, n
        state, decision = run_sessions(state, (8,))
        assert decision.action is Action.ADVANCE

    def test_equal_pain_is_not_rising(self) -> None:
        """Pain during the same at the window's start and end is not a rising trend."""
        _, decision = run_sessions(started(S1, pain=4), (1, 3, 6), during=3)
        assert decision.action is Action.ADVANCE


class TestSessionMemory:
    """What the state keeps of a stage's sessions, however long the plan holds."""

    @staticmethod
    def holding(sessions_per_day: int, days: int) -> PlanState:
        """Stage 1, logging sessions outside the green zone (the plan holds)."""
        state = started(S1, pain=6)
        for n in range(1, days + 1):
            for _ in range(sessions_per_day):
                state, decision = step(state, session(state, n, during=4))
                assert decision.action is Action.HOLD
        return state

    def test_a_long_hold_keeps_the_last_56_days(self) -> None:
        """Daily sessions: from day 57 on, the state keeps the last 56 days."""
        state = self.holding(1, 56)
        assert [s.date for s in state.sessions] == [day(n) for n in range(1, 57)]
        for n in range(57, 80):
            state, _ = step(state, session(state, n, during=4))
            kept = [s.date for s in state.sessions]
            assert kept == [day(k) for k in range(n - 56, n + 1)], n
        assert state.stage is S1

    def test_sessions_out_of_reach_together_all_leave(self) -> None:
        """A session that puts two old ones past 56 days drops both at once."""
        days = (1, 2, *range(7, 58, 5), 59)
        state = started(S1, pain=6)
        for n in days:
            state, decision = step(state, session(state, n, during=4))
            assert decision.action is Action.HOLD
        assert [s.date for s in state.sessions] == [day(n) for n in days[2:]]

    def test_two_sessions_a_day_keep_the_newest_64(self) -> None:
        """Two sessions a day for 40 days: 80 are within 56 days, 64 are kept."""
        state = self.holding(2, 40)
        kept = [s.date for s in state.sessions]
        assert len(kept) == 64
        assert kept == sorted([day(n) for n in range(9, 41)] * 2)

    def test_the_kept_days_cover_every_window_the_thresholds_allow(self) -> None:
        """No PR-ADVANCE window reaches past the kept days, at any allowed thresholds.

        The window reaches back to the first session at least
        ``advance_span_days`` before the last, and a stage's sessions are
        less than ``gap_days`` apart (PR-GAP starts them afresh), so it never
        reaches ``span + gap`` days back.
        """
        high = {i.name: i.high for i in lowback.Thresholds.describe()}
        reach = high["advance_span_days"] + high["gap_days"]
        assert reach <= gates._KEEP_DAYS


class TestGateBoundaries:
    """The exact limits of each stage gate (spec 4, 5.2)."""

    def test_gate1_pain_four_passes_and_five_holds(self) -> None:
        """PR-GATE-1: pain now <= 4 leaves stage 1; 5 does not."""
        _, passed = run_sessions(started(S1, pain=6), (1, 3, 6), before=4)
        assert passed.action is Action.ADVANCE
        _, held = run_sessions(started(S1, pain=6), (1, 3, 6), before=5)
        assert held.action is Action.HOLD
        assert "PR-GATE-1" in ids(held)

    @pytest.mark.parametrize(
        ("seconds", "expected"), [(10.0, S4), (9.9, S3), (0.0, S3)]
    )
    def test_gate3_endurance_hold_of_ten_seconds_passes(
        self, seconds: float, expected: Stage
    ) -> None:
        """PR-GATE-3: a re-checked endurance hold of >= 10 s passes, less blocks.

        The seconds are the ones recorded by a self-check mid-plan.
        """
        state = attrs.evolve(started(S2, pain=2), stage=S3)
        recheck = EnduranceHoldResult(
            hold_seconds=seconds, shaking_early=NO, cramped=NO
        )
        state, _ = step(state, SelfCheckRecorded(date=day(0), results=(recheck,)))
        for n in (1, 3, 6):
            event = attrs.evolve(session(state, n), exercises=stage3_target())
            state, _ = step(state, event)
        assert state.stage is expected

    def test_gate3_target_is_the_goal_dose_exactly(self) -> None:
        """PR-GATE-3: every strength exercise at its goal (2 sets x 8 reps) passes.

        One exercise a rep short, or a set short, of its goal keeps stage 3.
        """
        state = attrs.evolve(started(S2, pain=2), stage=S3)
        goal = tuple(
            ExerciseDone(
                exercise=e,
                sets=lowback.EXERCISES[e].goal.sets,
                reps=lowback.EXERCISES[e].goal.reps or 1,
            )
            for e in lowback.STAGE_PLANS[S3].exercises
            if lowback.EXERCISES[e].kind is lowback.ExerciseKind.STRENGTH
        )
        assert {(x.sets, x.reps) for x in goal} == {(2, 8)}
        rep_short = (attrs.evolve(goal[0], reps=7), *goal[1:])
        set_short = (*goal[:-1], attrs.evolve(goal[-1], sets=1))
        for done, expected in ((goal, S4), (rep_short, S3), (set_short, S3)):
            s = state
            for n in (1, 3, 6):
                s, decision = step(s, attrs.evolve(session(s, n), exercises=done))
            assert s.stage is expected, done
            if expected is S3:
                assert "PR-GATE-3" in ids(decision)

    def _gate4_days(self, pain: int) -> int:
        """Days from day 1 until a stage-4 plan with habits advances at *pain*."""
        habit = (ExerciseDone(exercise=ExerciseId.DESK_BREAKS, sets=1, reps=1),)
        state = attrs.evolve(started(S2, pain=2), stage=S4)
        for n in range(1, 40):
            state, _ = step(state, session(state, n, before=pain, extra=habit))
            if state.stage is S5:
                return n
        return -1

    def test_gate4_counts_fourteen_days_at_pain_two(self) -> None:
        """PR-GATE-4: pain <= 2 held for 14 days; pain 2 counts, 3 never does."""
        first = self._gate4_days(2)
        # Pain is first low on day 1, so 14 days later is day 15.
        assert first == 15
        assert self._gate4_days(3) == -1

    def test_gate4_restarts_its_count_when_pain_rises(self) -> None:
        """PR-GATE-4: a day with pain above 2 starts the 14 days again."""
        habit = (ExerciseDone(exercise=ExerciseId.DESK_BREAKS, sets=1, reps=1),)
        state = attrs.evolve(started(S2, pain=2), stage=S4)
        for n in range(1, 11):
            state, _ = step(state, session(state, n, before=2, extra=habit))
        state, _ = step(state, check_in(11, pain=3, morning=2))
        for n in range(12, 25):
            state, _ = step(state, session(state, n, before=2, extra=habit))
            assert state.stage is S4, n
        state, decision = step(state, session(state, 26, before=2, extra=habit))
        assert decision.action is Action.ADVANCE


class TestDoseBlocks:
    """PR-HOLD's dose increase and the rules that block it (spec 3, 5.2)."""

    def test_no_increase_for_seven_days_after_a_spike_then_one(self) -> None:
        """LD-DELOAD-HOLD: 6 days after a spike no dose rises; 7 days after, it may."""
        state = started(S2, pain=3)
        state, _ = step(state, session(state, 10, during=7))
        assert state.stage is S1
        state, _ = step(state, session(state, 13))
        after_6 = step(state, session(state, 16))[1]
        assert "LD-DELOAD-HOLD" in ids(after_6)
        assert "LD-PROGRESS" not in ids(after_6)
        after_7 = step(state, session(state, 17))[1]
        assert "LD-DELOAD-HOLD" not in ids(after_7)
        assert "LD-PROGRESS" in ids(after_7)

    def test_a_seven_day_gap_blocks_the_next_increase_six_does_not(self) -> None:
        """LD-GAP / PR-GAP: >= 7 days without a session is a gap; 6 is not."""
        state, _ = run_sessions(started(S2, pain=3), (1,))
        gap = step(state, session(state, 8))[1]
        assert {"LD-GAP", "PR-GAP"} <= ids(gap) | {c.id for c in gap.checks}
        assert "LD-PROGRESS" not in ids(gap)
        no_gap = step(state, session(state, 7))[1]
        assert "LD-GAP" not in ids(no_gap)
        assert "PR-GAP" not in {c.id for c in no_gap.checks}
        assert "LD-PROGRESS" in ids(no_gap)

    def test_pain_three_during_is_green_four_is_not(self) -> None:
        """LD-MONITOR: pain during <= 3 is the green zone and allows a step up."""
        state = started(S2, pain=3)
        three = step(state, session(state, 1, during=3))[1]
        assert "LD-PROGRESS" in ids(three)
        four = step(state, session(state, 1, during=4))[1]
        assert "LD-PROGRESS" not in ids(four)
        assert "LD-MONITOR" in {c.id for c in four.checks if c.outcome.value == "fired"}


class TestSpikeBoundaries:
    """PR-SPIKE's limits (spec 3): during > 5, or after >= before + 2."""

    @pytest.mark.parametrize(
        ("before", "during", "after", "spike"),
        [
            (2, 5, 2, False),
            (2, 6, 2, True),
            (2, 1, 3, False),
            (2, 1, 4, True),
        ],
    )
    def test_session_spike_limits(
        self, before: int, during: int, after: int, spike: bool
    ) -> None:
        """Pain during 5 or a rise of 1 is acceptable; 6, or a rise of 2, spikes."""
        state = started(S2, pain=3)
        event = attrs.evolve(
            session(state, 1),
            pain_before=before,
            pain_during_max=during,
            pain_after=after,
        )
        decision = step(state, event)[1]
        assert (decision.action is Action.REGRESS) is spike


class TestRedFlagPauses:
    """PR-REDFLAG mid-plan (spec 4, 5.2): the care level of a pause."""

    def test_a_later_cauda_equina_flag_escalates_an_urgent_pause(self) -> None:
        """An urgent pause becomes an emergency when a CES flag is answered yes."""
        state = started(S2, pain=3)
        state, first = step(
            state,
            check_in(1, red_flags=AskedRedFlags(fever_or_unwell=YES)),
        )
        assert first.seek_care is Disposition.URGENT
        state, second = step(
            state,
            check_in(2, red_flags=AskedRedFlags(saddle_numbness=YES)),
        )
        assert second.seek_care is Disposition.EMERGENCY
        assert state.seek_care is Disposition.EMERGENCY
        assert state.pause is PauseKind.SEEK_CARE

    def test_a_red_flag_with_a_new_nerve_feature_keeps_its_care_level(self) -> None:
        """A CES flag and new leg weakness together reset the plan AND seek emergency care."""
        state = started(S2, pain=3)
        state, decision = step(
            state,
            check_in(
                1,
                red_flags=AskedRedFlags(bladder_or_bowel_change=YES),
                nerve=AskedNerveFeatures(leg_or_foot_weakness=YES),
            ),
        )
        assert decision.action is Action.RESET
        assert decision.seek_care is Disposition.EMERGENCY
        assert state.pause is PauseKind.SEEK_CARE
        assert state.stage is S1

    def test_an_unknown_red_flag_pauses_for_review_not_care(self) -> None:
        """A red flag answered unknown alone pauses for review, with no care level."""
        state = started(S2, pain=3)
        state, decision = step(
            state, check_in(1, red_flags=AskedRedFlags(fever_or_unwell=UNKNOWN))
        )
        assert decision.action is Action.PAUSE
        assert state.pause is PauseKind.REVIEW
        assert decision.seek_care is None
        assert "PR-REDFLAG" in ids(decision)

    def test_a_clearance_resets_the_pause_and_the_dropped_exercises(self) -> None:
        """PR-CLEAR: after a clearance no pause kind, no care level, nothing dropped."""
        state = started(S1, pain=6)
        state, _ = step(state, session(state, 1, during=7))
        assert state.dropped
        state, _ = step(
            state, check_in(2, red_flags=AskedRedFlags(fever_or_unwell=YES))
        )
        assert state.status is PlanStatus.PAUSED
        state, decision = step(
            state,
            ClinicianCleared(date=day(3), clinician="c", note="", resume_stage=S1),
        )
        assert decision.action is Action.RESUME
        assert state.status is PlanStatus.ACTIVE
        assert state.pause is None
        assert state.seek_care is None
        assert decision.seek_care is None
        assert state.dropped == frozenset()
        assert ExerciseId.ISOMETRIC_HOLD in {d.exercise for d in state.planned}
