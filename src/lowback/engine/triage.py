"""Triage: from an :class:`~lowback.catalog.intake.Intake` to an explained, safe disposition.

:func:`triage` implements clinical-spec section 2. It first reduces the intake
to a few precomputed facts (:class:`_Facts`), then evaluates a table that
pairs every triage rule ID of :data:`lowback.catalog.rules.RULES` with a pure
predicate over those facts and the names of the facts it compares. The
disposition is the most urgent one any fired rule gives; the entry-stage
rules then read the facts and that disposition. Every rule evaluated is
reported as a :class:`~lowback.catalog.rules.Check` (fired or unmet) with the
facts it compared, by name (spec 5.3).

``unknown`` is read the cautious way: on a red-flag or nerve question it sends
the person to a clinician; on spasm it counts as ``yes`` for staging; on a
referral trigger it changes nothing. Every ``unknown`` anywhere in the intake
is listed by JSON path, in intake field order, then self-check order, then
the STarT Back items not answered.

Three readings are safer than the spec's table (each commented at its
predicate and listed in the CHANGELOG): ``RF-UNKNOWN-CES``, nerve features
in both legs firing ``RF-CES``, and ``RT-STARTBACK`` reading an incomplete
screen by the least risk its answers prove. ``RF-AGE`` surfaces the spec's age risk
modifier without adding urgency of its own.

To add a rule: add its ID and catalog entry in :mod:`lowback.catalog.rules`,
then one row to ``_ROWS`` below (its predicate and the facts it reads).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from lowback.catalog import rules as ids
from lowback.catalog.anatomy import MuscleGroup
from lowback.catalog.answers import Answer
from lowback.catalog.dispositions import Disposition, urgency_rank
from lowback.catalog.events import AskedNerveFeatures, AskedRedFlags
from lowback.catalog.intake import HISTORY_FLAGS, HistoryFlags, Intake
from lowback.catalog.messages import render
from lowback.catalog.outcomes import INSTRUMENTS, Measure, StartBackRisk
from lowback.catalog.red_flags import CES_FLAGS, RedFlag
from lowback.catalog.rules import (
    RULES,
    RULESET_VERSION,
    Check,
    CheckOutcome,
    FactValue,
    FiredRule,
    RuleKind,
)
from lowback.catalog.self_checks import (
    HoldDirection,
    SelfCheckFinding,
    SelfCheckInterpretation,
    StopReason,
    interpret,
)
from lowback.catalog.stages import PlanStatus, Stage
from lowback.catalog.symptoms import (
    LEG_REGIONS,
    NERVE_LIKE_QUALITIES,
    BodyRegion,
    NerveFeature,
    Onset,
    PainPattern,
    Side,
)
from lowback.catalog.thresholds import Thresholds
from lowback.catalog.validators import enum_member, optional, tuple_of, type_is
from lowback.errors import InvalidDefinition, InvalidInput

from .outcomes import start_back_least_points, start_back_least_risk

__all__ = [
    "ENTRY_PREDICATES",
    "RISK_MODIFIER_AGE",
    "RULE_PREDICATES",
    "SCOPE_MIN_AGE",
    "TRIAGE_KINDS",
    "RedFlagGrade",
    "TriageResult",
    "grade_red_flags",
    "triage",
]


@attrs.frozen(kw_only=True)
class TriageResult:
    """The outcome of :func:`triage`, explaining itself.

    >>> from lowback import Answer, Intake, Onset, RedFlagAnswers, triage
    >>> no = Answer.NO
    >>> intake = Intake(duration_days=5, onset=Onset.GRADUAL, pain_now=3,
    ...     pressing_reproduces_pain=Answer.YES, eases_with_movement=Answer.YES,
    ...     worse_with_sustained_posture=no, muscle_spasm_or_stuck=no,
    ...     leg_pain_below_knee=no, numbness_or_tingling_in_a_line=no,
    ...     leg_or_foot_weakness=Answer.UNKNOWN, red_flags=RedFlagAnswers.all_no(),
    ...     frequent_flare_ups=no, fear_of_movement=no, rest_without_relief=no)
    >>> result = triage(intake)
    >>> print(result.disposition, result.entry_stage, result.plan_status)
    medical_review calm_and_unload paused
    >>> [rule.id for rule in result.rules], result.unknown_answers
    (['NV-UNKNOWN', 'EN-PAUSED'], ('$.leg_or_foot_weakness',))
    >>> check = next(c for c in result.checks if c.id == "NV-UNKNOWN")
    >>> check.outcome.value, dict(check.facts)["leg_or_foot_weakness"]
    ('fired', 'unknown')
    """

    #: Where to go next: the most urgent disposition any rule gave.
    disposition: Disposition = attrs.field(validator=enum_member(Disposition))
    pain_pattern: PainPattern = attrs.field(validator=enum_member(PainPattern))
    #: Red flags answered ``yes``, in :class:`~lowback.catalog.red_flags.RedFlag`
    #: order; ``bilateral_leg_symptoms`` is also listed when nerve features
    #: are reported in both legs (see ``RF-CES``).
    red_flags: tuple[RedFlag, ...] = attrs.field(validator=tuple_of(RedFlag))
    #: JSON paths of every question answered ``unknown``: intake fields in
    #: field order (red flags in flag order), then self-check observations,
    #: then STarT Back items not answered (``$.start_back.fear``).
    unknown_answers: tuple[str, ...] = attrs.field(validator=tuple_of(str))
    #: What the self-checks suggested, then ``psychosocial_risk`` when the
    #: STarT Back screen is high risk (RT-STARTBACK).
    findings: tuple[SelfCheckFinding, ...] = attrs.field(
        validator=tuple_of(SelfCheckFinding)
    )
    #: Muscle groups the findings point to.
    implicated_muscles: tuple[MuscleGroup, ...] = attrs.field(
        validator=tuple_of(MuscleGroup)
    )
    #: Why any self-check was stopped.
    stop_reasons: tuple[StopReason, ...] = attrs.field(validator=tuple_of(StopReason))
    #: The easier direction for the pain-calming hold, when the checks tell.
    hold_direction: HoldDirection | None = attrs.field(
        validator=optional(enum_member(HoldDirection))
    )
    #: Where the plan starts; ``None`` when no plan may start.
    entry_stage: Stage | None = attrs.field(validator=optional(enum_member(Stage)))
    #: The plan's starting status; ``None`` when no plan may start.
    plan_status: PlanStatus | None = attrs.field(
        validator=optional(enum_member(PlanStatus))
    )
    #: Every rule that fired, with its sources, in evaluation (spec) order.
    rules: tuple[FiredRule, ...] = attrs.field(validator=tuple_of(FiredRule))
    ruleset_version: str = attrs.field(validator=type_is(str))
    #: When to seek help, in words (the default English catalog): the
    #: disposition's safety net, then the general warning signs.
    safety_net: str = attrs.field(validator=type_is(str))
    #: The message ID of the disposition's safety net, for apps that translate.
    safety_net_message: str = attrs.field(validator=type_is(str))
    #: Every message ID :attr:`safety_net` is rendered from, in order.
    safety_net_messages: tuple[str, ...] = attrs.field(
        default=(), validator=tuple_of(str)
    )
    #: Every rule evaluated, in evaluation order, fired or unmet, with the
    #: facts (answers and thresholds) it compared, by name (spec 5.3).
    checks: tuple[Check, ...] = attrs.field(default=(), validator=tuple_of(Check))

    def __attrs_post_init__(self) -> None:
        """Refuse a result whose plan contradicts its disposition.

        Emergency and urgent results start no plan; self-care and physio
        referral start an active plan; medical review starts a paused plan at
        stage 1, or none (SCOPE-AGE). A loaded result that says otherwise is
        :class:`~lowback.errors.InvalidInput`.
        """
        allowed = _PLAN_FIELDS[self.disposition]
        if (self.entry_stage, self.plan_status) not in allowed:
            path = (
                "$.plan_status"
                if self.entry_stage in {stage for stage, _ in allowed}
                else "$.entry_stage"
            )
            raise InvalidInput.at(
                path,
                "inconsistent",
                f"does not fit the disposition {self.disposition.value}",
            )


_NO_PLAN = (None, None)
# Triage itself enters at stage 1 or 2 (spec 2); any stage with an active
# plan is accepted here so that a caller may start a plan at a later stage
# (the progression tests do); what is refused is a plan that contradicts the
# disposition.
_ACTIVE = tuple((stage, PlanStatus.ACTIVE) for stage in Stage)
#: The (entry_stage, plan_status) pairs each disposition allows (spec 2, 5.1).
_PLAN_FIELDS: Mapping[
    Disposition, frozenset[tuple[Stage | None, PlanStatus | None]]
] = MappingProxyType(
    {
        Disposition.EMERGENCY: frozenset({_NO_PLAN}),
        Disposition.URGENT: frozenset({_NO_PLAN}),
        Disposition.MEDICAL_REVIEW: frozenset(
            {_NO_PLAN, (Stage.CALM_AND_UNLOAD, PlanStatus.PAUSED)}
        ),
        Disposition.PHYSIO_REFERRAL: frozenset(_ACTIVE),
        Disposition.SELF_CARE: frozenset(_ACTIVE),
    }
)


class _Facts(NamedTuple):
    """What the triage rules need to know, computed once per intake or check-in.

    Intake-only facts (regions, onset, age, self-checks, referral triggers)
    are ``False``/``None`` when red flags are graded mid-plan.
    """

    #: Red flags answered ``yes`` (at intake, or asked that day).
    flags_yes: frozenset[RedFlag]
    #: Red flags answered ``unknown``.
    flags_unknown: frozenset[RedFlag]
    #: ``flags_yes`` with the remembered history flags answered ``yes``: what
    #: the combination rules read (PR-HISTORY). Equal to it at intake.
    combo_yes: frozenset[RedFlag]
    #: ``flags_unknown`` with the remembered history flags answered ``unknown``.
    combo_unknown: frozenset[RedFlag]
    #: Any nerve feature is present (spec 2, incl. a nerve-reason stop).
    nerve: bool
    #: Any nerve-feature question is answered ``unknown``.
    nerve_unknown: bool
    #: ``leg_or_foot_weakness`` is ``yes``.
    weakness: bool
    #: Leg symptoms are reported on both sides.
    both_legs: bool
    #: ``saddle`` is among the pain regions.
    saddle: bool
    #: Saddle-region pain with a nerve-like quality or numbness in a line.
    saddle_nerve: bool
    #: The episode began after trauma.
    after_trauma: bool
    #: Age in years, when given.
    age: int | None
    #: A self-check was stopped for leg symptoms or sharp shooting pain.
    nerve_stop: bool
    #: A self-check was stopped for dizziness or feeling unwell.
    medical_stop: bool
    #: The episode is longer than ``persistent_days``.
    persistent: bool
    flares: bool
    fear: bool
    rest: bool
    #: Pain or worst pain at its entry threshold, or spasm ``yes``/``unknown``.
    calm_first: bool
    #: Every fact by the name checks report it under (answers as wire strings).
    named: Mapping[str, FactValue]
    #: The least STarT Back risk group the answers prove; ``None`` if not asked.
    start_back: StartBackRisk | None = None


#: Age from which the spec's risk modifier applies (spec 1.4; IFOMPT 2020,
#: Downie 2013): it raises concern with cancer history or trauma, never alone.
#: RF-FX-ONSET reads it too (spec 5.1).
RISK_MODIFIER_AGE = 50
#: The youngest age lowback's guidance covers (NICE NG59: people aged 16 and
#: over); below it SCOPE-AGE applies and no plan starts.
SCOPE_MIN_AGE = 16

_YES, _UNKNOWN = Answer.YES, Answer.UNKNOWN
_F = RedFlag
_DEFICIT_FLAG = _F.PROGRESSIVE_NEUROLOGICAL_DEFICIT
_FRACTURE_FLAGS = frozenset(
    {_F.SIGNIFICANT_TRAUMA, _F.MINOR_TRAUMA_WITH_BONE_FRAGILITY}
)
_INFECTION_FLAGS = frozenset(
    {_F.FEVER_OR_UNWELL, _F.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY}
)
_CANCER_FLAGS = frozenset({_F.CANCER_HISTORY, _F.UNEXPLAINED_WEIGHT_LOSS})
_AGE_FLAGS = _FRACTURE_FLAGS | {_F.CANCER_HISTORY}
#: The flags that make a nerve feature or deficit an emergency (RF-MSCC,
#: RF-INF-NEURO, RF-FX-NEURO).
_COMBO_FLAGS = _FRACTURE_FLAGS | _INFECTION_FLAGS | {_F.CANCER_HISTORY}
#: The flags whose "not sure" beside a nerve feature is urgent (RF-UNKNOWN-COMBO:
#: "a cancer, infection, fever or trauma flag"). Safer reading: unexplained
#: weight loss is a cancer flag too (spec 1: malignancy), so it counts here,
#: although alone with a nerve feature it is RF-CANCER's urgent, not RF-MSCC's
#: emergency (the spec names only cancer history there).
_UNSURE_COMBO_FLAGS = _COMBO_FLAGS | _CANCER_FLAGS


# The predicates, one per rule ID. Each reads only the facts.
def _neuro(f: _Facts) -> bool:
    """A nerve feature, or a deficit that is getting worse (spec 5.1)."""
    return f.nerve or _DEFICIT_FLAG in f.flags_yes


def _ces(f: _Facts) -> bool:
    # Safer reading (kept in v2, spec 5.1): nerve features reported in both
    # legs ARE bilateral leg symptoms, so they route to the cauda equina
    # pathway even when the bilateral red-flag question was answered no
    # (IFOMPT 2020). Saddle-region pain that is nerve-like or comes with
    # numbness in a line is a saddle sensory change (IFOMPT 2020).
    return bool(f.flags_yes & CES_FLAGS) or (f.nerve and f.both_legs) or f.saddle_nerve


def _saddle(f: _Facts) -> bool:
    # Cautious reading (spec 5.1): any other saddle-region symptom is urgent.
    return f.saddle and not f.saddle_nerve


def _mscc(f: _Facts) -> bool:
    return _F.CANCER_HISTORY in f.combo_yes and _neuro(f)


def _infection_neuro(f: _Facts) -> bool:
    return bool(f.combo_yes & _INFECTION_FLAGS) and _neuro(f)


def _fracture_neuro(f: _Facts) -> bool:
    return bool(f.combo_yes & _FRACTURE_FLAGS) and _neuro(f)


def _fracture_onset(f: _Facts) -> bool:
    # An unknown age is read the cautious way: as possibly older.
    return f.after_trauma and (f.age is None or f.age >= RISK_MODIFIER_AGE)


def _deficit(f: _Facts) -> bool:
    return _DEFICIT_FLAG in f.flags_yes


def _trauma(f: _Facts) -> bool:
    return bool(f.flags_yes & _FRACTURE_FLAGS)


def _infection(f: _Facts) -> bool:
    return bool(f.flags_yes & _INFECTION_FLAGS)


def _cancer(f: _Facts) -> bool:
    return bool(f.flags_yes & _CANCER_FLAGS)


def _age(f: _Facts) -> bool:
    # The spec's risk modifier (1.4): surfaced in the explanation. It only
    # fires beside RF-CANCER or RF-TRAUMA, which already give `urgent`, so it
    # adds no urgency of its own.
    return (
        f.age is not None
        and f.age >= RISK_MODIFIER_AGE
        and bool(f.flags_yes & _AGE_FLAGS)
    )


def _unknown_ces(f: _Facts) -> bool:
    # Safer reading: "not sure" about a cauda equina sign gets same-day
    # assessment, not an appointment within days: CES is time-critical, and
    # IFOMPT 2020 escalates missing or contradictory flags. Unsure nerve
    # answers with symptoms in both legs are the same uncertainty.
    return bool(f.flags_unknown & CES_FLAGS) or (f.nerve_unknown and f.both_legs)


def _unknown_combo(f: _Facts) -> bool:
    # Spec 5.1. Safer reading: a worsening deficit answered "not sure" beside
    # such a flag counts like a nerve question answered "not sure".
    unsure_neuro = f.nerve_unknown or _DEFICIT_FLAG in f.flags_unknown
    return (bool(f.combo_unknown & _UNSURE_COMBO_FLAGS) and _neuro(f)) or (
        bool(f.combo_yes & _UNSURE_COMBO_FLAGS) and unsure_neuro
    )


def _unknown_flag(f: _Facts) -> bool:
    return bool(f.flags_unknown)


def _nerve_root(f: _Facts) -> bool:
    return f.nerve


def _nerve_unknown(f: _Facts) -> bool:
    return f.nerve_unknown


def _weakness(f: _Facts) -> bool:
    # "Not known to be progressive": a progressive deficit is RF-DEFICIT's.
    return f.weakness and _DEFICIT_FLAG not in f.flags_yes


def _child(f: _Facts) -> bool:
    return f.age is not None and f.age < SCOPE_MIN_AGE


def _stopped(f: _Facts) -> bool:
    return f.nerve_stop or f.medical_stop


def _persistent(f: _Facts) -> bool:
    return f.persistent


def _flares(f: _Facts) -> bool:
    return f.flares


def _fear(f: _Facts) -> bool:
    return f.fear


def _rest(f: _Facts) -> bool:
    return f.rest


_REFER_RISKS = frozenset({StartBackRisk.MEDIUM, StartBackRisk.HIGH})


def _start_back(f: _Facts) -> bool:
    # Safer reading of spec 6.2: the least risk the answers prove, so a
    # screen with items not answered still refers when the answered items
    # alone reach medium or high (invariant 2: "not sure" never lowers
    # urgency). An incomplete screen that proves only low changes nothing.
    return f.start_back in _REFER_RISKS


_PLANS = frozenset({Disposition.SELF_CARE, Disposition.PHYSIO_REFERRAL})


def _entry_paused(f: _Facts, disposition: Disposition) -> bool:
    # SCOPE-AGE: medical review, and no plan at all (spec 5.1).
    return disposition is Disposition.MEDICAL_REVIEW and not _child(f)


def _entry_calm(f: _Facts, disposition: Disposition) -> bool:
    return disposition in _PLANS and f.calm_first


def _entry_mobility(f: _Facts, disposition: Disposition) -> bool:
    return disposition in _PLANS and not f.calm_first


_Predicate = Callable[[_Facts], bool]
_EntryPredicate = Callable[[_Facts, Disposition], bool]


def _remembered(flags: frozenset[RedFlag]) -> tuple[str, ...]:
    """The names a combination rule's remembered history flags appear under."""
    return tuple(f"remembered_{f.value}" for f in HISTORY_FLAGS if f in flags)


# Fact names the rows below compare (keys of _Facts.named).
_CES_ANSWERS = tuple(f.value for f in RedFlag if f in CES_FLAGS)
_NERVE_FACTS = (
    "leg_pain_below_knee",
    "numbness_or_tingling_in_a_line",
    "leg_or_foot_weakness",
    "nerve_like_leg_pain",
    "self_check_nerve_stop",
    "nerve_feature",
)
_NERVE_QUESTIONS = _NERVE_FACTS[:3]
_DEFICIT = (_DEFICIT_FLAG.value,)
_NEURO = (*_DEFICIT, "nerve_feature")
_FRACTURE = tuple(f.value for f in RedFlag if f in _FRACTURE_FLAGS)
_INFECTION = tuple(f.value for f in RedFlag if f in _INFECTION_FLAGS)
_CANCER = tuple(f.value for f in RedFlag if f in _CANCER_FLAGS)
_UNSURE_COMBO = tuple(f.value for f in RedFlag if f in _UNSURE_COMBO_FLAGS)
_SADDLE = ("saddle_region", "nerve_like_quality", "numbness_or_tingling_in_a_line")
#: The least risk, total and subscore a STarT Back screen's answers prove
#: (unanswered items count 0); ``None`` when it was not asked.
_START_BACK_FACTS = ("start_back_risk", "start_back_total", "start_back_subscore")
_ENTRY_FACTS = (
    "disposition",
    "age",
    "scope_min_age",
    "pain_now",
    "calm_entry_pain",
    "pain_worst_24h",
    "calm_entry_worst_pain",
    "muscle_spasm_or_stuck",
)


class _Row(NamedTuple):
    """One disposition rule: its ID, its predicate, the facts it compares."""

    rule_id: str
    predicate: _Predicate
    reads: tuple[str, ...]


# The disposition rules in evaluation order (spec 2 and 5.1: red flags, nerve
# features, scope, self-checks, referral triggers; SELF is "none of these
# fired"). A new rule is one row here plus its catalog entry.
_ROWS: tuple[_Row, ...] = (
    _Row(
        ids.RF_CES,
        _ces,
        (*_CES_ANSWERS, "leg_symptom_side", "nerve_feature", *_SADDLE),
    ),
    _Row(ids.RF_SADDLE, _saddle, _SADDLE),
    _Row(
        ids.RF_MSCC,
        _mscc,
        ("cancer_history", *_remembered(frozenset({_F.CANCER_HISTORY})), *_NEURO),
    ),
    _Row(
        ids.RF_INF_NEURO,
        _infection_neuro,
        (*_INFECTION, *_remembered(_INFECTION_FLAGS), *_NEURO),
    ),
    _Row(
        ids.RF_FX_NEURO,
        _fracture_neuro,
        (*_FRACTURE, *_remembered(_FRACTURE_FLAGS), *_NEURO),
    ),
    _Row(ids.RF_FX_ONSET, _fracture_onset, ("onset", "age", "risk_modifier_age")),
    _Row(ids.RF_DEFICIT, _deficit, _DEFICIT),
    _Row(ids.RF_TRAUMA, _trauma, _FRACTURE),
    _Row(ids.RF_INF, _infection, _INFECTION),
    _Row(ids.RF_CANCER, _cancer, _CANCER),
    _Row(
        ids.RF_AGE,
        _age,
        ("age", "risk_modifier_age", *_FRACTURE, "cancer_history"),
    ),
    _Row(
        ids.RF_UNKNOWN_CES,
        _unknown_ces,
        (*_CES_ANSWERS, "leg_symptom_side", "nerve_question_unknown"),
    ),
    _Row(
        ids.RF_UNKNOWN_COMBO,
        _unknown_combo,
        (
            *_UNSURE_COMBO,
            *_remembered(_UNSURE_COMBO_FLAGS),
            *_NEURO,
            "nerve_question_unknown",
        ),
    ),
    _Row(ids.RF_UNKNOWN, _unknown_flag, tuple(f.value for f in RedFlag)),
    _Row(ids.NV_ROOT, _nerve_root, _NERVE_FACTS),
    _Row(ids.NV_UNKNOWN, _nerve_unknown, (*_NERVE_QUESTIONS, "nerve_question_unknown")),
    _Row(ids.NV_WEAKNESS, _weakness, ("leg_or_foot_weakness", *_DEFICIT)),
    _Row(ids.SCOPE_AGE, _child, ("age", "scope_min_age")),
    _Row(
        ids.SC_STOP,
        _stopped,
        ("self_check_nerve_stop", "self_check_medical_stop"),
    ),
    _Row(ids.RT_PERSIST, _persistent, ("duration_days", "persistent_days")),
    _Row(ids.RT_FLARES, _flares, ("frequent_flare_ups",)),
    _Row(ids.RT_FEAR, _fear, ("fear_of_movement",)),
    _Row(ids.RT_REST, _rest, ("rest_without_relief",)),
    _Row(ids.RT_STARTBACK, _start_back, _START_BACK_FACTS),
)

#: The disposition rules in evaluation order (spec 2 and 5.1: red flags,
#: nerve features, scope, self-checks, referral triggers, then SELF).
#: ``SELF`` is not a predicate over the facts: it fires exactly when no other
#: rule here did. Read-only.
RULE_PREDICATES: Mapping[str, _Predicate | None] = MappingProxyType(
    {**{row.rule_id: row.predicate for row in _ROWS}, ids.SELF: None}
)

#: The entry-stage rules, read after the disposition; at most one fires.
ENTRY_PREDICATES: Mapping[str, _EntryPredicate] = MappingProxyType(
    {
        ids.EN_PAUSED: _entry_paused,
        ids.EN_CALM: _entry_calm,
        ids.EN_MOBILITY: _entry_mobility,
    }
)

_ENTRY_OUTCOME: Mapping[str, tuple[Stage, PlanStatus]] = MappingProxyType(
    {
        ids.EN_PAUSED: (Stage.CALM_AND_UNLOAD, PlanStatus.PAUSED),
        ids.EN_CALM: (Stage.CALM_AND_UNLOAD, PlanStatus.ACTIVE),
        ids.EN_MOBILITY: (Stage.RESTORE_MOBILITY, PlanStatus.ACTIVE),
    }
)


class _Compiled(NamedTuple):
    """A disposition rule, ready to evaluate."""

    rule_id: str
    predicate: _Predicate
    reads: tuple[str, ...]
    fired: FiredRule
    rank: int
    disposition: Disposition


def _compiled(row: _Row) -> _Compiled:
    disposition = RULES[row.rule_id].disposition
    if disposition is None:
        raise InvalidDefinition(f"{row.rule_id} gives no disposition")
    return _Compiled(
        row.rule_id,
        row.predicate,
        row.reads,
        FiredRule.of(row.rule_id),
        urgency_rank(disposition),
        disposition,
    )


# Compiled once at import.
_TABLE: tuple[_Compiled, ...] = tuple(_compiled(row) for row in _ROWS)
#: The rules :func:`grade_red_flags` evaluates mid-plan: every red-flag rule
#: and NV-WEAKNESS (the 5.1 rules that make a nerve answer urgent or worse).
_GRADING_TABLE: tuple[_Compiled, ...] = tuple(
    row
    for row in _TABLE
    if RULES[row.rule_id].kind is RuleKind.RED_FLAG or row.rule_id == ids.NV_WEAKNESS
)
_SELF_FIRED = FiredRule.of(ids.SELF)
_ENTRY_TABLE: tuple[tuple[str, _EntryPredicate, FiredRule, Stage, PlanStatus], ...] = (
    tuple(
        (rule_id, predicate, FiredRule.of(rule_id), *_ENTRY_OUTCOME[rule_id])
        for rule_id, predicate in ENTRY_PREDICATES.items()
    )
)

#: The rule kinds :func:`triage` evaluates; every catalog rule of these kinds
#: has exactly one predicate here.
TRIAGE_KINDS = frozenset(
    {
        RuleKind.RED_FLAG,
        RuleKind.NERVE,
        RuleKind.SCOPE,
        RuleKind.SELF_CHECK,
        RuleKind.REFERRAL,
        RuleKind.ENTRY,
    }
)


def _check_tables() -> None:
    """Every catalog rule of the triage kinds has exactly one predicate."""
    catalog = {rule_id for rule_id, rule in RULES.items() if rule.kind in TRIAGE_KINDS}
    tabled = [*RULE_PREDICATES, *ENTRY_PREDICATES]
    if len(set(tabled)) != len(tabled) or set(tabled) != catalog:
        raise InvalidDefinition("triage predicates do not match the rule catalog")
    if RULES[ids.SELF].disposition is not Disposition.SELF_CARE:
        raise InvalidDefinition("SELF must give self_care")


_check_tables()

_GENERAL_NET = "safety_net.general"
_MSCC_NET = "safety_net.mscc"
_UNCLEAR_SELF_CARE_NET = "safety_net.self_care.unclear"


def _safety_net(
    disposition: Disposition, *, mscc: bool, muscle: bool
) -> tuple[str, str, tuple[str, ...]]:
    """The safety net's message ID, text and every message ID it is made of."""
    first = f"safety_net.{disposition.value}"
    if disposition is Disposition.SELF_CARE and not muscle:
        # Spec 5.1: never say the pain "comes from muscles" unless it looks so.
        first = _UNCLEAR_SELF_CARE_NET
    messages = (first, _MSCC_NET, _GENERAL_NET) if mscc else (first, _GENERAL_NET)
    return first, " ".join(render(m) for m in messages), messages


# Every combination, rendered once at import.
_SAFETY_NETS: Mapping[
    tuple[Disposition, bool, bool], tuple[str, str, tuple[str, ...]]
] = MappingProxyType(
    {
        (d, mscc, muscle): _safety_net(d, mscc=mscc, muscle=muscle)
        for d in Disposition
        for mscc in (False, True)
        for muscle in (False, True)
    }
)

_FLAG_ORDER = tuple(RedFlag)
_FLAG_GETTERS = tuple((flag, operator.attrgetter(flag.value)) for flag in _FLAG_ORDER)


def _answer_paths() -> tuple[tuple[Callable[[Intake], Any], str], ...]:
    """Every Answer-valued intake question with its JSON path, in field order."""
    paths: list[tuple[Callable[[Intake], Any], str]] = []
    for field in attrs.fields(Intake):
        if field.name == "red_flags":
            paths.extend(
                (
                    operator.attrgetter(f"red_flags.{flag.value}"),
                    f"$.red_flags.{flag.value}",
                )
                for flag in _FLAG_ORDER
            )
        elif field.type in ("Answer", Answer):
            paths.append((operator.attrgetter(field.name), f"$.{field.name}"))
    return tuple(paths)


_ANSWER_PATHS = _answer_paths()
_DEFAULT_THRESHOLDS = Thresholds()


_SBST_ITEMS = INSTRUMENTS[Measure.START_BACK].items


def _start_back_unknowns(intake: Intake) -> tuple[str, ...]:
    """Paths of the STarT Back items not answered (``unknown`` or null)."""
    answers = intake.start_back
    if answers is None:
        return ()
    return tuple(
        f"$.start_back.{key}"
        for key in _SBST_ITEMS
        if getattr(answers, key) in (None, _UNKNOWN)
    )


def _pain_pattern(intake: Intake, nerve: bool) -> PainPattern:
    """Spec 2: muscle features against nerve features."""
    muscle = (
        intake.pressing_reproduces_pain is _YES
        or intake.eases_with_movement is _YES
        or any(q.is_muscle_like for q in intake.pain_qualities)
    )
    if nerve:
        return PainPattern.MIXED if muscle else PainPattern.NERVE_INVOLVED
    return PainPattern.MUSCLE_DOMINANT if muscle else PainPattern.UNCLEAR


def _facts(
    intake: Intake, thresholds: Thresholds, checks: SelfCheckInterpretation
) -> _Facts:
    """Reduce an intake to the facts the rule predicates read."""
    red = intake.red_flags
    named: dict[str, FactValue] = {}
    flags_yes: set[RedFlag] = set()
    flags_unknown: set[RedFlag] = set()
    for flag, get in _FLAG_GETTERS:
        answer = get(red)
        named[flag.value] = answer.value
        if answer is _YES:
            flags_yes.add(flag)
        elif answer is _UNKNOWN:
            flags_unknown.add(flag)
    nerve_answers = (
        intake.leg_pain_below_knee,
        intake.numbness_or_tingling_in_a_line,
        intake.leg_or_foot_weakness,
    )
    nerve_stop = checks.nerve_stop
    nerve_like = not NERVE_LIKE_QUALITIES.isdisjoint(intake.pain_qualities)
    nerve_like_leg_pain = nerve_like and not LEG_REGIONS.isdisjoint(intake.pain_regions)
    # Spec 2: any one nerve feature is enough.
    nerve = _YES in nerve_answers or nerve_stop or nerve_like_leg_pain
    nerve_unknown = _UNKNOWN in nerve_answers
    saddle = BodyRegion.SADDLE in intake.pain_regions
    age = intake.age
    side = intake.leg_symptom_side
    spasm = intake.muscle_spasm_or_stuck
    worst = intake.pain_worst_24h
    named.update(
        {
            "leg_pain_below_knee": intake.leg_pain_below_knee.value,
            "numbness_or_tingling_in_a_line": (
                intake.numbness_or_tingling_in_a_line.value
            ),
            "leg_or_foot_weakness": intake.leg_or_foot_weakness.value,
            "nerve_like_leg_pain": nerve_like_leg_pain,
            "self_check_nerve_stop": nerve_stop,
            "self_check_medical_stop": checks.medical_stop,
            "nerve_feature": nerve,
            "nerve_question_unknown": nerve_unknown,
            "leg_symptom_side": None if side is None else side.value,
            "saddle_region": saddle,
            "nerve_like_quality": nerve_like,
            "onset": intake.onset.value,
            "age": age,
            "risk_modifier_age": RISK_MODIFIER_AGE,
            "scope_min_age": SCOPE_MIN_AGE,
            "duration_days": intake.duration_days,
            "persistent_days": thresholds.persistent_days,
            "frequent_flare_ups": intake.frequent_flare_ups.value,
            "fear_of_movement": intake.fear_of_movement.value,
            "rest_without_relief": intake.rest_without_relief.value,
            "pain_now": intake.pain_now,
            "calm_entry_pain": thresholds.calm_entry_pain,
            "pain_worst_24h": worst,
            "calm_entry_worst_pain": thresholds.calm_entry_worst_pain,
            "muscle_spasm_or_stuck": spasm.value,
        }
    )
    start_back = None
    if intake.start_back is not None:
        start_back = start_back_least_risk(intake.start_back)
        total, subscore = start_back_least_points(intake.start_back)
        named.update(
            start_back_risk=start_back.value,
            start_back_total=total,
            start_back_subscore=subscore,
        )
    else:
        named.update(dict.fromkeys(_START_BACK_FACTS))
    yes, unknown = frozenset(flags_yes), frozenset(flags_unknown)
    return _Facts(
        flags_yes=yes,
        flags_unknown=unknown,
        combo_yes=yes,
        combo_unknown=unknown,
        nerve=nerve,
        nerve_unknown=nerve_unknown,
        weakness=intake.leg_or_foot_weakness is _YES,
        both_legs=side is Side.BOTH,
        saddle=saddle,
        saddle_nerve=saddle
        and (nerve_like or intake.numbness_or_tingling_in_a_line is _YES),
        after_trauma=intake.onset is Onset.AFTER_TRAUMA,
        age=age,
        nerve_stop=nerve_stop,
        medical_stop=checks.medical_stop,
        persistent=intake.duration_days > thresholds.persistent_days,
        flares=intake.frequent_flare_ups is _YES,
        fear=intake.fear_of_movement is _YES,
        rest=intake.rest_without_relief is _YES,
        # `unknown` spasm counts as yes for staging (spec 2); EN-CALM widened
        # to the worst pain of the last day (spec 5.1).
        calm_first=intake.pain_now >= thresholds.calm_entry_pain
        or (worst is not None and worst >= thresholds.calm_entry_worst_pain)
        or spasm is not Answer.NO,
        named=named,
        start_back=start_back,
    )


def _check(
    rule_id: str, fired: bool, named: Mapping[str, FactValue], reads: tuple[str, ...]
) -> Check:
    return Check(
        id=rule_id,
        outcome=CheckOutcome.FIRED if fired else CheckOutcome.UNMET,
        facts={name: named[name] for name in reads if name in named},
    )


def _evaluate(
    table: tuple[_Compiled, ...], facts: _Facts
) -> tuple[list[FiredRule], list[Check], int, Disposition]:
    """Evaluate *table* over *facts*: fired rules, checks, the most urgent rank."""
    named = facts.named
    fired: list[FiredRule] = []
    checks: list[Check] = []
    rank, disposition = 0, Disposition.SELF_CARE
    for row in table:
        hit = row.predicate(facts)
        checks.append(_check(row.rule_id, hit, named, row.reads))
        if hit:
            fired.append(row.fired)
            if row.rank > rank:
                rank, disposition = row.rank, row.disposition
    return fired, checks, rank, disposition


def triage(
    intake: Intake, *, thresholds: Thresholds = _DEFAULT_THRESHOLDS
) -> TriageResult:
    """Triage an intake: disposition, pattern, findings, entry stage, and why.

    Pure and deterministic: the same intake and thresholds give an equal
    result. See :class:`TriageResult` for a worked example.

    Args:
        intake: What the person reported.
        thresholds: The tunable numbers (``persistent_days``,
            ``calm_entry_pain``, ``calm_entry_worst_pain``,
            ``gate3_endurance_seconds``).

    Raises:
        InvalidInput: *intake* is not an :class:`~lowback.catalog.intake.Intake` or
            *thresholds* not a :class:`~lowback.catalog.thresholds.Thresholds`;
            the error's detail names the parameter.

    >>> triage("an intake")
    Traceback (most recent call last):
    lowback.errors.InvalidInput: invalid input: $: wrong_type (intake: expected an Intake)
    """
    if not isinstance(intake, Intake):
        raise InvalidInput.at("$", "wrong_type", "intake: expected an Intake")
    if not isinstance(thresholds, Thresholds):
        raise InvalidInput.at(
            "$.thresholds", "wrong_type", "thresholds: expected Thresholds"
        )

    reading = interpret(intake.self_checks, thresholds)
    facts = _facts(intake, thresholds, reading)
    fired, checks, _rank, disposition = _evaluate(_TABLE, facts)
    # SELF: none of the rules above fired.
    alone = not fired
    checks.append(
        Check(
            id=ids.SELF,
            outcome=CheckOutcome.FIRED if alone else CheckOutcome.UNMET,
            facts={"other_rules_fired": len(fired)},
        )
    )
    if alone:
        fired.append(_SELF_FIRED)
    entry_stage: Stage | None = None
    plan_status: PlanStatus | None = None
    entry_named = {**facts.named, "disposition": disposition.value}
    for rule_id, entry_predicate, rule, stage, status in _ENTRY_TABLE:
        hit = entry_stage is None and entry_predicate(facts, disposition)
        checks.append(_check(rule_id, hit, entry_named, _ENTRY_FACTS))
        if hit:
            fired.append(rule)
            entry_stage, plan_status = stage, status

    nerve = facts.nerve
    red_flags = facts.flags_yes
    if nerve and facts.both_legs:
        red_flags = red_flags | {RedFlag.BILATERAL_LEG_SYMPTOMS}
    unknown = [path for get, path in _ANSWER_PATHS if get(intake) is _UNKNOWN]
    findings = reading.findings
    if facts.start_back is StartBackRisk.HIGH:
        findings = (*findings, SelfCheckFinding.PSYCHOSOCIAL_RISK)
    pattern = _pain_pattern(intake, nerve)
    mscc = intake.red_flags.cancer_history is not Answer.NO
    message, text, messages = _SAFETY_NETS[
        disposition, mscc, pattern is PainPattern.MUSCLE_DOMINANT
    ]
    return TriageResult(
        disposition=disposition,
        pain_pattern=pattern,
        red_flags=tuple(f for f in _FLAG_ORDER if f in red_flags),
        unknown_answers=(
            *unknown,
            *reading.unknown_answers,
            *_start_back_unknowns(intake),
        ),
        findings=findings,
        implicated_muscles=reading.implicated_muscles,
        stop_reasons=reading.stop_reasons,
        hold_direction=reading.hold_direction,
        entry_stage=entry_stage,
        plan_status=plan_status,
        rules=tuple(fired),
        ruleset_version=RULESET_VERSION,
        safety_net=text,
        safety_net_message=message,
        safety_net_messages=messages,
        checks=tuple(checks),
    )


@attrs.frozen(kw_only=True)
class RedFlagGrade:
    """What the red-flag rules make of one day's answers mid-plan (PR-REDFLAG).

    >>> from lowback import Answer, AskedNerveFeatures, AskedRedFlags, HistoryFlags
    >>> grade = grade_red_flags(
    ...     AskedRedFlags(),
    ...     AskedNerveFeatures(leg_or_foot_weakness=Answer.YES),
    ...     history=HistoryFlags.none(),
    ... )
    >>> grade.disposition.value, [rule.id for rule in grade.rules]
    ('urgent', ['NV-WEAKNESS'])
    """

    #: The most urgent disposition any rule gave; ``None`` when none fired.
    disposition: Disposition | None = attrs.field(
        validator=optional(enum_member(Disposition))
    )
    #: The rules that fired, with their sources, in evaluation order.
    rules: tuple[FiredRule, ...] = attrs.field(validator=tuple_of(FiredRule))
    #: Every rule evaluated, fired or unmet, with the facts it compared.
    checks: tuple[Check, ...] = attrs.field(validator=tuple_of(Check))


def _day_facts(
    red_flags: AskedRedFlags,
    nerve_features: AskedNerveFeatures,
    history: HistoryFlags,
    new_symptoms: tuple[NerveFeature, ...],
) -> _Facts:
    """The facts of one day's answers, with the remembered history flags."""
    named: dict[str, FactValue] = {}
    flags_yes: set[RedFlag] = set()
    flags_unknown: set[RedFlag] = set()
    for flag, get in _FLAG_GETTERS:
        answer: Answer | None = get(red_flags)
        named[flag.value] = None if answer is None else answer.value
        if answer is _YES:
            flags_yes.add(flag)
        elif answer is _UNKNOWN:
            flags_unknown.add(flag)
    remembered_yes, remembered_unknown = set(flags_yes), set(flags_unknown)
    for flag, answer in history.items():
        named[f"remembered_{flag.value}"] = answer.value
        if answer is _YES:
            remembered_yes.add(flag)
        elif answer is _UNKNOWN:
            remembered_unknown.add(flag)
    asked = {
        feature.value: getattr(nerve_features, feature.value)
        for feature in _ASKED_NERVE
    }
    for name, answer in asked.items():
        named[name] = None if answer is None else answer.value
    answers = tuple(asked.values())
    weakness = (
        asked[NerveFeature.LEG_OR_FOOT_WEAKNESS.value] is _YES
        or NerveFeature.LEG_OR_FOOT_WEAKNESS in new_symptoms
    )
    nerve = _YES in answers or bool(new_symptoms)
    nerve_unknown = _UNKNOWN in answers
    named["nerve_feature"] = nerve
    named["nerve_question_unknown"] = nerve_unknown
    return _Facts(
        flags_yes=frozenset(flags_yes),
        flags_unknown=frozenset(flags_unknown),
        combo_yes=frozenset(remembered_yes),
        combo_unknown=frozenset(remembered_unknown),
        nerve=nerve,
        nerve_unknown=nerve_unknown,
        weakness=weakness,
        both_legs=False,
        saddle=False,
        saddle_nerve=False,
        after_trauma=False,
        age=None,
        nerve_stop=False,
        medical_stop=False,
        persistent=False,
        flares=False,
        fear=False,
        rest=False,
        calm_first=True,
        named=named,
    )


_ASKED_NERVE = (
    NerveFeature.LEG_PAIN_BELOW_KNEE,
    NerveFeature.NUMBNESS_OR_TINGLING_IN_A_LINE,
    NerveFeature.LEG_OR_FOOT_WEAKNESS,
)


def _feature_tuple(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(s, NerveFeature) for s in value)


def grade_red_flags(
    red_flags: AskedRedFlags,
    nerve_features: AskedNerveFeatures,
    *,
    history: HistoryFlags,
    new_symptoms: tuple[NerveFeature, ...] = (),
) -> RedFlagGrade:
    """Grade one day's red-flag and nerve answers mid-plan (spec 5.2 PR-REDFLAG).

    The red-flag rules of :func:`triage` (spec 2 and 5.1, combinations
    included, the same predicates) and ``NV-WEAKNESS`` are evaluated over the
    questions asked that day together with the remembered history flags
    (PR-HISTORY). A question not asked is neither ``yes`` nor ``unknown``.
    Remembered history flags take part only in the combination rules
    (``RF-MSCC``, ``RF-INF-NEURO``, ``RF-FX-NEURO``, ``RF-UNKNOWN-COMBO``): a
    clinician has already seen them, so alone they do not pause a plan again.
    Intake-only rules (saddle region, onset, age) cannot fire mid-plan.

    Args:
        red_flags: The red-flag questions asked that day.
        nerve_features: The nerve-feature questions asked that day.
        history: The intake's history flags
            (:class:`~lowback.catalog.intake.HistoryFlags`).
        new_symptoms: Nerve features reported that day outside the questions
            (a session's ``new_symptoms``); each counts as a ``yes``.

    Raises:
        InvalidInput: an argument has the wrong type; the path and the
            detail name it.

    Example (spec 5.2): cancer history at intake, then new leg weakness at a
    check-in, is an emergency.

    >>> from lowback import Answer, AskedNerveFeatures, AskedRedFlags, HistoryFlags
    >>> history = HistoryFlags.none()
    >>> history = attrs.evolve(history, cancer_history=Answer.YES)
    >>> grade_red_flags(AskedRedFlags(),
    ...     AskedNerveFeatures(leg_or_foot_weakness=Answer.YES), history=history
    ... ).disposition.value
    'emergency'
    """
    if not isinstance(red_flags, AskedRedFlags):
        raise InvalidInput.at(
            "$.red_flags", "wrong_type", "red_flags: expected AskedRedFlags"
        )
    if not isinstance(nerve_features, AskedNerveFeatures):
        raise InvalidInput.at(
            "$.nerve_features",
            "wrong_type",
            "nerve_features: expected AskedNerveFeatures",
        )
    if not isinstance(history, HistoryFlags):
        raise InvalidInput.at(
            "$.history", "wrong_type", "history: expected HistoryFlags"
        )
    if not _feature_tuple(new_symptoms):
        raise InvalidInput.at(
            "$.new_symptoms",
            "wrong_type",
            "new_symptoms: expected a tuple of NerveFeature",
        )
    facts = _day_facts(red_flags, nerve_features, history, new_symptoms)
    fired, checks, rank, disposition = _evaluate(_GRADING_TABLE, facts)
    return RedFlagGrade(
        disposition=disposition if rank else None,
        rules=tuple(fired),
        checks=tuple(checks),
    )
