"""Decisions explain themselves (clinical spec 5.3): every rule and advance
condition evaluated, with the facts compared, and the replay text of a hold."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import lowback
from lowback import Action, Stage, step, wire
from lowback.catalog import rule_ids as ids
from lowback.catalog.rules import CheckOutcome
from lowback.cli import format_replay, main
from progression_helpers import check_in, day, session, started
from strategies import clear_intake


def _checks(decision: lowback.Decision) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for c in decision.checks:
        found.setdefault(c.id, []).append({"outcome": c.outcome, **c.facts})
    return found


class TestChecks:
    def test_a_hold_names_the_unmet_gate_with_its_numbers(self) -> None:
        """Pain 6 against a stage-1 gate of 4: PR-GATE-1 unmet, both numbers shown."""
        state = started(pain=6)
        state, _ = step(state, check_in(1, pain=6, morning=6))
        state, decision = step(state, session(state, 1, before=6))
        assert decision.action is Action.HOLD
        gate = _checks(decision)[ids.PR_GATE_1]
        assert gate == [
            {
                "outcome": CheckOutcome.UNMET,
                "pain_now": 6,
                "gate1_pain": 4,
            }
        ]
        time = _checks(decision)[ids.PR_TIME][0]
        assert time["outcome"] is CheckOutcome.UNMET
        assert time["sessions"] == 1

    def test_an_advance_lists_every_condition_met(self) -> None:
        state = started(pain=3)
        decision = None
        for n in (1, 3, 6):
            state, decision = step(state, session(state, n, before=3))
        assert decision is not None
        assert decision.action is Action.ADVANCE
        advance = [c for c in decision.checks if c.outcome is CheckOutcome.MET]
        assert {c.id for c in advance} == {
            ids.PR_TIME,
            ids.LD_MONITOR,
            ids.LD_SETTLE,
            ids.PR_ADVANCE,
            ids.PR_TIRED,
            ids.PR_OUTCOME_WORSE,
            ids.PR_GATE_1,
        }
        # The rules evaluated before the advance did not apply.
        unmet = [c.id for c in decision.checks if c.outcome is CheckOutcome.UNMET]
        assert unmet == [ids.PR_NERVE, ids.PR_SPIKE, ids.PR_CLEAR]

    def test_a_spike_fires_with_the_pains_compared(self) -> None:
        state = started()
        state, decision = step(state, session(state, 1, before=2, during=7))
        assert decision.action is Action.REGRESS
        spike = _checks(decision)[ids.PR_SPIKE][0]
        assert spike["outcome"] is CheckOutcome.FIRED
        assert (spike["pain_during_max"], spike["max_pain_during"]) == (7, 5)

    def test_a_tired_day_blocks_the_increase_as_a_fired_check(self) -> None:
        state = started()
        state, _ = step(state, check_in(1, tired=lowback.Answer.YES))
        state, decision = step(state, session(state, 1))
        assert _checks(decision)[ids.LD_TIRED][0]["outcome"] is CheckOutcome.FIRED
        assert ids.LD_TIRED in [r.id for r in decision.rules]

    def test_checks_travel_on_the_wire(self) -> None:
        state = started()
        state, decision = step(state, check_in(1, pain=6, morning=6))
        state, decision = step(state, session(state, 1, before=6))
        data = json.loads(wire.dumps(decision))
        gate = [c for c in data["checks"] if c["id"] == ids.PR_GATE_1]
        assert gate == [
            {
                "id": ids.PR_GATE_1,
                "outcome": "unmet",
                "facts": {"pain_now": 6, "gate1_pain": 4},
            }
        ]
        assert wire.loads(wire.dumps(decision), lowback.Decision) == decision


class TestReplayText:
    def test_a_hold_says_which_condition_failed_and_the_numbers(self) -> None:
        state = started(pain=6)
        state, first = step(state, session(state, 1, before=6))
        text = format_replay(state, (first,))
        assert "not met: PR-GATE-1" in text
        assert "pain now 6, gate1 pain 4" in text
        assert "not met: PR-TIME" in text
        assert "sessions 1, advance sessions 3" in text

    def test_an_advance_lists_no_unmet_condition(self) -> None:
        state = started(pain=3)
        decisions = []
        for n in (1, 3, 6):
            state, decision = step(state, session(state, n, before=3))
            decisions.append(decision)
        text = format_replay(state, tuple(decisions))
        last = text.splitlines()[-2]
        assert last.startswith(f"{day(6)}  advance")
        assert state.stage is Stage.RESTORE_MOBILITY

    def test_the_command_prints_the_unmet_conditions(self, tmp_path: Path) -> None:
        journal = tmp_path / "journal.jsonl"
        start = lowback.PlanStarted(date=day(0), intake=clear_intake(pain_now=6))
        events = (
            start,
            lowback.SessionLogged(
                date=day(1),
                exercises=(),
                pain_before=6,
                pain_during_max=1,
                pain_after=6,
                completed=True,
            ),
        )
        journal.write_text(wire.dumps_jsonl(events), encoding="utf-8")
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["replay", str(journal)]) == 0
        assert "not met: PR-GATE-1" in out.getvalue()
        assert "pain now 6, gate1 pain 4" in out.getvalue()
