"""Scoring outcome measures and classifying change (clinical-spec 6.1).

Every expected number below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lowback import Answer, Thresholds
from lowback.catalog.outcomes import (
    INSTRUMENTS,
    ChangeClass,
    Measure,
    NprsAnswers,
    OdiAnswers,
    PegAnswers,
    PsfsActivity,
    PsfsAnswers,
    RmdqAnswers,
    StartBackAnswers,
    StartBackRisk,
)
from lowback.engine.outcomes import OutcomeScore, classify_change, score
from lowback.errors import InvalidInput
from strategies import (
    odi_answers,
    outcome_answers,
    peg_answers,
    psfs_answers,
    rmdq_answers,
    start_back_answers,
    thresholds,
)

Y, N, U = Answer.YES, Answer.NO, Answer.UNKNOWN
ODI_ITEMS = INSTRUMENTS[Measure.ODI].items
SBST_ITEMS = INSTRUMENTS[Measure.START_BACK].items


def odi(*sections: int | None) -> OdiAnswers:
    return OdiAnswers(**dict(zip(ODI_ITEMS, sections, strict=True)))


def odi_percent(total: int) -> OutcomeScore:
    """Ten answered ODI sections adding up to *total* (so the percent is 2 x total)."""
    parts = [min(5, max(0, total - 5 * i)) for i in range(10)]
    assert sum(parts) == total
    return score(odi(*parts))


def sbst(items: str = "NNNNNNNN", bothersomeness: int | None = 0) -> StartBackAnswers:
    """STarT Back answers: *items* spells items 1-8 as Y, N or U (not answered)."""
    spelled = {"Y": Y, "N": N, "U": U}
    answers = dict(zip(SBST_ITEMS[:8], (spelled[c] for c in items), strict=True))
    return StartBackAnswers(**answers, bothersomeness=bothersomeness)


def psfs(**ratings: int) -> PsfsAnswers:
    return PsfsAnswers(
        activities=tuple(PsfsActivity(activity=k, score=v) for k, v in ratings.items())
    )


def peg(pain: int, enjoyment: int, activity: int) -> OutcomeScore:
    return score(PegAnswers(pain=pain, enjoyment=enjoyment, general_activity=activity))


def nprs(value: int) -> OutcomeScore:
    return score(NprsAnswers(score=value))


class TestWorkedExamples:
    def test_nprs(self) -> None:
        """NPRS: the score is the rating itself (OM-NPRS)."""
        result = nprs(6)
        assert result.score == 6
        assert [r.id for r in result.rules] == ["OM-NPRS"]

    def test_odi_all_sections(self) -> None:
        """ODI, ten sections: 3+1+3+2+2+2+1+0+2+2 = 18 of 50 -> 36 %."""
        result = score(odi(3, 1, 3, 2, 2, 2, 1, 0, 2, 2))
        assert result.score == 36
        assert result.missing == ()
        assert result.answered == 10
        assert [r.id for r in result.rules] == ["OM-ODI"]

    def test_odi_one_section_missing(self) -> None:
        """ODI without sex_life: 18 of 45 (5 x 9 answered) -> exactly 40 %."""
        result = score(odi(3, 1, 3, 2, 2, 2, 1, None, 2, 2))
        assert result.score == 40
        assert result.missing == ("sex_life",)
        assert result.answered == 9

    def test_odi_fraction_is_exact(self) -> None:
        """ODI 13 of 45 is 260/9 %, kept exact; 28.88... shows as 28.9."""
        result = score(odi(2, 1, 2, 1, 2, 1, 1, None, 1, 2))  # 13 of 45
        assert result.score == Fraction(1300, 45) == Fraction(260, 9)
        assert result.display() == "28.9"

    def test_odi_two_missing_is_not_scored(self) -> None:
        """ODI with two sections missing: no score, the two keys named."""
        result = score(odi(3, 1, 3, 2, 2, 2, 1, None, 2, None))
        assert result.score is None
        assert not result.scored
        assert result.display() is None
        assert result.missing == ("sex_life", "travelling")

    def test_rmdq(self) -> None:
        """RMDQ: five statements ticked -> 5."""
        result = score(RmdqAnswers(ticked=(2, 5, 9, 14, 21)))
        assert result.score == 5
        assert score(RmdqAnswers(ticked=())).score == 0

    def test_psfs(self) -> None:
        """PSFS: (3 + 5 + 4) / 3 = 4; (3 + 4) / 2 = 7/2."""
        assert score(psfs(gardening=3, stairs=5, lifting=4)).score == 4
        half = score(psfs(gardening=3, stairs=4))
        assert half.score == Fraction(7, 2)
        assert half.display() == "3.5"

    def test_peg(self) -> None:
        """PEG: (6 + 5 + 4) / 3 = 5; (7 + 5 + 4) / 3 = 16/3, shown as 5.3."""
        assert peg(6, 5, 4).score == 5
        result = peg(7, 5, 4)
        assert result.score == Fraction(16, 3)
        assert result.display() == "5.3"

    def test_start_back_medium(self) -> None:
        """STarT Back: agrees with items 1, 3, 4, 5, 7 and bothersomeness 3.

        Total: five agreed items + bothersomeness (3 scores 1) = 6.
        Subscore: fear 1 + anxiety 0 + catastrophising 1 + low mood 0 +
        bothersomeness 1 = 3, so total >= 4 and subscore <= 3: medium.
        """
        result = score(sbst("YNYYYNYN", 3))
        assert (result.score, result.subscore, result.risk) == (
            Fraction(6),
            3,
            StartBackRisk.MEDIUM,
        )
        assert [r.id for r in result.rules] == ["OM-SBST"]

    def test_half_answered_start_back_is_not_scored(self) -> None:
        """A STarT Back with items not answered has no score and no risk group."""
        result = score(sbst("YYYYUYYY", None))
        assert result.score is None
        assert result.risk is None
        assert result.subscore is None
        assert result.missing == ("fear", "bothersomeness")


class TestStartBackBands:
    @pytest.mark.parametrize(
        ("answers", "total", "subscore", "risk"),
        [
            # items 1-3 agreed, bothersomeness 2 (scores 0): total 3 -> low
            (sbst("YYYNNNNN", 2), 3, 0, StartBackRisk.LOW),
            # items 5-7 agreed: total 3, subscore 3 -> still low
            (sbst("NNNNYYYN"), 3, 3, StartBackRisk.LOW),
            # items 1-4 agreed: total 4, subscore 0 -> medium
            (sbst("YYYYNNNN"), 4, 0, StartBackRisk.MEDIUM),
            # item 1 + fear, anxiety, catastrophising + bother 1: total 4, sub 3
            (
                sbst("YNNNYYYN", 1),
                4,
                3,
                StartBackRisk.MEDIUM,
            ),
            # items 5-8 agreed, bothersomeness 2: total 4, subscore 4 -> high
            (
                sbst("NNNNYYYY", 2),
                4,
                4,
                StartBackRisk.HIGH,
            ),
            # items 5-7 agreed and bothersomeness 3 (scores 1): subscore 4 -> high
            (
                sbst("NNNNYYYN", 3),
                4,
                4,
                StartBackRisk.HIGH,
            ),
            # everything agreed, bothersomeness 4: total 9, subscore 5 -> high
            (sbst("YYYYYYYY", 4), 9, 5, StartBackRisk.HIGH),
        ],
    )
    def test_band_boundaries(
        self, answers: StartBackAnswers, total: int, subscore: int, risk: StartBackRisk
    ) -> None:
        """Low at total <= 3, high at subscore >= 4, medium between (OM-SBST)."""
        result = score(answers)
        assert (result.score, result.subscore, result.risk) == (
            Fraction(total),
            subscore,
            risk,
        )

    def test_bothersomeness_scores_from_very_much(self) -> None:
        """Bothersomeness 2 (moderately) scores 0; 3 (very much) scores 1."""
        assert score(sbst(bothersomeness=2)).score == 0
        assert score(sbst(bothersomeness=3)).score == 1


def change(
    baseline: OutcomeScore, follow_up: OutcomeScore, **tuned: Any
) -> ChangeClass:
    return classify_change(
        baseline, follow_up, thresholds=Thresholds(**tuned)
    ).classification


IMP, UNCH, W = ChangeClass.IMPROVED, ChangeClass.UNCHANGED, ChangeClass.WORSE


class TestChangeBoundaries:
    def test_odi_thirty_percent_exactly(self) -> None:
        """ODI 20 -> 14: 6 points, exactly 30 % of 20: improved."""
        result = classify_change(odi_percent(10), odi_percent(7))
        assert (result.baseline, result.follow_up) == (Fraction(20), Fraction(14))
        assert result.improvement == 6
        assert result.classification is IMP
        assert [r.id for r in result.rules] == ["OM-MIC", "OM-ODI"]
        assert result.rules[0].sources

    @pytest.mark.parametrize(
        ("before", "after", "expected"),
        [
            (10, 8, UNCH),  # 20 -> 16: 4 points, 20 % of 20
            (20, 15, IMP),  # 40 -> 30: 10 points, the MIC
            (20, 16, UNCH),  # 40 -> 32: 8 points, 20 % of 40
            (15, 20, W),  # 30 -> 40: 10 points worse
            (15, 19, UNCH),  # 30 -> 38: 8 points worse
        ],
    )
    def test_odi(self, before: int, after: int, expected: ChangeClass) -> None:
        """ODI: MIC 10 points, or 30 % of baseline for improvement."""
        assert change(odi_percent(before), odi_percent(after)) is expected

    @pytest.mark.parametrize(
        ("before", "after", "expected"),
        [
            (6, 4, IMP),  # 2 points: the MIC
            (6, 5, UNCH),  # 1 point; 30 % of 6 is 1.8
            (3, 2, IMP),  # 1 point >= 30 % of 3 (0.9)
            (4, 3, UNCH),  # 1 point < 30 % of 4 (1.2)
            (4, 6, W),  # 2 points worse
            (4, 5, UNCH),  # 1 point worse
            (0, 0, UNCH),  # nothing moved
        ],
    )
    def test_nprs(self, before: int, after: int, expected: ChangeClass) -> None:
        """NPRS: MIC 2 points, or 30 % of baseline for improvement."""
        assert change(nprs(before), nprs(after)) is expected

    @pytest.mark.parametrize(
        ("before", "after", "expected"),
        [
            (10, 5, IMP),  # 5 points: the MIC
            (10, 7, IMP),  # 3 points: exactly 30 % of 10
            (10, 8, UNCH),  # 2 points
            (5, 10, W),  # 5 points worse
            (5, 9, UNCH),  # 4 points worse
        ],
    )
    def test_rmdq(self, before: int, after: int, expected: ChangeClass) -> None:
        """RMDQ: MIC 5 points, or 30 % of baseline for improvement."""
        first = score(RmdqAnswers(ticked=tuple(range(1, before + 1))))
        second = score(RmdqAnswers(ticked=tuple(range(1, after + 1))))
        assert change(first, second) is expected

    @pytest.mark.parametrize(
        ("before", "after", "expected"),
        [
            ((4, 4), (6, 6), IMP),  # mean 4 -> 6: 2 up, higher is better
            ((4, 4), (5, 6), UNCH),  # 4 -> 5.5
            ((2, 2), (3, 3), UNCH),  # 50 % better, but the PSFS has no 30 % rule
            ((6, 6), (4, 4), W),  # 2 down
            ((6, 6), (5, 4), UNCH),  # 1.5 down
        ],
    )
    def test_psfs(
        self, before: tuple[int, int], after: tuple[int, int], expected: ChangeClass
    ) -> None:
        """PSFS: MIC 2 points on the mean, in the higher-is-better direction."""
        first = score(psfs(stairs=before[0], gardening=before[1]))
        second = score(psfs(stairs=after[0], gardening=after[1]))
        assert change(first, second) is expected

    @pytest.mark.parametrize(
        ("before", "after", "expected"),
        [
            ((5, 5, 5), (4, 4, 4), IMP),  # 5 -> 4: 1, the MIC
            ((5, 5, 5), (5, 4, 4), UNCH),  # 5 -> 13/3: 2/3; 30 % of 5 is 1.5
            ((1, 1, 1), (1, 1, 0), IMP),  # 1 -> 2/3: 1/3 >= 30 % of 1
            ((4, 4, 4), (5, 5, 5), W),  # 1 worse
            ((4, 4, 4), (5, 5, 4), UNCH),  # 2/3 worse
        ],
    )
    def test_peg(
        self,
        before: tuple[int, int, int],
        after: tuple[int, int, int],
        expected: ChangeClass,
    ) -> None:
        """PEG: MIC 1 point on the mean, or 30 % of baseline for improvement."""
        assert change(peg(*before), peg(*after)) is expected

    def test_tuned_mic_is_read_exactly(self) -> None:
        """A PEG MIC tuned to 0.6 is 3/5 exactly: 5 -> 13/3 (2/3 better) improves."""
        assert change(peg(5, 5, 5), peg(5, 4, 4), mic_peg=0.6) is IMP
        assert change(peg(5, 5, 5), peg(5, 4, 4)) is UNCH


class TestChangeRefusals:
    def test_psfs_follow_up_must_rerate_baseline_activities(self) -> None:
        """A PSFS follow-up without a baseline activity is refused, naming it."""
        baseline = score(psfs(stairs=3, gardening=4, lifting=2))
        follow_up = score(psfs(stairs=6, driving=9, lifting=5))
        with pytest.raises(InvalidInput) as err:
            classify_change(baseline, follow_up)
        assert err.value.paths == ("$.baseline.answers.activities[1].activity",)
        assert err.value.problems[0].code == "not_rerated"
        assert "gardening" not in str(err.value)

    def test_psfs_extra_follow_up_activities_are_ignored(self) -> None:
        """Only the baseline's activities count: (3+4)/2 -> (5+6)/2 is 2 up."""
        baseline = score(psfs(stairs=3, gardening=4))
        follow_up = score(psfs(gardening=6, stairs=5, driving=0))
        result = classify_change(baseline, follow_up)
        assert (result.baseline, result.follow_up) == (Fraction(7, 2), Fraction(11, 2))
        assert result.classification is IMP

    def test_unscored_records_are_refused(self) -> None:
        """A record that was not scored is never a baseline nor a follow-up."""
        unscored = score(odi(3, 1, 3, 2, 2, 2, 1, None, 2, None))
        scored = odi_percent(10)
        for args, path in (
            ((unscored, scored), "$.baseline"),
            ((scored, unscored), "$.follow_up"),
        ):
            with pytest.raises(InvalidInput) as err:
                classify_change(*args)
            assert err.value.paths == (path,)
            assert err.value.problems[0].code == "not_scored"

    def test_different_measures_are_refused(self) -> None:
        """An ODI baseline cannot be compared with an NPRS follow-up."""
        with pytest.raises(InvalidInput) as err:
            classify_change(odi_percent(10), nprs(3))
        assert err.value.paths == ("$.follow_up.measure",)

    def test_start_back_is_not_a_change_measure(self) -> None:
        """STarT Back is a screen: classify_change refuses it."""
        first = score(sbst("YYYYNNNN"))
        with pytest.raises(InvalidInput) as err:
            classify_change(first, first)
        assert err.value.problems[0].code == "not_a_change_measure"

    def test_thresholds_must_be_thresholds(self) -> None:
        """classify_change refuses anything but a Thresholds as thresholds."""
        with pytest.raises(InvalidInput) as err:
            classify_change(nprs(6), nprs(4), thresholds={"mic_nprs": 1})  # type: ignore[arg-type]
        assert err.value.paths == ("$.thresholds",)

    def test_score_refuses_other_values(self) -> None:
        """score() takes answer records only."""
        with pytest.raises(InvalidInput) as err:
            score({"score": 3})  # type: ignore[arg-type]
        assert err.value.paths == ("$",)


# --- Invariant 18 ------------------------------------------------------------


def _worse_items(answers: NprsAnswers | PegAnswers | OdiAnswers) -> list[Any]:
    top = 5 if isinstance(answers, OdiAnswers) else 10
    return [
        attrs.evolve(answers, **{field.name: value + 1})
        for field in attrs.fields(type(answers))
        if (value := getattr(answers, field.name)) is not None and value < top
    ]


def _worse_psfs(answers: PsfsAnswers) -> list[Any]:
    variants: list[Any] = []
    for index, item in enumerate(answers.activities):
        if item.score > 0:
            items = list(answers.activities)
            items[index] = attrs.evolve(item, score=item.score - 1)
            variants.append(PsfsAnswers(activities=tuple(items)))
    return variants


def _worse_start_back(answers: StartBackAnswers) -> list[Any]:
    variants: list[Any] = [
        attrs.evolve(answers, **{key: Y})  # type: ignore[arg-type]
        for key in SBST_ITEMS[:8]
        if getattr(answers, key) is N
    ]
    if answers.bothersomeness is not None and answers.bothersomeness < 4:
        variants.append(
            attrs.evolve(answers, bothersomeness=answers.bothersomeness + 1)
        )
    return variants


def _worse_variants(answers: Any) -> list[Any]:
    """Every record that moves exactly one item of *answers* one step toward worse."""
    if isinstance(answers, NprsAnswers | PegAnswers | OdiAnswers):
        return _worse_items(answers)
    if isinstance(answers, RmdqAnswers):
        return [
            RmdqAnswers(ticked=(*answers.ticked, item))
            for item in range(1, 25)
            if item not in answers.ticked
        ]
    if isinstance(answers, PsfsAnswers):
        return _worse_psfs(answers)
    return _worse_start_back(answers)


_RISK_RANK = {
    None: -1,
    StartBackRisk.LOW: 0,
    StartBackRisk.MEDIUM: 1,
    StartBackRisk.HIGH: 2,
}


class TestInvariant18:
    """Invariant 18: "A score never comes from fewer items than its rule allows,
    and moving any one item toward worse never makes the score better."
    """

    @given(odi_answers)
    def test_odi_needs_nine_sections(self, answers: OdiAnswers) -> None:
        """An ODI is scored exactly when at most one section is missing."""
        result = score(answers)
        missing = [k for k in ODI_ITEMS if getattr(answers, k) is None]
        assert result.scored == (len(missing) <= 1)
        assert result.missing == tuple(missing)
        if result.score is not None:
            given_values = [getattr(answers, k) for k in ODI_ITEMS if k not in missing]
            assert result.score == Fraction(
                100 * sum(given_values), 5 * len(given_values)
            )

    @given(start_back_answers)
    def test_start_back_needs_all_nine(self, answers: StartBackAnswers) -> None:
        """STarT Back gives a score and risk only when all nine items are answered."""
        result = score(answers)
        complete = all(getattr(answers, k) not in (None, U) for k in SBST_ITEMS)
        assert result.scored == complete
        assert (result.risk is not None) == complete
        assert (result.subscore is not None) == complete
        assert result.answered == 9 - len(result.missing)

    @given(st.one_of(outcome_answers, psfs_answers, rmdq_answers, peg_answers))
    def test_worse_item_never_betters_the_score(self, answers: Any) -> None:
        """One item moved toward worse never gives a better score or risk."""
        before = score(answers)
        higher_is_better = before.measure is Measure.PSFS
        for variant in _worse_variants(answers):
            after = score(variant)
            assert after.scored == before.scored
            if before.score is None or after.score is None:
                continue
            if higher_is_better:
                assert after.score <= before.score
            else:
                assert after.score >= before.score
            if before.measure is Measure.START_BACK:
                assert after.subscore is not None
                assert before.subscore is not None
                assert after.subscore >= before.subscore
                assert _RISK_RANK[after.risk] >= _RISK_RANK[before.risk]

    @given(st.one_of(odi_answers, psfs_answers, rmdq_answers, peg_answers), thresholds)
    def test_worse_item_never_betters_the_change(
        self, answers: Any, tuned: Thresholds
    ) -> None:
        """Against the same baseline, a worse follow-up never gets a better class."""
        base = score(answers)
        if not base.scored:
            return
        rank = {W: 0, UNCH: 1, IMP: 2}
        for variant in _worse_variants(answers):
            after = score(variant)
            mine = classify_change(base, after, thresholds=tuned).classification
            assert mine is not IMP  # a worse item is never an improvement
            assert rank[mine] <= rank[UNCH]
