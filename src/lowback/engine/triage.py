"""Triage: from an :class:`~lowback.catalog.intake.Intake` to an explained, safe disposition.

:func:`triage` implements clinical-spec section 2. It first reduces the intake
to a few precomputed facts (:class:`_Facts`), then evaluates a table that
pairs every triage rule ID of :data:`lowback.catalog.rules.RULES` with a pure
predicate over those facts. The disposition is the most urgent one any fired
rule gives; the entry-stage rules then read the facts and that disposition.

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
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from lowback.catalog._validation import enum_member, optional, tuple_of, type_is
from lowback.catalog.anatomy import MuscleGroup
from lowback.catalog.answers import Answer
from lowback.catalog.dispositions import Disposition, urgency_rank
from lowback.catalog.intake import Intake
from lowback.catalog.messages import render
from lowback.catalog.outcomes import INSTRUMENTS, Measure, StartBackRisk
from lowback.catalog.red_flags import CES_FLAGS, RedFlag
from lowback.catalog.rules import RULES, RULESET_VERSION, FiredRule, RuleKind
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
    PainPattern,
    Side,
)
from lowback.catalog.thresholds import Thresholds
from lowback.errors import InvalidDefinition, InvalidInput

from .outcomes import start_back_least_risk

__all__ = [
    "ENTRY_PREDICATES",
    "RISK_MODIFIER_AGE",
    "RULE_PREDICATES",
    "TRIAGE_KINDS",
    "HoldDirection",
    "TriageResult",
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


class _Facts(NamedTuple):
    """What the triage rules need to know, computed once per intake."""

    #: Red flags answered ``yes``.
    flags_yes: frozenset[RedFlag]
    #: Red flags answered ``unknown``.
    flags_unknown: frozenset[RedFlag]
    #: Any nerve feature is present (spec 2, incl. a nerve-reason stop).
    nerve: bool
    #: Any intake nerve-feature question is answered ``unknown``.
    nerve_unknown: bool
    #: Leg symptoms are reported on both sides.
    both_legs: bool
    #: A self-check was stopped for leg symptoms or sharp shooting pain.
    nerve_stop: bool
    #: A self-check was stopped for dizziness or feeling unwell.
    medical_stop: bool
    #: Age is known and at least the risk-modifier age.
    older: bool
    #: The episode is longer than ``persistent_days``.
    persistent: bool
    flares: bool
    fear: bool
    rest: bool
    #: Pain at or above ``calm_entry_pain``, or spasm ``yes``/``unknown``.
    calm_first: bool
    #: The least STarT Back risk group the answers prove; ``None`` if not asked.
    start_back: StartBackRisk | None = None


#: Age from which the spec's risk modifier applies (spec 1.4; IFOMPT 2020,
#: Downie 2013): it raises concern with cancer history or trauma, never alone.
RISK_MODIFIER_AGE = 50

_YES, _UNKNOWN = Answer.YES, Answer.UNKNOWN
_F = RedFlag
_FRACTURE_FLAGS = frozenset(
    {_F.SIGNIFICANT_TRAUMA, _F.MINOR_TRAUMA_WITH_BONE_FRAGILITY}
)
_INFECTION_FLAGS = frozenset(
    {_F.FEVER_OR_UNWELL, _F.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY}
)
_CANCER_FLAGS = frozenset({_F.CANCER_HISTORY, _F.UNEXPLAINED_WEIGHT_LOSS})
_AGE_FLAGS = _FRACTURE_FLAGS | {_F.CANCER_HISTORY}


# The predicates, one per rule ID. Each reads only the facts.
def _ces(f: _Facts) -> bool:
    # Safer reading: nerve features reported in both legs ARE bilateral leg
    # symptoms, so they route to the cauda equina pathway even when the
    # bilateral red-flag question was answered no (IFOMPT 2020).
    return bool(f.flags_yes & CES_FLAGS) or (f.nerve and f.both_legs)


def _mscc(f: _Facts) -> bool:
    return _F.CANCER_HISTORY in f.flags_yes and (
        f.nerve or _F.PROGRESSIVE_NEUROLOGICAL_DEFICIT in f.flags_yes
    )


def _infection_neuro(f: _Facts) -> bool:
    return f.nerve and bool(f.flags_yes & _INFECTION_FLAGS)


def _fracture_neuro(f: _Facts) -> bool:
    return f.nerve and _F.SIGNIFICANT_TRAUMA in f.flags_yes


def _deficit(f: _Facts) -> bool:
    return _F.PROGRESSIVE_NEUROLOGICAL_DEFICIT in f.flags_yes


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
    return f.older and bool(f.flags_yes & _AGE_FLAGS)


def _unknown_ces(f: _Facts) -> bool:
    # Safer reading: "not sure" about a cauda equina sign gets same-day
    # assessment, not an appointment within days: CES is time-critical, and
    # IFOMPT 2020 escalates missing or contradictory flags. Unsure nerve
    # answers with symptoms in both legs are the same uncertainty.
    return bool(f.flags_unknown & CES_FLAGS) or (f.nerve_unknown and f.both_legs)


def _unknown_flag(f: _Facts) -> bool:
    return bool(f.flags_unknown)


def _nerve_root(f: _Facts) -> bool:
    return f.nerve


def _nerve_unknown(f: _Facts) -> bool:
    return f.nerve_unknown


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


def _self(f: _Facts) -> bool:
    # "None of the above": exactly the inputs the other rules read.
    return not (
        f.flags_yes
        or f.flags_unknown
        or f.nerve
        or f.nerve_unknown
        or f.nerve_stop
        or f.medical_stop
        or f.persistent
        or f.flares
        or f.fear
        or f.rest
        or _start_back(f)
    )


_PLANS = frozenset({Disposition.SELF_CARE, Disposition.PHYSIO_REFERRAL})


def _entry_paused(_f: _Facts, disposition: Disposition) -> bool:
    return disposition is Disposition.MEDICAL_REVIEW


def _entry_calm(f: _Facts, disposition: Disposition) -> bool:
    return disposition in _PLANS and f.calm_first


def _entry_mobility(f: _Facts, disposition: Disposition) -> bool:
    return disposition in _PLANS and not f.calm_first


_Predicate = Callable[[_Facts], bool]
_EntryPredicate = Callable[[_Facts, Disposition], bool]

#: The disposition rules in evaluation order (spec 2: red flags, nerve
#: features, self-checks, referral triggers, then SELF). Read-only.
RULE_PREDICATES: Mapping[str, _Predicate] = MappingProxyType(
    {
        "RF-CES": _ces,
        "RF-MSCC": _mscc,
        "RF-INF-NEURO": _infection_neuro,
        "RF-FX-NEURO": _fracture_neuro,
        "RF-DEFICIT": _deficit,
        "RF-TRAUMA": _trauma,
        "RF-INF": _infection,
        "RF-CANCER": _cancer,
        "RF-AGE": _age,
        "RF-UNKNOWN-CES": _unknown_ces,
        "RF-UNKNOWN": _unknown_flag,
        "NV-ROOT": _nerve_root,
        "NV-UNKNOWN": _nerve_unknown,
        "SC-STOP": _stopped,
        "RT-PERSIST": _persistent,
        "RT-FLARES": _flares,
        "RT-FEAR": _fear,
        "RT-REST": _rest,
        "RT-STARTBACK": _start_back,
        "SELF": _self,
    }
)

#: The entry-stage rules, read after the disposition; at most one fires.
ENTRY_PREDICATES: Mapping[str, _EntryPredicate] = MappingProxyType(
    {
        "EN-PAUSED": _entry_paused,
        "EN-CALM": _entry_calm,
        "EN-MOBILITY": _entry_mobility,
    }
)

_ENTRY_OUTCOME: Mapping[str, tuple[Stage, PlanStatus]] = MappingProxyType(
    {
        "EN-PAUSED": (Stage.CALM_AND_UNLOAD, PlanStatus.PAUSED),
        "EN-CALM": (Stage.CALM_AND_UNLOAD, PlanStatus.ACTIVE),
        "EN-MOBILITY": (Stage.RESTORE_MOBILITY, PlanStatus.ACTIVE),
    }
)

# Compiled once at import: (predicate, fired form, urgency rank, disposition).
_TABLE: tuple[tuple[_Predicate, FiredRule, int, Disposition], ...] = tuple(
    (
        predicate,
        FiredRule.of(rule_id),
        urgency_rank(disposition),
        disposition,
    )
    for rule_id, predicate in RULE_PREDICATES.items()
    if (disposition := RULES[rule_id].disposition) is not None
)
_ENTRY_TABLE: tuple[tuple[_EntryPredicate, FiredRule, Stage, PlanStatus], ...] = tuple(
    (predicate, FiredRule.of(rule_id), *_ENTRY_OUTCOME[rule_id])
    for rule_id, predicate in ENTRY_PREDICATES.items()
)

#: The rule kinds :func:`triage` evaluates; every catalog rule of these kinds
#: has exactly one predicate here.
TRIAGE_KINDS = frozenset(
    {
        RuleKind.RED_FLAG,
        RuleKind.NERVE,
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


_check_tables()

_GENERAL_NET = "safety_net.general"
_SAFETY_NETS: Mapping[Disposition, tuple[str, str, tuple[str, str]]] = MappingProxyType(
    {
        d: (
            f"safety_net.{d.value}",
            f"{render(f'safety_net.{d.value}')} {render(_GENERAL_NET)}",
            (f"safety_net.{d.value}", _GENERAL_NET),
        )
        for d in Disposition
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
    flags_yes: set[RedFlag] = set()
    flags_unknown: set[RedFlag] = set()
    for flag, get in _FLAG_GETTERS:
        answer = get(red)
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
    age = intake.age
    return _Facts(
        flags_yes=frozenset(flags_yes),
        flags_unknown=frozenset(flags_unknown),
        # Spec 2: any one nerve feature is enough.
        nerve=_YES in nerve_answers
        or nerve_stop
        or (
            not NERVE_LIKE_QUALITIES.isdisjoint(intake.pain_qualities)
            and not LEG_REGIONS.isdisjoint(intake.pain_regions)
        ),
        nerve_unknown=_UNKNOWN in nerve_answers,
        both_legs=intake.leg_symptom_side is Side.BOTH,
        nerve_stop=nerve_stop,
        medical_stop=checks.medical_stop,
        older=age is not None and age >= RISK_MODIFIER_AGE,
        persistent=intake.duration_days > thresholds.persistent_days,
        flares=intake.frequent_flare_ups is _YES,
        fear=intake.fear_of_movement is _YES,
        rest=intake.rest_without_relief is _YES,
        # `unknown` spasm counts as yes for staging (spec 2).
        calm_first=intake.pain_now >= thresholds.calm_entry_pain
        or intake.muscle_spasm_or_stuck is not Answer.NO,
        start_back=None
        if intake.start_back is None
        else start_back_least_risk(intake.start_back),
    )


def triage(
    intake: Intake, *, thresholds: Thresholds = _DEFAULT_THRESHOLDS
) -> TriageResult:
    """Triage an intake: disposition, pattern, findings, entry stage, and why.

    Pure and deterministic: the same intake and thresholds give an equal
    result. See :class:`TriageResult` for a worked example.

    Args:
        intake: What the person reported.
        thresholds: The tunable numbers (``persistent_days``,
            ``calm_entry_pain``, ``gate3_endurance_seconds``).

    Raises:
        InvalidInput: *intake* is not an :class:`~lowback.catalog.intake.Intake` or
            *thresholds* not a :class:`~lowback.catalog.thresholds.Thresholds`.

    >>> triage("an intake")
    Traceback (most recent call last):
    lowback.errors.InvalidInput: invalid input: $: wrong_type (expected an Intake)
    """
    if not isinstance(intake, Intake):
        raise InvalidInput.at("$", "wrong_type", "expected an Intake")
    if not isinstance(thresholds, Thresholds):
        raise InvalidInput.at("$.thresholds", "wrong_type", "expected Thresholds")

    checks = interpret(intake.self_checks, thresholds)
    facts = _facts(intake, thresholds, checks)
    nerve = facts.nerve
    flags_yes = facts.flags_yes
    fired: list[FiredRule] = []
    rank, disposition = 0, Disposition.SELF_CARE
    for predicate, rule, rule_rank, rule_disposition in _TABLE:
        if predicate(facts):
            fired.append(rule)
            if rule_rank > rank:
                rank, disposition = rule_rank, rule_disposition
    entry_stage: Stage | None = None
    plan_status: PlanStatus | None = None
    for entry_predicate, rule, stage, status in _ENTRY_TABLE:
        if entry_predicate(facts, disposition):
            fired.append(rule)
            entry_stage, plan_status = stage, status
            break

    red_flags = flags_yes
    if nerve and facts.both_legs:
        red_flags = flags_yes | {RedFlag.BILATERAL_LEG_SYMPTOMS}
    unknown = [path for get, path in _ANSWER_PATHS if get(intake) is _UNKNOWN]
    findings = checks.findings
    if facts.start_back is StartBackRisk.HIGH:
        findings = (*findings, SelfCheckFinding.PSYCHOSOCIAL_RISK)
    message, text, messages = _SAFETY_NETS[disposition]
    return TriageResult(
        disposition=disposition,
        pain_pattern=_pain_pattern(intake, nerve),
        red_flags=tuple(f for f in _FLAG_ORDER if f in red_flags),
        unknown_answers=(
            *unknown,
            *checks.unknown_answers,
            *_start_back_unknowns(intake),
        ),
        findings=findings,
        implicated_muscles=checks.implicated_muscles,
        stop_reasons=checks.stop_reasons,
        hold_direction=checks.hold_direction,
        entry_stage=entry_stage,
        plan_status=plan_status,
        rules=tuple(fired),
        ruleset_version=RULESET_VERSION,
        safety_net=text,
        safety_net_message=message,
        safety_net_messages=messages,
    )
