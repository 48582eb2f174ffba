"""The symptom vocabulary: where it hurts, how it feels, and the nerve features.

Muscle-like and nerve-like pain qualities follow the article's "muscle pain or
nerve pain" section; that radicular (nerve-root) pain usually reaches below the
knee while referred pain from back structures rarely does follows Bogduk 2009.
"""

from __future__ import annotations

import enum

__all__ = [
    "LEG_REGIONS",
    "MUSCLE_LIKE_QUALITIES",
    "NERVE_LIKE_QUALITIES",
    "BodyRegion",
    "NerveFeature",
    "Onset",
    "PainPattern",
    "PainQuality",
    "Side",
]


class BodyRegion(enum.StrEnum):
    """Where pain or other symptoms are felt."""

    LOW_BACK = "low_back"
    BUTTOCK = "buttock"
    HIP = "hip"
    FLANK = "flank"
    GROIN = "groin"
    THIGH = "thigh"
    BELOW_KNEE = "below_knee"
    FOOT = "foot"
    #: The perineum and inner thighs; numbness here is a red flag.
    SADDLE = "saddle"


#: Regions of the leg, where nerve-like pain is a nerve feature.
LEG_REGIONS: frozenset[BodyRegion] = frozenset(
    {BodyRegion.THIGH, BodyRegion.BELOW_KNEE, BodyRegion.FOOT}
)


class Side(enum.StrEnum):
    """Which side of the body."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    CENTRAL = "central"


class PainQuality(enum.StrEnum):
    """How the pain feels, in the person's words."""

    ACHE = "ache"
    DULL_ACHE = "dull_ache"
    TIGHTNESS = "tightness"
    CRAMPING = "cramping"
    PULLING = "pulling"
    SHARP = "sharp"
    ELECTRIC = "electric"
    SHOOTING = "shooting"
    BURNING = "burning"

    @property
    def is_nerve_like(self) -> bool:
        """``True`` for sharp, electric, shooting and burning pain."""
        return self in NERVE_LIKE_QUALITIES

    @property
    def is_muscle_like(self) -> bool:
        """``True`` for aching, tight, cramping and pulling pain."""
        return self in MUSCLE_LIKE_QUALITIES


#: Qualities typical of muscle-dominant pain (article, muscle or nerve).
MUSCLE_LIKE_QUALITIES: frozenset[PainQuality] = frozenset(
    {
        PainQuality.ACHE,
        PainQuality.DULL_ACHE,
        PainQuality.TIGHTNESS,
        PainQuality.CRAMPING,
        PainQuality.PULLING,
    }
)

#: Qualities typical of nerve involvement (article, muscle or nerve).
NERVE_LIKE_QUALITIES: frozenset[PainQuality] = frozenset(
    {PainQuality.SHARP, PainQuality.ELECTRIC, PainQuality.SHOOTING, PainQuality.BURNING}
)


class Onset(enum.StrEnum):
    """How the episode began."""

    GRADUAL = "gradual"
    SUDDEN = "sudden"
    AFTER_TRAUMA = "after_trauma"


class NerveFeature(enum.StrEnum):
    """A sign that a nerve, not only muscle, is involved.

    The first three are intake questions; ``sharp_shooting_leg_pain`` is how a
    session reports nerve-like pain running into a leg.
    """

    #: Pain reaching below the knee (Bogduk 2009: typical of radicular pain).
    LEG_PAIN_BELOW_KNEE = "leg_pain_below_knee"
    #: Numbness, tingling or pins and needles along a clear line.
    NUMBNESS_OR_TINGLING_IN_A_LINE = "numbness_or_tingling_in_a_line"
    #: Leg or foot weakness: tripping, trouble lifting the toes or the heel.
    LEG_OR_FOOT_WEAKNESS = "leg_or_foot_weakness"
    #: Sharp, electric or shooting pain running down a leg.
    SHARP_SHOOTING_LEG_PAIN = "sharp_shooting_leg_pain"


class PainPattern(enum.StrEnum):
    """Whether the pain looks muscle-driven, nerve-driven, both, or neither."""

    MUSCLE_DOMINANT = "muscle_dominant"
    NERVE_INVOLVED = "nerve_involved"
    MIXED = "mixed"
    UNCLEAR = "unclear"
