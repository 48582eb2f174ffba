"""A stateful test: random journals against a simple model of the stage machine.

Hypothesis drives the engine with sessions, check-ins, red flags, new
symptoms, self-checks, clearances, overrides and gaps of random length. A
small model tracks the stage number, the pause, the last regression and the
advance window on its own and predicts every advance itself (exactly in
stages 1 and 2; in stages 3 and 4 every condition but the gate, which reads
doses the model does not track); after every step the safety invariants
6-10 of clinical-spec.md section 4 are checked.

Runtime: ``max_examples=100`` with ``stateful_step_count=60`` in every
profile (the ci profile's 1000 examples would take minutes here).
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from typing import Any

import attrs
import hypothesis
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

import lowback
import strategies as sts
from lowback import (
    Action,
    Answer,
    AskedNerveFeatures,
    AskedRedFlags,
    CheckIn,
    ClinicianCleared,
    ClinicianOverride,
    Decision,
    Disposition,
    PlanState,
    PlanStatus,
    SelfCheckRecorded,
    SessionLogged,
    Stage,
    Thresholds,
    start_plan,
    step,
)
from lowback.catalog.symptoms import NerveFeature
from lowback.engine.load import within_cap
from progression_helpers import DAY0, done, triage_result

T = Thresholds()


@attrs.define
class Model:
    """What the machine should be, tracked without the engine's code.

    Besides the stage and the pause, the model keeps what it needs to
    predict an advance on its own (spec 3 PR-ADVANCE and 5.2): the sessions
    counted since the stage was entered or since the last 7-day gap, each
    with its date, its pain during and whether it was green; whether the
    morning pain has settled and at what level; the last tired day; pain now.
    """

    stage: int
    paused: bool
    last_regression: dt.date | None = None
    sessions_in_stage: int = 0
    window: list[tuple[dt.date, int, bool, bool]] = attrs.Factory(list)
    settled: bool = True
    settled_pain: int = 0
    last_morning: int | None = None
    tired_on: dt.date | None = None
    pain_now: int = 0
    last_session: dt.date | None = None

    def enter(self, stage: int) -> None:
        """A new stage: no session of it counted yet."""
        self.stage, self.sessions_in_stage, self.window = stage, 0, []

    def advance_conditions(self, date: dt.date) -> bool:
        """Every advance condition but the stage gate, from the model alone."""
        w = self.window
        # At least the last N sessions, reaching back until they span M days.
        start = max(0, len(w) - T.advance_sessions)
        while start > 0 and (w[-1][0] - w[start][0]).days < T.advance_span_days:
            start -= 1
        w = w[start:]
        return (
            len(w) >= T.advance_sessions
            and (w[-1][0] - w[0][0]).days >= T.advance_span_days
            and self.settled
            and all(green for _, _, green, _ in w)
            and w[-1][1] <= w[0][1]
            and (
                self.last_regression is None
                or (date - self.last_regression).days >= T.regression_cooldown_days
            )
            and self.tired_on != date
        )

    def gate(self) -> bool | None:
        """The gate of stages 1 and 2; ``None`` where the model does not know it."""
        if self.stage == 1:
            return self.pain_now <= T.gate1_pain
        if self.stage == 2:
            return all(mobility for *_, mobility in self.window)
        return None


_MOBILITY = frozenset(
    e
    for e in lowback.STAGE_PLANS[Stage.RESTORE_MOBILITY].exercises
    if lowback.EXERCISES[e].kind
    in {lowback.ExerciseKind.MOBILITY, lowback.ExerciseKind.STRETCH}
)


class PlanMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.initial: PlanState | None = None
        self.state: PlanState | None = None
        self.before: PlanState | None = None
        self.decision: Decision | None = None
        self.event: Any = None
        self.events: list[Any] = []
        self.model = Model(stage=1, paused=False)
        self.today = DAY0
        self.spike = False
        self.sessions_before = 0

    @initialize(
        entry=st.sampled_from((Stage.CALM_AND_UNLOAD, Stage.RESTORE_MOBILITY)),
        status=st.sampled_from(
            (PlanStatus.ACTIVE, PlanStatus.ACTIVE, PlanStatus.PAUSED)
        ),
        pain=st.integers(0, 10),
    )
    def start(self, entry: Stage, status: PlanStatus, pain: int) -> None:
        disposition = (
            Disposition.SELF_CARE
            if status is PlanStatus.ACTIVE
            else Disposition.MEDICAL_REVIEW
        )
        if status is PlanStatus.PAUSED:
            # Spec 2: a medical-review plan starts paused at stage 1; a
            # TriageResult that says otherwise is refused (issue 12).
            entry = Stage.CALM_AND_UNLOAD
        result = triage_result(disposition, entry, status)
        self.state, self.decision = start_plan(result, date=DAY0, entry_pain=pain)
        self.initial = self.state
        self.model = Model(
            stage=entry.number,
            paused=status is PlanStatus.PAUSED,
            settled_pain=pain,
            pain_now=pain,
        )

    # --- driving the engine ---------------------------------------------------

    def apply(self, event: Any, *, spike: bool = False) -> None:
        assert self.state is not None
        self.before = self.state
        self.event = event
        self.spike = spike
        self.state, self.decision = step(self.state, event)
        self.events.append(event)
        self.sessions_before = self.model.sessions_in_stage
        self.predicted = None

    @rule(gap=st.sampled_from((0, 1, 1, 2, 3, 8, 15)))
    def wait(self, gap: int) -> None:
        self.today += dt.timedelta(days=gap)

    @rule(
        before=st.integers(0, 10),
        during=st.integers(0, 10),
        after=st.integers(0, 10),
        completed=st.booleans(),
        calm=st.integers(0, 3).map(bool),
        new=st.one_of(
            st.just(()), st.just(()), st.just(()), st.just(()),
            sts.unique_tuples(st.sampled_from(NerveFeature), 2),
        ),
    )  # fmt: skip
    def log_session(  # noqa: PLR0917 - one argument per drawn field
        self,
        before: int,
        during: int,
        after: int,
        completed: bool,
        calm: bool,
        new: tuple[NerveFeature, ...],
    ) -> None:
        assert self.state is not None
        if calm:  # often a green session, so that advancing is exercised
            # pain before up to 5: either side of the stage-1 gate (<= 4)
            before, during, after = min(before, 5), min(during, 2), min(after, 2)
            new = ()
        event = SessionLogged(
            date=self.today,
            exercises=done(self.state),
            pain_before=before,
            pain_during_max=during,
            pain_after=after,
            completed=completed or calm,
            new_symptoms=new,
        )
        spike = during > T.max_pain_during or after >= before + T.spike_pain_rise
        self.apply(event, spike=spike and not new)
        m = self.model
        m.pain_now = before
        gap = m.last_session is not None and (self.today - m.last_session).days >= 7
        m.last_session = self.today
        if new:
            m.enter(1)
            m.paused = True
        elif spike:
            m.enter(max(1, m.stage - 1))
            m.last_regression = self.today
        else:
            m.sessions_in_stage += 1
            if gap:  # PR-GAP: the sessions before the gap no longer count
                m.window = []
            green = (completed or calm) and during <= T.green_zone_pain and m.settled
            mobility = not _MOBILITY.isdisjoint(x.exercise for x in event.exercises)
            m.window.append((self.today, during, green, mobility))
            if not m.paused:
                self.predict_advance()

    predicted: bool | None = None

    def predict_advance(self) -> None:
        """Predict, from the model alone, whether this session advances."""
        m = self.model
        conditions = m.advance_conditions(self.today)
        gate = m.gate()
        assert self.decision is not None
        advanced = self.decision.action is Action.ADVANCE
        if gate is not None and m.stage < 5:
            self.predicted = conditions and gate
            assert advanced == self.predicted, (conditions, gate, m)
        else:
            # Stages 3 and 4: the gate reads doses and long pain histories the
            # model does not track; every other condition is still predicted.
            assert not advanced or conditions
            if m.stage == 5:
                assert not advanced
        if advanced:
            hypothesis.event("advanced")
            m.enter(m.stage + 1)

    @rule()
    def green_session_two_days_later(self) -> None:
        """A green session two days on: strings of these earn advances."""
        self.today += dt.timedelta(days=2)
        self.log_session(before=1, during=1, after=1, completed=True, calm=True, new=())

    @rule(
        pain=st.integers(0, 10),
        morning=st.integers(0, 10),
        tired=sts.mostly_no,
        flags=sts.asked_red_flags,
        nerve=sts.asked_nerve_features,
        calm=st.integers(0, 3),
    )
    def check_in(  # noqa: PLR0917 - one argument per drawn field
        self,
        pain: int,
        morning: int,
        tired: Answer,
        flags: AskedRedFlags,
        nerve: AskedNerveFeatures,
        calm: int,
    ) -> None:
        assert self.state is not None
        settled = self.state.settled_morning_pain
        # A spike needs a new or still-rising unsettled morning (see PR-SPIKE).
        previous = self.state.last_morning_pain
        rising = self.state.morning_settled or previous is None or morning > previous
        if calm:  # mostly a quiet day, so that advancing is exercised
            pain, morning, tired = min(pain, 2), min(morning, settled), Answer.NO
            flags, nerve = AskedRedFlags(), AskedNerveFeatures()
        event = CheckIn(
            date=self.today,
            pain_now=pain,
            morning_pain=morning,
            very_tired=tired,
            red_flags=flags,
            nerve_features=nerve,
        )
        m = self.model
        nerve_yes = bool(nerve.answered(Answer.YES))
        any_flag = bool(
            flags.answered(Answer.YES)
            or flags.answered(Answer.UNKNOWN)
            or nerve.answered(Answer.UNKNOWN)
        )
        spike = not nerve_yes and not any_flag and morning > settled and rising
        self.apply(event, spike=spike)
        m.pain_now = pain
        if tired is not Answer.NO:
            m.tired_on = self.today
        if nerve_yes:
            m.enter(1)
            m.paused = True
        elif any_flag:
            m.paused = True
        elif morning > m.settled_pain:
            m.settled = False
            if spike:
                m.enter(max(1, m.stage - 1))
                m.last_regression = self.today
        else:
            m.settled, m.settled_pain = True, morning
        m.last_morning = morning

    @rule(results=sts.self_check_lists)
    def self_check(self, results: tuple[Any, ...]) -> None:
        self.apply(SelfCheckRecorded(date=self.today, results=results))
        stops = {r.stopped for r in results if r.stopped is not None}
        m = self.model
        if stops & {"strong_leg_symptoms", "sharp_shooting_pain"}:
            m.enter(1)
            m.paused = True
        elif stops:
            m.paused = True

    @rule(stage=st.sampled_from(Stage))
    def clear(self, stage: Stage) -> None:
        event = ClinicianCleared(
            date=self.today, clinician="c", note="", resume_stage=stage
        )
        self.apply(event)
        m = self.model
        if m.paused:
            # A clearance: the stage is entered afresh, and the latest
            # morning pain becomes the settled level.
            m.enter(stage.number)
            if m.last_morning is not None:
                m.settled_pain = m.last_morning
            m.settled = True
        elif m.stage != stage.number:
            m.enter(stage.number)
        m.paused = False

    @precondition(lambda self: self.state is not None)
    @rule(stage=st.sampled_from(Stage))
    def override(self, stage: Stage) -> None:
        event = ClinicianOverride(
            date=self.today, clinician="c", reason="r", stage=stage
        )
        self.apply(event)
        if self.model.stage != stage.number:
            self.model.enter(stage.number)

    # --- the model ------------------------------------------------------------------

    @invariant()
    def matches_the_model(self) -> None:
        """The engine's stage and pause agree with the model, which predicts
        advances on its own (stages 1 and 2 exactly; 3 and 4 but the gate)."""
        if self.state is None or self.decision is None:
            return
        m = self.model
        assert self.state.stage.number == m.stage
        assert (self.state.status is PlanStatus.PAUSED) == m.paused

    # --- the safety invariants ---------------------------------------------------------

    @invariant()
    def stage_moves_at_most_one_step(self) -> None:
        """Invariant 6: "The stage changes by at most one step per event, except a
        `reset` to 1 or an explicit clinician clearance or override."
        """
        d = self.decision
        if d is None or d.action in (Action.RESET, Action.RESUME, Action.OVERRIDE):
            return
        assert abs(d.to_stage.number - d.from_stage.number) <= 1

    @invariant()
    def never_advance_when_unsafe(self) -> None:
        """Invariant 7: "Never `advance` while paused, on a spike, within 7 days
        of a regression, or on time alone."
        """
        d = self.decision
        if d is None or d.action is not Action.ADVANCE:
            return
        assert self.before is not None
        assert self.before.status is PlanStatus.ACTIVE
        assert not self.spike
        assert isinstance(self.event, SessionLogged)  # time alone: only sessions
        # the advancing session itself is one of the qualifying sessions
        assert self.sessions_before + 1 >= T.advance_sessions
        last = self.model.last_regression
        assert last is None or (d.date - last).days >= T.regression_cooldown_days
        assert d.to_stage.number == d.from_stage.number + 1

    @invariant()
    def paused_left_only_by_clearance(self) -> None:
        """Invariant 8: "`paused` is left only through `ClinicianCleared`."."""
        if self.before is None or self.state is None:
            return
        if (
            self.before.status is PlanStatus.PAUSED
            and self.state.status is not PlanStatus.PAUSED
        ):
            assert isinstance(self.event, ClinicianCleared)

    @invariant()
    def volume_capped_and_deloaded(self) -> None:
        """Invariant 9: "Weekly planned volume never exceeds the cap over the
        previous week; dose after a spike is at least 30 % below the dose
        before it."
        """
        if self.state is None:
            return
        reference = {d.exercise: d.dose for d in self.state.reference}
        assert within_cap(self.state.planned, reference, T.weekly_volume_cap)
        d = self.decision
        if self.spike and d is not None and self.before is not None:
            assert d.action is Action.REGRESS
            before = {x.exercise: x.dose for x in self.before.planned}
            for x in self.state.planned:
                if x.exercise in before:
                    limit = (1 - T.deload_fraction) * before[x.exercise].volume
                    assert x.dose.volume <= limit + 1e-9

    @invariant()
    def replay_equals_stepping(self) -> None:
        """Invariant 10: "`replay(events)` equals stepping one event at a time;
        the same events and ruleset give byte-identical JSON."
        """
        if self.initial is None or self.state is None:
            return
        folded = reduce(lambda s, e: step(s, e)[0], self.events, self.initial)
        assert folded == self.state

    @invariant()
    def fast_copies_match_the_constructor(self) -> None:
        """The engine's internal copies equal values built by __init__, cached doses too."""
        if self.state is None or self.decision is None:
            return
        rebuilt = attrs.evolve(self.state)
        assert rebuilt == self.state
        assert rebuilt.planned == self.state.planned
        assert attrs.evolve(self.decision) == self.decision


PlanMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=60, deadline=None
)
TestPlanMachine = PlanMachine.TestCase
