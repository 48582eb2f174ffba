"""The Bundle: a triage, and optionally a journal, as one FHIR R4 ``collection``.

Ids are UUID version 5 (name-based), from the patient reference, an anchor
for the input (a digest of the intake, or of the journal's first event plus
the event's position) and the resource's role. The same input gives the
same ids and so the same bytes; a journal that grows keeps the ids of the
resources it already had, so a receiver can update rather than duplicate.
No clock is read: every date comes from the journal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Sequence

from lowback.catalog.answers import Answer
from lowback.catalog.codes import CODES
from lowback.catalog.dispositions import Disposition
from lowback.catalog.events import CheckIn, Journal, OutcomeRecorded, PlanStarted
from lowback.catalog.intake import Intake
from lowback.catalog.messages import render
from lowback.catalog.red_flags import RedFlag
from lowback.catalog.thresholds import Thresholds
from lowback.engine.outcomes import OutcomeScore, score, start_back_least_risk
from lowback.engine.plan import Decision, PauseKind, PlanState
from lowback.engine.prescription import prescription
from lowback.engine.progression import replay, start_plan
from lowback.engine.triage import TriageResult, triage
from lowback.errors import InvalidInput

from ._resources import (
    Resource,
    care_plan,
    goal,
    guidance_response,
    instrument_response,
    observation,
    outcome_observations,
    questionnaire_response,
    risk_assessment,
    start_back_prediction,
)

__all__ = ["FHIR_VERSION", "bundle", "from_intake", "from_journal"]

#: The FHIR release every resource conforms to.
FHIR_VERSION = "4.0.1"

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:lowback:fhir")
# A FHIR relative reference to a patient (the spec's Reference.reference
# regex, narrowed to the resource types a subject can be).
_PATIENT = re.compile(r"(Patient|Group)/[A-Za-z0-9\-.]{1,64}")
_DEFAULT = Thresholds()
_UNIDENTIFIED = {"display": "unidentified person (no patient reference given)"}


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


class _Ids:
    """Deterministic ``urn:uuid`` references for one export."""

    def __init__(self, patient: str | None, anchor: str) -> None:
        self._base = f"{patient or ''}\x1f{anchor}"

    def id(self, *parts: object) -> str:
        name = "\x1f".join((self._base, *(str(p) for p in parts)))
        return str(uuid.uuid5(_NAMESPACE, name))


def _subject(patient: str | None) -> Resource:
    if patient is None:
        return dict(_UNIDENTIFIED)
    if _PATIENT.fullmatch(str(patient)) is None:
        raise InvalidInput.at(
            "$.patient", "bad_reference", "expected Patient/<id> or Group/<id>"
        )
    return {"reference": patient}


def _ref(resource: Resource) -> str:
    return f"urn:uuid:{resource['id']}"


def _red_flag_unknowns(result: TriageResult) -> tuple[RedFlag, ...]:
    prefix = "$.red_flags."
    return tuple(
        RedFlag(path.removeprefix(prefix))
        for path in result.unknown_answers
        if path.startswith(prefix)
    )


class _Export:
    """The resources of one Bundle, in order, with their deterministic ids."""

    def __init__(self, ids: _Ids, subject: Resource, thresholds: Thresholds) -> None:
        self.ids = ids
        self.subject = subject
        self.thresholds = thresholds
        self.resources: list[Resource] = []

    def add(self, resource: Resource) -> str:
        self.resources.append(resource)
        return _ref(resource)

    def instrument(
        self,
        result: OutcomeScore,
        date: dt.date | None,
        *,
        index: int,
        role: str,
    ) -> tuple[str, ...]:
        """An instrument's answers and score Observations.

        Returns the references of the answers and of the scores (the panel's
        members, not the panel). Ids: ``(index, f"{role}_answers")`` and
        ``(index, f"{role}_{observation role}")``, the score's plain
        ``(index, role)``, as before answers were exported.
        """
        ids = self.ids
        qr = self.add(
            instrument_response(
                result.answers,
                resource_id=ids.id(index, f"{role}_answers"),
                subject=self.subject,
                date=date,
            )
        )
        observations = outcome_observations(
            result,
            resource_id=lambda kind: ids.id(
                index, role if kind == "score" else f"{role}_{kind}"
            ),
            subject=self.subject,
            date=date,
            derived_from=(qr,),
        )
        scores = tuple(self.add(o) for o in observations if "hasMember" not in o)
        for panel in (o for o in observations if "hasMember" in o):
            self.add(panel)
        return (qr, *scores)

    def triage(
        self,
        intake: Intake,
        result: TriageResult,
        date: dt.date | None,
        plan: tuple[PlanState, bool] | None,
    ) -> str | None:
        """The intake, its pain score, the triage and the plan it starts."""
        ids, subject = self.ids, self.subject
        qr = self.add(
            questionnaire_response(
                intake, resource_id=ids.id(0, "intake"), subject=subject, date=date
            )
        )
        pain = self.add(
            observation(
                CODES["nprs"],
                intake.pain_now,
                resource_id=ids.id(0, "pain_now"),
                subject=subject,
                date=date,
                derived_from=(qr,),
            )
        )
        screen: tuple[str, ...] = ()
        predictions = []
        if intake.start_back is not None:
            # The screen is an instrument of its own; the triage reads its
            # least proved risk (RT-STARTBACK), and so does the prediction.
            scored = score(intake.start_back)
            screen = self.instrument(scored, date, index=0, role="start_back")
            least = start_back_least_risk(intake.start_back)
            predictions.append(start_back_prediction(scored, least))
        risk = self.add(
            risk_assessment(
                resource_id=ids.id(0, "triage"),
                subject=subject,
                disposition=result.disposition,
                flags_yes=result.red_flags,
                flags_unknown=_red_flag_unknowns(result),
                rules=result.rules,
                ruleset_version=result.ruleset_version,
                safety_net=result.safety_net,
                date=date,
                basis=(qr, pain, *screen),
                predictions=predictions,
            )
        )
        plan_ref = None
        if plan is not None:
            state, started = plan
            plan_ref = self.plan(state, started=started, supporting=(risk, qr))
        self.add(
            guidance_response(
                resource_id=ids.id(0, "guidance"),
                subject=subject,
                rules=result.rules,
                ruleset_version=result.ruleset_version,
                date=date,
                result=plan_ref,
            )
        )
        return plan_ref

    def plan(
        self, state: PlanState, *, started: bool, supporting: Sequence[str]
    ) -> str:
        """The plan's goal and the plan itself, as it stands in *state*."""
        ids, subject = self.ids, self.subject
        goal_ref = self.add(
            goal(
                state.stage,
                state.status,
                resource_id=ids.id("plan", "goal"),
                subject=subject,
            )
        )
        today = prescription(state, thresholds=self.thresholds)
        return self.add(
            care_plan(
                resource_id=ids.id("plan", "care_plan"),
                subject=subject,
                stage=today.stage,
                status=today.status,
                exercises=tuple((d.exercise, d.dose) for d in today.exercises),
                habits=today.habits,
                started=started,
                start=state.started if started else None,
                goal_ref=goal_ref,
                supporting=supporting,
            )
        )

    def check_in(self, index: int, event: CheckIn, decision: Decision) -> None:
        """A check-in's pain score, and its red flags when any was not ``no``."""
        ids, subject = self.ids, self.subject
        self.add(
            observation(
                CODES["nprs"],
                event.pain_now,
                resource_id=ids.id(index, "pain_now"),
                subject=subject,
                date=event.date,
            )
        )
        yes = event.red_flags.answered(Answer.YES)
        unknown = event.red_flags.answered(Answer.UNKNOWN)
        if not (yes or unknown):
            return
        seek = decision.seek_care
        net = f"safety_net.{seek.value}" if seek else "safety_net.medical_review"
        self.add(
            risk_assessment(
                resource_id=ids.id(index, "red_flags"),
                subject=subject,
                # An unknown red flag pauses the plan for review (PR-REDFLAG)
                # with no disposition of its own: the cautious reading is a
                # medical review, never self-care.
                disposition=seek or Disposition.MEDICAL_REVIEW,
                flags_yes=yes,
                flags_unknown=unknown,
                rules=decision.rules,
                ruleset_version=decision.ruleset_version,
                safety_net=render(net),
                date=event.date,
            )
        )

    def bundle(self, bundle_id: str) -> Resource:
        return {
            "resourceType": "Bundle",
            "id": bundle_id,
            "type": "collection",
            "entry": [
                {"fullUrl": _ref(resource), "resource": resource}
                for resource in self.resources
            ],
        }


def bundle(
    result: TriageResult,
    journal: Journal | None = None,
    *,
    intake: Intake | None = None,
    patient: str | None = None,
    thresholds: Thresholds = _DEFAULT,
) -> Resource:
    """Return a triage, and optionally its journal, as a FHIR R4 Bundle (a dict).

    Args:
        result: The triage of the person's intake.
        journal: The plan's journal. Its first event's intake is the one
            exported, and the plan is exported as it stands after replaying
            it, with every check-in's pain score and red flags and every
            scored outcome record.
        intake: The intake *result* triaged, when there is no journal.
        patient: The subject, as ``Patient/<id>`` (or ``Group/<id>``); when
            ``None`` the subject is an unidentified person, to be linked by
            the receiver.
        thresholds: The thresholds the app runs the engines with; the
            journal is replayed with them.

    Raises:
        InvalidInput: *patient* is not a reference (``$.patient``), neither
            *journal* nor *intake* is given (``$.intake``), or the journal is
            invalid (its JSON path).
    """
    subject = _subject(patient)
    if journal is None:
        if intake is None:
            raise InvalidInput.at(
                "$.intake", "missing", "an intake or a journal is needed"
            )
        export = _Export(
            _Ids(patient, "intake:" + _digest(intake)), subject, thresholds
        )
        plan = None
        if result.entry_stage is not None:
            # The state a plan would start in; its date is not exported.
            state, _ = start_plan(
                result, date=dt.date(2000, 1, 1), entry_pain=intake.pain_now
            )
            plan = (state, False)
        export.triage(intake, result, None, plan)
        return export.bundle(export.ids.id("bundle", _digest(result)))
    state, decisions = replay(journal, thresholds=thresholds)
    first = journal[0]
    assert isinstance(first, PlanStarted)  # noqa: S101 - replay checked it
    export = _Export(_Ids(patient, "journal:" + _digest(first)), subject, thresholds)
    # A plan that never started (emergency or urgent triage) and was never
    # cleared has no CarePlan, as with an intake alone.
    never_started = result.entry_stage is None and state.pause is PauseKind.SEEK_CARE
    planned = None if never_started else (state, True)
    export.triage(first.intake, result, first.date, planned)
    for index, (event, decision) in enumerate(zip(journal, decisions, strict=True)):
        if isinstance(event, CheckIn):
            export.check_in(index, event, decision)
        elif isinstance(event, OutcomeRecorded):
            try:
                export.instrument(
                    score(event.answers), event.date, index=index, role="outcome"
                )
            except InvalidInput as error:
                raise error.under(f"$[{index}].answers") from None
    last = decisions[-1]
    if len(journal) > 1:
        export.add(
            guidance_response(
                resource_id=export.ids.id(len(journal) - 1, "guidance"),
                subject=subject,
                rules=last.rules,
                ruleset_version=last.ruleset_version,
                date=last.date,
                result=_care_plan_ref(export),
            )
        )
    return export.bundle(export.ids.id("bundle", _digest(journal), _digest(result)))


def _care_plan_ref(export: _Export) -> str | None:
    for resource in export.resources:
        if resource["resourceType"] == "CarePlan":
            return _ref(resource)
    return None


def from_intake(
    intake: Intake, *, patient: str | None = None, thresholds: Thresholds = _DEFAULT
) -> Resource:
    """Triage *intake* and return the Bundle (see :func:`bundle`)."""
    return bundle(
        triage(intake, thresholds=thresholds),
        intake=intake,
        patient=patient,
        thresholds=thresholds,
    )


def from_journal(
    journal: Journal, *, patient: str | None = None, thresholds: Thresholds = _DEFAULT
) -> Resource:
    """Replay *journal* and return the Bundle of its triage and plan (see :func:`bundle`).

    Raises:
        InvalidInput: the journal does not start with ``plan_started``
            (``$[0]``) or is otherwise invalid.
    """
    if not journal or not isinstance(journal[0], PlanStarted):
        raise InvalidInput.at(
            "$[0]", "wrong_type", "a journal starts with plan_started"
        )
    result = triage(journal[0].intake, thresholds=thresholds)
    return bundle(result, journal, patient=patient, thresholds=thresholds)
