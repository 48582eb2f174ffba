"""The rule catalog and the ruleset version.

Every rule lowback applies has an ID (the IDs of the clinical spec), a
one-line summary and its sources. Results name the rules that fired, so a
clinician can check why; the docs list this catalog. The engines
(:mod:`lowback.engine.triage`, :mod:`lowback.engine.progression`) pair each rule ID with
its predicate in their own tables, and tests check that every rule here is
evaluated by exactly one engine.

Numbers lowback chose itself ([H] in the spec) live in
:class:`~lowback.catalog.thresholds.Thresholds`, re-exported here.

>>> RULES["RF-CES"].disposition
<Disposition.EMERGENCY: 'emergency'>
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from . import rule_ids
from .dispositions import Disposition
from .sources import SourceId

__all__ = [
    "EN_CALM",
    "EN_MOBILITY",
    "EN_PAUSED",
    "NV_ROOT",
    "NV_UNKNOWN",
    "NV_WEAKNESS",
    "OM_MIC",
    "OM_NPRS",
    "OM_ODI",
    "OM_PEG",
    "OM_PSFS",
    "OM_RMDQ",
    "OM_SBST",
    "PR_OUTCOME",
    "PR_OUTCOME_WORSE",
    "RF_AGE",
    "RF_CANCER",
    "RF_CES",
    "RF_DEFICIT",
    "RF_FX_NEURO",
    "RF_FX_ONSET",
    "RF_INF",
    "RF_INF_NEURO",
    "RF_MSCC",
    "RF_SADDLE",
    "RF_TRAUMA",
    "RF_UNKNOWN",
    "RF_UNKNOWN_CES",
    "RF_UNKNOWN_COMBO",
    "RT_FEAR",
    "RT_FLARES",
    "RT_NO_PROGRESS",
    "RT_PERSIST",
    "RT_REST",
    "RT_STARTBACK",
    "RULES",
    "RULESET_VERSION",
    "SCOPE_AGE",
    "SC_STOP",
    "SELF",
    "Check",
    "CheckOutcome",
    "FactValue",
    "FiredRule",
    "Rule",
    "RuleKind",
]

#: The version of the rule set. It changes whenever a rule's behaviour does,
#: and every result carries it.
RULESET_VERSION = "2026.2"

# Triage rule IDs (spec 2 and 5.1). Engines and tests name rules by these
# constants; the ID strings are written only here.
RF_CES: Final = "RF-CES"
RF_MSCC: Final = "RF-MSCC"
RF_INF_NEURO: Final = "RF-INF-NEURO"
RF_FX_NEURO: Final = "RF-FX-NEURO"
RF_DEFICIT: Final = "RF-DEFICIT"
RF_TRAUMA: Final = "RF-TRAUMA"
RF_INF: Final = "RF-INF"
RF_CANCER: Final = "RF-CANCER"
RF_AGE: Final = "RF-AGE"
RF_UNKNOWN_CES: Final = "RF-UNKNOWN-CES"
RF_UNKNOWN: Final = "RF-UNKNOWN"
NV_ROOT: Final = "NV-ROOT"
NV_UNKNOWN: Final = "NV-UNKNOWN"
SC_STOP: Final = "SC-STOP"
RT_PERSIST: Final = "RT-PERSIST"
RT_FLARES: Final = "RT-FLARES"
RT_FEAR: Final = "RT-FEAR"
RT_REST: Final = "RT-REST"
SELF: Final = "SELF"
EN_PAUSED: Final = "EN-PAUSED"
EN_CALM: Final = "EN-CALM"
EN_MOBILITY: Final = "EN-MOBILITY"
# Added in v2 (spec 5.1).
RF_SADDLE: Final = "RF-SADDLE"
RF_FX_ONSET: Final = "RF-FX-ONSET"
RF_UNKNOWN_COMBO: Final = "RF-UNKNOWN-COMBO"
NV_WEAKNESS: Final = "NV-WEAKNESS"
SCOPE_AGE: Final = "SCOPE-AGE"
# Outcome measures and risk stratification (spec 6).
RT_STARTBACK: Final = "RT-STARTBACK"
OM_NPRS: Final = "OM-NPRS"
OM_ODI: Final = "OM-ODI"
OM_RMDQ: Final = "OM-RMDQ"
OM_PSFS: Final = "OM-PSFS"
OM_PEG: Final = "OM-PEG"
OM_SBST: Final = "OM-SBST"
OM_MIC: Final = "OM-MIC"
# The PR- IDs live with the other progression IDs; named here too, as before.
PR_OUTCOME: Final = rule_ids.PR_OUTCOME
PR_OUTCOME_WORSE: Final = rule_ids.PR_OUTCOME_WORSE
RT_NO_PROGRESS: Final = "RT-NO-PROGRESS"


class RuleKind(enum.StrEnum):
    """The family a rule belongs to (the prefix of its ID)."""

    RED_FLAG = "red_flag"
    NERVE = "nerve"
    #: Who lowback's guidance is for (v2: SCOPE-AGE).
    SCOPE = "scope"
    SELF_CHECK = "self_check"
    REFERRAL = "referral"
    ENTRY = "entry"
    PROGRESSION = "progression"
    LOAD = "load"
    #: Outcome measures, risk screens and change: the ``OM-`` rules.
    OUTCOME = "outcome"


@attrs.frozen(kw_only=True)
class Rule:
    """A clinical rule: its ID, what it says, and where it comes from."""

    #: Stable rule ID such as ``RF-CES`` (wire value).
    id: str
    kind: RuleKind
    #: What the rule says, in one line.
    summary: str
    sources: tuple[SourceId, ...]
    #: For triage rules, the disposition the rule gives when it fires.
    disposition: Disposition | None = None


_D = Disposition
_S = SourceId
_K = RuleKind
_RF = (_S.ARTICLE_RED_FLAGS, _S.IFOMPT_2020)


def _r(
    rule_id: str,
    kind: RuleKind,
    summary: str,
    *sources: SourceId,
    disposition: Disposition | None = None,
) -> Rule:
    return Rule(
        id=rule_id, kind=kind, summary=summary, sources=sources, disposition=disposition
    )


_RULES = (
    # Red flags (spec 2; urgency tiers after IFOMPT 2020 and NICE CKS).
    _r(
        RF_CES,
        _K.RED_FLAG,
        "Bladder or bowel change, saddle numbness, symptoms in both legs (asked, or nerve features in both legs), or saddle-area pain that is nerve-like or with numbness in a line suggest cauda equina syndrome.",
        *_RF,
        disposition=_D.EMERGENCY,
    ),
    _r(
        RF_MSCC,
        _K.RED_FLAG,
        "A history of cancer with any nerve feature or deficit suggests spinal cord compression.",
        _S.ARTICLE_RED_FLAGS,
        _S.NICE_CG75,
        _S.IFOMPT_2020,
        disposition=_D.EMERGENCY,
    ),
    _r(
        RF_INF_NEURO,
        _K.RED_FLAG,
        "Fever, feeling unwell or an infection history with any nerve feature or a worsening deficit suggests spinal infection with nerve involvement.",
        *_RF,
        _S.YUSUF_2019,
        disposition=_D.EMERGENCY,
    ),
    _r(
        RF_FX_NEURO,
        _K.RED_FLAG,
        "Significant trauma, or minor trauma with fragile bone, with any nerve feature or a worsening deficit suggests a fracture with nerve involvement.",
        *_RF,
        disposition=_D.EMERGENCY,
    ),
    _r(
        RF_DEFICIT,
        _K.RED_FLAG,
        "Leg weakness, numbness or loss of coordination that is getting worse needs same-day assessment.",
        _S.ARTICLE_RED_FLAGS,
        _S.NICE_CKS_SCIATICA,
        disposition=_D.URGENT,
    ),
    _r(
        RF_TRAUMA,
        _K.RED_FLAG,
        "Significant trauma, or minor trauma with fragile bone, needs assessment for fracture.",
        *_RF,
        _S.DOWNIE_2013,
        disposition=_D.URGENT,
    ),
    _r(
        RF_INF,
        _K.RED_FLAG,
        "Fever, feeling very unwell, or a history of serious infection or immune suppression needs same-day review.",
        *_RF,
        _S.YUSUF_2019,
        disposition=_D.URGENT,
    ),
    _r(
        RF_CANCER,
        _K.RED_FLAG,
        "A history of cancer or unexplained weight loss needs medical assessment before self-care.",
        *_RF,
        _S.DOWNIE_2013,
        disposition=_D.URGENT,
    ),
    _r(
        RF_UNKNOWN,
        _K.RED_FLAG,
        "A red-flag question answered 'not sure' is never read as 'no': a clinician must ask it.",
        *_RF,
        disposition=_D.MEDICAL_REVIEW,
    ),
    # Nerve features (spec 2).
    _r(
        NV_ROOT,
        _K.NERVE,
        "Any nerve feature (pain below the knee, nerve-like leg pain, numbness in a line, weakness) needs medical review before loading.",
        _S.ARTICLE_MUSCLE_VS_NERVE,
        _S.BOGDUK_2009,
        disposition=_D.MEDICAL_REVIEW,
    ),
    _r(
        NV_UNKNOWN,
        _K.NERVE,
        "A nerve-feature question answered 'not sure' needs medical review.",
        _S.ARTICLE_MUSCLE_VS_NERVE,
        _S.IFOMPT_2020,
        disposition=_D.MEDICAL_REVIEW,
    ),
    # Self-checks (spec 2).
    _r(
        SC_STOP,
        _K.SELF_CHECK,
        "A self-check stopped for leg symptoms or sharp shooting pain counts as a nerve feature; one stopped for dizziness or feeling unwell needs medical review.",
        _S.ARTICLE_SELF_CHECKS,
        disposition=_D.MEDICAL_REVIEW,
    ),
    # Referral triggers (article: when persistent symptoms need rehabilitation).
    _r(
        RT_PERSIST,
        _K.REFERRAL,
        "Pain or stiffness lasting longer than 4-6 weeks: add a physiotherapist.",
        _S.ARTICLE_REHAB,
        _S.HEURISTIC,
        disposition=_D.PHYSIO_REFERRAL,
    ),
    _r(
        RT_FLARES,
        _K.REFERRAL,
        "Frequent flare-ups from small triggers: add a physiotherapist.",
        _S.ARTICLE_REHAB,
        disposition=_D.PHYSIO_REFERRAL,
    ),
    _r(
        RT_FEAR,
        _K.REFERRAL,
        "Fear or confusion about which movements are safe: add a physiotherapist.",
        _S.ARTICLE_REHAB,
        _S.APTA_CPG_2021,
        disposition=_D.PHYSIO_REFERRAL,
    ),
    _r(
        RT_REST,
        _K.REFERRAL,
        "Rest alone was tried and did not help: add a physiotherapist.",
        _S.ARTICLE_REHAB,
        disposition=_D.PHYSIO_REFERRAL,
    ),
    # Risk stratification (spec 6.2). lowback's safer reading: a screen with
    # items not answered still refers when the answered items alone prove
    # medium or high risk (the missing items can only raise it), so "not
    # sure" never lowers urgency (invariant 2); otherwise it changes nothing.
    _r(
        RT_STARTBACK,
        _K.REFERRAL,
        "A STarT Back screen at medium or high risk: add a physiotherapist; "
        "at high risk, psychologically informed physiotherapy.",
        _S.NICE_NG59,
        _S.HILL_2011,
        _S.HILL_2008,
        disposition=_D.PHYSIO_REFERRAL,
    ),
    # Entry stage (spec 2, "Entry stage"); the IDs are lowback's, the spec names none.
    _r(
        EN_PAUSED,
        _K.ENTRY,
        "Medical review first: the plan starts paused at stage 1, with unloading positions and short walks only.",
        _S.IFOMPT_2020,
        _S.TBC_2016,
    ),
    _r(
        EN_CALM,
        _K.ENTRY,
        "Pain of 5 or more now, worst pain of 7 or more in the last day, or spasm or feeling stuck (or not sure), starts the plan at stage 1.",
        _S.ARTICLE_STAGE_1,
        _S.ARTICLE_GUARDING,
        _S.TBC_2016,
        _S.HEURISTIC,
    ),
    _r(
        EN_MOBILITY,
        _K.ENTRY,
        "Pain of 4 or less without spasm starts the plan at stage 2; strength stages are earned, never entered at intake.",
        _S.ARTICLE_STAGE_2,
        _S.TBC_2016,
        _S.HEURISTIC,
    ),
    _r(
        SELF,
        _K.REFERRAL,
        "No red flag, nerve feature or referral trigger: the staged self-care plan fits.",
        _S.ARTICLE_RED_FLAGS,
        _S.NICE_NG59,
        disposition=_D.SELF_CARE,
    ),
    # Progression (spec 3).
    _r(
        "PR-REDFLAG",
        _K.PROGRESSION,
        "A red flag answered yes pauses the plan with no exercise and seeks care at the flag's urgency; 'not sure' pauses it with unloading and short walks only.",
        *_RF,
    ),
    _r(
        "PR-NERVE",
        _K.PROGRESSION,
        "A new nerve feature resets the plan to stage 1 and pauses it for medical review; 'not sure' pauses it.",
        _S.ARTICLE_CLINICAL_NOTE,
        _S.ARTICLE_MUSCLE_VS_NERVE,
    ),
    _r(
        "PR-CLEAR",
        _K.PROGRESSION,
        "Only a clinician's clearance moves a paused plan back to active.",
        _S.IFOMPT_2020,
    ),
    _r(
        "PR-SPIKE",
        _K.PROGRESSION,
        "A pain spike (during > 5, after up 2 or more, or morning pain above the last settled level) regresses one stage and deloads.",
        _S.SILBERNAGEL_2007,
        _S.ARTICLE_PREVENTION,
    ),
    _r(
        "PR-ISO",
        _K.PROGRESSION,
        "In stage 1, a pain-calming hold that spikes symptoms or brings leg pain is dropped for unloading and short walks.",
        _S.ARTICLE_CLINICAL_NOTE,
    ),
    _r(
        "PR-ADVANCE",
        _K.PROGRESSION,
        "Advance exactly one stage when the last sessions were green, settled and not rising, with no recent regression, and the stage gate holds.",
        _S.TBC_2016,
        _S.SILBERNAGEL_2007,
        _S.HEURISTIC,
    ),
    _r("PR-HOLD", _K.PROGRESSION, "Otherwise stay in the current stage.", _S.TBC_2016),
    _r(
        "PR-GATE-1",
        _K.PROGRESSION,
        "Stage 1 to 2: pain now is at most 4 (v2: the 'down 2 points from entry' clause "
        "is dropped; it moved pain 10 -> 8 into stage 2).",
        _S.ARTICLE_STAGE_2,
        _S.OSTELO_2008,
        _S.HEURISTIC,
    ),
    _r(
        "PR-GATE-2",
        _K.PROGRESSION,
        "Stage 2 to 3: mobility work done with pain in the green zone every session.",
        _S.ARTICLE_STAGE_3,
        _S.SILBERNAGEL_2007,
        _S.HEURISTIC,
    ),
    _r(
        "PR-GATE-3",
        _K.PROGRESSION,
        "Stage 3 to 4: the target dose (2-3 sets of 8-15) reached with green-zone pain, and an endurance hold of 10 s if re-checked.",
        _S.ARTICLE_STAGE_3,
        _S.ARTICLE_SELF_CHECKS,
    ),
    _r(
        "PR-GATE-4",
        _K.PROGRESSION,
        "Stage 4 to 5: pain at most 2 for 14 days with the daily habits in place.",
        _S.ARTICLE_STAGE_4,
        _S.TBC_2016,
        _S.HEURISTIC,
    ),
    _r("PR-TIME", _K.PROGRESSION, "Time alone never advances a stage.", _S.TBC_2016),
    # lowback's own ID: the spec lets a clinician set the stage (spec 3, events).
    _r(
        "PR-OVERRIDE",
        _K.PROGRESSION,
        "A clinician may set the stage explicitly; an override never unpauses a paused plan.",
        _S.IFOMPT_2020,
        _S.TBC_2016,
    ),
    # Load management (spec 3).
    _r(
        "LD-MONITOR",
        _K.LOAD,
        "Pain during exercise up to 5/10 is acceptable, up to 3 is the green zone, and it must settle by next morning.",
        _S.SILBERNAGEL_2007,
    ),
    _r(
        "LD-PROGRESS",
        _K.LOAD,
        "Increase the dose only after a green, settled session, one step at a time: reps, then sets, then hold time.",
        _S.ARTICLE_PREVENTION,
        _S.SILBERNAGEL_2007,
    ),
    _r(
        "LD-CAP",
        _K.LOAD,
        "Each exercise's planned weekly volume, in its own unit and never summed across exercises, "
        "exceeds its previous week's by at most the cap (10 % by default, 30 % at most) or one "
        "LD-PROGRESS step, whichever is more [H]; no step is over 30 %; the isometric hold is "
        "outside the cap.",
        _S.NIELSEN_2014,
        _S.HEURISTIC,
    ),
    _r(
        "LD-DELOAD",
        _K.LOAD,
        "A spike cuts the next dose by at least 30 %.",
        _S.SILBERNAGEL_2007,
        _S.HEURISTIC,
    ),
    _r(
        "LD-SETTLE",
        _K.LOAD,
        "Morning pain not settled: no increase next session.",
        _S.SILBERNAGEL_2007,
    ),
    _r(
        "LD-GAP",
        _K.LOAD,
        "After 7 or more days without sessions, resume at no more than the last dose.",
        _S.ARTICLE_PREVENTION,
        _S.HEURISTIC,
    ),
    _r("LD-TIRED", _K.LOAD, "Very tired: no increase that day.", _S.ARTICLE_PREVENTION),
    _r(
        "LD-ISO",
        _K.LOAD,
        "The pain-calming hold stays at 20-30 % effort, 8-10 s on, 5 s rest, 5-6 rounds.",
        _S.ARTICLE_CLINICAL_NOTE,
    ),
    _r(
        "LD-DESK",
        _K.LOAD,
        "Change posture every 25-30 minutes; at most 30 minutes in one position.",
        _S.ARTICLE_STAGE_4,
    ),
    # v2 amendments (spec 5.1).
    _r(
        RF_SADDLE,
        _K.RED_FLAG,
        "Any pain or symptom in the saddle area (between the legs, around the bottom) "
        "needs same-day assessment: it can be an early cauda equina sign.",
        _S.IFOMPT_2020,
        _S.ARTICLE_RED_FLAGS,
        disposition=_D.URGENT,
    ),
    _r(
        RF_FX_ONSET,
        _K.RED_FLAG,
        "Pain that began after a fall or injury at age 50 or over (or age not given) "
        "needs same-day assessment for fracture.",
        _S.DOWNIE_2013,
        _S.IFOMPT_2020,
        disposition=_D.URGENT,
    ),
    _r(
        RF_UNKNOWN_COMBO,
        _K.RED_FLAG,
        "'Not sure' about a cancer (history or unexplained weight loss), infection, "
        "fever or trauma flag beside a nerve feature or worsening deficit (or such a "
        "flag with a nerve question answered 'not sure') needs same-day assessment: "
        "it could be an emergency.",
        _S.IFOMPT_2020,
        _S.NICE_CG75,
        disposition=_D.URGENT,
    ),
    _r(
        NV_WEAKNESS,
        _K.NERVE,
        "New leg or foot weakness (such as foot drop) needs same-day assessment, even "
        "when it is not known to be getting worse.",
        _S.IFOMPT_2020,
        _S.NICE_CKS_SCIATICA,
        disposition=_D.URGENT,
    ),
    _r(
        SCOPE_AGE,
        _K.SCOPE,
        "Under 16: back pain in children and young people needs a clinical "
        "assessment; lowback starts no plan.",
        _S.NICE_NG59,
        disposition=_D.MEDICAL_REVIEW,
    ),
    # Progression amendments of v2 (clinical spec 5.2).
    _r(
        "PR-PAUSE-DOSE",
        _K.PROGRESSION,
        "While paused for emergency or urgent care no decision plans any exercise; a "
        "review pause plans short walks only (with the unloading positions).",
        *_RF,
    ),
    _r(
        "PR-PAUSE-WORDS",
        _K.PROGRESSION,
        "A pause says what to do at its urgency (emergency: now; urgent: today), and "
        "events logged during a pause say the plan waits for a clinician.",
        *_RF,
        _S.NICE_CKS_SCIATICA,
    ),
    _r(
        "PR-GAP",
        _K.PROGRESSION,
        "After 7 or more days without a session, sessions before the gap no longer "
        "count toward advancing.",
        _S.ARTICLE_PREVENTION,
        _S.HEURISTIC,
    ),
    _r(
        "PR-TIRED",
        _K.PROGRESSION,
        "A day reported very tired (yes or not sure) never advances a stage.",
        _S.ARTICLE_PREVENTION,
    ),
    _r(
        "PR-ACK",
        _K.PROGRESSION,
        "A nerve feature a clinician acknowledged at clearance is recorded when "
        "reported again but does not reset or pause; any other feature or red flag does.",
        _S.IFOMPT_2020,
        _S.ARTICLE_CLINICAL_NOTE,
    ),
    _r(
        "PR-HISTORY",
        _K.PROGRESSION,
        "The plan remembers the intake's history flags (cancer, infection or "
        "immunosuppression, fragility fracture; significant trauma for 90 days) and "
        "grades every later red flag or nerve feature with them; a clearance keeps them.",
        *_RF,
        _S.NICE_CKS_SCIATICA,
    ),
    _r(
        "LD-DELOAD-HOLD",
        _K.LOAD,
        "After a spike, no dose increases for 7 days.",
        _S.SILBERNAGEL_2007,
        _S.HEURISTIC,
    ),
    _r(
        "LD-CAUTION",
        _K.LOAD,
        "Self-check findings shape the plan: extension sensitivity removes the"
        " back extension until a clinician clears it; leg symptoms at intake or"
        " since remove the knee-to-chest stretches.",
        _S.ARTICLE_SELF_CHECKS,
        _S.ARTICLE_STAGE_2,
        _S.ARTICLE_STAGE_3,
    ),
    # Outcome measures and risk stratification (spec 6.1).
    _r(
        OM_NPRS,
        _K.OUTCOME,
        "Pain rating: the score is the rating, 0-10; lower is better.",
        _S.OSTELO_2008,
    ),
    _r(
        OM_ODI,
        _K.OUTCOME,
        "Oswestry Disability Index 2.1a: the sum over 5 times the sections answered, as an exact percent; "
        "lower is better; one section may be missing, two or more and it is not scored.",
        _S.FAIRBANK_2000,
        _S.ROLAND_FAIRBANK_2000,
    ),
    _r(
        OM_RMDQ,
        _K.OUTCOME,
        "Roland-Morris: the number of statements ticked, 0-24; lower is better.",
        _S.ROLAND_FAIRBANK_2000,
    ),
    _r(
        OM_PSFS,
        _K.OUTCOME,
        "Patient-Specific Functional Scale: the mean of the rated activities, 0-10; higher is better; "
        "a follow-up is compared over the baseline's activities only.",
        _S.STRATFORD_1995,
    ),
    _r(
        OM_PEG,
        _K.OUTCOME,
        "PEG: the mean of its three items, 0-10; lower is better; all three are required.",
        _S.KREBS_2009,
    ),
    _r(
        OM_SBST,
        _K.OUTCOME,
        "STarT Back: total 0-9 and psychosocial subscore 0-5; low risk at a total of 3 or less, "
        "high at a subscore of 4 or more, medium otherwise; all nine items are required.",
        _S.HILL_2008,
    ),
    _r(
        OM_MIC,
        _K.OUTCOME,
        "A follow-up is improved when it gets better by at least the minimal important change "
        "(or by 30 % of baseline, except the PSFS), worse when it gets worse by at least that "
        "change, and unchanged otherwise.",
        _S.OSTELO_2008,
        _S.STRATFORD_1995,
        _S.REED_2024,
    ),
    # Outcomes in the plan (spec 6.2).
    _r(
        PR_OUTCOME,
        _K.PROGRESSION,
        "An outcome record is scored and remembered; the first scored record of a measure is its "
        "baseline; one that cannot be scored is neither a baseline nor worse; it never advances a stage.",
        _S.OSTELO_2008,
        _S.TBC_2016,
    ),
    _r(
        PR_OUTCOME_WORSE,
        _K.PROGRESSION,
        "A score worse than its baseline by the minimal important change: no advance that day, "
        "and a physiotherapist review is recommended.",
        _S.OSTELO_2008,
        _S.ARTICLE_REHAB,
    ),
    _r(
        RT_NO_PROGRESS,
        _K.OUTCOME,
        "An outcome recorded 6 weeks or more into the plan while no measure has improved over its "
        "baseline: a physiotherapist review is recommended (STarT Back, a screen, does not count).",
        _S.ARTICLE_REHAB,
        _S.OSTELO_2008,
        _S.HEURISTIC,
    ),
    # lowback's safer readings of spec 2 (see lowback.engine.triage for the predicates).
    _r(
        RF_UNKNOWN_CES,
        _K.RED_FLAG,
        "Not sure about a cauda equina sign (bladder or bowel change, saddle numbness, "
        "symptoms in both legs) needs same-day assessment: this cannot wait days.",
        *_RF,
        _S.NICE_CKS_SCIATICA,
        disposition=_D.URGENT,
    ),
    _r(
        RF_AGE,
        _K.RED_FLAG,
        "Age 50 or over adds to the concern raised by a history of cancer or by trauma "
        "(never a flag on its own).",
        _S.IFOMPT_2020,
        _S.DOWNIE_2013,
        disposition=_D.URGENT,
    ),
)

#: Every rule by ID, in spec order. Read-only.
RULES: Mapping[str, Rule] = MappingProxyType({r.id: r for r in _RULES})


@attrs.frozen(kw_only=True)
class FiredRule:
    """A rule that fired, as results and decisions report it: its ID and sources.

    >>> FiredRule.of("SELF").id
    'SELF'
    """

    id: str
    sources: tuple[SourceId, ...]

    @classmethod
    def of(cls, rule_id: str) -> FiredRule:
        """Return the fired form of catalog rule *rule_id*.

        Raises:
            KeyError: *rule_id* is not in :data:`RULES` (a programming error:
                engines only fire catalog rules).
        """
        return cls(id=rule_id, sources=RULES[rule_id].sources)


class CheckOutcome(enum.StrEnum):
    """What came of one rule or condition an engine evaluated (wire values)."""

    #: A rule applied and shaped the result.
    FIRED = "fired"
    #: A condition (an advance criterion, a gate) held.
    MET = "met"
    #: A rule did not apply, or a condition did not hold.
    UNMET = "unmet"


#: A fact compared by a check: an input value or a threshold, as JSON allows.
FactValue = int | float | str | bool | None


def _frozen_facts(facts: Mapping[str, FactValue]) -> Mapping[str, FactValue]:
    return MappingProxyType(dict(facts))


@attrs.frozen(kw_only=True)
class Check:
    """One rule or condition an engine evaluated, what came of it, and why.

    ``facts`` names each input value and threshold the check compared, so a
    clinician can see why a plan held without reading code (clinical spec
    5.3). It is a read-only mapping, kept in the order the engine compared.

    >>> check = Check(id="PR-GATE-1", outcome=CheckOutcome.UNMET,
    ...               facts={"pain_now": 5, "gate1_pain": 4})
    >>> check.outcome.value, dict(check.facts)
    ('unmet', {'pain_now': 5, 'gate1_pain': 4})
    """

    #: The rule ID (or advance condition ID) that was evaluated.
    id: str
    outcome: CheckOutcome
    #: The facts compared, by name. Excluded from the hash (a mapping is not
    #: hashable); equal checks still hash equal.
    facts: Mapping[str, FactValue] = attrs.field(
        factory=dict, converter=_frozen_facts, hash=False
    )
