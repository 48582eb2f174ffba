"""The plan's state and the decisions about it: the progression engine's values.

:class:`PlanState` holds everything the PR-* and LD-* rules must remember
about a plan; :class:`Decision` says what one event did and why. The engine
(:mod:`lowback.engine.progression`) makes them; apps read them (and
:mod:`lowback.engine.prescription` turns a state into today's plan).

>>> PauseKind.REVIEW.value
'review'
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

import attrs

from lowback.catalog.dispositions import Disposition
from lowback.catalog.exercises import EXERCISES, STAGE_PLANS, Dose, ExerciseId
from lowback.catalog.rules import RULESET_VERSION, FiredRule
from lowback.catalog.self_checks import HoldDirection
from lowback.catalog.stages import PlanStatus, Stage

from .load import ExerciseDose
from .outcomes import OutcomeRecord
from .transitions import Action

__all__ = ["Decision", "PauseKind", "PlanState", "SessionSummary"]

_V = TypeVar("_V")

_CATALOG_ORDER = tuple(ExerciseId)
_PLAN_EXERCISES = {stage: plan.exercises for stage, plan in STAGE_PLANS.items()}
_FIRST_DOSES = {e: ExerciseDose(exercise=e, dose=x.start) for e, x in EXERCISES.items()}


class PauseKind(enum.StrEnum):
    """Why a plan is paused, which decides what it still offers."""

    #: A red flag answered yes, or triage gave emergency/urgent: no exercise at all.
    SEEK_CARE = "seek_care"
    #: Waiting for review: unloading positions and short walks only.
    REVIEW = "review"


# Not slotted, like PlanState: the engine builds one per session with
# :func:`_made`.
@attrs.frozen(kw_only=True, slots=False)
class SessionSummary:
    """What the advance rules remember of one session in the current stage."""

    date: dt.date
    pain_during_max: int
    #: No spike, pain in the green zone, completed, morning pain settled.
    green: bool
    #: A mobility or stretch exercise of the stage was done (PR-GATE-2).
    mobility: bool
    #: A daily habit of stage 4 was logged (PR-GATE-4).
    habits: bool
    #: Every strength exercise was done at its target dose (PR-GATE-3).
    on_target: bool


class _cached(Generic[_V]):  # noqa: N801 - used as a decorator, like cached_property
    """:func:`functools.cached_property` without the lock it takes on Python 3.11.

    The value is computed on first use and kept in the instance's
    ``__dict__`` (invisible to attrs' ``__eq__``, ``__repr__`` and the wire).
    The engine, which builds states by changing a copy's ``__dict__``, drops
    it whenever a field it is computed from changes (:func:`_replan`). Values
    are immutable, so two threads computing it at once compute the same.
    """

    def __init__(self, func: Callable[[Any], _V]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _cached[_V]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> _V: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


# Not slotted: the engine copies states on every event, and copying a
# ``__dict__`` is several times faster than re-running ``__init__``.
@attrs.frozen(kw_only=True, slots=False)
class PlanState:
    """Everything the rules must remember about a plan, and nothing more."""

    stage: Stage
    status: PlanStatus
    #: Why the plan is paused; ``None`` while active.
    pause: PauseKind | None = None
    #: The disposition to seek while paused for a red flag.
    seek_care: Disposition | None = None
    #: The plan's first day; weeks for LD-CAP count from it.
    started: dt.date
    #: The date of the last event, to keep the journal in order.
    last_date: dt.date
    #: Pain now at intake (PR-GATE-1).
    entry_pain: int
    #: The latest pain now reported.
    pain_now: int
    #: The last settled morning pain (PR-SPIKE, LD-SETTLE).
    settled_morning_pain: int
    #: Whether the latest morning pain had settled.
    morning_settled: bool = True
    #: The latest morning pain reported, settled or not.
    last_morning_pain: int | None = None
    #: Since when pain now has stayed at or below the stage-4 gate (PR-GATE-4).
    low_pain_since: dt.date | None = None
    #: The recent sessions of the current stage, oldest first (PR-ADVANCE).
    sessions: tuple[SessionSummary, ...] = ()
    last_regression: dt.date | None = None
    last_session: dt.date | None = None
    #: The last day the person said they were very tired (LD-TIRED).
    tired_on: dt.date | None = None
    #: The current dose of every exercise dosed so far.
    doses: tuple[ExerciseDose, ...] = ()
    #: Exercises left out after a deload could not cut them (LD-ISO, PR-ISO).
    dropped: frozenset[ExerciseId] = frozenset()
    #: The week of the plan (0 = the first 7 days).
    week: int = 0
    #: Last week's doses, the base of the weekly cap (LD-CAP).
    reference: tuple[ExerciseDose, ...] = ()
    #: The latest endurance-hold re-check in seconds (PR-GATE-3).
    endurance_seconds: float | None = None
    #: The easier direction for the isometric hold, from triage.
    hold_direction: HoldDirection | None = None
    #: Each measure's baseline and latest answers, in the order first recorded.
    outcomes: tuple[OutcomeRecord, ...] = ()
    #: The last day an outcome was worse than its baseline (PR-OUTCOME-WORSE).
    outcome_worse_on: dt.date | None = None

    @property
    def dose_map(self) -> dict[ExerciseId, Dose]:
        """The current doses by exercise."""
        return {d.exercise: d.dose for d in self.doses}

    @_cached
    def planned(self) -> tuple[ExerciseDose, ...]:
        """The current stage's exercises and doses, without dropped ones."""
        known = {d.exercise: d for d in self.doses}
        dropped = self.dropped
        return tuple(
            known.get(e) or _FIRST_DOSES[e]
            for e in _PLAN_EXERCISES[self.stage]
            if e not in dropped
        )

    @property
    def iso_dropped(self) -> bool:
        """Whether the pain-calming hold has been dropped (PR-ISO)."""
        return ExerciseId.ISOMETRIC_HOLD in self.dropped


# Not slotted, like PlanState: the engine builds one per event with
# :func:`_decision`, which fills the ``__dict__`` in one step.
@attrs.frozen(kw_only=True, slots=False)
class Decision:
    """What one event did to the plan, and why."""

    date: dt.date
    action: Action
    from_stage: Stage
    to_stage: Stage
    #: The plan's status after the event.
    status: PlanStatus
    #: The doses planned from now on for the stage's exercises.
    doses: tuple[ExerciseDose, ...]
    #: The rules that decided, with their sources. On a ``hold`` these are
    #: ``PR-HOLD`` followed by each advance condition or stage gate that was
    #: not met (so a clinician sees why the plan did not move) and any rule
    #: that blocked a dose increase.
    rules: tuple[FiredRule, ...]
    ruleset_version: str = RULESET_VERSION
    #: Message IDs to show (see :mod:`lowback.catalog.messages`).
    messages: tuple[str, ...] = ()
    #: Where to seek care when a red flag paused the plan.
    seek_care: Disposition | None = None


_T = TypeVar("_T")
_new = object.__new__
_setattr = object.__setattr__


def _made(cls: type[_T], fields: dict[str, Any]) -> _T:
    """An instance of the frozen, unslotted *cls* with *fields* as its ``__dict__``.

    For values the engine computes from its own valid state and tables,
    where ``__init__`` would have nothing to check: *fields* must name every
    field of *cls* with a value of its type, and nobody else may hold it.
    """
    new = _new(cls)
    _setattr(new, "__dict__", fields)
    return new


def _begin(state: PlanState) -> tuple[PlanState, dict[str, Any]]:
    """Start the next state: a copy of *state* and its fields, to change in place.

    The engine changes the copy's fields directly while it applies one
    event, then returns it: one copy per event instead of one per rule.
    The copy must not escape before it is finished. Whoever changes
    ``stage``, ``doses`` or ``dropped`` drops the cached
    :attr:`PlanState.planned` (:func:`_replan`).
    """
    fields = state.__dict__.copy()
    return _made(PlanState, fields), fields


def _replan(fields: dict[str, Any]) -> None:
    """Forget the cached :attr:`PlanState.planned` after its inputs changed."""
    fields.pop("planned", None)
