"""Triage an intake file and print the explanation an app would show.

Run it with ``python examples/triage_intake.py [INTAKE.json]``; without an
argument it reads ``examples/data/intake.json``. The file is the wire
contract's Intake document; bad input is reported with its JSON path.
"""

from __future__ import annotations

import sys
from pathlib import Path

import lowback
from lowback import RULES, SOURCES, render

DATA = Path(__file__).resolve().parent / "data"


def explain(result: lowback.TriageResult) -> str:
    """Return a plain-text explanation of *result*: what, why, and when to seek help."""
    lines = [
        f"Disposition: {result.disposition.value}: {render(f'disposition.{result.disposition.value}')}",
        f"Pain pattern: {result.pain_pattern.value}",
    ]
    if result.red_flags:
        lines.append("Red flags: " + ", ".join(f.value for f in result.red_flags))
    if result.entry_stage is None:
        lines.append("Plan: none may start now.")
    else:
        status = result.plan_status.value if result.plan_status else "?"
        lines.append(
            f"Plan: stage {result.entry_stage.number} ({result.entry_stage.value}), {status}"
        )
    if result.findings:
        lines.append(
            "Self-check findings: " + ", ".join(f.value for f in result.findings)
        )
    if result.unknown_answers:
        lines.append("Answered 'not sure': " + ", ".join(result.unknown_answers))
    lines.append("Why:")
    for fired in result.rules:
        lines.append(f"  {fired.id}: {RULES[fired.id].summary}")
        lines.extend(f"    - {SOURCES[s].title} ({s.value})" for s in fired.sources)
    lines.append(f"Ruleset {result.ruleset_version}.")
    lines.append(f"When to seek help: {result.safety_net}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Read the intake named in *argv* (or the sample), triage it, print the explanation."""
    path = Path(argv[0]) if argv else DATA / "intake.json"
    try:
        intake = lowback.loads(path.read_bytes(), lowback.Intake)
    except lowback.InvalidInput as err:
        print(f"{path}: {err}", file=sys.stderr)
        return 3
    print(explain(lowback.triage(intake)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
