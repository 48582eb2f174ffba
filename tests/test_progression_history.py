"""PR-HISTORY and the widened PR-REDFLAG (clinical spec 5.2) through ``step``,
``replay`` and ``lowback replay``, with invariants 14 (mid-plan) and 15
(spec 5.4) as named property tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lowback
from lowback import (
    Action,
    Answer,
    AskedNerveFeatures,
    AskedRedFlags,
    ClinicianCleared,
    Disposition,
    HistoryFlags,
    NerveFeature,
    PlanStarted,
    PlanState,
    PlanStatus,
    RedFlag,
    RedFlagAnswers,
    SelfCheckRecorded,
    Stage,
    Thresholds,
    prescription,
    replay,
    step,
    wire,
)
from lowback.catalog import rule_ids as ids
from lowback.catalog.intake import HISTORY_FLAGS
from lowback.catalog.red_flags import CES_FLAGS
from lowback.catalog.self_checks import ForwardBendResult, StopReason
from lowback.engine.plan import PauseKind
from progression_helpers import DAY0, check_in, day, session, started
from strategies import clear_intake

T = Thresholds()
_AT_LEAST_URGENT = {Disposition.EMERGENCY, Disposition.URGENT}
_WEAK = AskedNerveFeatures(leg_or_foot_weakness=Answer.YES)


def _ids(decision: lowback.Decision) -> list[str]:
    return [r.id for r in decision.rules]


def _cleared(n: int, *acknowledged: NerveFeature) -> ClinicianCleared:
    return ClinicianCleared(
        date=day(n),
        clinician="c-1",
        note="",
        resume_stage=Stage.CALM_AND_UNLOAD,
        acknowledged=acknowledged,
    )


def _with_history(**answers: Answer) -> PlanState:
    """An active stage-1 plan whose intake had the history *answers*."""
    history = attrs.evolve(HistoryFlags.none(), **answers)
    return attrs.evolve(started(), history=history)


def _cancer_start() -> PlanStarted:
    return PlanStarted(
        date=DAY0,
        intake=clear_intake(
            pain_now=3, red_flags=RedFlagAnswers.all_no(cancer_history=Answer.YES)
        ),
    )


class TestRemembers:
    def test_start_plan_remembers_the_intakes_history(self) -> None:
        """PR-HISTORY: the plan keeps the intake's history flags."""
        state, _ = replay([_cancer_start()])
        assert state.history.cancer_history is Answer.YES
        assert state.history.significant_trauma is Answer.NO

    def test_a_not_sure_history_answer_is_remembered_as_unknown(self) -> None:
        intake = clear_intake(
            red_flags=RedFlagAnswers.all_no(
                infection_or_immunosuppression_history=Answer.UNKNOWN
            )
        )
        state, _ = replay([PlanStarted(date=DAY0, intake=intake)])
        assert state.history.infection_or_immunosuppression_history is Answer.UNKNOWN

    def test_a_clearance_keeps_the_history(self) -> None:
        state, _ = replay([_cancer_start(), _cleared(1)])
        assert state.status is PlanStatus.ACTIVE
        assert state.history.cancer_history is Answer.YES

    def test_a_plan_state_refuses_a_history_of_another_type(self) -> None:
        with pytest.raises(lowback.InvalidInput):
            attrs.evolve(started(), history={"cancer_history": "yes"})  # type: ignore[arg-type]


class TestSpecExample:
    def test_cancer_history_cleared_then_new_weakness_is_an_emergency(self) -> None:
        """Spec 5.2: cancer history at intake, cleared, then new leg weakness
        at a check-in -> pause, seek_care emergency (RF-MSCC)."""
        state, decisions = replay(
            [_cancer_start(), _cleared(1), check_in(2, nerve=_WEAK)]
        )
        last = decisions[-1]
        assert state.status is PlanStatus.PAUSED
        assert state.pause is PauseKind.SEEK_CARE
        assert (last.seek_care, state.seek_care) == (Disposition.EMERGENCY,) * 2
        assert {ids.PR_REDFLAG, ids.PR_HISTORY, "RF-MSCC"} <= set(_ids(last))
        assert prescription(state).exercises == ()
        mscc = [c for c in last.checks if c.id == "RF-MSCC"]
        assert mscc
        assert mscc[0].outcome is lowback.CheckOutcome.FIRED

    def test_without_the_history_new_weakness_is_urgent(self) -> None:
        _, decision = step(started(), check_in(1, nerve=_WEAK))
        assert decision.seek_care is Disposition.URGENT
        assert "RF-MSCC" not in _ids(decision)
        assert ids.PR_HISTORY not in _ids(decision)

    def test_new_weakness_in_a_session_with_the_history(self) -> None:
        """A session's new symptoms are graded with the history too."""
        state = _with_history(cancer_history=Answer.YES)
        new = (NerveFeature.LEG_OR_FOOT_WEAKNESS,)
        state, decision = step(state, session(state, 1, new=new))
        assert decision.action is Action.RESET
        assert state.seek_care is Disposition.EMERGENCY
        assert "RF-MSCC" in _ids(decision)

    @pytest.mark.parametrize(
        ("history", "rule"),
        [
            ("cancer_history", "RF-MSCC"),
            ("infection_or_immunosuppression_history", "RF-INF-NEURO"),
            ("significant_trauma", "RF-FX-NEURO"),
            ("minor_trauma_with_bone_fragility", "RF-FX-NEURO"),
        ],
    )
    @pytest.mark.parametrize(
        "stop", [StopReason.STRONG_LEG_SYMPTOMS, StopReason.SHARP_SHOOTING_PAIN]
    )
    def test_a_self_check_stopped_for_leg_symptoms_with_the_history(
        self, history: str, rule: str, stop: StopReason
    ) -> None:
        """A self-check stopped for leg symptoms is a nerve feature (spec 2),
        graded with the history like a check-in's: an emergency beside a
        remembered cancer, infection or trauma flag, not a review (found by
        the stateful test's model; invariant 14)."""
        state = _with_history(**{history: Answer.YES})
        stopped = SelfCheckRecorded(
            date=day(1), results=(ForwardBendResult(stopped=stop),)
        )
        state, decision = step(state, stopped)
        assert decision.action is Action.RESET
        assert state.pause is PauseKind.SEEK_CARE
        assert (decision.seek_care, state.seek_care) == (Disposition.EMERGENCY,) * 2
        assert {ids.PR_REDFLAG, ids.PR_HISTORY, ids.PR_NERVE, rule} <= set(
            _ids(decision)
        )
        assert decision.doses == ()

    def test_a_self_check_stopped_for_leg_symptoms_without_history(self) -> None:
        """With no history, the same stop resets and pauses for review only."""
        stopped = SelfCheckRecorded(
            date=day(1),
            results=(ForwardBendResult(stopped=StopReason.STRONG_LEG_SYMPTOMS),),
        )
        state, decision = step(started(), stopped)
        assert decision.action is Action.RESET
        assert (state.pause, state.seek_care) == (PauseKind.REVIEW, None)
        assert ids.PR_REDFLAG not in _ids(decision)

    def test_not_sure_on_a_ces_flag_mid_plan_is_urgent(self) -> None:
        flags = AskedRedFlags(bladder_or_bowel_change=Answer.UNKNOWN)
        state, decision = step(started(), check_in(1, red_flags=flags))
        assert (state.pause, decision.seek_care) == (
            PauseKind.SEEK_CARE,
            Disposition.URGENT,
        )

    def test_an_acknowledged_weakness_beside_cancer_history_still_escalates(
        self,
    ) -> None:
        """PR-ACK, safer reading: acknowledged, the feature still makes RF-MSCC."""
        _, decisions = replay(
            [
                _cancer_start(),
                _cleared(1, NerveFeature.LEG_OR_FOOT_WEAKNESS),
                check_in(2, nerve=_WEAK),
            ]
        )
        assert decisions[-1].seek_care is Disposition.EMERGENCY

    def test_an_acknowledged_weakness_at_a_session_beside_cancer_history(
        self,
    ) -> None:
        """PR-ACK, safer reading, at a session: the acknowledged weakness
        reported again beside the remembered cancer history is RF-MSCC."""
        state, _ = replay(
            [_cancer_start(), _cleared(1, NerveFeature.LEG_OR_FOOT_WEAKNESS)]
        )
        weak = (NerveFeature.LEG_OR_FOOT_WEAKNESS,)
        state, decision = step(state, session(state, 2, new=weak))
        assert decision.seek_care is Disposition.EMERGENCY
        assert "RF-MSCC" in _ids(decision)

    def test_an_acknowledged_weakness_beside_remembered_trauma(self) -> None:
        """PR-ACK, safer reading, with PR-HISTORY's days: within
        ``trauma_memory_days`` the acknowledged weakness with the remembered
        trauma is RF-FX-NEURO; after them it is only recorded."""
        state = attrs.evolve(
            _with_history(significant_trauma=Answer.YES),
            acknowledged=frozenset({NerveFeature.LEG_OR_FOOT_WEAKNESS}),
        )
        days = T.trauma_memory_days
        _, within = step(state, check_in(days - 1, nerve=_WEAK))
        assert within.seek_care is not None
        assert "RF-FX-NEURO" in _ids(within)
        after_state, after = step(state, check_in(days, nerve=_WEAK))
        assert after_state.status is PlanStatus.ACTIVE
        assert ids.PR_ACK in _ids(after)
        weak = (NerveFeature.LEG_OR_FOOT_WEAKNESS,)
        _, at_session = step(state, session(state, days - 1, new=weak))
        assert "RF-FX-NEURO" in _ids(at_session)

    def test_an_acknowledged_weakness_alone_does_not_pause_again(self) -> None:
        """PR-ACK: with no history, an acknowledged weakness is only recorded."""
        state = attrs.evolve(
            started(), acknowledged=frozenset({NerveFeature.LEG_OR_FOOT_WEAKNESS})
        )
        state, decision = step(state, check_in(1, nerve=_WEAK))
        assert state.status is PlanStatus.ACTIVE
        assert ids.PR_ACK in _ids(decision)

    def test_significant_trauma_is_remembered_for_its_days_only(self) -> None:
        """PR-HISTORY: significant trauma counts for ``trauma_memory_days``."""
        state = _with_history(significant_trauma=Answer.YES)
        days = T.trauma_memory_days
        _, within = step(state, check_in(days - 1, nerve=_WEAK))
        _, after = step(state, check_in(days, nerve=_WEAK))
        assert "RF-FX-NEURO" in _ids(within)
        assert "RF-FX-NEURO" not in _ids(after)
        assert after.seek_care is Disposition.URGENT


_HISTORY = st.builds(
    HistoryFlags,
    **{
        f.value: st.sampled_from((Answer.NO, Answer.YES, Answer.UNKNOWN))
        for f in HISTORY_FLAGS
    },
)
_DEFICIT = st.sampled_from(
    (
        AskedNerveFeatures(leg_or_foot_weakness=Answer.YES),
        AskedNerveFeatures(leg_pain_below_knee=Answer.YES),
        AskedNerveFeatures(numbness_or_tingling_in_a_line=Answer.YES),
    )
)
_CES_ANSWERS = st.sampled_from((Answer.YES, Answer.UNKNOWN))


_DAY_FLAGS = st.builds(
    AskedRedFlags,
    **{
        f.name: st.sampled_from((None, Answer.NO, Answer.YES, Answer.UNKNOWN))
        for f in attrs.fields(AskedRedFlags)
    },
)
_DAY_NERVE = st.builds(
    AskedNerveFeatures,
    **{
        f.name: st.sampled_from((None, Answer.NO, Answer.YES, Answer.UNKNOWN))
        for f in attrs.fields(AskedNerveFeatures)
    },
)


class TestInvariants:
    """Invariants 14 (mid-plan) and 15, and the CLI."""

    @given(_HISTORY, _DEFICIT, st.integers(1, 80), st.booleans())
    def test_invariant_14_history_with_a_new_nerve_feature_mid_plan_is_never_below_urgent(
        self, history: HistoryFlags, nerve: AskedNerveFeatures, n: int, cleared: bool
    ) -> None:
        """Invariant 14 (spec 5.4, mid-plan half, through ``step``): "Any saddle-region
        symptom, any CES flag, or any remembered history flag combined with a new
        nerve feature or deficit mid-plan is never below `urgent`; CES features are
        `emergency` at intake and mid-plan alike."
        """
        state = attrs.evolve(started(), history=history)
        if cleared:
            state, _ = step(
                attrs.evolve(state, status=PlanStatus.PAUSED, pause=PauseKind.REVIEW),
                _cleared(1),
            )
        state, decision = step(state, check_in(n + 1, nerve=nerve))
        if any(answer is not Answer.NO for _f, answer in history.items()):
            assert decision.seek_care in _AT_LEAST_URGENT
            assert state.pause is PauseKind.SEEK_CARE
            assert prescription(state).exercises == ()

    @given(_HISTORY, st.sampled_from(sorted(CES_FLAGS)), _CES_ANSWERS, st.booleans())
    def test_invariant_14_ces_flags_mid_plan(
        self, history: HistoryFlags, flag: RedFlag, answer: Answer, with_nerve: bool
    ) -> None:
        """Invariant 14 (spec 5.4, mid-plan, through ``step``): "Any saddle-region
        symptom, any CES flag, or any remembered history flag combined with a new
        nerve feature or deficit mid-plan is never below `urgent`; CES features are
        `emergency` at intake and mid-plan alike."
        """
        state = attrs.evolve(started(), history=history)
        flags = AskedRedFlags(**{flag.value: answer})
        nerve = _WEAK if with_nerve else AskedNerveFeatures()
        _, decision = step(state, check_in(1, red_flags=flags, nerve=nerve))
        if answer is Answer.YES:
            assert decision.seek_care is Disposition.EMERGENCY
        else:
            assert decision.seek_care in _AT_LEAST_URGENT

    @given(_HISTORY, _DAY_FLAGS, _DAY_NERVE, st.integers(1, 120))
    def test_invariant_15_a_clearance_never_erases_a_history_flag(
        self,
        history: HistoryFlags,
        flags: AskedRedFlags,
        nerve: AskedNerveFeatures,
        n: int,
    ) -> None:
        """Invariant 15 (spec 5.4): "A clinician's clearance never erases a history
        flag: the same check-in gives the same `seek_care` before and after a
        clearance."
        """
        paused = attrs.evolve(
            started(),
            history=history,
            status=PlanStatus.PAUSED,
            pause=PauseKind.SEEK_CARE,
            seek_care=Disposition.URGENT,
        )
        active = attrs.evolve(started(), history=history)
        cleared, _ = step(paused, _cleared(1))
        assert cleared.history == history
        event = check_in(n + 1, red_flags=flags, nerve=nerve)
        _, before = step(active, event)
        _, after = step(cleared, event)
        assert after.seek_care is before.seek_care

    def test_lowback_replay_prints_the_emergency(self, tmp_path: Path) -> None:
        """Through the CLI: the spec example as a journal file."""
        journal = tmp_path / "journal.jsonl"
        events = (_cancer_start(), _cleared(1), check_in(2, nerve=_WEAK))
        journal.write_text(wire.dumps_jsonl(events), encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "lowback", "replay", "--json", str(journal)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        output = wire.loads(run.stdout, wire.ReplayOutput)
        assert output.state.seek_care is Disposition.EMERGENCY
        assert output.state.history.cancer_history is Answer.YES
        assert "RF-MSCC" in _ids(output.decisions[-1])
