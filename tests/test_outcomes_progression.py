"""Outcomes in a plan: PR-OUTCOME, PR-OUTCOME-WORSE, RT-NO-PROGRESS, progress() and invariant 20."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lowback
from lowback import (
    Action,
    Answer,
    Disposition,
    NprsAnswers,
    OdiAnswers,
    PlanStarted,
    PsfsActivity,
    PsfsAnswers,
    SessionLogged,
    StartBackAnswers,
    replay,
    step,
    wire,
)
from lowback.catalog.events import OutcomeRecorded
from lowback.catalog.outcomes import INSTRUMENTS, ChangeClass, Measure
from lowback.catalog.rules import CheckOutcome
from lowback.engine.plan import PlanState
from lowback.engine.progress import progress
from lowback.errors import InvalidInput
from progression_helpers import done
from strategies import (
    clear_intake,
    journals,
    nprs_answers,
    odi_answers,
    peg_answers,
    rmdq_answers,
    start_back_answers,
)

START = dt.date(2026, 11, 2)
ODI_ITEMS = INSTRUMENTS[Measure.ODI].items


def _failed(state: PlanState, date: dt.date, t: lowback.Thresholds) -> list[str]:
    """What a green session on *date* finds unmet, by rule ID (the advance
    conditions and gate among them)."""
    event = SessionLogged(
        date=date,
        exercises=done(state),
        pain_before=2,
        pain_during_max=1,
        pain_after=1,
        completed=True,
    )
    _, decision = step(state, event, thresholds=t)
    return [c.id for c in decision.checks if c.outcome is CheckOutcome.UNMET]


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def odi(total: int) -> OdiAnswers:
    """Ten answered ODI sections adding up to *total* (the percent is 2 x total)."""
    parts = [min(5, max(0, total - 5 * i)) for i in range(10)]
    return OdiAnswers(**dict(zip(ODI_ITEMS, parts, strict=True)))


def outcome(n: int, answers: Any) -> OutcomeRecorded:
    return OutcomeRecorded(date=day(n), measure=answers.measure, answers=answers)


def plan(*events: Any) -> tuple[Any, tuple[Any, ...]]:
    return replay((PlanStarted(date=START, intake=clear_intake()), *events))


def ids(decision: Any) -> list[str]:
    return [rule.id for rule in decision.rules]


class TestRecording:
    def test_odi_unchanged_after_six_weeks_recommends_review(self) -> None:
        """ODI 40 % at the start and 40 % six weeks later: RT-NO-PROGRESS, a
        physiotherapist review, and no advance on that event."""
        state, decisions = plan(outcome(0, odi(20)), outcome(42, odi(20)))
        first, last = decisions[1], decisions[2]
        assert first.action is Action.HOLD
        assert ids(first) == ["PR-OUTCOME", "PR-TIME"]
        assert first.seek_care is None
        assert last.action is Action.HOLD
        assert last.from_stage is last.to_stage
        assert "RT-NO-PROGRESS" in ids(last)
        assert last.seek_care is Disposition.PHYSIO_REFERRAL
        assert state.status is lowback.PlanStatus.ACTIVE

    def test_before_six_weeks_no_review(self) -> None:
        """41 days in, an unchanged ODI does not yet call for a review."""
        _, decisions = plan(outcome(0, odi(20)), outcome(41, odi(20)))
        assert "RT-NO-PROGRESS" not in ids(decisions[-1])
        assert decisions[-1].seek_care is None

    def test_improved_measure_means_progress(self) -> None:
        """ODI 40 % -> 28 % (30 % better) by week six: no review."""
        _, decisions = plan(outcome(0, odi(20)), outcome(42, odi(14)))
        assert "RT-NO-PROGRESS" not in ids(decisions[-1])

    def test_tuned_no_progress_days(self) -> None:
        """An app may ask for the review earlier, from four weeks."""
        journal = (
            PlanStarted(date=START, intake=clear_intake()),
            outcome(0, odi(20)),
            outcome(28, odi(20)),
        )
        _, decisions = replay(
            journal, thresholds=lowback.Thresholds(no_progress_days=28)
        )
        assert "RT-NO-PROGRESS" in ids(decisions[-1])

    def test_start_back_does_not_count_as_progress(self) -> None:
        """Only STarT Back recorded by week six: nothing has improved, so review."""
        screen = StartBackAnswers(
            **dict.fromkeys(INSTRUMENTS[Measure.START_BACK].items[:8], Answer.NO),
            bothersomeness=0,
        )
        _, decisions = plan(outcome(0, screen), outcome(42, screen))
        assert "RT-NO-PROGRESS" in ids(decisions[-1])

    def test_worse_recommends_review_and_blocks_advance_that_day(self) -> None:
        """Pain rating 3 -> 5 is worse by the MIC (2): PR-OUTCOME-WORSE, a review,
        and the advance conditions fail that day only."""
        state, decisions = plan(
            outcome(0, NprsAnswers(score=3)), outcome(10, NprsAnswers(score=5))
        )
        assert "PR-OUTCOME-WORSE" in ids(decisions[-1])
        assert decisions[-1].seek_care is Disposition.PHYSIO_REFERRAL
        thresholds = lowback.Thresholds()
        assert "PR-OUTCOME-WORSE" in _failed(state, day(10), thresholds)
        assert "PR-OUTCOME-WORSE" not in _failed(state, day(11), thresholds)

    def test_review_lifts_when_outcomes_recover(self) -> None:
        """A later outcome that is neither worse nor stalled lifts the recommendation."""
        _, decisions = plan(
            outcome(0, NprsAnswers(score=3)),
            outcome(10, NprsAnswers(score=5)),
            outcome(20, NprsAnswers(score=3)),
        )
        assert decisions[-1].seek_care is None

    def test_paused_plan_keeps_its_pause(self) -> None:
        """While paused for review, a worse outcome keeps the pause's words and urgency."""
        paused = clear_intake(leg_or_foot_weakness=Answer.UNKNOWN)  # NV-UNKNOWN: review
        _, decisions = replay(
            (
                PlanStarted(date=START, intake=paused),
                outcome(0, NprsAnswers(score=3)),
                outcome(10, NprsAnswers(score=6)),
            )
        )
        last = decisions[-1]
        assert last.status is lowback.PlanStatus.PAUSED
        assert last.messages == ("progression.paused",)
        assert last.seek_care is decisions[0].seek_care
        assert "PR-OUTCOME-WORSE" in ids(last)

    def test_unscored_record_is_not_a_baseline(self) -> None:
        """An ODI with two sections missing is recorded as not scored; the next
        scored ODI becomes the baseline."""
        half = OdiAnswers(
            **(dict.fromkeys(ODI_ITEMS, 2) | {"sitting": None, "lifting": None})
        )
        state, decisions = plan(outcome(0, half), outcome(5, odi(20)))
        assert decisions[1].messages == ("progression.outcome_not_scored",)
        assert "PR-OUTCOME-WORSE" not in ids(decisions[1])
        assert [r.baseline_date for r in state.outcomes] == [day(5)]

    def test_psfs_follow_up_must_rerate_baseline(self) -> None:
        """A PSFS follow-up that drops a baseline activity is refused with its path."""
        first = PsfsAnswers(activities=(PsfsActivity(activity="stairs", score=3),))
        later = PsfsAnswers(activities=(PsfsActivity(activity="garden", score=9),))
        with pytest.raises(InvalidInput) as err:
            plan(outcome(0, first), outcome(7, later))
        assert err.value.paths == ("$[2].answers.activities",)


class TestProgressReport:
    def test_per_measure(self) -> None:
        """progress() gives baseline, latest, change and class per measure, exactly."""
        state, _ = plan(
            outcome(0, odi(10)),
            outcome(0, NprsAnswers(score=6)),
            outcome(21, odi(7)),
        )
        report = progress(state)
        assert [p.measure for p in report] == [Measure.ODI, Measure.NPRS]
        odi_progress, nprs_progress = report
        # 20 % -> 14 %: 6 points, exactly 30 % of 20
        assert (odi_progress.baseline, odi_progress.latest) == ("20", "14")
        assert odi_progress.improvement == "6"
        assert odi_progress.classification is ChangeClass.IMPROVED
        assert [r.id for r in odi_progress.rules] == ["OM-MIC", "OM-ODI"]
        assert nprs_progress.classification is None  # only a baseline so far

    def test_refuses_other_values(self) -> None:
        """progress() takes a PlanState."""
        with pytest.raises(InvalidInput):
            progress("state")  # type: ignore[arg-type]


class TestOnTheWire:
    def test_journal_with_outcomes_round_trips(self) -> None:
        """outcome_recorded events and the remembered outcomes read back equal."""
        journal = (
            PlanStarted(date=START, intake=clear_intake()),
            outcome(0, odi(20)),
            outcome(3, NprsAnswers(score=4)),
        )
        text = wire.dumps(journal)
        assert (
            '"type":"outcome_recorded","date":"2026-11-02","measure":"odi","answers":{'
            in text
        )
        assert wire.loads(text, lowback.Journal) == journal
        state, _ = replay(journal)
        assert wire.loads(wire.dumps(state), lowback.PlanState) == state
        schema = wire.json_schema(lowback.Journal)
        jsonschema.Draft202012Validator(schema).validate(json.loads(text))

    @pytest.mark.parametrize(
        ("answers", "path", "code"),
        [
            ({"score": 3}, "$[1].answers", "mismatch"),
            ({"pain_intensity": 1}, "$[1].answers.personal_care", "missing"),
            ({}, "$[1].answers", "invalid"),
        ],
    )
    def test_bad_answers_have_paths(self, answers: Any, path: str, code: str) -> None:
        """Answers of another measure, missing keys or none at all are refused by path."""
        doc = [
            json.loads(wire.dumps(PlanStarted(date=START, intake=clear_intake()))),
            {
                "type": "outcome_recorded",
                "date": "2026-11-03",
                "measure": "odi",
                "answers": answers,
            },
        ]
        with pytest.raises(InvalidInput) as err:
            wire.loads(json.dumps(doc), lowback.Journal)
        assert (path, code) in [(p.path, p.code) for p in err.value.problems]


_change_answers = st.one_of(
    nprs_answers, odi_answers, peg_answers, rmdq_answers, start_back_answers
)


class TestInvariant20:
    """Invariant 20: "An outcome record never advances a stage by itself." """

    @given(
        journals(max_events=20),
        st.lists(_change_answers, min_size=1, max_size=6),
        st.lists(st.booleans(), min_size=21, max_size=21),
    )
    def test_outcome_never_advances(
        self, journal: tuple[Any, ...], answers: list[Any], where: list[bool]
    ) -> None:
        """Wherever an outcome lands in a journal, its decision is a hold on the same stage."""
        state = None
        for event, insert in zip(journal, where, strict=False):
            state, _ = step(state, event)
            if answers and insert:
                record = OutcomeRecorded(
                    date=event.date, measure=answers[0].measure, answers=answers.pop(0)
                )
                before = state
                state, decision = step(state, record)
                assert decision.action is Action.HOLD
                assert decision.from_stage is decision.to_stage is before.stage
                assert state.status is before.status
                assert "PR-OUTCOME" in ids(decision)
