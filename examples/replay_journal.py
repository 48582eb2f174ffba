"""Replay a journal and print every decision, then today's prescription.

Run it with ``python examples/replay_journal.py [JOURNAL.jsonl]``; without an
argument it reads ``examples/data/journal.jsonl``: two weeks of check-ins and
sessions after the sample intake, with one flare-up. A journal is JSON Lines
(one event per line) or a JSON array of events.
"""

from __future__ import annotations

import sys
from pathlib import Path

import lowback
from lowback import RULES, render

DATA = Path(__file__).resolve().parent / "data"


def read_journal(path: Path) -> lowback.Journal:
    """Read a journal file: a JSON array of events, or JSON Lines."""
    text = path.read_text(encoding="utf-8")
    events: lowback.Journal = (
        lowback.loads(text, lowback.Journal)
        if text.lstrip().startswith("[")
        else lowback.loads_jsonl(text, lowback.Journal)
    )
    return events


def main(argv: list[str] | None = None) -> int:
    """Replay the journal named in *argv* (or the sample) and print the outcome."""
    path = Path(argv[0]) if argv else DATA / "journal.jsonl"
    try:
        events = read_journal(path)
        state, decisions = lowback.replay(events)
    except lowback.InvalidInput as err:
        print(f"{path}: {err}", file=sys.stderr)
        return 3
    print(f"{len(events)} events, ruleset {lowback.RULESET_VERSION}\n")
    for decision in decisions:
        move = decision.from_stage.value
        if decision.to_stage is not decision.from_stage:
            move += f" -> {decision.to_stage.value}"
        rules = ", ".join(r.id for r in decision.rules)
        print(f"{decision.date}  {decision.action.value:<8} {move}  [{rules}]")
    today = lowback.prescription(state)
    print(
        f"\nToday: stage {today.stage.number} ({today.stage.value}), {today.status.value}"
    )
    for item in today.exercises:
        print(f"  - {item.exercise.value}: {item.dose.describe()}")
    if today.habits:
        print("  habits: " + ", ".join(h.value for h in today.habits))
    for message_id in today.messages:
        print(f"  * {render(message_id)}")
    print(
        "Because: " + "; ".join(f"{r.id} ({RULES[r.id].summary})" for r in today.rules)
    )
    print(f"\n{today.safety_net}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
