"""The benchmarks' own claims, checked without timing anything."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from lowback import start_plan
from progression_helpers import triage_result

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def floor() -> Any:
    """benchmarks/bench_progression_floor.py, imported as a module."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        return importlib.import_module("bench_progression_floor")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


class TestProgressionFloor:
    """The lower bound times hand-inlined steps that give step's results."""

    def test_inlined_steps_equal_step(self, floor: Any) -> None:
        """On the benchmark journal, every inlined step equals step, and most
        events are stepped by inlined code."""
        start, _ = start_plan(triage_result(), date=dt.date(2026, 1, 1), entry_pain=6)
        events = floor.journal()[1:2001]
        plan = floor.checked_plan(start, events)
        inlined = [fn for fn, *_ in plan if fn is not None]
        assert len(plan) == len(events)
        assert {fn.__name__ for fn in inlined} == {"session_hold", "check_in_hold"}
        assert len(inlined) > len(events) // 2

    def test_a_wrong_inlined_step_is_caught(
        self, floor: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An inlined step that drops a rule is refused before anything is timed."""
        real = floor.check_in_hold

        def wrong(state: Any, event: Any) -> Any:
            after, decision = real(state, event)
            return after, attrs.evolve(decision, rules=decision.rules[1:])

        monkeypatch.setattr(floor, "check_in_hold", wrong)
        start, _ = start_plan(triage_result(), date=dt.date(2026, 1, 1), entry_pain=6)
        with pytest.raises(AssertionError, match="differs from step at event"):
            floor.checked_plan(start, floor.journal()[1:200])
