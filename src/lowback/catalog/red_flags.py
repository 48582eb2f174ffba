"""Red flags: signs that back pain may come from a serious condition.

Each flag names the condition it suggests. The flags come from the article's
"when to seek help" section and, for saddle numbness, bilateral leg symptoms
and minor trauma in fragile bone, from the IFOMPT red-flag framework (2020)
and Downie et al. (2013). As IFOMPT stresses, single flags are weak tests:
they prompt a clinician's reasoning, they do not diagnose.

>>> RED_FLAGS[RedFlag.SADDLE_NUMBNESS].suggests
<Suspicion.CAUDA_EQUINA: 'cauda_equina'>
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from .sources import SourceId

__all__ = ["CES_FLAGS", "RED_FLAGS", "RedFlag", "RedFlagInfo", "Suspicion"]


class RedFlag(enum.StrEnum):
    """A red-flag screening question (all are asked at intake)."""

    #: New trouble controlling or feeling the bladder or bowel.
    BLADDER_OR_BOWEL_CHANGE = "bladder_or_bowel_change"
    #: Numbness in the saddle area (perineum, inner thighs).
    SADDLE_NUMBNESS = "saddle_numbness"
    #: Nerve-like symptoms in both legs.
    BILATERAL_LEG_SYMPTOMS = "bilateral_leg_symptoms"
    #: Leg weakness, numbness or loss of coordination that is getting worse.
    PROGRESSIVE_NEUROLOGICAL_DEFICIT = "progressive_neurological_deficit"
    #: A recent fall, accident or heavy blow, or sudden severe pain after one.
    SIGNIFICANT_TRAUMA = "significant_trauma"
    #: A minor fall or strain with osteoporosis, long-term steroids or older age.
    MINOR_TRAUMA_WITH_BONE_FRAGILITY = "minor_trauma_with_bone_fragility"
    #: Fever, chills, or feeling very unwell.
    FEVER_OR_UNWELL = "fever_or_unwell"
    #: Weight loss with no explanation.
    UNEXPLAINED_WEIGHT_LOSS = "unexplained_weight_loss"
    #: Any history of cancer.
    CANCER_HISTORY = "cancer_history"
    #: Serious infection, immune suppression or intravenous drug use.
    INFECTION_OR_IMMUNOSUPPRESSION_HISTORY = "infection_or_immunosuppression_history"


class Suspicion(enum.StrEnum):
    """The serious condition a red flag raises concern for."""

    CAUDA_EQUINA = "cauda_equina"
    PROGRESSIVE_DEFICIT = "progressive_deficit"
    FRACTURE = "fracture"
    INFECTION = "infection"
    MALIGNANCY = "malignancy"


@attrs.frozen(kw_only=True)
class RedFlagInfo:
    """What a red flag suggests, and where that comes from."""

    flag: RedFlag
    suggests: Suspicion
    sources: tuple[SourceId, ...]


_A = SourceId.ARTICLE_RED_FLAGS
_I = SourceId.IFOMPT_2020

#: Every red flag with what it suggests. Read-only.
RED_FLAGS: Mapping[RedFlag, RedFlagInfo] = MappingProxyType(
    {
        info.flag: info
        for info in (
            RedFlagInfo(
                flag=RedFlag.BLADDER_OR_BOWEL_CHANGE,
                suggests=Suspicion.CAUDA_EQUINA,
                sources=(_A, _I),
            ),
            RedFlagInfo(
                flag=RedFlag.SADDLE_NUMBNESS,
                suggests=Suspicion.CAUDA_EQUINA,
                sources=(_I,),
            ),
            RedFlagInfo(
                flag=RedFlag.BILATERAL_LEG_SYMPTOMS,
                suggests=Suspicion.CAUDA_EQUINA,
                sources=(_I,),
            ),
            RedFlagInfo(
                flag=RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT,
                suggests=Suspicion.PROGRESSIVE_DEFICIT,
                sources=(_A, SourceId.NICE_CKS_SCIATICA),
            ),
            RedFlagInfo(
                flag=RedFlag.SIGNIFICANT_TRAUMA,
                suggests=Suspicion.FRACTURE,
                sources=(_A, SourceId.DOWNIE_2013),
            ),
            RedFlagInfo(
                flag=RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY,
                suggests=Suspicion.FRACTURE,
                sources=(_I, SourceId.DOWNIE_2013),
            ),
            RedFlagInfo(
                flag=RedFlag.FEVER_OR_UNWELL,
                suggests=Suspicion.INFECTION,
                sources=(_A, SourceId.YUSUF_2019),
            ),
            RedFlagInfo(
                flag=RedFlag.UNEXPLAINED_WEIGHT_LOSS,
                suggests=Suspicion.MALIGNANCY,
                sources=(_A, SourceId.DOWNIE_2013),
            ),
            RedFlagInfo(
                flag=RedFlag.CANCER_HISTORY,
                suggests=Suspicion.MALIGNANCY,
                sources=(_A, SourceId.DOWNIE_2013),
            ),
            RedFlagInfo(
                flag=RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY,
                suggests=Suspicion.INFECTION,
                sources=(_A, _I, SourceId.YUSUF_2019),
            ),
        )
    }
)

#: The flags that suggest cauda equina syndrome; any one means emergency.
CES_FLAGS: frozenset[RedFlag] = frozenset(
    f for f, info in RED_FLAGS.items() if info.suggests is Suspicion.CAUDA_EQUINA
)
