"""Every external code lowback emits (LOINC, SNOMED CT, HL7), with its display and source.

The FHIR export (:mod:`lowback.fhir`) reads its codes only from this table,
so the docs can list every one and a test can check that nothing else is
emitted. Each entry names where it was read and how firmly: ``verified``
means the code and its display were read in the code system's own page
(loinc.org), the FHIR specification or an HL7 implementation guide's
value-set expansion; otherwise it was found in secondary sources only (marked ``[S]`` in the
docs) and should be checked against a terminology server before a clinical
system relies on it.

Codes for lowback's own concepts (rule IDs, stages, exercises, answers) are
not listed here: they are the wire values of lowback's enums, under the
``urn:lowback:*`` systems of :data:`LOWBACK_SYSTEMS`.

Licences: LOINC codes are free to use under the LOINC copyright notice;
SNOMED CT needs an Affiliate Licence, which is free in member countries.
The operator of a system that stores these codes needs that licence.

>>> CODES["nprs"].code, CODES["nprs"].system
('72514-3', 'http://loinc.org')
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

__all__ = [
    "CODES",
    "LOINC",
    "LOWBACK_SYSTEMS",
    "SNOMED_CT",
    "Code",
    "CodeSystem",
    "suspicion_code",
]

#: The LOINC code system URI.
LOINC = "http://loinc.org"
#: The SNOMED CT code system URI.
SNOMED_CT = "http://snomed.info/sct"
_OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


class CodeSystem(enum.StrEnum):
    """The external code systems lowback emits codes from."""

    LOINC = "loinc"
    SNOMED_CT = "snomed_ct"
    #: A code system published in the HL7 FHIR R4 specification.
    HL7 = "hl7"


@attrs.frozen(kw_only=True)
class Code:
    """One external code: its system, code, display text and where it comes from."""

    #: Stable key the FHIR export uses to look the code up.
    key: str
    kind: CodeSystem
    #: The code system URI, as FHIR ``Coding.system``.
    system: str
    code: str
    #: The display text (the code system's own, where it was read).
    display: str
    #: Where the code and display were read (a page or a document).
    source: str
    #: Code *and* display read in the code system's own page (loinc.org),
    #: the FHIR specification, or an HL7 implementation guide's value-set
    #: expansion; ``False`` when found in secondary sources only.
    verified: bool
    #: What lowback uses it for.
    used_for: str


_L, _SCT, _HL7 = CodeSystem.LOINC, CodeSystem.SNOMED_CT, CodeSystem.HL7

_CODES = (
    Code(
        key="nprs",
        kind=_L,
        system=LOINC,
        code="72514-3",
        display="Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        source="LOINC 72514-3 as read in the HL7 Belgium pain-scale ValueSet (outcomes-fhir-store.md 1.1, [V])",
        verified=True,
        used_for="Observation.code of pain now (0-10) at intake and at each check-in, and of an NPRS outcome record",
    ),
    Code(
        key="odi_score",
        kind=_L,
        system=LOINC,
        code="97909-6",
        display="Oswestry disability index score ODI",
        source="loinc.org/97909-6 (long common name), read 2026-11-30",
        verified=True,
        used_for="Observation.code of an ODI 2.1a score (percent) in an outcome_recorded event",
    ),
    Code(
        key="start_back_total",
        kind=_L,
        system=LOINC,
        code="91351-7",
        display="Total score [STarT Back]",
        source="loinc.org/91349-1 (the panel's hierarchy lists 91351-7 with this name), read 2026-11-30",
        verified=True,
        used_for="Observation.code of the STarT Back total (0-9) in an outcome_recorded event",
    ),
    Code(
        key="start_back_subscore",
        kind=_L,
        system=LOINC,
        code="91350-9",
        display="Distress subscore [STarT Back]",
        source="loinc.org/91350-9 (the sum of items 5-9, Keele's psychosocial score), read 2026-11-30",
        verified=True,
        used_for="Observation.code of the STarT Back psychosocial subscore (0-5)",
    ),
    Code(
        key="start_back_panel",
        kind=_L,
        system=LOINC,
        code="91349-1",
        display="STarT Back Screening Tool panel",
        source="loinc.org/91349-1, read 2026-11-30",
        verified=True,
        used_for="Observation.code of the panel grouping a STarT Back total, subscore and risk level (hasMember)",
    ),
    Code(
        key="start_back_risk",
        kind=_L,
        system=LOINC,
        code="91352-5",
        display="STarT Back Screening risk level",
        source="loinc.org/91352-5, read 2026-11-30",
        verified=True,
        used_for="Observation.code of the STarT Back risk group (intake screen or outcome_recorded event)",
    ),
    Code(
        key="start_back_low",
        kind=_L,
        system=LOINC,
        code="LA9194-7",
        display="Low",
        source="loinc.org/91352-5, normative answer list LL3578-3, read 2026-11-30",
        verified=True,
        used_for="Observation.valueCodeableConcept of a low STarT Back risk group, "
        "and RiskAssessment.prediction.outcome of the intake's screen",
    ),
    Code(
        key="start_back_medium",
        kind=_L,
        system=LOINC,
        code="LA8982-6",
        display="Medium",
        source="loinc.org/91352-5, normative answer list LL3578-3, read 2026-11-30",
        verified=True,
        used_for="Observation.valueCodeableConcept of a medium STarT Back risk group, "
        "and RiskAssessment.prediction.outcome of the intake's screen",
    ),
    Code(
        key="start_back_high",
        kind=_L,
        system=LOINC,
        code="LA9193-9",
        display="High",
        source="loinc.org/91352-5, normative answer list LL3578-3, read 2026-11-30",
        verified=True,
        used_for="Observation.valueCodeableConcept of a high STarT Back risk group, "
        "and RiskAssessment.prediction.outcome of the intake's screen",
    ),
    Code(
        key="peg_mean",
        kind=_L,
        system=LOINC,
        code="91147-9",
        display="Mean score [PEG]",
        source="LOINC 91147-9 in secondary sources (outcomes-fhir-store.md 1.1 [PEG-LOINC], [S]): "
        "the CDS for Chronic Pain Management IG's terminology (cqframework/cds4cpm, a continuous "
        "build) and a third-party LOINC mirror agree on code and display, read 2026-12-01; "
        "no loinc.org page was reachable",
        verified=False,
        used_for="Observation.code of a PEG-3 mean score in an outcome_recorded event",
    ),
    Code(
        key="survey",
        kind=_HL7,
        system=_OBSERVATION_CATEGORY,
        code="survey",
        display="Survey",
        source="HL7 FHIR R4 (4.0.1), CodeSystem observation-category",
        verified=True,
        used_for="Observation.category of self-reported scores",
    ),
    Code(
        key="exercise_therapy",
        kind=_SCT,
        system=SNOMED_CT,
        code="229065009",
        display="Exercise therapy",
        source="HL7 Physical Activity IG 1.0.1, ValueSet pa-servicerequest-code "
        "(expansion on SNOMED CT US edition 2023-09-01), read 2026-11-30",
        verified=True,
        used_for="CarePlan.category of the staged exercise plan",
    ),
    Code(
        key="cauda_equina",
        kind=_SCT,
        system=SNOMED_CT,
        code="192970008",
        display="Cauda equina syndrome",
        source="several terminology mappings in public code (outcomes-fhir-store.md 2.1, [S]); "
        "searched again 2026-11-30: no SNOMED CT browser page or HL7 expansion found",
        verified=False,
        used_for="RiskAssessment.prediction.outcome for a suspected cauda equina syndrome",
    ),
)

#: Every external code lowback emits, by key. Read-only.
CODES: Mapping[str, Code] = MappingProxyType({c.key: c for c in _CODES})

#: lowback's own code systems: the wire values of its enums and IDs.
LOWBACK_SYSTEMS: Mapping[str, str] = MappingProxyType(
    {
        "answer": "urn:lowback:answer",
        "disposition": "urn:lowback:disposition",
        "exercise": "urn:lowback:exercise",
        "measure": "urn:lowback:measure",
        "message": "urn:lowback:message",
        "questionnaire": "urn:lowback:questionnaire",
        "rule": "urn:lowback:rule",
        "ruleset": "urn:lowback:ruleset",
        "stage": "urn:lowback:stage",
        "suspicion": "urn:lowback:suspicion",
        "value": "urn:lowback:value",
    }
)

# Suspicions with an external code; the others are coded in lowback's own
# system only, because no code for them was found in a source we trust.
_SUSPICION_CODES = MappingProxyType({"cauda_equina": "cauda_equina"})


def suspicion_code(suspicion: str) -> Code | None:
    """Return the external code of a red-flag suspicion, if one is known.

    >>> suspicion_code("cauda_equina").code
    '192970008'
    >>> suspicion_code("fracture") is None
    True
    """
    key = _SUSPICION_CODES.get(suspicion)
    return None if key is None else CODES[key]
