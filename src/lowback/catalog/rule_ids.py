"""The IDs of the progression (PR-*) and load-management (LD-*) rules, as constants.

The engines and the transition table name rules through these constants;
the rule IDs are written as strings only here and in the catalog
(:data:`lowback.catalog.rules.RULES`), and a test checks that every
constant names a catalog rule.

>>> PR_GATE[1]
'PR-GATE-1'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "LD_CAP",
    "LD_CAUTION",
    "LD_DELOAD",
    "LD_DELOAD_HOLD",
    "LD_DESK",
    "LD_GAP",
    "LD_ISO",
    "LD_MONITOR",
    "LD_PROGRESS",
    "LD_SETTLE",
    "LD_TIRED",
    "PROGRESSION_RULE_IDS",
    "PR_ACK",
    "PR_ADVANCE",
    "PR_CLEAR",
    "PR_GAP",
    "PR_GATE",
    "PR_GATE_1",
    "PR_GATE_2",
    "PR_GATE_3",
    "PR_GATE_4",
    "PR_HISTORY",
    "PR_HOLD",
    "PR_ISO",
    "PR_NERVE",
    "PR_OUTCOME",
    "PR_OUTCOME_WORSE",
    "PR_OVERRIDE",
    "PR_PAUSE_DOSE",
    "PR_PAUSE_WORDS",
    "PR_REDFLAG",
    "PR_SPIKE",
    "PR_TIME",
    "PR_TIRED",
]

PR_REDFLAG = "PR-REDFLAG"
PR_NERVE = "PR-NERVE"
PR_CLEAR = "PR-CLEAR"
PR_SPIKE = "PR-SPIKE"
PR_ISO = "PR-ISO"
PR_ADVANCE = "PR-ADVANCE"
PR_HOLD = "PR-HOLD"
PR_GATE_1 = "PR-GATE-1"
PR_GATE_2 = "PR-GATE-2"
PR_GATE_3 = "PR-GATE-3"
PR_GATE_4 = "PR-GATE-4"
PR_TIME = "PR-TIME"
PR_OVERRIDE = "PR-OVERRIDE"
LD_MONITOR = "LD-MONITOR"
LD_PROGRESS = "LD-PROGRESS"
LD_CAP = "LD-CAP"
LD_DELOAD = "LD-DELOAD"
LD_SETTLE = "LD-SETTLE"
LD_GAP = "LD-GAP"
LD_TIRED = "LD-TIRED"
LD_ISO = "LD-ISO"
LD_DESK = "LD-DESK"
# v2 amendments (clinical spec 5.2).
PR_PAUSE_DOSE = "PR-PAUSE-DOSE"
PR_PAUSE_WORDS = "PR-PAUSE-WORDS"
PR_GAP = "PR-GAP"
PR_TIRED = "PR-TIRED"
PR_ACK = "PR-ACK"
PR_HISTORY = "PR-HISTORY"
LD_DELOAD_HOLD = "LD-DELOAD-HOLD"
LD_CAUTION = "LD-CAUTION"
# Outcomes in the plan (clinical spec 6.2).
PR_OUTCOME = "PR-OUTCOME"
PR_OUTCOME_WORSE = "PR-OUTCOME-WORSE"

#: The gate rule of each stage by the number of the stage it leaves.
PR_GATE: Mapping[int, str] = MappingProxyType(
    {1: PR_GATE_1, 2: PR_GATE_2, 3: PR_GATE_3, 4: PR_GATE_4}
)

#: Every progression and load-management rule ID, in catalog order.
PROGRESSION_RULE_IDS: tuple[str, ...] = (
    PR_REDFLAG,
    PR_NERVE,
    PR_CLEAR,
    PR_SPIKE,
    PR_ISO,
    PR_ADVANCE,
    PR_HOLD,
    PR_GATE_1,
    PR_GATE_2,
    PR_GATE_3,
    PR_GATE_4,
    PR_TIME,
    PR_OVERRIDE,
    LD_MONITOR,
    LD_PROGRESS,
    LD_CAP,
    LD_DELOAD,
    LD_SETTLE,
    LD_GAP,
    LD_TIRED,
    LD_ISO,
    LD_DESK,
    PR_PAUSE_DOSE,
    PR_PAUSE_WORDS,
    PR_GAP,
    PR_TIRED,
    PR_ACK,
    LD_DELOAD_HOLD,
    PR_HISTORY,
    PR_OUTCOME,
    PR_OUTCOME_WORSE,
    LD_CAUTION,
)
