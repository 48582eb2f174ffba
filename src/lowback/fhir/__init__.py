"""FHIR R4 (4.0.1) export: a triage and a plan as plain dicts, no dependency.

:func:`bundle` turns a triage result (with its intake, or with the plan's
journal) into a Bundle of type ``collection`` whose references all resolve
inside it:

- ``QuestionnaireResponse``: the intake's answers by field name and code,
  and each instrument's (every ``outcome_recorded`` event, and the intake's
  STarT Back screen) by item key and code, never the questions' wording;
- ``Observation``: pain now (NPRS, LOINC 72514-3) at intake and at each
  check-in, and each scored instrument (its total score; for STarT Back
  also its distress subscore and risk level, grouped by a panel), each
  ``derivedFrom`` its answers;
- ``RiskAssessment``: the disposition, the serious conditions behind the
  red flags answered yes or ``unknown`` (also for each check-in that
  answered a red flag other than ``no``) and the intake's STarT Back risk
  level;
- ``Goal`` and ``CarePlan``: the stage's goal, its exercises with their doses
  and timing, and its daily habits;
- ``GuidanceResponse``: the rules that fired and the ruleset version.

Every external code comes from :data:`lowback.catalog.codes.CODES`. The same
input gives the same ids and the same bytes (ids are name-based UUIDs).

>>> import lowback.fhir
>>> from lowback import Answer, Intake, Onset, RedFlagAnswers
>>> no = Answer.NO
>>> intake = Intake(duration_days=5, onset=Onset.GRADUAL, pain_now=3,
...     pressing_reproduces_pain=Answer.YES, eases_with_movement=Answer.YES,
...     worse_with_sustained_posture=no, muscle_spasm_or_stuck=no,
...     leg_pain_below_knee=no, numbness_or_tingling_in_a_line=no,
...     leg_or_foot_weakness=no, red_flags=RedFlagAnswers.all_no(),
...     frequent_flare_ups=no, fear_of_movement=no, rest_without_relief=no)
>>> doc = lowback.fhir.from_intake(intake, patient="Patient/123")
>>> [e["resource"]["resourceType"] for e in doc["entry"]]
['QuestionnaireResponse', 'Observation', 'RiskAssessment', 'Goal', 'CarePlan', 'GuidanceResponse']
"""

from ._bundle import FHIR_VERSION, bundle, from_intake, from_journal
from ._resources import (
    INTAKE_QUESTIONNAIRE,
    Resource,
    care_plan,
    coding,
    goal,
    guidance_response,
    instrument_questionnaire,
    instrument_response,
    observation,
    outcome_observations,
    questionnaire_response,
    red_flag_suspicions,
    risk_assessment,
    start_back_prediction,
)

__all__ = [
    "FHIR_VERSION",
    "INTAKE_QUESTIONNAIRE",
    "Resource",
    "bundle",
    "care_plan",
    "coding",
    "from_intake",
    "from_journal",
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
