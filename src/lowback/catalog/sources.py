"""Citations as values: the source article's sections and the guidelines behind the rules.

Every rule, threshold, muscle, exercise and finding in lowback names the
sources it comes from by :class:`SourceId`. ``lowback:heuristic`` marks a
number lowback chose itself; such numbers live in
:class:`lowback.catalog.thresholds.Thresholds`, where an app may change them within safe
bounds.

>>> SOURCES[SourceId.ARTICLE_RED_FLAGS].kind
<SourceKind.ARTICLE: 'article'>
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

__all__ = ["ARTICLE_TITLE", "SOURCES", "Source", "SourceId", "SourceKind"]

#: The title of the source article every ``article:*`` source is a section of.
ARTICLE_TITLE = (
    "Low back pain muscles: hidden causes, self-checks and a stepwise reset plan"
)


class SourceKind(enum.Enum):
    """What kind of source a citation is."""

    #: A section of the source article.
    ARTICLE = "article"
    #: A clinical practice guideline or consensus framework.
    GUIDELINE = "guideline"
    #: A primary study or review.
    STUDY = "study"
    #: A number or choice lowback made itself, documented as such.
    HEURISTIC = "heuristic"


class SourceId(enum.StrEnum):
    """Stable identifiers of every source lowback cites (wire values)."""

    ARTICLE_WHY_MUSCLES = "article:why-muscles-matter"
    ARTICLE_MUSCLES = "article:key-muscles"
    ARTICLE_BRAIN = "article:muscles-and-brain"
    ARTICLE_OVERLOAD = "article:micro-overload"
    ARTICLE_GUARDING = "article:guarding-and-spasm"
    ARTICLE_TRIGGER_POINTS = "article:trigger-points"
    ARTICLE_IMBALANCE = "article:imbalance-patterns"
    ARTICLE_HABITS = "article:everyday-habits"
    ARTICLE_MUSCLE_VS_NERVE = "article:muscle-or-nerve"
    ARTICLE_SELF_CHECKS = "article:self-checks"
    ARTICLE_STAGE_1 = "article:stage-1-calm-and-unload"
    ARTICLE_CLINICAL_NOTE = "article:clinical-note-isometric-hold"
    ARTICLE_STAGE_2 = "article:stage-2-restore-mobility"
    ARTICLE_STAGE_3 = "article:stage-3-strengthen"
    ARTICLE_STAGE_4 = "article:stage-4-integrate"
    ARTICLE_RED_FLAGS = "article:when-to-seek-help"
    ARTICLE_REHAB = "article:persistent-symptoms"
    ARTICLE_PREVENTION = "article:prevention-blueprint"
    ARTICLE_FAQ = "article:faq"
    IFOMPT_2020 = "guideline:ifompt-red-flags-2020"
    NICE_NG59 = "guideline:nice-ng59"
    NICE_CKS_SCIATICA = "guideline:nice-cks-sciatica-red-flags"
    NICE_CG75 = "guideline:nice-cg75-mscc"
    APTA_CPG_2021 = "guideline:apta-lbp-cpg-2021"
    TBC_2016 = "study:alrwaily-tbc-2016"
    DOWNIE_2013 = "study:downie-red-flags-2013"
    YUSUF_2019 = "study:yusuf-spinal-infection-2019"
    BOGDUK_2009 = "study:bogduk-radicular-2009"
    SILBERNAGEL_2007 = "study:silbernagel-pain-monitoring-2007"
    NIELSEN_2014 = "study:nielsen-running-load-2014"
    OSTELO_2008 = "study:ostelo-mcid-2008"
    FAIRBANK_2000 = "study:fairbank-odi-2000"
    ROLAND_FAIRBANK_2000 = "study:roland-fairbank-2000"
    HILL_2008 = "study:hill-start-back-2008"
    HILL_2011 = "study:hill-start-back-trial-2011"
    STRATFORD_1995 = "study:stratford-psfs-1995"
    KREBS_2009 = "study:krebs-peg-2009"
    REED_2024 = "study:reed-peg-mid-2024"
    HEURISTIC = "lowback:heuristic"


@attrs.frozen(kw_only=True)
class Source:
    """A citable source: an article section, a guideline or a study."""

    id: SourceId
    kind: SourceKind
    #: Title of the work (for article sections, the section's heading in our words).
    title: str
    #: Year of publication; ``None`` for lowback's own heuristics.
    year: int | None
    #: Where in the work: a section, a recommendation number, a DOI.
    locator: str


def _source(
    source_id: SourceId, kind: SourceKind, title: str, year: int | None, locator: str
) -> tuple[SourceId, Source]:
    return source_id, Source(
        id=source_id, kind=kind, title=title, year=year, locator=locator
    )


_A, _G, _S = SourceKind.ARTICLE, SourceKind.GUIDELINE, SourceKind.STUDY
_ARTICLE_YEAR = None  # the article carries no date

#: Every source by ID. Read-only.
SOURCES: Mapping[SourceId, Source] = MappingProxyType(
    dict(
        [
            _source(
                SourceId.ARTICLE_WHY_MUSCLES,
                _A,
                "Why back muscles matter",
                _ARTICLE_YEAR,
                "section 1",
            ),
            _source(
                SourceId.ARTICLE_MUSCLES,
                _A,
                "The key lower back muscles",
                _ARTICLE_YEAR,
                "muscle table; FAQ 1 and 8",
            ),
            _source(
                SourceId.ARTICLE_BRAIN,
                _A,
                "How back muscles talk to the brain",
                _ARTICLE_YEAR,
                "sensory traffic",
            ),
            _source(
                SourceId.ARTICLE_OVERLOAD,
                _A,
                "Micro-overload and repetitive strain",
                _ARTICLE_YEAR,
                "hidden causes 1",
            ),
            _source(
                SourceId.ARTICLE_GUARDING,
                _A,
                "Guarding and muscle spasm",
                _ARTICLE_YEAR,
                "hidden causes 2",
            ),
            _source(
                SourceId.ARTICLE_TRIGGER_POINTS,
                _A,
                "Trigger points and referred pain",
                _ARTICLE_YEAR,
                "hidden causes 3",
            ),
            _source(
                SourceId.ARTICLE_IMBALANCE,
                _A,
                "Muscle imbalance patterns",
                _ARTICLE_YEAR,
                "hidden causes 4",
            ),
            _source(
                SourceId.ARTICLE_HABITS,
                _A,
                "Everyday habits: sitting, standing, sleep, stress",
                _ARTICLE_YEAR,
                "everyday habits",
            ),
            _source(
                SourceId.ARTICLE_MUSCLE_VS_NERVE,
                _A,
                "Muscle pain or nerve pain",
                _ARTICLE_YEAR,
                "telling them apart; FAQ 3",
            ),
            _source(
                SourceId.ARTICLE_SELF_CHECKS,
                _A,
                "Home self-checks",
                _ARTICLE_YEAR,
                "self-checks 1-4 and stop rule",
            ),
            _source(
                SourceId.ARTICLE_STAGE_1,
                _A,
                "Stage 1: calm and unload",
                _ARTICLE_YEAR,
                "reset plan, stage 1",
            ),
            _source(
                SourceId.ARTICLE_CLINICAL_NOTE,
                _A,
                "Clinical note: pain-calming isometric holds",
                _ARTICLE_YEAR,
                "reset plan, clinical note",
            ),
            _source(
                SourceId.ARTICLE_STAGE_2,
                _A,
                "Stage 2: restore mobility",
                _ARTICLE_YEAR,
                "reset plan, stage 2",
            ),
            _source(
                SourceId.ARTICLE_STAGE_3,
                _A,
                "Stage 3: strengthen and coordinate",
                _ARTICLE_YEAR,
                "reset plan, stage 3; FAQ 5",
            ),
            _source(
                SourceId.ARTICLE_STAGE_4,
                _A,
                "Stage 4: integrate into daily life",
                _ARTICLE_YEAR,
                "reset plan, stage 4",
            ),
            _source(
                SourceId.ARTICLE_RED_FLAGS,
                _A,
                "When to seek help: red-flag signs",
                _ARTICLE_YEAR,
                "expert help; FAQ 10",
            ),
            _source(
                SourceId.ARTICLE_REHAB,
                _A,
                "When persistent symptoms need rehabilitation",
                _ARTICLE_YEAR,
                "expert help",
            ),
            _source(
                SourceId.ARTICLE_PREVENTION,
                _A,
                "Long-term prevention blueprint",
                _ARTICLE_YEAR,
                "prevention: movement, load, sleep, mindset",
            ),
            _source(
                SourceId.ARTICLE_FAQ,
                _A,
                "Frequently asked questions",
                _ARTICLE_YEAR,
                "FAQ 1-10",
            ),
            _source(
                SourceId.IFOMPT_2020,
                _G,
                "International Framework for Red Flags for Potential Serious Spinal Pathologies (Finucane et al., JOSPT)",
                2020,
                "doi:10.2519/jospt.2020.9971",
            ),
            _source(
                SourceId.NICE_NG59,
                _G,
                "NICE NG59: Low back pain and sciatica in over 16s",
                2016,
                "recommendations 1.1-1.2 (updated 2020)",
            ),
            _source(
                SourceId.NICE_CKS_SCIATICA,
                _G,
                "NICE CKS: Sciatica, interpreting red flags",
                2023,
                "urgency of referral",
            ),
            _source(
                SourceId.NICE_CG75,
                _G,
                "NICE CG75: Metastatic spinal cord compression (superseded by NG234)",
                2008,
                "immediate referral triggers",
            ),
            _source(
                SourceId.APTA_CPG_2021,
                _G,
                "APTA low back pain clinical practice guideline, 2021 revision (George et al., JOSPT)",
                2021,
                "doi:10.2519/jospt.2021.0304",
            ),
            _source(
                SourceId.TBC_2016,
                _S,
                "Treatment-Based Classification system for low back pain, revision (Alrwaily et al., Phys Ther)",
                2016,
                "96:1057-66",
            ),
            _source(
                SourceId.DOWNIE_2013,
                _S,
                "Red flags to screen for malignancy and fracture (Downie et al., BMJ)",
                2013,
                "347:f7095",
            ),
            _source(
                SourceId.YUSUF_2019,
                _S,
                "Red flags for spinal infection (Yusuf, Finucane, Selfe, BMC Musculoskelet Disord)",
                2019,
                "20:606",
            ),
            _source(
                SourceId.BOGDUK_2009,
                _S,
                "On the definitions and physiology of back pain, referred pain and radicular pain (Bogduk, Pain)",
                2009,
                "147:17-19",
            ),
            _source(
                SourceId.SILBERNAGEL_2007,
                _S,
                "Pain-monitoring model for loading in rehabilitation (Silbernagel et al., Am J Sports Med)",
                2007,
                "35:897-906",
            ),
            _source(
                SourceId.NIELSEN_2014,
                _S,
                "Training errors and running injuries: weekly progression (Nielsen et al., JOSPT)",
                2014,
                "44:739-47",
            ),
            _source(
                SourceId.OSTELO_2008,
                _S,
                "Minimal important change in pain and function for low back pain (Ostelo et al., Spine)",
                2008,
                "33:90-94",
            ),
            _source(
                SourceId.FAIRBANK_2000,
                _S,
                "The Oswestry Disability Index (Fairbank and Pynsent, Spine)",
                2000,
                "25:2940-52; scoring and a missed section",
            ),
            _source(
                SourceId.ROLAND_FAIRBANK_2000,
                _S,
                "The Roland-Morris Disability Questionnaire and the Oswestry Disability Questionnaire (Roland and Fairbank, Spine)",
                2000,
                "25:3115-24; scoring of both questionnaires",
            ),
            _source(
                SourceId.HILL_2008,
                _S,
                "A primary care back pain screening tool: identifying patient subgroups for initial treatment (Hill et al., Arthritis Rheum)",
                2008,
                "59:632-41; STarT Back scoring and risk groups",
            ),
            _source(
                SourceId.HILL_2011,
                _S,
                "Stratified primary care management for low back pain compared with current best practice (STarT Back): a randomised controlled trial (Hill et al., Lancet)",
                2011,
                "378:1560-71; matched treatment by risk group",
            ),
            _source(
                SourceId.STRATFORD_1995,
                _S,
                "Assessing disability and change on individual patients: a report of a patient specific measure (Stratford et al., Physiother Can)",
                1995,
                "47:258-63; the Patient-Specific Functional Scale",
            ),
            _source(
                SourceId.KREBS_2009,
                _S,
                "Development and initial validation of the PEG, a three-item scale assessing pain intensity and interference (Krebs et al., J Gen Intern Med)",
                2009,
                "24:733-38",
            ),
            _source(
                SourceId.REED_2024,
                _S,
                "Comparable minimally important differences and responsiveness of brief pain inventory and PEG pain scales across 6 trials (Reed et al., J Pain)",
                2024,
                "25:142-52; PEG minimal important difference 1.0-1.75",
            ),
            (
                SourceId.HEURISTIC,
                Source(
                    id=SourceId.HEURISTIC,
                    kind=SourceKind.HEURISTIC,
                    title="lowback heuristic: a documented default an app may change within safe bounds",
                    year=None,
                    locator="lowback.catalog.thresholds.Thresholds",
                ),
            ),
        ]
    )
)
