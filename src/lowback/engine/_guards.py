"""The transition table's guards, evaluated: when each rule allows a move.

Every edge of :data:`~lowback.engine.transitions.TRANSITIONS` names the
rules that must allow it. Here each guard rule ID has a predicate over the
move the engine is about to make (the edge, the states before and after,
the date, the rules that fired and the checks evaluated), and
:func:`allowed` requires every guard of the edge to hold. The engine calls
it for every decision, so a move its own rules did not justify (an advance
while paused, an advance with a gate unmet, a resume without a clearance)
cannot be made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType

from lowback.catalog import rule_ids as ids
from lowback.catalog.rules import Check, CheckOutcome, FiredRule
from lowback.catalog.stages import PlanStatus, Stage

from .gates import ADVANCE_CRITERIA
from .plan import PlanState
from .transitions import Action, Transition

_ACTIVE, _PAUSED = PlanStatus.ACTIVE, PlanStatus.PAUSED


class _Move:
    """The move being checked (private: built once per decision)."""

    __slots__ = ("after", "before", "checks", "date", "edge", "fired")

    def __init__(  # noqa: PLR0913, PLR0917 - one argument per part of a move
        self,
        edge: Transition,
        before: PlanState,
        after: PlanState,
        date: dt.date,
        fired: tuple[FiredRule, ...],
        checks: tuple[Check, ...],
    ) -> None:
        self.edge = edge
        self.before = before
        self.after = after
        self.date = date
        self.fired = fired
        self.checks = checks

    def met(self, rule_id: str) -> bool:
        """Whether a check of *rule_id* was evaluated and every one was met."""
        found = [c for c in self.checks if c.id == rule_id]
        return bool(found) and all(c.outcome is CheckOutcome.MET for c in found)

    def fired_id(self, rule_id: str) -> bool:
        return any(r.id == rule_id for r in self.fired)


def _red_flag(m: _Move) -> bool:
    # No advance while paused; a pause leaves the plan paused.
    action = m.edge.action
    if action is Action.ADVANCE:
        return m.after.status is _ACTIVE
    if action is Action.PAUSE:
        return m.after.status is _PAUSED
    return True


def _nerve(m: _Move) -> bool:
    action = m.edge.action
    if action is Action.ADVANCE:
        return m.after.status is _ACTIVE
    if action is Action.RESET:
        return m.after.status is _PAUSED and m.after.stage is Stage.CALM_AND_UNLOAD
    if action is Action.PAUSE:
        return m.after.status is _PAUSED
    return True


def _advance(m: _Move) -> bool:
    return all(m.met(rid) for rid in _ADVANCE_IDS)


def _gate(rule_id: str) -> Callable[[_Move], bool]:
    return lambda m: m.met(rule_id)


def _spike(m: _Move) -> bool:
    return m.after.last_regression == m.date and m.fired_id(ids.PR_SPIKE)


def _deload(m: _Move) -> bool:
    return m.fired_id(ids.LD_DELOAD)


def _clear(m: _Move) -> bool:
    # Only a clearance moves a paused plan back to active.
    if m.edge.action is Action.RESUME:
        return m.before.status is _PAUSED and m.after.status is _ACTIVE
    return True


def _override(m: _Move) -> bool:
    # An override never changes the status.
    return m.after.status is m.before.status


def _hold(m: _Move) -> bool:
    return m.after.stage is m.before.stage


_ADVANCE_IDS = tuple(dict.fromkeys(rule_id for rule_id, _ in ADVANCE_CRITERIA))

#: Each guard rule's predicate over a move.
GUARDS: Mapping[str, Callable[[_Move], bool]] = MappingProxyType(
    {
        ids.PR_REDFLAG: _red_flag,
        ids.PR_NERVE: _nerve,
        ids.PR_ADVANCE: _advance,
        ids.PR_SPIKE: _spike,
        ids.LD_DELOAD: _deload,
        ids.PR_CLEAR: _clear,
        ids.PR_OVERRIDE: _override,
        ids.PR_HOLD: _hold,
        **{gate: _gate(gate) for gate in ids.PR_GATE.values()},
    }
)


def allowed(  # noqa: PLR0913, PLR0917 - one argument per part of a move
    edge: Transition,
    before: PlanState,
    after: PlanState,
    date: dt.date,
    fired: tuple[FiredRule, ...],
    checks: tuple[Check, ...],
) -> bool:
    """Whether every guard of *edge* allows the move from *before* to *after*."""
    move = _Move(edge, before, after, date, fired, checks)
    return all(GUARDS[g](move) for g in edge.guards)
