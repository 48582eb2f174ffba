"""The progression rules as data: IDs as constants, every rule reachable, guards evaluated."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import lowback
from lowback import RULES, Action, PlanStatus, Stage, prescription, wire
from lowback.catalog import rule_ids as ids
from lowback.catalog.rules import Check, CheckOutcome, FiredRule
from lowback.engine import _guards
from lowback.engine.plan import PauseKind
from lowback.engine.transitions import TRANSITIONS, TRANSITIONS_BY_KEY
from progression_helpers import started

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import make_replay_corpus as corpus

SRC = Path(lowback.__file__).resolve().parent
#: The progression engine's modules (triage's tables are triage's own).
ENGINE = sorted(p for p in (SRC / "engine").glob("*.py") if p.name != "triage.py")


class TestRuleIds:
    def test_every_constant_names_a_catalog_rule(self) -> None:
        for rule_id in ids.PROGRESSION_RULE_IDS:
            assert rule_id in RULES
            assert RULES[rule_id].kind in {
                lowback.RuleKind.PROGRESSION,
                lowback.RuleKind.LOAD,
            }

    def test_every_progression_rule_has_a_constant(self) -> None:
        catalog = {
            r.id
            for r in RULES.values()
            if r.kind in {lowback.RuleKind.PROGRESSION, lowback.RuleKind.LOAD}
        }
        assert catalog == set(ids.PROGRESSION_RULE_IDS)

    @pytest.mark.parametrize("path", ENGINE, ids=lambda p: p.name)
    def test_no_progression_rule_id_is_a_literal_in_the_engine(
        self, path: Path
    ) -> None:
        """Rule IDs are string literals only in the catalog."""
        text = path.read_text(encoding="utf-8")
        for rule_id in ids.PROGRESSION_RULE_IDS:
            assert f'"{rule_id}"' not in text, (path.name, rule_id)

    @pytest.mark.parametrize("path", ENGINE, ids=lambda p: p.name)
    def test_the_engine_never_writes_into_a_value(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        for banned in ("__dict__", "object.__new__", "object.__setattr__"):
            assert banned not in text, (path.name, banned)


def test_every_progression_rule_fires_on_some_journal() -> None:
    """Each PR-/LD- rule is named by a decision of the golden corpus, or by
    the prescription of a replayed journal's final state (LD-DESK)."""
    seen: set[str] = set()
    for name in corpus.names():
        stored = json.loads(corpus.read(corpus.HERE / f"{name}.replay.json"))
        for decision in stored["decisions"]:
            seen.update(rule["id"] for rule in decision["rules"])
    # LD-DESK is a prescription rule: stage 4 offers desk breaks.
    at_stage_4 = attrs.evolve(started(), stage=Stage.INTEGRATE)
    seen.update(r.id for r in prescription(at_stage_4).rules)
    assert set(ids.PROGRESSION_RULE_IDS) <= seen


_DAY = dt.date(2026, 11, 9)
#: Changes to an active stage-2 plan (TestGuards.test_each_guard_alone).
_ACTIVE: dict[str, Any] = {}
_ACTIVE_AT_1 = {"stage": Stage.CALM_AND_UNLOAD}
_PAUSED = {"status": PlanStatus.PAUSED, "pause": PauseKind.REVIEW}
_PAUSED_AT_1 = {**_PAUSED, **_ACTIVE_AT_1}
_REGRESSED = {"last_regression": _DAY}


class TestGuards:
    """The transition table's guards are evaluated for every move."""

    def test_every_guard_of_the_table_has_a_predicate(self) -> None:
        for edge in TRANSITIONS:
            for guard in edge.guards:
                assert guard in _guards.GUARDS

    def _advance(self) -> lowback.Transition:
        return TRANSITIONS_BY_KEY[
            (Stage.CALM_AND_UNLOAD, Stage.RESTORE_MOBILITY, Action.ADVANCE)
        ]

    def test_an_advance_without_its_checks_is_refused(self) -> None:
        before = started()
        after = attrs.evolve(before, stage=Stage.RESTORE_MOBILITY)
        assert not _guards.allowed(
            self._advance(), before, after, dt.date(2026, 11, 9), (), ()
        )

    def test_an_advance_into_a_paused_plan_is_refused(self) -> None:
        before = started()
        after = attrs.evolve(
            before,
            stage=Stage.RESTORE_MOBILITY,
            status=PlanStatus.PAUSED,
            pause=PauseKind.REVIEW,
        )
        met = tuple(
            Check(id=i, outcome=CheckOutcome.MET)
            for i in (
                ids.PR_TIME,
                ids.LD_MONITOR,
                ids.LD_SETTLE,
                ids.PR_ADVANCE,
                ids.PR_TIRED,
                ids.PR_OUTCOME_WORSE,
                ids.PR_GATE_1,
            )
        )
        edge = self._advance()
        day = dt.date(2026, 11, 9)
        active = attrs.evolve(after, status=PlanStatus.ACTIVE, pause=None)
        assert _guards.allowed(edge, before, active, day, (), met)
        assert not _guards.allowed(edge, before, after, day, (), met)
        assert not _guards.allowed(edge, before, active, day, (), met[:-1])

    @pytest.mark.parametrize(
        ("guard", "action", "after", "fired", "expected"),
        [
            # PR-REDFLAG: no advance into a paused plan; a pause stays paused.
            (ids.PR_REDFLAG, Action.ADVANCE, _ACTIVE, (), True),
            (ids.PR_REDFLAG, Action.ADVANCE, _PAUSED, (), False),
            (ids.PR_REDFLAG, Action.PAUSE, _PAUSED, (), True),
            (ids.PR_REDFLAG, Action.PAUSE, _ACTIVE, (), False),
            # PR-NERVE: the same, and a reset pauses at stage 1.
            (ids.PR_NERVE, Action.ADVANCE, _PAUSED, (), False),
            (ids.PR_NERVE, Action.PAUSE, _ACTIVE, (), False),
            (ids.PR_NERVE, Action.PAUSE, _PAUSED, (), True),
            (ids.PR_NERVE, Action.RESET, _PAUSED_AT_1, (), True),
            (ids.PR_NERVE, Action.RESET, _ACTIVE_AT_1, (), False),
            (ids.PR_NERVE, Action.RESET, _PAUSED, (), False),
            # PR-SPIKE: the rule fired and the regression is dated today.
            (ids.PR_SPIKE, Action.REGRESS, _REGRESSED, (ids.PR_SPIKE,), True),
            (ids.PR_SPIKE, Action.REGRESS, _ACTIVE, (ids.PR_SPIKE,), False),
            (ids.PR_SPIKE, Action.REGRESS, _REGRESSED, (ids.LD_DELOAD,), False),
        ],
    )
    def test_each_guard_alone(
        self,
        guard: str,
        action: Action,
        after: dict[str, Any],
        fired: tuple[str, ...],
        expected: bool,
    ) -> None:
        """Each predicate refuses the moves its rule forbids, on its own.

        The other guards of an edge repeat some of these checks, so only a
        direct call shows that each one holds. The plan moves from an active
        stage 2 to the state *after* describes.
        """
        before = started(Stage.RESTORE_MOBILITY)
        edge = next(e for e in TRANSITIONS if e.action is action and guard in e.guards)
        move = _guards._Move(
            edge,
            before,
            attrs.evolve(before, **after),
            _DAY,
            tuple(FiredRule.of(r) for r in fired),
            (),
        )
        assert _guards.GUARDS[guard](move) is expected

    def test_a_resume_needs_a_paused_plan(self) -> None:
        before = started()
        edge = TRANSITIONS_BY_KEY[(before.stage, before.stage, Action.RESUME)]
        assert not _guards.allowed(edge, before, before, dt.date(2026, 11, 9), (), ())
        paused = attrs.evolve(before, status=PlanStatus.PAUSED, pause=PauseKind.REVIEW)
        assert _guards.allowed(edge, paused, before, dt.date(2026, 11, 9), (), ())


def test_the_corpus_decisions_round_trip() -> None:
    """The golden JSON reads back as the wire's ReplayOutput (small journals)."""
    text = corpus.read(corpus.HERE / "demo.replay.json")
    assert wire.dumps(wire.loads(text, wire.ReplayOutput)) + "\n" == text
