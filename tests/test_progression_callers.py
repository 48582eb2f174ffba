"""Careless callers at the engine: wrong arguments get lowback's own error,
values refuse invalid fields, and start_plan follows the disposition."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

import lowback
from lowback import (
    Disposition,
    InvalidInput,
    PlanStatus,
    Problem,
    Stage,
    prescription,
    replay,
    start_plan,
    step,
)
from lowback.engine.plan import PauseKind
from progression_helpers import DAY0, check_in, started, triage_result
from strategies import clear_intake


def _paths(err: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, ...]:
    return err.value.paths


class TestPlanStateFields:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("status", "paused"),
            ("stage", "integrate"),
            ("seek_care", "emergency"),
            ("pause", "review"),
            ("pain_now", 11),
            ("pain_now", True),
            ("started", dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)),
            ("last_date", "2026-11-01"),
            ("dropped", frozenset({"isometric_hold"})),
            ("doses", ({"exercise": "pelvic_tilt"},)),
        ],
    )
    def test_a_wrong_field_is_refused_with_its_path(
        self, field: str, value: Any
    ) -> None:
        """Plain strings rebuilt from database columns make no state (issue 12)."""
        with pytest.raises(InvalidInput) as err:
            attrs.evolve(started(), **{field: value})
        assert _paths(err)[0].startswith(f"$.{field}")
        assert repr(value) not in str(err.value)

    def test_a_paused_status_needs_a_pause_kind(self) -> None:
        with pytest.raises(InvalidInput) as err:
            attrs.evolve(started(), status=PlanStatus.PAUSED)
        assert _paths(err) == ("$.pause",)

    def test_an_active_plan_names_no_care_to_seek(self) -> None:
        with pytest.raises(InvalidInput) as err:
            attrs.evolve(started(), seek_care=Disposition.EMERGENCY)
        assert _paths(err) == ("$.seek_care",)

    def test_a_paused_state_offers_no_plan_and_never_advances(self) -> None:
        """The enum-built paused state: nothing but the safety net, and sessions hold."""
        state = attrs.evolve(
            started(),
            status=PlanStatus.PAUSED,
            pause=PauseKind.SEEK_CARE,
            seek_care=Disposition.EMERGENCY,
        )
        assert prescription(state).exercises == ()
        for n in range(1, 13):
            state, decision = step(state, check_in(n))
            assert decision.action is not lowback.Action.ADVANCE
        assert state.status is PlanStatus.PAUSED

    def test_a_decision_refuses_a_plain_string_action(self) -> None:
        _, decision = step(started(), check_in(1))
        with pytest.raises(InvalidInput) as err:
            attrs.evolve(decision, action="advance")  # type: ignore[arg-type]
        assert _paths(err) == ("$.action",)


class TestEntryPoints:
    def test_step_with_a_string_state(self) -> None:
        with pytest.raises(InvalidInput) as err:
            step("x", check_in(1))  # type: ignore[arg-type]
        assert err.value.problems == (
            Problem(
                path="state", code="wrong_type", detail="expected a PlanState or None"
            ),
        )

    @pytest.mark.parametrize(
        ("after_start", "event", "problem"),
        [
            (False, "x", ("$", "wrong_type", "expected an event")),
            (False, check_in(1), ("$.type", "unexpected", "the plan has not started")),
            (
                True,
                lowback.PlanStarted(date=DAY0, intake=clear_intake()),
                ("$.type", "unexpected", "a journal holds one plan"),
            ),
        ],
    )
    def test_step_refuses_an_event_out_of_place(
        self, after_start: bool, event: Any, problem: tuple[str, str, str]
    ) -> None:
        """Not an event, an event before the plan starts, a second start."""
        with pytest.raises(InvalidInput) as err:
            step(started() if after_start else None, event)
        path, code, detail = problem
        assert err.value.problems == (Problem(path=path, code=code, detail=detail),)

    def test_step_refuses_an_event_dated_before_the_last(self) -> None:
        state, _ = step(started(), check_in(5))
        with pytest.raises(InvalidInput) as err:
            step(state, check_in(4))
        assert err.value.problems == (
            Problem(
                path="$.date",
                code="out_of_order",
                detail="events must be in date order",
            ),
        )

    def test_step_with_no_thresholds(self) -> None:
        with pytest.raises(InvalidInput) as err:
            step(started(), check_in(1), thresholds=None)  # type: ignore[arg-type]
        assert err.value.problems == (
            Problem(path="thresholds", code="wrong_type", detail="expected Thresholds"),
        )

    def test_prescription_of_nothing(self) -> None:
        with pytest.raises(InvalidInput) as err:
            prescription(None)  # type: ignore[arg-type]
        assert _paths(err) == ("state",)

    def test_prescription_with_no_thresholds(self) -> None:
        with pytest.raises(InvalidInput) as err:
            prescription(started(), thresholds=None)  # type: ignore[arg-type]
        assert _paths(err) == ("thresholds",)

    def test_start_plan_of_nothing(self) -> None:
        with pytest.raises(InvalidInput) as err:
            start_plan(None, date=DAY0, entry_pain=3)  # type: ignore[arg-type]
        assert err.value.problems == (
            Problem(path="result", code="wrong_type", detail="expected a TriageResult"),
        )

    @pytest.mark.parametrize(
        "date",
        [dt.datetime(2026, 11, 1, 8, 30, tzinfo=dt.UTC), "2026-11-01", None, 20261101],
    )
    def test_start_plan_takes_a_date_only(self, date: Any) -> None:
        with pytest.raises(InvalidInput) as err:
            start_plan(triage_result(), date=date, entry_pain=3)
        assert err.value.problems == (
            Problem(
                path="date",
                code="wrong_type",
                detail="expected a date (not a datetime)",
            ),
        )

    @pytest.mark.parametrize(
        ("pain", "code", "detail"),
        [
            (True, "wrong_type", "expected int"),
            ("3", "wrong_type", "expected int"),
            (3.0, "wrong_type", "expected int"),
            (None, "wrong_type", "expected int"),
            (-1, "out_of_range", "must be 0..10"),
            (11, "out_of_range", "must be 0..10"),
        ],
    )
    def test_start_plan_takes_an_entry_pain_of_0_to_10(
        self, pain: Any, code: str, detail: str
    ) -> None:
        with pytest.raises(InvalidInput) as err:
            start_plan(triage_result(), date=DAY0, entry_pain=pain)
        assert err.value.problems == (
            Problem(path="$.entry_pain", code=code, detail=detail),
        )

    @pytest.mark.parametrize("pain", [0, 10])
    def test_start_plan_takes_the_ends_of_the_pain_scale(self, pain: int) -> None:
        state, _ = start_plan(triage_result(), date=DAY0, entry_pain=pain)
        assert (state.entry_pain, state.pain_now) == (pain, pain)

    def test_start_plan_takes_a_subclass_of_date(self) -> None:
        """A date subclass (as some date libraries make) is a date, not a datetime."""

        class LibraryDate(dt.date):
            pass

        state, _ = start_plan(
            triage_result(), date=LibraryDate(2026, 11, 1), entry_pain=3
        )
        assert state.started == DAY0

    def test_replay_takes_a_generator(self) -> None:
        events = (
            lowback.PlanStarted(date=DAY0, intake=clear_intake()),
            check_in(1),
            check_in(2, morning=3),
        )
        assert replay(e for e in events) == replay(events)
        assert replay(list(events)) == replay(events)

    @pytest.mark.parametrize("events", [None, 3, "[]", {"a": 1}])
    def test_replay_of_a_non_journal(self, events: Any) -> None:
        with pytest.raises(InvalidInput) as err:
            replay(events)
        assert err.value.problems == (
            Problem(
                path="events",
                code="wrong_type",
                detail="expected an iterable of events",
            ),
        )

    @pytest.mark.parametrize("events", [(), iter(()), (check_in(1),)])
    def test_replay_of_a_journal_without_its_start(self, events: Any) -> None:
        """An empty journal, or one whose first event is not plan_started."""
        with pytest.raises(InvalidInput) as err:
            replay(events)
        assert err.value.problems == (
            Problem(
                path="$[0]",
                code="wrong_type",
                detail="a journal starts with plan_started",
            ),
        )

    def test_the_intake_is_triaged_with_the_thresholds_given(self) -> None:
        """Pain now and at worst 4 starts at stage 2 by default (stage 1 from
        5), at stage 1 when the app lowers ``calm_entry_pain`` to 4 (EN-CALM)."""
        intake = clear_intake(pain_now=4, pain_worst_24h=4)
        start = lowback.PlanStarted(date=DAY0, intake=intake)
        default, _ = step(None, start)
        assert default.stage is Stage.RESTORE_MOBILITY
        lower = lowback.Thresholds(calm_entry_pain=4)
        calm, _ = step(None, start, thresholds=lower)
        assert calm.stage is Stage.CALM_AND_UNLOAD
        assert replay([start], thresholds=lower)[0].stage is Stage.CALM_AND_UNLOAD


class TestStartFollowsTheDisposition:
    @pytest.mark.parametrize("disposition", [Disposition.EMERGENCY, Disposition.URGENT])
    def test_an_emergency_result_claiming_an_active_plan_starts_none(
        self, disposition: Disposition
    ) -> None:
        """A loaded result saying emergency but also integrate/active (issue 12).

        Such a result cannot be built or loaded (TriageResult refuses it), so
        no plan can start from it; a consistent one starts a paused plan with
        no exercise.
        """
        with pytest.raises(lowback.InvalidInput):
            triage_result(
                disposition=disposition,
                entry_stage=Stage.INTEGRATE,
                plan_status=PlanStatus.ACTIVE,
            )
        result = triage_result(
            disposition=disposition, entry_stage=None, plan_status=None
        )
        state, decision = start_plan(result, date=DAY0, entry_pain=5)
        assert state.status is PlanStatus.PAUSED
        assert state.pause is PauseKind.SEEK_CARE
        assert state.seek_care is disposition
        assert decision.action is lowback.Action.PAUSE
        assert prescription(state).exercises == ()
