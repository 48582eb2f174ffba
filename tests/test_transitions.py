"""The transition table: validated at import, and broken tables raise."""

from __future__ import annotations

import attrs
import pytest

from lowback import (
    TRANSITIONS,
    Action,
    InvalidDefinition,
    Stage,
    Transition,
    validate_transitions,
)
from lowback.engine.transitions import TRANSITIONS_BY_KEY


class TestTable:
    def test_every_forward_edge_has_a_red_flag_guard(self) -> None:
        """Each move to a higher stage names PR-REDFLAG among its guards."""
        forward = [e for e in TRANSITIONS if e.is_forward]
        assert forward
        assert all("PR-REDFLAG" in e.guards for e in forward)

    def test_advances_go_exactly_one_stage_with_their_gate(self) -> None:
        """Advance edges move one stage and carry that stage's gate."""
        advances = [e for e in TRANSITIONS if e.action is Action.ADVANCE]
        assert {e.source for e in advances} == set(Stage) - {Stage.MAINTAIN}
        for e in advances:
            assert e.target.number == e.source.number + 1
            assert f"PR-GATE-{e.source.number}" in e.guards

    def test_regress_never_goes_below_stage_one(self) -> None:
        """Regress edges go down one stage, or stay at stage 1."""
        for e in TRANSITIONS:
            if e.action is Action.REGRESS:
                assert e.target.number == max(1, e.source.number - 1)

    def test_lookup_matches_table(self) -> None:
        """The engine's look-up holds every edge."""
        assert len(TRANSITIONS_BY_KEY) == len(TRANSITIONS)


class TestValidator:
    def test_the_shipped_table_is_valid(self) -> None:
        """validate_transitions accepts TRANSITIONS unchanged."""
        assert validate_transitions(TRANSITIONS) == TRANSITIONS

    def test_unreachable_stage_raises(self) -> None:
        """A table with no way into stage 5 is refused."""
        table = [e for e in TRANSITIONS if e.target is not Stage.MAINTAIN]
        with pytest.raises(InvalidDefinition, match="unreachable"):
            validate_transitions(table)

    def test_dead_end_raises(self) -> None:
        """A stage with no way back to stage 1 is refused."""
        table = [
            e
            for e in TRANSITIONS
            if e.source is not Stage.MAINTAIN or e.target is Stage.MAINTAIN
        ]
        with pytest.raises(InvalidDefinition, match="dead end"):
            validate_transitions(table)

    def test_forward_edge_without_red_flag_guard_raises(self) -> None:
        """An advance that ignores red flags is refused."""
        edge = next(e for e in TRANSITIONS if e.action is Action.ADVANCE)
        bad = attrs.evolve(edge, guards=("PR-ADVANCE",))
        with pytest.raises(InvalidDefinition, match="PR-REDFLAG"):
            validate_transitions([*TRANSITIONS, bad])

    def test_unknown_guard_raises(self) -> None:
        """A guard that is not a catalog rule is refused."""
        bad = Transition(
            source=Stage.INTEGRATE,
            target=Stage.INTEGRATE,
            action=Action.HOLD,
            guards=("PR-NOPE",),
        )
        with pytest.raises(InvalidDefinition, match="unknown"):
            validate_transitions([*TRANSITIONS, bad])
