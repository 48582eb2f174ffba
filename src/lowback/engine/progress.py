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

import attrs

from lowback.catalog.dispositions import Disposition, most_urgent
from lowback.catalog.events import OutcomeRecorded
from lowback.catalog.outcomes import INSTRUMENTS, ChangeClass, Measure, StartBackRisk
from lowback.catalog.rule_ids import PR_OUTCOME, PR_OUTCOME_WORSE, PR_TIME
from lowback.catalog.rules import (
    RT_NO_PROGRESS,
    CheckOutcome,
    FiredRule,
)
from lowback.catalog.stages import PlanStatus
from lowback.catalog.thresholds import Thresholds
from lowback.catalog.validators import enum_member, optional, text, tuple_of
from lowback.errors import InvalidInput

from .gates import Facts, check_of
from .outcomes import OutcomeChange, OutcomeRecord, classify_change, score
from .plan import PlanState, _Draft
from .transitions import Action

__all__ = ["MeasureProgress", "progress"]

_DEFAULT = Thresholds()

#: A rule's condition answer: whether it holds, and the facts it compared.
_Verdict = tuple[bool, Facts]
#: What decided the event: the action, the rule IDs, the messages.
_Outcome = tuple[Action, tuple[str, ...] | list[str], tuple[str, ...]]


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


def _change(
    baseline: OutcomeRecord, event: OutcomeRecorded, t: Thresholds
) -> OutcomeChange:
    """The change from *baseline*'s first answers to *event*'s (OM-MIC)."""
    try:
        return classify_change(
            score(baseline.baseline), score(event.answers), thresholds=t
        )
    except InvalidInput:
        # OM-PSFS: a follow-up must re-rate the baseline's activities.
        raise InvalidInput.at(
            "$.answers.activities",
            "not_rerated",
            "every activity rated at baseline must be re-rated",
        ) from None


def _record_of(state: _Draft, measure: Measure) -> OutcomeRecord | None:
    records: tuple[OutcomeRecord, ...] = state["outcomes"]
    for record in records:
        if record.measure is measure:
            return record
    return None


def _outcome_prelude(state: _Draft, event: OutcomeRecorded, t: Thresholds) -> None:
    """PR-OUTCOME: a scored record becomes the baseline, or the latest, of its measure.

    One that cannot be scored is never guessed: neither a baseline nor worse.
    """
    if not score(event.answers).scored:
        return
    records = list(state["outcomes"])
    for index, record in enumerate(records):
        if record.measure is event.measure:
            if INSTRUMENTS[event.measure].mic_threshold is not None:
                _change(record, event, t)  # refuses a PSFS not re-rated
            records[index] = attrs.evolve(
                record, latest_date=event.date, latest=event.answers
            )
            break
    else:
        records.append(
            OutcomeRecord(
                measure=event.measure,
                baseline_date=event.date,
                baseline=event.answers,
                latest_date=event.date,
                latest=event.answers,
            )
        )
    state["outcomes"] = tuple(records)


def _worse(state: _Draft, event: OutcomeRecorded, t: Thresholds) -> _Verdict:
    """PR-OUTCOME-WORSE: the record is worse than its measure's baseline by the MIC."""
    record = _record_of(state, event.measure)
    if (
        record is None
        or record.latest is not event.answers
        or INSTRUMENTS[event.measure].mic_threshold is None
    ):
        # Not scored (not recorded), or STarT Back: a screen, never worse.
        return False, (("measure", event.measure.value), ("classification", None))
    change = _change(record, event, t)
    return change.classification is ChangeClass.WORSE, (
        ("measure", event.measure.value),
        ("baseline", str(change.baseline)),
        ("score", str(change.follow_up)),
        ("improvement", str(change.improvement)),
        ("mic", str(change.mic)),
        ("classification", change.classification.value),
    )


def _no_progress(state: _Draft, event: OutcomeRecorded, t: Thresholds) -> _Verdict:
    """RT-NO-PROGRESS: far enough into the plan and no change measure improved."""
    days = (event.date - state["started"]).days
    facts: Facts = (("days_in_plan", days), ("no_progress_days", t.no_progress_days))
    if not score(event.answers).scored or days < t.no_progress_days:
        return False, facts
    improved = 0
    for record in state["outcomes"]:
        if INSTRUMENTS[record.measure].mic_threshold is None:
            continue  # STarT Back is a screen, not a change measure
        change = classify_change(
            score(record.baseline), score(record.latest), thresholds=t
        )
        if change.classification is ChangeClass.IMPROVED:
            improved += 1
    return improved == 0, (*facts, ("measures_improved", improved))


def _review(state: _Draft, rules: list[str]) -> _Outcome:
    """Recommend a physiotherapist review; a pause's own care and words stand."""
    rules.append(PR_TIME)
    if state["status"] is PlanStatus.PAUSED:
        # The pause already sends the person to a clinician: keep its
        # urgency; step() gives its words (PR-PAUSE-WORDS), never the plan's.
        return Action.HOLD, rules, ()
    seek = state["seek_care"]
    state["seek_care"] = (
        Disposition.PHYSIO_REFERRAL
        if seek is None
        else most_urgent((seek, Disposition.PHYSIO_REFERRAL))
    )
    return Action.HOLD, rules, ("progression.outcome_review",)


def _worse_review(state: _Draft, event: OutcomeRecorded, t: Thresholds) -> _Outcome:
    """PR-OUTCOME-WORSE fired: no advance today; RT-NO-PROGRESS may add its review."""
    state["outcome_worse_on"] = event.date
    rules = [PR_OUTCOME, PR_OUTCOME_WORSE]
    stalled, facts = _no_progress(state, event, t)
    state.checks.append(
        check_of(
            RT_NO_PROGRESS, CheckOutcome.FIRED if stalled else CheckOutcome.UNMET, facts
        )
    )
    if stalled:
        rules.append(RT_NO_PROGRESS)
    return _review(state, rules)


def _stalled_review(state: _Draft, _e: OutcomeRecorded, _t: Thresholds) -> _Outcome:
    return _review(state, [PR_OUTCOME, RT_NO_PROGRESS])


def _recorded(state: _Draft, event: OutcomeRecorded, _t: Thresholds) -> _Outcome:
    """PR-OUTCOME alone: recorded (or not scored); always a ``hold`` (invariant 20)."""
    rules = [PR_OUTCOME, PR_TIME]
    if not score(event.answers).scored:
        return Action.HOLD, rules, ("progression.outcome_not_scored",)
    if state["status"] is PlanStatus.PAUSED:
        return Action.HOLD, rules, ()
    if state["seek_care"] is Disposition.PHYSIO_REFERRAL:
        # The review an earlier outcome recommended is no longer called for.
        state["seek_care"] = None
    return Action.HOLD, rules, ("progression.outcome_recorded",)
