"""Benchmark: lowback's progression engine against the same machine in `transitions`.

Run: ``.venv/bin/python benchmarks/bench_progression.py``

A deterministic generator builds a 10,000-event journal (mostly sessions and
check-ins, with spikes, flags, clearances and gaps). We time, as medians of
several runs:

- ``step`` per event (the journal folded from a started plan),
- ``replay`` of the whole journal (``PlanStarted`` triaged first),
- the same five-stage machine written with the ``transitions`` library
  (states, triggers and condition callbacks reading the same events),

and print the medians and the ratio. ``step`` and the ``transitions``
machine are timed alternately, run after run, and the ratio reported is the
median of the per-run ratios, so that load from other processes on the
machine falls on both alike. The budget is ``step`` at most 1.0x the
``transitions`` time per event.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from transitions import Machine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from lowback import (
    Answer,
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    ClinicianCleared,
    ExerciseDone,
    ExerciseId,
    PlanStarted,
    SessionLogged,
    Stage,
    replay,
    start_plan,
    step,
)
from progression_helpers import triage_result
from strategies import clear_intake

EVENTS = 10_000
REPEATS = 9
DAY0 = dt.date(2026, 1, 1)
_DONE = (
    ExerciseDone(exercise=ExerciseId.PELVIC_TILT, sets=1, reps=8),
    ExerciseDone(exercise=ExerciseId.CAT_CAMEL, sets=1, reps=6),
    ExerciseDone(exercise=ExerciseId.GLUTE_BRIDGE, sets=2, reps=10),
    ExerciseDone(exercise=ExerciseId.SHORT_WALKS, sets=1, reps=1),
)


def journal(seed: int = 20261124) -> tuple[Any, ...]:
    """A deterministic journal: PlanStarted, then EVENTS - 1 events."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible journal, not security
    day = DAY0
    morning = 3
    events: list[Any] = [PlanStarted(date=day, intake=clear_intake())]
    while len(events) < EVENTS:
        day += dt.timedelta(days=rng.choice((0, 1, 1, 1, 2, 9)))
        roll = rng.random()
        if roll < 0.5:
            # Mostly green sessions; about one in twenty spikes.
            before = rng.randint(1, 4)
            during = rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4, 4) * 2 + (6,))
            events.append(
                SessionLogged(
                    date=day,
                    exercises=_DONE,
                    pain_before=before,
                    pain_during_max=during,
                    pain_after=max(0, before + rng.choice((-1, 0, 0, 1))),
                    completed=rng.random() < 0.9,
                )
            )
        elif roll < 0.95:
            # Morning pain drifts slowly, as it does in a settling back.
            morning = min(10, max(0, morning + rng.choice((-1, 0, 0, 0, 0, 0, 0, 1))))
            flags = AskedRedFlags()
            if rng.random() < 0.02:
                flags = AskedRedFlags(fever_or_unwell=Answer.UNKNOWN)
            events.append(
                CheckIn(
                    date=day,
                    pain_now=rng.randint(0, 4),
                    morning_pain=morning,
                    very_tired=rng.choice((Answer.NO, Answer.NO, Answer.YES)),
                    red_flags=flags,
                    nerve_features=AskedNerveFeatures(),
                )
            )
        else:
            stage = rng.choice(tuple(Stage))
            events.append(
                ClinicianCleared(date=day, clinician="c-1", note="", resume_stage=stage)
            )
    return tuple(events)


def median_seconds(fn: Any) -> float:
    """The median wall time of *fn()* over REPEATS runs."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def lowback_steps(events: tuple[Any, ...]) -> Any:
    """Fold the events after PlanStarted with step, from a hand-started plan."""
    state, _ = start_plan(triage_result(), date=DAY0, entry_pain=6)
    rest = events[1:]

    def run() -> None:
        s = state
        for event in rest:
            s, _ = step(s, event)

    return run


class _Plan:
    """The same five-stage machine for `transitions`: stages, pause, spike, advance."""

    def __init__(self) -> None:
        self.event: Any = None
        self.paused = False
        self.settled = 6
        self.greens: list[dt.date] = []
        self.last_regression: dt.date | None = None

    # conditions, evaluated by transitions on each trigger
    def is_flagged(self) -> bool:
        e = self.event
        return isinstance(e, CheckIn) and bool(
            e.red_flags.answered(Answer.YES) or e.red_flags.answered(Answer.UNKNOWN)
        )

    def is_spike(self) -> bool:
        e = self.event
        if isinstance(e, SessionLogged):
            return e.pain_during_max > 5 or e.pain_after >= e.pain_before + 2
        if isinstance(e, CheckIn):
            return e.morning_pain > self.settled
        return False

    def can_advance(self) -> bool:
        e = self.event
        if self.paused or not isinstance(e, SessionLogged) or e.pain_during_max > 3:
            self.greens.clear()
            return False
        self.greens.append(e.date)
        last = self.last_regression
        return (
            len(self.greens) >= 3
            and (self.greens[-1] - self.greens[0]).days >= 5
            and (last is None or (e.date - last).days >= 7)
        )

    def pause(self) -> None:
        self.paused = True

    def on_regress(self) -> None:
        self.last_regression = self.event.date
        self.greens.clear()

    def on_advance(self) -> None:
        self.greens.clear()


def transitions_machine(events: tuple[Any, ...]) -> Any:
    """The same journal through a `transitions` Machine."""
    names = [s.value for s in Stage]
    rows: list[dict[str, Any]] = []
    for i, name in enumerate(names):
        lower = names[max(0, i - 1)]
        rows.append({"trigger": "event", "source": name, "dest": name,
                     "conditions": "is_flagged", "after": "pause"})  # fmt: skip
        rows.append({"trigger": "event", "source": name, "dest": lower,
                     "conditions": "is_spike", "after": "on_regress"})  # fmt: skip
        if i + 1 < len(names):
            rows.append({"trigger": "event", "source": name, "dest": names[i + 1],
                         "conditions": "can_advance", "after": "on_advance"})  # fmt: skip
        rows.append({"trigger": "event", "source": name, "dest": name})
        rows.append({"trigger": "clear", "source": name, "dest": name})

    def run() -> None:
        plan = _Plan()
        machine = Machine(
            model=plan, states=names, transitions=rows, initial=names[0],
            auto_transitions=False,
        )  # fmt: skip
        del machine
        for event in events[1:]:
            plan.event = event
            if isinstance(event, ClinicianCleared):
                plan.paused = False
                plan.clear()  # type: ignore[attr-defined]
            else:
                plan.trigger("event")  # type: ignore[attr-defined]

    return run


def main() -> None:
    """Print the medians and ratios."""
    events = journal()
    n = len(events) - 1
    fold, machine = lowback_steps(events), transitions_machine(events)
    step_times, machine_times, ratios = [], [], []
    for _ in range(REPEATS):
        pair = []
        for fn in (fold, machine):
            start = time.perf_counter()
            fn()
            pair.append((time.perf_counter() - start) / n)
        step_times.append(pair[0])
        machine_times.append(pair[1])
        ratios.append(pair[0] / pair[1])
    step_s = statistics.median(step_times)
    trans_s = statistics.median(machine_times)
    ratio = statistics.median(ratios)
    replay_s = median_seconds(lambda: replay(events))
    print(f"journal: {len(events)} events, {REPEATS} runs each, medians")
    print(f"lowback step:        {step_s * 1e6:8.2f} us/event")
    print(
        f"lowback replay:      {replay_s * 1e3:8.2f} ms per {len(events)}-event journal"
    )
    print(f"transitions machine: {trans_s * 1e6:8.2f} us/event")
    print(
        f"ratio step/transitions: {ratio:.2f}x (median of paired runs; budget <= 1.0x)"
    )
    print("within budget" if ratio <= 1.0 else "OVER budget")


if __name__ == "__main__":
    main()
