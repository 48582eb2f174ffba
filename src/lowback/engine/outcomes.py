"""Scoring outcome measures and judging change: pure functions, exact arithmetic.

:func:`score` turns an answer record (:mod:`lowback.catalog.outcomes`) into
an :class:`OutcomeScore`: the score kept exact (a :class:`~fractions.Fraction`,
rounded only by :meth:`OutcomeScore.display`), the rule that scored it, and
the item keys that were missing. A record that cannot be scored has
``score`` ``None`` and says which items are missing: it is never guessed
and never a normal score (spec 6.1).

:func:`classify_change` compares a follow-up with its baseline under OM-MIC,
exactly: ODI 20 -> 14 is a fall of exactly 30 % and counts as improved.

>>> from lowback.catalog.outcomes import OdiAnswers
>>> baseline = score(OdiAnswers(pain_intensity=2, personal_care=1, lifting=3,
...     walking=1, sitting=2, standing=2, sleeping=1, sex_life=None,
...     social_life=2, travelling=2))
>>> baseline.score, baseline.display()
(Fraction(320, 9), '35.6')
>>> [rule.id for rule in baseline.rules]
['OM-ODI']
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from lowback.catalog.answers import Answer
from lowback.catalog.outcomes import (
    INSTRUMENTS,
    RELATIVE_MIC,
    RMDQ_ITEMS,
    SBST_PSYCHOSOCIAL,
    Answers,
    ChangeClass,
    Direction,
    Measure,
    NprsAnswers,
    OdiAnswers,
    PegAnswers,
    PsfsAnswers,
    RmdqAnswers,
    StartBackAnswers,
    StartBackRisk,
)
from lowback.catalog.rules import OM_MIC, FiredRule
from lowback.catalog.thresholds import Thresholds
from lowback.catalog.validators import enum_member, in_range, optional, text, tuple_of
from lowback.errors import InvalidInput, Problem

__all__ = [
    "OutcomeChange",
    "OutcomeRecord",
    "OutcomeScore",
    "ScoreReport",
    "classify_change",
    "score",
    "start_back_least_points",
    "start_back_least_risk",
]

#: STarT Back: a total at or below this is low risk (Hill 2008).
SBST_LOW_MAX_TOTAL = 3
#: STarT Back: a psychosocial subscore at or above this is high risk (Hill 2008).
SBST_HIGH_MIN_SUBSCORE = 4
#: STarT Back bothersomeness scores 1 at "very much" (3) or "extremely" (4).
SBST_BOTHER_SCORES_FROM = 3


@attrs.frozen(kw_only=True)
class OutcomeScore:
    """A scored (or unscorable) record of one measure, explaining itself.

    ``score`` is exact and ``None`` when the record cannot be scored;
    ``missing`` then names the item keys that were not answered.
    """

    measure: Measure = attrs.field(validator=enum_member(Measure))
    #: The answers that were scored.
    answers: Answers
    #: The exact score (ODI as a percent), or ``None`` when not scored.
    score: Fraction | None
    #: STarT Back's psychosocial subscore (0-5), when scored.
    subscore: int | None = None
    #: STarT Back's risk group, when scored.
    risk: StartBackRisk | None = attrs.field(
        default=None, validator=optional(enum_member(StartBackRisk))
    )
    #: How many items were answered.
    answered: int
    #: Item keys not answered (in the instrument's order).
    missing: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str))
    #: The rules that applied, with their sources.
    rules: tuple[FiredRule, ...] = attrs.field(validator=tuple_of(FiredRule))

    @property
    def scored(self) -> bool:
        """Whether the record could be scored."""
        return self.score is not None

    def display(self, digits: int = 1) -> str | None:
        """Return the score rounded to *digits* decimals for display, or ``None``.

        >>> score(NprsAnswers(score=6)).display()
        '6'
        """
        if self.score is None:
            return None
        if self.score.denominator == 1:
            return str(self.score.numerator)
        # Half up, as people round; scores are never negative.
        scaled = math.floor(self.score * 10**digits + Fraction(1, 2))
        whole, part = divmod(scaled, 10**digits)
        return f"{whole}.{part:0{digits}d}" if digits else str(whole)


def _scored(  # noqa: PLR0913 - keyword-only parts of one result
    answers: Any,
    value: Fraction | None,
    *,
    answered: int,
    missing: tuple[str, ...] = (),
    subscore: int | None = None,
    risk: StartBackRisk | None = None,
) -> OutcomeScore:
    instrument = INSTRUMENTS[answers.measure]
    return OutcomeScore(
        measure=answers.measure,
        answers=answers,
        score=value,
        subscore=subscore,
        risk=risk,
        answered=answered,
        missing=missing,
        rules=(FiredRule.of(instrument.scoring_rule),),
    )


def _nprs(answers: NprsAnswers) -> OutcomeScore:
    return _scored(answers, Fraction(answers.score), answered=1)


def _odi(answers: OdiAnswers) -> OutcomeScore:
    instrument = INSTRUMENTS[Measure.ODI]
    values = [(key, getattr(answers, key)) for key in instrument.items]
    given = [v for _, v in values if v is not None]
    missing = tuple(key for key, v in values if v is None)
    if len(missing) > instrument.max_missing:
        return _scored(answers, None, answered=len(given), missing=missing)
    # OM-ODI: sum / (5 x sections answered) x 100, exact.
    percent = Fraction(sum(given) * 100, 5 * len(given))
    return _scored(answers, percent, answered=len(given), missing=missing)


def _rmdq(answers: RmdqAnswers) -> OutcomeScore:
    return _scored(answers, Fraction(len(answers.ticked)), answered=RMDQ_ITEMS)


def _psfs(answers: PsfsAnswers) -> OutcomeScore:
    ratings = [item.score for item in answers.activities]
    return _scored(answers, Fraction(sum(ratings), len(ratings)), answered=len(ratings))


def _peg(answers: PegAnswers) -> OutcomeScore:
    total = answers.pain + answers.enjoyment + answers.general_activity
    return _scored(answers, Fraction(total, 3), answered=3)


def _sbst_risk(total: int, subscore: int) -> StartBackRisk:
    """OM-SBST's risk groups (Hill 2008)."""
    if total <= SBST_LOW_MAX_TOTAL:
        return StartBackRisk.LOW
    if subscore >= SBST_HIGH_MIN_SUBSCORE:
        return StartBackRisk.HIGH
    return StartBackRisk.MEDIUM


def _start_back(answers: StartBackAnswers) -> OutcomeScore:
    instrument = INSTRUMENTS[Measure.START_BACK]
    points: dict[str, int] = {}
    missing: list[str] = []
    for key in instrument.items:
        value = getattr(answers, key)
        if value is None or value is Answer.UNKNOWN:
            missing.append(key)
        else:
            points[key] = _sbst_point(key, value)
    if missing:  # all nine are required: never a falsely low risk
        return _scored(answers, None, answered=len(points), missing=tuple(missing))
    total = sum(points.values())
    subscore = sum(points[key] for key in SBST_PSYCHOSOCIAL)
    return _scored(
        answers,
        Fraction(total),
        answered=len(points),
        subscore=subscore,
        risk=_sbst_risk(total, subscore),
    )


def start_back_least_risk(answers: StartBackAnswers) -> StartBackRisk:
    """Return the lowest risk group *answers* can have, whatever the unanswered items say.

    Unanswered items count 0. The risk groups only rise as items are agreed
    with, so the true group is at least this one; for a complete screen it
    is the group itself. Triage uses it (RT-STARTBACK) so that "not sure"
    never lowers urgency; :func:`score` still refuses to score an
    incomplete screen.

    >>> from lowback.catalog.answers import Answer
    >>> yes, unsure = Answer.YES, Answer.UNKNOWN
    >>> start_back_least_risk(StartBackAnswers(referred_leg_pain=unsure,
    ...     neck_or_shoulder_pain=unsure, walks_short_distances_only=unsure,
    ...     dresses_slowly=unsure, fear=yes, anxiety=yes, catastrophising=yes,
    ...     low_mood=yes, bothersomeness=None))
    <StartBackRisk.HIGH: 'high'>
    """
    return _sbst_risk(*start_back_least_points(answers))


def start_back_least_points(answers: StartBackAnswers) -> tuple[int, int]:
    """Return the least total and psychosocial subscore *answers* prove.

    Unanswered items count 0, so the true total and subscore are at least
    these; for a complete screen they are the scores themselves.

    >>> from lowback.catalog.answers import Answer
    >>> yes, no = Answer.YES, Answer.NO
    >>> start_back_least_points(StartBackAnswers(referred_leg_pain=yes,
    ...     neck_or_shoulder_pain=no, walks_short_distances_only=no,
    ...     dresses_slowly=no, fear=yes, anxiety=Answer.UNKNOWN,
    ...     catastrophising=no, low_mood=no, bothersomeness=3))
    (3, 2)
    """
    instrument = INSTRUMENTS[Measure.START_BACK]
    points = {key: _sbst_point(key, getattr(answers, key)) for key in instrument.items}
    return sum(points.values()), sum(points[key] for key in SBST_PSYCHOSOCIAL)


def _sbst_point(key: str, value: Answer | int | None) -> int:
    """One STarT Back item's point; an unanswered item scores 0."""
    if key == "bothersomeness":
        return int(isinstance(value, int) and value >= SBST_BOTHER_SCORES_FROM)
    return int(value is Answer.YES)


_SCORERS: Mapping[type[Any], Callable[[Any], OutcomeScore]] = MappingProxyType(
    {
        NprsAnswers: _nprs,
        OdiAnswers: _odi,
        RmdqAnswers: _rmdq,
        PsfsAnswers: _psfs,
        PegAnswers: _peg,
        StartBackAnswers: _start_back,
    }
)


def score(answers: Answers) -> OutcomeScore:
    """Score one answer record of any measure, exactly.

    Raises:
        InvalidInput: *answers* is not an answer record.

    >>> from lowback.catalog.outcomes import StartBackAnswers
    >>> from lowback.catalog.answers import Answer
    >>> half = StartBackAnswers(referred_leg_pain=Answer.YES,
    ...     neck_or_shoulder_pain=Answer.NO, walks_short_distances_only=Answer.NO,
    ...     dresses_slowly=Answer.NO, fear=Answer.UNKNOWN, anxiety=Answer.NO,
    ...     catastrophising=Answer.NO, low_mood=Answer.NO, bothersomeness=None)
    >>> result = score(half)
    >>> result.score, result.risk, result.missing
    (None, None, ('fear', 'bothersomeness'))
    """
    scorer = _SCORERS.get(type(answers))
    if scorer is None:
        raise InvalidInput.at("$", "wrong_type", "expected an answer record")
    return scorer(answers)


@attrs.frozen(kw_only=True)
class OutcomeChange:
    """A follow-up judged against its baseline under OM-MIC, with the facts compared."""

    measure: Measure
    #: The baseline score compared (for the PSFS, over the baseline's activities).
    baseline: Fraction
    #: The follow-up score compared (for the PSFS, over the baseline's activities).
    follow_up: Fraction
    #: How far the score moved in the better direction (negative: worse).
    improvement: Fraction
    #: The minimal important change used (a Thresholds value).
    mic: Fraction
    #: The relative change that also counts as improved, when the measure has one.
    relative_mic: Fraction | None
    classification: ChangeClass
    #: OM-MIC and the scoring rule, with their sources.
    rules: tuple[FiredRule, ...]


_DEFAULT_THRESHOLDS = Thresholds()


def _require_scored(result: object, path: str) -> tuple[OutcomeScore, Fraction]:
    if not isinstance(result, OutcomeScore):
        raise InvalidInput.at(path, "wrong_type", "expected an OutcomeScore")
    if result.score is None:
        raise InvalidInput.at(path, "not_scored", "a record that was not scored")
    return result, result.score


def _psfs_pair(
    baseline: OutcomeScore, follow_up: OutcomeScore
) -> tuple[Fraction, Fraction]:
    """OM-PSFS: both means over the baseline's activities; each must be re-rated."""
    before: PsfsAnswers = baseline.answers  # type: ignore[assignment]
    after: PsfsAnswers = follow_up.answers  # type: ignore[assignment]
    problems: list[Problem] = []
    ratings: list[int] = []
    for index, item in enumerate(before.activities):
        rating = after.rating(item.activity)
        if rating is None:
            problems.append(
                Problem(
                    path=f"$.baseline.answers.activities[{index}].activity",
                    code="not_rerated",
                    detail="the follow-up must re-rate every baseline activity",
                )
            )
        else:
            ratings.append(rating)
    if problems:
        raise InvalidInput(problems)
    base = Fraction(sum(a.score for a in before.activities), len(before.activities))
    return base, Fraction(sum(ratings), len(ratings))


def classify_change(
    baseline: OutcomeScore,
    follow_up: OutcomeScore,
    *,
    thresholds: Thresholds = _DEFAULT_THRESHOLDS,
) -> OutcomeChange:
    """Judge *follow_up* against *baseline* under OM-MIC: improved, unchanged or worse.

    Improved: better by at least the measure's minimal important change, or
    (NPRS, ODI, RMDQ, PEG) by at least 30 % of baseline. Worse: worse by at
    least the minimal important change. Everything is exact.

    Raises:
        InvalidInput: either record was not scored (``not_scored``), the two
            are different measures, the measure is STarT Back (a screen, not a
            change measure), or a PSFS follow-up does not re-rate every
            baseline activity (paths name the baseline activities), or
            *thresholds* is not a :class:`~lowback.catalog.thresholds.Thresholds`.

    >>> from lowback.catalog.outcomes import OdiAnswers
    >>> def odi(total):  # ten answered sections adding up to *total*
    ...     parts = [min(5, max(0, total - 5 * i)) for i in range(10)]
    ...     return score(OdiAnswers(**dict(zip(
    ...         INSTRUMENTS[Measure.ODI].items, parts, strict=True))))
    >>> change = classify_change(odi(10), odi(7))  # 20 % -> 14 %
    >>> change.improvement, change.classification
    (Fraction(6, 1), <ChangeClass.IMPROVED: 'improved'>)
    """
    if not isinstance(thresholds, Thresholds):
        raise InvalidInput.at("$.thresholds", "wrong_type", "expected Thresholds")
    base, before = _require_scored(baseline, "$.baseline")
    after, now = _require_scored(follow_up, "$.follow_up")
    if base.measure is not after.measure:
        raise InvalidInput.at(
            "$.follow_up.measure", "mismatch", "the baseline's measure"
        )
    instrument = INSTRUMENTS[base.measure]
    if instrument.mic_threshold is None:
        raise InvalidInput.at(
            "$.baseline.measure",
            "not_a_change_measure",
            "a measure with a minimal important change",
        )
    if base.measure is Measure.PSFS:
        before, now = _psfs_pair(base, after)
    # Threshold values are decimal literals: read them as exact decimals.
    mic = Fraction(str(getattr(thresholds, instrument.mic_threshold)))
    moved = now - before
    improvement = -moved if instrument.direction is Direction.LOWER_IS_BETTER else moved
    relative = RELATIVE_MIC if instrument.relative_mic else None
    if improvement > 0 and (
        improvement >= mic
        or (relative is not None and improvement >= relative * before)
    ):
        classification = ChangeClass.IMPROVED
    elif -improvement >= mic:
        classification = ChangeClass.WORSE
    else:
        classification = ChangeClass.UNCHANGED
    return OutcomeChange(
        measure=base.measure,
        baseline=before,
        follow_up=now,
        improvement=improvement,
        mic=mic,
        relative_mic=relative,
        classification=classification,
        rules=(FiredRule.of(OM_MIC), FiredRule.of(instrument.scoring_rule)),
    )


@attrs.frozen(kw_only=True)
class ScoreReport:
    """A score as the wire and ``lowback score --json`` carry it.

    The exact score is a string in :class:`~fractions.Fraction` form
    (``"6"``, ``"160/9"``; read it back with ``Fraction(text)``), so JSON
    never rounds a boundary away; ``display`` is the same score rounded to
    one decimal, for people.

    >>> ScoreReport.of(score(NprsAnswers(score=6))).score
    '6'
    """

    measure: Measure = attrs.field(validator=enum_member(Measure))
    #: The exact score, or ``None`` when not scored.
    score: str | None = attrs.field(validator=optional(text(32)))
    #: The score rounded to one decimal, or ``None`` when not scored.
    display: str | None = attrs.field(validator=optional(text(32)))
    #: Item keys not answered.
    missing: tuple[str, ...] = attrs.field(validator=tuple_of(str))
    #: STarT Back's risk group, when scored.
    risk: StartBackRisk | None = attrs.field(
        default=None, validator=optional(enum_member(StartBackRisk))
    )
    #: STarT Back's psychosocial subscore, when scored.
    subscore: int | None = attrs.field(default=None, validator=optional(in_range(0, 5)))
    rules: tuple[FiredRule, ...] = attrs.field(validator=tuple_of(FiredRule))

    @classmethod
    def of(cls, result: OutcomeScore) -> ScoreReport:
        """Return the wire form of *result*."""
        return cls(
            measure=result.measure,
            score=None if result.score is None else str(result.score),
            display=result.display(),
            missing=result.missing,
            risk=result.risk,
            subscore=result.subscore,
            rules=result.rules,
        )


@attrs.frozen(kw_only=True)
class OutcomeRecord:
    """What a plan remembers of one measure: its baseline and latest answers (PR-OUTCOME).

    Answers, not scores, are kept: the scores are recomputed exactly from
    them, and a PSFS follow-up is compared over the baseline's activities.
    """

    measure: Measure = attrs.field(validator=enum_member(Measure))
    #: The day of the first scored record of the measure in the plan.
    baseline_date: dt.date
    baseline: Answers
    #: The day of the latest scored record (the baseline's, until a follow-up).
    latest_date: dt.date
    latest: Answers
