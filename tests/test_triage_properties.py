"""Safety invariants of triage (clinical-spec section 4) as Hypothesis properties.

Each invariant test quotes its invariant. The monotonicity tests flip one
answer at a time anywhere in the intake (top-level questions, red flags,
self-check observations), raise pain by one, or lengthen the episode.
"""

from __future__ import annotations

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lowback import (
    CES_FLAGS,
    RULES,
    Answer,
    BodyRegion,
    Disposition,
    Intake,
    PlanStatus,
    RedFlag,
    RedFlagAnswers,
    SelfCheckResult,
    Thresholds,
    TriageResult,
    most_urgent,
    triage,
)
from lowback.catalog.dispositions import urgency_rank
from lowback.catalog.symptoms import LEG_REGIONS
from strategies import (
    answer_at,
    answer_paths,
    intakes,
    intakes_with,
    results_of_check,
    self_check_lists,
    thresholds,
    unique_tuples,
    with_answer,
)

YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN
#: For the checks of the result's own bookkeeping below, which are no safety
#: invariant of clinical-spec.md and whose every example costs a whole
#: generated intake and thresholds (the test itself is microseconds): at most
#: 200 examples even in the ci profile. Every named invariant keeps the
#: profile's count (1000 in ci).
bookkeeping = settings(max_examples=min(200, settings().max_examples))
LOW = {Disposition.SELF_CARE, Disposition.PHYSIO_REFERRAL}


def caution(result: TriageResult) -> tuple[int, int, bool]:
    """How cautious the entry is; larger is more cautious.

    "No plan" is the most cautious entry, then a lower stage, then paused
    before active at the same stage.
    """
    if result.entry_stage is None:
        return (1, 0, True)
    return (0, -result.entry_stage.number, result.plan_status is PlanStatus.PAUSED)


def has_nerve_feature(intake: Intake) -> bool:
    """Spec 2's nerve features, computed here independently of the engine."""
    answered = YES in (
        intake.leg_pain_below_knee,
        intake.numbness_or_tingling_in_a_line,
        intake.leg_or_foot_weakness,
    )
    quality = any(q.is_nerve_like for q in intake.pain_qualities) and any(
        r in LEG_REGIONS for r in intake.pain_regions
    )
    stop = any(
        r.stopped is not None and r.stopped.is_nerve_feature for r in intake.self_checks
    )
    return answered or quality or stop


def under_scope_age(intake: Intake) -> bool:
    """Spec 5.1 SCOPE-AGE, computed here: under 16 starts no plan."""
    return intake.age is not None and intake.age < 16


def assert_not_less_cautious(before: TriageResult, after: TriageResult) -> None:
    """Urgency never drops and the entry never becomes less cautious."""
    assert urgency_rank(after.disposition) >= urgency_rank(before.disposition)
    assert caution(after) >= caution(before)


def paths_answered(intake: Intake, answer: Answer) -> list[str]:
    """The answer paths of *intake* currently answered *answer*."""
    return [p for p in answer_paths(intake) if answer_at(intake, p) is answer]


class TestCaudaEquina:
    @given(intakes, st.sampled_from(sorted(CES_FLAGS)), thresholds)
    def test_invariant_1_any_ces_flag_is_emergency(
        self, intake: Intake, flag: RedFlag, limits: Thresholds
    ) -> None:
        """Invariant 1: "Any CES red flag yields `emergency`, whatever else the input says." """
        flagged = with_answer(intake, f"$.red_flags.{flag.value}", YES)
        result = triage(flagged, thresholds=limits)
        assert result.disposition is Disposition.EMERGENCY
        assert "RF-CES" in [r.id for r in result.rules]
        assert flag in result.red_flags


def flip_a_no(
    intake: Intake, limits: Thresholds, data: st.DataObject, answer: Answer
) -> tuple[str, TriageResult, TriageResult]:
    """Turn one answer drawn from those answered no to *answer*: the path, before, after."""
    paths = paths_answered(intake, NO)
    assume(paths)
    path = data.draw(st.sampled_from(paths), label="path")
    before = triage(intake, thresholds=limits)
    return path, before, triage(with_answer(intake, path, answer), thresholds=limits)


class TestMonotoneUrgency:
    """Invariant 2: "Monotone urgency: turning any answer from `no` to `yes` (or to
    `unknown`), raising pain or lengthening the episode never yields a less urgent
    disposition or a higher entry stage ("no plan" counts as the most cautious
    entry)." """

    @given(intakes, thresholds, st.data())
    def test_invariant_2_no_to_yes_never_less_urgent(
        self, intake: Intake, limits: Thresholds, data: st.DataObject
    ) -> None:
        """Invariant 2: "turning any answer from `no` to `yes` ... never yields a less urgent disposition or a higher entry stage"."""
        _, before, after = flip_a_no(intake, limits, data, YES)
        assert_not_less_cautious(before, after)

    @given(intakes, thresholds, st.data())
    def test_invariant_2_no_to_unknown_never_less_urgent(
        self, intake: Intake, limits: Thresholds, data: st.DataObject
    ) -> None:
        """Invariant 2: "turning any answer from `no` ... (or to `unknown`) ... never yields a less urgent disposition or a higher entry stage"."""
        path, before, after = flip_a_no(intake, limits, data, UNKNOWN)
        assert_not_less_cautious(before, after)
        assert path in after.unknown_answers

    @given(intakes, thresholds, st.data())
    def test_unknown_to_yes_never_less_urgent(
        self, intake: Intake, limits: Thresholds, data: st.DataObject
    ) -> None:
        """Confirming an unsure answer as yes never makes triage less cautious."""
        paths = paths_answered(intake, UNKNOWN)
        assume(paths)
        path = data.draw(st.sampled_from(paths), label="path")
        before = triage(intake, thresholds=limits)
        after = triage(with_answer(intake, path, YES), thresholds=limits)
        assert_not_less_cautious(before, after)

    @given(intakes, thresholds)
    def test_invariant_2_more_pain_never_less_urgent(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """Invariant 2: "raising pain ... never yields a less urgent disposition or a higher entry stage"."""
        assume(intake.pain_now < 10)
        before = triage(intake, thresholds=limits)
        after = triage(
            attrs.evolve(intake, pain_now=intake.pain_now + 1), thresholds=limits
        )
        assert_not_less_cautious(before, after)

    @given(intakes, thresholds, st.integers(1, 400))
    def test_invariant_2_longer_episode_never_less_urgent(
        self, intake: Intake, limits: Thresholds, extra: int
    ) -> None:
        """Invariant 2: "lengthening the episode never yields a less urgent disposition or a higher entry stage"."""
        before = triage(intake, thresholds=limits)
        longer = attrs.evolve(intake, duration_days=intake.duration_days + extra)
        assert_not_less_cautious(before, triage(longer, thresholds=limits))


#: Intakes with every red flag answered no (drawn without red-flag answers),
#: and without the answers that alone always rule out self-care and a
#: physio referral, so fewer draws are discarded by the invariant's
#: ``assume``: pain in the saddle region (RF-SADDLE or RF-CES, urgent at
#: least), an age under 16 (SCOPE-AGE), a nerve question answered yes or
#: "not sure" (NV-ROOT, NV-UNKNOWN) and a stopped self-check (SC-STOP), each
#: a medical review at least.
_LOW_RISK = intakes_with(
    red_flags=st.just(RedFlagAnswers.all_no()),
    leg_pain_below_knee=st.just(NO),
    numbness_or_tingling_in_a_line=st.just(NO),
    leg_or_foot_weakness=st.just(NO),
    self_checks=self_check_lists.filter(lambda rs: all(r.stopped is None for r in rs)),
    pain_regions=unique_tuples(
        st.sampled_from([r for r in BodyRegion if r is not BodyRegion.SADDLE]),
        len(BodyRegion) - 1,
    ),
    age=st.none() | st.integers(16, 130),
)


class TestUnknownIsNotNo:
    @given(_LOW_RISK, st.sampled_from(RedFlag), thresholds)
    def test_invariant_3_unknown_red_flag_differs_from_no(
        self, intake: Intake, flag: RedFlag, limits: Thresholds
    ) -> None:
        """Invariant 3: "`unknown` never yields the same result as `no` on a red-flag question when `no` gives `self_care` or `physio_referral`." """
        as_no = triage(intake, thresholds=limits)
        assume(as_no.disposition in LOW)
        unsure = with_answer(intake, f"$.red_flags.{flag.value}", UNKNOWN)
        as_unknown = triage(unsure, thresholds=limits)
        assert as_unknown != as_no
        assert urgency_rank(as_unknown.disposition) > urgency_rank(as_no.disposition)


class TestSelfChecksOnlyAdd:
    @given(intakes, thresholds, st.data())
    def test_invariant_4_self_check_only_adds(
        self, intake: Intake, limits: Thresholds, data: st.DataObject
    ) -> None:
        """Invariant 4: "A self-check can only add findings and urgency; it never lowers either." """
        done = {r.check for r in intake.self_checks}
        missing = [check for check in results_of_check if check not in done]
        assume(missing)
        extra: SelfCheckResult = data.draw(
            st.sampled_from(missing).flatmap(results_of_check.__getitem__)
        )
        before = triage(intake, thresholds=limits)
        added = attrs.evolve(intake, self_checks=(*intake.self_checks, extra))
        after = triage(added, thresholds=limits)
        assert set(before.findings) <= set(after.findings)
        assert set(before.implicated_muscles) <= set(after.implicated_muscles)
        assert set(before.stop_reasons) <= set(after.stop_reasons)
        assert_not_less_cautious(before, after)

    @given(intakes, thresholds)
    def test_invariant_4_no_checks_is_never_more_cautious(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """Invariant 4: "A self-check can only add findings and urgency; it never lowers either." """
        without = triage(attrs.evolve(intake, self_checks=()), thresholds=limits)
        with_checks = triage(intake, thresholds=limits)
        assert set(without.findings) <= set(with_checks.findings)
        assert_not_less_cautious(without, with_checks)


class TestNoFalseReassurance:
    @given(intakes, thresholds)
    def test_invariant_5_flags_and_nerve_features_are_never_self_care(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """Invariant 5: "No result with a red flag or nerve feature is `self_care`; no `emergency`/`urgent` result starts a plan." """
        result = triage(intake, thresholds=limits)
        red_flag = bool(intake.red_flags.answers_of(YES))
        if red_flag or has_nerve_feature(intake):
            assert result.disposition is not Disposition.SELF_CARE
            assert result.disposition is not Disposition.PHYSIO_REFERRAL
        if result.disposition in {Disposition.EMERGENCY, Disposition.URGENT}:
            assert result.entry_stage is None
            assert result.plan_status is None
        elif not under_scope_age(intake):
            assert result.entry_stage is not None
            assert result.plan_status is not None

    @given(intakes, thresholds)
    def test_unsure_flag_or_nerve_answer_is_never_self_care(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """An unknown red-flag or nerve answer always means a clinician (spec 2)."""
        result = triage(intake, thresholds=limits)
        nerve_unknown = UNKNOWN in (
            intake.leg_pain_below_knee,
            intake.numbness_or_tingling_in_a_line,
            intake.leg_or_foot_weakness,
        )
        if intake.red_flags.answers_of(UNKNOWN) or nerve_unknown:
            assert urgency_rank(result.disposition) >= urgency_rank(
                Disposition.MEDICAL_REVIEW
            )

    @given(intakes, thresholds)
    def test_medical_review_plans_start_paused_at_stage_one(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """A medical-review result starts paused at calm_and_unload, never active."""
        result = triage(intake, thresholds=limits)
        if result.disposition is Disposition.MEDICAL_REVIEW and not under_scope_age(
            intake
        ):
            assert result.plan_status is PlanStatus.PAUSED
            assert result.entry_stage is not None
            assert result.entry_stage.number == 1
        if result.entry_stage is not None:
            assert result.entry_stage.number <= 2


class TestExplained:
    @given(intakes, thresholds)
    def test_invariant_11_every_result_names_catalog_rules(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """Invariant 11: "Every output names at least one rule ID, each rule ID exists in the catalog, and each catalog rule has a source." """
        result = triage(intake, thresholds=limits)
        assert result.rules
        for rule in result.rules:
            assert rule.id in RULES
            assert rule.sources
            assert rule.sources == RULES[rule.id].sources
        assert len({r.id for r in result.rules}) == len(result.rules)
        assert result.safety_net
        assert result.safety_net_message == f"safety_net.{result.disposition.value}"

    @given(intakes, thresholds)
    def test_disposition_is_the_most_urgent_fired(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """The disposition is the most urgent one any fired rule gives."""
        result = triage(intake, thresholds=limits)
        given_by = [RULES[r.id].disposition for r in result.rules]
        assert result.disposition is most_urgent(d for d in given_by if d is not None)

    @bookkeeping
    @given(intakes, thresholds)
    def test_self_fires_alone(self, intake: Intake, limits: Thresholds) -> None:
        """SELF fires exactly when no other disposition rule does."""
        result = triage(intake, thresholds=limits)
        giving = [r.id for r in result.rules if RULES[r.id].disposition is not None]
        assert ("SELF" in giving) == (giving == ["SELF"])

    @bookkeeping
    @given(intakes, thresholds)
    def test_one_entry_rule_exactly_when_a_plan_starts(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """Exactly one EN-* rule fires when a plan starts, none otherwise."""
        result = triage(intake, thresholds=limits)
        entry = [r.id for r in result.rules if r.id.startswith("EN-")]
        starts = result.disposition.starts_plan and not under_scope_age(intake)
        assert len(entry) == (1 if starts else 0)
        assert (result.entry_stage is not None) == starts

    @bookkeeping
    @given(intakes, thresholds)
    def test_every_unknown_answer_is_listed(
        self, intake: Intake, limits: Thresholds
    ) -> None:
        """unknown_answers lists exactly the paths answered unknown, in intake order
        (and a STarT Back bothersomeness not answered, last)."""
        result = triage(intake, thresholds=limits)
        expected = paths_answered(intake, UNKNOWN)
        if intake.start_back is not None and intake.start_back.bothersomeness is None:
            expected.append("$.start_back.bothersomeness")
        assert list(result.unknown_answers) == expected

    @bookkeeping
    @given(intakes, thresholds)
    def test_deterministic(self, intake: Intake, limits: Thresholds) -> None:
        """The same intake and thresholds give equal results with equal reprs."""
        first, second = (
            triage(intake, thresholds=limits),
            triage(intake, thresholds=limits),
        )
        assert first == second
        assert repr(first) == repr(second)
