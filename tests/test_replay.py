"""replay: a fold of step over a journal, deterministic, with JSON-path errors."""

from __future__ import annotations

from functools import reduce
from typing import Any

import pytest
from hypothesis import given, settings

import strategies as sts
from lowback import (
    Decision,
    InvalidInput,
    PlanStarted,
    PlanState,
    replay,
    step,
)
from progression_helpers import check_in, day


def fold(events: tuple[Any, ...]) -> tuple[PlanState, tuple[Decision, ...]]:
    """Step one event at a time."""

    def one(
        acc: tuple[PlanState | None, tuple[Decision, ...]], event: Any
    ) -> tuple[PlanState | None, tuple[Decision, ...]]:
        state, decision = step(acc[0], event)
        return state, (*acc[1], decision)

    start: tuple[PlanState | None, tuple[Decision, ...]] = (None, ())
    state, decisions = reduce(one, events, start)
    assert state is not None
    return state, decisions


class TestReplay:
    @settings(max_examples=200)
    @given(sts.journals())
    def test_replay_equals_stepping(self, events: tuple[Any, ...]) -> None:
        """Invariant 10: "`replay(events)` equals stepping one event at a time;
        the same events and ruleset give byte-identical JSON."
        """
        assert replay(events) == fold(events)

    @settings(max_examples=100)
    @given(sts.journals())
    def test_same_events_same_result(self, events: tuple[Any, ...]) -> None:
        """Replaying the same journal twice gives equal values."""
        assert replay(events) == replay(tuple(events))

    @settings(max_examples=100)
    @given(sts.journals())
    def test_every_decision_names_catalog_rules(self, events: tuple[Any, ...]) -> None:
        """Each decision names at least one rule, each with sources."""
        _, decisions = replay(events)
        for decision in decisions:
            assert decision.rules
            assert all(r.sources for r in decision.rules)


class TestJournalErrors:
    def test_empty_journal(self) -> None:
        """An empty journal is invalid at $[0]."""
        with pytest.raises(InvalidInput) as err:
            replay(())
        assert err.value.paths == ("$[0]",)

    def test_first_event_must_start_the_plan(self) -> None:
        """A journal that does not start with PlanStarted is invalid at $[0]."""
        with pytest.raises(InvalidInput) as err:
            replay((check_in(0),))
        assert err.value.paths == ("$[0]",)

    def test_out_of_order_event_names_its_path(self) -> None:
        """An event dated before the previous one is invalid at $[i].date."""
        start = PlanStarted(date=day(0), intake=sts.clear_intake())
        with pytest.raises(InvalidInput) as err:
            replay((start, check_in(3), check_in(2)))
        assert err.value.paths == ("$[2].date",)

    def test_second_plan_start_is_refused(self) -> None:
        """A journal holds one plan."""
        start = PlanStarted(date=day(0), intake=sts.clear_intake())
        with pytest.raises(InvalidInput) as err:
            replay(
                (
                    start,
                    check_in(1),
                    PlanStarted(date=day(2), intake=sts.clear_intake()),
                )
            )
        assert err.value.paths == ("$[2].type",)
