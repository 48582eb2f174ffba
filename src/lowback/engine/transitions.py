"""The stage machine's transition table, as data validated at import.

Every move the progression engine makes between stages is an edge of
:data:`TRANSITIONS`: from a stage, to a stage, by an :class:`Action`,
guarded by the rules named on it. The engine looks each move up here, so a
move that is not in the table cannot happen; the docs draw the stage
diagram from the same table.

:func:`validate_transitions` checks a table: every stage reachable from
stage 1, no dead ends (every stage can get back to stage 1), a red-flag
guard on every forward edge, and only catalog rule IDs as guards.

>>> edge = TRANSITIONS_BY_KEY[(Stage.CALM_AND_UNLOAD, Stage.RESTORE_MOBILITY, Action.ADVANCE)]
>>> edge.guards
('PR-REDFLAG', 'PR-NERVE', 'PR-ADVANCE', 'PR-GATE-1')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from lowback.catalog import rule_ids as ids
from lowback.catalog.rules import RULES
from lowback.catalog.stages import Stage
from lowback.errors import InvalidDefinition

__all__ = [
    "TRANSITIONS",
    "TRANSITIONS_BY_KEY",
    "Action",
    "Transition",
    "validate_transitions",
]


class Action(enum.StrEnum):
    """What a decision did to the plan."""

    #: Moved up exactly one stage (PR-ADVANCE).
    ADVANCE = "advance"
    #: Stayed in the stage (PR-HOLD); the dose may still change.
    HOLD = "hold"
    #: Moved down one stage, never below stage 1, and deloaded (PR-SPIKE).
    REGRESS = "regress"
    #: Back to stage 1 and paused after a new nerve feature (PR-NERVE).
    RESET = "reset"
    #: Paused for a clinician (PR-REDFLAG, PR-NERVE).
    PAUSE = "pause"
    #: A clinician cleared a paused plan (PR-CLEAR).
    RESUME = "resume"
    #: The plan started, active, at its entry stage.
    START = "start"
    #: A clinician set the stage explicitly; the status does not change.
    OVERRIDE = "override"


@attrs.frozen(kw_only=True)
class Transition:
    """One edge of the stage machine."""

    source: Stage
    target: Stage
    action: Action
    #: IDs of the rules that must allow the move.
    guards: tuple[str, ...]

    @property
    def is_forward(self) -> bool:
        """Whether the edge moves to a higher stage."""
        return self.target.number > self.source.number


_RED = ids.PR_REDFLAG


def _edges() -> Iterable[Transition]:
    stages = tuple(Stage)
    for s in stages:
        yield Transition(source=s, target=s, action=Action.HOLD, guards=(ids.PR_HOLD,))
        yield Transition(
            source=s, target=s, action=Action.PAUSE, guards=(_RED, ids.PR_NERVE)
        )
        yield Transition(source=s, target=s, action=Action.START, guards=(_RED,))
        yield Transition(
            source=s,
            target=stages[0],
            action=Action.RESET,
            guards=(ids.PR_NERVE,),
        )
        nxt, prev = s.next, s.previous
        if nxt is not None:
            yield Transition(
                source=s,
                target=nxt,
                action=Action.ADVANCE,
                guards=(_RED, ids.PR_NERVE, ids.PR_ADVANCE, ids.PR_GATE[s.number]),
            )
        yield Transition(
            source=s,
            target=prev or s,
            action=Action.REGRESS,
            guards=(ids.PR_SPIKE, ids.LD_DELOAD),
        )
        for t in stages:
            yield Transition(
                source=s, target=t, action=Action.RESUME, guards=(ids.PR_CLEAR, _RED)
            )
            yield Transition(
                source=s,
                target=t,
                action=Action.OVERRIDE,
                guards=(ids.PR_OVERRIDE, _RED),
            )


def validate_transitions(table: Iterable[Transition]) -> tuple[Transition, ...]:
    """Check *table* and return it as a tuple.

    Raises:
        InvalidDefinition: a stage is unreachable from stage 1, a stage
            cannot get back to stage 1 (a dead end), a forward edge lacks
            the red-flag guard, or a guard is not a catalog rule.

    >>> validate_transitions([])
    Traceback (most recent call last):
    lowback.errors.InvalidDefinition: unreachable stages: restore_mobility, strengthen_and_coordinate, integrate, maintain
    """
    edges = tuple(table)
    first = Stage.CALM_AND_UNLOAD
    for e in edges:
        unknown = [g for g in e.guards if g not in RULES]
        if unknown:
            raise InvalidDefinition(f"unknown guard rules: {', '.join(unknown)}")
        if e.is_forward and _RED not in e.guards:
            raise InvalidDefinition(
                f"forward edge {e.source} -> {e.target} ({e.action}) lacks {_RED}"
            )
    reachable = _closure({first}, {(e.source, e.target) for e in edges})
    missing = [s.value for s in Stage if s not in reachable]
    if missing:
        raise InvalidDefinition(f"unreachable stages: {', '.join(missing)}")
    back = _closure({first}, {(e.target, e.source) for e in edges})
    dead = [s.value for s in Stage if s not in back]
    if dead:
        raise InvalidDefinition(
            f"dead ends (no way back to stage 1): {', '.join(dead)}"
        )
    return edges


def _closure(start: set[Stage], pairs: set[tuple[Stage, Stage]]) -> set[Stage]:
    seen = set(start)
    frontier = list(start)
    while frontier:
        here = frontier.pop()
        for a, b in pairs:
            if a is here and b not in seen:
                seen.add(b)
                frontier.append(b)
    return seen


#: Every move of the stage machine. Validated at import.
TRANSITIONS: tuple[Transition, ...] = validate_transitions(_edges())

#: The edges by (source, target, action), for the engine's look-ups.
TRANSITIONS_BY_KEY: Mapping[tuple[Stage, Stage, Action], Transition] = MappingProxyType(
    {(e.source, e.target, e.action): e for e in TRANSITIONS}
)
