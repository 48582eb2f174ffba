"""What a person tells lowback at the start: the intake.

Field names are the wire contract's (architecture.md). Every screening
question takes an :class:`~lowback.catalog.answers.Answer`, and every red flag must be
answered: a missing answer is an input error, never a silent ``no``.

>>> RedFlagAnswers.all_no().answers_of(Answer.YES)
()
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from lowback.errors import InvalidInput

from .answers import Answer
from .outcomes import StartBackAnswers
from .red_flags import RedFlag
from .self_checks import (
    BackwardLeanResult,
    EnduranceHoldResult,
    ForwardBendResult,
    SelfCheckResult,
    SideBendResult,
)
from .symptoms import BodyRegion, NerveFeature, Onset, PainQuality, Side
from .validators import (
    all_of,
    enum_member,
    in_range,
    optional,
    tuple_of,
    type_is,
    unique_by,
)

__all__ = ["HISTORY_FLAGS", "HistoryFlags", "Intake", "RedFlagAnswers"]

_answer = enum_member(Answer)
_MAX_AGE, _MAX_DAYS = 130, 36_500


def _answer_field() -> Any:
    return attrs.field(validator=_answer)


@attrs.frozen(kw_only=True)
class RedFlagAnswers:
    """The answer to every red-flag question; all ten are required."""

    bladder_or_bowel_change: Answer = _answer_field()
    saddle_numbness: Answer = _answer_field()
    bilateral_leg_symptoms: Answer = _answer_field()
    progressive_neurological_deficit: Answer = _answer_field()
    significant_trauma: Answer = _answer_field()
    minor_trauma_with_bone_fragility: Answer = _answer_field()
    fever_or_unwell: Answer = _answer_field()
    unexplained_weight_loss: Answer = _answer_field()
    cancer_history: Answer = _answer_field()
    infection_or_immunosuppression_history: Answer = _answer_field()

    @classmethod
    def all_no(cls, **overrides: Answer) -> RedFlagAnswers:
        """Return answers that are all ``no`` except *overrides* (by flag name)."""
        return cls(**({f.value: Answer.NO for f in RedFlag} | overrides))

    def __getitem__(self, flag: RedFlag) -> Answer:
        """Return the answer to *flag*."""
        return getattr(self, flag.value)  # type: ignore[no-any-return]

    def items(self) -> Iterator[tuple[RedFlag, Answer]]:
        """Yield every flag with its answer, in the catalog's order."""
        for flag in RedFlag:
            yield flag, self[flag]

    def answers_of(self, answer: Answer) -> tuple[RedFlag, ...]:
        """Return the flags answered *answer*."""
        return tuple(flag for flag, given in self.items() if given is answer)


#: The red flags a plan remembers from the intake (spec 5.2, PR-HISTORY).
HISTORY_FLAGS: tuple[RedFlag, ...] = (
    RedFlag.SIGNIFICANT_TRAUMA,
    RedFlag.MINOR_TRAUMA_WITH_BONE_FRAGILITY,
    RedFlag.CANCER_HISTORY,
    RedFlag.INFECTION_OR_IMMUNOSUPPRESSION_HISTORY,
)


@attrs.frozen(kw_only=True)
class HistoryFlags:
    """The intake's history flags, remembered for a plan's whole life (PR-HISTORY).

    Combined with a new nerve feature or deficit mid-plan they raise the
    urgency (RF-MSCC, RF-INF-NEURO, RF-FX-NEURO, RF-UNKNOWN-COMBO); a
    clinician's clearance does not erase them. All four are required.

    >>> flags = RedFlagAnswers.all_no(cancer_history=Answer.YES)
    >>> HistoryFlags.of(flags).cancer_history
    <Answer.YES: 'yes'>
    """

    significant_trauma: Answer = _answer_field()
    minor_trauma_with_bone_fragility: Answer = _answer_field()
    cancer_history: Answer = _answer_field()
    infection_or_immunosuppression_history: Answer = _answer_field()

    @classmethod
    def of(cls, red_flags: RedFlagAnswers) -> HistoryFlags:
        """Return the history flags of an intake's red-flag answers."""
        if not isinstance(red_flags, RedFlagAnswers):
            raise InvalidInput.at(
                "$.red_flags", "wrong_type", "expected RedFlagAnswers"
            )
        return cls(**{flag.value: red_flags[flag] for flag in HISTORY_FLAGS})

    @classmethod
    def none(cls) -> HistoryFlags:
        """Return history flags all answered ``no``."""
        return cls(**{flag.value: Answer.NO for flag in HISTORY_FLAGS})

    def items(self) -> Iterator[tuple[RedFlag, Answer]]:
        """Yield each history flag with its answer."""
        for flag in HISTORY_FLAGS:
            yield flag, getattr(self, flag.value)


_INTAKE_NERVE_FEATURES = (
    NerveFeature.LEG_PAIN_BELOW_KNEE,
    NerveFeature.NUMBNESS_OR_TINGLING_IN_A_LINE,
    NerveFeature.LEG_OR_FOOT_WEAKNESS,
)
_SELF_CHECK_TYPES = (
    ForwardBendResult,
    BackwardLeanResult,
    SideBendResult,
    EnduranceHoldResult,
)


def _one_of_each_check(
    _inst: object, _attr: object, value: tuple[SelfCheckResult, ...]
) -> None:
    for index, result in enumerate(value):
        if not isinstance(result, _SELF_CHECK_TYPES):
            raise InvalidInput.at(
                f"$.self_checks[{index}]", "wrong_type", "expected a self-check result"
            )


@attrs.frozen(kw_only=True)
class Intake:
    """Everything triage needs to know about a person's back pain."""

    #: Age in years, when given.
    age: int | None = attrs.field(
        default=None, validator=optional(in_range(0, _MAX_AGE))
    )
    #: How long this episode has lasted, in days.
    duration_days: int = attrs.field(validator=in_range(0, _MAX_DAYS))
    onset: Onset = attrs.field(validator=enum_member(Onset))
    #: Pain now, 0 (none) to 10 (worst imaginable).
    pain_now: int = attrs.field(validator=in_range(0, 10))
    #: Worst pain in the last 24 hours, when given.
    pain_worst_24h: int | None = attrs.field(
        default=None, validator=optional(in_range(0, 10))
    )
    pain_regions: tuple[BodyRegion, ...] = attrs.field(
        default=(), validator=tuple_of(BodyRegion, max_length=len(BodyRegion))
    )
    pain_side: Side | None = attrs.field(
        default=None, validator=optional(enum_member(Side))
    )
    pain_qualities: tuple[PainQuality, ...] = attrs.field(
        default=(), validator=tuple_of(PainQuality, max_length=len(PainQuality))
    )
    pressing_reproduces_pain: Answer = _answer_field()
    eases_with_movement: Answer = _answer_field()
    worse_with_sustained_posture: Answer = _answer_field()
    #: Rope-like bands, sharp grabs, a stuck feeling.
    muscle_spasm_or_stuck: Answer = _answer_field()
    leg_pain_below_knee: Answer = _answer_field()
    numbness_or_tingling_in_a_line: Answer = _answer_field()
    leg_or_foot_weakness: Answer = _answer_field()
    leg_symptom_side: Side | None = attrs.field(
        default=None, validator=optional(enum_member(Side))
    )
    red_flags: RedFlagAnswers = attrs.field(validator=type_is(RedFlagAnswers))
    frequent_flare_ups: Answer = _answer_field()
    fear_of_movement: Answer = _answer_field()
    rest_without_relief: Answer = _answer_field()
    self_checks: tuple[SelfCheckResult, ...] = attrs.field(
        default=(),
        validator=all_of(
            tuple_of(object, max_length=4), _one_of_each_check, unique_by("check")
        ),
    )
    #: The STarT Back screen, when it was asked (RT-STARTBACK); ``None`` otherwise.
    start_back: StartBackAnswers | None = attrs.field(
        default=None, validator=optional(type_is(StartBackAnswers))
    )

    def nerve_answers(self) -> Iterator[tuple[NerveFeature, Answer]]:
        """Yield each intake nerve-feature question with its answer."""
        for feature in _INTAKE_NERVE_FEATURES:
            yield feature, getattr(self, feature.value)
