"""The muscles of the low back team, how they misbehave, and the imbalances between them.

The seven groups, where each is felt, its job and how it misbehaves follow the
article's muscle table; hamstrings come from its FAQ 8. Referral patterns come
from its trigger-point section. Which exercises train a group is derived from
:mod:`lowback.catalog.exercises` (:func:`lowback.catalog.exercises.exercises_for_muscle`).

>>> MUSCLES[MuscleGroup.QUADRATUS_LUMBORUM].referral
'an ache in the flank or along the top of the pelvis'
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from .sources import SourceId

__all__ = ["IMBALANCES", "MUSCLES", "Imbalance", "Muscle", "MuscleGroup"]


class MuscleGroup(enum.StrEnum):
    """A muscle group that supports or loads the low back."""

    #: Long muscles running either side of the spine.
    ERECTOR_SPINAE = "erector_spinae"
    #: Short, deep muscles spanning neighbouring vertebrae.
    MULTIFIDUS = "multifidus"
    #: Deep muscle between the lowest rib and the pelvis, one each side.
    QUADRATUS_LUMBORUM = "quadratus_lumborum"
    #: Gluteus maximus and medius, the buttock muscles.
    GLUTEALS = "gluteals"
    #: Psoas and iliacus, at the front of the hip and deep in the pelvis.
    HIP_FLEXORS = "hip_flexors"
    #: The abdominals and the deep core.
    DEEP_CORE = "deep_core"
    #: The back of the thigh; tightness makes the spine bend more.
    HAMSTRINGS = "hamstrings"


@attrs.frozen(kw_only=True)
class Muscle:
    """What lowback knows about one muscle group."""

    group: MuscleGroup
    #: The muscles in the group.
    members: tuple[str, ...]
    #: Where the person feels it.
    felt_at: str
    #: Its main job.
    job: str
    #: How it tends to misbehave.
    misbehaves: str
    #: Where its trigger points send pain, when the article gives a pattern.
    referral: str | None
    sources: tuple[SourceId, ...]


@attrs.frozen(kw_only=True)
class Imbalance:
    """A common imbalance between groups that overloads the low back."""

    id: str
    #: Groups that are typically weak or late to switch on.
    weak: frozenset[MuscleGroup]
    #: Groups that are typically tight.
    tight: frozenset[MuscleGroup]
    #: Groups that end up working overtime.
    overloaded: frozenset[MuscleGroup]
    #: What the imbalance does to the back.
    effect: str
    sources: tuple[SourceId, ...]


_TABLE = (SourceId.ARTICLE_MUSCLES,)
_TP = (SourceId.ARTICLE_MUSCLES, SourceId.ARTICLE_TRIGGER_POINTS)

#: Every muscle group with its description. Read-only.
MUSCLES: Mapping[MuscleGroup, Muscle] = MappingProxyType(
    {
        m.group: m
        for m in (
            Muscle(
                group=MuscleGroup.ERECTOR_SPINAE,
                members=("iliocostalis", "longissimus", "spinalis"),
                felt_at="the long columns either side of the spine",
                job="holds the trunk upright and straightens the back",
                misbehaves="tires and overworks during long sitting or standing",
                referral="a band of pain across the back at belt height",
                sources=_TP,
            ),
            Muscle(
                group=MuscleGroup.MULTIFIDUS,
                members=("multifidus",),
                felt_at="deep, close to the spine, between the vertebrae",
                job="fine-tunes the stability of each spinal segment",
                misbehaves="switches off after pain or injury, so the spine feels wobbly",
                referral=None,
                sources=_TABLE,
            ),
            Muscle(
                group=MuscleGroup.QUADRATUS_LUMBORUM,
                members=("quadratus lumborum",),
                felt_at="deep in each side, between the lowest ribs and the pelvis",
                job="bends the trunk sideways and steadies the pelvis when walking",
                misbehaves="turns tight and tender, often with an ache on one side",
                referral="an ache in the flank or along the top of the pelvis",
                sources=_TP,
            ),
            Muscle(
                group=MuscleGroup.GLUTEALS,
                members=("gluteus maximus", "gluteus medius"),
                felt_at="the buttocks",
                job="extends the hip and keeps the hip steady side to side",
                misbehaves="when weak, pushes load onto the small lumbar muscles",
                referral="pain down the leg that can feel like sciatica",
                sources=_TP,
            ),
            Muscle(
                group=MuscleGroup.HIP_FLEXORS,
                members=("psoas", "iliacus"),
                felt_at="the front of the hip and deep inside the pelvis",
                job="lifts the leg and helps hold posture",
                misbehaves="when tight, pulls the low back into a deeper arch and more compression",
                referral=None,
                sources=_TABLE,
            ),
            Muscle(
                group=MuscleGroup.DEEP_CORE,
                members=(
                    "transversus abdominis",
                    "obliques",
                    "rectus abdominis",
                    "diaphragm",
                ),
                felt_at="the front and sides of the trunk",
                job="braces and supports the trunk and helps with breathing",
                misbehaves="when weak or badly timed, leaves the back to do extra work",
                referral=None,
                sources=_TABLE,
            ),
            Muscle(
                group=MuscleGroup.HAMSTRINGS,
                members=("biceps femoris", "semitendinosus", "semimembranosus"),
                felt_at="the back of the thigh",
                job="bends the knee and controls how far the hips fold forward",
                misbehaves="when very tight, limits hip bending so the low back bends more",
                referral=None,
                sources=(SourceId.ARTICLE_MUSCLES, SourceId.ARTICLE_FAQ),
            ),
        )
    }
)

_IMB = (SourceId.ARTICLE_IMBALANCE,)

#: The imbalance patterns the article describes. Read-only.
IMBALANCES: tuple[Imbalance, ...] = (
    Imbalance(
        id="weak_glutes_tight_hip_flexors",
        weak=frozenset({MuscleGroup.GLUTEALS}),
        tight=frozenset({MuscleGroup.HIP_FLEXORS}),
        overloaded=frozenset({MuscleGroup.ERECTOR_SPINAE, MuscleGroup.MULTIFIDUS}),
        effect="the low back arches more and the spinal muscles control every step",
        sources=_IMB,
    ),
    Imbalance(
        id="weak_deep_core",
        weak=frozenset({MuscleGroup.DEEP_CORE}),
        tight=frozenset(),
        overloaded=frozenset({MuscleGroup.ERECTOR_SPINAE}),
        effect="the surface back muscles grip harder just to hold the trunk upright",
        sources=_IMB,
    ),
    Imbalance(
        id="left_right_asymmetry",
        weak=frozenset(),
        tight=frozenset(),
        overloaded=frozenset(
            {
                MuscleGroup.QUADRATUS_LUMBORUM,
                MuscleGroup.GLUTEALS,
                MuscleGroup.ERECTOR_SPINAE,
            }
        ),
        effect="one side is stronger, so the pelvis tilts and rotates and some muscles work overtime",
        sources=_IMB,
    ),
)
