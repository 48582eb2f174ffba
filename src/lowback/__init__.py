"""lowback: low back pain triage and staged self-management as a typed, explainable engine.

The main names are re-exported here; each lives in a small module named for
its domain concept (:mod:`lowback.red_flags`, :mod:`lowback.exercises`, ...).

>>> import lowback
>>> lowback.RULES["RF-CES"].disposition
<Disposition.EMERGENCY: 'emergency'>
"""

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .anatomy import IMBALANCES, MUSCLES, Imbalance, Muscle, MuscleGroup
from .answers import Answer
from .dispositions import URGENCY_ORDER, Disposition, most_urgent
from .errors import InvalidDefinition, InvalidInput, LowbackError, Problem
from .events import (
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    ClinicianCleared,
    ClinicianOverride,
    Event,
    EventType,
    ExerciseDone,
    Journal,
    PlanStarted,
    SelfCheckRecorded,
    SessionLogged,
)
from .exercises import (
    EXERCISES,
    STAGE_PLANS,
    Dose,
    Exercise,
    ExerciseId,
    ExerciseKind,
    StagePlan,
)
from .intake import Intake, RedFlagAnswers
from .load import ExerciseDose
from .messages import MESSAGES, render
from .prescription import Prescription, prescription
from .progression import (
    Decision,
    PauseKind,
    PlanState,
    SessionSummary,
    replay,
    start_plan,
    step,
)
from .red_flags import CES_FLAGS, RED_FLAGS, RedFlag, Suspicion
from .rules import RULES, RULESET_VERSION, FiredRule, Rule, RuleKind
from .self_checks import (
    FINDINGS,
    BackwardLeanResult,
    EnduranceHoldResult,
    ForwardBendResult,
    HoldDirection,
    SelfCheck,
    SelfCheckFinding,
    SelfCheckInterpretation,
    SelfCheckResult,
    SideBendResult,
    StopReason,
    interpret,
)
from .sources import SOURCES, Source, SourceId
from .stages import PlanStatus, Stage
from .symptoms import BodyRegion, NerveFeature, Onset, PainPattern, PainQuality, Side
from .thresholds import Thresholds
from .transitions import TRANSITIONS, Action, Transition, validate_transitions
from .triage import TriageResult, triage

if TYPE_CHECKING:  # real imports for type checkers; lazy at run time (no cattrs)
    from .serialization import (
        ReplayOutput,
        dumps,
        dumps_jsonl,
        json_schema,
        loads,
        loads_jsonl,
    )

#: Names served by :mod:`lowback.serialization`, imported on first use so that
#: ``import lowback`` stays light and does not import the wire modules.
_LAZY = frozenset(
    {"ReplayOutput", "dumps", "dumps_jsonl", "json_schema", "loads", "loads_jsonl"}
)


def __getattr__(name: str) -> Any:
    """Import the serialization names on first use (then kept as attributes)."""
    if name in _LAZY:
        from . import serialization  # noqa: PLC0415 - lazy on purpose

        value = getattr(serialization, name)
        globals()[name] = value  # later look-ups skip this function
        return value
    msg = f"module 'lowback' has no attribute {name!r}"
    raise AttributeError(msg)


__all__ = [
    "CES_FLAGS",
    "EXERCISES",
    "FINDINGS",
    "IMBALANCES",
    "MESSAGES",
    "MUSCLES",
    "RED_FLAGS",
    "RULES",
    "RULESET_VERSION",
    "SOURCES",
    "STAGE_PLANS",
    "TRANSITIONS",
    "URGENCY_ORDER",
    "Action",
    "Answer",
    "AskedNerveFeatures",
    "AskedRedFlags",
    "BackwardLeanResult",
    "BodyRegion",
    "CheckIn",
    "ClinicianCleared",
    "ClinicianOverride",
    "Decision",
    "Disposition",
    "Dose",
    "EnduranceHoldResult",
    "Event",
    "EventType",
    "Exercise",
    "ExerciseDone",
    "ExerciseDose",
    "ExerciseId",
    "ExerciseKind",
    "FiredRule",
    "ForwardBendResult",
    "HoldDirection",
    "Imbalance",
    "Intake",
    "InvalidDefinition",
    "InvalidInput",
    "Journal",
    "LowbackError",
    "Muscle",
    "MuscleGroup",
    "NerveFeature",
    "Onset",
    "PainPattern",
    "PainQuality",
    "PauseKind",
    "PlanStarted",
    "PlanState",
    "PlanStatus",
    "Prescription",
    "Problem",
    "RedFlag",
    "RedFlagAnswers",
    "ReplayOutput",
    "Rule",
    "RuleKind",
    "SelfCheck",
    "SelfCheckFinding",
    "SelfCheckInterpretation",
    "SelfCheckRecorded",
    "SelfCheckResult",
    "SessionLogged",
    "SessionSummary",
    "Side",
    "SideBendResult",
    "Source",
    "SourceId",
    "Stage",
    "StagePlan",
    "StopReason",
    "Suspicion",
    "Thresholds",
    "Transition",
    "TriageResult",
    "__version__",
    "dumps",
    "dumps_jsonl",
    "interpret",
    "json_schema",
    "loads",
    "loads_jsonl",
    "most_urgent",
    "prescription",
    "render",
    "replay",
    "start_plan",
    "step",
    "triage",
    "validate_transitions",
]
