"""Load behaviours a mutation test found unpinned (issue 12).

Spec 3, LD-DELOAD: a spike cuts a dose by at least the deload fraction; the
engine cuts one part, sets first, then reps, then minutes, then hold time.
LD-PROGRESS steps a dose by at most 30 % [H]; LD-CAP compares each exercise
with its own dose last week (spec 5.2).
"""

from __future__ import annotations

import pytest

import lowback
from lowback import Dose, ExerciseId
from lowback.engine.load import (
    ExerciseDose,
    deload,
    planned_volume,
    step_up,
    within_cap,
)


class TestDeloadCutOrder:
    @pytest.mark.parametrize(
        ("dose", "cut"),
        [
            # Several sets: one part is enough, the sets.
            (Dose(sets=3, reps=10), Dose(sets=2, reps=10)),
            # One set: the reps.
            (Dose(sets=1, reps=10), Dose(sets=1, reps=7)),
            # One set of one timed bout: the minutes.
            (Dose(sets=1, minutes=10), Dose(sets=1, minutes=7)),
            # One set, one rep, held: the hold time.
            (
                Dose(sets=1, reps=1, hold_seconds=20.0),
                Dose(sets=1, reps=1, hold_seconds=14.0),
            ),
        ],
    )
    def test_each_part_is_cut_in_turn(self, dose: Dose, cut: Dose) -> None:
        """LD-DELOAD at 30 %: the first part that can lose 30 % and stay >= 1 is cut."""
        assert deload(ExerciseId.KNEE_TO_CHEST_SINGLE, dose, 0.3) == cut

    def test_a_hold_too_short_to_cut_is_dropped(self) -> None:
        """LD-DELOAD: a one-second hold of one rep cannot lose 30 %: dropped (None)."""
        dose = Dose(sets=1, reps=1, hold_seconds=1.0)
        assert deload(ExerciseId.KNEE_TO_CHEST_SINGLE, dose, 0.3) is None


class TestSetStep:
    @pytest.mark.parametrize(
        "exercise", [ExerciseId.PELVIC_TILT, ExerciseId.GLUTE_BRIDGE]
    )
    def test_a_new_set_takes_the_fewest_reps_that_still_add_volume(
        self, exercise: ExerciseId
    ) -> None:
        """LD-PROGRESS: at the rep ceiling a set is added with reps cut back so the
        volume rises gently: one rep fewer would not be more than before."""
        top = lowback.EXERCISES[exercise].ceiling
        dose = Dose(sets=1, reps=top.reps)
        bigger = step_up(exercise, dose)
        assert bigger.sets == 2
        assert bigger.reps is not None
        assert bigger.sets * bigger.reps > dose.sets * (dose.reps or 0)
        assert bigger.sets * (bigger.reps - 1) <= dose.sets * (dose.reps or 0)


class TestGentleStep:
    def test_a_rep_within_the_largest_step_keeps_the_hold(self) -> None:
        """One more rep of a held stretch, +25 %: within 30 %, so the hold stays.

        Only a step past 30 % brings the hold back down (as 2 -> 3 reps of
        30 s does, to 21 s).
        """
        dose = Dose(sets=1, reps=4, hold_seconds=12.0)
        bigger = step_up(ExerciseId.KNEE_TO_CHEST_SINGLE, dose)
        assert bigger == Dose(sets=1, reps=5, hold_seconds=12.0)


def _doses(*pairs: tuple[ExerciseId, Dose]) -> list[ExerciseDose]:
    return [ExerciseDose(exercise=e, dose=d) for e, d in pairs]


class TestCapPerExercise:
    TILT = ExerciseId.PELVIC_TILT
    TEN, TWELVE = Dose(sets=1, reps=10), Dose(sets=1, reps=12)

    @pytest.mark.parametrize(
        "first",
        [
            # The fixed isometric hold is outside the cap (LD-ISO) ...
            (ExerciseId.ISOMETRIC_HOLD, Dose(sets=6, reps=1, hold_seconds=10.0)),
            # ... and an exercise new this week has no dose of its own to compare.
            (ExerciseId.CLAMSHELL, Dose(sets=1, reps=8)),
        ],
    )
    def test_an_exercise_the_cap_skips_does_not_end_the_check(
        self, first: tuple[ExerciseId, Dose]
    ) -> None:
        """LD-CAP: the exercises after a skipped one are still compared."""
        reference = {
            self.TILT: self.TEN,
            ExerciseId.ISOMETRIC_HOLD: Dose(sets=5, reps=1, hold_seconds=8.0),
        }
        assert within_cap(_doses(first, (self.TILT, self.TEN)), reference, 0.1)
        assert not within_cap(_doses(first, (self.TILT, self.TWELVE)), reference, 0.1)

    def test_planned_volume_sums_only_the_exercises_asked_for(self) -> None:
        """The volume over some exercises leaves the others out."""
        doses = _doses(
            (self.TILT, self.TEN), (ExerciseId.CLAMSHELL, Dose(sets=2, reps=8))
        )
        assert planned_volume(doses) == 26.0
        assert planned_volume(doses, among={self.TILT: self.TEN}) == 10.0
        assert planned_volume(doses, among={}) == 0.0
