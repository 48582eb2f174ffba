"""The resource builders: one lowback value in, one FHIR R4 resource (a plain dict) out.

Every builder is a pure function. Ids and references come in as arguments
(the Bundle makes them, :mod:`lowback.fhir._bundle`); codes come only from
:mod:`lowback.catalog.codes` and lowback's own ``urn:lowback:*`` systems.
No builder writes question wording: items carry lowback's field names as
``linkId`` and answers carry codes.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from lowback.catalog.answers import Answer
from lowback.catalog.codes import CODES, LOWBACK_SYSTEMS, Code, suspicion_code
from lowback.catalog.dispositions import Disposition
from lowback.catalog.exercises import STAGE_PLANS, Dose, ExerciseId
from lowback.catalog.intake import Intake
from lowback.catalog.messages import render
from lowback.catalog.outcomes import (
    INSTRUMENTS,
    Answers,
    Measure,
    PsfsAnswers,
    RmdqAnswers,
    StartBackRisk,
)
from lowback.catalog.red_flags import RED_FLAGS, RedFlag, Suspicion
from lowback.catalog.rules import RULES, FiredRule
from lowback.catalog.stages import PlanStatus, Stage
from lowback.engine.outcomes import OutcomeScore
from lowback.errors import InvalidInput, ReasonCode

__all__ = [
    "INTAKE_QUESTIONNAIRE",
    "Resource",
    "care_plan",
    "coding",
    "goal",
    "guidance_response",
    "instrument_questionnaire",
    "instrument_response",
    "observation",
    "outcome_observations",
    "questionnaire_response",
    "red_flag_suspicions",
    "risk_assessment",
    "start_back_prediction",
]

#: A FHIR resource or element as plain JSON-ready data.
Resource = dict[str, Any]

#: The canonical of the intake questionnaire the QuestionnaireResponse answers.
INTAKE_QUESTIONNAIRE = LOWBACK_SYSTEMS["questionnaire"] + ":intake"

_UCUM = "http://unitsofmeasure.org"


def coding(code: Code) -> Resource:
    """Return the FHIR ``Coding`` of a code from the catalog's table.

    >>> coding(CODES["nprs"])["code"]
    '72514-3'
    """
    return {"system": code.system, "code": code.code, "display": code.display}


def _own(system: str, code: str, display: str | None = None) -> Resource:
    """A ``Coding`` in one of lowback's own ``urn:lowback:*`` systems."""
    result: Resource = {"system": LOWBACK_SYSTEMS[system], "code": code}
    if display is not None:
        result["display"] = display
    return result


def _words(value: str) -> str:
    return value.replace("_", " ")


def _date(date: dt.date | None, key: str) -> Resource:
    return {} if date is None else {key: date.isoformat()}


# --- QuestionnaireResponse -------------------------------------------------


# Answer types by Python type, in order: bool before int (a bool is an int).
_PRIMITIVES = (
    (bool, "valueBoolean"),
    (int, "valueInteger"),
    (float, "valueDecimal"),
    (str, "valueString"),
)


def _answer(value: Any) -> Resource:
    if isinstance(value, enum.Enum):  # before str: enums are StrEnums
        system = "answer" if isinstance(value, Answer) else "value"
        return {"valueCoding": _own(system, str(value.value))}
    if isinstance(value, dt.date):
        return {"valueDate": value.isoformat()}
    for type_, key in _PRIMITIVES:
        if isinstance(value, type_):
            return {key: value}
    msg = f"no FHIR answer type for {type(value).__name__}"
    raise TypeError(msg)


def _items(
    value: Any, prefix: str, skip: frozenset[str] = frozenset()
) -> Iterator[Resource]:
    """The items of an attrs value, one per field that has an answer."""
    for field in attrs.fields(type(value)):
        if field.name not in skip:
            yield from _item(getattr(value, field.name), prefix + field.name)


def _item(value: Any, link_id: str) -> Iterator[Resource]:
    if value is None or value == ():
        return
    if attrs.has(type(value)):
        nested = list(_items(value, link_id + "."))
        if nested:
            yield {"linkId": link_id, "item": nested}
        return
    if isinstance(value, tuple):
        if attrs.has(type(value[0])):
            for part in value:  # self-check results: one group per check
                yield from _item(part, f"{link_id}.{type(part).check.value}")
            return
        yield {"linkId": link_id, "answer": [_answer(v) for v in value]}
        return
    yield {"linkId": link_id, "answer": [_answer(value)]}


def questionnaire_response(
    intake: Intake,
    *,
    resource_id: str,
    subject: Resource,
    date: dt.date | None = None,
) -> Resource:
    """Return the intake as a ``QuestionnaireResponse``: answers by code, no wording.

    Each answered field is an item whose ``linkId`` is the intake's field
    name (``red_flags.saddle_numbness``, ``self_checks.forward_bend.stopped``);
    fields with no answer are left out. The STarT Back screen is not among
    them: it is an instrument of its own (:func:`instrument_response`).
    """
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id,
        "questionnaire": INTAKE_QUESTIONNAIRE,
        "status": "completed",
        "subject": subject,
        **_date(date, "authored"),
        "item": list(_items(intake, "", skip=_INSTRUMENT_FIELDS)),
    }


# Intake fields exported as instruments of their own, not as intake items.
_INSTRUMENT_FIELDS = frozenset({"start_back"})


def instrument_questionnaire(measure: Measure) -> str:
    """Return the canonical of the questionnaire a measure's answers respond to.

    It is lowback's own (``urn:lowback:questionnaire:<measure>``): its items
    are the instrument's item keys, not the LOINC form's item codes.

    >>> instrument_questionnaire(Measure.START_BACK)
    'urn:lowback:questionnaire:start_back'
    """
    return f"{LOWBACK_SYSTEMS['questionnaire']}:{measure.value}"


# A FHIR ``string``: not empty, no whitespace but space, tab, CR and LF (the
# R4 JSON Schema's pattern), no other character below U+0020 (the spec).
_FHIR_STRING = re.compile(r"(?:[ \r\n\t]|(?![\x00-\x1f])\S)+")


def _activity_items(answers: PsfsAnswers) -> Iterator[Resource]:
    for index, rated in enumerate(answers.activities):
        if _FHIR_STRING.fullmatch(rated.activity) is None:
            raise InvalidInput.at(
                f"$.activities[{index}].activity",
                ReasonCode.INVALID,
                "a FHIR string: no control characters",
            )
        yield {
            "linkId": "activities",
            "item": [
                {
                    "linkId": "activities.activity",
                    "answer": [{"valueString": rated.activity}],
                },
                {
                    "linkId": "activities.score",
                    "answer": [{"valueInteger": rated.score}],
                },
            ],
        }


def _instrument_items(answers: Answers) -> list[Resource]:
    if isinstance(answers, RmdqAnswers):
        ticked = set(answers.ticked)
        return [
            {"linkId": key, "answer": [{"valueBoolean": int(key) in ticked}]}
            for key in INSTRUMENTS[Measure.RMDQ].items
        ]
    if isinstance(answers, PsfsAnswers):
        return list(_activity_items(answers))
    return list(_items(answers, ""))


def instrument_response(
    answers: Answers,
    *,
    resource_id: str,
    subject: Resource,
    date: dt.date | None = None,
) -> Resource:
    """Return an instrument's answers as a ``QuestionnaireResponse``: keys and codes only.

    Each item's ``linkId`` is the instrument's item key (the ``items`` of
    its :class:`~lowback.catalog.outcomes.Instrument`); its answer is the
    value given: ``valueCoding`` in ``urn:lowback:answer`` for yes / no /
    unknown, ``valueInteger`` for a rating or section score. No item carries
    ``text``: the wording of the ODI, STarT Back and other instruments
    belongs to their owners and never enters lowback. Items not answered
    (``None``) are left out. The RMDQ gives all 24 items, ``valueBoolean``
    ticked or not (an unticked item does not apply, OM-RMDQ); the PSFS
    gives one ``activities`` group per activity, with the app's key
    (``valueString``) and its rating.

    Raises:
        InvalidInput: a PSFS activity key is not a FHIR string (it holds
            control characters), at ``$.activities[i].activity``.

    >>> from lowback.catalog.outcomes import NprsAnswers
    >>> qr = instrument_response(NprsAnswers(score=6), resource_id="q1", subject={"reference": "Patient/1"})
    >>> qr["questionnaire"], qr["item"]
    ('urn:lowback:questionnaire:nprs', [{'linkId': 'score', 'answer': [{'valueInteger': 6}]}])
    """
    items = _instrument_items(answers)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id,
        "questionnaire": instrument_questionnaire(answers.measure),
        "status": "completed",
        "subject": subject,
        **_date(date, "authored"),
        # FHIR JSON has no empty arrays: an ODI with no section answered
        # has no items.
        **({"item": items} if items else {}),
    }


# --- Observation -----------------------------------------------------------


def _value(value: float | Code) -> Resource:
    if isinstance(value, Code):
        return {"valueCodeableConcept": {"coding": [coding(value)]}}
    if isinstance(value, bool):
        msg = "an observation value is a number or a code"
        raise TypeError(msg)
    if isinstance(value, int):
        return {"valueInteger": value}
    return {
        "valueQuantity": {
            "value": float(value),
            "unit": "{score}",
            "system": _UCUM,
            "code": "{score}",
        }
    }


def observation(  # noqa: PLR0913 - one argument per element of the resource
    code: Code | Resource,
    value: float | Code | None,
    *,
    resource_id: str,
    subject: Resource,
    date: dt.date | None = None,
    derived_from: Sequence[str] = (),
    has_member: Sequence[str] = (),
) -> Resource:
    """Return a self-reported score as a ``survey`` ``Observation``.

    *code* is an entry of :data:`~lowback.catalog.codes.CODES` (the LOINC
    code of the measure), or a ``Coding`` in one of lowback's own systems
    for a measure without one; an integer becomes ``valueInteger``, another
    number (a ``float``, or an exact fraction converted by the caller) a
    ``valueQuantity`` in ``{score}``, a code a
    ``valueCodeableConcept``; ``None`` gives no value (a panel).
    *derived_from* are references (for example to the
    ``QuestionnaireResponse`` the score was read from), *has_member* the
    references of a panel's members.

    >>> obs = observation(CODES["nprs"], 6, resource_id="p1", subject={"reference": "Patient/1"})
    >>> obs["code"]["coding"][0]["code"], obs["valueInteger"]
    ('72514-3', 6)
    """
    code_coding = coding(code) if isinstance(code, Code) else dict(code)
    resource: Resource = {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": [{"coding": [coding(CODES["survey"])]}],
        "code": {
            "coding": [code_coding],
            "text": code_coding.get("display", code_coding["code"]),
        },
        "subject": subject,
        **_date(date, "effectiveDateTime"),
        **({} if value is None else _value(value)),
    }
    if has_member:
        resource["hasMember"] = [{"reference": r} for r in has_member]
    if derived_from:
        resource["derivedFrom"] = [{"reference": r} for r in derived_from]
    return resource


# --- Outcome measures ------------------------------------------------------

# The LOINC code of each measure's total score, where one was found; the
# others (RMDQ, PSFS) are coded in lowback's own ``urn:lowback:measure``.
_SCORE_CODES = {
    Measure.NPRS: "nprs",
    Measure.ODI: "odi_score",
    Measure.PEG: "peg_mean",
    Measure.START_BACK: "start_back_total",
}
_RISK_CODES = {
    StartBackRisk.LOW: "start_back_low",
    StartBackRisk.MEDIUM: "start_back_medium",
    StartBackRisk.HIGH: "start_back_high",
}


def _measure_code(measure: Measure) -> Code | Resource:
    key = _SCORE_CODES.get(measure)
    if key is not None:
        return CODES[key]
    return _own("measure", measure.value, INSTRUMENTS[measure].name)


def outcome_observations(
    result: OutcomeScore,
    *,
    resource_id: Callable[[str], str],
    subject: Resource,
    date: dt.date | None = None,
    derived_from: Sequence[str] = (),
) -> list[Resource]:
    """Return a scored outcome record as Observations; none when it is unscorable.

    The score's ``Observation`` carries the measure's total-score LOINC code
    (``urn:lowback:measure`` for the RMDQ and PSFS, which have none). An
    integer score is a ``valueInteger``; an exact fraction (an ODI percent,
    a PSFS or PEG mean) is a ``valueQuantity`` in ``{score}`` whose value is
    the nearest binary float, the only rounding JSON needs. STarT Back
    also gives its distress (psychosocial) subscore, LOINC 91350-9, and its
    risk level, 91352-5, coded; and a panel ``Observation`` (91349-1) whose
    ``hasMember`` are the three, as in LOINC's panel. Every one is
    ``derivedFrom`` *derived_from* (the answers' ``QuestionnaireResponse``).
    An unscorable record gives no ``Observation``: there is no score to
    report, and its answers are in the ``QuestionnaireResponse``.

    *resource_id* gives the id of each ``Observation`` by its role:
    ``"score"``, and for STarT Back ``"subscore"``, ``"risk"`` and
    ``"panel"``. The list is in that order.
    """
    if result.score is None:
        return []
    value = result.score
    number: float = value.numerator if value.denominator == 1 else float(value)

    def make(role: str, code: Code | Resource, value: float | Code) -> Resource:
        return observation(
            code,
            value,
            resource_id=resource_id(role),
            subject=subject,
            date=date,
            derived_from=derived_from,
        )

    out = [make("score", _measure_code(result.measure), number)]
    if result.subscore is not None:
        out.append(make("subscore", CODES["start_back_subscore"], result.subscore))
    if result.risk is not None:
        out.append(
            make("risk", CODES["start_back_risk"], CODES[_RISK_CODES[result.risk]])
        )
    if result.measure is Measure.START_BACK:
        members = [f"urn:uuid:{o['id']}" for o in out]
        out.append(
            observation(
                CODES["start_back_panel"],
                None,
                resource_id=resource_id("panel"),
                subject=subject,
                date=date,
                derived_from=derived_from,
                has_member=members,
            )
        )
    return out


def start_back_prediction(result: OutcomeScore, least_risk: StartBackRisk) -> Resource:
    """Return an intake's STarT Back screen as a ``RiskAssessment.prediction``.

    *result* is the screen scored (:func:`~lowback.engine.outcomes.score`),
    *least_risk* the lowest risk level its answers prove
    (:func:`~lowback.engine.outcomes.start_back_least_risk`, what triage
    acts on, RT-STARTBACK). A complete screen's ``outcome`` is its risk
    level, coded with LOINC's answer (LA9194-7 low, LA8982-6 medium,
    LA9193-9 high). An incomplete screen is not scored (OM-SBST), and its
    level is coded only when the answers given already prove ``high``;
    otherwise the ``outcome`` says it was not determined and the
    ``rationale`` names the items not answered and the least level proved,
    so no receiver reads a falsely low risk.

    Raises:
        InvalidInput: *result* is not a STarT Back screen (``$.measure``).
    """
    if result.measure is not Measure.START_BACK:
        raise InvalidInput.at("$.measure", "mismatch", "a STarT Back screen")
    if result.risk is not None:
        risk: StartBackRisk | None = result.risk
        rationale = (
            f"STarT Back screen scored (OM-SBST): total {result.display()}, "
            f"distress subscore {result.subscore}."
        )
    else:
        risk = StartBackRisk.HIGH if least_risk is StartBackRisk.HIGH else None
        proved = "already prove" if risk else "prove at least"
        rationale = (
            "STarT Back screen incomplete, not scored (OM-SBST); not answered: "
            f"{', '.join(result.missing)}; the answers given {proved} the "
            f"{least_risk.value} risk level."
        )
    if risk is None:
        outcome: Resource = {"text": "STarT Back risk level not determined"}
    else:
        outcome = {
            "coding": [coding(CODES[_RISK_CODES[risk]])],
            "text": f"STarT Back risk level: {risk.value}",
        }
    return {"outcome": outcome, "rationale": rationale}


# --- RiskAssessment --------------------------------------------------------


def red_flag_suspicions(
    yes: Sequence[RedFlag], unknown: Sequence[RedFlag]
) -> tuple[tuple[Suspicion, tuple[RedFlag, ...], tuple[RedFlag, ...]], ...]:
    """Group red flags by the condition they suggest, in :class:`~lowback.catalog.red_flags.Suspicion` order.

    Returns ``(suspicion, flags answered yes, flags answered unknown)`` for
    every suspicion with at least one such flag.

    >>> red_flag_suspicions([RedFlag.SADDLE_NUMBNESS], [RedFlag.FEVER_OR_UNWELL])[0][0]
    <Suspicion.CAUDA_EQUINA: 'cauda_equina'>
    """
    out = []
    for suspicion in Suspicion:
        said_yes = tuple(f for f in yes if RED_FLAGS[f].suggests is suspicion)
        not_sure = tuple(f for f in unknown if RED_FLAGS[f].suggests is suspicion)
        if said_yes or not_sure:
            out.append((suspicion, said_yes, not_sure))
    return tuple(out)


def _outcome(suspicion: Suspicion) -> Resource:
    own = _own("suspicion", suspicion.value, _words(suspicion.value))
    external = suspicion_code(suspicion.value)
    codings = [own] if external is None else [coding(external), own]
    return {"coding": codings, "text": f"suspected {_words(suspicion.value)}"}


def _rationale(yes: Sequence[RedFlag], unknown: Sequence[RedFlag]) -> str:
    parts = []
    if yes:
        parts.append("red flags answered yes: " + ", ".join(yes))
    if unknown:
        parts.append(
            "red flags answered unknown, so not ruled out: " + ", ".join(unknown)
        )
    return "; ".join(parts) + "."


def risk_assessment(  # noqa: PLR0913 - one argument per element of the resource
    *,
    resource_id: str,
    subject: Resource,
    disposition: Disposition,
    flags_yes: Sequence[RedFlag],
    flags_unknown: Sequence[RedFlag],
    rules: Sequence[FiredRule],
    ruleset_version: str,
    safety_net: str,
    date: dt.date | None = None,
    basis: Sequence[str] = (),
    predictions: Sequence[Resource] = (),
) -> Resource:
    """Return a triage (or a check-in's red flags) as a ``RiskAssessment``.

    One prediction per suspected serious condition (the conditions behind
    the red flags answered yes or ``unknown``); its ``rationale`` names the
    flags. No ``qualitativeRisk`` or probability is given: single red flags
    are weak tests (IFOMPT 2020), and lowback does not estimate how likely a
    condition is, only where the person should go (``mitigation``).
    *predictions* follow those (the STarT Back risk level,
    :func:`start_back_prediction`); *basis* are references to what the
    assessment read.
    """
    resource: Resource = {
        "resourceType": "RiskAssessment",
        "id": resource_id,
        "status": "final",
        "method": {
            "coding": [_own("ruleset", ruleset_version)],
            "text": f"lowback ruleset {ruleset_version}",
        },
        "subject": subject,
        **_date(date, "occurrenceDateTime"),
    }
    if rules:
        resource["reasonCode"] = [_rule(r) for r in rules]
    if basis:
        resource["basis"] = [{"reference": r} for r in basis]
    suspected = [
        {"outcome": _outcome(suspicion), "rationale": _rationale(yes, unknown)}
        for suspicion, yes, unknown in red_flag_suspicions(flags_yes, flags_unknown)
    ]
    if suspected or predictions:
        resource["prediction"] = [*suspected, *predictions]
    resource["mitigation"] = f"disposition {disposition.value}: {safety_net}"
    return resource


def _rule(rule: FiredRule) -> Resource:
    summary = RULES[rule.id].summary if rule.id in RULES else None
    return {"coding": [_own("rule", rule.id, summary)], "text": rule.id}


# --- Goal and CarePlan -----------------------------------------------------

_LIFECYCLE = {
    PlanStatus.ACTIVE: "active",
    PlanStatus.PAUSED: "on-hold",
    PlanStatus.COMPLETED: "completed",
}


def goal(
    stage: Stage, status: PlanStatus, *, resource_id: str, subject: Resource
) -> Resource:
    """Return the goal the stage's plan states as a ``Goal``.

    The description carries the goal's message ID (so an app can show its
    own translation) and the default English text.
    """
    message = STAGE_PLANS[stage].goal
    return {
        "resourceType": "Goal",
        "id": resource_id,
        "lifecycleStatus": _LIFECYCLE[status],
        "description": {"coding": [_own("message", message)], "text": render(message)},
        "subject": subject,
    }


def _timing(dose: Dose) -> Resource:
    repeat: Resource = {"count": dose.sets * (dose.reps or 1)}
    if dose.hold_seconds is not None:
        repeat |= {"duration": dose.hold_seconds, "durationUnit": "s"}
    elif dose.minutes is not None:
        repeat |= {"duration": dose.minutes, "durationUnit": "min"}
    return {"repeat": repeat}


def _activity(exercise: ExerciseId, dose: Dose | None, status: str) -> Resource:
    detail: Resource = {
        "code": {
            "coding": [_own("exercise", exercise.value, _words(exercise.value))],
            "text": _words(exercise.value),
        },
        "status": status,
    }
    if dose is not None:
        detail["scheduledTiming"] = _timing(dose)
        detail["description"] = dose.describe()
    else:
        detail["description"] = "daily habit"
    return {"detail": detail}


def care_plan(  # noqa: PLR0913 - one argument per element of the resource
    *,
    resource_id: str,
    subject: Resource,
    stage: Stage,
    status: PlanStatus,
    exercises: Sequence[tuple[ExerciseId, Dose]],
    habits: Sequence[ExerciseId],
    started: bool,
    start: dt.date | None = None,
    goal_ref: str | None = None,
    supporting: Sequence[str] = (),
) -> Resource:
    """Return the stage plan as a ``CarePlan``: the stage, its activities and doses.

    Each exercise is an activity with its dose as ``scheduledTiming``
    (``count`` = sets x reps, ``duration`` = the hold in seconds or the
    activity in minutes) and in words as ``description``; each daily habit is
    an activity without a dose. The activities are what the plan offers
    today, also while it is on hold. *started* says whether the plan has
    begun (activities ``in-progress``) or is only planned (``not-started``).
    """
    # The activities are what the plan offers today, so they go on while
    # the plan is paused (a paused plan offers only unloading positions and
    # short walks, or nothing at all after a red flag).
    if status is PlanStatus.COMPLETED:
        activity_status = "completed"
    else:
        activity_status = "in-progress" if started else "not-started"
    stage_code = _own("stage", stage.value, _words(stage.value))
    resource: Resource = {
        "resourceType": "CarePlan",
        "id": resource_id,
        "status": _LIFECYCLE[status],
        "intent": "plan",
        "category": [
            {"coding": [coding(CODES["exercise_therapy"])]},
            {"coding": [stage_code]},
        ],
        "title": f"Stage {stage.number} of {len(Stage)}: {_words(stage.value)}",
        "subject": subject,
    }
    if start is not None:
        resource["period"] = {"start": start.isoformat()}
    if supporting:
        resource["supportingInfo"] = [{"reference": r} for r in supporting]
    if goal_ref is not None:
        resource["goal"] = [{"reference": goal_ref}]
    activities = [_activity(e, d, activity_status) for e, d in exercises]
    activities += [_activity(h, None, activity_status) for h in habits]
    if activities:
        resource["activity"] = activities
    return resource


# --- GuidanceResponse ------------------------------------------------------


def guidance_response(  # noqa: PLR0913 - one argument per element of the resource
    *,
    resource_id: str,
    subject: Resource,
    rules: Sequence[FiredRule],
    ruleset_version: str,
    date: dt.date | None = None,
    result: str | None = None,
) -> Resource:
    """Return why lowback decided as a ``GuidanceResponse``: rule IDs and ruleset.

    ``moduleUri`` names the ruleset version; ``reasonCode`` lists every rule
    that fired, in order, with its one-line summary; ``result`` points to the
    ``CarePlan`` when the decision made one.
    """
    resource: Resource = {
        "resourceType": "GuidanceResponse",
        "id": resource_id,
        "moduleUri": f"{LOWBACK_SYSTEMS['ruleset']}:{ruleset_version}",
        "status": "success",
        "subject": subject,
        **_date(date, "occurrenceDateTime"),
    }
    if rules:
        resource["reasonCode"] = [_rule(r) for r in rules]
    if result is not None:
        resource["result"] = {"reference": result}
    return resource
