"""Dose arithmetic: one step at a time, deloads, and the weekly cap."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

import strategies as sts
from lowback import EXERCISES, Dose, ExerciseId, ExerciseKind, Stage
from lowback.engine import _dosing
from lowback.engine.load import ExerciseDose, deload, start_doses, step_up, within_cap

_STEPPING = [e for e in ExerciseId if EXERCISES[e].kind is not ExerciseKind.ISOMETRIC]


def climb(exercise: ExerciseId) -> list[Dose]:
    """Every dose from the start to the ceiling."""
    doses = [EXERCISES[exercise].start]
    while (nxt := step_up(exercise, doses[-1])) != doses[-1]:
        doses.append(nxt)
    return doses


class TestStepUp:
    def test_reps_then_sets_then_hold(self) -> None:
        """LD-PROGRESS: reps rise first, then a set, then hold time."""
        doses = climb(ExerciseId.GLUTE_BRIDGE)
        first_set_change = next(i for i, d in enumerate(doses) if d.sets > 1)
        assert all(d.reps is not None for d in doses)
        assert (
            doses[first_set_change - 1].reps
            == EXERCISES[ExerciseId.GLUTE_BRIDGE].ceiling.reps
        )
        holds = [d.hold_seconds for d in doses]
        assert holds.index(max(h or 0 for h in holds)) > first_set_change

    @given(st.sampled_from(_STEPPING))
    def test_climb_stays_within_start_and_ceiling(self, exercise: ExerciseId) -> None:
        """Every step stays within the exercise's start..ceiling and changes one part."""
        info = EXERCISES[exercise]
        doses = climb(exercise)
        assert doses[-1] == info.ceiling or doses[-1].fits_within(info.ceiling)
        for a, b in itertools.pairwise(doses):
            assert b.fits_within(info.ceiling)
            assert b.volume > a.volume

    def test_isometric_hold_never_steps(self) -> None:
        """LD-ISO: the hold's dose is fixed."""
        start = EXERCISES[ExerciseId.ISOMETRIC_HOLD].start
        assert step_up(ExerciseId.ISOMETRIC_HOLD, start) == start


class TestDeload:
    @given(
        st.sampled_from(_STEPPING),
        st.integers(1, 10),
        st.integers(1, 50),
        st.none() | st.floats(1.0, 120.0),
        st.floats(0.3, 0.9),
    )
    def test_deload_cuts_at_least_the_fraction(
        self,
        exercise: ExerciseId,
        sets: int,
        reps: int,
        hold: float | None,
        fraction: float,
    ) -> None:
        """LD-DELOAD: the cut dose is at least *fraction* smaller, or dropped."""
        dose = Dose(sets=sets, reps=reps, hold_seconds=hold)
        cut = deload(exercise, dose, fraction)
        if cut is not None:
            assert cut.volume <= dose.volume * (1 - fraction) + 1e-9

    def test_smallest_dose_is_dropped(self) -> None:
        """A dose with nothing left to cut is dropped (None)."""
        assert deload(ExerciseId.PELVIC_TILT, Dose(sets=1, reps=1), 0.3) is None


class TestCap:
    def test_new_exercises_do_not_count(self) -> None:
        """LD-CAP compares only exercises planned last week."""
        doses = start_doses(Stage.RESTORE_MOBILITY)
        assert within_cap(doses, {}, 0.0)

    def test_growth_over_the_cap_is_refused(self) -> None:
        """A carried-over exercise may not grow beyond the cap."""
        ref = {ExerciseId.SHORT_WALKS: Dose(minutes=10)}
        grown = [ExerciseDose(exercise=ExerciseId.SHORT_WALKS, dose=Dose(minutes=12))]
        assert not within_cap(grown, ref, 0.1)
        assert within_cap(grown, ref, 0.2)


class TestEngineMemo:
    """The engine remembers step_up and deload answers; they must stay the same."""

    @given(st.sampled_from(ExerciseId), sts.doses)
    def test_remembered_step_is_step_up(self, exercise: ExerciseId, dose: Dose) -> None:
        """_stepped gives step_up's dose, or None exactly when step_up cannot grow it."""
        bigger = step_up(exercise, dose)
        remembered = _dosing._stepped(exercise, dose)
        assert remembered == (None if bigger == dose else bigger)
        assert _dosing._stepped(exercise, dose) is remembered

    @given(st.sampled_from(ExerciseId), sts.doses, st.floats(0.1, 0.9))
    def test_remembered_deload_is_deload(
        self, exercise: ExerciseId, dose: Dose, fraction: float
    ) -> None:
        """_deloaded gives deload's answer, the first time and after."""
        expected = deload(exercise, dose, fraction)
        assert _dosing._deloaded(exercise, dose, fraction) == expected
        assert _dosing._deloaded(exercise, dose, fraction) == expected

    def test_memos_are_bounded(self) -> None:
        """The memos forget their least recently used answers past their size."""
        for memo in (_dosing._stepped, _dosing._deloaded):
            assert memo.cache_info().maxsize == _dosing._MEMO_SIZE
        for reps in range(1, 10):
            dose = Dose(sets=1, reps=reps)
            _dosing._stepped(ExerciseId.PELVIC_TILT, dose)
        assert _dosing._stepped.cache_info().currsize <= _dosing._MEMO_SIZE
