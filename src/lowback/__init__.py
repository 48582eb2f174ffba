"""lowback: low back pain triage and staged self-management as a typed, explainable engine.

The main names are re-exported here; each lives in a small module named for
its domain concept (:mod:`lowback.catalog.red_flags`, :mod:`lowback.catalog.exercises`, ...).

>>> import lowback
>>> lowback.RULES["RF-CES"].disposition
<Disposition.EMERGENCY: 'emergency'>
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # the real imports, for type checkers; see _MODULES
    from .catalog.anatomy import IMBALANCES, MUSCLES, Imbalance, Muscle, MuscleGroup
    from .catalog.answers import Answer
    from .catalog.dispositions import URGENCY_ORDER, Disposition, most_urgent
    from .catalog.events import (
        AskedNerveFeatures,
        AskedRedFlags,
        CheckIn,
        ClinicianCleared,
        ClinicianOverride,
        Event,
        EventType,
        ExerciseDone,
        Journal,
        OutcomeRecorded,
        PlanStarted,
        SelfCheckRecorded,
        SessionLogged,
    )
    from .catalog.exercises import (
        EXERCISES,
        STAGE_PLANS,
        Dose,
        Exercise,
        ExerciseId,
        ExerciseKind,
        StagePlan,
    )
    from .catalog.intake import HistoryFlags, Intake, RedFlagAnswers
    from .catalog.messages import MESSAGES, render
    from .catalog.outcomes import (
        INSTRUMENTS,
        ChangeClass,
        Instrument,
        Measure,
        NprsAnswers,
        OdiAnswers,
        PegAnswers,
        PsfsActivity,
        PsfsAnswers,
        RmdqAnswers,
        StartBackAnswers,
        StartBackRisk,
    )
    from .catalog.red_flags import CES_FLAGS, RED_FLAGS, RedFlag, Suspicion
    from .catalog.rules import (
        RULES,
        RULESET_VERSION,
        Check,
        CheckOutcome,
        FiredRule,
        Rule,
        RuleKind,
    )
    from .catalog.self_checks import (
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
    from .catalog.sources import SOURCES, Source, SourceId
    from .catalog.stages import PlanStatus, Stage
    from .catalog.symptoms import (
        BodyRegion,
        NerveFeature,
        Onset,
        PainPattern,
        PainQuality,
        Side,
    )
    from .catalog.thresholds import Thresholds
    from .engine.load import ExerciseDose
    from .engine.outcomes import (
        OutcomeChange,
        OutcomeRecord,
        OutcomeScore,
        ScoreReport,
        classify_change,
        score,
    )
    from .engine.plan import Decision, PauseKind, PlanState, SessionSummary
    from .engine.prescription import PrescribedExercise, Prescription, prescription
    from .engine.progress import MeasureProgress, progress
    from .engine.progression import replay, start_plan, step
    from .engine.transitions import (
        TRANSITIONS,
        Action,
        Transition,
        validate_transitions,
    )
    from .engine.triage import RedFlagGrade, TriageResult, grade_red_flags, triage
    from .errors import (
        InvalidDefinition,
        InvalidInput,
        LowbackError,
        NotAWireValue,
        Problem,
        ReasonCode,
    )
    from .wire import ReplayOutput, dumps, dumps_jsonl, json_schema, loads, loads_jsonl

#: Where each public name lives. ``import lowback`` imports none of these
#: modules: each name is imported from its module on first use, so a
#: program pays only for the parts it reaches (and ``cattrs`` loads with
#: the wire). Keep it equal to the imports above (a test checks).
_MODULES: dict[str, tuple[str, ...]] = {
    ".catalog.anatomy": (
        "IMBALANCES",
        "MUSCLES",
        "Imbalance",
        "Muscle",
        "MuscleGroup",
    ),
    ".catalog.answers": ("Answer",),
    ".catalog.dispositions": (
        "URGENCY_ORDER",
        "Disposition",
        "most_urgent",
    ),
    ".catalog.events": (
        "AskedNerveFeatures",
        "AskedRedFlags",
        "CheckIn",
        "ClinicianCleared",
        "ClinicianOverride",
        "Event",
        "EventType",
        "ExerciseDone",
        "Journal",
        "OutcomeRecorded",
        "PlanStarted",
        "SelfCheckRecorded",
        "SessionLogged",
    ),
    ".catalog.exercises": (
        "EXERCISES",
        "STAGE_PLANS",
        "Dose",
        "Exercise",
        "ExerciseId",
        "ExerciseKind",
        "StagePlan",
    ),
    ".catalog.intake": (
        "HistoryFlags",
        "Intake",
        "RedFlagAnswers",
    ),
    ".catalog.messages": (
        "MESSAGES",
        "render",
    ),
    ".catalog.outcomes": (
        "INSTRUMENTS",
        "ChangeClass",
        "Instrument",
        "Measure",
        "NprsAnswers",
        "OdiAnswers",
        "PegAnswers",
        "PsfsActivity",
        "PsfsAnswers",
        "RmdqAnswers",
        "StartBackAnswers",
        "StartBackRisk",
    ),
    ".catalog.red_flags": (
        "CES_FLAGS",
        "RED_FLAGS",
        "RedFlag",
        "Suspicion",
    ),
    ".catalog.rules": (
        "RULES",
        "RULESET_VERSION",
        "Check",
        "CheckOutcome",
        "FiredRule",
        "Rule",
        "RuleKind",
    ),
    ".catalog.self_checks": (
        "FINDINGS",
        "BackwardLeanResult",
        "EnduranceHoldResult",
        "ForwardBendResult",
        "HoldDirection",
        "SelfCheck",
        "SelfCheckFinding",
        "SelfCheckInterpretation",
        "SelfCheckResult",
        "SideBendResult",
        "StopReason",
        "interpret",
    ),
    ".catalog.sources": (
        "SOURCES",
        "Source",
        "SourceId",
    ),
    ".catalog.stages": (
        "PlanStatus",
        "Stage",
    ),
    ".catalog.symptoms": (
        "BodyRegion",
        "NerveFeature",
        "Onset",
        "PainPattern",
        "PainQuality",
        "Side",
    ),
    ".catalog.thresholds": ("Thresholds",),
    ".engine.load": ("ExerciseDose",),
    ".engine.outcomes": (
        "OutcomeChange",
        "OutcomeRecord",
        "OutcomeScore",
        "ScoreReport",
        "classify_change",
        "score",
    ),
    ".engine.prescription": (
        "PrescribedExercise",
        "Prescription",
        "prescription",
    ),
    ".engine.progress": (
        "MeasureProgress",
        "progress",
    ),
    ".engine.plan": (
        "Decision",
        "PauseKind",
        "PlanState",
        "SessionSummary",
    ),
    ".engine.progression": (
        "replay",
        "start_plan",
        "step",
    ),
    ".engine.transitions": (
        "TRANSITIONS",
        "Action",
        "Transition",
        "validate_transitions",
    ),
    ".engine.triage": (
        "RedFlagGrade",
        "TriageResult",
        "grade_red_flags",
        "triage",
    ),
    ".errors": (
        "InvalidDefinition",
        "InvalidInput",
        "LowbackError",
        "NotAWireValue",
        "Problem",
        "ReasonCode",
    ),
    ".wire": (
        "ReplayOutput",
        "dumps",
        "dumps_jsonl",
        "json_schema",
        "loads",
        "loads_jsonl",
    ),
}
_LAZY: dict[str, str] = {
    name: module for module, names in _MODULES.items() for name in names
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (then kept as an attribute)."""
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name], __name__)
        value = getattr(module, name)
        globals()[name] = value  # later look-ups skip this function
        return value
    msg = f"module 'lowback' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    """The module's attributes, the names not yet imported included."""
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "CES_FLAGS",
    "EXERCISES",
    "FINDINGS",
    "IMBALANCES",
    "INSTRUMENTS",
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
    "ChangeClass",
    "Check",
    "CheckIn",
    "CheckOutcome",
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
    "HistoryFlags",
    "HoldDirection",
    "Imbalance",
    "Instrument",
    "Intake",
    "InvalidDefinition",
    "InvalidInput",
    "Journal",
    "LowbackError",
    "Measure",
    "MeasureProgress",
    "Muscle",
    "MuscleGroup",
    "NerveFeature",
    "NotAWireValue",
    "NprsAnswers",
    "OdiAnswers",
    "Onset",
    "OutcomeChange",
    "OutcomeRecord",
    "OutcomeRecorded",
    "OutcomeScore",
    "PainPattern",
    "PainQuality",
    "PauseKind",
    "PegAnswers",
    "PlanStarted",
    "PlanState",
    "PlanStatus",
    "PrescribedExercise",
    "Prescription",
    "Problem",
    "PsfsActivity",
    "PsfsAnswers",
    "ReasonCode",
    "RedFlag",
    "RedFlagAnswers",
    "RedFlagGrade",
    "ReplayOutput",
    "RmdqAnswers",
    "Rule",
    "RuleKind",
    "ScoreReport",
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
    "StartBackAnswers",
    "StartBackRisk",
    "StopReason",
    "Suspicion",
    "Thresholds",
    "Transition",
    "TriageResult",
    "__version__",
    "classify_change",
    "dumps",
    "dumps_jsonl",
    "grade_red_flags",
    "interpret",
    "json_schema",
    "loads",
    "loads_jsonl",
    "most_urgent",
    "prescription",
    "progress",
    "render",
    "replay",
    "score",
    "start_plan",
    "step",
    "triage",
    "validate_transitions",
]
