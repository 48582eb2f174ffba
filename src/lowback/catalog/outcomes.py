"""Outcome measures and the STarT Back screen as data: items, scales, rules, licences.

Each instrument (:class:`Instrument`, by :class:`Measure` in
:data:`INSTRUMENTS`) lists its item **keys**, answer scales, scoring rule ID,
how many items may be missing, which direction is better, its minimal
important change (a :class:`~lowback.catalog.thresholds.Thresholds` field)
with sources, its LOINC codes and a licence record. lowback ships item keys
and scoring only, never the items' wording: the ODI's wording belongs to its
authors and STarT Back's to Keele University; an app supplies the wording
under its own licence.

The answer records (:class:`NprsAnswers` ... :class:`StartBackAnswers`) are
the wire documents an app sends; :mod:`lowback.engine.outcomes` scores them.

>>> INSTRUMENTS[Measure.ODI].items[:2]
('pain_intensity', 'personal_care')
>>> INSTRUMENTS[Measure.START_BACK].licence.wording_shipped
False
>>> NprsAnswers(score=11)
Traceback (most recent call last):
lowback.errors.InvalidInput: invalid input: $.score: out_of_range (must be 0..10)
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from lowback.errors import InvalidInput

from .answers import Answer
from .sources import SourceId
from .validators import enum_member, in_range, optional, text, tuple_of

__all__ = [
    "ANSWER_TYPES",
    "INSTRUMENTS",
    "PSFS_MAX_ACTIVITIES",
    "RELATIVE_MIC",
    "RMDQ_ITEMS",
    "SBST_PSYCHOSOCIAL",
    "Answers",
    "ChangeClass",
    "Direction",
    "Instrument",
    "Licence",
    "LicenceStatus",
    "LoincCode",
    "Measure",
    "NprsAnswers",
    "OdiAnswers",
    "PegAnswers",
    "PsfsActivity",
    "PsfsAnswers",
    "RmdqAnswers",
    "StartBackAnswers",
    "StartBackRisk",
]


class Measure(enum.StrEnum):
    """An outcome measure or screen lowback scores (wire values)."""

    #: Numeric pain rating, 0-10.
    NPRS = "nprs"
    #: Oswestry Disability Index, version 2.1a.
    ODI = "odi"
    #: Roland-Morris Disability Questionnaire, 24 items.
    RMDQ = "rmdq"
    #: Patient-Specific Functional Scale.
    PSFS = "psfs"
    #: PEG: pain, enjoyment of life, general activity.
    PEG = "peg"
    #: The STarT Back screening tool (a prognostic screen, not a change measure).
    START_BACK = "start_back"


class Direction(enum.StrEnum):
    """Which way a score gets better."""

    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"


class StartBackRisk(enum.StrEnum):
    """The STarT Back risk group (OM-SBST)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ChangeClass(enum.StrEnum):
    """How a follow-up score compares with its baseline (OM-MIC)."""

    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSE = "worse"


class LicenceStatus(enum.StrEnum):
    """Under what terms an instrument may be used."""

    #: No owner claims it; free to use.
    FREE = "free"
    #: Free for clinical and non-commercial use; commercial use needs the holder.
    NON_COMMERCIAL_FREE = "non_commercial_free"
    #: Commercial users and IT companies need a licence from the holder.
    LICENSE_REQUIRED = "license_required"


@attrs.frozen(kw_only=True)
class Licence:
    """Who holds an instrument and what an app may ship."""

    status: LicenceStatus
    #: The rights holder, or ``"none"``.
    holder: str
    #: Whether lowback ships the item wording: never (the app supplies it).
    wording_shipped: bool
    #: What an app maker should know, in one line.
    note: str


@attrs.frozen(kw_only=True)
class LoincCode:
    """A LOINC code for an instrument's panel, item or score."""

    code: str
    #: What the code stands for (our words).
    meaning: str


#: Improvement of at least this fraction of the baseline also counts as
#: improved, for NPRS, ODI, RMDQ and PEG (Ostelo 2008; spec OM-MIC).
RELATIVE_MIC = Fraction(3, 10)


@attrs.frozen(kw_only=True)
class Instrument:
    """An instrument as data: items, scales, scoring, missing items, change, licence."""

    measure: Measure
    name: str
    version: str
    #: The item keys, in the instrument's order (the wire keys of its answers).
    items: tuple[str, ...]
    #: The answer scale of every item, in words.
    scale: str
    #: The lowest and highest score.
    score_range: tuple[int, int]
    #: The catalog rule that scores it (``OM-*``).
    scoring_rule: str
    #: How many items may be missing and the score still computed.
    max_missing: int
    #: The missing-item rule, in words.
    missing_rule: str
    direction: Direction
    #: The :class:`~lowback.catalog.thresholds.Thresholds` field holding the
    #: minimal important change; ``None`` for a screen.
    mic_threshold: str | None
    #: Whether :data:`RELATIVE_MIC` of baseline also counts as improvement.
    relative_mic: bool
    loinc: tuple[LoincCode, ...]
    licence: Licence
    sources: tuple[SourceId, ...]


_S = SourceId
_ODI_ITEMS = (
    "pain_intensity",
    "personal_care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex_life",
    "social_life",
    "travelling",
)
_SBST_ITEMS = (
    "referred_leg_pain",
    "neck_or_shoulder_pain",
    "walks_short_distances_only",
    "dresses_slowly",
    "fear",
    "anxiety",
    "catastrophising",
    "low_mood",
    "bothersomeness",
)
#: The STarT Back psychosocial subscale: items 5-9 (LOINC 91350-9).
SBST_PSYCHOSOCIAL = _SBST_ITEMS[4:]
#: How many statements the RMDQ has.
RMDQ_ITEMS = 24
#: The most activities a PSFS record holds.
PSFS_MAX_ACTIVITIES = 5

_NO_OWNER = Licence(
    status=LicenceStatus.FREE,
    holder="none",
    wording_shipped=False,
    note="No owner; lowback still ships no wording, only keys and scoring.",
)

#: Every instrument by measure. Read-only.
INSTRUMENTS: Mapping[Measure, Instrument] = MappingProxyType(
    {
        Measure.NPRS: Instrument(
            measure=Measure.NPRS,
            name="Numeric Pain Rating Scale",
            version="0-10",
            items=("score",),
            scale="integer 0 (no pain) to 10 (worst imaginable)",
            score_range=(0, 10),
            scoring_rule="OM-NPRS",
            max_missing=0,
            missing_rule="The rating is required.",
            direction=Direction.LOWER_IS_BETTER,
            mic_threshold="mic_nprs",
            relative_mic=True,
            loinc=(LoincCode(code="72514-3", meaning="pain severity 0-10 rating"),),
            licence=_NO_OWNER,
            sources=(_S.OSTELO_2008,),
        ),
        Measure.ODI: Instrument(
            measure=Measure.ODI,
            name="Oswestry Disability Index",
            version="2.1a",
            items=_ODI_ITEMS,
            scale="each section 0-5, or null when not answered or not applicable",
            score_range=(0, 100),
            scoring_rule="OM-ODI",
            max_missing=1,
            missing_rule="One section may be missing (the denominator drops by 5); "
            "with two or more missing it is not scored.",
            direction=Direction.LOWER_IS_BETTER,
            mic_threshold="mic_odi",
            relative_mic=True,
            loinc=(
                LoincCode(code="97908-8", meaning="ODI panel"),
                LoincCode(code="97909-6", meaning="ODI score"),
            ),
            licence=Licence(
                status=LicenceStatus.LICENSE_REQUIRED,
                holder="Jeremy Fairbank (distributed by Mapi Research Trust)",
                wording_shipped=False,
                note="Free for clinicians and unfunded academics; commercial users "
                "and IT companies need a licence. The app supplies the wording.",
            ),
            sources=(_S.FAIRBANK_2000, _S.ROLAND_FAIRBANK_2000, _S.OSTELO_2008),
        ),
        Measure.RMDQ: Instrument(
            measure=Measure.RMDQ,
            name="Roland-Morris Disability Questionnaire",
            version="24 items",
            items=tuple(str(n) for n in range(1, RMDQ_ITEMS + 1)),
            scale="each statement ticked or not; the answers list the ticked item numbers",
            score_range=(0, RMDQ_ITEMS),
            scoring_rule="OM-RMDQ",
            max_missing=0,
            missing_rule="An item not ticked counts as not applying, so none can be missing.",
            direction=Direction.LOWER_IS_BETTER,
            mic_threshold="mic_rmdq",
            relative_mic=True,
            loinc=(),
            licence=Licence(
                status=LicenceStatus.NON_COMMERCIAL_FREE,
                holder="Martin Roland and Richard Morris",
                wording_shipped=False,
                note="No permission needed for the published forms; commercial "
                "terms unchecked. The app supplies the wording.",
            ),
            sources=(_S.ROLAND_FAIRBANK_2000, _S.OSTELO_2008),
        ),
        Measure.PSFS: Instrument(
            measure=Measure.PSFS,
            name="Patient-Specific Functional Scale",
            version="1-5 activities",
            items=("activities",),
            scale="1-5 activities of the person's choosing (app keys), each 0 (unable) to 10 (as before)",
            score_range=(0, 10),
            scoring_rule="OM-PSFS",
            max_missing=0,
            missing_rule="The mean of the rated activities; at least one is required, "
            "and a follow-up must re-rate the baseline's activities.",
            direction=Direction.HIGHER_IS_BETTER,
            mic_threshold="mic_psfs",
            relative_mic=False,
            loinc=(),
            licence=Licence(
                status=LicenceStatus.FREE,
                holder="none",
                wording_shipped=False,
                note="Free; the activities are the person's own words, kept by the app.",
            ),
            sources=(_S.STRATFORD_1995,),
        ),
        Measure.PEG: Instrument(
            measure=Measure.PEG,
            name="PEG (pain, enjoyment of life, general activity)",
            version="3 items",
            items=("pain", "enjoyment", "general_activity"),
            scale="each 0-10",
            score_range=(0, 10),
            scoring_rule="OM-PEG",
            max_missing=0,
            missing_rule="All three items are required.",
            direction=Direction.LOWER_IS_BETTER,
            mic_threshold="mic_peg",
            relative_mic=True,
            loinc=(
                LoincCode(code="91148-7", meaning="PEG panel"),
                LoincCode(code="91147-9", meaning="PEG mean score"),
            ),
            licence=Licence(
                status=LicenceStatus.FREE,
                holder="none (described as public domain by secondary sources)",
                wording_shipped=False,
                note="Secondary sources call it public domain; lowback ships no wording.",
            ),
            sources=(_S.KREBS_2009, _S.REED_2024),
        ),
        Measure.START_BACK: Instrument(
            measure=Measure.START_BACK,
            name="STarT Back Screening Tool",
            version="9 items",
            items=_SBST_ITEMS,
            scale="items 1-8 agree (yes) or disagree (no); bothersomeness 0-4 "
            "(not at all, slightly, moderately, very much, extremely)",
            score_range=(0, 9),
            scoring_rule="OM-SBST",
            max_missing=0,
            missing_rule="All nine items are required; otherwise no risk group is given.",
            direction=Direction.LOWER_IS_BETTER,
            mic_threshold=None,
            relative_mic=False,
            loinc=(
                LoincCode(code="91349-1", meaning="STarT Back panel"),
                LoincCode(code="91350-9", meaning="psychosocial subscore"),
                LoincCode(code="91351-7", meaning="total score"),
                LoincCode(code="91352-5", meaning="risk group"),
            ),
            licence=Licence(
                status=LicenceStatus.NON_COMMERCIAL_FREE,
                holder="Keele University",
                wording_shipped=False,
                note="No licence for non-commercial use; a commercial product must "
                "contact Keele University. The app supplies the wording.",
            ),
            sources=(_S.HILL_2008, _S.HILL_2011, _S.NICE_NG59),
        ),
    }
)


# --- The answer records (wire documents) ---------------------------------


def _item() -> Any:
    return attrs.field(validator=in_range(0, 10))


@attrs.frozen(kw_only=True)
class NprsAnswers:
    """A pain rating (OM-NPRS)."""

    measure: ClassVar[Measure] = Measure.NPRS
    #: Pain, 0 (none) to 10 (worst imaginable).
    score: int = _item()


def _section() -> Any:
    return attrs.field(validator=optional(in_range(0, 5)))


@attrs.frozen(kw_only=True)
class OdiAnswers:
    """The ten ODI 2.1a sections, each 0-5 or ``None`` (not answered or not applicable)."""

    measure: ClassVar[Measure] = Measure.ODI
    pain_intensity: int | None = _section()
    personal_care: int | None = _section()
    lifting: int | None = _section()
    walking: int | None = _section()
    sitting: int | None = _section()
    standing: int | None = _section()
    sleeping: int | None = _section()
    sex_life: int | None = _section()
    social_life: int | None = _section()
    travelling: int | None = _section()


def _ticked_items(_inst: object, _attr: object, value: tuple[int, ...]) -> None:
    seen: set[int] = set()
    for index, item in enumerate(value):
        if not 1 <= item <= RMDQ_ITEMS:
            raise InvalidInput.at(
                f"$.ticked[{index}]", "out_of_range", f"must be 1..{RMDQ_ITEMS}"
            )
        if item in seen:
            raise InvalidInput.at(
                f"$.ticked[{index}]", "duplicate", "each item at most once"
            )
        seen.add(item)


@attrs.frozen(kw_only=True)
class RmdqAnswers:
    """The RMDQ-24 items the person ticked, by number 1-24."""

    measure: ClassVar[Measure] = Measure.RMDQ
    #: Required even when empty: a forgotten key must not read as "no disability".
    ticked: tuple[int, ...] = attrs.field(
        validator=[tuple_of(int, max_length=RMDQ_ITEMS), _ticked_items],
    )


@attrs.frozen(kw_only=True)
class PsfsActivity:
    """One activity of the person's choosing, by the app's key, rated 0-10."""

    #: The app's key for the activity (never its wording in lowback's output).
    activity: str = attrs.field(validator=text(64))
    #: 0 (unable) to 10 (able as before).
    score: int = _item()


def _activities(_inst: object, _attr: object, value: tuple[PsfsActivity, ...]) -> None:
    if not value:
        raise InvalidInput.at("$.activities", "too_short", "at least 1 activity")
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not item.activity:
            raise InvalidInput.at(
                f"$.activities[{index}].activity", "too_short", "a non-empty key"
            )
        if item.activity in seen:
            raise InvalidInput.at(
                f"$.activities[{index}].activity", "duplicate", "each activity once"
            )
        seen.add(item.activity)


@attrs.frozen(kw_only=True)
class PsfsAnswers:
    """The PSFS activities, 1-5 of them, each with the app's key and a 0-10 rating."""

    measure: ClassVar[Measure] = Measure.PSFS
    activities: tuple[PsfsActivity, ...] = attrs.field(
        validator=[tuple_of(PsfsActivity, max_length=PSFS_MAX_ACTIVITIES), _activities]
    )

    def rating(self, activity: str) -> int | None:
        """Return the rating of *activity*, or ``None`` when it was not rated."""
        for item in self.activities:
            if item.activity == activity:
                return item.score
        return None


@attrs.frozen(kw_only=True)
class PegAnswers:
    """The three PEG items, each 0-10; all are required."""

    measure: ClassVar[Measure] = Measure.PEG
    #: Average pain.
    pain: int = _item()
    #: How much pain interfered with enjoyment of life.
    enjoyment: int = _item()
    #: How much pain interfered with general activity.
    general_activity: int = _item()


def _agreement() -> Any:
    return attrs.field(validator=enum_member(Answer))


@attrs.frozen(kw_only=True)
class StartBackAnswers:
    """The nine STarT Back items by key: yes = agree, no = disagree, unknown = not answered.

    ``bothersomeness`` is 0-4 (not at all ... extremely), or ``None`` when
    not answered.
    """

    measure: ClassVar[Measure] = Measure.START_BACK
    referred_leg_pain: Answer = _agreement()
    neck_or_shoulder_pain: Answer = _agreement()
    walks_short_distances_only: Answer = _agreement()
    dresses_slowly: Answer = _agreement()
    fear: Answer = _agreement()
    anxiety: Answer = _agreement()
    catastrophising: Answer = _agreement()
    low_mood: Answer = _agreement()
    bothersomeness: int | None = attrs.field(validator=optional(in_range(0, 4)))


#: The answers of any measure; each class names its measure (``measure``).
Answers = (
    NprsAnswers | OdiAnswers | RmdqAnswers | PsfsAnswers | PegAnswers | StartBackAnswers
)

#: The answer record of each measure.
ANSWER_TYPES: Mapping[Measure, type[Any]] = MappingProxyType(
    {
        Measure.NPRS: NprsAnswers,
        Measure.ODI: OdiAnswers,
        Measure.RMDQ: RmdqAnswers,
        Measure.PSFS: PsfsAnswers,
        Measure.PEG: PegAnswers,
        Measure.START_BACK: StartBackAnswers,
    }
)
