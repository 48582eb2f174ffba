"""Print lowback's clinical catalog: stages, exercises with doses, red flags and rules.

Run it with ``python examples/catalog.py``.
"""

from __future__ import annotations

import lowback
from lowback import EXERCISES, RED_FLAGS, RULES, STAGE_PLANS, render


def main() -> None:
    """Print the catalog, stage by stage, then the red flags and the rules."""
    print(f"lowback {lowback.__version__}, ruleset {lowback.RULESET_VERSION}\n")
    for stage, plan in STAGE_PLANS.items():
        print(f"Stage {stage.number}: {stage.value} ({plan.tbc_approach})")
        print(f"  goal: {render(plan.goal)}")
        for exercise_id in plan.exercises:
            exercise = EXERCISES[exercise_id]
            print(
                f"  - {exercise_id.value}: start {exercise.start.describe()}; up to {exercise.ceiling.describe()}"
            )
        habits = ", ".join(h.value for h in plan.habits)
        print(f"  habits: {habits}\n")
    print("Red flags:")
    for flag, info in RED_FLAGS.items():
        print(f"  - {flag.value}: suggests {info.suggests.value}")
    print("\nRules:")
    for rule in RULES.values():
        sources = ", ".join(s.value for s in rule.sources)
        print(f"  {rule.id:<12} {rule.summary} [{sources}]")


if __name__ == "__main__":
    main()
