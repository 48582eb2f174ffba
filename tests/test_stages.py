"""Stages are ordered 1 to 5 and step one at a time."""

from __future__ import annotations

import pytest

from lowback import Stage


class TestStage:
    def test_numbers_follow_the_spec(self) -> None:
        """calm_and_unload is 1 ... maintain is 5."""
        assert [s.number for s in Stage] == [1, 2, 3, 4, 5]
        assert Stage.CALM_AND_UNLOAD.number == 1
        assert Stage.MAINTAIN.number == 5

    def test_next_and_previous_are_inverse(self) -> None:
        """Stepping forward then back returns to the same stage."""
        for stage in Stage:
            if stage.next is not None:
                assert stage.next.previous is stage
                assert stage.next.number == stage.number + 1
        assert Stage.CALM_AND_UNLOAD.previous is None
        assert Stage.MAINTAIN.next is None

    @pytest.mark.parametrize("number", [0, 6, -1, True])
    def test_from_number_rejects_out_of_range(self, number: int) -> None:
        """Only 1..5 name a stage."""
        with pytest.raises(ValueError, match=r"1\.\.5"):
            Stage.from_number(number)

    def test_from_number_round_trips(self) -> None:
        """from_number inverts number."""
        for stage in Stage:
            assert Stage.from_number(stage.number) is stage
