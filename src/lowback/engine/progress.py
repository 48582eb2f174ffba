"""Outcomes in a plan: the ``outcome_recorded`` handler and the progress report.

PR-OUTCOME scores and remembers each outcome record (the first scored one
of a measure is its baseline); PR-OUTCOME-WORSE and RT-NO-PROGRESS
recommend a physiotherapist review. An outcome record never advances a
stage (invariant 20): its decision is always a ``hold``. While the plan is
paused, the outcome is recorded but the pause's message and urgency stand.
:func:`progress` turns a plan's state into what an app shows: per measure,
the baseline, the latest score, the change and why.

>>> import datetime as dt
>>> from lowback.catalog.outcomes import NprsAnswers
>>> from lowback.engine.progression import start_plan, step, _demo_result
>>> from lowback.catalog.events import OutcomeRecorded
>>> state, _ = start_plan(_demo_result(), date=dt.date(2026, 11, 1), entry_pain=6)
>>> for day, pain in ((1, 6), (15, 3)):
...     state, decision = step(state, OutcomeRecorded(date=dt.date(2026, 11, day),
...         measure=Measure.NPRS, answers=NprsAnswers(score=pain)))
>>> [(p.measure.value, p.baseline, p.latest, p.classification.value) for p in progress(state)]
[('nprs', '6', '3', 'improved')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from lowback.catalog.dispositions import Disposition, most_urgent
from lowback.catalog.events import OutcomeRecorded
from lowback.catalog.outcomes import INSTRUMENTS, ChangeClass, Measure, StartBackRisk
from lowback.catalog.rules import (
    PR_OUTCOME,
    PR_OUTCOME_WORSE,
    RT_NO_PROGRESS,
    FiredRule,
)
from lowback.catalog.stages import PlanStatus
from lowback.catalog.thresholds import Thresholds
from lowback.catalog.validators import enum_member, optional, text, tuple_of
from lowback.errors import InvalidInput

from .outcomes import OutcomeRecord, classify_change, score
from .plan import PlanState
from .transitions import Action

__all__ = ["MeasureProgress", "progress"]

_DEFAULT = Thresholds()


@attrs.frozen(kw_only=True)
class MeasureProgress:
    """One measure's progress in a plan, as an app shows it.

    Scores are exact fractions written as strings (``"40"``, ``"260/9"``),
    as in :class:`~lowback.engine.outcomes.ScoreReport`.
    """

    measure: Measure = attrs.field(validator=enum_member(Measure))
    baseline_date: dt.date
    baseline: str = attrs.field(validator=text(32))
    latest_date: dt.date
    latest: str = attrs.field(validator=text(32))
    #: How the latest compares with the baseline; ``None`` for STarT Back,
    #: a screen, and while only the baseline is recorded.
    classification: ChangeClass | None = attrs.field(
        validator=optional(enum_member(ChangeClass))
    )
    #: How far the latest moved in the better direction, exact; ``None``
    #: when there is no classification.
    improvement: str | None = attrs.field(validator=optional(text(32)))
    #: STarT Back's latest risk group.
    risk: StartBackRisk | None = attrs.field(
        default=None, validator=optional(enum_member(StartBackRisk))
    )
    #: The rules that judged it (OM-MIC and the scoring rule), with sources.
    rules: tuple[FiredRule, ...] = attrs.field(validator=tuple_of(FiredRule))


def _measure_progress(record: OutcomeRecord, t: Thresholds) -> MeasureProgress:
    first, last = score(record.baseline), score(record.latest)
    classification = improvement = None
    rules = last.rules
    followed_up = (
        record.latest_date != record.baseline_date or record.latest != record.baseline
    )
    if followed_up and INSTRUMENTS[record.measure].mic_threshold is not None:
        change = classify_change(first, last, thresholds=t)
        classification = change.classification
        improvement = str(change.improvement)
        rules = change.rules
    return MeasureProgress(
        measure=record.measure,
        baseline_date=record.baseline_date,
        baseline=str(first.score),
        latest_date=record.latest_date,
        latest=str(last.score),
        classification=classification,
        improvement=improvement,
        risk=last.risk,
        rules=rules,
    )


def progress(
    state: PlanState, *, thresholds: Thresholds = _DEFAULT
) -> tuple[MeasureProgress, ...]:
    """Each measure's baseline, latest score, change and why, in the order first recorded.

    Raises:
        InvalidInput: *state* is not a plan state or *thresholds* not
            :class:`~lowback.catalog.thresholds.Thresholds`.
    """
    if not isinstance(state, PlanState):
        raise InvalidInput.at("$", "wrong_type", "expected a PlanState")
    if not isinstance(thresholds, Thresholds):
        raise InvalidInput.at("$.thresholds", "wrong_type", "expected Thresholds")
    return tuple(_measure_progress(r, thresholds) for r in state.outcomes)


def _remember(state: PlanState, event: OutcomeRecorded, t: Thresholds) -> bool:
    """Record *event* as baseline or latest; return whether it is worse (PR-OUTCOME)."""
    records = list(state.outcomes)
    for index, record in enumerate(records):
        if record.measure is event.measure:
            worse = False
            if INSTRUMENTS[event.measure].mic_threshold is not None:
                try:
                    change = classify_change(
                        score(record.baseline), score(event.answers), thresholds=t
                    )
                except InvalidInput:
                    # OM-PSFS: a follow-up must re-rate the baseline's activities.
                    raise InvalidInput.at(
                        "$.answers.activities",
                        "not_rerated",
                        "every activity rated at baseline must be re-rated",
                    ) from None
                worse = change.classification is ChangeClass.WORSE
            records[index] = attrs.evolve(
                record, latest_date=event.date, latest=event.answers
            )
            break
    else:
        worse = False
        records.append(
            OutcomeRecord(
                measure=event.measure,
                baseline_date=event.date,
                baseline=event.answers,
                latest_date=event.date,
                latest=event.answers,
            )
        )
    state.__dict__["outcomes"] = tuple(records)
    return worse


def _no_progress(state: PlanState, date: dt.date, t: Thresholds) -> bool:
    """RT-NO-PROGRESS: far enough into the plan and no change measure improved."""
    if (date - state.started).days < t.no_progress_days:
        return False
    for record in state.outcomes:
        if INSTRUMENTS[record.measure].mic_threshold is None:
            continue  # STarT Back is a screen, not a change measure
        change = classify_change(
            score(record.baseline), score(record.latest), thresholds=t
        )
        if change.classification is ChangeClass.IMPROVED:
            return False
    return True


def _on_outcome(
    state: PlanState, event: OutcomeRecorded, t: Thresholds
) -> tuple[Action, Sequence[str], tuple[str, ...]]:
    """PR-OUTCOME, PR-OUTCOME-WORSE and RT-NO-PROGRESS; always a ``hold`` (invariant 20)."""
    rules = [PR_OUTCOME]
    if not score(event.answers).scored:
        # Never guessed: neither a baseline nor worse.
        return Action.HOLD, [*rules, "PR-TIME"], ("progression.outcome_not_scored",)
    fields = state.__dict__
    review = False
    if _remember(state, event, t):
        rules.append(PR_OUTCOME_WORSE)
        fields["outcome_worse_on"] = event.date
        review = True
    if _no_progress(state, event.date, t):
        rules.append(RT_NO_PROGRESS)
        review = True
    if state.status is PlanStatus.PAUSED:
        # The pause already sends the person to a clinician: keep its
        # urgency and its words (PR-PAUSE-WORDS), never the plan's.
        rules.append("PR-TIME")
        return Action.HOLD, rules, ("progression.paused",)
    if review:
        seek = state.seek_care
        fields["seek_care"] = (
            Disposition.PHYSIO_REFERRAL
            if seek is None
            else most_urgent((seek, Disposition.PHYSIO_REFERRAL))
        )
    elif state.seek_care is Disposition.PHYSIO_REFERRAL:
        # The review an earlier outcome recommended is no longer called for.
        fields["seek_care"] = None
    rules.append("PR-TIME")
    message = "progression.outcome_review" if review else "progression.outcome_recorded"
    return Action.HOLD, rules, (message,)
