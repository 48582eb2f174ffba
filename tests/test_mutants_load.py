"""Load behaviours a mutation test found unpinned (issue 12): LD-DELOAD's cut order.

Spec 3, LD-DELOAD: a spike cuts a dose by at least the deload fraction; the
engine cuts one part, sets first, then reps, then minutes, then hold time.
"""

from __future__ import annotations

import pytest

import lowback
from lowback import Dose, ExerciseId
from lowback.engine.load import deload, step_up


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
